//! `guidepress docs generate OUTDIR` (hidden): writes the documentation
//! site's generated pages (a page per code, the configuration and
//! command-line references) for `scripts/docs.sh`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Subcommand};

use super::GlobalArgs;

/// `guidepress docs`.
#[derive(Debug, Args)]
pub struct DocsArgs {
    #[command(subcommand)]
    pub command: DocsCommand,
}

/// What `guidepress docs` does.
#[derive(Debug, Subcommand)]
pub enum DocsCommand {
    /// Write the generated pages under OUTDIR (the site's source folder).
    Generate {
        /// The site's source folder (`rules/`, `reference/` are written in it).
        out_dir: PathBuf,
    },
}

/// Runs `guidepress docs`; `command` is the binary's whole clap definition.
pub fn run(global: &GlobalArgs, args: &DocsArgs, command: &clap::Command) -> Result<ExitCode> {
    match &args.command {
        DocsCommand::Generate { out_dir } => {
            let written = guidepress::docs::write(out_dir, command)?;
            if !global.quiet {
                eprintln!(
                    "guidepress: wrote {} pages under {}",
                    written.len(),
                    out_dir.display()
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
