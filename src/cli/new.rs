//! `guidepress new`: a draft guide from the official data.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;
use guidepress::data::DataStore;
use guidepress::data::projections::ProjectionStore;
use guidepress::rules::Date;
use guidepress::scaffold::guide::{self, NewGuide};
use guidepress::scaffold::write_files;

use super::GlobalArgs;

/// `guidepress new SLUG --soc CODE`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The guide's slug, also its file name: `content/guides/SLUG.yaml`.
    pub slug: String,
    /// The occupation's SOC code (`29-1141`); `guidepress data show TITLE` finds it.
    #[arg(long, value_name = "CODE")]
    pub soc: String,
    /// The guide's title (default: a placeholder to write).
    #[arg(long, value_name = "TITLE")]
    pub title: Option<String>,
    /// How many states to list: those where BLS counts the most employment.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub states: usize,
    /// The OEWS release to take the figures from (default: `[data] release`, the latest).
    #[arg(long, value_name = "RELEASE")]
    pub release: Option<String>,
    /// The author id (default: the first author file in the authors folder).
    #[arg(long, value_name = "ID")]
    pub author: Option<String>,
    /// Overwrite the guide's file if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Writes the draft.
pub fn run(global: &GlobalArgs, args: NewArgs) -> Result<ExitCode> {
    let (config, cwd) = global.load_config()?;
    let Some(store) = DataStore::open(&config.config.data, &config.root, &cwd)? else {
        bail!(
            "`[data] enabled = false` in the configuration: `guidepress new` takes the guide's figures from the official data"
        );
    };
    let authors_dir = config.root.join(&config.config.content.authors);
    let author = match args.author {
        Some(author) => author,
        None => match guide::author_ids(&authors_dir).into_iter().next() {
            Some(author) => author,
            None => bail!(
                "no author file in {}: add one (`guidepress init` writes an example) or pass --author ID",
                config.config.content.authors.display()
            ),
        },
    };
    let today = Date::today_from_env().map_err(anyhow::Error::msg)?;
    let new = NewGuide {
        slug: args.slug,
        soc: args.soc.trim().to_owned(),
        title: args.title,
        states: args.states,
        release: args.release,
        author,
        today,
        version: env!("CARGO_PKG_VERSION").to_owned(),
    };
    let folder = guide::guides_folder(&config.config);
    let projections = ProjectionStore::open(&config.config.data, &config.root, &cwd)?;
    let file = guide::draft(&new, &store, projections.as_ref(), &folder)?;
    let written: Vec<PathBuf> = write_files(&config.root, &[file], args.force, &cwd)?;
    if !global.quiet {
        for path in &written {
            eprintln!(
                "Wrote {} ({}, figures from {}). Write every `TODO:`; `guidepress check` lists them.",
                path.display(),
                new.soc,
                store.describe()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
