//! `--output-format full`: miette's graphical report per finding (source
//! snippet, labels, help), then a summary line. Control characters from the
//! file are shown escaped (see [`super::escape`]).

use std::fmt;
use std::io::{self, Write};

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};

use super::escape::{self, EscapedSource};
use super::{ReportOptions, plural};
use crate::check::CheckReport;
use crate::diagnostic::{Diagnostic, Severity, Span};

/// A finding in the shape miette renders.
struct Rendered<'a> {
    diagnostic: &'a Diagnostic,
    source: &'a NamedSource<String>,
    /// The source as shown: control characters escaped, offsets mapped.
    escaped: &'a EscapedSource,
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
        let start = self.escaped.map(span.start);
        let end = self.escaped.map(span.end).max(start);
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
    for file in &report.files {
        if file.diagnostics.is_empty() {
            continue;
        }
        let escaped = EscapedSource::new(&file.source.text);
        let source = NamedSource::new(
            escape::text(&file.source.display_path()),
            escaped.text.clone(),
        )
        .with_language("yaml");
        for diagnostic in &file.diagnostics {
            let mut rendered = String::new();
            handler
                .render_report(
                    &mut rendered,
                    &Rendered {
                        diagnostic,
                        source: &source,
                        escaped: &escaped,
                    },
                )
                .map_err(io::Error::other)?;
            writeln!(out, "{}", rendered.trim_end())?;
            writeln!(out)?;
        }
    }
    if !options.quiet {
        writeln!(out, "{}", summary(report))?;
    }
    Ok(())
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
    let fixable = if counts.fixable > 0 {
        format!(" ({} fixable with `--fix`)", counts.fixable)
    } else {
        String::new()
    };
    format!("Found {} in {files}{fixable}.", parts.join(", "))
}
