//! `--output-format sarif`: SARIF 2.1.0, built with the `serde-sarif` types.
//!
//! One run whose `tool.driver.rules` holds every code of the code table (plus
//! any other code the report uses), with name, descriptions, help and default
//! level. Each result has its rule, level, message, a physical location with
//! a repository-relative URI and a 1-based region (columns in Unicode code
//! points, declared by the run's `columnKind`), secondary locations for the
//! labels, a `partialFingerprints` entry that survives edits elsewhere in the
//! file, and `fixes` when the finding has one.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::json;
use serde_sarif::sarif;

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

fn result_level(severity: Severity) -> sarif::ResultLevel {
    match severity {
        Severity::Error => sarif::ResultLevel::Error,
        Severity::Warning => sarif::ResultLevel::Warning,
        Severity::Info => sarif::ResultLevel::Note,
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

fn message(text: impl Into<String>) -> sarif::Message {
    sarif::Message::builder().text(text.into()).build()
}

fn text(text: impl Into<String>) -> sarif::MultiformatMessageString {
    sarif::MultiformatMessageString::builder()
        .text(text.into())
        .build()
}

fn region(source: &SourceFile, span: Span) -> sarif::Region {
    let start = source.position(span.start);
    let end = source.position(span.end);
    sarif::Region::builder()
        .start_line(start.line as i64)
        .start_column(start.column as i64)
        .end_line(end.line as i64)
        .end_column(end.column as i64)
        .build()
}

fn artifact(context: &ReportContext, source: &SourceFile) -> sarif::ArtifactLocation {
    sarif::ArtifactLocation::builder()
        .uri(uri(&context.repo_path(&source.display_path())))
        .build()
}

fn rule(info: &CodeInfo, context: &ReportContext) -> sarif::ReportingDescriptor {
    let title = format!("{} {}", info.code, info.name);
    let mut help = format!("{}\n\nguidepress reports this as `{title}`.", info.summary);
    // Fact rules carry full documentation (what, why, example): use it as the help.
    let mut markdown = match crate::rules::rule(info.code) {
        Some(rule) => rule.doc().to_owned(),
        None => format!("**{}** (`{}`): {}", info.code, info.name, info.summary),
    };
    if let Some(url) = context.docs_url(info.code) {
        help.push_str(&format!(" See {url}."));
        markdown.push_str(&format!("\n\n[Documentation]({url})"));
    }
    let builder = sarif::ReportingDescriptor::builder()
        .id(info.code)
        .name(info.name)
        .short_description(text(info.summary))
        .full_description(text(format!("{title}: {}", info.summary)))
        .help(
            sarif::MultiformatMessageString::builder()
                .text(help)
                .markdown(markdown)
                .build(),
        )
        .default_configuration(
            sarif::ReportingConfiguration::builder()
                .level(json!(level_name(info.default_severity)))
                .build(),
        );
    match context.docs_url(info.code) {
        Some(url) => builder.help_uri(url).build(),
        None => builder.build(),
    }
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

fn result(item: &Located<'_>, rule_index: usize, context: &ReportContext) -> sarif::Result {
    let d = item.diagnostic;
    let source = &item.file.source;
    let path = context.repo_path(&source.display_path());
    let location = sarif::Location::builder()
        .physical_location(
            sarif::PhysicalLocation::builder()
                .artifact_location(artifact(context, source))
                .region(region(source, d.span))
                .build(),
        )
        .build();
    let mut related: Vec<sarif::Location> = d
        .labels
        .iter()
        .enumerate()
        .map(|(i, label)| {
            sarif::Location::builder()
                .id(i as i64)
                .message(message(label.message.clone()))
                .physical_location(
                    sarif::PhysicalLocation::builder()
                        .artifact_location(artifact(context, source))
                        .region(region(source, label.span))
                        .build(),
                )
                .build()
        })
        .collect();
    for label in &d.external {
        related.push(
            sarif::Location::builder()
                .id(related.len() as i64)
                .message(message(label.message.clone()))
                .physical_location(
                    sarif::PhysicalLocation::builder()
                        .artifact_location(
                            sarif::ArtifactLocation::builder()
                                .uri(uri(&context.repo_path(&label.path)))
                                .build(),
                        )
                        .region(
                            sarif::Region::builder()
                                .start_line(label.line as i64)
                                .build(),
                        )
                        .build(),
                )
                .build(),
        );
    }
    let fixes: Vec<sarif::Fix> = d
        .fix
        .iter()
        .map(|fix| {
            let replacements: Vec<sarif::Replacement> = fix
                .edits
                .iter()
                .map(|edit| {
                    sarif::Replacement::builder()
                        .deleted_region(region(source, edit.span))
                        .inserted_content(
                            sarif::ArtifactContent::builder()
                                .text(edit.replacement.clone())
                                .build(),
                        )
                        .build()
                })
                .collect();
            sarif::Fix::builder()
                .description(message(fix.message.clone()))
                .artifact_changes(vec![
                    sarif::ArtifactChange::builder()
                        .artifact_location(artifact(context, source))
                        .replacements(replacements)
                        .build(),
                ])
                .build()
        })
        .collect();
    let mut text = d.message.clone();
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let fingerprints = BTreeMap::from([(FINGERPRINT.to_owned(), fingerprint(item, &path))]);
    let builder = sarif::Result::builder()
        .rule_id(d.code)
        .rule_index(rule_index as i64)
        .level(result_level(d.severity))
        .message(message(text))
        .locations(vec![location])
        .partial_fingerprints(fingerprints);
    match (related.is_empty(), fixes.is_empty()) {
        (true, true) => builder.build(),
        (false, true) => builder.related_locations(related).build(),
        (true, false) => builder.fixes(fixes).build(),
        (false, false) => builder.related_locations(related).fixes(fixes).build(),
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
            });
        }
    }
    let rules: Vec<sarif::ReportingDescriptor> =
        infos.iter().map(|info| rule(info, context)).collect();
    let results: Vec<sarif::Result> = located(report)
        .map(|item| {
            let index = infos
                .iter()
                .position(|info| info.code == item.diagnostic.code)
                .unwrap_or_default();
            result(&item, index, context)
        })
        .collect();
    let driver = sarif::ToolComponent::builder()
        .name("guidepress")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .rules(rules)
        .build();
    let run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .results(results)
        .column_kind(json!("unicodeCodePoints"))
        .build();
    let log = sarif::Sarif::builder()
        .schema("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build();
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}
