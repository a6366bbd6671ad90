//! `--output-format sarif`: SARIF 2.1.0, written as JSON with object keys in
//! alphabetical order (the order is stable, so the output diffs well). The
//! tests validate it against the official SARIF 2.1.0 schema.
//!
//! One run whose `tool.driver.rules` holds every code of the code table (plus
//! any other code the report uses), with name, descriptions, help and default
//! level. Each result has its rule, level, message, a physical location with
//! a repository-relative URI and a 1-based region (columns in Unicode code
//! points, declared by the run's `columnKind`), secondary locations for the
//! labels, a `partialFingerprints` entry that survives edits elsewhere in the
//! file, and `fixes` when the finding has one.

use std::io::{self, Write};

use serde_json::{Map, Value, json};

use super::{Located, ReportContext, located};
use crate::codes::{self, CodeInfo};
use crate::diagnostic::{Severity, Span};
use crate::results::CheckReport;
use crate::source::SourceFile;

const FINGERPRINT: &str = "guidepress/v1";

fn level_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Percent-encodes a relative path for a URI reference (RFC 3986), keeping `/`.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(char::from(byte));
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

fn message(text: impl Into<String>) -> Value {
    json!({ "text": text.into() })
}

fn region(source: &SourceFile, span: Span) -> Value {
    let start = source.position(span.start);
    let end = source.position(span.end);
    json!({
        "startLine": start.line,
        "startColumn": start.column,
        "endLine": end.line,
        "endColumn": end.column,
    })
}

fn artifact(context: &ReportContext, source: &SourceFile) -> Value {
    json!({ "uri": uri(&context.repo_path(&source.display_path())) })
}

fn physical_location(context: &ReportContext, source: &SourceFile, span: Span) -> Value {
    json!({
        "artifactLocation": artifact(context, source),
        "region": region(source, span),
    })
}

fn rule(info: &CodeInfo, context: &ReportContext) -> Value {
    let title = format!("{} {}", info.code, info.name);
    let mut help = format!("{}\n\nguidepress reports this as `{title}`.", info.summary);
    // Fact rules carry full documentation (what, why, example): use it as the help.
    let mut markdown = match crate::rules::rule(info.code) {
        Some(rule) => rule.doc().to_owned(),
        None => format!("**{}** (`{}`): {}", info.code, info.name, info.summary),
    };
    let docs_url = context.docs_url(info.code);
    if let Some(url) = &docs_url {
        help.push_str(&format!(" See {url}."));
        markdown.push_str(&format!("\n\n[Documentation]({url})"));
    }
    let mut rule = json!({
        "id": info.code,
        "name": info.name,
        "shortDescription": { "text": info.summary },
        "fullDescription": { "text": format!("{title}: {}", info.summary) },
        "help": { "text": help, "markdown": markdown },
        "defaultConfiguration": { "level": level_name(info.default_severity) },
    });
    if let Some(url) = docs_url {
        rule["helpUri"] = url.into();
    }
    rule
}

/// A stable hash of what identifies a finding regardless of line numbers:
/// code, file, node (or the trimmed line text when there is none).
fn fingerprint(item: &Located<'_>, path: &str) -> String {
    let d = item.diagnostic;
    let anchor = match &d.pointer {
        Some(pointer) => pointer.clone(),
        None => item
            .file
            .source
            .line_text(item.start.line - 1)
            .trim()
            .to_owned(),
    };
    let key = format!("{}\u{0}{path}\u{0}{anchor}\u{0}{}", d.code, d.message);
    format!("{:016x}", super::stable_hash(key.as_bytes()))
}

fn result(item: &Located<'_>, rule_index: usize, context: &ReportContext) -> Value {
    let d = item.diagnostic;
    let source = &item.file.source;
    let path = context.repo_path(&source.display_path());
    let mut text = d.message.clone();
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let mut result = json!({
        "ruleId": d.code,
        "ruleIndex": rule_index,
        "level": level_name(d.severity),
        "message": message(text),
        "locations": [{ "physicalLocation": physical_location(context, source, d.span) }],
        "partialFingerprints": { FINGERPRINT: fingerprint(item, &path) },
    });
    if !d.labels.is_empty() || !d.external.is_empty() {
        let mut related: Vec<Value> = d
            .labels
            .iter()
            .enumerate()
            .map(|(i, label)| {
                json!({
                    "id": i,
                    "message": message(label.message.clone()),
                    "physicalLocation": physical_location(context, source, label.span),
                })
            })
            .collect();
        // Places in other files (a data row): the file and line.
        for label in &d.external {
            related.push(json!({
                "id": related.len(),
                "message": message(label.message.clone()),
                "physicalLocation": {
                    "artifactLocation": { "uri": uri(&context.repo_path(&label.path)) },
                    "region": { "startLine": label.line },
                },
            }));
        }
        result["relatedLocations"] = related.into();
    }
    if let Some(fix) = &d.fix {
        let replacements: Vec<Value> = fix
            .edits
            .iter()
            .map(|edit| {
                json!({
                    "deletedRegion": region(source, edit.span),
                    "insertedContent": { "text": edit.replacement },
                })
            })
            .collect();
        result["fixes"] = json!([{
            "description": message(fix.message.clone()),
            "artifactChanges": [{
                "artifactLocation": artifact(context, source),
                "replacements": replacements,
            }],
        }]);
    }
    result
}

/// `value` with the keys of every object in alphabetical order.
fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(key, value)| (key, sorted(value)))
                    .collect::<Map<String, Value>>(),
            )
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

pub(super) fn write(
    report: &CheckReport,
    context: &ReportContext,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut infos: Vec<CodeInfo> = codes::all_codes().copied().collect();
    for d in report.diagnostics() {
        if !infos.iter().any(|info| info.code == d.code) {
            infos.push(CodeInfo {
                code: d.code,
                name: d.code,
                summary: "A finding reported by guidepress.",
                default_severity: d.severity,
                fix: d.fix.as_ref().map(|f| f.applicability),
            });
        }
    }
    let rules: Vec<Value> = infos.iter().map(|info| rule(info, context)).collect();
    let results: Vec<Value> = located(report)
        .map(|item| {
            let index = infos
                .iter()
                .position(|info| info.code == item.diagnostic.code)
                .unwrap_or_default();
            result(&item, index, context)
        })
        .collect();
    let log = json!({
        "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "guidepress",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "results": results,
            "columnKind": "unicodeCodePoints",
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &sorted(log))?;
    writeln!(out)
}
