//! One snapshot per output format, of the real report on `tests/fixtures/formats/`:
//! errors and a warning, a multi-line span, non-ASCII text, a path with a comma
//! and a space, messages with `%`, `:`, `,`, `<`, `&` and quotes, and a fix.

use crate::common;

use guidepress::report::{self, OutputFormat, ReportContext, ReportOptions, RepositoryLinks};

fn render(format: OutputFormat, context: &ReportContext) -> String {
    let report = common::fixture_report();
    let mut out = Vec::new();
    report::write_report_with(
        format,
        &report,
        &ReportOptions {
            color: false,
            quiet: false,
            width: Some(100),
        },
        context,
        &mut out,
    )
    .expect("writing to memory");
    String::from_utf8(out).expect("UTF-8 output")
}

fn plain(format: OutputFormat) -> String {
    render(format, &ReportContext::default())
}

fn on_github() -> ReportContext {
    ReportContext {
        repository: Some(RepositoryLinks {
            server: "https://github.com".into(),
            repository: "acme/guides".into(),
            sha: "0123456789abcdef".into(),
        }),
        ..ReportContext::default()
    }
}

#[test]
fn fixture_has_what_the_snapshots_need() {
    let report = common::fixture_report();
    let counts = report.counts();
    assert!(counts.errors >= 3, "{counts:?}");
    assert!(counts.warnings >= 1, "{counts:?}");
    assert_eq!(counts.fixable, 1);
    let multi_line = report.files.iter().any(|f| {
        f.diagnostics
            .iter()
            .any(|d| f.source.position(d.span.start).line != f.source.position(d.span.end).line)
    });
    assert!(multi_line, "a finding spans several lines");
}

#[test]
fn full() {
    insta::assert_snapshot!(plain(OutputFormat::Full));
}

#[test]
fn concise() {
    insta::assert_snapshot!(plain(OutputFormat::Concise));
}

#[test]
fn json() {
    insta::assert_snapshot!(plain(OutputFormat::Json));
}

#[test]
fn json_lines() {
    let text = plain(OutputFormat::JsonLines);
    for line in text.lines() {
        serde_json::from_str::<serde_json::Value>(line).expect("each line is JSON");
    }
    insta::assert_snapshot!(text);
}

#[test]
fn github() {
    insta::assert_snapshot!(plain(OutputFormat::Github));
}

#[test]
fn sarif() {
    insta::assert_snapshot!(render(OutputFormat::Sarif, &on_github()));
}

#[test]
fn rdjson() {
    insta::assert_snapshot!(plain(OutputFormat::Rdjson));
}

#[test]
fn junit() {
    insta::assert_snapshot!(plain(OutputFormat::Junit));
}

#[test]
fn markdown() {
    insta::assert_snapshot!(plain(OutputFormat::Markdown));
}

#[test]
fn markdown_with_links_to_the_repository() {
    insta::assert_snapshot!(render(OutputFormat::Markdown, &on_github()));
}
