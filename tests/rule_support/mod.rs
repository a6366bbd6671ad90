//! Helpers shared by the rule tests: load YAML text as a guide, run the rules
//! with a fixed context, render findings compactly.
#![allow(dead_code)]

use std::fmt::Write;
use std::path::Path;

use guidepress::document::LoadedFile;
use guidepress::file_kind::FileKind;
use guidepress::load::{self, LoadLimits, ParseOptions};
use guidepress::pipeline::{self, Input, Stages};
use guidepress::results::CheckReport;
use guidepress::rules::{Date, RuleContext, RuleSettings, RulesConfig};
use guidepress::source::SourceFile;

/// The context every rule test uses: 2026-11-28, two authors, one editor.
pub fn context() -> RuleContext {
    RuleContext {
        today: Date::parse("2026-11-28").unwrap(),
        editors: Some(vec!["taylor-rupe".into()]),
        authors: Some(["taylor-rupe", "sam-lee"].map(String::from).into()),
        authors_dir: "content/authors".into(),
        ..RuleContext::default()
    }
}

/// Settings from a `[rules]` TOML section.
pub fn settings_from(toml_text: &str) -> RuleSettings {
    let config: RulesConfig = toml::from_str(toml_text).unwrap();
    RuleSettings::from_parts(&config, context(), Path::new("/ws"), Path::new("/ws")).unwrap()
}

/// Every rule at its default severity.
pub fn settings_all() -> RuleSettings {
    settings_from("")
}

/// Only the rules with these codes (and the suppression checks).
pub fn settings_only(codes: &[&str]) -> RuleSettings {
    let mut text = String::from("[severity]\n");
    for info in guidepress::codes::RULE_CODES {
        if !codes.contains(&info.code) && !info.code.starts_with("GP39") {
            writeln!(text, "{} = \"off\"", info.code).unwrap();
        }
    }
    settings_from(&text)
}

/// A loaded guide from text, as `check` would load it (no schema).
pub fn load_text(display: &str, text: &str) -> LoadedFile {
    let parsed = load::parse(
        text,
        &ParseOptions {
            limits: LoadLimits::default(),
            track_spans: false,
            single_document: true,
        },
    );
    assert!(!parsed.failed, "{display} does not parse");
    LoadedFile::new(
        SourceFile::new(display, text.to_owned()),
        FileKind::Guide,
        parsed.documents.into_iter().next(),
        None,
        LoadLimits::default(),
    )
}

/// Runs the rules on several guides given as text, through the pipeline
/// (texts in memory, no schema).
pub fn check_texts(files: &[(&str, &str)], settings: &RuleSettings) -> CheckReport {
    let inputs: Vec<Input> = files
        .iter()
        .map(|(display, text)| {
            load_text(display, text); // asserts that it parses
            Input::memory(*display, *text, FileKind::Guide, None)
        })
        .collect();
    let stages = Stages {
        limits: LoadLimits::default(),
        validate: false,
        rules: Some(settings),
        links: None,
        keep_values: true,
    };
    pipeline::run(&inputs, &stages)
        .expect("no links, no fixes: nothing can fail")
        .report
}

/// Runs the rules on one guide given as text.
pub fn check_text(display: &str, text: &str, settings: &RuleSettings) -> CheckReport {
    check_texts(&[(display, text)], settings)
}

/// One block per finding: position, code, severity, message, labels, help, fix.
pub fn render(report: &CheckReport) -> String {
    let mut out = String::new();
    for file in &report.files {
        let source = &file.source;
        let at = |span: guidepress::Span| {
            let start = source.position(span.start);
            format!(
                "{}:{} `{}`",
                start.line,
                start.column,
                source.span_text(span.start, span.end).replace('\n', "⏎")
            )
        };
        for d in &file.diagnostics {
            writeln!(
                out,
                "{} {} {} {}: {}",
                source.display_path(),
                at(d.span),
                d.code,
                d.severity.as_str(),
                d.message
            )
            .unwrap();
            if let Some(label) = &d.span_label {
                writeln!(out, "    here: {label}").unwrap();
            }
            for label in &d.labels {
                writeln!(out, "    label {}: {}", at(label.span), label.message).unwrap();
            }
            if let Some(help) = &d.help {
                writeln!(out, "    help: {help}").unwrap();
            }
            if let Some(fix) = &d.fix {
                writeln!(
                    out,
                    "    fix ({}): {}",
                    match fix.applicability {
                        guidepress::Applicability::Safe => "safe",
                        guidepress::Applicability::Unsafe => "unsafe",
                    },
                    fix.message
                )
                .unwrap();
            }
        }
    }
    if out.is_empty() {
        out.push_str("(no findings)\n");
    }
    out
}
