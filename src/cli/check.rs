//! `guidepress check`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use guidepress::changes::{self, ChangeSet, Shard};
use guidepress::pipeline::{self, Input, LinkStage, Stages};
use guidepress::report;

use super::GlobalArgs;
use super::output::OutputArgs;

/// Check guides and authors: YAML, schema, facts.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or folders to check (default: every guide and author under the content roots).
    pub paths: Vec<PathBuf>,
    /// Validate the given files against this JSON Schema instead of the configured ones.
    #[arg(long, value_name = "FILE")]
    pub schema: Option<PathBuf>,
    /// Where and how to print findings, and when to fail.
    #[command(flatten)]
    pub output: OutputArgs,
    /// Check only the files changed since this git reference (its merge base with
    /// HEAD), plus the files those changes affect.
    #[arg(long, value_name = "REF", conflicts_with = "paths")]
    pub changed_since: Option<String>,
    /// With `--changed-since`: report only findings on lines the change touched
    /// (errors elsewhere in the checked files still fail the run).
    #[arg(long, requires = "changed_since")]
    pub only_changed_lines: bool,
    /// Check only part K of N of the files (for a CI matrix), e.g. `--shard 2/4`.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<Shard>,
    /// Fixes: `--fix`, `--unsafe-fixes`, `--diff`.
    #[command(flatten)]
    pub fix: super::rule::FixArgs,
    /// Check the links the guides cite too (see `guidepress links`).
    #[arg(long)]
    pub links: bool,
    /// Link settings (with `--links`).
    #[command(flatten)]
    pub link_flags: super::links::LinkFlags,
}

/// Runs the check and maps findings to the exit code.
pub fn run(global: &GlobalArgs, args: CheckArgs) -> Result<ExitCode> {
    let workspace = global.open_workspace(args.schema.as_deref())?;
    let mut context = args.output.context(&workspace);
    // Guides not checked but seen by the cross-file rules (`--changed-since`).
    let mut context_targets = Vec::new();
    let mut targets = match &args.changed_since {
        Some(reference) => {
            let changes = ChangeSet::since(&workspace.cwd, reference)?;
            let selection = changes::select(&workspace, &changes)?;
            if global.verbose > 0 {
                eprintln!(
                    "guidepress: {} files changed since {reference} ({}){}",
                    changes.files.len(),
                    &changes.base[..changes.base.len().min(12)],
                    if selection.everything {
                        "; a schema or the configuration changed, so every file is checked"
                    } else {
                        ""
                    }
                );
            }
            context.changed = Some(changes.changed_lines());
            if !selection.everything {
                let chosen: std::collections::HashSet<&std::path::Path> =
                    selection.targets.iter().map(|t| t.path.as_path()).collect();
                context_targets = workspace
                    .targets(&[])?
                    .into_iter()
                    .filter(|t| !chosen.contains(t.path.as_path()))
                    .collect();
            }
            selection.targets
        }
        None => workspace.targets(&args.paths)?,
    };
    if let Some(shard) = args.shard {
        targets = shard.select(targets, &workspace.config.root);
    }
    if global.verbose > 0 {
        eprintln!("guidepress: checking {} files", targets.len());
    }
    let settings = super::rule::settings(&workspace)?;
    if global.verbose > 0 {
        for (files, origin) in guidepress::workspace::schema_origins(&workspace.config) {
            eprintln!("guidepress: schema for {files}: {origin}");
        }
        match &settings.context.data {
            Some(store) => eprintln!("guidepress: official data: {}", store.describe()),
            None => eprintln!("guidepress: official data: off (`[data] enabled = false`)"),
        }
        match &settings.context.projections {
            Some(store) => eprintln!("guidepress: employment projections: {}", store.describe()),
            None => eprintln!(
                "guidepress: employment projections: none (`[data]` is off, or `[data] projections_dir` holds none)"
            ),
        }
    }
    let link_options = args.links.then(|| args.link_flags.options(&workspace));
    let progress = super::links::progress_factory(global);
    let stages = Stages {
        limits: workspace.limits(),
        validate: true,
        rules: Some(&settings),
        links: link_options.as_ref().map(|options| LinkStage {
            options,
            cwd: &workspace.cwd,
            progress: &progress,
        }),
        // Fixes are planned on the whole text.
        keep_values: args.fix.diff || args.fix.wants_fixes(),
    };
    let inputs: Vec<Input> = targets.into_iter().map(Input::from).collect();
    let context_inputs: Vec<Input> = context_targets.into_iter().map(Input::from).collect();
    let mut run = pipeline::run_with_context(&inputs, &context_inputs, &stages)?;
    if args.fix.diff {
        return super::rule::print_diff(&run.report, &args.fix, args.output.fail_level());
    }
    if args.fix.wants_fixes() {
        run = super::rule::fix_until_stable(
            global,
            &workspace,
            &inputs,
            &context_inputs,
            &stages,
            run,
            &args.fix,
        )?;
    }
    let mut report = run.report;
    let fail = args.output.fail_level().fails(report.worst());
    if args.only_changed_lines {
        let changed = context.changed.clone().unwrap_or_default();
        context.hidden = changed.keep_touched(&mut report, &context.path_prefix);
    }
    args.output
        .write(global, &report, &context)
        .context("cannot write the report")?;
    super::links::print_summary(global, run.links.as_ref());
    if context.hidden > 0 && !global.quiet {
        eprintln!(
            "guidepress: {} on lines this change did not touch {} not shown{}",
            report::plural(context.hidden, "finding"),
            if context.hidden == 1 { "is" } else { "are" },
            if fail && !args.output.fail_level().fails(report.worst()) {
                "; the run fails because of them"
            } else {
                ""
            }
        );
    }
    Ok(if fail {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
