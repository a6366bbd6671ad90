//! Shared helpers: running the binary ([`cli`]), and the fixture report
//! under `tests/fixtures/formats/`, made by the real check pipeline.
#![allow(dead_code)]

pub mod cli;

use std::path::{Path, PathBuf};

use guidepress::config;
use guidepress::diagnostic::{Applicability, Edit, Fix};
use guidepress::pipeline::{self, Input};
use guidepress::results::CheckReport;
use guidepress::workspace::Workspace;

/// Copies the folder `from` with everything in it to `to`.
pub fn copy_dir(from: &Path, to: &Path) {
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

/// The repository's root: only for commands about the crate itself (`cargo
/// package`); a test that runs `guidepress` uses [`project`] instead, so that
/// nothing reads the live `content/`.
pub fn crate_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A file or folder of the repository (`schemas/…`, `tests/fixtures/…`,
/// `scripts/…`). Never the live `content/` (a publisher may add guides there;
/// the tests use `tests/fixtures/project/content`), nor the root itself.
pub fn repo_path(relative: &str) -> PathBuf {
    let first = Path::new(relative).components().next();
    assert!(
        matches!(first, Some(std::path::Component::Normal(name)) if name != "content"),
        "tests never read the live `content/` or the whole repository: `{relative}`"
    );
    crate_root().join(relative)
}

/// `tests/fixtures/project/content`: the frozen copy of the bundled guide and author.
pub fn project_content() -> PathBuf {
    repo_path("tests/fixtures/project/content")
}

/// A temporary project like the repository: its `guidepress.toml`,
/// `schemas/` and `data/`, with the fixture's copy of the bundled content.
pub fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(
        repo_path("guidepress.toml"),
        dir.path().join("guidepress.toml"),
    )
    .expect("copy guidepress.toml");
    copy_dir(&repo_path("schemas"), &dir.path().join("schemas"));
    copy_dir(&repo_path("data"), &dir.path().join("data"));
    copy_dir(&project_content(), &dir.path().join("content"));
    dir
}

/// `tests/fixtures/formats`.
pub fn fixture_dir() -> PathBuf {
    repo_path("tests/fixtures/formats")
}

/// Checks every file of the fixture, as `guidepress check` run in its folder would.
pub fn fixture_report() -> CheckReport {
    let dir = fixture_dir();
    let loaded = config::discover(&dir).expect("fixture config");
    let workspace = Workspace::open(loaded, &dir, None).expect("fixture workspace");
    let inputs: Vec<Input> = workspace
        .targets(&[])
        .expect("fixture targets")
        .into_iter()
        .map(Input::from)
        .collect();
    let mut report = pipeline::load_and_validate(&inputs, workspace.limits());
    add_fix(&mut report);
    report
}

/// Gives the first finding on `status` a safe fix, as a fact rule would, so
/// every format shows how it renders fixes.
fn add_fix(report: &mut CheckReport) {
    for file in &mut report.files {
        let text = file.source.text.clone();
        for diagnostic in &mut file.diagnostics {
            if diagnostic.pointer.as_deref() == Some("/status") && diagnostic.fix.is_none() {
                let span = diagnostic.span;
                assert!(text[span.start..span.end].contains("approuv"));
                diagnostic.fix = Some(Fix {
                    message: "Replace `approuvé` with `approved`".into(),
                    applicability: Applicability::Safe,
                    edits: vec![Edit {
                        span,
                        replacement: "approved".into(),
                    }],
                });
                return;
            }
        }
    }
}

/// The user documentation as written: `README.md` and every Markdown page
/// of the site's sources under `docs/` (the generated pages are not in the
/// repository: `guidepress docs generate` writes them), as (path relative to
/// the repository, text), in path order.
pub fn documentation() -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|e| e == "md") {
                found.push(path);
            }
        }
    }
    let mut paths = vec![crate_root().join("README.md")];
    walk(&repo_path("docs"), &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            (path.strip_prefix(crate_root()).unwrap().to_path_buf(), text)
        })
        .collect()
}
