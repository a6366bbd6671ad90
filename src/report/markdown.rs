//! `--output-format markdown` (and `--summary PATH`): a summary for people,
//! made for GitHub's job summary. A headline (files checked, errors,
//! warnings, fixable), then a table per file with a row per finding that
//! links to its lines and to the code's documentation. Always smaller than
//! [`MAX_SUMMARY_BYTES`] (GitHub rejects job summaries over 1 MiB): rows that
//! do not fit are counted in a closing note.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::{ReportContext, code_name, located, plural};
use crate::diagnostic::Severity;
use crate::results::CheckReport;

/// The most bytes a summary takes (GitHub's limit is 1 MiB; room is kept for the note).
pub const MAX_SUMMARY_BYTES: usize = 1024 * 1024 - 16 * 1024;

/// Escapes text for a table cell: no line breaks, and `|` escaped everywhere.
/// Code spans (between backticks) are kept as code; outside them, HTML and
/// Markdown emphasis and link characters are escaped.
fn cell(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let text = super::escape::text(&text);
    let balanced = text.matches('`').count() % 2 == 0;
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    for c in text.chars() {
        match c {
            '`' if balanced => {
                in_code = !in_code;
                out.push(c);
            }
            '|' => out.push_str("\\|"),
            '\n' => out.push_str(if in_code { " " } else { "<br>" }),
            _ if in_code => out.push(c),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '`' | '*' | '_' | '[' | ']' | '\\' | '~' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

fn icon(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "❌ error",
        Severity::Warning => "⚠️ warning",
        Severity::Info => "ℹ️ note",
    }
}

fn headline(report: &CheckReport, context: &ReportContext) -> String {
    let counts = report.counts();
    let mut text = String::from("## guidepress check\n\n");
    let status = if counts.errors > 0 {
        "❌"
    } else if counts.warnings > 0 {
        "⚠️"
    } else {
        "✅"
    };
    let _ = writeln!(
        text,
        "{status} **{}** checked: **{}**, **{}**{}, {} fixable{}.",
        plural(counts.files, "file"),
        plural(counts.errors, "error"),
        plural(counts.warnings, "warning"),
        if counts.infos > 0 {
            format!(", {}", plural(counts.infos, "note"))
        } else {
            String::new()
        },
        counts.fixable,
        if counts.unsafe_fixable > 0 {
            format!(" ({} more with `--unsafe-fixes`)", counts.unsafe_fixable)
        } else {
            String::new()
        }
    );
    match (counts.fixable, counts.unsafe_fixable) {
        (0, 0) => {}
        (_, 0) => text.push_str("\nRun `guidepress check --fix` to apply the safe fixes.\n"),
        (0, _) => text.push_str(
            "\nRun `guidepress check --unsafe-fixes` to apply the unsafe fixes (review them: they may change meaning).\n",
        ),
        (_, _) => text.push_str(
            "\nRun `guidepress check --fix` to apply the safe fixes; `--unsafe-fixes` applies the others too (review them: they may change meaning).\n",
        ),
    }
    if context.hidden > 0 {
        let _ = writeln!(
            text,
            "\n{} on lines this change did not touch {} not listed.",
            plural(context.hidden, "finding"),
            if context.hidden == 1 { "is" } else { "are" }
        );
    }
    text
}

pub(super) fn write(
    report: &CheckReport,
    context: &ReportContext,
    out: &mut dyn Write,
) -> io::Result<()> {
    let text = render(report, context, MAX_SUMMARY_BYTES);
    out.write_all(text.as_bytes())
}

/// The summary, at most `limit` bytes plus the truncation note.
pub(super) fn render(report: &CheckReport, context: &ReportContext, limit: usize) -> String {
    let mut text = headline(report, context);
    let total = report.diagnostics().count();
    let mut written = 0usize;
    let mut current_file: Option<String> = None;
    let mut truncated = false;
    for item in located(report) {
        let path = super::escape::text(&item.file.source.display_path()).into_owned();
        let mut chunk = String::new();
        if current_file.as_deref() != Some(path.as_str()) {
            let _ = write!(
                chunk,
                "\n### [`{}`]({})\n\n| Severity | Line | Code | Message |\n|---|---|---|---|\n",
                path.replace('`', "'"),
                link_target(&context.file_link(&path))
            );
        }
        let d = item.diagnostic;
        let lines = if item.end.line > item.start.line {
            format!("{}–{}", item.start.line, item.end.line)
        } else {
            item.start.line.to_string()
        };
        let line = format!(
            "[{lines}]({})",
            link_target(&context.line_link(&path, item.start.line, item.end.line))
        );
        let name = code_name(d.code)
            .map(|n| format!(" {n}"))
            .unwrap_or_default();
        let code = match context.docs_url(d.code) {
            Some(url) => format!("[{}]({}){name}", d.code, link_target(&url)),
            None => format!("{}{name}", d.code),
        };
        let mut message = cell(&d.message);
        if let Some(help) = &d.help {
            let _ = write!(message, "<br>*help:* {}", cell(help));
        }
        if let Some(fix) = &d.fix {
            let _ = write!(message, "<br>*fix:* {}", cell(&fix.message));
        }
        let _ = writeln!(
            chunk,
            "| {} | {line} | {code} | {message} |",
            icon(d.severity)
        );
        if text.len() + chunk.len() > limit {
            truncated = true;
            break;
        }
        text.push_str(&chunk);
        written += 1;
        current_file = Some(path);
    }
    if truncated {
        let _ = writeln!(
            text,
            "\n> **{} not listed** to keep this summary under GitHub's 1 MiB limit. \
             Run `guidepress check` locally or see the code scanning results for every finding.",
            plural(total - written, "more finding")
        );
    }
    text
}

/// A link target safe inside `(…)`.
fn link_target(url: &str) -> String {
    url.replace(' ', "%20")
        .replace('(', "%28")
        .replace(')', "%29")
}
