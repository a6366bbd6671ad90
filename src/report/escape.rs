//! Making text from files safe to print: control characters (ESC, BEL, a
//! carriage return, C1 controls) and bidirectional overrides written as
//! visible escapes (`\x1B`, `\u{202E}`), so a hostile key or value cannot
//! drive the terminal or hide text. Used by every human-readable format
//! (`full`, `concise`, `github`, `markdown`).

use std::borrow::Cow;

/// True for a character that must not reach a terminal raw. Line feeds and
/// tabs are layout, not control, and stay.
pub fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

fn push_escape(out: &mut String, c: char) {
    let code = u32::from(c);
    if code < 0x80 {
        out.push_str(&format!("\\x{code:02X}"));
    } else {
        out.push_str(&format!("\\u{{{code:X}}}"));
    }
}

/// `text` with every unsafe character escaped.
pub fn text(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

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
    fn controls_become_visible_and_offsets_follow() {
        assert_eq!(
            text("k\u{1b}[31m\u{7}\u{202e}x\n\ty"),
            "k\\x1B[31m\\x07\\u{202E}x\n\ty"
        );
        assert!(matches!(text("plain"), Cow::Borrowed(_)));
        let source = EscapedSource::new("a\u{1b}b: c\rd");
        assert_eq!(source.text, "a\\x1Bb: c\nd");
        assert_eq!(source.map(0), 0);
        assert_eq!(source.map(2), 5);
        assert_eq!(&source.text[source.map(2)..source.map(3)], "b");
    }
}
