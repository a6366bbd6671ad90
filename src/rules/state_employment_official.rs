//! `GP606`: each `salary_by_state` employment is BLS's state employment. See [`StateEmploymentOfficial`].

use super::official;
use super::{Guide, Rule};
use crate::codes;
use crate::diagnostic::Diagnostic;

#[doc = include_str!("docs/GP606.md")]
pub struct StateEmploymentOfficial;

impl Rule for StateEmploymentOfficial {
    fn code(&self) -> &'static str {
        codes::STATE_EMPLOYMENT_OFFICIAL
    }

    fn doc(&self) -> &'static str {
        include_str!("docs/GP606.md")
    }

    fn check_guide(&self, guide: &Guide<'_>, out: &mut Vec<Diagnostic>) {
        official::report_mismatches(guide, self.code(), out);
    }
}
