//! `GP605`: each `salary_by_state` median is BLS's state annual median. See [`StateMedianOfficial`].

use super::official;
use super::{Guide, Rule};
use crate::codes;
use crate::diagnostic::Diagnostic;

#[doc = include_str!("docs/GP605.md")]
pub struct StateMedianOfficial;

impl Rule for StateMedianOfficial {
    fn code(&self) -> &'static str {
        codes::STATE_MEDIAN_OFFICIAL
    }

    fn doc(&self) -> &'static str {
        include_str!("docs/GP605.md")
    }

    fn check_guide(&self, guide: &Guide<'_>, out: &mut Vec<Diagnostic>) {
        official::report_mismatches(guide, self.code(), out);
    }
}
