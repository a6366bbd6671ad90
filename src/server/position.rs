//! Byte offsets ↔ LSP positions, through the one line index
//! ([`crate::source::LineIndex`]). A position's `character` counts UTF-16
//! code units unless the client agreed to UTF-8 bytes at `initialize`.

use lsp_types::{Position, PositionEncodingKind, Range};

use crate::diagnostic::Span;
pub use crate::source::PositionEncoding as Encoding;
use crate::source::SourceFile;

/// The encoding to use given what the client offers (`general.positionEncodings`):
/// UTF-8 when offered (no conversion), else the protocol's default, UTF-16.
pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
    match offered {
        Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
        _ => Encoding::Utf16,
    }
}

/// The protocol's name for `encoding`.
pub fn kind(encoding: Encoding) -> PositionEncodingKind {
    match encoding {
        Encoding::Utf8 => PositionEncodingKind::UTF8,
        Encoding::Utf16 => PositionEncodingKind::UTF16,
        Encoding::Utf32 => PositionEncodingKind::UTF32,
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The position of byte `offset` (moved back to a character boundary).
pub fn position(source: &SourceFile, offset: usize, encoding: Encoding) -> Position {
    let at = source.line_column(offset, encoding);
    Position::new(to_u32(at.line), to_u32(at.column))
}

/// The range of `span`.
pub fn range(source: &SourceFile, span: Span, encoding: Encoding) -> Range {
    Range::new(
        position(source, span.start, encoding),
        position(source, span.end.max(span.start), encoding),
    )
}

/// The byte offset of `position`, clamped as the protocol asks: a line past
/// the end is the end of the text, a character past the end of its line is
/// the end of the line, a position inside a character is its start.
pub fn offset(source: &SourceFile, position: Position, encoding: Encoding) -> usize {
    source.offset(
        position.line as usize,
        position.character as usize,
        encoding,
    )
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
    fn the_offered_encoding_is_taken() {
        assert_eq!(negotiate(None), Encoding::Utf16);
        let both = [PositionEncodingKind::UTF16, PositionEncodingKind::UTF8];
        assert_eq!(negotiate(Some(&both)), Encoding::Utf8);
        assert_eq!(kind(Encoding::Utf16), PositionEncodingKind::UTF16);
    }
}
