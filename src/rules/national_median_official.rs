//! `GP603`: `facts.national_median_salary` is BLS's national annual median. See [`NationalMedianOfficial`].

use super::official;
use super::{Guide, Rule};
use crate::codes;
use crate::diagnostic::Diagnostic;

#[doc = include_str!("docs/GP603.md")]
pub struct NationalMedianOfficial;

impl Rule for NationalMedianOfficial {
    fn code(&self) -> &'static str {
        codes::NATIONAL_MEDIAN_OFFICIAL
    }

    fn doc(&self) -> &'static str {
        include_str!("docs/GP603.md")
    }

    fn check_guide(&self, guide: &Guide<'_>, out: &mut Vec<Diagnostic>) {
        official::report_mismatches(guide, self.code(), out);
    }
}
