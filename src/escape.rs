//! Making text from files and servers safe to print: control characters
//! (ESC, BEL, a carriage return, C1 controls) and bidirectional overrides
//! written as visible escapes (`\x1B`, `\u{202E}`), so a hostile key, value
//! or answer cannot drive the terminal or hide text; [`line`] escapes line
//! breaks too, for text that must stay on its line (a table row, a CI log).
//! Used by every human-readable check format (`full`, `concise`, `github`,
//! `markdown`, through `report::escape`), the publish plan, `data show` and
//! `preview`'s messages.

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

/// Appends the visible escape of `c`: `\x1B` below 0x80, else `\u{202E}`.
pub fn push_escape(out: &mut String, c: char) {
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

/// `text` as one line: every unsafe character escaped, and line breaks and
/// tabs too (`\x0A`), so a value from a file or a server can neither drive
/// the terminal nor start a line of its own (a CI log reads a line that
/// starts with `::error` as a command).
pub fn line(text: &str) -> Cow<'_, str> {
    let breaks = |c: char| is_unsafe(c) || matches!(c, '\n' | '\r' | '\t');
    if !text.chars().any(breaks) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if breaks(c) {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_become_visible() {
        assert_eq!(
            text("k\u{1b}[31m\u{7}\u{202e}x\n\ty"),
            "k\\x1B[31m\\x07\\u{202E}x\n\ty"
        );
        assert!(matches!(text("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_line_keeps_to_one_line() {
        assert_eq!(
            line("a\n::error title=x::y\r\tz\u{1b}"),
            "a\\x0A::error title=x::y\\x0D\\x09z\\x1B"
        );
        assert!(matches!(line("plain-slug"), Cow::Borrowed(_)));
    }
}
