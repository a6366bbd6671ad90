//! What the commands share: global flags, opening the workspace, printing reports, errors.

pub mod check;
pub mod cms;
pub mod config;
pub mod data;
pub mod docs;
pub mod dump;
pub mod init;
pub mod links;
pub mod new;
pub mod output;
pub mod preview;
pub mod publish;
pub mod pull;
pub mod review;
pub mod rule;
pub mod server;
pub mod words;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use guidepress::net::redact::redact_url_credentials;
use guidepress::report::{self, OutputFormat, ReportOptions};
use guidepress::results::CheckReport;
use guidepress::workspace::Workspace;

/// Exit code for usage, configuration and internal failures.
pub const EXIT_FAILURE: u8 = 2;

/// Flags every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Say more (repeat for more detail).
    #[arg(short, long, global = true, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    pub verbose: u8,
    /// Print findings only: no summary, no progress.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Use this configuration file instead of finding `guidepress.toml`.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// When to use colour.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// `--color`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

impl GlobalArgs {
    /// Whether output may use colour.
    pub fn use_color(&self) -> bool {
        match self.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stdout().is_terminal()
            }
        }
    }

    /// Finds and reads the configuration (`--config`, or `guidepress.toml` found walking up).
    pub fn load_config(&self) -> Result<(guidepress::config::LoadedConfig, PathBuf)> {
        let cwd = std::env::current_dir().context("cannot read the working directory")?;
        let loaded = match &self.config {
            Some(path) => guidepress::config::LoadedConfig {
                config: guidepress::config::Config::read(path)?,
                root: path.parent().map_or_else(|| cwd.clone(), |p| cwd.join(p)),
                path: Some(path.clone()),
            },
            None => guidepress::config::discover(&cwd)?,
        };
        Ok((loaded, cwd))
    }

    /// Reads the configuration and compiles the schemas (or only `schema`, when given).
    pub fn open_workspace(&self, schema: Option<&Path>) -> Result<Workspace> {
        let (loaded, cwd) = self.load_config()?;
        Ok(Workspace::open(loaded, &cwd, schema)?)
    }

    /// Prints `report` on stdout in `format`.
    pub fn print_report(&self, format: OutputFormat, report: &CheckReport) -> Result<()> {
        let options = ReportOptions {
            color: self.use_color(),
            quiet: self.quiet,
            width: None,
        };
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        report::write_report(format, report, &options, &mut out)?;
        out.flush()?;
        Ok(())
    }
}

/// Prints a failure on stderr and returns exit code 2. Configuration errors are
/// drawn with their location.
pub fn report_error(error: &anyhow::Error) -> ExitCode {
    if let Some(config_error) = error.downcast_ref::<guidepress::config::ConfigError>() {
        let mut rendered = String::new();
        let handler =
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
        if handler.render_report(&mut rendered, config_error).is_ok() {
            eprintln!("{rendered}");
            return ExitCode::from(EXIT_FAILURE);
        }
    }
    // Errors may quote a URL given on the command line: never its password.
    let message = format!("{error:#}");
    eprintln!("guidepress: error: {}", redact_url_credentials(&message));
    ExitCode::from(EXIT_FAILURE)
}
