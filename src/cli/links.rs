//! `guidepress links`, and the link flags `guidepress check --links` shares.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;
use clap::Args;
use guidepress::check::CheckReport;
use guidepress::diagnostic::Severity;
use guidepress::links::config::parse_duration;
use guidepress::links::files::{cache_path, check_report, load_for_links};
use guidepress::links::{
    LinkStatus, LinksOverrides, LinksReport, NoProgress, Progress, RunOptions, Summary,
};
use guidepress::report::OutputFormat;
use guidepress::workspace::Workspace;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use super::GlobalArgs;

/// Settings of a link check run that the command line may override.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Link checking")]
pub struct LinkFlags {
    /// Seconds allowed per request (`[links] timeout`, default 20).
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    pub timeout: Option<Duration>,
    /// Retries after the first attempt (`[links] max_retries`, default 3).
    #[arg(long, value_name = "N")]
    pub max_retries: Option<u32>,
    /// Requests in flight at once (`[links] max_concurrency`, default 128).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_concurrency: Option<u64>,
    /// Requests in flight at once per host (`[links] host_concurrency`, default 10).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub host_concurrency: Option<u64>,
    /// Let the safety policy through for a host or address range, e.g.
    /// `localhost`, `*.corp.example`, `10.0.0.0/8` (repeatable).
    #[arg(long = "allow-net", value_name = "HOST_OR_CIDR")]
    pub allow_net: Vec<String>,
    /// Neither read nor write the link cache.
    #[arg(long)]
    pub no_cache: bool,
    /// Check nothing over the network: report cached verdicts and count the rest as skipped.
    #[arg(long)]
    pub offline: bool,
}

fn parse_seconds(text: &str) -> Result<Duration, String> {
    parse_duration(text).map_err(|e| e.to_string())
}

impl LinkFlags {
    /// The run options: the configured `[links]` table with these flags applied.
    pub fn options(&self, workspace: &Workspace) -> RunOptions {
        let overrides = LinksOverrides {
            timeout: self.timeout,
            max_retries: self.max_retries,
            max_concurrency: self
                .max_concurrency
                .map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
            host_concurrency: self
                .host_concurrency
                .map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
            allow_net: self.allow_net.clone(),
            no_cache: self.no_cache,
        };
        let config = workspace
            .config
            .config
            .links
            .clone()
            .with_overrides(&overrides);
        RunOptions {
            cache_path: cache_path(&config, &workspace.config.root),
            config,
            offline: self.offline,
        }
    }
}

/// Check the links the guides cite: sources and addresses in their text.
#[derive(Debug, Args)]
pub struct LinksArgs {
    /// Files or folders to check (default: every file under the content roots).
    pub paths: Vec<PathBuf>,
    /// How to print findings.
    #[arg(long = "output-format", alias = "format", value_enum, default_value_t = OutputFormat::Full)]
    pub output_format: OutputFormat,
    /// Fail (exit 1) on warnings too (inconclusive links, redirects).
    #[arg(long)]
    pub deny_warnings: bool,
    #[command(flatten)]
    pub flags: LinkFlags,
}

/// Runs `guidepress links`.
pub fn run(global: &GlobalArgs, args: LinksArgs) -> Result<ExitCode> {
    let workspace = global.open_workspace(None)?;
    let targets = workspace.targets(&args.paths)?;
    let limits = workspace.limits();
    let files = targets
        .par_iter()
        .map(|t| load_for_links(t, limits))
        .collect();
    let mut report = CheckReport { files };
    report.sort();
    let links = check_links(global, &workspace, &args.flags, &mut report)?;
    global.print_report(args.output_format, &report)?;
    print_summary(global, &links);
    Ok(exit_code(&report, args.deny_warnings))
}

/// Checks the links of every file in `report`, adding the findings to it.
pub fn check_links(
    global: &GlobalArgs,
    workspace: &Workspace,
    flags: &LinkFlags,
    report: &mut CheckReport,
) -> Result<LinksReport> {
    let options = flags.options(workspace);
    let progress: Arc<dyn Progress> = if !global.quiet && std::io::stderr().is_terminal() {
        Arc::new(Bar::new())
    } else {
        Arc::new(NoProgress)
    };
    Ok(check_report(report, &options, &workspace.cwd, progress)?)
}

/// Prints the closing link summary on stderr (stdout holds the report).
pub fn print_summary(global: &GlobalArgs, links: &LinksReport) {
    if global.quiet {
        return;
    }
    let summary: &Summary = &links.summary;
    eprintln!("Links: {summary}.");
    if global.verbose > 0 {
        for (host, figures) in &summary.per_host {
            eprintln!(
                "  {host}: {} URLs, {} requests",
                figures.urls, figures.requests
            );
        }
    }
}

/// 1 when a finding reaches the failing severity, else 0.
pub fn exit_code(report: &CheckReport, deny_warnings: bool) -> ExitCode {
    let fail_at = if deny_warnings {
        Severity::Warning
    } else {
        Severity::Error
    };
    match report.worst() {
        Some(worst) if worst >= fail_at => ExitCode::from(1),
        _ => ExitCode::SUCCESS,
    }
}

/// A progress bar on stderr: checked/total.
struct Bar {
    bar: ProgressBar,
}

impl Bar {
    fn new() -> Self {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} checking links {pos}/{len} [{bar:30}] {elapsed} {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        Bar { bar }
    }
}

impl Progress for Bar {
    fn start(&self, total: u64) {
        self.bar.set_length(total);
        self.bar.enable_steady_tick(Duration::from_millis(120));
    }

    fn advance(&self, _url: &str, status: LinkStatus) {
        self.bar.inc(1);
        if status == LinkStatus::Broken {
            self.bar.set_message("(broken links found)");
        }
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
