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

/// Lines that read like every header git writes in a patch, in the form a
/// content line takes to look like one once the diff prefixes it.
const HEADER_LIKE_REMOVED: &[&str] = &[
    "-- a/content/guides/c.yaml",
    "-- /dev/null",
    "--- a/content/guides/a.yaml",
    "diff --git a/content/guides/c.yaml b/content/guides/c.yaml",
    "index 0123456..89abcde 100644",
    "@@ -1 +0,0 @@",
    "deleted file mode 100644",
    "old mode 100644",
    "rename from content/guides/c.yaml",
    "copy from content/guides/c.yaml",
    "similarity index 90%",
    "Binary files a/content/guides/c.yaml and /dev/null differ",
];
const HEADER_LIKE_ADDED: &[&str] = &[
    "++ /dev/null",
    "++ b/content/guides/gone.yaml",
    "+++ b/content/guides/b.yaml",
    "diff --git a/content/guides/a.yaml b/content/guides/a.yaml",
    "index 89abcde..0123456 100755",
    "@@ -1,2 +3,4 @@ title: A",
    "new file mode 100644",
    "new mode 100755",
    "rename to content/guides/gone.yaml",
    "copy to content/guides/gone.yaml",
    "dissimilarity index 100%",
    "Binary files /dev/null and b/content/guides/a.yaml differ",
    "\\ No newline at end of file",
    "++ /dev/null",
];

fn lines(body: &[&str]) -> String {
    let mut text = String::from("keep\n");
    for line in body {
        text.push_str(line);
        text.push('\n');
    }
    text.push_str("keep too\n");
    text
}

#[test]
fn content_lines_that_look_like_git_headers_never_read_as_headers() {
    let repo = repository();
    let dir = repo.path();
    write(dir, "notes.txt", &lines(HEADER_LIKE_REMOVED));
    write(dir, "odd \"name\"\t.txt", "one\ntwo\n");
    write(dir, "new\nline.txt", "one\ntwo\n");
    write(dir, "binary.bin", "\0\x01one\n");
    commit(dir);
    git(dir, &["branch", "-q", "-f", "main"]);
    // The header-like lines replace each other in notes.txt; every other file
    // changes after it in path order (so a header misread in notes.txt would
    // land on them).
    write(dir, "notes.txt", &lines(HEADER_LIKE_ADDED));
    write(dir, "odd \"name\"\t.txt", "one\nTWO\n");
    write(dir, "new\nline.txt", "one\ntwo\nthree\n");
    write(dir, "binary.bin", "\0\x02two\n");
    write(
        dir,
        "content/guides/b.yaml",
        "title: B\neditorial:\n  author: bob\nextra: 1\n",
    );
    write(
        dir,
        "content/guides/c.yaml",
        "title: C2\neditorial:\n  author: bob\n  approved_by: ann\n",
    );
    commit(dir);
    let changes = ChangeSet::since(dir, "main").expect("changes");
    let statuses: Vec<(String, changes::FileStatus)> = changes
        .files
        .iter()
        .map(|(path, change)| (path.clone(), change.status))
        .collect();
    use changes::FileStatus::Modified;
    assert_eq!(
        statuses,
        vec![
            ("binary.bin".to_owned(), Modified),
            ("content/guides/b.yaml".to_owned(), Modified),
            ("content/guides/c.yaml".to_owned(), Modified),
            ("new\nline.txt".to_owned(), Modified),
            ("notes.txt".to_owned(), Modified),
            ("odd \"name\"\t.txt".to_owned(), Modified),
        ]
    );
    let ranges = |path: &str| changes.files[path].lines.clone();
    assert_eq!(ranges("notes.txt"), vec![(2, 1 + HEADER_LIKE_ADDED.len())]);
    assert_eq!(ranges("content/guides/b.yaml"), vec![(4, 4)]);
    assert_eq!(ranges("content/guides/c.yaml"), vec![(1, 1)]);
    assert_eq!(ranges("new\nline.txt"), vec![(3, 3)]);
    assert_eq!(ranges("odd \"name\"\t.txt"), vec![(2, 2)]);
    assert_eq!(ranges("binary.bin"), Vec::<(usize, usize)>::new());
    assert_eq!(
        selected(dir),
        names(&["content/guides/b.yaml", "content/guides/c.yaml"])
    );
}

fn check_concise(dir: &Path, extra: &[&str]) -> (Option<i32>, String) {
    let mut args = vec![
        "check",
        "--changed-since",
        "main",
        "--output-format",
        "concise",
    ];
    args.extend_from_slice(extra);
    let output = common::cli::run(dir, &args);
    (output.status.code(), common::cli::stdout(&output))
}

#[test]
fn a_guide_whose_new_last_line_reads_like_a_deleted_file_header_is_checked() {
    let repo = repository();
    let dir = repo.path();
    // Shown in the diff as `+++ /dev/null`; not valid YAML either.
    write(
        dir,
        "content/guides/b.yaml",
        "title: B\neditorial:\n  author: bob\n++ /dev/null\n",
    );
    commit(dir);
    assert_eq!(selected(dir), names(&["content/guides/b.yaml"]));
    let (code, stdout) = check_concise(dir, &[]);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.contains("content/guides/b.yaml:"), "{stdout}");
    assert!(stdout.contains("GP101"), "{stdout}");
}

#[test]
fn only_changed_lines_keeps_a_finding_after_a_line_reading_like_a_header() {
    let repo = repository();
    let dir = repo.path();
    // Line 4 repeats a key; line 5 reads `+++ /dev/null` in the diff (and is
    // not YAML); line 6 follows it.
    write(
        dir,
        "content/guides/b.yaml",
        "title: B\neditorial:\n  author: bob\ntitle: B2\n++ /dev/null\nmore: 1\n",
    );
    commit(dir);
    let changes = ChangeSet::since(dir, "main").unwrap();
    assert_eq!(changes.files["content/guides/b.yaml"].lines, vec![(4, 6)]);
    let (code, stdout) = check_concise(dir, &["--only-changed-lines"]);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(
        stdout.contains("content/guides/b.yaml:4:1: error GP102"),
        "{stdout}"
    );
    assert!(
        stdout.contains("content/guides/b.yaml:6:1: error GP101"),
        "{stdout}"
    );
}

#[test]
fn a_removed_old_header_and_an_added_dev_null_elsewhere_do_not_drop_a_guide() {
    let repo = repository();
    let dir = repo.path();
    write(dir, "zz-notes.txt", "-- a/content/guides/c.yaml\nend\n");
    commit(dir);
    git(dir, &["branch", "-q", "-f", "main"]);
    // c.yaml repeats a key on a new line 5; the notes swap `--- a/…c.yaml` for `+++ /dev/null`.
    write(
        dir,
        "content/guides/c.yaml",
        "title: C\neditorial:\n  author: bob\n  approved_by: ann\ntitle: C2\n",
    );
    write(dir, "zz-notes.txt", "++ /dev/null\nend\n");
    commit(dir);
    let changes = ChangeSet::since(dir, "main").unwrap();
    assert!(
        changes.touched("content/guides/c.yaml"),
        "{:?}",
        changes.files
    );
    assert_eq!(changes.files["content/guides/c.yaml"].lines, vec![(5, 5)]);
    for extra in [&[][..], &["--only-changed-lines"][..]] {
        let (code, stdout) = check_concise(dir, extra);
        assert_eq!(code, Some(1), "{extra:?}: {stdout}");
        assert!(
            stdout.contains("content/guides/c.yaml:5:") && stdout.contains("GP102"),
            "{extra:?}: {stdout}"
        );
    }
}

#[test]
fn a_renamed_guide_is_checked_under_its_new_name_and_its_old_name_is_gone() {
    let repo = repository();
    let dir = repo.path();
    git(
        dir,
        &["mv", "content/guides/b.yaml", "content/guides/b two.yaml"],
    );
    write(
        dir,
        "content/guides/b two.yaml",
        "title: B\neditorial:\n  author: bob\nmore: yes\n",
    );
    commit(dir);
    let changes = ChangeSet::since(dir, "main").unwrap();
    assert!(changes.touched("content/guides/b two.yaml"));
    assert!(!changes.touched("content/guides/b.yaml"));
    assert_eq!(
        changes.files["content/guides/b.yaml"].status,
        changes::FileStatus::Deleted
    );
    assert_eq!(
        changes.files["content/guides/b two.yaml"].lines,
        vec![(4, 4)]
    );
    assert_eq!(selected(dir), names(&["content/guides/b two.yaml"]));
}
