//! `--output-format json-lines`: one compact JSON object per finding per line,
//! with the same fields as `json`. Nothing is printed for a clean run.

use std::io::{self, Write};

use super::{json, located};
use crate::results::CheckReport;

pub(super) fn write(report: &CheckReport, out: &mut dyn Write) -> io::Result<()> {
    for item in located(report) {
        serde_json::to_writer(&mut *out, &json::finding(&item))?;
        writeln!(out)?;
    }
    Ok(())
}
