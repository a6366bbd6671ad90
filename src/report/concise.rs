//! `--output-format concise`: `path:line:col: severity CODE message`, one
//! line per finding (line breaks in messages become spaces, control
//! characters escaped), then the summary line. The shape of gcc's
//! `file:line:col: error: message` that editors' problem matchers and `grep`
//! expect, with the code after the severity as ruff prints it:
//! `^(.+):(\d+):(\d+): (error|warning|info) (GP\d+) (.*)$`.

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
            "{}:{}:{}: {} {} {}",
            escape::text(&item.file.source.display_path()),
            item.start.line,
            item.start.column,
            d.severity.as_str(),
            d.code,
            escape::text(&message)
        )?;
    }
    if !options.quiet {
        writeln!(out, "{}", summary(report))?;
    }
    Ok(())
}
