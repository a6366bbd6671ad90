//! The rdjson and JUnit outputs validate against their publishers' schemas
//! (tests/schemas/, with licences and provenance): reviewdog's JSON Schema
//! of the Diagnostic Format, and the JUnit XSD Jenkins reads reports with
//! (through `xmllint --schema`, Debian's libxml2-utils, which
//! `scripts/test.sh` installs). The snapshots in `formats.rs` say what is
//! written; these say that what is written is what the readers accept.

use crate::common;

use std::process::Command;

use guidepress::report::{self, OutputFormat, ReportContext, ReportOptions};

fn render(format: OutputFormat) -> Vec<u8> {
    let mut out = Vec::new();
    report::write_report_with(
        format,
        &common::fixture_report(),
        &ReportOptions::default(),
        &ReportContext::default(),
        &mut out,
    )
    .unwrap();
    out
}

fn rdjson_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(common::repo_path(
        "tests/schemas/reviewdog/DiagnosticResult.json",
    ))
    .unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .build(&schema)
        .expect("reviewdog's schema compiles")
}

fn rdjson_errors(validator: &jsonschema::Validator, value: &serde_json::Value) -> Vec<String> {
    validator
        .iter_errors(value)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

#[test]
fn rdjson_validates_against_reviewdogs_schema() {
    let value: serde_json::Value =
        serde_json::from_slice(&render(OutputFormat::Rdjson)).expect("rdjson is JSON");
    let validator = rdjson_validator();
    assert_eq!(rdjson_errors(&validator, &value), Vec::<String>::new());
    let diagnostics = value["diagnostics"].as_array().expect("diagnostics");
    assert!(!diagnostics.is_empty());
    // The schema is applied: what reviewdog would refuse is refused.
    let mut broken = value.clone();
    broken["diagnostics"][0]["severity"] = serde_json::json!("FATAL");
    broken["diagnostics"][0]["location"]["range"]["start"]["line"] = serde_json::json!("one");
    assert_eq!(rdjson_errors(&validator, &broken).len(), 2, "{broken:#}");
}

#[test]
fn rdjson_suggestions_carry_every_fix_with_byte_columns() {
    use guidepress::document::LoadedFile;
    use guidepress::file_kind::FileKind;
    use guidepress::load::LoadLimits;
    use guidepress::results::CheckReport;
    use guidepress::{Applicability, Diagnostic, Edit, Fix, SourceFile, Span};

    let text = "title: Café engineer\ngrowth: 17\n";
    let engineer = text.find("engineer").unwrap();
    let seventeen = text.find("17").unwrap();
    let mut file = LoadedFile::new(
        SourceFile::new("content/guides/café.yaml", text.to_owned()),
        FileKind::Guide,
        None,
        None,
        LoadLimits::default(),
    );
    let fix = |span: Span, replacement: &str, applicability| Fix {
        message: format!("Replace with {replacement}"),
        applicability,
        edits: vec![Edit {
            span,
            replacement: replacement.into(),
        }],
    };
    let title = Span::new(engineer, engineer + "engineer".len());
    let growth = Span::new(seventeen, seventeen + 2);
    file.diagnostics = vec![
        Diagnostic::warning("GP701", "`engineer` is lower case.", title).with_fix(fix(
            title,
            "Engineer",
            Applicability::Safe,
        )),
        Diagnostic::warning("GP611", "Growth is 17 %; BLS gives 15 %.", growth).with_fix(fix(
            growth,
            "15",
            Applicability::Unsafe,
        )),
    ];
    let report = CheckReport { files: vec![file] };
    let mut out = Vec::new();
    report::write_report_with(
        OutputFormat::Rdjson,
        &report,
        &ReportOptions::default(),
        &ReportContext::default(),
        &mut out,
    )
    .unwrap();
    let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(
        rdjson_errors(&rdjson_validator(), &value),
        Vec::<String>::new()
    );
    let suggestion = &value["diagnostics"][0]["suggestions"][0];
    // "title: Café " is 13 bytes (é takes two) but 12 characters: columns count bytes.
    assert_eq!(
        suggestion["range"],
        serde_json::json!({"start": {"line": 1, "column": 14}, "end": {"line": 1, "column": 22}})
    );
    assert_eq!(suggestion["text"], "Engineer");
    // An unsafe fix is a suggestion too: a person applies it.
    let unsafe_suggestion = &value["diagnostics"][1]["suggestions"][0];
    assert_eq!(unsafe_suggestion["text"], "15");
    assert_eq!(
        unsafe_suggestion["range"]["start"],
        serde_json::json!({"line": 2, "column": 9})
    );
}

/// `xmllint --schema` on `xml`: Ok, or what it says is wrong.
fn junit_check(xml: &[u8]) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.xml");
    std::fs::write(&file, xml).unwrap();
    let output = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(common::repo_path("tests/schemas/junit/junit-10.xsd"))
        .arg(&file)
        .output()
        .expect("xmllint runs (apt-get install libxml2-utils; scripts/test.sh does)");
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

#[test]
fn junit_validates_against_the_junit_xsd() {
    let xml = render(OutputFormat::Junit);
    junit_check(&xml).unwrap();
    let text = String::from_utf8(xml).unwrap();
    assert!(text.contains("<testcase"), "{text}");
    // The schema is applied: a suite without its required counts is refused.
    let suite = text.find("<testsuite ").expect("a test suite");
    let broken = format!(
        "{}{}",
        &text[..suite],
        text[suite..].replacen(" failures=\"", " lost=\"", 1)
    );
    assert_ne!(broken, text);
    let error = junit_check(broken.as_bytes()).unwrap_err();
    assert!(error.contains("failures"), "{error}");
    // And it is XML: a stray `&` is refused too.
    let error = junit_check(text.replacen("<testcase", "& <testcase", 1).as_bytes()).unwrap_err();
    assert!(!error.is_empty());
}
