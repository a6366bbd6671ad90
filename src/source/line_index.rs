//! The line index: where each line of a text starts, and the conversions
//! between byte offsets and (line, column) positions.
//!
//! Line breaks are YAML's (and the Language Server Protocol's): `\n`, `\r\n`
//! and a lone `\r`. Lines and columns here are 0-based, as in LSP; columns
//! count in the unit a [`PositionEncoding`] names. A byte order mark at the
//! start of the text takes no column: editors do not show it.
//!
//! The index holds only line starts; the methods that need the characters
//! take the text the index was built from.

/// The unit a column counts in. The names and meanings are those of LSP's
/// `PositionEncodingKind` (`utf-8`, `utf-16`, `utf-32`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PositionEncoding {
    /// Columns count UTF-8 bytes (reviewdog, LSP `utf-8`).
    Utf8,
    /// Columns count UTF-16 code units (LSP's default, `utf-16`).
    Utf16,
    /// Columns count characters (Unicode scalar values; LSP `utf-32`, SARIF, terminals).
    Utf32,
}

impl PositionEncoding {
    /// How many columns `c` takes.
    fn width(self, c: char) -> usize {
        match self {
            PositionEncoding::Utf8 => c.len_utf8(),
            PositionEncoding::Utf16 => c.len_utf16(),
            PositionEncoding::Utf32 => 1,
        }
    }
}

/// A 0-based line and a 0-based column (in the unit of the
/// [`PositionEncoding`] it was made with).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineColumn {
    /// 0-based line.
    pub line: usize,
    /// 0-based column.
    pub column: usize,
}

/// Where each line of a text starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    /// Byte offset of each line's start; the first is 0.
    line_starts: Vec<usize>,
    /// Length of the text in bytes.
    len: usize,
    /// The text starts with a byte order mark.
    bom: bool,
}

const BOM: char = '\u{feff}';

impl LineIndex {
    /// Indexes the lines of `text`.
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let line_starts = std::iter::once(0)
            .chain(bytes.iter().enumerate().filter_map(|(i, &b)| match b {
                b'\n' => Some(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => Some(i + 1),
                _ => None,
            }))
            .collect();
        LineIndex {
            line_starts,
            len: text.len(),
            bom: text.starts_with(BOM),
        }
    }

    /// Number of lines (a final line without line break counts; an empty
    /// text has one line).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// 0-based index of the line holding byte `offset` (the last line for an
    /// offset past the end).
    pub fn line(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Byte offset where 0-based line `line` starts (the text's length for a
    /// line past the end).
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts.get(line).copied().unwrap_or(self.len)
    }

    /// Byte range of 0-based line `line` without its line break (and without
    /// a byte order mark on the first line); empty at the text's end for a
    /// line past the end.
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self.content_start(line);
        let end = self.line_start(line + 1).min(text.len()).max(start);
        let trimmed = text[start..end].trim_end_matches(['\n', '\r']).len();
        start..start + trimmed
    }

    /// Where the columns of `line` start: its start, or after a byte order
    /// mark on the first line.
    fn content_start(&self, line: usize) -> usize {
        let start = self.line_start(line);
        if line == 0 && self.bom {
            BOM.len_utf8().min(self.len)
        } else {
            start
        }
    }

    /// The 0-based line and column of byte `offset` of `text` (the text the
    /// index was built from). An offset past the end, or inside a
    /// character, is moved back to the nearest character boundary.
    pub fn position(&self, text: &str, offset: usize, encoding: PositionEncoding) -> LineColumn {
        let offset = clamp(text, offset);
        let line = self.line(offset);
        let start = self.content_start(line).min(offset);
        let column = text[start..offset].chars().map(|c| encoding.width(c)).sum();
        LineColumn { line, column }
    }

    /// The byte offset in `text` of 0-based `line` and `column` (counted in
    /// `encoding`). As LSP asks: a column past the end of its line means the
    /// line's end (before its line break), a line past the last means the
    /// end of the text. A column inside a character (half of a UTF-16
    /// surrogate pair, a byte inside a UTF-8 sequence) means that character's start.
    pub fn offset(
        &self,
        text: &str,
        line: usize,
        column: usize,
        encoding: PositionEncoding,
    ) -> usize {
        if line >= self.line_count() {
            return text.len();
        }
        let range = self.line_range(text, line);
        let mut remaining = column;
        for (at, c) in text[range.clone()].char_indices() {
            let width = encoding.width(c);
            if remaining < width {
                return range.start + at;
            }
            remaining -= width;
        }
        range.end
    }
}

/// `offset` moved back to the nearest character boundary within `text`.
pub fn clamp(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;
    use PositionEncoding::{Utf8, Utf16, Utf32};

    fn at(line: usize, column: usize) -> LineColumn {
        LineColumn { line, column }
    }

    #[test]
    fn every_line_break_counts() {
        let text = "a: 1\rb: 2\r\nc: 3\nd: x";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 4);
        assert_eq!(index.line_start(2), 11);
        assert_eq!(index.line_start(9), text.len());
        assert_eq!(&text[index.line_range(text, 1)], "b: 2");
        assert_eq!(index.position(text, 11, Utf16), at(2, 0));
        assert_eq!(index.position(text, 99, Utf16), at(3, 4));
    }

    #[test]
    fn columns_count_in_the_encoding_asked_for() {
        // `é` is 2 UTF-8 bytes and 1 UTF-16 unit; `𝄞` is 4 bytes and 2 units.
        let text = "k: é𝄞x\n";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(index.position(text, x, Utf8), at(0, 9));
        assert_eq!(index.position(text, x, Utf16), at(0, 6));
        assert_eq!(index.position(text, x, Utf32), at(0, 5));
        for encoding in [Utf8, Utf16, Utf32] {
            let LineColumn { line, column } = index.position(text, x, encoding);
            assert_eq!(index.offset(text, line, column, encoding), x);
        }
    }

    #[test]
    fn offsets_outside_a_line_or_inside_a_character_are_clamped() {
        let text = "a𝄞b\r\nsecond";
        let index = LineIndex::new(text);
        // Column past the line's end: the end, before `\r\n`.
        assert_eq!(index.offset(text, 0, 40, Utf16), 6);
        // Half of the surrogate pair: the character's start.
        assert_eq!(index.offset(text, 0, 2, Utf16), 1);
        assert_eq!(index.offset(text, 0, 3, Utf16), 5);
        // A line past the last: the end of the text.
        assert_eq!(index.offset(text, 7, 0, Utf16), text.len());
        // An offset inside `𝄞` is that character's position.
        assert_eq!(index.position(text, 3, Utf16), at(0, 1));
    }

    #[test]
    fn a_byte_order_mark_takes_no_column() {
        let text = "\u{feff}a: x\nb: y";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 0, Utf8), at(0, 0));
        assert_eq!(index.position(text, 3, Utf16), at(0, 0));
        assert_eq!(index.position(text, 6, Utf8), at(0, 3));
        assert_eq!(index.offset(text, 0, 0, Utf16), 3);
        assert_eq!(&text[index.line_range(text, 0)], "a: x");
    }

    #[test]
    fn an_empty_text_has_one_empty_line() {
        let index = LineIndex::new("");
        assert_eq!(index.line_count(), 1);
        assert_eq!(index.position("", 5, Utf16), at(0, 0));
        assert_eq!(index.offset("", 0, 3, Utf16), 0);
    }
}
