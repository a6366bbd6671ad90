//! `guidepress words`: the repository's own words (`[prose] words`, default
//! `.guidepress/words.txt`), which spelling (`GP701`) accepts.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Subcommand};

use super::GlobalArgs;

/// `guidepress words` arguments.
#[derive(Debug, Args)]
pub struct WordsArgs {
    #[command(subcommand)]
    command: WordsCommand,
}

#[derive(Debug, Subcommand)]
enum WordsCommand {
    /// Add words to the repository's words file (created when missing),
    /// keeping it sorted and without duplicates.
    Add {
        /// The words, as they are written (`tRPC`; a word in lower case is
        /// accepted in any capitalization).
        #[arg(required = true, value_name = "WORD")]
        words: Vec<String>,
    },
    /// Print the path of the repository's words file.
    Path,
}

/// Runs `guidepress words`.
pub fn run(global: &GlobalArgs, args: WordsArgs) -> Result<ExitCode> {
    let (loaded, _cwd) = global.load_config()?;
    let prose = &loaded.config.prose;
    let path = loaded.root.join(&prose.words);
    let shown = prose.words.display().to_string();
    let mut out = std::io::stdout().lock();
    match args.command {
        WordsCommand::Add { words } => {
            let added = guidepress::prose::words::add(&path, &shown, &words)?;
            if !global.quiet {
                match added.len() {
                    0 => writeln!(out, "{shown} already holds every word given")?,
                    n => writeln!(
                        out,
                        "Added {n} word{} to {shown}: {}",
                        if n == 1 { "" } else { "s" },
                        added.join(", ")
                    )?,
                }
            }
        }
        WordsCommand::Path => writeln!(out, "{}", path.display())?,
    }
    Ok(ExitCode::SUCCESS)
}
