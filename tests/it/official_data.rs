//! The official data: the GP6xx rules against the shipped BLS OEWS May 2025
//! snapshot (one fixture per situation under `tests/fixtures/data/rules/`,
//! with a snapshot of the findings and of what the fixes write), the chained
//! fix on the seed guide's figures, `data show`, and `data import` on fixture
//! workbooks in BLS's column layout (`tests/fixtures/data/import/`).

use crate::common;
use crate::rule_support;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Arc;

use crate::rule_support::{check_text, render};
use guidepress::data::import::{self, ImportError};
use guidepress::data::{DataConfig, DataStore, Figure, RangeBasis, Release, Snapshot};
use guidepress::fix;
use guidepress::rules::{RuleSettings, RulesConfig};

fn store(basis: RangeBasis) -> Arc<DataStore> {
    let config = DataConfig {
        dir: Some("data/oews".into()),
        salary_range: basis,
        ..DataConfig::default()
    };
    Arc::new(
        DataStore::open(&config, common::crate_root(), common::crate_root())
            .unwrap()
            .unwrap(),
    )
}

/// Only the official-data rules, with the shipped snapshot.
fn settings(basis: RangeBasis) -> RuleSettings {
    settings_with(basis, &[])
}

/// The official-data rules and `also`, with the shipped snapshot.
fn settings_with(basis: RangeBasis, also: &[&str]) -> RuleSettings {
    let mut text = String::from("[severity]\n");
    for info in guidepress::codes::RULE_CODES {
        if !info.code.starts_with("GP6")
            && !info.code.starts_with("GP39")
            && !also.contains(&info.code)
        {
            writeln!(text, "{} = \"off\"", info.code).unwrap();
        }
    }
    let config: RulesConfig = toml::from_str(&text).unwrap();
    let mut context = rule_support::context();
    context.data = Some(store(basis));
    RuleSettings::from_parts(&config, context, common::crate_root(), common::crate_root()).unwrap()
}

/// The findings on `path`, then the text the fixes (safe and unsafe) write.
fn snapshot_of(display: &str, text: &str, settings: &RuleSettings) -> String {
    let report = check_text(display, text, settings);
    let mut out = render(&report);
    if let Some(fixed) = fix::plan_file(&report.files[0], true) {
        out.push_str("\n--- fixes applied (unsafe) ---\n");
        out.push_str(&fix::unified_diff(&fixed));
        let again = check_text(display, &fixed.fixed, settings);
        out.push_str("\n--- after the fixes ---\n");
        out.push_str(&render(&again));
    }
    out
}

#[test]
fn each_fixture_against_the_may_2025_snapshot() {
    let settings = settings(RangeBasis::P10P90);
    let dir = common::repo_path("tests/fixtures/data/rules");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    assert!(names.len() >= 10);
    for path in names {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let display = format!("tests/fixtures/data/rules/{name}.yaml");
        insta::assert_snapshot!(
            format!("rules_{name}"),
            snapshot_of(&display, &text, &settings)
        );
    }
}

/// The seed page's figures (May 2024) against May 2025: the findings the
/// README quotes.
#[test]
fn the_seed_guide_against_may_2025() {
    let text = std::fs::read_to_string(common::repo_path(
        "tests/fixtures/data/seed-backend-engineer.yaml",
    ))
    .unwrap();
    let report = check_text(
        "content/guides/backend-engineer.yaml",
        &text,
        &settings(RangeBasis::P10P90),
    );
    let rendered = render(&report);
    assert!(rendered.contains(
        "GP605 error: California's median salary is 178,000; BLS OEWS May 2025 gives 174,410 for Software Developers (15-1252)."
    ));
    assert!(rendered.contains(
        "GP606 error: New York's employment is 212,500; BLS OEWS May 2025 gives 113,510"
    ));
    assert!(rendered.contains(
        "GP603 error: The national median salary is 133,080; BLS OEWS May 2025 gives 135,980"
    ));
    insta::assert_snapshot!("seed_guide", rendered);
}

/// Fixing medians to BLS's can break the table's rank order: the re-check
/// reports it (GP303) and recomputes the percentages (GP301).
#[test]
fn a_fix_that_breaks_the_rank_order_is_reported() {
    let text = "occupation:\n  title: Software Developers\n  soc_code: \"15-1252\"\nfacts:\n  national_median_salary: 135980\nsalary_by_state:\n  - state: NY\n    median_salary: 168000\n    vs_national_pct: 24\n  - state: WA\n    median_salary: 166540\n    vs_national_pct: 22\n";
    let settings = settings_with(RangeBasis::P10P90, &["GP301", "GP303"]);
    let first = check_text("g.yaml", text, &settings);
    assert_eq!(
        render(&first).matches(" GP605 ").count(),
        1,
        "{}",
        render(&first)
    );
    let mut current = text.to_owned();
    for _ in 0..5 {
        let report = check_text("g.yaml", &current, &settings);
        match fix::plan_file(&report.files[0], true) {
            Some(fixed) => current = fixed.fixed,
            None => break,
        }
    }
    assert!(
        current.contains("  - state: NY\n    median_salary: 166180\n    vs_national_pct: 22\n"),
        "{current}"
    );
    let after = render(&check_text("g.yaml", &current, &settings));
    assert!(after.contains(" GP303 error: "), "{after}");
    assert!(
        !after.contains(" GP301 ") && !after.contains(" GP605 "),
        "{after}"
    );
}

#[test]
fn the_salary_range_basis_is_configurable() {
    let text = "occupation:\n  title: Software Developers\n  soc_code: \"15-1252\"\nfacts:\n  salary_range:\n    min: 105210\n    max: 171980\n";
    let quartiles = check_text("g.yaml", text, &settings(RangeBasis::P25P75));
    assert_eq!(render(&quartiles), "(no findings)\n");
    let deciles = render(&check_text("g.yaml", text, &settings(RangeBasis::P10P90)));
    assert!(
        deciles.contains("gives 82,460 as the national 10th percentile"),
        "{deciles}"
    );
    assert!(deciles.contains("gives 214,670 as the national 90th percentile"));
}

#[test]
fn no_data_means_no_official_findings() {
    let text = std::fs::read_to_string(common::repo_path(
        "tests/fixtures/data/seed-backend-engineer.yaml",
    ))
    .unwrap();
    let report = check_text("g.yaml", &text, &rule_support::settings_all());
    assert!(report.diagnostics().all(|d| !d.code.starts_with("GP6")));
}

#[test]
fn the_snapshot_holds_bls_figures() {
    let store = store(RangeBasis::P10P90);
    assert_eq!(store.default_release().as_str(), "2025A01");
    let snapshot = store.snapshot(None).unwrap();
    let developers = snapshot.occupation("15-1252").unwrap().unwrap();
    let national = developers.national.as_ref().unwrap();
    assert_eq!(national.employment, Figure::Value(1_687_890));
    assert_eq!(national.median, Figure::Value(135_980));
    assert_eq!(national.pct10, Figure::Value(82_460));
    assert_eq!(national.pct90, Figure::Value(214_670));
    assert_eq!(national.hourly_mean, Figure::Value(7_120));
    let california = developers.state("ca").unwrap();
    assert_eq!(
        (california.employment, california.median),
        (Figure::Value(284_390), Figure::Value(174_410))
    );
    let alaska = developers.state("AK").unwrap();
    assert_eq!(
        (alaska.employment, alaska.median),
        (Figure::Value(530), Figure::WageNotReleased)
    );
    let surgeons = snapshot.occupation("29-1022").unwrap().unwrap();
    assert_eq!(surgeons.state("AK").unwrap().median, Figure::TopCoded);
    let managers = snapshot.occupation("11-3071").unwrap().unwrap();
    assert_eq!(
        managers.state("AK").unwrap().employment,
        Figure::EmploymentNotReleased
    );
    assert!(snapshot.occupation("15-1258").unwrap().is_none());
    assert_eq!(snapshot.titles().len(), 1_104);
    // The same Arc: an occupation is parsed once.
    assert!(Arc::ptr_eq(
        &developers,
        &snapshot.occupation("15-1252").unwrap().unwrap()
    ));
}

#[test]
fn a_damaged_snapshot_is_reported_with_its_line() {
    let text = "AREA,AREA_TITLE,AREA_TYPE,PRIM_STATE,OCC_CODE,OCC_TITLE,O_GROUP,TOT_EMP,H_MEAN,A_MEAN,H_MEDIAN,A_PCT10,A_PCT25,A_MEDIAN,A_PCT75,A_PCT90\n\
99,U.S.,1,US,15-1252,Software Developers,detailed,1687890,71.20,148100,65.38,82460,105210,135980,171980,214670\n\
6,California,2,CA,15-1252,Software Developers,detailed,lots,89.80,186770,83.85,105060,136990,174410,216670,272670\n";
    let snapshot = Snapshot::parse(
        Release::parse("2025A01").unwrap(),
        Path::new("data/oews/2025A01.csv"),
        text.into(),
    )
    .unwrap();
    let error = snapshot.occupation("15-1252").unwrap_err();
    assert_eq!(
        error.to_string(),
        "data/oews/2025A01.csv:3: TOT_EMP is `lots`, not a number or one of BLS's special values (`*`, `**`, `#`)"
    );
    let missing = Snapshot::parse(
        Release::parse("2025A01").unwrap(),
        Path::new("x.csv"),
        "AREA,OCC_CODE\n".into(),
    )
    .unwrap_err();
    assert!(
        missing
            .to_string()
            .starts_with("x.csv: the header lacks the columns AREA_TITLE, AREA_TYPE"),
        "{missing}"
    );
}

// ---- the command line ----

use crate::common::cli::{stderr, stdout};
use crate::common::copy_dir;

fn run(dir: &Path, args: &[&str]) -> Output {
    common::cli::run_with(
        dir,
        args,
        &[("GUIDEPRESS_TODAY", "2026-11-28"), ("NO_COLOR", "1")],
    )
}

/// The repository's configuration, schemas, data and authors, with the seed
/// guide as the only guide.
fn seed_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for folder in ["schemas", "data"] {
        copy_dir(&common::repo_path(folder), &dir.path().join(folder));
    }
    copy_dir(
        &common::project_content().join("authors"),
        &dir.path().join("content/authors"),
    );
    std::fs::copy(
        common::repo_path("guidepress.toml"),
        dir.path().join("guidepress.toml"),
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("content/guides")).unwrap();
    std::fs::copy(
        common::repo_path("tests/fixtures/data/seed-backend-engineer.yaml"),
        dir.path().join("content/guides/backend-engineer.yaml"),
    )
    .unwrap();
    dir
}

/// `check --fix --unsafe-fixes` on the seed's May 2024 figures: the facts
/// become BLS's May 2025 figures and, in the same run, every dependent fact
/// follows (GP301 percentages, GP315 prose); the result re-checks clean of errors.
#[test]
fn the_chained_fix_brings_the_seed_to_may_2025() {
    let ws = seed_workspace();
    let guide = ws.path().join("content/guides/backend-engineer.yaml");
    let before = run(ws.path(), &["check", "--format", "concise"]);
    assert_eq!(before.status.code(), Some(1), "{}", stdout(&before));
    assert_eq!(
        stdout(&before).matches(" GP60").count(),
        10,
        "{}",
        stdout(&before)
    );

    // JSON and SARIF point at the data row each figure is compared with.
    let json = run(
        ws.path(),
        &["check", "--format", "json", "--sarif", "out.sarif"],
    );
    let findings: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    let california = findings
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "GP605" && f["message"].as_str().unwrap().starts_with("California"))
        .unwrap();
    assert_eq!(
        california["related"],
        serde_json::json!([{"path": "data/oews/2025A01.csv", "line": 3914, "message": "BLS OEWS May 2025: California, 15-1252, A_MEDIAN"}])
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(ws.path().join("out.sarif")).unwrap())
            .unwrap();
    let schema_text = include_str!("../sarif-schema-2.1.0.json").replace(
        r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#,
        r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#,
    );
    let schema: serde_json::Value = serde_json::from_str(&schema_text).unwrap();
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .build(&schema)
        .unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["ruleId"] == "GP605"
                && r["message"]["text"]
                    .as_str()
                    .unwrap()
                    .starts_with("California")
        })
        .unwrap();
    let related = &result["relatedLocations"][0]["physicalLocation"];
    assert_eq!(related["artifactLocation"]["uri"], "data/oews/2025A01.csv");
    assert_eq!(related["region"]["startLine"], 3914);
    std::fs::remove_file(ws.path().join("out.sarif")).unwrap();

    let fixed = run(
        ws.path(),
        &["check", "--fix", "--unsafe-fixes", "--format", "concise"],
    );
    let text = std::fs::read_to_string(&guide).unwrap();
    for expected in [
        "national_median_salary: 135980",
        "    min: 80000\n    max: 214670",
        "  - state: CA\n    employed: 284390\n    median_salary: 174410\n    vs_national_pct: 28",
        "  - state: WA\n    employed: 107030\n    median_salary: 166540\n    vs_national_pct: 22",
        "  - state: NY\n    employed: 113510\n    median_salary: 166180\n    vs_national_pct: 22",
        "  - state: MA\n    employed: 48190\n    median_salary: 165210\n    vs_national_pct: 21",
        "Backend Engineers earn $80,000-$214,670 depending",
    ] {
        assert!(text.contains(expected), "{expected}\n---\n{text}");
    }
    assert!(stderr(&fixed).contains("Fixed "), "{}", stderr(&fixed));
    // Every remaining finding is a warning (the seed's career-path total, whose
    // unsafe fix also ran); no error is left.
    let after = run(ws.path(), &["check", "--format", "concise"]);
    assert_eq!(after.status.code(), Some(0), "{}", stdout(&after));
    assert!(!stdout(&after).contains("GP6"), "{}", stdout(&after));
    assert!(!stdout(&after).contains("GP30"), "{}", stdout(&after));
}

#[test]
fn the_bundled_guide_agrees_with_may_2025() {
    let project = common::project();
    let output = run(
        project.path(),
        &[
            "check",
            "--format",
            "concise",
            "content/guides/backend-engineer.yaml",
        ],
    );
    assert!(!stdout(&output).contains("GP6"), "{}", stdout(&output));
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[test]
fn data_show_prints_the_official_figures() {
    let project = common::project();
    let root = || project.path();
    let table = run(common::crate_root(), &["data", "show", "15-1252"]);
    assert_eq!(table.status.code(), Some(0), "{}", stderr(&table));
    insta::assert_snapshot!("show_15_1252", stdout(&table));

    let json = run(
        root(),
        &[
            "data", "show", "15-1252", "--state", "CA", "--format", "json",
        ],
    );
    assert_eq!(json.status.code(), Some(0), "{}", stderr(&json));
    let value: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(value["areas"][0]["median"], 174_410);
    insta::assert_snapshot!("show_15_1252_ca_json", stdout(&json));

    let by_title = run(
        root(),
        &[
            "data",
            "show",
            "oral and maxillofacial surgeons",
            "--state",
            "AK",
        ],
    );
    assert_eq!(by_title.status.code(), Some(0), "{}", stderr(&by_title));
    insta::assert_snapshot!("show_29_1022_ak", stdout(&by_title));

    let unknown = run(common::crate_root(), &["data", "show", "15-1258"]);
    assert_eq!(unknown.status.code(), Some(2));
    insta::assert_snapshot!("show_unknown", stderr(&unknown));

    let no_state = run(
        common::crate_root(),
        &["data", "show", "15-1252", "--state", "GU"],
    );
    assert_eq!(no_state.status.code(), Some(2));
    assert!(
        stderr(&no_state).contains("has no estimate for Software Developers (15-1252) in `GU`")
    );
}

/// A title that names no occupation: several suggestions, ranked by the
/// words they share (a plural counts as the word).
#[test]
fn data_show_suggests_titles_by_their_words() {
    let output = run(common::crate_root(), &["data", "show", "nurse"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output).trim_end(),
        "guidepress: error: no occupation titled \"nurse\" in BLS OEWS May 2025; did you mean one of 29-1141 (Registered Nurses), 29-1151 (Nurse Anesthetists), 29-1161 (Nurse Midwives), 29-1171 (Nurse Practitioners), 31-1131 (Nursing Assistants)?"
    );
    // One word of two is enough; the title with more of them comes first.
    let output = run(
        common::crate_root(),
        &["data", "show", "registered nurse aide"],
    );
    assert!(
        stderr(&output).contains("did you mean one of 29-1141 (Registered Nurses), "),
        "{}",
        stderr(&output)
    );
}

// ---- data import ----

fn fixture(name: &str) -> PathBuf {
    common::repo_path("tests/fixtures/data/import").join(name)
}

#[test]
fn import_national_and_state_workbooks() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(
        &common::repo_path("tests/fixtures/data/import"),
        &[
            "data",
            "import",
            "national_M2025_dl.xlsx",
            "state_M2025_dl.xlsx",
            "--output",
            dir.path().join("2025A01.csv").to_str().unwrap(),
        ],
    );
    // Two rows could not be read: reported at their row numbers, exit 1.
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report = stderr(&output).replace(dir.path().to_str().unwrap(), "<tmp>");
    insta::assert_snapshot!("import_workbooks_stderr", report);
    let written = std::fs::read_to_string(dir.path().join("2025A01.csv")).unwrap();
    insta::assert_snapshot!("import_workbooks_csv", written);
    // Only the snapshot is in the folder: no temporary file is left behind.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["2025A01.csv"]);

    // The snapshot reads back with the special values in place.
    let snapshot = Snapshot::parse(
        Release::parse("2025A01").unwrap(),
        Path::new("s.csv"),
        written,
    )
    .unwrap();
    let developers = snapshot.occupation("15-1252").unwrap().unwrap();
    assert_eq!(
        developers.national.as_ref().unwrap().median,
        Figure::Value(135_980)
    );
    assert_eq!(
        developers.state("AK").unwrap().median,
        Figure::WageNotReleased
    );
    assert_eq!(
        developers.state("PR").unwrap().employment,
        Figure::Value(2_020)
    );
    let surgeons = snapshot.occupation("29-1022").unwrap().unwrap();
    assert_eq!(surgeons.state("AK").unwrap().pct90, Figure::TopCoded);
    let managers = snapshot.occupation("11-3071").unwrap().unwrap();
    assert_eq!(
        managers.state("AK").unwrap().employment,
        Figure::EmploymentNotReleased
    );
    assert_eq!(
        snapshot
            .occupation("27-2011")
            .unwrap()
            .unwrap()
            .national
            .as_ref()
            .unwrap()
            .median,
        Figure::WageNotReleased
    );

    // An existing snapshot is replaced only with --force.
    let again = run(
        &common::repo_path("tests/fixtures/data/import"),
        &[
            "data",
            "import",
            "national_M2025_dl.xlsx",
            "--output",
            dir.path().join("2025A01.csv").to_str().unwrap(),
        ],
    );
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("pass --force"),
        "{}",
        stderr(&again)
    );
}

#[test]
fn import_the_all_data_workbook_keeps_nation_and_states_only() {
    let imported = import::import(&[fixture("all_data_M_2025.xlsx")], None).unwrap();
    assert_eq!(imported.release.as_str(), "2025A01");
    assert!(imported.problems.is_empty(), "{:?}", imported.problems);
    let areas: Vec<(&str, &str)> = imported
        .records
        .iter()
        .map(|r| (r.occ_code.as_str(), r.estimates.state.as_str()))
        .collect();
    // The metropolitan row (AREA_TYPE 4) is left out.
    assert_eq!(
        areas,
        [
            ("00-0000", "US"),
            ("15-1252", "US"),
            ("15-1252", "AK"),
            ("15-1252", "AL"),
            ("27-2011", "US")
        ]
    );
    assert_eq!(
        imported.files[0].sheet.as_deref(),
        Some("All May 2025 data")
    );
}

#[test]
fn import_the_same_table_as_csv() {
    let imported = import::import(&[fixture("state_M2025_dl.csv")], None).unwrap();
    let problems: Vec<String> = imported
        .problems
        .iter()
        .map(|p| format!("row {}: {}", p.row, p.message))
        .collect();
    assert_eq!(
        problems,
        [
            "row 7: OCC_CODE is `15-12X2`, not a SOC code like 15-1252",
            "row 9: a quoted field is not closed",
        ]
    );
    assert_eq!(imported.records.len(), 6);
    let from_xlsx = import::import(&[fixture("state_M2025_dl.xlsx")], None).unwrap();
    assert_eq!(imported.snapshot_text(), from_xlsx.snapshot_text());
}

#[test]
fn import_refuses_what_it_cannot_use() {
    let error = import::import(&[fixture("not_oews.xlsx")], None).unwrap_err();
    assert!(matches!(error, ImportError::NoRelease), "{error}");
    let error = import::import(&[fixture("not_oews.xlsx")], Release::parse("2025A01")).unwrap_err();
    assert!(error.to_string().ends_with("not_oews.xlsx: no table with an OCC_CODE column in its first 20 rows; is this an OEWS download?"), "{error}");
    let error = import::import(&[fixture("missing_column_M2025_dl.xlsx")], None).unwrap_err();
    assert!(
        error.to_string().ends_with("missing_column_M2025_dl.xlsx, sheet `national_M2025_dl`: the header (row 1) lacks A_PCT90"),
        "{error}"
    );
    let error = import::import(
        &[
            fixture("national_M2025_dl.xlsx"),
            PathBuf::from("state_M2024_dl.xlsx"),
        ],
        None,
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "the files are for different releases (2024A01, 2025A01); import one release at a time"
    );
    let error = import::import(&[fixture("absent_M2025_dl.xlsx")], None).unwrap_err();
    assert!(error.to_string().contains("cannot read"), "{error}");
}

/// Older BLS tables name columns in lower case, `OCC_GROUP` for `O_GROUP`
/// and `ST` for `PRIM_STATE`; numbers may carry thousands separators.
#[test]
fn import_reads_older_column_names() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state_M2019_dl.csv");
    std::fs::write(
        &path,
        "area,area_title,area_type,st,occ_code,occ_title,occ_group,tot_emp,h_mean,a_mean,h_median,a_pct10,a_pct25,a_median,a_pct75,a_pct90\n\
         06,California,2,CA,15-1132,\"Software Developers, Applications\",detailed,\"203,620\",64.61,\"134,390\",62.25,\"84,280\",\"103,460\",\"129,480\",\"159,560\",#\n",
    )
    .unwrap();
    let imported = import::import(&[path], None).unwrap();
    assert_eq!(imported.release.as_str(), "2019A01");
    assert!(imported.problems.is_empty(), "{:?}", imported.problems);
    let record = &imported.records[0];
    assert_eq!(
        record.fields(),
        [
            "6",
            "California",
            "2",
            "CA",
            "15-1132",
            "Software Developers, Applications",
            "detailed",
            "203620",
            "64.61",
            "134390",
            "62.25",
            "84280",
            "103460",
            "129480",
            "159560",
            "#",
        ]
        .map(String::from)
    );
}
