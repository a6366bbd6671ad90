//! Whole-number facts must be written as whole numbers: a float that happens
//! to be whole (`13598e1`, `0.0`, `1e300`) is the wrong type (GP203), a whole
//! number beyond 64 bits is out of range (GP207), and neither passes the
//! fact rules or shows on a preview as a long figure.

use crate::common;

use std::path::Path;

const GUIDE: &str = "content/guides/backend-engineer.yaml";

/// The repository's content, schemas and data in a temporary folder, with
/// the first `field` of the backend guide written as `value`; and the line it is on.
fn workspace_with(field: &str, value: &str) -> (tempfile::TempDir, usize) {
    let temp = crate::common::project();
    let path = temp.path().join(GUIDE);
    let text = std::fs::read_to_string(&path).unwrap();
    let key = format!("{field}: ");
    let mut line = 0;
    let replaced: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(index, l)| {
            let indent = &l[..l.len() - l.trim_start().len()];
            if line == 0 && l.trim_start().starts_with(&key) {
                line = index + 1;
                format!("{indent}{key}{value}")
            } else {
                l.to_owned()
            }
        })
        .collect();
    assert!(line > 0, "{field} not found in {GUIDE}");
    std::fs::write(&path, replaced.join("\n") + "\n").unwrap();
    (temp, line)
}

fn check(dir: &Path) -> (Option<i32>, String) {
    let output = common::cli::run_with(
        dir,
        &["check", "--output-format", "concise", GUIDE],
        &[("GUIDEPRESS_TODAY", "2026-12-01")],
    );
    (output.status.code(), common::cli::stdout(&output))
}

/// Runs `check` with `field: value` and asserts the finding `code` on its line.
fn assert_rejected(field: &str, value: &str, code: &str) {
    let (dir, line) = workspace_with(field, value);
    let (status, stdout) = check(dir.path());
    assert_eq!(status, Some(1), "{field}: {value}\n{stdout}");
    let at = format!("{GUIDE}:{line}:");
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with(&at) && l.contains(code)),
        "{field}: {value}: no {code} at line {line}\n{stdout}"
    );
}

#[test]
fn the_figures_as_written_pass() {
    for (field, value) in [
        ("national_median_salary", "135980"),
        ("annual_openings", "129200"),
    ] {
        let (dir, line) = workspace_with(field, value);
        let (_, stdout) = check(dir.path());
        let at = format!("{GUIDE}:{line}:");
        assert!(!stdout.contains(&at), "{field}: {value}\n{stdout}");
    }
}

#[test]
fn salary_1e300_is_the_wrong_type_and_out_of_range() {
    assert_rejected("national_median_salary", "1e300", "GP203");
    assert_rejected("national_median_salary", "1e300", "GP207");
}

#[test]
fn openings_1e300_is_the_wrong_type_and_out_of_range() {
    assert_rejected("annual_openings", "1e300", "GP203");
    assert_rejected("annual_openings", "1e300", "GP207");
}

#[test]
fn salary_0_0_is_the_wrong_type() {
    assert_rejected("national_median_salary", "0.0", "GP203");
}

#[test]
fn openings_0_0_is_the_wrong_type() {
    assert_rejected("annual_openings", "0.0", "GP203");
}

#[test]
fn salary_13598e1_is_the_wrong_type_and_says_how_to_write_it() {
    assert_rejected("national_median_salary", "13598e1", "GP203");
    let (dir, _) = workspace_with("national_median_salary", "13598e1");
    let output = common::cli::run_with(
        dir.path(),
        &["check", GUIDE],
        &[("GUIDEPRESS_TODAY", "2026-12-01"), ("NO_COLOR", "1")],
    );
    let stdout = common::cli::stdout(&output);
    assert!(stdout.contains("`135980`"), "{stdout}");
}

#[test]
fn openings_13598e1_is_the_wrong_type() {
    assert_rejected("annual_openings", "13598e1", "GP203");
}

#[test]
fn salary_beyond_64_bits_is_out_of_range() {
    assert_rejected(
        "national_median_salary",
        "999999999999999999999999",
        "GP207",
    );
}

#[test]
fn openings_beyond_64_bits_is_out_of_range() {
    assert_rejected("annual_openings", "999999999999999999999999", "GP207");
}

#[test]
fn a_salary_above_ten_million_is_out_of_range() {
    assert_rejected("national_median_salary", "10000001", "GP207");
}

#[test]
fn preview_does_not_spell_out_1e300_as_a_figure() {
    let (dir, _) = workspace_with("national_median_salary", "1e300");
    let out = dir.path().join("site");
    let output = common::cli::run_with(
        dir.path(),
        &["preview", "--out", "site", GUIDE],
        &[("GUIDEPRESS_TODAY", "2026-12-01")],
    );
    let page = std::fs::read_dir(&out)
        .unwrap_or_else(|e| panic!("{e}: {}", common::cli::text(&output.stderr)))
        .filter_map(Result::ok)
        .find(|e| e.file_name() != "index.html")
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .expect("a page");
    assert!(!page.contains("$1,000,000,000"), "a long figure");
    assert!(!page.contains("000000000000000"), "a long figure");
    assert!(page.contains("1e300"), "the value as written");
}

/// The findings of `check` as (line, code) pairs, without `skip`'s code.
fn findings(dir: &Path, skip: &str) -> Vec<(String, String)> {
    let (_, stdout) = check(dir);
    stdout
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix(&format!("{GUIDE}:"))?;
            let (at, rest) = rest.split_once(": ")?;
            let line_number = at.split(':').next()?.to_owned();
            // `error GP603 …`: the severity, then the code.
            let code = rest
                .split_whitespace()
                .find(|w| w.starts_with("GP"))?
                .to_owned();
            (code != skip).then_some((line_number, code))
        })
        .collect()
}

/// Beside GP203, a whole float draws the fact findings its integer draws
/// (rules read figures through one helper, `rules::whole`). A value a rule
/// cannot use (0 as a national median) is left to the schema finding, as
/// for any schema error.
#[test]
fn fact_rules_read_a_whole_float_as_the_integer_it_equals() {
    for (field, integer, float) in [
        ("national_median_salary", "135990", "13599e1"),
        ("national_median_salary", "100000", "1e5"),
        ("annual_openings", "140000", "1.4e5"),
    ] {
        let (as_integer, _) = workspace_with(field, integer);
        let (as_float, line) = workspace_with(field, float);
        let expected = findings(as_integer.path(), "");
        assert!(
            expected
                .iter()
                .any(|(_, code)| code.starts_with("GP3") || code.starts_with("GP6"))
                || integer == "140000",
            "{field}: {integer} should draw a fact finding: {expected:?}"
        );
        let got = findings(as_float.path(), "GP203");
        assert_eq!(got, expected, "{field}: {float} against {integer}");
        let all = findings(as_float.path(), "");
        assert!(
            all.contains(&(line.to_string(), "GP203".to_owned())),
            "{field}: {float}: {all:?}"
        );
    }
}

#[test]
fn percentages_and_durations_beyond_any_sense_are_out_of_range() {
    for (field, value) in [
        ("job_growth_pct", "1e300"),
        ("job_growth_pct", "-101"),
        ("vs_national_pct", "1e300"),
        ("vs_national_pct", "-1e300"),
    ] {
        assert_rejected(field, value, "GP207");
    }
    let (dir, line) = workspace_with("total_duration", "{ min: 1e300, max: 1e300, unit: years }");
    let (status, stdout) = check(dir.path());
    assert_eq!(status, Some(1), "{stdout}");
    assert!(
        stdout.contains(&format!("{GUIDE}:{line}:")) && stdout.contains("GP207"),
        "{stdout}"
    );
}
