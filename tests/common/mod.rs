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

/// `tests/fixtures/formats`.
pub fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats")
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
