//! Source text with a line index, for turning byte offsets into line and
//! column and back ([`line_index`]).

use std::path::PathBuf;

pub mod line_index;

pub use line_index::{LineColumn, LineIndex, PositionEncoding};

use serde::Serialize;

/// A 1-based line and 1-based column; columns count characters, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
}

/// The text of one file as the tool read it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as shown to users (relative to the working directory when possible).
    pub path: PathBuf,
    /// The text. Invalid UTF-8 is replaced by U+FFFD (such a file also gets a finding).
    pub text: String,
    lines: LineIndex,
}

impl SourceFile {
    /// Indexes `text` read from `path`. Line breaks are YAML's: `\n`, `\r\n`
    /// and a lone `\r`.
    pub fn new(path: impl Into<PathBuf>, text: String) -> Self {
        SourceFile {
            path: path.into(),
            lines: LineIndex::new(&text),
            text,
        }
    }

    /// The path, with `/` separators, as shown in output.
    pub fn display_path(&self) -> String {
        self.path.to_string_lossy().replace('\\', "/")
    }

    /// The line index of the text.
    pub fn lines(&self) -> &LineIndex {
        &self.lines
    }

    /// 0-based index of the line holding byte `offset`.
    pub fn line_index(&self, offset: usize) -> usize {
        self.lines.line(offset)
    }

    /// Byte offset where 0-based line `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.lines.line_start(line)
    }

    /// Number of lines (a final line without newline counts).
    pub fn line_count(&self) -> usize {
        self.lines.line_count()
    }

    /// The text of 0-based line `line`, without its line break (nor a byte order mark).
    pub fn line_text(&self, line: usize) -> &str {
        &self.text[self.lines.line_range(&self.text, line)]
    }

    /// Line and column (both 1-based, column in characters) of byte `offset`.
    /// A byte order mark at the start of the file takes no column.
    pub fn position(&self, offset: usize) -> Position {
        let at = self.line_column(offset, PositionEncoding::Utf32);
        Position {
            line: at.line + 1,
            column: at.column + 1,
        }
    }

    /// 0-based line and 0-based column, counted in `encoding`, of byte
    /// `offset` (what an LSP `Position` holds). See [`LineIndex::position`].
    pub fn line_column(&self, offset: usize, encoding: PositionEncoding) -> LineColumn {
        self.lines.position(&self.text, offset, encoding)
    }

    /// Byte offset of 0-based `line` and `column` counted in `encoding` (an
    /// LSP `Position`), clamped to the line and the text. See [`LineIndex::offset`].
    pub fn offset(&self, line: usize, column: usize, encoding: PositionEncoding) -> usize {
        self.lines.offset(&self.text, line, column, encoding)
    }

    /// `offset` moved back to the nearest character boundary within the text.
    pub fn clamp(&self, offset: usize) -> usize {
        line_index::clamp(&self.text, offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_yaml_line_break_counts() {
        let file = SourceFile::new("g.yaml", "a: 1\rb: 2\r\nc: 3\nd: x".into());
        assert_eq!(file.line_count(), 4);
        assert_eq!(file.position(11), Position { line: 3, column: 1 });
        assert_eq!(file.line_text(0), "a: 1");
        assert_eq!(file.line_text(1), "b: 2");
        assert_eq!(
            file.position(file.text.find('x').unwrap()),
            Position { line: 4, column: 4 }
        );
    }

    #[test]
    fn a_byte_order_mark_is_not_a_column() {
        let file = SourceFile::new("g.yaml", "\u{feff}a: x\nb: y".into());
        assert_eq!(file.position(3), Position { line: 1, column: 1 });
        assert_eq!(file.position(6), Position { line: 1, column: 4 });
        assert_eq!(file.position(0), Position { line: 1, column: 1 });
        assert_eq!(file.line_text(0), "a: x");
    }
}
