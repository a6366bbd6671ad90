//! `guidepress rule CODE`, `guidepress rules`, and the fix flags of `check`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;
use guidepress::codes;
use guidepress::diagnostic::{Diagnostic, Severity};
use guidepress::docs;
use guidepress::fix;
use guidepress::pipeline::{self, Input, Run, Stages};
use guidepress::report::ReportContext;
use guidepress::results::CheckReport;
use guidepress::rules::{Date, RuleSettings};
use guidepress::text::plural;
use guidepress::workspace::Workspace;

use super::GlobalArgs;
use super::output::FailLevel;

/// `guidepress rule CODE`.
#[derive(Debug, Args)]
pub struct RuleArgs {
    /// A rule code (`GP301`) or name (`salary-vs-national`).
    pub code: String,
}

/// `guidepress rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// The fix flags of `check`.
#[derive(Debug, Args)]
pub struct FixArgs {
    /// Apply every safe fix, then report what remains.
    #[arg(long)]
    pub fix: bool,
    /// Apply unsafe fixes too (implies `--fix`).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the fixes as a unified diff instead of writing them (exit 1 when there is any).
    #[arg(long)]
    pub diff: bool,
}

impl FixArgs {
    /// True when files are to be fixed.
    pub fn wants_fixes(&self) -> bool {
        self.fix || self.unsafe_fixes
    }
}

/// The rule settings for `workspace`, with today's date from `GUIDEPRESS_TODAY`
/// (`YYYY-MM-DD`) or the system clock (UTC).
pub fn settings(workspace: &Workspace) -> Result<RuleSettings> {
    let today = Date::today_from_env().map_err(anyhow::Error::msg)?;
    Ok(workspace.config.rule_settings(&workspace.cwd, today)?)
}

/// Prints the diff of every applicable fix. Exit 1 when there is one, or
/// when findings at the fail level remain that the diff does not fix.
pub fn print_diff(report: &CheckReport, args: &FixArgs, fail_level: FailLevel) -> Result<ExitCode> {
    let planned = fix::plan(report, args.unsafe_fixes);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for file in &planned {
        write!(out, "{}", fix::unified_diff(file))?;
    }
    out.flush()?;
    let fixes: usize = planned.iter().map(|f| f.fixes).sum();
    let remaining: Vec<&Diagnostic> = report
        .diagnostics()
        .filter(|d| fail_level.fails(Some(d.severity)))
        .filter(|d| {
            !d.fix
                .as_ref()
                .is_some_and(|f| fix::allowed(f, args.unsafe_fixes))
        })
        .collect();
    // What remains, by what would resolve it: an unsafe fix not asked for, or nothing.
    let (unsafe_only, unfixable): (Vec<&Diagnostic>, Vec<&Diagnostic>) =
        remaining.iter().partition(|d| d.fix.is_some());
    let mut parts = Vec::new();
    if !unsafe_only.is_empty() {
        parts.push(format!(
            "{} that --unsafe-fixes would fix",
            findings_remain(&unsafe_only)
        ));
    }
    if !unfixable.is_empty() {
        parts.push(format!(
            "{} that no fix resolves",
            findings_remain(&unfixable)
        ));
    }
    let remain = if parts.is_empty() {
        String::new()
    } else {
        format!(
            "; {} (run `guidepress check` to see {})",
            parts.join(", "),
            if remaining.len() == 1 { "it" } else { "them" }
        )
    };
    if fixes == 0 {
        eprintln!("Nothing to fix{remain}.{}", hidden_fixes(report, args));
    } else {
        eprintln!(
            "Would fix {} in {}{remain}.{}",
            plural(fixes, "finding"),
            plural(planned.len(), "file"),
            hidden_fixes(report, args)
        );
    }
    Ok(if fixes > 0 || !remaining.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// "6 errors remain", "1 finding remains" (errors when all of them are).
fn findings_remain(found: &[&Diagnostic]) -> String {
    let errors = found
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let text = if errors == found.len() {
        plural(errors, "error")
    } else {
        plural(found.len(), "finding")
    };
    let verb = if found.len() == 1 {
        "remains"
    } else {
        "remain"
    };
    format!("{text} {verb}")
}

/// " 2 more fixes are available with --unsafe-fixes." when unsafe fixes are
/// not applied and some exist; else "".
fn hidden_fixes(report: &CheckReport, args: &FixArgs) -> String {
    if args.unsafe_fixes {
        return String::new();
    }
    let hidden = report.counts().unsafe_fixable;
    match hidden {
        0 => String::new(),
        1 => " 1 more fix is available with --unsafe-fixes.".to_owned(),
        n => format!(" {n} more fixes are available with --unsafe-fixes."),
    }
}

/// Applies fixes, re-running the stages after each round until nothing more
/// applies, and says what was fixed. Returns the last run.
pub fn fix_until_stable(
    global: &GlobalArgs,
    workspace: &Workspace,
    inputs: &[Input],
    context: &[Input],
    stages: &Stages<'_>,
    first: Run,
    args: &FixArgs,
) -> Result<Run> {
    let outcome = pipeline::fix_until_stable(
        inputs,
        context,
        stages,
        first,
        args.unsafe_fixes,
        &workspace.cwd,
        |file| {
            if global.verbose > 0 {
                eprintln!(
                    "guidepress: fixed {} in {}",
                    plural(file.fixes, "finding"),
                    file.display.display()
                );
            }
        },
    )?;
    if outcome.fixed > 0 {
        eprintln!(
            "Fixed {} in {}.{}",
            plural(outcome.fixed, "finding"),
            plural(outcome.files.len(), "file"),
            hidden_fixes(&outcome.run.report, args)
        );
    } else if !global.quiet {
        eprintln!("Nothing to fix.{}", hidden_fixes(&outcome.run.report, args));
    }
    Ok(outcome.run)
}

/// `guidepress rule CODE`: prints the code's documentation and where its
/// page is (`[output] docs_url`, by default the documentation site).
pub fn run_rule(global: &GlobalArgs, args: &RuleArgs) -> Result<ExitCode> {
    let Some(info) = codes::lookup(&args.code) else {
        bail!(
            "no code `{}`; `guidepress rules` lists every code",
            args.code
        );
    };
    // Outside a repository, or with a configuration that does not load, the
    // default link still applies: the documentation needs no configuration.
    let context = ReportContext {
        docs_url: global
            .load_config()
            .ok()
            .and_then(|(loaded, _)| loaded.config.output.docs_url),
        ..ReportContext::default()
    };
    let mut out = std::io::stdout().lock();
    match docs::rules::documentation(info.code) {
        Some(doc) => writeln!(out, "{}", doc.trim_end())?,
        None => {
            writeln!(out, "# {} `{}`", info.code, info.name)?;
            writeln!(out)?;
            writeln!(out, "{}", info.summary)?;
        }
    }
    writeln!(out)?;
    writeln!(
        out,
        "Default severity: {}. Fix: {}.",
        info.default_severity.as_str(),
        fix_kind(info.code).unwrap_or("none")
    )?;
    if let Some(url) = context.docs_url(info.code) {
        writeln!(out, "Documentation: {url}")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// "safe" or "unsafe" when findings of `code` carry a fix of that kind (the
/// code table's `fix` column).
fn fix_kind(code: &str) -> Option<&'static str> {
    docs::rules::fix_kind(codes::lookup(code)?)
}

/// `guidepress rules`: every code with its name, default severity and the kind of fix it can carry.
pub fn run_rules(args: &RulesArgs) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    if args.json {
        let rows: Vec<serde_json::Value> = codes::all_codes()
            .map(|info| {
                serde_json::json!({
                    "code": info.code,
                    "name": info.name,
                    "severity": info.default_severity,
                    "fix": fix_kind(info.code),
                    "summary": info.summary,
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &rows)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let width = codes::all_codes().map(|i| i.name.len()).max().unwrap_or(0);
    writeln!(
        out,
        "{:<6} {:<width$} {:<8} {:<6} SUMMARY",
        "CODE", "NAME", "SEVERITY", "FIX"
    )?;
    for info in codes::all_codes() {
        writeln!(
            out,
            "{:<6} {:<width$} {:<8} {:<6} {}",
            info.code,
            info.name,
            info.default_severity.as_str(),
            fix_kind(info.code).unwrap_or(""),
            info.summary
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
