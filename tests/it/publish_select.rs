//! `scripts/publish-select.sh`, which chooses what a push to main publishes
//! (`.github/workflows/publish.yml`): every added or changed guide whose
//! status guidepress reads as `approved` (published) or `archived` (taken
//! down), in a real git repository.

use std::path::Path;
use std::process::Command;

/// `git ARGS` in `dir` with a fixed identity, no signing, and no user or
/// system configuration (a developer's `commit.gpgsign = true` or hooks must
/// not change what the test sees).
fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args(["-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"])
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "core.hooksPath=/dev/null",
        ])
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {out:?}");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn select(dir: &Path, before: &str) -> Vec<String> {
    let script = crate::common::repo_path("scripts/publish-select.sh");
    let out = crate::common::cli::clear_env(&mut Command::new("bash"))
        .arg(script)
        .arg(before)
        .current_dir(dir)
        .env("GUIDEPRESS", crate::common::cli::BIN)
        .output()
        .expect("bash runs");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_push_publishes_every_changed_approved_guide_and_takes_down_archived_ones() {
    let repo = tempfile::tempdir().expect("tempdir");
    let dir = repo.path();
    git(dir, &["init", "-q", "-b", "main"]);
    write(
        dir,
        "content/guides/approved.yaml",
        "slug: approved\nstatus: \"approved\"\nsummary: one\n",
    );
    write(
        dir,
        "content/guides/draft.yaml",
        "slug: draft\nstatus: draft\n",
    );
    write(
        dir,
        "content/guides/untouched.yaml",
        "slug: untouched\nstatus: approved\n",
    );
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "first"]);
    let before = git(dir, &["rev-parse", "HEAD"]);

    // An edit to an already approved guide, an edit to a draft, a new approved
    // guide written with a comment, and a guide that is archived.
    write(
        dir,
        "content/guides/approved.yaml",
        "slug: approved\nstatus: \"approved\"\nsummary: two\n",
    );
    write(
        dir,
        "content/guides/draft.yaml",
        "slug: draft\nstatus: draft\nsummary: more\n",
    );
    write(
        dir,
        "content/guides/new.yaml",
        "slug: new\nstatus: approved   # ready\n",
    );
    write(
        dir,
        "content/guides/untouched.yaml",
        "slug: untouched\nstatus: archived\n",
    );
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "second"]);

    assert_eq!(
        select(dir, &before),
        [
            "content/guides/approved.yaml",
            "content/guides/new.yaml",
            "content/guides/untouched.yaml"
        ]
    );
    // Nothing changed since HEAD: nothing to publish.
    assert!(select(dir, "HEAD").is_empty());
    // An unknown BEFORE (first push, forced push): every approved or
    // archived guide, never a draft.
    assert_eq!(
        select(dir, "0000000000000000000000000000000000000000"),
        [
            "content/guides/approved.yaml",
            "content/guides/new.yaml",
            "content/guides/untouched.yaml"
        ]
    );
}
