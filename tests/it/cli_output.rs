//! The output flags of `guidepress check`, run as a program on the fixture
//! under `tests/fixtures/formats/` (errors in two guides, a warning in a note).

use crate::common;

use std::process::Output;

use crate::common::cli::stdout;

fn guidepress(args: &[&str], env: &[(&str, &str)]) -> Output {
    common::cli::run_with(&common::fixture_dir(), args, env)
}

const WARNING_ONLY: &str = "content/notes/stray.yaml";
const CLEAN: &str = "content/guides/clean.yaml";

#[test]
fn errors_fail_by_default() {
    let output = guidepress(&["check", "--output-format", "concise"], &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
}

#[test]
fn fail_level_never_and_exit_zero_succeed_with_errors() {
    for flags in [&["--fail-level", "never"][..], &["--exit-zero"][..]] {
        let mut args = vec!["check", "--output-format", "concise"];
        args.extend_from_slice(flags);
        let output = guidepress(&args, &[]);
        assert_eq!(output.status.code(), Some(0), "{flags:?}");
        assert!(
            stdout(&output).contains(": error GP"),
            "findings are still printed"
        );
    }
}

#[test]
fn warnings_fail_only_at_fail_level_warning() {
    let run = |extra: &[&str]| {
        let mut args = vec!["check", "--output-format", "concise", WARNING_ONLY];
        args.extend_from_slice(extra);
        guidepress(&args, &[]).status.code()
    };
    assert_eq!(run(&[]), Some(0));
    assert_eq!(run(&["--fail-level", "error"]), Some(0));
    assert_eq!(run(&["--fail-level", "warning"]), Some(1));
    assert_eq!(run(&["--deny-warnings"]), Some(1));
}

#[test]
fn exit_zero_conflicts_with_fail_level() {
    let output = guidepress(&["check", "--exit-zero", "--fail-level", "warning"], &[]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn several_outputs_in_one_run() {
    let temp = tempfile::tempdir().unwrap();
    let sarif = temp.path().join("out.sarif");
    let summary = temp.path().join("summary.md");
    let output = guidepress(
        &[
            "check",
            "--output-format",
            "concise",
            "--sarif",
            sarif.to_str().unwrap(),
            "--summary",
            summary.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.contains("content/guides/café.yaml:"), "{text}");
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(!sarif["runs"][0]["results"].as_array().unwrap().is_empty());
    let summary = std::fs::read_to_string(&summary).unwrap();
    assert!(summary.starts_with("## guidepress check"), "{summary}");
}

#[test]
fn github_actions_defaults_to_annotations_and_the_step_summary() {
    let temp = tempfile::tempdir().unwrap();
    let summary = temp.path().join("step_summary.md");
    std::fs::write(&summary, "earlier step output\n").unwrap();
    let output = guidepress(
        &["check"],
        &[
            ("GITHUB_ACTIONS", "true"),
            ("GITHUB_STEP_SUMMARY", summary.to_str().unwrap()),
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.lines().any(|l| l.starts_with("::error file=")),
        "{text}"
    );
    let summary = std::fs::read_to_string(&summary).unwrap();
    assert!(
        summary.starts_with("earlier step output\n## guidepress check"),
        "{summary}"
    );
}

#[test]
fn an_explicit_format_wins_over_github_actions() {
    let output = guidepress(
        &["check", "--output-format", "json", CLEAN],
        &[("GITHUB_ACTIONS", "true")],
    );
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output).trim(), "[]");
}

#[test]
fn shards_split_the_files_without_overlap() {
    let cases = |shard: &str| -> Vec<String> {
        let output = guidepress(
            &["check", "--output-format", "junit", "--shard", shard],
            &[],
        );
        stdout(&output)
            .lines()
            .filter_map(|l| l.trim().strip_prefix("<testcase name=\""))
            .map(|l| l.split('"').next().unwrap().to_owned())
            .collect()
    };
    let mut all = cases("1/1");
    all.sort();
    let (first, second) = (cases("1/2"), cases("2/2"));
    assert_eq!(all.len(), 4, "{all:?}");
    assert_eq!(first.len() + second.len(), all.len());
    let mut union = [first.clone(), second].concat();
    union.sort();
    assert_eq!(union, all);
    assert_eq!(cases("1/2"), first, "the same split every time");
    let bad = guidepress(&["check", "--shard", "3/2"], &[]);
    assert_eq!(bad.status.code(), Some(2));
}
