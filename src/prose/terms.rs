//! House terms (`[prose.terms]`): a term as written, matched as a whole word
//! ignoring case, and what the house writes instead, in the capitalization
//! the text had (`Back-end` → `Backend`, `BACK-END` → `BACKEND`).

/// One house term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The term as configured.
    pub written: String,
    /// Its lower case (what the text is compared with, lowered).
    lower: String,
    /// What the house writes.
    pub preferred: String,
}

/// Every configured term, longest first (a longer term wins where two overlap).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Terms {
    terms: Vec<Term>,
}

/// A term found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found<'t> {
    /// First byte in the text.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The term.
    pub term: &'t Term,
    /// What replaces the text, in its capitalization.
    pub replacement: String,
}

impl Terms {
    /// The terms of `[prose.terms]`; a term whose replacement is itself is left out.
    pub fn new<'a>(pairs: impl IntoIterator<Item = (&'a String, &'a String)>) -> Self {
        let mut terms: Vec<Term> = pairs
            .into_iter()
            .filter(|(written, preferred)| {
                !written.trim().is_empty() && written.as_str() != preferred.as_str()
            })
            .map(|(written, preferred)| Term {
                written: written.clone(),
                lower: written.to_lowercase(),
                preferred: preferred.clone(),
            })
            .collect();
        terms.sort_by(|a, b| {
            b.lower
                .len()
                .cmp(&a.lower.len())
                .then(a.lower.cmp(&b.lower))
        });
        Terms { terms }
    }

    /// True when there is no term.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The terms in `text[start..end]` (whole words, not overlapping), in order.
    /// `lower` is `text` in lower case when that has the same byte offsets.
    pub fn find<'t>(&'t self, text: &str, start: usize, end: usize, out: &mut Vec<Found<'t>>) {
        if self.terms.is_empty() {
            return;
        }
        let part = &text[start..end];
        let lower = part.to_lowercase();
        // Lower-casing changed lengths (rare letters): compare char by char instead.
        let same_offsets = lower.len() == part.len();
        let first = out.len();
        for term in &self.terms {
            let mut from = 0;
            while from < part.len() {
                let at = if same_offsets {
                    lower[from..].find(&term.lower).map(|i| i + from)
                } else {
                    find_ignoring_case(part, from, &term.lower)
                };
                let Some(at) = at else { break };
                let len = if same_offsets {
                    term.lower.len()
                } else {
                    matched_len(&part[at..], &term.lower)
                };
                let (s, e) = (start + at, start + at + len);
                let whole = !text[..s].chars().next_back().is_some_and(joins)
                    && !text[e..].chars().next().is_some_and(joins);
                let overlaps = out[first..].iter().any(|f| f.start < e && s < f.end);
                if whole && !overlaps && len > 0 {
                    out.push(Found {
                        start: s,
                        end: e,
                        term,
                        replacement: same_case(&text[s..e], &term.preferred),
                    });
                }
                from = at + part[at..].chars().next().map_or(1, char::len_utf8);
            }
        }
        out[first..].sort_by_key(|f| f.start);
    }
}

/// A character that continues a word: the term must not start or end inside one.
fn joins(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn find_ignoring_case(part: &str, from: usize, lower: &str) -> Option<usize> {
    part[from..]
        .char_indices()
        .map(|(i, _)| i + from)
        .find(|&i| matched_len(&part[i..], lower) > 0)
}

/// The bytes of `text`'s start that lower-case to `lower`, or 0.
fn matched_len(text: &str, lower: &str) -> usize {
    let mut want = lower.chars().peekable();
    for (i, c) in text.char_indices() {
        for l in c.to_lowercase() {
            if want.next() != Some(l) {
                return 0;
            }
        }
        if want.peek().is_none() {
            return i + c.len_utf8();
        }
    }
    0
}

/// `preferred` in the capitalization of `written`: all capitals when it is
/// in capitals (and has two letters or more), a capital first letter when it
/// starts with one, as configured otherwise.
pub fn same_case(written: &str, preferred: &str) -> String {
    let letters: Vec<char> = written.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        return preferred.to_uppercase();
    }
    if letters.first().is_some_and(|c| c.is_uppercase()) {
        let mut chars = preferred.chars();
        return match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => String::new(),
        };
    }
    preferred.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(pairs: &[(&str, &str)]) -> Terms {
        let owned: Vec<(String, String)> = pairs
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect();
        Terms::new(owned.iter().map(|(a, b)| (a, b)))
    }

    fn found(terms: &Terms, text: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        terms.find(text, 0, text.len(), &mut out);
        out.iter()
            .map(|f| (text[f.start..f.end].to_owned(), f.replacement.clone()))
            .collect()
    }

    #[test]
    fn whole_words_case_preserved() {
        let t = terms(&[("back-end", "backend"), ("e-mail", "email")]);
        assert_eq!(
            found(
                &t,
                "Back-end and back-end, BACK-END; e-mail. Not back-ends or laback-end."
            ),
            [
                ("Back-end".into(), "Backend".into()),
                ("back-end".into(), "backend".into()),
                ("BACK-END".into(), "BACKEND".into()),
                ("e-mail".into(), "email".into()),
            ]
        );
    }

    #[test]
    fn longer_terms_win_and_non_ascii_text_is_matched() {
        let t = terms(&[("on premise", "on-premises"), ("premise", "premises")]);
        assert_eq!(
            found(&t, "Runs on premise; a premise."),
            [
                ("on premise".into(), "on-premises".into()),
                ("premise".into(), "premises".into())
            ]
        );
        let t = terms(&[("cafe", "café")]);
        assert_eq!(found(&t, "İ cafe"), [("cafe".into(), "café".into())]);
    }

    #[test]
    fn same_case_follows_the_written_form() {
        assert_eq!(same_case("Back-end", "backend"), "Backend");
        assert_eq!(same_case("BACK-END", "backend"), "BACKEND");
        assert_eq!(same_case("back-end", "backend"), "backend");
        assert_eq!(same_case("javascript", "JavaScript"), "JavaScript");
        assert_eq!(same_case("A", "an"), "An");
    }
}
