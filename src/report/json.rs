//! `--output-format json`: one JSON array of findings, in output order.
//!
//! Each finding: `code`, `severity`, `message`, `help`, `file`, `pointer`,
//! `start`/`end` (1-based line, 1-based column in characters) and `fix`
//! (`null`, or its message, applicability and edits with positions); a
//! finding that points at a line of another file (a data row) adds
//! `related`: `[{path, line, message}]`.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::{Located, located};
use crate::results::CheckReport;

/// Writes the array a finding at a time (as `serde_json`'s pretty printer
/// would write it whole), so memory does not grow with the findings.
pub(super) fn write(report: &CheckReport, out: &mut dyn Write) -> io::Result<()> {
    let mut first = true;
    for item in located(report) {
        out.write_all(if first { b"[\n" } else { b",\n" })?;
        first = false;
        // Strings are escaped on one line: indenting every line nests the object.
        let text = serde_json::to_string_pretty(&finding(&item))?;
        for (i, line) in text.lines().enumerate() {
            if i > 0 {
                out.write_all(b"\n")?;
            }
            write!(out, "  {line}")?;
        }
    }
    out.write_all(if first { b"[]\n" } else { b"\n]\n" })
}

/// One finding as a JSON object (shared with `json-lines`).
pub(super) fn finding(item: &Located<'_>) -> Value {
    let d = item.diagnostic;
    let source = &item.file.source;
    let fix = d.fix.as_ref().map(|fix| {
        json!({
            "message": fix.message,
            "applicability": fix.applicability,
            "edits": fix.edits.iter().map(|edit| json!({
                "start": source.position(edit.span.start),
                "end": source.position(edit.span.end),
                "content": edit.replacement,
            })).collect::<Vec<_>>(),
        })
    });
    let mut value = json!({
        "code": d.code,
        "severity": d.severity,
        "message": d.message,
        "help": d.help,
        "file": source.display_path(),
        "pointer": d.pointer,
        "start": item.start,
        "end": item.end,
        "fix": fix,
    });
    if !d.external.is_empty() {
        // Only when there is one, so findings without keep their shape.
        value["related"] = json!(d.external);
    }
    value
}
