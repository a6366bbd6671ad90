//! `guidepress check`: read → parse → validate (→ rules) for every target, in parallel.

use rayon::prelude::*;

use crate::codes;
use crate::config::FileKind;
use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::document::LoadedFile;
use crate::load::{self, LoadLimits, ParseOptions};
use crate::rules::{self, RuleSettings};
use crate::validate;
use crate::workspace::Target;

/// Everything a check found, file by file, in a stable order.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// One entry per file checked, sorted by path; diagnostics sorted by position.
    pub files: Vec<LoadedFile>,
}

/// Counts for summaries.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Files checked.
    pub files: usize,
    /// Error-level findings.
    pub errors: usize,
    /// Warning-level findings.
    pub warnings: usize,
    /// Info-level findings.
    pub infos: usize,
    /// Findings with a safe fix (applied by `--fix`).
    pub fixable: usize,
    /// Findings with an unsafe fix (applied only with `--unsafe-fixes`).
    pub unsafe_fixable: usize,
}

impl CheckReport {
    /// Counts findings by severity.
    pub fn counts(&self) -> Counts {
        let mut counts = Counts {
            files: self.files.len(),
            ..Counts::default()
        };
        for diagnostic in self.diagnostics() {
            match diagnostic.severity {
                Severity::Error => counts.errors += 1,
                Severity::Warning => counts.warnings += 1,
                Severity::Info => counts.infos += 1,
            }
            match diagnostic.fix.as_ref().map(|f| f.applicability) {
                Some(crate::diagnostic::Applicability::Safe) => counts.fixable += 1,
                Some(crate::diagnostic::Applicability::Unsafe) => counts.unsafe_fixable += 1,
                None => {}
            }
        }
        counts
    }

    /// Every finding, file by file.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.files.iter().flat_map(|f| f.diagnostics.iter())
    }

    /// The highest severity found, if any.
    pub fn worst(&self) -> Option<Severity> {
        self.diagnostics().map(|d| d.severity).max()
    }

    /// Sorts files by path and each file's findings by position, then code.
    pub fn sort(&mut self) {
        self.files.sort_by(|a, b| a.source.path.cmp(&b.source.path));
        for file in &mut self.files {
            file.diagnostics.sort_by(|a, b| {
                (a.span.start, a.span.end, a.code, &a.message).cmp(&(
                    b.span.start,
                    b.span.end,
                    b.code,
                    &b.message,
                ))
            });
        }
    }
}

/// What `check` keeps and runs.
#[derive(Debug, Clone, Copy)]
pub struct CheckOptions<'a> {
    /// Reading limits.
    pub limits: LoadLimits,
    /// The fact rules' settings (`None`: schema checks only).
    pub rules: Option<&'a RuleSettings>,
    /// Keep every file's whole value (link checks and publishing read them).
    /// Without it, a file that is clean after its own checks keeps only the
    /// fields cross-file rules read, so 10,000 guides fit in little memory.
    pub keep_values: bool,
}

/// Reads, validates and runs the fact rules over every target, in parallel.
pub fn check(targets: &[Target], options: CheckOptions<'_>) -> CheckReport {
    check_with_context(targets, &[], options)
}

/// [`check`] over `targets`, with the guides of `context` seen by the
/// cross-file rules (two guides sharing a slug) but not reported on: a run
/// over the files a change touched still compares them with every other
/// guide in the repository. Context files are only read and parsed.
pub fn check_with_context(
    targets: &[Target],
    context: &[Target],
    options: CheckOptions<'_>,
) -> CheckReport {
    let mut staged: Vec<(LoadedFile, Vec<Diagnostic>)> = if options.rules.is_some() {
        context
            .par_iter()
            .filter(|target| target.kind == FileKind::Guide)
            .map(|target| {
                let mut file = load_parsed(target, options.limits);
                file.keep_only(rules::WORKSPACE_FIELDS);
                (file, Vec::new())
            })
            .collect()
    } else {
        Vec::new()
    };
    // Context guides come first: a cross-file finding lands on the later of
    // two guides, so it lands on a target whenever one of the two is.
    let first_target = staged.len();
    let checked: Vec<(LoadedFile, Vec<Diagnostic>)> = targets
        .par_iter()
        .map(|target| {
            let mut file = load_one(target, options.limits);
            let found = options
                .rules
                .map(|settings| rules::guide_findings(&file, settings))
                .unwrap_or_default();
            if !options.keep_values && file.diagnostics.is_empty() && found.is_empty() {
                file.keep_only(rules::WORKSPACE_FIELDS);
            }
            (file, found)
        })
        .collect();
    staged.extend(checked);
    if let Some(settings) = options.rules {
        rules::finish(&mut staged, settings);
    }
    let files = staged
        .into_iter()
        .skip(first_target)
        .map(|(mut file, found)| {
            file.diagnostics.extend(found);
            file
        })
        .collect();
    let mut report = CheckReport { files };
    report.sort();
    report
}

/// Loads and validates every target in parallel (no fact rules).
pub fn load_and_validate(targets: &[Target], limits: LoadLimits) -> CheckReport {
    let files = targets.par_iter().map(|t| load_one(t, limits)).collect();
    let mut report = CheckReport { files };
    report.sort();
    report
}

/// Reads and parses one file (no schema validation): reading and YAML
/// problems become its diagnostics. Clean files take the fast path, without
/// a span index.
pub fn load_parsed(target: &Target, limits: LoadLimits) -> LoadedFile {
    if let Some(reason) = &target.skip {
        let mut file = LoadedFile::new(
            crate::source::SourceFile::new(&target.display, String::new()),
            target.kind,
            None,
            Some(Default::default()),
            limits,
        );
        file.diagnostics = vec![
            crate::diagnostic::Diagnostic::warning(
                crate::codes::UNREADABLE_FILE,
                format!("The path is {reason}; it was not read."),
                crate::diagnostic::Span::at(0),
            )
            .with_help(
                "link only to files inside the repository, or check the file where it lives",
            ),
        ];
        return file;
    }
    let read = load::read_file(&target.path, &target.display, &limits);
    if !read.diagnostics.is_empty() {
        let mut file = LoadedFile::new(
            read.source,
            target.kind,
            None,
            Some(Default::default()),
            limits,
        );
        file.diagnostics = read.diagnostics;
        return file;
    }
    let source = read.source;
    let fast = load::parse(
        &source.text,
        &ParseOptions {
            limits,
            track_spans: false,
            single_document: true,
        },
    );
    let (value, spans, diagnostics) = if fast.failed {
        // Something is off: parse again with spans to say exactly where.
        let full = load::parse(
            &source.text,
            &ParseOptions {
                limits,
                track_spans: true,
                single_document: true,
            },
        );
        let value = if !full.is_usable() {
            None
        } else {
            full.documents.into_iter().next()
        };
        (value, Some(full.spans), full.diagnostics)
    } else {
        (fast.documents.into_iter().next(), None, Vec::new())
    };
    let mut file = LoadedFile::new(source, target.kind, value, spans, limits);
    file.diagnostics = diagnostics;
    file
}

/// Reads, parses and validates one file.
pub fn load_one(target: &Target, limits: LoadLimits) -> LoadedFile {
    let mut file = load_parsed(target, limits);
    let mut diagnostics = std::mem::take(&mut file.diagnostics);
    if let (Some(schema), Some(value)) = (&target.schema, &file.value) {
        if schema.is_valid(value) {
            file.schema_valid = true;
        } else {
            for error in schema.errors(value) {
                diagnostics.extend(validate::to_diagnostics(
                    &error,
                    &schema.document,
                    value,
                    file.spans(),
                    &file.source,
                ));
            }
        }
    } else if target.schema.is_none() && file.value.is_some() && target.kind == FileKind::Other {
        diagnostics.push(
            Diagnostic::warning(
                codes::NO_SCHEMA,
                "No schema is configured for this file; only its YAML was checked.",
                Span::at(0),
            )
            .with_help("add a `[[schemas]]` entry in guidepress.toml, or pass `--schema FILE`"),
        );
    }
    file.diagnostics = diagnostics;
    file
}
