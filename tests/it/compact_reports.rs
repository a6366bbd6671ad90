//! A report whose files kept only the lines their findings show (the
//! pipeline without `keep_values`, as `guidepress check` runs) reads exactly
//! as the report of whole files, in every output format: on every fixture of
//! the rule, check and format tests, the bundled guides, and guides sharing
//! a slug (a cross-file finding made after the files were compacted); and
//! such a report is never used to write fixes.

use crate::rule_support;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::ValueEnum;
use guidepress::file_kind::FileKind;
use guidepress::load::LoadLimits;
use guidepress::pipeline::{self, Input, Stages};
use guidepress::report::{self, OutputFormat, ReportContext, ReportOptions};
use guidepress::results::CheckReport;
use guidepress::validate::Schema;

use crate::common::{project_content, repo_path};

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("fixture folder")
        .map(|entry| entry.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

fn inputs() -> Vec<Input> {
    let schema =
        Arc::new(Schema::load(&repo_path("schemas/guide.schema.json")).expect("guide schema"));
    let mut files = Vec::new();
    for dir in [
        "tests/fixtures/rules",
        "tests/fixtures/check",
        "tests/fixtures/formats/content",
    ] {
        let mut found = Vec::new();
        yaml_files(&repo_path(dir), &mut found);
        files.extend(found.into_iter().map(|path| {
            let display = Path::new(dir).join(path.strip_prefix(repo_path(dir)).expect("under it"));
            (path, display)
        }));
    }
    // The bundled guide (the fixture copy), shown where it lives in a project.
    let mut bundled = Vec::new();
    yaml_files(&project_content().join("guides"), &mut bundled);
    files.extend(bundled.into_iter().map(|path| {
        let display = Path::new("content").join(
            path.strip_prefix(project_content())
                .expect("under the fixture"),
        );
        (path, display)
    }));
    let mut inputs: Vec<Input> = files
        .iter()
        .map(|(path, display)| Input {
            path: path.clone(),
            display: display.clone(),
            kind: FileKind::Guide,
            schema: Some(schema.clone()),
            text: None,
            skip: None,
        })
        .collect();
    // Two more guides with the bundled guide's slug: GP310 lands on them
    // after their own checks are done.
    let bundled = std::fs::read_to_string(project_content().join("guides/backend-engineer.yaml"))
        .expect("bundled guide");
    for name in ["z-copy", "z-copy-with-a-note"] {
        let text = bundled.replace("title:", "# a note above the title\ntitle:");
        inputs.push(Input::memory(
            format!("content/guides/{name}.yaml"),
            if name == "z-copy" {
                bundled.clone()
            } else {
                text
            },
            FileKind::Guide,
            Some(schema.clone()),
        ));
    }
    inputs
}

fn run(inputs: &[Input], keep_values: bool) -> CheckReport {
    let settings = rule_support::settings_all();
    let stages = Stages {
        limits: LoadLimits::default(),
        validate: true,
        rules: Some(&settings),
        links: None,
        keep_values,
    };
    pipeline::run(inputs, &stages).expect("no links").report
}

fn render(report: &CheckReport, format: OutputFormat) -> String {
    let mut out = Vec::new();
    let options = ReportOptions {
        color: false,
        quiet: false,
        width: Some(100),
    };
    report::write_report_with(
        format,
        report,
        &options,
        &ReportContext::default(),
        &mut out,
    )
    .expect("writing to memory");
    String::from_utf8(out).expect("UTF-8 output")
}

#[test]
fn compact_reports_read_as_whole_ones_in_every_format() {
    let inputs = inputs();
    let whole = run(&inputs, true);
    let compact = run(&inputs, false);
    assert!(whole.counts().errors > 20, "{:?}", whole.counts());
    assert!(
        whole
            .diagnostics()
            .any(|d| d.code == guidepress::codes::DUPLICATE_SLUG),
        "a cross-file finding is among them"
    );
    assert_eq!(whole.files.len(), compact.files.len());
    let mut compacted = 0;
    for (w, c) in whole.files.iter().zip(&compact.files) {
        assert_eq!(w.source.path, c.source.path);
        assert_eq!(w.diagnostics, c.diagnostics, "{}", w.source.path.display());
        if c.source.is_excerpt() {
            compacted += 1;
            // A large guide with one finding keeps the lines around it.
            let bundled = w.source.path.starts_with("content/guides");
            assert!(
                c.source.text.len() <= w.source.text.len()
                    && (!bundled || c.source.text.len() * 4 < w.source.text.len()),
                "{} kept {} of {} bytes",
                c.source.path.display(),
                c.source.text.len(),
                w.source.text.len()
            );
        }
    }
    assert!(compacted > 40, "{compacted} files were compacted");
    // Fixes are planned on whole files only: an excerpt is never written back.
    let mut fixable = 0;
    for (w, c) in whole.files.iter().zip(&compact.files) {
        if c.source.is_excerpt() && guidepress::fix::plan_file(w, true).is_some() {
            fixable += 1;
            assert!(guidepress::fix::plan_file(c, true).is_none());
        }
    }
    assert!(fixable > 5, "{fixable} compacted files have fixes");
    for format in OutputFormat::value_variants() {
        let (w, c) = (render(&whole, *format), render(&compact, *format));
        if w != c {
            let line = w
                .lines()
                .zip(c.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            panic!(
                "{} differs at line {}:\nwhole:   {:?}\ncompact: {:?}",
                format.name(),
                line + 1,
                w.lines().nth(line),
                c.lines().nth(line)
            );
        }
    }
}
