//! How a publish run is shown: a plain table for terminals and CI logs, JSON
//! for programs, Markdown for a CI job summary. Every slug, path, field,
//! value and message (from guides or the CMS's answers) is shown on one line
//! with its control characters escaped ([`escape::line`]): a slug holding a
//! line break and `::error` cannot start a workflow command in a CI log.

use std::io::{self, Write};

use serde_json::Value;

use super::PublishReport;
use super::plan::{Action, Outcome, PlanEntry, counts};
use crate::escape;
use crate::text::plural;

/// Longest value shown in a `--diff` line.
const DIFF_WIDTH: usize = 120;

/// The detail column, escaped.
fn detail(entry: &PlanEntry) -> String {
    escape::line(&raw_detail(entry)).into_owned()
}

fn raw_detail(entry: &PlanEntry) -> String {
    let mut parts = Vec::new();
    match (&entry.reason, &entry.path) {
        // A blocked guide names its file: that is where the fix goes.
        (Some(reason), Some(path)) if entry.action == Action::Blocked => {
            parts.push(format!("{path}: {reason}"));
        }
        (Some(reason), _) => parts.push(reason.clone()),
        (None, _) => {}
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
    let text = escape::line(&value.to_string()).into_owned();
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
    let slugs: Vec<String> = entries
        .iter()
        .map(|e| escape::line(&e.slug).into_owned())
        .collect();
    let width = slugs
        .iter()
        .map(|slug| slug.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    writeln!(out, "{:<9}  {:<width$}  DETAIL", "ACTION", "SLUG")?;
    for (entry, slug) in entries.iter().zip(&slugs) {
        let action = if entry.forced {
            format!("{}!", entry.action.as_str())
        } else {
            entry.action.as_str().to_owned()
        };
        writeln!(out, "{action:<9}  {slug:<width$}  {}", detail(entry))?;
        if diff {
            for change in &entry.diff {
                writeln!(
                    out,
                    "{:>9}  {:<width$}    {}:",
                    "",
                    "",
                    escape::line(&change.field)
                )?;
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
    // Conflicts in the plan, and those found on the re-read just before a write.
    let mut conflicts = report
        .entries
        .iter()
        .filter(|e| e.action == Action::Conflict)
        .count();
    for entry in report.entries.iter().filter(|e| e.outcome.is_some()) {
        match entry.outcome {
            Some(Outcome::Done) => written += 1,
            Some(Outcome::AlreadyDone) => {}
            Some(Outcome::Conflict) => conflicts += 1,
            _ => failed += 1,
        }
        if !matches!(entry.outcome, Some(Outcome::Done | Outcome::AlreadyDone)) {
            writeln!(
                out,
                "{:<9}  {}  {}",
                outcome_text(entry),
                escape::line(&entry.slug),
                escape::line(entry.message.as_deref().unwrap_or(""))
            )?;
        }
    }
    if let Some(fatal) = &report.fatal {
        writeln!(out, "stopped: {}", escape::line(fatal))?;
    }
    writeln!(
        out,
        "{}: {written} written, {failed} failed, {}; {} ({}, {}) in {:.1} s",
        if report.dry_run {
            "dry run"
        } else {
            "published"
        },
        plural(conflicts, "conflict"),
        plural(report.reads + report.writes, "request"),
        plural(report.reads, "read"),
        plural(report.writes, "write"),
        report.seconds
    )
}

/// The whole report as pretty JSON.
pub fn write_json(report: &PublishReport, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    writeln!(out)
}

/// Text for a Markdown table cell: on one line, control characters escaped,
/// `|` and HTML escaped.
fn md_cell(text: &str) -> String {
    let text = text.replace("\r\n", " ").replace(['\n', '\r'], " ");
    escape::line(&text)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
}

/// A slug as a code span in a table cell (plain text if it holds a backtick).
fn md_code(text: &str) -> String {
    if text.contains('`') {
        md_cell(text)
    } else {
        format!("`{}`", escape::line(text).replace('|', "\\|"))
    }
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
        "**Requests:** {}, {} in {:.1} s\n",
        plural(report.reads, "read"),
        plural(report.writes, "write"),
        report.seconds
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
            Some(message) => format!("{}; {message}", raw_detail(entry)),
            None => raw_detail(entry),
        };
        writeln!(
            out,
            "| {}{} | {} | {} | {} |",
            entry.action.as_str(),
            if entry.forced { " (forced)" } else { "" },
            md_code(&entry.slug),
            outcome_text(entry),
            md_cell(&detail)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(entries: Vec<PlanEntry>, reads: usize, writes: usize) -> PublishReport {
        PublishReport {
            cms: "http://127.0.0.1:1337".into(),
            dry_run: false,
            draft: false,
            entries,
            reads,
            writes,
            seconds: 0.0,
            fatal: None,
        }
    }

    fn text(write: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> String {
        let mut out = Vec::new();
        write(&mut out).expect("write");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn a_conflict_found_on_the_re_read_is_counted_as_a_conflict() {
        let mut edited = PlanEntry::new("a", Some("content/guides/a.yaml"), Action::Update);
        edited.outcome = Some(Outcome::Conflict);
        edited.message = Some("edited in the CMS since the plan".into());
        let out = text(|out| write_results_table(&report(vec![edited], 1, 0), out));
        assert!(
            out.ends_with(
                "published: 0 written, 0 failed, 1 conflict; 1 request (1 read, 0 writes) in 0.0 s\n"
            ),
            "{out}"
        );
    }

    #[test]
    fn text_from_guides_and_the_cms_stays_on_its_line_with_controls_escaped() {
        let slug = "a\n::error title=Injected::owned\u{1b}[2J";
        let mut blocked = PlanEntry::new(slug, Some("content/guides/a\rb.yaml"), Action::Blocked);
        blocked.reason = Some("bad\n::warning::x".into());
        let mut update =
            PlanEntry::new("b\u{202e}c", Some("content/guides/b.yaml"), Action::Update);
        update.fields = vec!["title\n::error::f".into()];
        update.diff = vec![super::super::plan::FieldDiff {
            field: "title\n::error::d".into(),
            cms: Value::String("x\u{9b}31m".into()),
            repo: Value::String("y".into()),
        }];
        update.outcome = Some(Outcome::Failed);
        update.message = Some("CMS said\n::error::m\u{7}".into());
        let mut report = report(vec![blocked, update], 1, 1);
        report.fatal = Some("stopped\n::error::s".into());
        let outputs = [
            text(|out| write_plan_table(&report.entries, true, out)),
            text(|out| write_results_table(&report, out)),
            text(|out| write_markdown(&report, out)),
        ];
        for out in &outputs {
            for line in out.lines() {
                assert!(!line.trim_start().starts_with("::"), "{line:?} in {out}");
            }
            assert!(
                !out.chars()
                    .any(|c| crate::escape::is_unsafe(c) || c == '\r'),
                "{out:?}"
            );
        }
        assert!(
            outputs[0].contains("a\\x0A::error title=Injected::owned\\x1B[2J"),
            "{}",
            outputs[0]
        );
        assert!(outputs[0].contains("b\\u{202E}c"), "{}", outputs[0]);
        assert!(outputs[0].contains("x\\u{9B}31m"), "{}", outputs[0]);
        assert!(
            outputs[1].contains("CMS said\\x0A::error::m\\x07"),
            "{}",
            outputs[1]
        );
        assert!(
            outputs[1].contains("stopped: stopped\\x0A::error::s"),
            "{}",
            outputs[1]
        );
        assert!(outputs[2].contains("bad ::warning::x"), "{}", outputs[2]);
    }

    #[test]
    fn blocked_rows_name_their_file() {
        let mut blocked = PlanEntry::new("a", Some("content/guides/a.yaml"), Action::Blocked);
        blocked.reason = Some("2 errors".into());
        let out = text(|out| write_plan_table(&[blocked], false, out));
        assert!(
            out.contains("blocked    a     content/guides/a.yaml: 2 errors"),
            "{out}"
        );
    }
}
