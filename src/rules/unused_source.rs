//! `GP306`: every source is cited somewhere. See [`UnusedSource`].

use super::unknown_source::{references, source_ids};
use super::{Guide, Rule, finding};
use crate::codes;
use crate::diagnostic::Diagnostic;

#[doc = include_str!("docs/GP306.md")]
pub struct UnusedSource;

impl Rule for UnusedSource {
    fn code(&self) -> &'static str {
        codes::UNUSED_SOURCE
    }

    fn doc(&self) -> &'static str {
        include_str!("docs/GP306.md")
    }

    fn check_guide(&self, guide: &Guide<'_>, out: &mut Vec<Diagnostic>) {
        let ids = source_ids(guide);
        if ids.is_empty() {
            return;
        }
        let cited = references(guide.root);
        for (index, id) in ids {
            if cited.iter().any(|(_, c)| *c == id) {
                continue;
            }
            out.push(
                finding(
                    guide,
                    codes::UNUSED_SOURCE,
                    &format!("/sources/{index}/id"),
                    format!("The source `{id}` is never cited."),
                )
                .with_span_label("not cited by any `source` field")
                .with_help("cite it where its data is used (`facts.source`, `salary_by_state_source`, …), or remove it"),
            );
        }
    }
}
