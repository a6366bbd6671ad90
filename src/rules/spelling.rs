//! `GP701`: every word of the prose fields is spelled as the dictionary, the
//! technical words or the repository's words have it. See [`Spelling`].

use super::prose_words::{self, locate};
use super::{Guide, Rule, finding};
use crate::codes;
use crate::diagnostic::{Applicability, Diagnostic, Fix};
use crate::prose::{scan, word_edit};

#[doc = include_str!("docs/GP701.md")]
pub struct Spelling;

impl Rule for Spelling {
    fn code(&self) -> &'static str {
        codes::SPELLING
    }

    fn doc(&self) -> &'static str {
        include_str!("docs/GP701.md")
    }

    fn check_guide(&self, guide: &Guide<'_>, out: &mut Vec<Diagnostic>) {
        let Some((prose, fields)) = prose_words::fields(guide) else {
            return;
        };
        let Some(speller) = &prose.speller else {
            return;
        };
        let mut words = Vec::new();
        for field in &fields {
            // A house term is reported as one (GP702), not as a misspelling.
            let terms = prose_words::terms_in(prose, field);
            words.clear();
            for &(start, end) in &field.ranges {
                scan::words(field.text, start, end, &mut words);
            }
            for word in &words {
                if terms
                    .iter()
                    .any(|t| t.start < word.end && word.start < t.end)
                {
                    continue;
                }
                let whole = &field.text[word.start..word.end];
                if speller.accepts(whole) {
                    continue;
                }
                // A compound is reported part by part (`real-tme`: `tme`).
                let compound = whole.contains(['-', '.']);
                for (at, part) in scan::parts(whole) {
                    if compound && speller.accepts(part) {
                        continue;
                    }
                    let start = word.start + at;
                    let end = start + part.len();
                    out.push(report(guide, field, start, end, speller));
                }
            }
        }
    }
}

fn report(
    guide: &Guide<'_>,
    field: &prose_words::Field<'_>,
    start: usize,
    end: usize,
    speller: &crate::prose::Speller,
) -> Diagnostic {
    let word = &field.text[start..end];
    let suggestions = if guide.context.suggestions {
        speller.suggest(word)
    } else {
        std::sync::Arc::from(Vec::new())
    };
    let (span, node, exact) = locate(guide, field, start, end);
    let mut diagnostic = finding(
        guide,
        codes::SPELLING,
        &field.pointer,
        format!("\"{word}\" is not in the dictionary."),
    );
    diagnostic.span = span;
    let quoted: Vec<String> = suggestions.iter().map(|s| format!("\"{s}\"")).collect();
    let help = match quoted.as_slice() {
        [] => format!(
            "correct the word, or add it to the repository's words with `guidepress words add {word}`"
        ),
        _ => format!(
            "did you mean {}? If the word is right, add it to the repository's words with `guidepress words add {word}`",
            quoted.join(", ")
        ),
    };
    diagnostic = diagnostic
        .with_span_label(match suggestions.first() {
            Some(first) => format!("did you mean \"{first}\"?"),
            None => "unknown word".to_owned(),
        })
        .with_help(help);
    if let Some(edit) = suggestions
        .first()
        .filter(|_| exact)
        .and_then(|first| word_edit(&guide.file.source.text, node, span, first))
    {
        diagnostic = diagnostic.with_fix(Fix {
            message: format!("Replace \"{word}\" with \"{}\"", edit.replacement),
            applicability: Applicability::Unsafe,
            edits: vec![edit],
        });
    }
    diagnostic
}
