//! The `github` format: escaping, columns only on one-line findings, and the
//! annotation budget (GitHub shows at most 10 annotations of each type per step).

use crate::common;

use guidepress::changes::ChangedLines;
use guidepress::config;
use guidepress::pipeline::{self, Input};
use guidepress::report::{
    self, OutputFormat, ReportContext, ReportOptions, escape_data, escape_property,
};
use guidepress::results::CheckReport;
use guidepress::workspace::Workspace;

fn budget_report() -> CheckReport {
    let dir = crate::common::repo_path("tests/fixtures/budget");
    let workspace = Workspace::open(config::discover(&dir).unwrap(), &dir, None).unwrap();
    let inputs: Vec<Input> = workspace
        .targets(&[])
        .unwrap()
        .into_iter()
        .map(Input::from)
        .collect();
    pipeline::load_and_validate(&inputs, workspace.limits())
}

fn github(report: &CheckReport, context: &ReportContext) -> String {
    let mut out = Vec::new();
    report::write_report_with(
        OutputFormat::Github,
        report,
        &ReportOptions::default(),
        context,
        &mut out,
    )
    .unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn thirty_errors_give_ten_annotations_and_one_overflow_notice() {
    let report = budget_report();
    assert_eq!(report.counts().errors, 30);
    let text = github(&report, &ReportContext::default());
    let errors: Vec<&str> = text.lines().filter(|l| l.starts_with("::error ")).collect();
    let notices: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("::notice "))
        .collect();
    assert_eq!(errors.len(), 10, "{text}");
    assert_eq!(notices.len(), 1, "{text}");
    assert!(notices[0].contains("20 more findings"), "{}", notices[0]);
    assert!(notices[0].contains("job summary"), "{}", notices[0]);
    // The first ten in file order when nothing is known about the change.
    assert!(errors[0].contains("line=2,"), "{}", errors[0]);
}

#[test]
fn findings_on_changed_lines_come_first_within_the_budget() {
    let report = budget_report();
    let mut changed = std::collections::BTreeMap::new();
    changed.insert("content/guides/thirty.yaml".to_owned(), vec![(31, 31)]);
    let context = ReportContext {
        changed: Some(ChangedLines(changed)),
        ..ReportContext::default()
    };
    let text = github(&report, &context);
    let first = text.lines().next().unwrap();
    assert!(
        first.starts_with("::error ") && first.contains("line=31,"),
        "{first}"
    );
}

#[test]
fn hidden_findings_are_announced() {
    let report = CheckReport::default();
    let context = ReportContext {
        hidden: 3,
        ..ReportContext::default()
    };
    let text = github(&report, &context);
    assert!(
        text.starts_with("::notice ")
            && text.contains("3 findings on lines this change did not touch"),
        "{text}"
    );
}

#[test]
fn escaping_follows_the_workflow_command_rules() {
    assert_eq!(
        escape_data("100% done\r\nnext: a, b"),
        "100%25 done%0D%0Anext: a, b"
    );
    assert_eq!(escape_property("a: b, 100%\n"), "a%3A b%2C 100%25%0A");
}

#[test]
fn multi_line_findings_have_no_columns() {
    let report = common::fixture_report();
    let text = github(&report, &ReportContext::default());
    let mut saw_multi_line = false;
    for line in text.lines().filter(|l| l.starts_with("::")) {
        let Some(props) = line.split("::").nth(1) else {
            continue;
        };
        let get = |key: &str| {
            props.split(',').find_map(|p| {
                p.split_once('=')
                    .filter(|(k, _)| k.ends_with(key))
                    .map(|(_, v)| v.to_owned())
            })
        };
        if let (Some(start), Some(end)) = (get(" file").and(get("line")), get("endLine")) {
            if start != end {
                saw_multi_line = true;
                assert!(!props.contains(",col="), "{line}");
                assert!(!props.contains("endColumn="), "{line}");
            } else {
                assert!(props.contains(",col="), "{line}");
            }
        }
    }
    assert!(saw_multi_line, "{text}");
}

#[test]
fn annotation_paths_start_at_the_repository_root() {
    let report = budget_report();
    let context = ReportContext {
        path_prefix: "site/".into(),
        ..ReportContext::default()
    };
    let text = github(&report, &context);
    assert!(
        text.starts_with("::error file=site/content/guides/thirty.yaml,"),
        "{text}"
    );
}
