//! `guidepress check`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use guidepress::check;
use guidepress::diagnostic::Severity;
use guidepress::report::OutputFormat;

use super::GlobalArgs;

/// Check guides and authors: YAML, schema, facts.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or folders to check (default: every guide and author under the content roots).
    pub paths: Vec<PathBuf>,
    /// Validate the given files against this JSON Schema instead of the configured ones.
    #[arg(long, value_name = "FILE")]
    pub schema: Option<PathBuf>,
    /// How to print findings.
    #[arg(long = "output-format", alias = "format", value_enum, default_value_t = OutputFormat::Full)]
    pub output_format: OutputFormat,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    #[command(flatten)]
    pub fix: super::rule::FixArgs,
}

/// Runs the check and maps findings to the exit code.
pub fn run(global: &GlobalArgs, args: CheckArgs) -> Result<ExitCode> {
    let workspace = global.open_workspace(args.schema.as_deref())?;
    let targets = workspace.targets(&args.paths)?;
    if global.verbose > 0 {
        eprintln!("guidepress: checking {} files", targets.len());
    }
    let settings = super::rule::settings(&workspace)?;
    let run_check = || {
        let mut report = check::load_and_validate(&targets, workspace.limits());
        guidepress::rules::run(&mut report, &settings);
        report
    };
    let mut report = run_check();
    if args.fix.diff {
        return super::rule::print_diff(&report, &args.fix);
    }
    if args.fix.wants_fixes() {
        report = super::rule::fix_until_stable(global, &workspace, report, &args.fix, run_check)?;
    }
    global.print_report(args.output_format, &report)?;
    let fail_at = if args.deny_warnings {
        Severity::Warning
    } else {
        Severity::Error
    };
    Ok(match report.worst() {
        Some(worst) if worst >= fail_at => ExitCode::from(1),
        _ => ExitCode::SUCCESS,
    })
}
