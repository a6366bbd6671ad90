//! `guidepress init`: start a content repository.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use guidepress::scaffold::{init, write_files};

use super::GlobalArgs;

/// `guidepress init [DIR]`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The repository's folder (created if missing; default: the working directory).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Overwrite files that exist.
    #[arg(long)]
    pub force: bool,
}

/// Writes the repository's files.
pub fn run(global: &GlobalArgs, args: &InitArgs) -> Result<ExitCode> {
    let cwd = std::env::current_dir().context("cannot read the working directory")?;
    let root = cwd.join(&args.dir);
    let files = init::files(env!("CARGO_PKG_VERSION"));
    let written = write_files(&root, &files, args.force, &cwd)?;
    if !global.quiet {
        for path in &written {
            eprintln!("Wrote {}", path.display());
        }
        let cd = if args.dir == std::path::Path::new(".") {
            String::new()
        } else {
            format!("cd {} && ", args.dir.display())
        };
        eprintln!(
            "Next: {cd}guidepress new SLUG --soc CODE (a draft guide from BLS's figures), then guidepress check."
        );
    }
    Ok(ExitCode::SUCCESS)
}
