//! The check formats' escaping ([`crate::escape`]: control characters and
//! bidirectional overrides made visible), and [`EscapedSource`], a source
//! text escaped with a map from its offsets to the escaped text's (for
//! snippets). Used by every human-readable format (`full`, `concise`,
//! `github`, `markdown`).

use crate::escape::push_escape;
pub use crate::escape::{is_unsafe, line, text};

/// A source text escaped for display, with a map from its offsets to the
/// escaped text's. Line breaks stay line breaks: a lone `\r` becomes `\n`.
pub struct EscapedSource {
    /// The escaped text.
    pub text: String,
    /// (original offset just after an escaped character, bytes added so far).
    shifts: Vec<(usize, usize)>,
}

impl EscapedSource {
    /// Escapes `source`.
    pub fn new(source: &str) -> Self {
        let mut out = String::with_capacity(source.len());
        let mut shifts = Vec::new();
        let mut added = 0;
        let mut chars = source.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            if c == '\r' {
                let crlf = chars.peek().is_some_and(|&(_, next)| next == '\n');
                out.push(if crlf { '\r' } else { '\n' });
                continue;
            }
            if is_unsafe(c) {
                let before = out.len();
                push_escape(&mut out, c);
                added += out.len() - before - c.len_utf8();
                shifts.push((at + c.len_utf8(), added));
            } else {
                out.push(c);
            }
        }
        EscapedSource { text: out, shifts }
    }

    /// Where byte `offset` of the original text is in the escaped text.
    pub fn map(&self, offset: usize) -> usize {
        let index = self.shifts.partition_point(|&(at, _)| at <= offset);
        offset + index.checked_sub(1).map_or(0, |i| self.shifts[i].1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_follow_the_escapes() {
        let source = EscapedSource::new("a\u{1b}b: c\rd");
        assert_eq!(source.text, "a\\x1Bb: c\nd");
        assert_eq!(source.map(0), 0);
        assert_eq!(source.map(2), 5);
        assert_eq!(&source.text[source.map(2)..source.map(3)], "b");
    }
}
