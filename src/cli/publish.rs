//! `guidepress publish`.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use guidepress::net::redact::redact_url_credentials;
use guidepress::pipeline::{self, Input, LinkStage, Stages};
use guidepress::publish::execute::{Event, EventFn};
use guidepress::publish::plan::Outcome;
use guidepress::publish::{self, PlanOptions, PublishJob, render};

use super::GlobalArgs;
use super::output::SummaryFile;

/// Publish approved, error-free guides to the CMS.
#[derive(Debug, Args)]
pub struct PublishArgs {
    /// Guide files or folders (default: every guide under the content roots).
    pub paths: Vec<PathBuf>,
    /// Show the plan and stop: nothing is written.
    #[arg(long)]
    pub dry_run: bool,
    /// Write draft versions only (in Strapi, the `status=draft` version that
    /// the Content API returns with `?status=draft`); the published versions
    /// readers see are untouched until a run without --draft.
    #[arg(long, conflicts_with = "prune")]
    pub draft: bool,
    /// Overwrite CMS copies that were edited outside guidepress.
    #[arg(long)]
    pub force: bool,
    /// Unpublish archived guides and delete guides no longer in the repository
    /// (only documents guidepress created).
    #[arg(long)]
    pub prune: bool,
    /// Unpublish archived guides (only documents guidepress created), and
    /// delete nothing; unlike --prune, works with PATHS (a push that
    /// archives a guide).
    #[arg(long, conflicts_with = "draft")]
    pub unpublish_archived: bool,
    /// Show each differing field's CMS and repository values in the plan.
    #[arg(long)]
    pub diff: bool,
    /// How to print the plan and the result.
    #[arg(long = "output-format", alias = "format", value_enum, default_value_t = PublishFormat::Table)]
    pub output_format: PublishFormat,
    /// Also write a Markdown summary to FILE (default: $GITHUB_STEP_SUMMARY when set).
    #[arg(long, value_name = "FILE")]
    pub summary: Option<PathBuf>,
    /// Add to each create and update of the JSON output the request it
    /// sends first (method, path, query, body), as guidepress builds it.
    #[arg(long)]
    pub show_requests: bool,
    /// The CMS base URL, overriding `[cms] base_url`.
    #[arg(long, env = "GUIDEPRESS_CMS_URL", value_name = "URL")]
    pub cms_url: Option<String>,
}

/// `publish --output-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PublishFormat {
    /// A plan table, then the result.
    Table,
    /// One JSON document with the plan and every outcome.
    Json,
    /// A Markdown summary (for CI job summaries).
    Markdown,
}

/// Gate, plan, publish.
pub fn run(global: &GlobalArgs, args: PublishArgs) -> Result<ExitCode> {
    if args.prune && !args.paths.is_empty() {
        bail!("--prune needs every guide of the repository: give no paths with it");
    }
    let workspace = global.open_workspace(None)?;
    let mut cms = workspace.config.config.cms.clone();
    if let Some(url) = &args.cms_url {
        cms.base_url = url.clone();
    }
    let verbose = global.verbose > 0;
    let client = super::cms::client(global, &cms)?;
    // One runtime for the whole run: the client's pooled connections are
    // driven by the runtime that opened them, and a second runtime would
    // pick one up that nothing drives (the request then waits out its timeout).
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    // The mapping is checked against the CMS's schema before anything else
    // (a --dry-run too): a mapping that does not fit writes nothing.
    let guide_schema = super::cms::guide_schema(&workspace.config);
    let (client, _) = runtime.block_on(publish::resolve_model(
        client,
        &cms,
        super::cms::mapping(&workspace.config),
        guide_schema.as_ref(),
    ))?;
    let mapping = Arc::clone(client.mapping());

    // The gate: what `check` finds (schema and rules) decides what may go out.
    let targets = workspace.targets(&args.paths)?;
    let settings = super::rule::settings(&workspace)?;
    // Broken links (errors) block a guide like any other error; the link
    // settings are `[links]`'s, as for `guidepress links`.
    let link_options = cms
        .require_links_ok
        .then(|| super::links::LinkFlags::default().options(&workspace));
    let link_progress = super::links::progress_factory(global);
    let stages = Stages {
        limits: workspace.limits(),
        validate: true,
        rules: Some(&settings),
        links: link_options.as_ref().map(|options| LinkStage {
            options,
            cwd: &workspace.cwd,
            progress: &link_progress,
        }),
        keep_values: true,
    };
    let inputs: Vec<Input> = targets.into_iter().map(Input::from).collect();
    let client = Arc::new(client);
    let root = canonical(&workspace.config.root);
    let cwd = workspace.cwd.clone();
    // The published versions are listed while the guides are checked and
    // made into payloads (the listing does not depend on them); `--draft`
    // lists the drafts only, after. A listing error is reported where it
    // always was, once the guides are checked.
    let (local, published) = std::thread::scope(|scope| {
        let check = scope.spawn(|| {
            let report = pipeline::run(&inputs, &stages)?.report;
            Ok::<_, anyhow::Error>(publish::gate::gate(&report, &mapping, |file| {
                let path = canonical(&cwd.join(&file.source.path));
                path.strip_prefix(&root)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/")
            }))
        });
        let published = (!args.draft).then(|| runtime.block_on(publish::list_published(&client)));
        let local = check
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (local, published)
    });
    let local = local?;
    let published = published.transpose()?;
    if verbose {
        eprintln!(
            "guidepress: {} guides checked; publishing to {}",
            local.len(),
            redact_url_credentials(&cms.base_url)
        );
    }

    let pause_after_writes = std::env::var("GUIDEPRESS_TEST_PAUSE_AFTER_WRITES")
        .ok()
        .and_then(|v| v.parse().ok());
    let job = PublishJob {
        client,
        local,
        plan: PlanOptions {
            draft: args.draft,
            force: args.force,
            prune: args.prune,
            unpublish_archived: args.unpublish_archived,
            diff: args.diff,
        },
        dry_run: args.dry_run,
        concurrency: cms.concurrency,
        pause_after_writes,
        show_requests: args.show_requests,
        cms: redact_url_credentials(&cms.base_url).into_owned(),
        published,
    };

    let table = args.output_format == PublishFormat::Table;
    let quiet = global.quiet;
    let diff = args.diff;
    let events = (!quiet).then(|| progress(table));
    let result = runtime.block_on(job.run(
        |entries| {
            if table && !quiet {
                let mut out = std::io::stdout().lock();
                let _ = render::write_plan_table(entries, diff, &mut out);
                let _ = out.flush();
            }
        },
        events,
    ))?;

    let mut out = std::io::stdout().lock();
    match args.output_format {
        PublishFormat::Table => render::write_results_table(&result, &mut out)?,
        PublishFormat::Json => render::write_json(&result, &mut out)?,
        PublishFormat::Markdown => render::write_markdown(&result, &mut out)?,
    }
    out.flush()?;
    super::output::write_summary(args.summary.as_deref(), SummaryFile::Append, |out| {
        render::write_markdown(&result, out)
    })?;
    Ok(if result.failed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())
}

/// A progress bar on a terminal; one concise line per write elsewhere (CI).
fn progress(table: bool) -> EventFn {
    let terminal = std::io::stderr().is_terminal() && table;
    let bar = indicatif::ProgressBar::hidden();
    Arc::new(move |event: Event| match event {
        Event::Start(total) => {
            if terminal && total > 0 {
                bar.set_length(total as u64);
                bar.set_style(
                    indicatif::ProgressStyle::with_template(
                        "{spinner} publishing [{bar:30}] {pos}/{len} {msg}",
                    )
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                    .progress_chars("=> "),
                );
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                bar.enable_steady_tick(Duration::from_millis(120));
            }
        }
        Event::Finished(entry) => {
            let what = match entry.outcome {
                Some(Outcome::Done) => entry.action.as_str(),
                Some(Outcome::AlreadyDone) => "already done",
                Some(Outcome::Conflict) => "conflict",
                Some(Outcome::Failed) => "failed",
                Some(Outcome::Skipped) | None => "skipped",
            };
            let line = match (&entry.message, &entry.document_id) {
                (Some(message), _) => format!("{what} {}: {message}", entry.slug),
                (None, Some(id)) => format!("{what} {} ({id})", entry.slug),
                (None, None) => format!("{what} {}", entry.slug),
            };
            if terminal {
                bar.inc(1);
                if entry.message.is_some() {
                    bar.println(line);
                } else {
                    bar.set_message(entry.slug.clone());
                }
                if bar.position() >= bar.length().unwrap_or(0) {
                    bar.finish_and_clear();
                }
            } else {
                eprintln!("guidepress: {line}");
            }
        }
    })
}
