//! How a publish run is shown: a plain table for terminals and CI logs, JSON
//! for programs, Markdown for a CI job summary.

use std::io::{self, Write};

use serde_json::Value;

use super::PublishReport;
use super::plan::{Action, Outcome, PlanEntry, counts};

/// Longest value shown in a `--diff` line.
const DIFF_WIDTH: usize = 120;

fn detail(entry: &PlanEntry) -> String {
    let mut parts = Vec::new();
    if let Some(reason) = &entry.reason {
        parts.push(reason.clone());
    }
    if !entry.fields.is_empty() {
        parts.push(format!("fields: {}", entry.fields.join(", ")));
    }
    if parts.is_empty() {
        parts.extend(entry.path.clone());
    }
    parts.join("; ")
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= DIFF_WIDTH {
        text
    } else {
        let cut: String = text.chars().take(DIFF_WIDTH).collect();
        format!("{cut}…")
    }
}

/// "2 create, 1 unchanged, 1 blocked".
pub fn summary(entries: &[PlanEntry]) -> String {
    let counts = counts(entries);
    if counts.is_empty() {
        return "nothing to publish".into();
    }
    counts
        .iter()
        .map(|(action, n)| format!("{n} {}", action.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The plan as a table: one line per guide, `--diff` lines under updates and conflicts.
pub fn write_plan_table(entries: &[PlanEntry], diff: bool, out: &mut dyn Write) -> io::Result<()> {
    let width = entries
        .iter()
        .map(|e| e.slug.len())
        .max()
        .unwrap_or(4)
        .max(4);
    writeln!(out, "{:<9}  {:<width$}  DETAIL", "ACTION", "SLUG")?;
    for entry in entries {
        let action = if entry.forced {
            format!("{}!", entry.action.as_str())
        } else {
            entry.action.as_str().to_owned()
        };
        writeln!(
            out,
            "{action:<9}  {:<width$}  {}",
            entry.slug,
            detail(entry)
        )?;
        if diff {
            for change in &entry.diff {
                writeln!(out, "{:>9}  {:<width$}    {}:", "", "", change.field)?;
                writeln!(
                    out,
                    "{:>9}  {:<width$}      - cms:  {}",
                    "",
                    "",
                    short(&change.cms)
                )?;
                writeln!(
                    out,
                    "{:>9}  {:<width$}      + repo: {}",
                    "",
                    "",
                    short(&change.repo)
                )?;
            }
        }
    }
    writeln!(out, "plan: {}", summary(entries))
}

fn outcome_text(entry: &PlanEntry) -> &'static str {
    match entry.outcome {
        Some(Outcome::Done) => "done",
        Some(Outcome::AlreadyDone) => "already done",
        Some(Outcome::Conflict) => "conflict",
        Some(Outcome::Failed) => "FAILED",
        Some(Outcome::Skipped) => "skipped",
        None => "",
    }
}

/// After the run: what happened to every write, failures and the totals.
pub fn write_results_table(report: &PublishReport, out: &mut dyn Write) -> io::Result<()> {
    let mut written = 0;
    let mut failed = 0;
    for entry in report.entries.iter().filter(|e| e.outcome.is_some()) {
        match entry.outcome {
            Some(Outcome::Done) => written += 1,
            Some(Outcome::AlreadyDone) => {}
            _ => failed += 1,
        }
        if !matches!(entry.outcome, Some(Outcome::Done | Outcome::AlreadyDone)) {
            writeln!(
                out,
                "{:<9}  {}  {}",
                outcome_text(entry),
                entry.slug,
                entry.message.as_deref().unwrap_or("")
            )?;
        }
    }
    if let Some(fatal) = &report.fatal {
        writeln!(out, "stopped: {fatal}")?;
    }
    let conflicts = report
        .entries
        .iter()
        .filter(|e| e.action == Action::Conflict)
        .count();
    writeln!(
        out,
        "{}: {written} written, {failed} failed, {conflicts} conflicts in the plan; {} requests ({} reads, {} writes) in {:.1} s",
        if report.dry_run {
            "dry run"
        } else {
            "published"
        },
        report.reads + report.writes,
        report.reads,
        report.writes,
        report.seconds
    )
}

/// The whole report as pretty JSON.
pub fn write_json(report: &PublishReport, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    writeln!(out)
}

fn md_cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// A Markdown job summary: the totals, then a table of everything but the unchanged.
pub fn write_markdown(report: &PublishReport, out: &mut dyn Write) -> io::Result<()> {
    let mode = match (report.dry_run, report.draft) {
        (true, _) => " (dry run)",
        (false, true) => " (drafts only)",
        _ => "",
    };
    writeln!(out, "### Publish to the CMS{mode}\n")?;
    writeln!(out, "**Plan:** {}  ", summary(&report.entries))?;
    writeln!(
        out,
        "**Requests:** {} reads, {} writes in {:.1} s\n",
        report.reads, report.writes, report.seconds
    )?;
    if let Some(fatal) = &report.fatal {
        writeln!(out, "> **Stopped:** {}\n", md_cell(fatal))?;
    }
    let shown: Vec<&PlanEntry> = report
        .entries
        .iter()
        .filter(|e| e.action != Action::Unchanged)
        .collect();
    if shown.is_empty() {
        return writeln!(out, "Every approved guide is up to date.");
    }
    writeln!(out, "| action | guide | result | detail |")?;
    writeln!(out, "|---|---|---|---|")?;
    for entry in shown {
        let detail = match &entry.message {
            Some(message) => format!("{}; {message}", detail(entry)),
            None => detail(entry),
        };
        writeln!(
            out,
            "| {}{} | `{}` | {} | {} |",
            entry.action.as_str(),
            if entry.forced { " (forced)" } else { "" },
            entry.slug,
            outcome_text(entry),
            md_cell(&detail)
        )?;
    }
    Ok(())
}
