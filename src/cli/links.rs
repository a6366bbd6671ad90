//! `guidepress links`, and the link flags `guidepress check --links` shares.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Args;
use guidepress::links::config::parse_duration;
use guidepress::links::{
    LinkStatus, LinksOverrides, LinksReport, NoProgress, Progress, RunOptions, Summary,
};
use guidepress::pipeline::{self, Input, LinkStage, Stages};
use guidepress::workspace::Workspace;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::GlobalArgs;
use super::output::OutputArgs;
use super::rule::FixArgs;

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
    let duration = parse_duration(text).map_err(|e| e.to_string())?;
    if duration.is_zero() {
        return Err(
            "a timeout of 0 would leave every link unverified; give a number of seconds above 0"
                .into(),
        );
    }
    Ok(duration)
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
        RunOptions::new(config, &workspace.config.root, self.offline)
    }
}

/// Check the links the guides cite: sources and addresses in their text.
#[derive(Debug, Args)]
pub struct LinksArgs {
    /// Files or folders to check (default: every file under the content roots).
    pub paths: Vec<PathBuf>,
    /// Where and how to print findings, and when to fail.
    #[command(flatten)]
    pub output: OutputArgs,
    /// Fixes (`--fix` rewrites permanently redirected links), `--diff`.
    #[command(flatten)]
    pub fix: FixArgs,
    /// Link settings.
    #[command(flatten)]
    pub flags: LinkFlags,
}

/// Runs `guidepress links`.
pub fn run(global: &GlobalArgs, args: LinksArgs) -> Result<ExitCode> {
    let workspace = global.open_workspace(None)?;
    let context = args.output.context(&workspace);
    let inputs: Vec<Input> = workspace
        .targets(&args.paths)?
        .into_iter()
        .map(Input::from)
        .collect();
    let options = args.flags.options(&workspace);
    let progress = progress_factory(global);
    // Read and parse only: the link stage needs the values, not their schema checks.
    let stages = Stages {
        limits: workspace.limits(),
        validate: false,
        rules: None,
        links: Some(LinkStage {
            options: &options,
            cwd: &workspace.cwd,
            progress: &progress,
        }),
        keep_values: true,
    };
    let mut run = pipeline::run(&inputs, &stages)?;
    if args.fix.diff {
        return super::rule::print_diff(&run.report, &args.fix, args.output.fail_level());
    }
    if args.fix.wants_fixes() {
        run = super::rule::fix_until_stable(
            global,
            &workspace,
            &inputs,
            &[],
            &stages,
            run,
            &args.fix,
        )?;
    }
    let fail = args.output.fail_level().fails(run.report.worst());
    args.output
        .write(global, &run.report, &context)
        .context("cannot write the report")?;
    print_summary(global, run.links.as_ref());
    Ok(if fail {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// A fresh progress display for each link check run: a bar on a terminal
/// (unless `--quiet`), nothing otherwise.
pub fn progress_factory(global: &GlobalArgs) -> impl Fn() -> Arc<dyn Progress> + Sync + use<> {
    let show = !global.quiet && std::io::stderr().is_terminal();
    move || -> Arc<dyn Progress> {
        if show {
            Arc::new(Bar::new())
        } else {
            Arc::new(NoProgress)
        }
    }
}

/// Prints the closing summary of a link check on stderr (stdout holds the report).
pub fn print_summary(global: &GlobalArgs, links: Option<&LinksReport>) {
    if global.quiet {
        return;
    }
    let Some(links) = links else {
        return;
    };
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
