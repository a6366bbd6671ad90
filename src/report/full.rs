//! `--output-format full`: miette's graphical report per finding (source
//! snippet, labels, help), then a summary line. Control characters from the
//! file are shown escaped (see [`super::escape`]). Each finding is drawn
//! from the few lines around it (all a file keeps once its checks are done,
//! see [`crate::source::SourceFile::excerpt`]), never from the whole text.

use std::fmt;
use std::io::{self, Write};

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use rayon::prelude::*;

use super::escape::{self, EscapedSource};
use super::{ReportOptions, plural};
use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::document::LoadedFile;
use crate::results::CheckReport;
use crate::source::CONTEXT_LINES;

/// The lines a finding shows, escaped, as miette reads them: offsets are
/// the snippet's, line numbers the file's.
struct Snippet {
    name: String,
    /// The lines as shown: control characters escaped, offsets mapped.
    escaped: EscapedSource,
    /// The 0-based number of its first line in the file.
    first_line: usize,
    /// Where its first line starts in the file.
    start: usize,
}

impl SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.escaped.text.as_str().read_span(
            span,
            context_lines_before,
            context_lines_after,
        )?;
        // miette counts lines from the start of what it reads: add the lines before the snippet.
        Ok(Box::new(
            MietteSpanContents::new_named(
                self.name.clone(),
                inner.data(),
                *inner.span(),
                inner.line() + self.first_line,
                inner.column(),
                inner.line_count() + self.first_line,
            )
            .with_language("yaml"),
        ))
    }
}

/// A finding in the shape miette renders.
struct Rendered<'a> {
    diagnostic: &'a Diagnostic,
    source: &'a Snippet,
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&escape::text(&self.diagnostic.message))
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&escape::text(&self.diagnostic.message))
    }
}

impl std::error::Error for Rendered<'_> {}

impl Rendered<'_> {
    fn source_span(&self, span: Span) -> SourceSpan {
        let escaped = &self.source.escaped;
        let start = escaped.map(span.start.saturating_sub(self.source.start));
        let end = escaped
            .map(span.end.saturating_sub(self.source.start))
            .max(start);
        (start, end - start).into()
    }
}

impl miette::Diagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diagnostic.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let d = self.diagnostic;
        let text = match (&d.help, &d.fix) {
            (Some(help), Some(fix)) => format!("{help}\nfix: {}", fix.message),
            (Some(help), None) => help.clone(),
            (None, Some(fix)) => format!("fix: {}", fix.message),
            (None, None) => return None,
        };
        Some(Box::new(escape::text(&text).into_owned()))
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let d = self.diagnostic;
        let label = d
            .span_label
            .as_deref()
            .map(|l| escape::text(l).into_owned());
        let primary = LabeledSpan::new_primary_with_span(label, self.source_span(d.span));
        let secondary = d.labels.iter().map(|l| {
            LabeledSpan::new_with_span(
                Some(escape::text(&l.message).into_owned()),
                self.source_span(l.span),
            )
        });
        Some(Box::new(std::iter::once(primary).chain(secondary)))
    }
}

pub(super) fn write(
    report: &CheckReport,
    options: &ReportOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let mut handler = GraphicalReportHandler::new_themed(theme).with_context_lines(1);
    if let Some(width) = options.width {
        handler = handler.with_width(width);
    }
    // Files are drawn in parallel (drawing is most of the cost when many
    // files have findings) and written in order, a batch at a time so the
    // drawn text never piles up.
    for batch in report.files.chunks(256) {
        let blocks: Vec<Result<String, std::fmt::Error>> = batch
            .par_iter()
            .filter(|file| !file.diagnostics.is_empty())
            .map(|file| draw_file(&handler, file))
            .collect();
        for block in blocks {
            out.write_all(block.map_err(io::Error::other)?.as_bytes())?;
        }
    }
    if !options.quiet {
        writeln!(out, "{}", summary(report))?;
    }
    Ok(())
}

/// Leaves out the source lines between two labelled lines of a snippet: a
/// finding with labels far apart (a total and its steps) shows the labelled
/// lines only, with `⋮` where lines were left out.
fn compact(rendered: &str) -> String {
    let lines: Vec<&str> = rendered.lines().collect();
    // `  12 │ text` is a source line; `     · ──┬──` a label line under it.
    let gutter = |line: &str| {
        let (number, _) = line.split_once(" │")?;
        let digits = number.trim_start();
        (!digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()))
            .then(|| number.chars().count() + 1)
    };
    let is_label = |line: &str| line.trim_start().starts_with('·');
    // A line inside a multi-line span (`│ ╭─▶`, `│ │`) is never left out.
    let plain = |line: &str| {
        gutter(line).is_some()
            && line.split_once(" │").is_some_and(|(_, rest)| {
                rest.strip_prefix(' ')
                    .is_none_or(|text| !text.starts_with(['│', '╭', '├', '╰']))
            })
    };
    let labelled =
        |i: usize| gutter(lines[i]).is_some() && lines.get(i + 1).is_some_and(|l| is_label(l));
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        if !plain(lines[i]) || labelled(i) {
            out.push(lines[i].to_owned());
            i += 1;
            continue;
        }
        let start = i;
        while i < lines.len() && plain(lines[i]) && !labelled(i) {
            i += 1;
        }
        let between_labels =
            start > 0 && is_label(lines[start - 1]) && i < lines.len() && labelled(i);
        if between_labels && i - start > 1 {
            let width = gutter(lines[start]).unwrap_or(1);
            out.push(format!("{}⋮", " ".repeat(width.saturating_sub(1))));
        } else {
            out.extend(lines[start..i].iter().map(|l| (*l).to_owned()));
        }
    }
    out.join("\n")
}

/// Every finding of one file, drawn with its snippet, each followed by a blank line.
fn draw_file(
    handler: &GraphicalReportHandler,
    file: &LoadedFile,
) -> Result<String, std::fmt::Error> {
    use std::fmt::Write as _;
    let name = escape::text(&file.source.display_path()).into_owned();
    let mut block = String::new();
    for diagnostic in &file.diagnostics {
        let (first, last) = file
            .source
            .lines_around(diagnostic.spans().map(|s| (s.start, s.end)), CONTEXT_LINES)
            .unwrap_or_default();
        let (first_line, start, text) = file.source.snippet(first, last);
        let snippet = Snippet {
            name: name.clone(),
            escaped: EscapedSource::new(text),
            first_line,
            start,
        };
        let mut rendered = String::new();
        handler.render_report(
            &mut rendered,
            &Rendered {
                diagnostic,
                source: &snippet,
            },
        )?;
        writeln!(block, "{}", compact(rendered.trim_end()))?;
        writeln!(block)?;
    }
    Ok(block)
}

/// "Found 2 errors and 1 warning in 3 files (1 fixable with `--fix`)." or "All good: 3 files checked."
pub fn summary(report: &CheckReport) -> String {
    let counts = report.counts();
    let files = plural(counts.files, "file");
    if counts.errors + counts.warnings + counts.infos == 0 {
        return format!("All checks passed ({files} checked).");
    }
    let mut parts = vec![
        plural(counts.errors, "error"),
        plural(counts.warnings, "warning"),
    ];
    if counts.infos > 0 {
        parts.push(plural(counts.infos, "note"));
    }
    let fixable = match (counts.fixable, counts.unsafe_fixable) {
        (0, 0) => String::new(),
        (safe, 0) => format!(" ({safe} fixable with `--fix`)"),
        (0, unsafe_) => format!(" ({unsafe_} fixable with `--unsafe-fixes`)"),
        (safe, unsafe_) => {
            format!(" ({safe} fixable with `--fix`, {unsafe_} more with `--unsafe-fixes`)")
        }
    };
    format!("Found {} in {files}{fixable}.", parts.join(", "))
}
