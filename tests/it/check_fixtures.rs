//! One fixture per kind of reading or schema problem (tests/fixtures/check/),
//! each checked against the guide schema, with snapshots of the human (`full`)
//! and `json` output.

use std::path::PathBuf;
use std::sync::Arc;

use guidepress::file_kind::FileKind;
use guidepress::load::LoadLimits;
use guidepress::pipeline::{self, Input};
use guidepress::report::{OutputFormat, ReportOptions, write_report};
use guidepress::results::CheckReport;
use guidepress::validate::Schema;
use guidepress::workspace::Target;

use crate::common::{project_content, repo_path};

fn check_fixture(name: &str) -> CheckReport {
    let schema =
        Arc::new(Schema::load(&repo_path("schemas/guide.schema.json")).expect("guide schema"));
    let display = PathBuf::from(format!("tests/fixtures/check/{name}.yaml"));
    let target = Target {
        path: repo_path(&display.to_string_lossy()),
        display,
        schema: Some(schema),
        kind: FileKind::Other,
        skip: None,
    };
    let mut limits = LoadLimits::default();
    if name == "file-too-large" {
        limits.max_file_size = 64;
    }
    let mut report = CheckReport {
        files: vec![pipeline::load(&Input::from(target), limits, true)],
    };
    report.sort();
    report
}

fn render(report: &CheckReport, format: OutputFormat) -> String {
    let mut out = Vec::new();
    let options = ReportOptions {
        color: false,
        quiet: false,
        width: Some(100),
    };
    write_report(format, report, &options, &mut out).expect("write report");
    String::from_utf8(out).expect("UTF-8 output")
}

/// Every fixture, the code it must produce, and nothing may panic.
const FIXTURES: &[(&str, &str)] = &[
    ("yaml-syntax", "GP101"),
    ("duplicate-key", "GP102"),
    ("tab-indentation", "GP103"),
    // A tab before a key in the middle of a mapping, and a wrong type above
    // it: both are reported (the tab does not hide the rest of the file).
    ("tab-in-mapping", "GP103"),
    ("multiple-documents", "GP104"),
    ("empty-file", "GP105"),
    ("not-utf8", "GP106"),
    ("file-too-large", "GP107"),
    ("nesting-too-deep", "GP108"),
    ("alias-expansion", "GP109"),
    ("non-string-key", "GP110"),
    ("missing-field", "GP201"),
    ("unknown-field", "GP202"),
    ("wrong-type", "GP203"),
    ("not-allowed", "GP204"),
    ("pattern-mismatch", "GP205"),
    ("invalid-format", "GP206"),
    ("out-of-range", "GP207"),
    ("bad-length", "GP208"),
    ("bad-list", "GP209"),
    ("non-ascii", "GP202"),
];

#[test]
fn every_fixture_reports_its_code_with_full_and_json_snapshots() {
    for (name, code) in FIXTURES {
        let report = check_fixture(name);
        let file = &report.files[0];
        assert!(
            file.diagnostics.iter().any(|d| d.code == *code),
            "{name}: expected {code}, got {:?}",
            file.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>()
        );
        for d in &file.diagnostics {
            assert!(
                d.span.end <= file.source.text.len(),
                "{name}: span past the end"
            );
            assert!(
                file.source.text.is_char_boundary(d.span.start),
                "{name}: span not on a char boundary"
            );
        }
        insta::assert_snapshot!(format!("{name}.full"), render(&report, OutputFormat::Full));
        insta::assert_snapshot!(format!("{name}.json"), render(&report, OutputFormat::Json));
    }
}

/// Loads `content/<relative>` of the project fixture against `schemas/<schema>`.
fn load_bundled(relative: &str, schema: &str, kind: FileKind) -> guidepress::document::LoadedFile {
    let schema = Arc::new(Schema::load(&repo_path(&format!("schemas/{schema}"))).expect("schema"));
    let target = Target {
        path: project_content().join(relative),
        display: format!("content/{relative}").into(),
        schema: Some(schema),
        kind,
        skip: None,
    };
    pipeline::load(&Input::from(target), LoadLimits::default(), true)
}

#[test]
fn the_bundled_guide_and_author_are_clean() {
    let guide = load_bundled(
        "guides/backend-engineer.yaml",
        "guide.schema.json",
        FileKind::Guide,
    );
    let author = load_bundled(
        "authors/taylor-rupe.yaml",
        "author.schema.json",
        FileKind::Author,
    );
    for file in [&guide, &author] {
        assert!(file.schema_valid, "{}", file.source.path.display());
        assert_eq!(
            file.diagnostics,
            Vec::new(),
            "{}",
            file.source.path.display()
        );
        assert!(!file.source.text.is_empty());
    }
    assert!(author.source.text.contains("taylor-rupe"));
    // The same author with a field its schema does not know is not clean:
    // the author schema really is applied.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(project_content().join("authors/taylor-rupe.yaml")).unwrap();
    std::fs::write(
        dir.path().join("a.yaml"),
        format!("{text}\nnot_an_author_field: 1\n"),
    )
    .unwrap();
    let schema = Arc::new(Schema::load(&repo_path("schemas/author.schema.json")).expect("schema"));
    let broken = pipeline::load(
        &Input::from(Target {
            path: dir.path().join("a.yaml"),
            display: "a.yaml".into(),
            schema: Some(schema),
            kind: FileKind::Author,
            skip: None,
        }),
        LoadLimits::default(),
        true,
    );
    assert!(!broken.schema_valid);
    assert!(
        broken.diagnostics.iter().any(|d| d.code == "GP202"),
        "{:?}",
        broken.diagnostics
    );
}

#[test]
fn json_positions_are_one_based_and_count_characters() {
    let report = check_fixture("non-ascii");
    let json: serde_json::Value =
        serde_json::from_str(&render(&report, OutputFormat::Json)).expect("JSON");
    let finding = json
        .as_array()
        .and_then(|a| a.iter().find(|f| f["code"] == "GP202"))
        .expect("unknown field finding");
    // `stätus:` starts line 4 (after the title line); `ä` is one column, not two bytes.
    assert_eq!(
        finding["start"],
        serde_json::json!({"line": 4, "column": 1})
    );
    assert_eq!(finding["end"], serde_json::json!({"line": 4, "column": 7}));
    assert_eq!(finding["pointer"], "/stätus");
}

#[test]
fn a_tab_is_reported_at_its_own_place_and_the_file_is_still_checked() {
    let report = check_fixture("tab-in-mapping");
    let file = &report.files[0];
    let codes: Vec<&str> = file.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["GP203", "GP103"], "{:?}", file.diagnostics);
    let tab = &file.diagnostics[1];
    let at = file.source.position(tab.span.start);
    assert_eq!((at.line, at.column), (27, 1));
    assert_eq!(&file.source.text[tab.span.start..tab.span.end], "\t");
    // The safe fix indents the line like its neighbours, and the fixed file is clean.
    let fix = tab.fix.as_ref().expect("a fix");
    assert_eq!(
        fix.applicability,
        guidepress::diagnostic::Applicability::Safe
    );
    let mut fixed = file.source.text.clone();
    for edit in fix.edits.iter().rev() {
        fixed.replace_range(edit.span.start..edit.span.end, &edit.replacement);
    }
    assert!(fixed.contains("\n  job_growth_pct: 17\n"));
    let parsed = guidepress::load::parse(
        &fixed,
        &guidepress::load::ParseOptions {
            track_spans: true,
            ..Default::default()
        },
    );
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
}
