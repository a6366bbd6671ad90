//! `GP604`: `facts.salary_range` is BLS's national annual percentiles. See [`SalaryRangeOfficial`].

use super::official;
use super::{Guide, Rule};
use crate::codes;
use crate::diagnostic::Diagnostic;

#[doc = include_str!("docs/GP604.md")]
pub struct SalaryRangeOfficial;

impl Rule for SalaryRangeOfficial {
    fn code(&self) -> &'static str {
        codes::SALARY_RANGE_OFFICIAL
    }

    fn doc(&self) -> &'static str {
        include_str!("docs/GP604.md")
    }

    fn check_guide(&self, guide: &Guide<'_>, out: &mut Vec<Diagnostic>) {
        official::report_mismatches(guide, self.code(), out);
    }
}
