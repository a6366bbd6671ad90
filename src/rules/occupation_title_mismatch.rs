//! `GP602`: the occupation title is BLS's title for the SOC code. See [`OccupationTitleMismatch`].

use super::official;
use super::{Guide, Rule, finding};
use crate::codes;
use crate::data::snapshot::same_title;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};

#[doc = include_str!("docs/GP602.md")]
pub struct OccupationTitleMismatch;

impl Rule for OccupationTitleMismatch {
    fn code(&self) -> &'static str {
        codes::OCCUPATION_TITLE_MISMATCH
    }

    fn doc(&self) -> &'static str {
        include_str!("docs/GP602.md")
    }

    fn check_guide(&self, guide: &Guide<'_>, out: &mut Vec<Diagnostic>) {
        let Some(title) = guide.str("/occupation/title") else {
            return;
        };
        let Some(official) = official::official(guide) else {
            return;
        };
        let bls = &official.occupation.title;
        if same_title(title, bls) {
            return;
        }
        let pointer = "/occupation/title";
        let span = guide.span(pointer);
        let line = official
            .occupation
            .national
            .as_ref()
            .or(official.occupation.states.first())
            .map(|row| official.row_text(row, "OCC_TITLE"))
            .unwrap_or_default();
        out.push(
            finding(
                guide,
                codes::OCCUPATION_TITLE_MISMATCH,
                pointer,
                format!(
                    "The occupation title is \"{title}\"; {} names {} \"{bls}\".",
                    official.source(),
                    official.occupation.code
                ),
            )
            .with_span_label(format!("BLS: {bls}"))
            .with_help(format!(
                "`occupation.title` is the official title of the SOC code (the job readers search for goes in `role`); BLS's title is at {line}"
            ))
            .with_fix(Fix {
                message: format!("Replace the title with \"{bls}\""),
                applicability: Applicability::Unsafe,
                edits: vec![Edit {
                    span,
                    replacement: official::yaml_scalar(bls),
                }],
            }),
        );
    }
}
