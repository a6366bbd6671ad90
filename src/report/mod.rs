//! Output formats. One file per format behind [`OutputFormat`]; each takes the
//! whole [`CheckReport`] and writes to any `io::Write`.

mod full;
mod json;

use std::io::{self, Write};

use crate::check::CheckReport;
use crate::diagnostic::Diagnostic;
use crate::document::LoadedFile;
use crate::source::Position;

/// The formats `--output-format` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Source snippets with labels and help, for people at a terminal.
    Full,
    /// A JSON array of findings, for programs.
    Json,
}

/// Presentation settings shared by the formats.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReportOptions {
    /// Use colour (only on a terminal, never with `NO_COLOR`).
    pub color: bool,
    /// Leave out the closing summary line.
    pub quiet: bool,
    /// Terminal width for wrapping.
    pub width: Option<usize>,
}

/// Writes `report` in `format`.
pub fn write_report(
    format: OutputFormat,
    report: &CheckReport,
    options: &ReportOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        OutputFormat::Full => full::write(report, options, out),
        OutputFormat::Json => json::write(report, out),
    }
}

/// A finding with its file and resolved positions, as most formats need it.
pub struct Located<'a> {
    /// The file.
    pub file: &'a LoadedFile,
    /// The finding.
    pub diagnostic: &'a Diagnostic,
    /// Start of the primary span.
    pub start: Position,
    /// End of the primary span.
    pub end: Position,
}

/// Every finding of `report` in output order, with positions.
pub fn located(report: &CheckReport) -> impl Iterator<Item = Located<'_>> {
    report.files.iter().flat_map(|file| {
        file.diagnostics.iter().map(move |diagnostic| Located {
            file,
            diagnostic,
            start: file.source.position(diagnostic.span.start),
            end: file.source.position(diagnostic.span.end),
        })
    })
}

/// "3 errors", "1 warning".
pub fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}
