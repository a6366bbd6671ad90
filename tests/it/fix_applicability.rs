//! One source of truth for what kind of fix each code carries: the `fix`
//! column of the code table (`src/codes.rs`). Every fix a finding carries
//! over the fixtures (rule fixtures with every rule on, the official-data
//! fixtures against the shipped snapshot, the reader's fixtures) has the
//! applicability its code declares, every code declaring a fix shows one, and
//! `rules`, `rules --json` and `rule CODE` print the column.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::common::cli::{run, stdout};
use crate::rule_support;
use guidepress::Applicability;
use guidepress::codes;
use guidepress::data::projections::ProjectionStore;
use guidepress::data::{DataConfig, DataStore};
use guidepress::file_kind::FileKind;
use guidepress::load::LoadLimits;
use guidepress::pipeline::{self, Input, Stages};
use guidepress::prose::{Prose, ProseConfig};
use guidepress::results::CheckReport;
use guidepress::rules::{RuleSettings, RulesConfig};

fn root() -> &'static Path {
    crate::common::crate_root()
}

/// Every rule on, with the shipped BLS snapshot.
fn settings() -> RuleSettings {
    let config = DataConfig {
        dir: Some("data/oews".into()),
        ..DataConfig::default()
    };
    let mut context = rule_support::context();
    context.data = Some(Arc::new(
        DataStore::open(&config, root(), root()).unwrap().unwrap(),
    ));
    context.projections = ProjectionStore::open(&DataConfig::default(), root(), root())
        .unwrap()
        .map(Arc::new);
    // The prose checks with the guide schema's prose fields and one house term.
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/guide.schema.json")).unwrap(),
    )
    .unwrap();
    let prose = ProseConfig {
        terms: [("back-end".to_owned(), "backend".to_owned())].into(),
        ..ProseConfig::default()
    };
    context.prose = Prose::open(&prose, root(), [&schema]).map(Arc::new);
    RuleSettings::from_parts(&RulesConfig::default(), context, root(), root()).unwrap()
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path);
        }
    }
}

fn check(display: &str, text: &str, settings: &RuleSettings) -> CheckReport {
    let input = Input::memory(display, text, FileKind::Guide, None);
    let stages = Stages {
        limits: LoadLimits::default(),
        validate: false,
        rules: Some(settings),
        links: None,
        keep_values: true,
    };
    pipeline::run(&[input], &stages).unwrap().report
}

#[test]
fn every_fix_has_the_applicability_its_code_declares() {
    let settings = settings();
    let mut files = Vec::new();
    for dir in [
        "tests/fixtures/rules",
        "tests/fixtures/data/rules",
        "tests/fixtures/check",
        "tests/fixtures/fix_kinds",
    ] {
        yaml_files(&root().join(dir), &mut files);
    }
    files.sort();
    let mut texts: Vec<(String, String)> = files
        .iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(path).ok()?;
            let display = path.strip_prefix(root()).unwrap().display().to_string();
            Some((display, text))
        })
        .collect();
    // A suppression that suppresses nothing (GP390 carries a safe fix).
    texts.push((
        "unused-suppression.yaml".into(),
        "title: A # guidepress: ignore[GP301] nothing to suppress here\n".into(),
    ));
    assert!(texts.len() > 60, "{} fixtures", texts.len());

    let mut seen = BTreeSet::new();
    for (display, text) in &texts {
        let report = check(display, text, &settings);
        for d in report.diagnostics() {
            let Some(fix) = &d.fix else { continue };
            let info = codes::lookup(d.code).unwrap_or_else(|| panic!("{} is in no table", d.code));
            assert_eq!(
                info.fix,
                Some(fix.applicability),
                "{display}: a {} finding carries a {:?} fix; the code table says {:?}",
                d.code,
                fix.applicability,
                info.fix
            );
            seen.insert(d.code);
        }
    }
    // Every code that declares a fix shows one over the fixtures, so the
    // declaration is checked. GP403 (a permanent redirect) needs a link
    // server; tests/it/links_snapshots.rs shows its safe fix.
    let declared: BTreeSet<&str> = codes::all_codes()
        .filter(|info| info.fix.is_some())
        .map(|info| info.code)
        .filter(|code| *code != codes::LINK_PERMANENT_REDIRECT)
        .collect();
    let unseen: Vec<_> = declared.difference(&seen).collect();
    assert!(unseen.is_empty(), "no fixture shows a fix of {unseen:?}");
    // The official-data fixes are unsafe, as `--fix` treats them.
    for code in ["GP601", "GP602", "GP603", "GP604", "GP605", "GP606"] {
        assert_eq!(
            codes::lookup(code).unwrap().fix,
            Some(Applicability::Unsafe),
            "{code}"
        );
    }
}

#[test]
fn rules_and_rule_print_the_declared_applicability() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(dir.path(), &["rules", "--json"]);
    assert_eq!(output.status.code(), Some(0));
    let rows: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), codes::all_codes().count());
    for row in rows {
        let code = row["code"].as_str().unwrap();
        let expected = match codes::lookup(code).unwrap().fix {
            Some(Applicability::Safe) => serde_json::json!("safe"),
            Some(Applicability::Unsafe) => serde_json::json!("unsafe"),
            None => serde_json::Value::Null,
        };
        assert_eq!(row["fix"], expected, "{code}");
    }
    let gp605 = rows.iter().find(|r| r["code"] == "GP605").unwrap();
    assert_eq!(gp605["fix"], "unsafe");

    let table = stdout(&run(dir.path(), &["rules"]));
    let line = table.lines().find(|l| l.starts_with("GP605")).unwrap();
    assert!(line.contains(" unsafe "), "{line}");
    assert!(!line.contains(" safe "), "{line}");

    let doc = stdout(&run(dir.path(), &["rule", "GP605"]));
    let last: Vec<&str> = doc.trim_end().lines().rev().take(2).collect();
    assert_eq!(last[1], "Default severity: error. Fix: unsafe.", "{doc}");
    assert!(
        last[0].starts_with("Documentation: ") && last[0].ends_with("/rules/GP605/"),
        "{doc}"
    );
}

/// `check --diff` counts what remains by what would resolve it: a fix
/// `--unsafe-fixes` would apply, or none.
#[test]
fn diff_counts_what_remains_by_applicability() {
    let dir = tempfile::tempdir().unwrap();
    crate::common::copy_dir(
        &crate::common::project_content(),
        &dir.path().join("content"),
    );
    crate::common::copy_dir(&root().join("schemas"), &dir.path().join("schemas"));
    std::fs::write(dir.path().join("guidepress.toml"), "").unwrap();
    let guide = dir.path().join("content/guides/backend-engineer.yaml");
    let text = std::fs::read_to_string(&guide)
        .unwrap()
        // GP301, a safe fix.
        .replacen("vs_national_pct: 28", "vs_national_pct: 29", 1)
        // GP309, an unsafe fix (the slug differs from the file name).
        .replacen("slug: backend-engineer", "slug: backend-engineers", 1)
        // GP308, no fix.
        .replacen("author: taylor-rupe", "author: nobody-known", 1);
    std::fs::write(&guide, text).unwrap();
    let output = crate::common::cli::run_with(
        dir.path(),
        &["check", "--diff"],
        &[("GUIDEPRESS_TODAY", "2026-11-28")],
    );
    let err = crate::common::cli::stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "Would fix 1 finding in 1 file; 1 error remains that --unsafe-fixes would fix, 1 error remains that no fix resolves (run `guidepress check` to see them)."
        ),
        "{err}"
    );
    // The GP304 warning's unsafe fix is offered too, though it fails nothing.
    assert!(
        err.contains("2 more fixes are available with --unsafe-fixes."),
        "{err}"
    );
    let output = crate::common::cli::run_with(
        dir.path(),
        &["check", "--diff", "--unsafe-fixes"],
        &[("GUIDEPRESS_TODAY", "2026-11-28")],
    );
    let err = crate::common::cli::stderr(&output);
    assert!(
        err.contains(
            "Would fix 3 findings in 1 file; 1 error remains that no fix resolves (run `guidepress check` to see it)."
        ),
        "{err}"
    );
}
