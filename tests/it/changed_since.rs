//! `--changed-since` on a real git repository made by the test: which files a
//! change selects, and a clear error when the base is missing.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use guidepress::changes::{self, ChangeSet, ChangesError};
use guidepress::config;
use guidepress::workspace::Workspace;

const CONFIG: &str = r#"
[content]
roots = ["content"]
authors = "content/authors"

[[schemas]]
files = "content/guides/*.yaml"
schema = "schemas/guide.schema.json"
kind = "guide"

[[schemas]]
files = "content/authors/*.yaml"
schema = "schemas/author.schema.json"
kind = "author"
"#;

const SCHEMA: &str = r#"{ "type": "object" }"#;

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A repository on `main` with three guides and two authors, now on branch `change`.
fn repository() -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    git(dir, &["init", "-q"]);
    write(dir, "guidepress.toml", CONFIG);
    write(dir, "schemas/guide.schema.json", SCHEMA);
    write(dir, "schemas/author.schema.json", SCHEMA);
    write(dir, "README.md", "guides\n");
    write(dir, "content/authors/ann.yaml", "id: ann\n");
    write(dir, "content/authors/bob.yaml", "id: bob\n");
    write(
        dir,
        "content/guides/a.yaml",
        "title: A\neditorial:\n  author: ann\n",
    );
    write(
        dir,
        "content/guides/b.yaml",
        "title: B\neditorial:\n  author: bob\n",
    );
    write(
        dir,
        "content/guides/c.yaml",
        "title: C\neditorial:\n  author: bob\n  approved_by: ann\n",
    );
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "base"]);
    git(dir, &["checkout", "-q", "-b", "change"]);
    temp
}

fn commit(dir: &Path) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "change"]);
}

fn selected(dir: &Path) -> Vec<String> {
    let workspace = Workspace::open(config::discover(dir).unwrap(), dir, None).unwrap();
    let changes = ChangeSet::since(dir, "main").expect("changes");
    let selection = changes::select(&workspace, &changes).expect("selection");
    selection
        .targets
        .iter()
        .map(|t| t.display.to_string_lossy().replace('\\', "/"))
        .collect()
}

fn names(paths: &[&str]) -> Vec<String> {
    paths.iter().map(|p| (*p).to_owned()).collect()
}

#[test]
fn a_changed_guide_selects_only_itself() {
    let repo = repository();
    let dir = repo.path();
    write(
        dir,
        "content/guides/b.yaml",
        "title: B2\neditorial:\n  author: bob\n",
    );
    write(dir, "README.md", "more\n");
    commit(dir);
    assert_eq!(selected(dir), names(&["content/guides/b.yaml"]));
    let changes = ChangeSet::since(dir, "main").unwrap();
    let lines = changes.changed_lines();
    assert!(lines.touches("content/guides/b.yaml", 1, 1));
    assert!(!lines.touches("content/guides/b.yaml", 2, 3));
}

#[test]
fn uncommitted_and_untracked_files_count() {
    let repo = repository();
    let dir = repo.path();
    write(
        dir,
        "content/guides/a.yaml",
        "title: A2\neditorial:\n  author: ann\n",
    );
    write(dir, "content/guides/new.yaml", "title: New\n");
    assert_eq!(
        selected(dir),
        names(&["content/guides/a.yaml", "content/guides/new.yaml"])
    );
}

#[test]
fn a_schema_change_selects_everything() {
    let repo = repository();
    let dir = repo.path();
    write(
        dir,
        "schemas/guide.schema.json",
        r#"{ "type": "object", "required": ["title"] }"#,
    );
    commit(dir);
    assert_eq!(selected(dir).len(), 5);
}

#[test]
fn a_config_change_selects_everything() {
    let repo = repository();
    let dir = repo.path();
    write(
        dir,
        "guidepress.toml",
        &format!("{CONFIG}\n[limits]\nmax_depth = 32\n"),
    );
    commit(dir);
    assert_eq!(selected(dir).len(), 5);
}

#[test]
fn a_new_data_release_selects_everything() {
    let repo = repository();
    let dir = repo.path();
    write(dir, "data/oews/2026A01.csv", "AREA,OCC_CODE\n");
    commit(dir);
    assert_eq!(selected(dir).len(), 5);
}

#[test]
fn an_author_change_selects_the_guides_citing_them() {
    let repo = repository();
    let dir = repo.path();
    write(dir, "content/authors/ann.yaml", "id: ann\nname: Ann\n");
    commit(dir);
    assert_eq!(
        selected(dir),
        names(&[
            "content/authors/ann.yaml",
            "content/guides/a.yaml",
            "content/guides/c.yaml"
        ])
    );
}

#[test]
fn deleted_files_are_not_checked_but_their_citers_are() {
    let repo = repository();
    let dir = repo.path();
    git(
        dir,
        &[
            "rm",
            "-q",
            "content/authors/bob.yaml",
            "content/guides/a.yaml",
        ],
    );
    commit(dir);
    assert_eq!(
        selected(dir),
        names(&["content/guides/b.yaml", "content/guides/c.yaml"])
    );
}

#[test]
fn a_missing_base_says_how_to_fetch_it() {
    let repo = repository();
    let dir: PathBuf = repo.path().to_owned();
    let error = ChangeSet::since(&dir, "origin/release").unwrap_err();
    assert!(
        matches!(error, ChangesError::MissingBase { .. }),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(message.contains("git fetch"), "{message}");
    assert!(message.contains("origin release"), "{message}");
    assert!(message.contains("fetch-depth: 0"), "{message}");
}

#[test]
fn the_cli_reports_only_changed_lines_but_fails_on_any_error() {
    let repo = repository();
    let dir = repo.path();
    // Tighten the schema on main so that every guide has an error on line 1.
    git(dir, &["checkout", "-q", "main"]);
    write(
        dir,
        "schemas/guide.schema.json",
        r#"{ "type": "object", "properties": { "title": { "type": "integer" }, "extra": { "type": "integer" } } }"#,
    );
    commit(dir);
    git(dir, &["checkout", "-q", "-B", "change"]);
    // The change adds a wrong line 4 to b.yaml; its error on line 1 is old.
    write(
        dir,
        "content/guides/b.yaml",
        "title: B\neditorial:\n  author: bob\nextra: text\n",
    );
    commit(dir);
    let output = common::cli::run(
        dir,
        &[
            "check",
            "--changed-since",
            "main",
            "--only-changed-lines",
            "--output-format",
            "concise",
        ],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("content/guides/b.yaml:4:"), "{stdout}");
    assert!(!stdout.contains("content/guides/b.yaml:1:"), "{stdout}");
    assert!(!stdout.contains("a.yaml"), "{stdout}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("1 finding on lines this change did not touch is not shown"),
        "{stderr}"
    );
}

#[test]
fn shallow_clones_say_what_to_fetch_and_work_once_fetched() {
    let repo = repository();
    let origin = repo.path();
    write(
        origin,
        "content/guides/b.yaml",
        "title: B2\neditorial:\n  author: bob\n",
    );
    commit(origin);
    let temp = tempfile::tempdir().unwrap();
    let clone = temp.path().join("clone");
    let url = format!("file://{}", origin.display());
    git(
        temp.path(),
        &[
            "clone",
            "-q",
            "--depth=1",
            "--branch",
            "change",
            &url,
            "clone",
        ],
    );
    // The base branch was never fetched.
    let error = ChangeSet::since(&clone, "origin/main").unwrap_err();
    assert!(matches!(error, ChangesError::MissingBase { .. }), "{error}");
    // Fetched, but both ends are cut off: no common commit yet.
    git(
        &clone,
        &[
            "fetch",
            "-q",
            "--depth=1",
            "origin",
            "main:refs/remotes/origin/main",
        ],
    );
    let error = ChangeSet::since(&clone, "origin/main").unwrap_err();
    assert!(matches!(error, ChangesError::NoMergeBase(_)), "{error}");
    assert!(error.to_string().contains("--deepen"), "{error}");
    // Deep enough now.
    git(&clone, &["fetch", "-q", "--deepen=1", "origin", "change"]);
    let changes = ChangeSet::since(&clone, "origin/main").expect("a merge base");
    assert!(changes.touched("content/guides/b.yaml"));
    assert_eq!(changes.files.len(), 1, "{:?}", changes.files);
}

fn check_changed_since(dir: &Path, base: &str) -> (Option<i32>, String) {
    let output = common::cli::run(
        dir,
        &[
            "check",
            "--changed-since",
            base,
            "--output-format",
            "concise",
        ],
    );
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[test]
fn a_changed_guide_is_compared_with_every_guide_for_duplicate_slugs() {
    let repo = repository();
    let dir = repo.path();
    write(dir, "content/guides/a.yaml", "title: A\nslug: shared\n");
    write(dir, "content/guides/c.yaml", "title: C\nslug: shared\n");
    commit(dir);
    // Only a.yaml changes; c.yaml, unchanged, has the same slug.
    write(dir, "content/guides/a.yaml", "title: A2\nslug: shared\n");
    let (code, stdout) = check_changed_since(dir, "HEAD");
    assert_eq!(code, Some(1), "{stdout}");
    assert!(
        stdout.contains("content/guides/a.yaml") && stdout.contains("GP310"),
        "{stdout}"
    );
    assert!(stdout.contains("content/guides/c.yaml"), "{stdout}");
    // The unchanged guide is not itself reported on.
    assert!(
        !stdout
            .lines()
            .any(|line| line.starts_with("content/guides/c.yaml")),
        "{stdout}"
    );
    // The same when the unchanged guide comes later in path order.
    write(dir, "content/guides/a.yaml", "title: A2\nslug: shared\n");
    commit(dir);
    write(dir, "content/guides/c.yaml", "title: C2\nslug: shared\n");
    let (_, stdout) = check_changed_since(dir, "HEAD");
    assert!(
        stdout
            .lines()
            .any(|line| line.starts_with("content/guides/c.yaml") && line.contains("GP310")),
        "{stdout}"
    );
}
