//! `--output-format concise`: `path:line:col: CODE message`, one line per
//! finding (line breaks in messages become spaces, control characters
//! escaped), then the summary line.
//! The shape editors' problem matchers and `grep` expect.

use std::io::{self, Write};

use super::{ReportOptions, escape, full::summary, located};
use crate::results::CheckReport;

pub(super) fn write(
    report: &CheckReport,
    options: &ReportOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    for item in located(report) {
        let d = item.diagnostic;
        let message = d.message.split(['\r', '\n']).filter(|s| !s.is_empty());
        let message = message.collect::<Vec<_>>().join(" ");
        writeln!(
            out,
            "{}:{}:{}: {} {}",
            escape::text(&item.file.source.display_path()),
            item.start.line,
            item.start.column,
            d.code,
            escape::text(&message)
        )?;
    }
    if !options.quiet {
        writeln!(out, "{}", summary(report))?;
    }
    Ok(())
}
