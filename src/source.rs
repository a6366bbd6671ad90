//! Source text with a line index, for turning byte offsets into line and column.

use std::path::PathBuf;

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
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// Indexes `text` read from `path`. Line breaks are YAML's: `\n`, `\r\n`
    /// and a lone `\r`.
    pub fn new(path: impl Into<PathBuf>, text: String) -> Self {
        let bytes = text.as_bytes();
        let line_starts = std::iter::once(0)
            .chain(bytes.iter().enumerate().filter_map(|(i, &b)| match b {
                b'\n' => Some(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => Some(i + 1),
                _ => None,
            }))
            .collect();
        SourceFile {
            path: path.into(),
            text,
            line_starts,
        }
    }

    /// The path, with `/` separators, as shown in output.
    pub fn display_path(&self) -> String {
        self.path.to_string_lossy().replace('\\', "/")
    }

    /// 0-based index of the line holding byte `offset`.
    pub fn line_index(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Byte offset where 0-based line `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len())
    }

    /// Number of lines (a final line without newline counts).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The text of 0-based line `line`, without its line break (nor a byte order mark).
    pub fn line_text(&self, line: usize) -> &str {
        let start = self.line_start(line);
        let end = self.line_start(line + 1).min(self.text.len());
        let line_text = self.text[start..end].trim_end_matches(['\n', '\r']);
        if start == 0 {
            line_text.trim_start_matches('\u{feff}')
        } else {
            line_text
        }
    }

    /// Line and column (both 1-based, column in characters) of byte `offset`.
    /// A byte order mark at the start of the file takes no column.
    pub fn position(&self, offset: usize) -> Position {
        let offset = self.clamp(offset);
        let line = self.line_index(offset);
        let mut start = self.line_starts[line];
        if line == 0 && self.text.starts_with('\u{feff}') {
            start = offset.min(3);
        }
        let column = self.text[start..offset].chars().count() + 1;
        Position {
            line: line + 1,
            column,
        }
    }

    /// `offset` moved back to the nearest character boundary within the text.
    pub fn clamp(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
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
