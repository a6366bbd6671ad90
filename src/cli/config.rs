//! `guidepress config`: the effective configuration, and its JSON Schema.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use guidepress::config::Config;
use guidepress::data::DataStore;

use super::GlobalArgs;

/// `guidepress config` arguments.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["show", "schema"])))]
pub struct ConfigArgs {
    /// Print the effective configuration as TOML: `guidepress.toml` (or
    /// `--config`) with every default filled in; header values and URL
    /// credentials redacted.
    #[arg(long)]
    pub show: bool,
    /// Print the JSON Schema of `guidepress.toml` (what
    /// `schemas/guidepress.schema.json` holds).
    #[arg(long)]
    pub schema: bool,
}

/// Runs `guidepress config`.
pub fn run(global: &GlobalArgs, args: &ConfigArgs) -> Result<ExitCode> {
    let text = if args.schema {
        let mut text = serde_json::to_string_pretty(&Config::json_schema())?;
        text.push('\n');
        text
    } else {
        let (loaded, cwd) = global.load_config()?;
        let mut origin = match &loaded.path {
            Some(path) => format!("# From {} with defaults filled in.\n", path.display()),
            None => "# No guidepress.toml found: the defaults.\n".to_owned(),
        };
        // What is in effect, and where it comes from (a file of the
        // repository, or built into the binary).
        for (files, schema) in guidepress::workspace::schema_origins(&loaded) {
            origin.push_str(&format!("# Schema for {files}: {schema}\n"));
        }
        let data = match DataStore::open(&loaded.config.data, &loaded.root, &cwd) {
            Ok(Some(store)) => store.describe(),
            Ok(None) => "off (`[data] enabled = false`)".to_owned(),
            Err(error) => format!("unusable: {error}"),
        };
        origin.push_str(&format!("# Official data: {data}\n"));
        let projections = match guidepress::data::projections::ProjectionStore::open(
            &loaded.config.data,
            &loaded.root,
            &cwd,
        ) {
            Ok(Some(store)) => store.describe(),
            Ok(None) => "none".to_owned(),
            Err(error) => format!("unusable: {error}"),
        };
        origin.push_str(&format!("# Employment Projections: {projections}\n"));
        let body = loaded
            .config
            .to_toml_redacted()
            .context("cannot write the configuration as TOML")?;
        format!("{origin}{body}")
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
