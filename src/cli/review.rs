//! `guidepress review`: checks like `check`, then posts the findings on the
//! pull request as one review, fixes as suggested changes (see
//! `guidepress::review`); what cannot be a comment is printed as GitHub
//! annotations.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use guidepress::pipeline::{self, Input, Stages};
use guidepress::publish::Secret;
use guidepress::report::{self, OutputFormat, ReportOptions};
use guidepress::review::{self, GitHub, Mode, ReviewOptions, target::TargetInput};

use super::GlobalArgs;
use super::output::{FailLevel, OutputArgs};

/// Post findings on a pull request as one review, fixes as one-click suggested changes.
#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// Files or folders to check (default: every guide and author under the content roots).
    pub paths: Vec<PathBuf>,
    /// The repository, OWNER/NAME [default: $GITHUB_REPOSITORY, or the event's].
    #[arg(long, value_name = "OWNER/NAME")]
    pub repo: Option<String>,
    /// The pull request's number [default: the `pull_request` event's].
    #[arg(long, value_name = "NUMBER")]
    pub pr: Option<u64>,
    /// The head commit the review is for [default: the event's, else the pull request's head].
    #[arg(long, value_name = "SHA")]
    pub sha: Option<String>,
    /// GitHub's API root [default: $GITHUB_API_URL, else https://api.github.com].
    #[arg(long, value_name = "URL")]
    pub api_url: Option<String>,
    /// The event file of the run [default: $GITHUB_EVENT_PATH].
    #[arg(long, value_name = "FILE")]
    pub event_path: Option<PathBuf>,
    /// Comments one review posts at most; the rest are listed in the review's body.
    #[arg(long, value_name = "N", default_value_t = review::MAX_COMMENTS as u64, value_parser = clap::value_parser!(u64).range(1..=100))]
    pub max_comments: u64,
    /// Print no annotations for the findings not posted (when another step,
    /// such as `check --output-format github`, already annotates every finding).
    #[arg(long)]
    pub no_annotations: bool,
    /// The lowest severity that makes the run exit 1.
    #[arg(long, value_enum, value_name = "LEVEL", default_value = "error")]
    pub fail_level: FailLevel,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Checks, posts the review, prints the annotations, maps findings to the exit code.
pub fn run(global: &GlobalArgs, args: ReviewArgs) -> Result<ExitCode> {
    // The token comes from the environment only: never a flag, never printed.
    let token = env("GITHUB_TOKEN").map(Secret::new);
    let input = TargetInput {
        repository: args.repo.clone().or_else(|| env("GITHUB_REPOSITORY")),
        number: args.pr,
        head_sha: args.sha.clone(),
        api_url: args
            .api_url
            .clone()
            .or_else(|| env("GITHUB_API_URL"))
            .unwrap_or_else(|| "https://api.github.com".to_owned()),
        event_path: args
            .event_path
            .clone()
            .or_else(|| env("GITHUB_EVENT_PATH").map(PathBuf::from)),
    };
    let (pull, head_sha) = review::target::resolve(&input)?;
    let token = token.ok_or(review::ReviewError::NoToken)?;
    let github = GitHub::new(pull, &token)?;

    let workspace = global.open_workspace(None)?;
    let output = OutputArgs {
        output_format: None,
        sarif: None,
        summary: None,
        fail_level: Some(args.fail_level),
        deny_warnings: false,
        exit_zero: false,
    };
    let mut context = output.context(&workspace);
    let targets = workspace.targets(&args.paths)?;
    let settings = super::rule::settings(&workspace)?;
    let stages = Stages {
        limits: workspace.limits(),
        validate: true,
        rules: Some(&settings),
        links: None,
        // Suggestions are made from the whole text of the lines a fix touches.
        keep_values: true,
    };
    let inputs: Vec<Input> = targets.into_iter().map(Input::from).collect();
    let mut report = pipeline::run(&inputs, &stages)?.report;
    let fail = args.fail_level.fails(report.worst());

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let options = ReviewOptions {
        context: context.clone(),
        head_sha,
        max_comments: usize::try_from(args.max_comments).unwrap_or(review::MAX_COMMENTS),
    };
    let outcome = runtime.block_on(review::run(&report, &github, &options))?;
    if !global.quiet {
        match &outcome.mode {
            Mode::Reviewed { review_id } => {
                let plan = &outcome.plan;
                eprintln!(
                    "guidepress: review {}: {} new, {} kept, {} edited, {} removed, {} listed in the review's body, {} as annotations",
                    review_id.map_or_else(|| "not needed".to_owned(), |id| format!("#{id}")),
                    plan.create.len(),
                    plan.keep,
                    plan.update.len(),
                    plan.delete.len(),
                    plan.summarised.len(),
                    outcome.annotate.len(),
                );
            }
            Mode::Annotations { reason } => {
                eprintln!("guidepress: findings shown as annotations, not a review: {reason}");
            }
        }
    }
    context.changed = outcome.changed.clone();
    outcome.retain_annotated(&mut report);
    if !args.no_annotations && report.diagnostics().next().is_some() {
        let options = ReportOptions {
            color: false,
            quiet: true,
            width: None,
        };
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        report::write_report_with(OutputFormat::Github, &report, &options, &context, &mut out)?;
        std::io::Write::flush(&mut out)?;
    }
    Ok(if fail {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
