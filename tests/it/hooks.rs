//! The pre-commit hooks (`.pre-commit-hooks.yaml`): the file loads, each
//! hook's `files` pattern picks the paths it is meant for, read as
//! pre-commit reads it (Python's `re.search` on the path from the
//! repository root), and the entry script exists.

use std::fs;
use std::process::Command;

use serde_json::Value;

use crate::release_support::root;

fn hooks() -> Vec<Value> {
    let source = fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    let parsed = guidepress::load::parse(
        &source,
        &guidepress::load::ParseOptions {
            track_spans: true,
            single_document: true,
            ..Default::default()
        },
    );
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    parsed.documents[0]
        .as_array()
        .expect("a list of hooks")
        .clone()
}

fn hook(id: &str) -> Value {
    hooks()
        .into_iter()
        .find(|h| h["id"] == id)
        .unwrap_or_else(|| panic!("no hook {id}"))
}

/// Which of `paths` the hook runs on: `re.search(files, path)` and not
/// `re.search(exclude, path)`, as pre-commit filters (`types` default to `file`).
fn selected(hook: &Value, paths: &[&str]) -> Vec<String> {
    let files = hook["files"].as_str().unwrap_or("");
    let exclude = hook["exclude"].as_str().unwrap_or("^$");
    let program = "import re, sys\n\
        files, exclude = re.compile(sys.argv[1]), re.compile(sys.argv[2])\n\
        for path in sys.argv[3:]:\n    \
            if files.search(path) and not exclude.search(path): print(path)\n";
    let output = Command::new("python3")
        .args(["-c", program, files, exclude])
        .args(paths)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

const PATHS: &[&str] = &[
    "content/guides/registered-nurses.yaml",
    "content/guides/nested/web-developers.yml",
    "content/authors/jane-doe.yaml",
    "schemas/guide.schema.json",
    "schemas/author.schema.json",
    "data/oews/2025A01.csv",
    "data/oews/README.md",
    "data/projections/2024-34.csv",
    "guidepress.toml",
    "README.md",
    "src/main.rs",
    ".github/workflows/content.yml",
    "tests/fixtures/content/guides/x.yaml",
    "mycontent/guides/x.yaml",
    "old-guidepress.toml",
    "guidepress.toml.bak",
    "metadata/x.json",
];

#[test]
fn the_check_hook_runs_on_changed_guides_and_authors() {
    let check = hook("guidepress-check");
    assert_eq!(
        selected(&check, PATHS),
        [
            "content/guides/registered-nurses.yaml",
            "content/guides/nested/web-developers.yml",
            "content/authors/jane-doe.yaml",
        ]
    );
    // The changed files are passed: only they are checked.
    assert_ne!(check["pass_filenames"], false);
}

#[test]
fn the_check_all_hook_runs_when_schemas_data_or_the_config_change() {
    let all = hook("guidepress-check-all");
    assert_eq!(
        selected(&all, PATHS),
        [
            "schemas/guide.schema.json",
            "schemas/author.schema.json",
            "data/oews/2025A01.csv",
            "data/oews/README.md",
            "data/projections/2024-34.csv",
            "guidepress.toml",
        ]
    );
    // Such a change can break any guide: every file is checked, not the
    // schema or CSV itself.
    assert_eq!(all["pass_filenames"], false);
}

#[test]
fn every_hook_runs_the_entry_script_with_check() {
    for hook in hooks() {
        let entry = hook["entry"].as_str().unwrap();
        let script = entry.split_whitespace().next().unwrap();
        assert!(root().join(script).is_file(), "{entry}");
        assert_eq!(hook["language"], "script");
        assert!(entry.contains(" check "), "{entry}");
    }
    // The pre-commit examples of the README and the site pin a release tag
    // of this version.
    let documentation = crate::common::documentation();
    let revs: Vec<&str> = documentation
        .iter()
        .flat_map(|(_, text)| text.lines())
        .filter_map(|line| line.trim().strip_prefix("rev: "))
        .map(|rest| rest.split_whitespace().next().unwrap_or_default())
        .collect();
    assert!(!revs.is_empty());
    for rev in revs {
        assert_eq!(rev, format!("v{}", env!("CARGO_PKG_VERSION")));
    }
}
