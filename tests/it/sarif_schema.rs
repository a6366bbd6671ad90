//! The SARIF output validates against the official SARIF 2.1.0 JSON Schema
//! (draft-07, vendored as `tests/sarif-schema-2.1.0.json`).

use crate::common;

use guidepress::report::{self, OutputFormat, ReportContext, ReportOptions};

fn sarif_of(report: &guidepress::results::CheckReport) -> serde_json::Value {
    let mut out = Vec::new();
    report::write_report_with(
        OutputFormat::Sarif,
        report,
        &ReportOptions::default(),
        &ReportContext {
            path_prefix: "site/".into(),
            ..ReportContext::default()
        },
        &mut out,
    )
    .unwrap();
    serde_json::from_slice(&out).expect("SARIF is JSON")
}

fn validator() -> jsonschema::Validator {
    // The official schema's `run.language` pattern has a stray `]`
    // (`…-[a-zA-Z]{2}]?$`), which the validator rejects as an invalid regex
    // when it checks the schema. Escaping it keeps the meaning lenient regex
    // engines give it (a literal `]`); nothing else is changed.
    let text = include_str!("../sarif-schema-2.1.0.json").replace(
        r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#,
        r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#,
    );
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

#[test]
fn fixture_sarif_validates_against_the_schema() {
    let sarif = sarif_of(&common::fixture_report());
    let validator = validator();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn empty_report_validates_too() {
    let sarif = sarif_of(&guidepress::results::CheckReport::default());
    assert!(validator().is_valid(&sarif));
    assert_eq!(sarif["runs"][0]["results"], serde_json::json!([]));
    // The check has teeth: a broken log is rejected.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"] = serde_json::json!([{ "level": "fatal" }]);
    assert!(!validator().is_valid(&broken));
}

#[test]
fn results_point_at_repository_paths_and_known_rules() {
    let sarif = sarif_of(&common::fixture_report());
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for result in run["results"].as_array().unwrap() {
        let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(uri.starts_with("site/content/"), "{uri}");
        assert!(
            uri.bytes()
                .all(|b| b.is_ascii_graphic() && !b"\"<>\\^`{|}".contains(&b)),
            "a valid URI reference: {uri}"
        );
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(result["partialFingerprints"]["guidepress/v1"].is_string());
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1);
    }
    let fixed = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.get("fixes").is_some())
        .count();
    assert_eq!(fixed, 1);
}
