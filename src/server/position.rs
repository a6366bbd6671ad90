//! Byte offsets ↔ LSP positions. A position's `character` counts UTF-16 code
//! units unless the client agreed to UTF-8 bytes at `initialize`; lines are
//! YAML's (`\n`, `\r\n` and a lone `\r`), as everywhere else in guidepress.

use lsp_types::{Position, PositionEncodingKind, Range};

use crate::diagnostic::Span;
use crate::source::SourceFile;

/// How `character` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-16 code units (the protocol's default).
    Utf16,
    /// UTF-8 bytes (offered by the client, preferred: no conversion).
    Utf8,
}

impl Encoding {
    /// The encoding to use given what the client offers (`general.positionEncodings`).
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Self {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    /// The protocol's name for it.
    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf8 => PositionEncodingKind::UTF8,
        }
    }

    fn width(self, c: char) -> usize {
        match self {
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf8 => c.len_utf8(),
        }
    }
}

/// The text of 0-based `line` including a byte order mark, without its line break.
fn raw_line(source: &SourceFile, line: usize) -> (usize, &str) {
    let start = source.line_start(line);
    let end = source.line_start(line + 1).min(source.text.len());
    (
        start,
        source.text[start..end].trim_end_matches(['\n', '\r']),
    )
}

/// The position of byte `offset` (moved back to a character boundary).
pub fn position(source: &SourceFile, offset: usize, encoding: Encoding) -> Position {
    let offset = source.clamp(offset);
    let line = source.line_index(offset);
    let start = source.line_start(line);
    let character: usize = source.text[start..offset]
        .chars()
        .map(|c| encoding.width(c))
        .sum();
    Position::new(to_u32(line), to_u32(character))
}

/// The range of `span`.
pub fn range(source: &SourceFile, span: Span, encoding: Encoding) -> Range {
    Range::new(
        position(source, span.start, encoding),
        position(source, span.end.max(span.start), encoding),
    )
}

/// The byte offset of `position`. A line past the end is the end of the text;
/// a character past the end of its line is the end of the line; a position
/// inside a character (half of a UTF-16 surrogate pair) is that character's start.
pub fn offset(source: &SourceFile, position: Position, encoding: Encoding) -> usize {
    let line = position.line as usize;
    if line >= source.line_count() {
        return source.text.len();
    }
    let (start, text) = raw_line(source, line);
    let wanted = position.character as usize;
    let mut counted = 0;
    for (index, c) in text.char_indices() {
        let width = encoding.width(c);
        if counted + width > wanted {
            return start + index;
        }
        counted += width;
    }
    start + text.len()
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("g.yaml", text.to_owned())
    }

    #[test]
    fn utf16_counts_code_units_and_utf8_bytes() {
        let source = file("a: é😀x\nb: 1\r\nc");
        let x = source.text.find('x').unwrap();
        assert_eq!(position(&source, x, Encoding::Utf16), Position::new(0, 6));
        assert_eq!(position(&source, x, Encoding::Utf8), Position::new(0, 9));
        assert_eq!(offset(&source, Position::new(0, 6), Encoding::Utf16), x);
        assert_eq!(offset(&source, Position::new(0, 9), Encoding::Utf8), x);
        let c = source.text.rfind('c').unwrap();
        assert_eq!(position(&source, c, Encoding::Utf16), Position::new(2, 0));
    }

    #[test]
    fn out_of_range_positions_are_clamped() {
        let source = file("ab\ncd");
        assert_eq!(offset(&source, Position::new(0, 99), Encoding::Utf16), 2);
        assert_eq!(offset(&source, Position::new(9, 0), Encoding::Utf16), 5);
        // Inside a surrogate pair: the character's start.
        let source = file("😀z");
        assert_eq!(offset(&source, Position::new(0, 1), Encoding::Utf16), 0);
    }

    #[test]
    fn lone_carriage_returns_break_lines() {
        let source = file("a\rb");
        assert_eq!(position(&source, 2, Encoding::Utf16), Position::new(1, 0));
        assert_eq!(offset(&source, Position::new(1, 1), Encoding::Utf16), 3);
    }
}
