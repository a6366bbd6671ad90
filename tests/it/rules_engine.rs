//! The rule engine: severities from `[rules]` (global and per glob), and
//! suppression comments (used, unused, without reason, unknown code, misplaced).

use crate::rule_support;

use crate::rule_support::{check_text, check_texts, render, settings_from, settings_only};
use guidepress::fix;

const WRONG_CA: &str = "facts:
  national_median_salary: 133080
salary_by_state:
  - state: CA
    median_salary: 178000
    vs_national_pct: 35
";

fn codes(report: &guidepress::results::CheckReport) -> Vec<(String, &'static str, &'static str)> {
    report
        .files
        .iter()
        .flat_map(|f| {
            f.diagnostics
                .iter()
                .map(move |d| (f.source.display_path(), d.code, d.severity.as_str()))
        })
        .collect()
}

#[test]
fn severity_can_be_raised_lowered_and_turned_off() {
    let text = "career_path:
  total_duration: { min: 1, max: 1, unit: years }
  steps:
    - duration: { min: 2, max: 2, unit: years }
";
    let report = check_text("g.yaml", text, &settings_from(""));
    assert_eq!(codes(&report), [("g.yaml".into(), "GP304", "warning")]);
    let report = check_text(
        "g.yaml",
        text,
        &settings_from("[severity]\ncareer-path-duration = \"error\""),
    );
    assert_eq!(codes(&report), [("g.yaml".into(), "GP304", "error")]);
    let report = check_text(
        "g.yaml",
        text,
        &settings_from("[severity]\nGP304 = \"off\""),
    );
    assert!(codes(&report).is_empty());
    let report = check_text("g.yaml", text, &settings_from("enabled = false"));
    assert!(codes(&report).is_empty());
}

#[test]
fn per_file_globs_override_the_global_table_in_order() {
    let settings = settings_from(
        r#"
[severity]
GP301 = "warning"
[[per_file]]
files = "content/guides/drafts/*.yaml"
severity = { GP301 = "off" }
[[per_file]]
files = "content/guides/strict-*.yaml"
severity = { salary-vs-national = "error" }
"#,
    );
    let report = check_texts(
        &[
            ("content/guides/a.yaml", WRONG_CA),
            ("content/guides/drafts/b.yaml", WRONG_CA),
            ("content/guides/strict-c.yaml", WRONG_CA),
        ],
        &settings,
    );
    let found: Vec<_> = codes(&report)
        .into_iter()
        .filter(|(_, code, _)| *code == "GP301")
        .collect();
    assert_eq!(
        found,
        [
            ("content/guides/a.yaml".into(), "GP301", "warning"),
            ("content/guides/strict-c.yaml".into(), "GP301", "error"),
        ]
    );
}

#[test]
fn unknown_codes_and_bad_globs_in_the_config_are_errors() {
    let config: guidepress::rules::RulesConfig =
        toml::from_str("[severity]\nGP999 = \"off\"").unwrap();
    let error = guidepress::rules::RuleSettings::from_parts(
        &config,
        rule_support::context(),
        std::path::Path::new("/"),
        std::path::Path::new("/"),
    )
    .unwrap_err();
    assert!(error.to_string().contains("GP999"), "{error}");
    let config: guidepress::rules::RulesConfig =
        toml::from_str("[[per_file]]\nfiles = \"a/[\"\nseverity = {}").unwrap();
    assert!(
        guidepress::rules::RuleSettings::from_parts(
            &config,
            rule_support::context(),
            std::path::Path::new("/"),
            std::path::Path::new("/"),
        )
        .is_err()
    );
}

fn suppressed(text: &str) -> String {
    render(&check_text("g.yaml", text, &settings_only(&["GP301"])))
}

#[test]
fn suppression_on_the_line_before() {
    let text = WRONG_CA.replace(
        "    vs_national_pct: 35",
        "    # guidepress: ignore[GP301] the 2025 print edition rounds up\n    vs_national_pct: 35",
    );
    insta::assert_snapshot!(suppressed(&text), @"(no findings)");
}

#[test]
fn suppression_at_the_end_of_the_line_by_name() {
    let text = WRONG_CA.replace(
        "    vs_national_pct: 35",
        "    vs_national_pct: 35 # guidepress: ignore[salary-vs-national] print edition",
    );
    insta::assert_snapshot!(suppressed(&text), @"(no findings)");
}

#[test]
fn file_suppression_at_the_top() {
    let text = format!(
        "# A guide.\n# guidepress: ignore-file[GP301] legacy page, fixed in the CMS\n{WRONG_CA}"
    );
    insta::assert_snapshot!(suppressed(&text), @"(no findings)");
}

#[test]
fn file_suppression_below_the_top_is_misplaced() {
    let text = format!("{WRONG_CA}# guidepress: ignore-file[GP301] too late\n");
    insta::assert_snapshot!(suppressed(&text), @r"
    g.yaml 6:22 `35` GP301 error: CA's `vs_national_pct` is 35, but (178,000 - 133,080) / 133,080 × 100 = 33.7541…, which is 34 to a whole percent.
        here: should be 34
        label 5:20 `178000`: state median defined here
        label 2:27 `133080`: national median defined here
        help: the page prints this number as the state's difference from the national median
        fix (safe): Replace 35 with 34
    g.yaml 7:1 `# guidepress: ignore-file[GP301] too late` GP391 error: An `ignore-file` suppression must be in the comments at the top of the file.
        help: move it above the first key
    ");
}

#[test]
fn suppression_without_reason_is_reported_and_suppresses_nothing() {
    let text = WRONG_CA.replace(
        "    vs_national_pct: 35",
        "    vs_national_pct: 35 # guidepress: ignore[GP301]",
    );
    insta::assert_snapshot!(suppressed(&text), @r"
    g.yaml 6:22 `35` GP301 error: CA's `vs_national_pct` is 35, but (178,000 - 133,080) / 133,080 × 100 = 33.7541…, which is 34 to a whole percent.
        here: should be 34
        label 5:20 `178000`: state median defined here
        label 2:27 `133080`: national median defined here
        help: the page prints this number as the state's difference from the national median
        fix (safe): Replace 35 with 34
    g.yaml 6:25 `# guidepress: ignore[GP301]` GP391 error: A suppression has no reason, so it suppresses nothing.
        help: say why after the codes: `# guidepress: ignore[GP301] the page rounds this on purpose`
    ");
}

#[test]
fn unknown_code_in_a_suppression() {
    let text = WRONG_CA.replace(
        "    vs_national_pct: 35",
        "    vs_national_pct: 34 # guidepress: ignore[GP201, nonsense] schema codes cannot be ignored",
    );
    insta::assert_snapshot!(suppressed(&text), @r"
    g.yaml 6:46 `GP201` GP391 error: `GP201` is not a rule code; only fact rules (`GP301`…) can be suppressed.
        help: `guidepress rules` lists every rule code
    g.yaml 6:53 `nonsense` GP391 error: `nonsense` is not a rule code; only fact rules (`GP301`…) can be suppressed.
        help: `guidepress rules` lists every rule code
    ");
}

#[test]
fn unused_suppression_is_reported_with_a_fix_that_removes_it() {
    let text = WRONG_CA.replace(
        "    vs_national_pct: 35",
        "    # guidepress: ignore[GP301] nothing wrong here any more\n    vs_national_pct: 34",
    );
    let report = check_text("g.yaml", &text, &settings_only(&["GP301"]));
    let fixed = fix::plan_file(&report.files[0], false).expect("a fix");
    insta::assert_snapshot!(format!("{}\n{}", render(&report), fix::unified_diff(&fixed)), @r"
    g.yaml 6:26 `GP301` GP390 warning: This suppression of GP301 suppresses nothing.
        label 6:5 `# guidepress: ignore[GP301] nothing wrong here any more`: in this comment
        help: remove it, or move it to the line before the finding
        fix (safe): Remove the unused suppression

    --- a/g.yaml
    +++ b/g.yaml
    @@ -3,5 +3,4 @@
     salary_by_state:
       - state: CA
         median_salary: 178000
    -    # guidepress: ignore[GP301] nothing wrong here any more
         vs_national_pct: 34
    ");
}

#[test]
fn suppression_of_a_rule_that_is_off_is_not_unused() {
    let text = format!("# guidepress: ignore-file[GP313] reviewed off-line\n{WRONG_CA}");
    let report = check_text("g.yaml", &text, &settings_only(&["GP301"]));
    assert_eq!(codes(&report), [("g.yaml".into(), "GP301", "error")]);
}

#[test]
fn suppression_before_a_block_scalar_covers_figures_inside_it() {
    let text = "facts:
  national_median_salary: 133080
# guidepress: ignore[GP315] quoting the 2019 figure on purpose
summary: >-
  In 2019 the median salary was $123,080.
";
    let report = check_text("g.yaml", text, &settings_only(&["GP315"]));
    assert!(codes(&report).is_empty(), "{}", render(&report));
}
