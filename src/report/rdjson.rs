//! `--output-format rdjson`: reviewdog's diagnostic format
//! (`reviewdog -f=rdjson`), one JSON object with a `diagnostics` list.
//!
//! Positions follow reviewdog: 1-based lines, 1-based columns counted in
//! UTF-8 bytes. Fixes become `suggestions` (each edit's `range` and
//! `text`), which reviewdog posts as suggested changes on the pull request.
//! Unsafe fixes too: a suggested change is read by a person before it is
//! applied (as with `guidepress review`), and the finding's message says
//! what the fix does.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::{ReportContext, located, message_with_help};
use crate::diagnostic::{Severity, Span};
use crate::results::CheckReport;
use crate::source::{PositionEncoding, SourceFile};

fn position(source: &SourceFile, offset: usize) -> Value {
    let at = source.line_column(offset, PositionEncoding::Utf8);
    json!({
        "line": at.line + 1,
        "column": at.column + 1,
    })
}

fn range(source: &SourceFile, span: Span) -> Value {
    json!({
        "start": position(source, span.start),
        "end": position(source, span.end),
    })
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "ERROR",
        Severity::Warning => "WARNING",
        Severity::Info => "INFO",
    }
}

pub(super) fn write(
    report: &CheckReport,
    context: &ReportContext,
    out: &mut dyn Write,
) -> io::Result<()> {
    let diagnostics: Vec<Value> = located(report)
        .map(|item| {
            let d = item.diagnostic;
            let source = &item.file.source;
            let path = source.display_path();
            let suggestions: Vec<Value> = d
                .fix
                .iter()
                .flat_map(|fix| &fix.edits)
                .map(|edit| {
                    json!({
                        "range": range(source, edit.span),
                        "text": edit.replacement,
                    })
                })
                .collect();
            let mut code = json!({ "value": d.code });
            if let Some(url) = context.docs_url(d.code) {
                code["url"] = json!(url);
            }
            let mut diagnostic = json!({
                "message": message_with_help(d),
                "location": {
                    "path": path,
                    "range": range(source, d.span),
                },
                "severity": severity(d.severity),
                "source": { "name": "guidepress" },
                "code": code,
                "original_output": format!(
                    "{path}:{}:{}: {} {}",
                    item.start.line, item.start.column, d.code, d.message
                ),
            });
            if !suggestions.is_empty() {
                diagnostic["suggestions"] = Value::Array(suggestions);
            }
            diagnostic
        })
        .collect();
    let document = json!({
        "source": { "name": "guidepress" },
        "diagnostics": diagnostics,
    });
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}
