//! Reading the figures prose states: sentences, money amounts (`$133,080`,
//! `$133K`, `$211,000+`), ranges of them, percentages, and the words and
//! names (states, certifications) around them. Used by
//! [`super::prose_figure_mismatch`].

use crate::decimal::Decimal;

/// A money amount or percentage found in prose.
#[derive(Debug, Clone)]
pub(super) struct Figure {
    /// Byte range in the string value.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
    /// What it is.
    pub kind: FigureKind,
}

/// The kinds of figure prose states.
#[derive(Debug, Clone)]
pub(super) enum FigureKind {
    /// `$133,080`, `$211,000+`, `$133K`: dollars, trailing zeros, `+`, plain digits (fixable).
    Money {
        dollars: i64,
        zeros: u32,
        plus: bool,
        plain: bool,
    },
    /// `$80,000-$211,000+`: the two ends.
    Range(Box<Figure>, Box<Figure>),
    /// `+17%`, `12.5%`.
    Percent(Decimal),
}

/// Sentences of `text` as byte ranges: split after `.`, `!`, `?` followed by
/// white space, and at blank lines and Markdown list items.
pub(super) fn sentences(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let next = bytes.get(i + 1).copied();
        let boundary = (matches!(b, b'.' | b'!' | b'?')
            && next.is_none_or(|n| n.is_ascii_whitespace()))
            || (b == b'\n' && matches!(next, Some(b'\n' | b'-' | b'*')));
        if boundary {
            out.push((start, i + 1));
            start = i + 1;
        }
        i += 1;
    }
    if start < bytes.len() {
        out.push((start, bytes.len()));
    }
    out
}

fn parse_money(text: &str, at: usize) -> Option<Figure> {
    let bytes = text.as_bytes();
    if bytes.get(at) != Some(&b'$') {
        return None;
    }
    let mut i = at + 1;
    let mut digits = String::new();
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_digit() {
            digits.push(b as char);
        } else if b == b','
            && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
            && !digits.is_empty()
        {
            // thousands separator
        } else {
            break;
        }
        i += 1;
    }
    if digits.is_empty() {
        return None;
    }
    let mut fraction = String::new();
    if bytes.get(i) == Some(&b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            fraction.push(bytes[i] as char);
            i += 1;
        }
    }
    let multiplier: i64 = match bytes.get(i) {
        Some(b'K' | b'k') if !bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic) => {
            i += 1;
            1_000
        }
        Some(b'M') if !bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic) => {
            i += 1;
            1_000_000
        }
        _ => 1,
    };
    let plain = multiplier == 1 && fraction.trim_end_matches('0').is_empty();
    let whole: i64 = digits.parse().ok()?;
    let fraction_value = if fraction.is_empty() {
        0
    } else {
        let scale = 10i64.checked_pow(u32::try_from(fraction.len()).ok()?)?;
        fraction.parse::<i64>().ok()?.checked_mul(multiplier)? / scale
    };
    let dollars = whole.checked_mul(multiplier)?.checked_add(fraction_value)?;
    let plus = bytes.get(i) == Some(&b'+');
    if plus {
        i += 1;
    }
    let zeros = if dollars == 0 {
        0
    } else {
        let mut n = dollars;
        let mut zeros = 0;
        while n % 10 == 0 && zeros < 9 {
            n /= 10;
            zeros += 1;
        }
        zeros
    };
    Some(Figure {
        start: at,
        end: i,
        kind: FigureKind::Money {
            dollars,
            zeros,
            plus,
            plain,
        },
    })
}

/// Figures in `text[range]`, left to right.
pub(super) fn figures(text: &str, range: (usize, usize)) -> Vec<Figure> {
    let bytes = text.as_bytes();
    let mut out: Vec<Figure> = Vec::new();
    let mut i = range.0;
    while i < range.1 {
        if bytes[i] == b'$' {
            if let Some(money) = parse_money(text, i) {
                i = money.end;
                // A range: `$A-$B`, `$A – $B`, `$A to $B`.
                let rest = &text[i..range.1];
                let trimmed = rest.trim_start();
                let joined = ["-", "–", "—", "to "]
                    .iter()
                    .find_map(|sep| trimmed.strip_prefix(sep));
                if let Some(after) = joined {
                    let after_trim = after.trim_start();
                    let second_at = range.1 - after_trim.len();
                    if let Some(high) = parse_money(text, second_at).filter(|f| f.end <= range.1) {
                        i = high.end;
                        out.push(Figure {
                            start: money.start,
                            end: high.end,
                            kind: FigureKind::Range(Box::new(money), Box::new(high)),
                        });
                        continue;
                    }
                }
                out.push(money);
                continue;
            }
        }
        if bytes[i] == b'%' {
            // Walk back over the number.
            let mut start = i;
            while start > range.0 && (bytes[start - 1].is_ascii_digit() || bytes[start - 1] == b'.')
            {
                start -= 1;
            }
            if start > range.0 && matches!(bytes[start - 1], b'+' | b'-') {
                start -= 1;
            }
            let number = &text[start..i];
            let word_before = start > range.0 && bytes[start - 1].is_ascii_alphanumeric();
            if let (Some(decimal), false) = (Decimal::parse(number), word_before) {
                out.push(Figure {
                    start,
                    end: i + 1,
                    kind: FigureKind::Percent(decimal),
                });
            }
        }
        i += 1;
    }
    out
}

fn contains_word(haystack: &str, word: &str) -> bool {
    haystack.match_indices(word).any(|(at, _)| {
        let before = haystack[..at].chars().next_back();
        let after = haystack[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// States a sentence names: by full name, or by code when the guide lists that state.
pub(super) fn states_in<'g>(sentence: &str, listed: &[&'g str]) -> Vec<&'g str> {
    let mut found = Vec::new();
    for code in listed {
        let name = crate::states::name(code);
        if contains_word(sentence, code) || name.is_some_and(|n| contains_word(sentence, n)) {
            found.push(*code);
        }
    }
    found
}

pub(super) fn names_any_state(sentence: &str) -> bool {
    crate::states::STATES
        .iter()
        .any(|(_, name)| contains_word(sentence, name))
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The words around a figure at bytes `start..end` of `sentence`: up to 40
/// bytes before it (in its clause) and up to 30 after it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Nearby<'s> {
    /// The words before the figure.
    pub before: &'s str,
    /// The words after the figure.
    pub after: &'s str,
}

impl<'s> Nearby<'s> {
    /// The words around bytes `start..end` of `sentence`.
    pub fn around(sentence: &'s str, start: usize, end: usize) -> Self {
        let before = &sentence[floor_boundary(sentence, start.saturating_sub(40))..start];
        let after = &sentence[end..floor_boundary(sentence, (end + 30).min(sentence.len()))];
        Nearby {
            before: trim_to_boundary(before),
            after,
        }
    }

    /// True when one of `words` stands before or after the figure.
    pub fn mentions(&self, words: &[&str]) -> bool {
        words
            .iter()
            .any(|w| self.before.contains(w) || self.after.contains(w))
    }
}

/// Keeps the part of `before` after the last clause break, so "median" in an
/// earlier clause does not tie a later figure.
fn trim_to_boundary(before: &str) -> &str {
    match before.rfind([';', '(', ')']) {
        Some(i) => &before[i + 1..],
        None => before,
    }
}

/// True when a sentence names the certification: its full name, or an
/// acronym given in parentheses in the name (`CKA` for "Kubernetes Administrator (CKA)").
pub(super) fn cert_named(sentence: &str, name: &str) -> bool {
    if sentence.contains(name) {
        return true;
    }
    let Some(open) = name.find('(') else {
        return false;
    };
    let Some(close) = name[open..].find(')') else {
        return false;
    };
    let acronym = &name[open + 1..open + close];
    acronym.len() >= 2 && contains_word(sentence, acronym)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_figures() {
        let text = "Backend Engineers earn $80,000-$211,000+ depending on location. Growth is +17% and a cert costs $150.";
        let sentences = sentences(text);
        assert_eq!(sentences.len(), 2);
        let first = figures(text, sentences[0]);
        assert_eq!(first.len(), 1);
        assert!(matches!(first[0].kind, FigureKind::Range(..)));
        assert_eq!(&text[first[0].start..first[0].end], "$80,000-$211,000+");
        let second = figures(text, sentences[1]);
        assert_eq!(second.len(), 2);
        assert_eq!(&text[second[0].start..second[0].end], "+17%");
        assert_eq!(&text[second[1].start..second[1].end], "$150");
    }
}
