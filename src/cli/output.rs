//! Output flags shared by commands that report findings: the format on
//! stdout, extra report files (`--sarif`, `--summary`) and when to fail.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Args;
use guidepress::changes;
use guidepress::diagnostic::Severity;
use guidepress::fsio;
use guidepress::report::{self, OutputFormat, ReportContext, ReportOptions, RepositoryLinks};
use guidepress::results::CheckReport;
use guidepress::workspace::Workspace;

use super::GlobalArgs;

/// `--fail-level`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailLevel {
    /// Exit 1 when there are errors.
    Error,
    /// Exit 1 when there are errors or warnings.
    Warning,
    /// Always exit 0 when the check ran.
    Never,
}

impl FailLevel {
    /// Whether findings up to `worst` fail the run.
    pub fn fails(self, worst: Option<Severity>) -> bool {
        let Some(worst) = worst else { return false };
        match self {
            FailLevel::Error => worst >= Severity::Error,
            FailLevel::Warning => worst >= Severity::Warning,
            FailLevel::Never => false,
        }
    }
}

/// Where and how findings are printed, and when they fail the run.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// How to print findings on stdout [default: `github` when GITHUB_ACTIONS=true, else `full`].
    #[arg(
        long = "output-format",
        alias = "format",
        value_enum,
        value_name = "FORMAT"
    )]
    pub output_format: Option<OutputFormat>,
    /// Also write SARIF 2.1.0 to this file (for code scanning).
    #[arg(long, value_name = "PATH")]
    pub sarif: Option<PathBuf>,
    /// Also write the Markdown summary to this file [default: $GITHUB_STEP_SUMMARY when set].
    #[arg(long, value_name = "PATH")]
    pub summary: Option<PathBuf>,
    /// The lowest severity that makes the run exit 1.
    #[arg(
        long,
        value_enum,
        value_name = "LEVEL",
        conflicts_with = "deny_warnings"
    )]
    pub fail_level: Option<FailLevel>,
    /// Fail (exit 1) on warnings too; the same as `--fail-level warning`.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Exit 0 even when there are findings (failures to run still exit 2).
    #[arg(long, conflicts_with_all = ["fail_level", "deny_warnings"])]
    pub exit_zero: bool,
}

/// The format used when none is given: `github` under GitHub Actions, else `full`.
pub fn default_format() -> OutputFormat {
    if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
        OutputFormat::Github
    } else {
        OutputFormat::Full
    }
}

/// How a file named with `--summary` is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryFile {
    /// Replaced atomically (`check`, `links`).
    Replace,
    /// Appended to (`publish`).
    Append,
}

/// Writes a Markdown job summary to `explicit` (`--summary`), or else to
/// `$GITHUB_STEP_SUMMARY` when that is set. GitHub's file is shared by the
/// job's steps: it is appended to, never replaced (also when `--summary`
/// names it); another file is written as `mode` says. Appending never
/// follows a symbolic link; replacing replaces the link.
pub fn write_summary(
    explicit: Option<&Path>,
    mode: SummaryFile,
    render: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let from_env = std::env::var_os("GITHUB_STEP_SUMMARY")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    let Some(path) = explicit.or(from_env.as_deref()) else {
        return Ok(());
    };
    let append = mode == SummaryFile::Append || from_env.as_deref() == Some(path);
    write_file(path, append, render)
        .with_context(|| format!("cannot write the summary to {}", path.display()))
}

impl OutputArgs {
    /// The effective fail level.
    pub fn fail_level(&self) -> FailLevel {
        if self.exit_zero {
            FailLevel::Never
        } else if self.deny_warnings {
            FailLevel::Warning
        } else {
            self.fail_level.unwrap_or(FailLevel::Error)
        }
    }

    /// The format printed on stdout.
    pub fn format(&self) -> OutputFormat {
        self.output_format.unwrap_or_else(default_format)
    }

    /// Links and repository paths from the environment (GitHub Actions variables, git).
    pub fn context(&self, workspace: &Workspace) -> ReportContext {
        ReportContext {
            repository: RepositoryLinks::from_env(),
            path_prefix: changes::repository_prefix(&workspace.cwd).unwrap_or_default(),
            docs_url: workspace.config.config.output.docs_url.clone(),
            ..ReportContext::default()
        }
    }

    /// Prints the report on stdout and writes the extra files.
    pub fn write(
        &self,
        global: &GlobalArgs,
        report: &CheckReport,
        context: &ReportContext,
    ) -> Result<()> {
        let options = ReportOptions {
            color: global.use_color(),
            quiet: global.quiet,
            width: None,
        };
        {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            report::write_report_with(self.format(), report, &options, context, &mut out)?;
            out.flush()?;
        }
        if let Some(path) = &self.sarif {
            write_file(path, false, |out| {
                report::write_report_with(OutputFormat::Sarif, report, &options, context, out)
            })?;
        }
        write_summary(self.summary.as_deref(), SummaryFile::Replace, |out| {
            report::write_report_with(OutputFormat::Markdown, report, &options, context, out)
        })
    }
}

/// Renders into memory, then replaces `path` atomically (a link at `path` is
/// replaced, never written through) or, with `append`, adds to it.
fn write_file(
    path: &Path,
    append: bool,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let mut bytes = Vec::new();
    write(&mut bytes).with_context(|| format!("cannot write {}", path.display()))?;
    if append {
        fsio::append(path, &bytes)?;
    } else {
        fsio::write_atomic(path, &bytes, fsio::SymlinkPolicy::Replace)?;
    }
    Ok(())
}
