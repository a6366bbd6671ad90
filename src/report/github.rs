//! `--output-format github`: GitHub Actions workflow commands, which GitHub
//! shows as annotations on the lines of a pull request's diff.
//!
//! `::error file=…,line=…,endLine=…,col=…,endColumn=…,title=…::message`, with
//! `warning` and `notice` for the other severities. GitHub keeps at most
//! [`ANNOTATIONS_PER_TYPE`] annotations of each type per step (and 50 per
//! job), dropping the rest silently; so the most important findings go first
//! (errors, then warnings, then notes; within each, findings on changed lines
//! first), and what does not fit is counted in one closing notice that says
//! where to see everything.

use std::io::{self, Write};

use super::{Located, ReportContext, ReportOptions, code_name, full::summary, located, plural};
use crate::diagnostic::Severity;
use crate::results::CheckReport;

/// Annotations GitHub shows per type (error, warning, notice) per step.
pub const ANNOTATIONS_PER_TYPE: usize = 10;

/// Escapes the message of a workflow command: `%`, CR and LF, and other
/// control characters made visible (see [`super::escape`]).
pub fn escape_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push_str(&super::escape::text(c.encode_utf8(&mut [0; 4]))),
        }
    }
    out
}

/// Escapes a property value of a workflow command: as [`escape_data`], plus `:` and `,`.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

fn annotation(item: &Located<'_>, context: &ReportContext) -> String {
    let d = item.diagnostic;
    // GitHub wants the path from the repository root, wherever the tool runs.
    let path = context.repo_path(&item.file.source.display_path());
    let mut properties = vec![
        format!("file={}", escape_property(&path)),
        format!("line={}", item.start.line),
        format!("endLine={}", item.end.line.max(item.start.line)),
    ];
    // GitHub drops an annotation whose columns span several lines. Its
    // `endColumn` is the last column covered (ours is the one after it).
    if item.end.line == item.start.line {
        properties.push(format!("col={}", item.start.column));
        properties.push(format!(
            "endColumn={}",
            item.end.column.saturating_sub(1).max(item.start.column)
        ));
    }
    let title = match code_name(d.code) {
        Some(name) => format!("{} {name}", d.code),
        None => d.code.to_owned(),
    };
    properties.push(format!("title={}", escape_property(&title)));
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    if let Some(fix) = &d.fix {
        message.push_str("\nfix: ");
        message.push_str(&fix.message);
    }
    format!(
        "::{} {}::{}",
        command(d.severity),
        properties.join(","),
        escape_data(&message)
    )
}

pub(super) fn write(
    report: &CheckReport,
    options: &ReportOptions,
    context: &ReportContext,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut items: Vec<(usize, Located<'_>)> = located(report).enumerate().collect();
    // Stable: keeps file and position order within each rank.
    items.sort_by_key(|(index, item)| {
        (
            super::severity_rank(item.diagnostic.severity),
            !context.on_changed_lines(item),
            *index,
        )
    });
    let count = |severity| {
        items
            .iter()
            .filter(|(_, item)| item.diagnostic.severity == severity)
            .count()
    };
    let overflow: usize = [Severity::Error, Severity::Warning, Severity::Info]
        .into_iter()
        .map(|severity| count(severity).saturating_sub(ANNOTATIONS_PER_TYPE))
        .sum();
    // The closing notice takes one notice slot.
    let notice_budget = if overflow + context.hidden > 0 {
        ANNOTATIONS_PER_TYPE - 1
    } else {
        ANNOTATIONS_PER_TYPE
    };
    let mut shown = [0usize; 3];
    for (_, item) in &items {
        let severity = item.diagnostic.severity;
        let budget = if severity == Severity::Info {
            notice_budget
        } else {
            ANNOTATIONS_PER_TYPE
        };
        let slot = &mut shown[usize::from(super::severity_rank(severity))];
        if *slot < budget {
            *slot += 1;
            writeln!(out, "{}", annotation(item, context))?;
        }
    }
    let not_annotated = items.len() - shown.iter().sum::<usize>();
    if not_annotated + context.hidden > 0 {
        let mut parts = Vec::new();
        if not_annotated > 0 {
            parts.push(format!(
                "{} not shown as annotations (GitHub shows at most {ANNOTATIONS_PER_TYPE} of each kind per step)",
                plural(not_annotated, "more finding")
            ));
        }
        if context.hidden > 0 {
            parts.push(format!(
                "{} on lines this change did not touch",
                plural(context.hidden, "finding")
            ));
        }
        let message = format!(
            "{}. See every finding in the job summary and the code scanning results, or run `guidepress check` locally.",
            parts.join("; ")
        );
        writeln!(
            out,
            "::notice title={}::{}",
            escape_property("guidepress: more findings"),
            escape_data(&message)
        )?;
    }
    if !options.quiet {
        writeln!(out, "{}", summary(report))?;
    }
    Ok(())
}
