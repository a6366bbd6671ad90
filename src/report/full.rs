//! `--output-format full`: miette's graphical report per finding (source
//! snippet, labels, help), then a summary line.

use std::fmt;
use std::io::{self, Write};

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};

use super::{ReportOptions, plural};
use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::results::CheckReport;

/// A finding in the shape miette renders.
struct Rendered<'a> {
    diagnostic: &'a Diagnostic,
    source: &'a NamedSource<String>,
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for Rendered<'_> {}

fn source_span(span: Span) -> SourceSpan {
    (span.start, span.len()).into()
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
        match (&d.help, &d.fix) {
            (Some(help), Some(fix)) => Some(Box::new(format!("{help}\nfix: {}", fix.message))),
            (Some(help), None) => Some(Box::new(help)),
            (None, Some(fix)) => Some(Box::new(format!("fix: {}", fix.message))),
            (None, None) => None,
        }
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let d = self.diagnostic;
        let primary = LabeledSpan::new_primary_with_span(d.span_label.clone(), source_span(d.span));
        let secondary = d
            .labels
            .iter()
            .map(|l| LabeledSpan::new_with_span(Some(l.message.clone()), source_span(l.span)));
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
        let source = NamedSource::new(file.source.display_path(), file.source.text.clone())
            .with_language("yaml");
        for diagnostic in &file.diagnostics {
            let mut rendered = String::new();
            handler
                .render_report(
                    &mut rendered,
                    &Rendered {
                        diagnostic,
                        source: &source,
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
