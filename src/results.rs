//! What a pipeline run found: every file with its findings, in a stable order,
//! and the counts summaries print. Every stage after loading adds to it; every
//! output format reads it.

use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::document::LoadedFile;

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
                Some(Applicability::Safe) => counts.fixable += 1,
                Some(Applicability::Unsafe) => counts.unsafe_fixable += 1,
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
