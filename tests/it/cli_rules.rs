//! `guidepress check` with the fact rules, `--fix`, `--unsafe-fixes`, `--diff`,
//! and `guidepress rule` / `rules`, as a user runs them: exit codes, output, files.

use crate::common;

use std::path::PathBuf;
use std::process::Output;

use crate::common::cli::{code, stderr, stdout};
use crate::common::copy_dir;

const GUIDE: &str = "content/guides/backend-engineer.yaml";

/// A copy of the bundled content, schemas and authors in a temporary folder.
struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    fn new(config: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&common::project_content(), &dir.path().join("content"));
        copy_dir(&common::repo_path("schemas"), &dir.path().join("schemas"));
        std::fs::write(dir.path().join("guidepress.toml"), config).unwrap();
        Workspace { dir }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path(relative)).unwrap()
    }

    fn edit(&self, relative: &str, from: &str, to: &str) {
        let text = self.read(relative);
        assert!(text.contains(from), "{from} not in {relative}");
        std::fs::write(self.path(relative), text.replacen(from, to, 1)).unwrap();
    }

    fn run(&self, args: &[&str]) -> Output {
        common::cli::run_with(
            self.dir.path(),
            args,
            &[("GUIDEPRESS_TODAY", "2026-11-28"), ("NO_COLOR", "1")],
        )
    }
}

#[test]
fn bundled_content_passes_with_the_duration_warning() {
    let ws = Workspace::new("");
    let output = ws.run(&["check", "--output-format", "json"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let findings: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let codes: Vec<&str> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["GP304"]);
    assert_eq!(findings[0]["severity"], "warning");
    let output = ws.run(&["check", "--deny-warnings"]);
    assert_eq!(code(&output), 1);
}

#[test]
fn wrong_percentage_fails_and_fix_rewrites_only_that_number() {
    let ws = Workspace::new("");
    ws.edit(GUIDE, "vs_national_pct: 28", "vs_national_pct: 29");
    let before = ws.read(GUIDE);
    let output = ws.run(&["check"]);
    assert_eq!(code(&output), 1);
    assert!(stdout(&output).contains("GP301"), "{}", stdout(&output));

    let output = ws.run(&["check", "--diff"]);
    assert_eq!(code(&output), 1);
    assert!(
        stdout(&output).contains("-    vs_national_pct: 29\n+    vs_national_pct: 28\n"),
        "{}",
        stdout(&output)
    );
    assert_eq!(ws.read(GUIDE), before, "--diff writes nothing");

    let output = ws.run(&["check", "--fix"]);
    assert_eq!(code(&output), 0, "{}{}", stdout(&output), stderr(&output));
    assert!(stderr(&output).contains("Fixed 1 finding in 1 file."));
    assert!(
        !stdout(&output).contains("GP301"),
        "only what remains is reported"
    );
    assert!(stdout(&output).contains("GP304"));
    let after = ws.read(GUIDE);
    assert_eq!(
        after,
        before.replacen("vs_national_pct: 29", "vs_national_pct: 28", 1)
    );

    let output = ws.run(&["check", "--fix"]);
    assert_eq!(code(&output), 0);
    assert!(stderr(&output).contains("Nothing to fix."));
    assert_eq!(ws.read(GUIDE), after, "a second --fix changes nothing");
    let leftovers: Vec<_> = std::fs::read_dir(ws.path("content/guides"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left: {leftovers:?}");
}

#[test]
fn unsafe_fixes_rewrite_the_career_path_total() {
    let ws = Workspace::new("");
    let output = ws.run(&["check", "--fix"]);
    assert!(
        stderr(&output).contains("Nothing to fix. 1 more fix is available with --unsafe-fixes."),
        "GP304's fix is unsafe: {}",
        stderr(&output)
    );
    assert!(
        stdout(&output).contains("(1 fixable with `--unsafe-fixes`)"),
        "{}",
        stdout(&output)
    );
    let output = ws.run(&["check", "--output-format", "markdown"]);
    assert!(
        stdout(&output).contains("0 fixable (1 more with `--unsafe-fixes`)."),
        "{}",
        stdout(&output)
    );
    let output = ws.run(&["check", "--unsafe-fixes", "--deny-warnings"]);
    assert_eq!(code(&output), 0, "{}", stdout(&output));
    assert!(stderr(&output).contains("Fixed 1 finding in 1 file."));
    assert!(
        ws.read(GUIDE)
            .contains("total_duration: { min: 6.5, max: 8, unit: years }")
    );
}

#[test]
fn rules_config_turns_rules_off_and_rejects_unknown_codes() {
    let ws = Workspace::new("[rules]\nseverity = { career-path-duration = \"off\" }\n");
    let output = ws.run(&["check"]);
    assert_eq!(code(&output), 0);
    assert!(
        stdout(&output).contains("All checks passed"),
        "{}",
        stdout(&output)
    );

    let ws = Workspace::new("[rules]\nseverity = { GP399 = \"off\" }\n");
    let output = ws.run(&["check"]);
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("GP399"), "{}", stderr(&output));

    let ws = Workspace::new("[rules]\neditors = [\"someone-else\"]\n");
    let output = ws.run(&["check"]);
    assert_eq!(code(&output), 1);
    assert!(stdout(&output).contains("GP311"));
}

#[test]
fn today_is_injectable_and_validated() {
    let ws = Workspace::new("");
    let output = common::cli::run_with(
        ws.dir.path(),
        &["check", "--output-format", "json"],
        &[("GUIDEPRESS_TODAY", "2029-01-01")],
    );
    let text = stdout(&output);
    assert!(text.contains("GP313") && text.contains("GP314"), "{text}");
    assert_eq!(code(&output), 0, "stale reviews and sources are warnings");

    let output = common::cli::run_with(
        ws.dir.path(),
        &["check"],
        &[("GUIDEPRESS_TODAY", "2029-02-30")],
    );
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("GUIDEPRESS_TODAY"));
}

#[test]
fn rule_and_rules_commands() {
    let ws = Workspace::new("");
    let output = ws.run(&["rules"]);
    assert_eq!(code(&output), 0);
    let text = stdout(&output);
    for code in ["GP101", "GP201", "GP301", "GP315", "GP390"] {
        assert!(text.contains(code), "{code} missing:\n{text}");
    }
    let output = ws.run(&["rule", "salary-vs-national"]);
    assert_eq!(code(&output), 0);
    let text = stdout(&output);
    assert!(text.starts_with("# GP301 `salary-vs-national`"), "{text}");
    assert!(text.contains("## Why it matters") && text.contains("Fix: safe."));
    // Core codes have the same documentation as the fact rules.
    for (code, fix) in [("GP203", "none"), ("GP103", "safe"), ("GP309", "unsafe")] {
        let output = ws.run(&["rule", code]);
        assert_eq!(output.status.code(), Some(0));
        let text = stdout(&output);
        for heading in ["## What it checks", "## Why it matters", "## Example"] {
            assert!(text.contains(heading), "{code}: {heading}\n{text}");
        }
        assert!(text.contains(&format!("Fix: {fix}.")), "{code}:\n{text}");
    }
    // `rules` says which fixes are safe and which are not.
    let output = ws.run(&["rules"]);
    let text = stdout(&output);
    let row = |code: &str| {
        text.lines()
            .find(|l| l.starts_with(code))
            .unwrap_or_default()
            .to_owned()
    };
    assert!(row("GP301").contains(" safe "), "{text}");
    assert!(row("GP309").contains(" unsafe "), "{text}");
    assert!(!row("GP203").contains("safe"), "{text}");
    let output = ws.run(&["rules", "--json"]);
    let rows: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    let fix_of = |code: &str| {
        rows.as_array()
            .and_then(|r| r.iter().find(|row| row["code"] == code))
            .map(|row| row["fix"].clone())
    };
    assert_eq!(fix_of("GP304"), Some(serde_json::json!("unsafe")));
    assert_eq!(fix_of("GP301"), Some(serde_json::json!("safe")));
    assert_eq!(fix_of("GP201"), Some(serde_json::Value::Null));
    let output = ws.run(&["rule", "GP999"]);
    assert_eq!(code(&output), 2);
    // `rule` names the code's page on the site, or the configured link, or none.
    let text = stdout(&ws.run(&["rule", "GP604"]));
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        text.ends_with(&format!(
            "Documentation: https://guidepress.github.io/guidepress/{version}/rules/GP604/\n"
        )),
        "{text}"
    );
    let ws = Workspace::new("[output]\ndocs_url = \"\"\n");
    let text = stdout(&ws.run(&["rule", "GP604"]));
    assert!(!text.contains("Documentation:"), "{text}");
}

#[test]
fn fix_refuses_a_file_changed_since_it_was_read() {
    // The library half of the guarantee: `fix::write` compares before writing.
    let ws = Workspace::new("");
    let fixed = guidepress::fix::FixedFile {
        display: PathBuf::from(GUIDE),
        original: "not what is on disk".into(),
        fixed: "x".into(),
        edits: Vec::new(),
        fixes: 1,
    };
    let error = guidepress::fix::write(ws.dir.path(), &fixed).unwrap_err();
    assert!(error.to_string().contains("changed since it was checked"));
    assert!(ws.read(GUIDE).starts_with("# yaml-language-server"));
}

#[test]
fn diff_fails_while_errors_remain_that_no_fix_resolves() {
    let ws = Workspace::new("");
    // A typo no fix can resolve: one error, and no second error from the
    // fact rule that needs the value (GP301 stays silent after GP203).
    ws.edit(
        GUIDE,
        "national_median_salary: 135980",
        "national_median_salary: \"$135,980\"",
    );
    let output = ws.run(&["check", "--output-format", "concise"]);
    assert_eq!(code(&output), 1);
    let text = stdout(&output);
    assert!(text.contains("GP203"), "{text}");
    assert!(!text.contains("GP301"), "{text}");
    let output = ws.run(&["check", "--diff"]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    assert!(stdout(&output).is_empty(), "{}", stdout(&output));
    assert!(
        stderr(&output).contains(
            "Nothing to fix; 1 error remains that no fix resolves (run `guidepress check` to see it)."
        ),
        "{}",
        stderr(&output)
    );
    // Warnings alone do not fail it at the default fail level.
    let ws = Workspace::new("");
    let output = ws.run(&["check", "--diff"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
}

#[test]
fn dump_of_a_folder_says_it_takes_a_file() {
    let ws = Workspace::new("");
    let output = ws.run(&["dump", "content/guides"]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output)
            .contains("`content/guides` is a folder; `guidepress dump` takes one YAML file"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn rule_links_point_at_this_versions_documentation_and_are_configurable() {
    let version = env!("CARGO_PKG_VERSION");
    let ws = Workspace::new("");
    ws.edit(
        GUIDE,
        "national_median_salary: 135980",
        "national_median_salary: \"$135,980\"",
    );
    let output = ws.run(&["check", "--output-format", "markdown"]);
    let text = stdout(&output);
    // Each code links to its own page on the site, in this version's folder.
    for code in ["GP203", "GP304"] {
        assert!(
            text.contains(&format!(
                "https://guidepress.github.io/guidepress/{version}/rules/{code}/"
            )),
            "{text}"
        );
    }
    assert!(!text.contains("README.md#diagnostic-codes"), "{text}");

    // `{path}` still names the file of the documentation in the repository.
    let ws = Workspace::new("[output]\ndocs_url = \"{repository}/blob/v{version}/{path}\"\n");
    ws.edit(
        GUIDE,
        "national_median_salary: 135980",
        "national_median_salary: \"$135,980\"",
    );
    let text = stdout(&ws.run(&["check", "--output-format", "markdown"]));
    assert!(
        text.contains(&format!(
            "https://github.com/guidepress/guidepress/blob/v{version}/src/codes/docs/GP203.md"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "https://github.com/guidepress/guidepress/blob/v{version}/src/rules/docs/GP304.md"
        )),
        "{text}"
    );

    let ws = Workspace::new(
        "[output]\ndocs_url = \"https://docs.example.com/{version}/{code_lower}\"\n",
    );
    let output = ws.run(&["check", "--output-format", "sarif"]);
    let text = stdout(&output);
    assert!(
        text.contains(&format!(
            "\"helpUri\": \"https://docs.example.com/{version}/gp304\""
        )),
        "{text}"
    );

    let ws = Workspace::new("[output]\ndocs_url = \"\"\n");
    let output = ws.run(&["check", "--output-format", "sarif"]);
    assert!(!stdout(&output).contains("helpUri"), "{}", stdout(&output));
}

#[test]
fn an_unreachable_cms_is_named_with_how_to_set_it() {
    // A port that was free a moment ago: nothing listens on it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap();
    let ws = Workspace::new(&format!(
        "[cms]\nbase_url = \"http://127.0.0.1:{port}\"\nretries = 0\nconnect_timeout_secs = 2\n"
    ));
    let output = common::cli::run_with(
        ws.dir.path(),
        &["publish", "--dry-run"],
        &[
            ("GUIDEPRESS_CMS_TOKEN", "token-that-must-not-show"),
            ("GUIDEPRESS_TODAY", "2026-11-28"),
        ],
    );
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    let text = stderr(&output);
    assert!(
        text.contains(&format!(
            "could not connect to the CMS at http://127.0.0.1:{port}"
        )),
        "{text}"
    );
    assert!(
        text.contains("--cms-url, GUIDEPRESS_CMS_URL or `base_url` under [cms]"),
        "{text}"
    );
    assert!(!text.contains("token-that-must-not-show"), "{text}");
}

#[test]
fn the_career_path_warning_shows_only_the_lines_that_matter() {
    let ws = Workspace::new("");
    let output = ws.run(&["check"]);
    let text = stdout(&output);
    let block: Vec<&str> = text
        .split("\n\n")
        .skip_while(|part| !part.starts_with("GP304"))
        .nth(1)
        .unwrap_or_default()
        .lines()
        .collect();
    let source_lines: Vec<&&str> = block
        .iter()
        .filter(|l| l.trim_start().starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    // The total and its four steps, with one line of context on each side.
    assert_eq!(source_lines.len(), 7, "{}", block.join("\n"));
    assert!(
        block.iter().any(|l| l.trim() == "⋮"),
        "{}",
        block.join("\n")
    );
    assert!(!text.contains("Learn a cloud platform"), "{text}");
    for step in [
        "step 1: 4 years",
        "step 4: 2-3 years",
        "steps add up to 6.5-8 years",
    ] {
        assert!(text.contains(step), "{step}: {text}");
    }
}
