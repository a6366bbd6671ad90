//! `GP702`: prose writes the house's terms (`[prose.terms]`). See [`HouseTerm`].

use super::prose_words::{self, locate};
use super::{Guide, Rule, finding};
use crate::codes;
use crate::diagnostic::{Applicability, Diagnostic, Fix};
use crate::prose::word_edit;

#[doc = include_str!("docs/GP702.md")]
pub struct HouseTerm;

impl Rule for HouseTerm {
    fn code(&self) -> &'static str {
        codes::HOUSE_TERM
    }

    fn doc(&self) -> &'static str {
        include_str!("docs/GP702.md")
    }

    fn check_guide(&self, guide: &Guide<'_>, out: &mut Vec<Diagnostic>) {
        let Some(prose) = guide.context.prose.as_deref() else {
            return;
        };
        if prose.terms.is_empty() {
            return;
        }
        let Some((prose, fields)) = prose_words::fields(guide) else {
            return;
        };
        for field in &fields {
            for found in prose_words::terms_in(prose, field) {
                let written = &field.text[found.start..found.end];
                let (span, node, exact) = locate(guide, field, found.start, found.end);
                let mut diagnostic = finding(
                    guide,
                    codes::HOUSE_TERM,
                    &field.pointer,
                    format!(
                        "The house style writes \"{}\", not \"{written}\".",
                        found.replacement
                    ),
                );
                diagnostic.span = span;
                diagnostic = diagnostic
                    .with_span_label(format!("write \"{}\"", found.replacement))
                    .with_help(format!(
                        "`[prose.terms]` in guidepress.toml replaces \"{}\" with \"{}\"",
                        found.term.written, found.term.preferred
                    ));
                let edit = exact
                    .then(|| word_edit(&guide.file.source.text, node, span, &found.replacement))
                    .flatten();
                if let Some(edit) = edit {
                    diagnostic = diagnostic.with_fix(Fix {
                        message: format!("Replace \"{written}\" with \"{}\"", found.replacement),
                        applicability: Applicability::Safe,
                        edits: vec![edit],
                    });
                }
                out.push(diagnostic);
            }
        }
    }
}
