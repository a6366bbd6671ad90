//! `guidepress check` with the fact rules, `--fix`, `--unsafe-fixes`, `--diff`,
//! and `guidepress rule` / `rules`, as a user runs them: exit codes, output, files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const GUIDE: &str = "content/guides/backend-engineer.yaml";

/// A copy of the bundled content, schemas and authors in a temporary folder.
struct Workspace {
    dir: tempfile::TempDir,
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

impl Workspace {
    fn new(config: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        copy_dir(&root.join("content"), &dir.path().join("content"));
        copy_dir(&root.join("schemas"), &dir.path().join("schemas"));
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
        Command::new(env!("CARGO_BIN_EXE_guidepress"))
            .args(args)
            .current_dir(self.dir.path())
            .env("GUIDEPRESS_TODAY", "2026-11-28")
            .env("NO_COLOR", "1")
            .env_remove("CLICOLOR_FORCE")
            .output()
            .unwrap()
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn code(output: &Output) -> i32 {
    output.status.code().unwrap()
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
        stderr(&output).contains("Nothing to fix."),
        "GP304's fix is unsafe"
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
    let output = Command::new(env!("CARGO_BIN_EXE_guidepress"))
        .args(["check", "--output-format", "json"])
        .current_dir(ws.dir.path())
        .env("GUIDEPRESS_TODAY", "2029-01-01")
        .output()
        .unwrap();
    let text = stdout(&output);
    assert!(text.contains("GP313") && text.contains("GP314"), "{text}");
    assert_eq!(code(&output), 0, "stale reviews and sources are warnings");

    let output = Command::new(env!("CARGO_BIN_EXE_guidepress"))
        .arg("check")
        .current_dir(ws.dir.path())
        .env("GUIDEPRESS_TODAY", "2029-02-30")
        .output()
        .unwrap();
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
    assert!(text.contains("## Why it matters") && text.contains("Fix: yes."));
    let output = ws.run(&["rule", "GP999"]);
    assert_eq!(code(&output), 2);
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
