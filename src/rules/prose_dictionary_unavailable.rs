//! `GP703`: the spelling dictionary and the repository's words file can be
//! read. See [`ProseDictionaryUnavailable`].

use super::{Guide, Rule};
use crate::codes;
use crate::diagnostic::{Diagnostic, Span};

#[doc = include_str!("docs/GP703.md")]
pub struct ProseDictionaryUnavailable;

impl Rule for ProseDictionaryUnavailable {
    fn code(&self) -> &'static str {
        codes::PROSE_DICTIONARY_UNAVAILABLE
    }

    fn doc(&self) -> &'static str {
        include_str!("docs/GP703.md")
    }

    /// Said once per run, on the first guide.
    fn check_workspace(&self, guides: &[Guide<'_>], out: &mut Vec<(usize, Diagnostic)>) {
        let Some(first) = guides.first() else {
            return;
        };
        let Some(problem) = first
            .context
            .prose
            .as_deref()
            .and_then(|prose| prose.problem.as_deref())
        else {
            return;
        };
        let mut message = problem.to_owned();
        if let Some(first_letter) = message.get(..1) {
            message = first_letter.to_uppercase() + &message[1..];
        }
        out.push((
            0,
            Diagnostic::new(
                codes::PROSE_DICTIONARY_UNAVAILABLE,
                super::info(codes::PROSE_DICTIONARY_UNAVAILABLE).default_severity,
                format!("{message}."),
                Span::at(0),
            )
            .with_help(
                "check `[prose] dictionary` and `[prose] words` in guidepress.toml; this is said once per run, on the first guide",
            ),
        ));
    }
}
