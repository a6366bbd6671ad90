//! The Markdown summary stays under GitHub's 1 MiB job-summary limit.

use guidepress::diagnostic::{Diagnostic, Span};
use guidepress::document::LoadedFile;
use guidepress::file_kind::FileKind;
use guidepress::load::LoadLimits;
use guidepress::report::{self, MAX_SUMMARY_BYTES, OutputFormat, ReportContext, ReportOptions};
use guidepress::results::CheckReport;
use guidepress::source::SourceFile;

#[test]
fn a_huge_report_is_cut_with_a_note() {
    let text = "key: value\n".repeat(2_000);
    let mut files = Vec::new();
    for f in 0..20 {
        let mut file = LoadedFile::new(
            SourceFile::new(format!("content/guides/g{f:02}.yaml"), text.clone()),
            FileKind::Guide,
            None,
            None,
            LoadLimits::default(),
        );
        file.diagnostics = (0..1_000)
            .map(|i| {
                Diagnostic::error(
                    "GP202",
                    format!("Finding {i} | {}", "é".repeat(40)),
                    Span::new(i * 11, i * 11 + 3),
                )
                .with_help("a help line that makes each row longer")
            })
            .collect();
        files.push(file);
    }
    let report = CheckReport { files };
    let mut out = Vec::new();
    report::write_report_with(
        OutputFormat::Markdown,
        &report,
        &ReportOptions::default(),
        &ReportContext::default(),
        &mut out,
    )
    .unwrap();
    assert!(out.len() < 1024 * 1024, "{} bytes", out.len());
    assert!(out.len() > MAX_SUMMARY_BYTES / 2);
    let text = String::from_utf8(out).unwrap();
    assert!(text.starts_with("## guidepress check\n"));
    assert!(text.contains("**20,000 errors**") || text.contains("**20000 errors**"));
    let note = text.lines().last().unwrap();
    assert!(note.contains("more findings not listed"), "{note}");
    assert!(text.contains("Finding 0 \\| "), "pipes are escaped");
}
