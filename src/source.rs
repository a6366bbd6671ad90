//! Source text with a line index, for turning byte offsets into line and
//! column and back ([`line_index`]).
//!
//! A file whose own checks are done keeps only an excerpt: the lines its
//! findings show (see [`SourceFile::excerpt`]). Offsets and lines keep their
//! meaning in the whole file; only the text of the other lines is gone.

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

/// Lines around a finding shown beyond its own: the snippets `full` draws
/// show one line of context each side; one more is kept to spare.
pub const CONTEXT_LINES: usize = 2;

/// The text of one file as the tool read it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as shown to users (relative to the working directory when possible).
    pub path: PathBuf,
    /// The text. Invalid UTF-8 is replaced by U+FFFD (such a file also gets a
    /// finding). For an excerpt, only the kept lines, one after another.
    pub text: String,
    lines: LineIndex,
    excerpt: Option<Box<Excerpt>>,
}

/// What an excerpt knows of the whole file.
#[derive(Debug, Clone)]
struct Excerpt {
    /// Each kept line's 0-based number and where it starts in the whole file.
    lines: Vec<(usize, usize)>,
    /// Where each kept line starts in the excerpt's text.
    starts: Vec<usize>,
    /// The whole file's length in bytes.
    len: usize,
    /// The whole file's number of lines.
    line_count: usize,
}

/// How many columns `text` takes in `encoding`.
fn width(text: &str, encoding: PositionEncoding) -> usize {
    match encoding {
        PositionEncoding::Utf8 => text.len(),
        PositionEncoding::Utf16 => text.chars().map(char::len_utf16).sum(),
        PositionEncoding::Utf32 => text.chars().count(),
    }
}

impl SourceFile {
    /// Indexes `text` read from `path`. Line breaks are YAML's: `\n`, `\r\n`
    /// and a lone `\r`.
    pub fn new(path: impl Into<PathBuf>, text: String) -> Self {
        SourceFile {
            path: path.into(),
            lines: LineIndex::new(&text),
            text,
            excerpt: None,
        }
    }

    /// The path, with `/` separators, as shown in output.
    pub fn display_path(&self) -> String {
        self.path.to_string_lossy().replace('\\', "/")
    }

    /// The line index of the text (for an excerpt, of the kept lines' text).
    pub fn lines(&self) -> &LineIndex {
        &self.lines
    }

    /// True when only some lines of the file are kept (see [`SourceFile::excerpt`]).
    pub fn is_excerpt(&self) -> bool {
        self.excerpt.is_some()
    }

    /// The whole file's length in bytes.
    pub fn len(&self) -> usize {
        self.excerpt.as_ref().map_or(self.text.len(), |e| e.len)
    }

    /// True for an empty file.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// 0-based index of the line holding byte `offset`.
    pub fn line_index(&self, offset: usize) -> usize {
        match &self.excerpt {
            None => self.lines.line(offset),
            Some(_) => self.locate(offset).0,
        }
    }

    /// Byte offset where 0-based line `line` starts (in an excerpt, where the
    /// next kept line starts when `line` is not kept).
    pub fn line_start(&self, line: usize) -> usize {
        match &self.excerpt {
            None => self.lines.line_start(line),
            Some(excerpt) => {
                let index = excerpt.lines.partition_point(|l| l.0 < line);
                excerpt.lines.get(index).map_or(excerpt.len, |l| l.1)
            }
        }
    }

    /// Number of lines (a final line without newline counts).
    pub fn line_count(&self) -> usize {
        self.excerpt
            .as_ref()
            .map_or(self.lines.line_count(), |e| e.line_count)
    }

    /// The text of 0-based line `line`, without its line break (nor a byte
    /// order mark); empty for a line an excerpt did not keep.
    pub fn line_text(&self, line: usize) -> &str {
        if self.excerpt.is_none() {
            return &self.text[self.lines.line_range(&self.text, line)];
        }
        let Some((start, local, end)) = self.kept_line(line) else {
            return "";
        };
        let line_text = self.text[local..end].trim_end_matches(['\n', '\r']);
        if start == 0 {
            line_text.trim_start_matches('\u{feff}')
        } else {
            line_text
        }
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
        if self.excerpt.is_none() {
            return self.lines.position(&self.text, offset, encoding);
        }
        let offset = self.clamp(offset);
        let (line, start, local, end) = self.locate(offset);
        let at = (local + (offset - start)).min(end);
        let mut from = local;
        if start == 0 && self.text[local..].starts_with('\u{feff}') {
            from = local + (offset - start).min('\u{feff}'.len_utf8());
        }
        LineColumn {
            line,
            column: width(&self.text[from.min(at)..at], encoding),
        }
    }

    /// Byte offset of 0-based `line` and `column` counted in `encoding` (an
    /// LSP `Position`), clamped to the line and the text. See [`LineIndex::offset`].
    /// In an excerpt, a line not kept gives where the next kept line starts.
    pub fn offset(&self, line: usize, column: usize, encoding: PositionEncoding) -> usize {
        if self.excerpt.is_none() {
            return self.lines.offset(&self.text, line, column, encoding);
        }
        let Some((start, _, _)) = self.kept_line(line) else {
            return self.line_start(line);
        };
        let text = self.line_text(line);
        let skipped = self.line_text_start(line) - start;
        let mut remaining = column;
        for (at, c) in text.char_indices() {
            let width = width(c.encode_utf8(&mut [0; 4]), encoding);
            if remaining < width {
                return start + skipped + at;
            }
            remaining -= width;
        }
        start + skipped + text.len()
    }

    /// Where the columns of kept `line` start in the whole file (after a
    /// byte order mark on the first line).
    fn line_text_start(&self, line: usize) -> usize {
        match self.kept_line(line) {
            Some((0, local, _)) if self.text[local..].starts_with('\u{feff}') => 3,
            Some((start, _, _)) => start,
            None => self.line_start(line),
        }
    }

    /// `offset` moved back to the nearest character boundary within the text.
    pub fn clamp(&self, offset: usize) -> usize {
        if self.excerpt.is_none() {
            return line_index::clamp(&self.text, offset);
        }
        let offset = offset.min(self.len());
        let (_, start, local, end) = self.locate(offset);
        let mut at = (local + offset.saturating_sub(start)).min(end);
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        start + (at - local)
    }

    /// Where 0-based line `line` is, when kept: its start in the whole file,
    /// and its start and end (after its line break) in `text`.
    fn kept_line(&self, line: usize) -> Option<(usize, usize, usize)> {
        match &self.excerpt {
            None => {
                if line >= self.lines.line_count() {
                    return None;
                }
                let start = self.lines.line_start(line);
                let end = self.lines.line_start(line + 1).min(self.text.len());
                Some((start, start, end))
            }
            Some(excerpt) => {
                let index = excerpt.lines.binary_search_by_key(&line, |l| l.0).ok()?;
                let local = excerpt.starts[index];
                let end = excerpt
                    .starts
                    .get(index + 1)
                    .copied()
                    .unwrap_or(self.text.len());
                Some((excerpt.lines[index].1, local, end))
            }
        }
    }

    /// The line holding byte `offset` (of the whole file): its 0-based
    /// number, its start in the whole file and its start and end in `text`.
    /// In an excerpt, an offset outside the kept lines counts as on the kept
    /// line before it.
    fn locate(&self, offset: usize) -> (usize, usize, usize, usize) {
        let Some(excerpt) = &self.excerpt else {
            let line = self.lines.line(offset);
            let (start, _, end) = self.kept_line(line).unwrap_or((0, 0, 0));
            return (line, start, start, end);
        };
        let index = excerpt
            .lines
            .partition_point(|&(_, start)| start <= offset)
            .saturating_sub(1);
        let Some(&(line, start)) = excerpt.lines.get(index) else {
            return (0, 0, 0, 0);
        };
        let local = excerpt.starts[index];
        let end = excerpt
            .starts
            .get(index + 1)
            .copied()
            .unwrap_or(self.text.len());
        (line, start, local, end)
    }

    /// The 0-based lines the byte ranges `spans` (start, end) touch, widened
    /// by `context` lines each side (`None` when there is no range).
    pub fn lines_around(
        &self,
        spans: impl IntoIterator<Item = (usize, usize)>,
        context: usize,
    ) -> Option<(usize, usize)> {
        let mut lines: Option<(usize, usize)> = None;
        for (start, end) in spans {
            let first = self.line_index(self.clamp(start));
            let last = self.line_index(self.clamp(end.max(start)));
            lines = Some(match lines {
                None => (first, last),
                Some((a, b)) => (a.min(first), b.max(last)),
            });
        }
        let (first, last) = lines?;
        let last_line = self.line_count().saturating_sub(1);
        Some((
            first.saturating_sub(context),
            (last + context).min(last_line),
        ))
    }

    /// A copy holding only the lines in `ranges` (0-based, inclusive), for a
    /// file whose findings are still to be shown once the rest of its text
    /// is no longer needed. Positions of offsets on kept lines stay exact.
    pub fn excerpt(&self, ranges: impl IntoIterator<Item = (usize, usize)>) -> SourceFile {
        let mut ranges: Vec<(usize, usize)> = ranges.into_iter().collect();
        ranges.sort_unstable();
        let mut text = String::new();
        let mut starts = Vec::new();
        let mut lines: Vec<(usize, usize)> = Vec::new();
        for (first, last) in ranges {
            let from = lines.last().map_or(first, |&(line, _)| first.max(line + 1));
            for line in from..=last {
                let Some((start, local, end)) = self.kept_line(line) else {
                    continue;
                };
                starts.push(text.len());
                lines.push((line, start));
                text.push_str(&self.text[local..end]);
            }
        }
        SourceFile {
            path: self.path.clone(),
            lines: LineIndex::new(&text),
            text,
            excerpt: Some(Box::new(Excerpt {
                lines,
                starts,
                len: self.len(),
                line_count: self.line_count(),
            })),
        }
    }

    /// The text of lines `first..=last` (0-based) as one piece, for drawing
    /// a snippet: the first line kept in that range, where it starts in the
    /// whole file, and the text from it to the end of the last kept line.
    pub fn snippet(&self, first: usize, last: usize) -> (usize, usize, &str) {
        let mut found: Option<(usize, usize, usize)> = None;
        let mut end = 0;
        for line in first..=last {
            if let Some((start, local, line_end)) = self.kept_line(line) {
                if found.is_none() {
                    found = Some((line, start, local));
                }
                end = line_end;
            }
        }
        match found {
            Some((line, start, local)) => (line, start, &self.text[local..end]),
            None => (first, self.len(), ""),
        }
    }

    /// The text from byte `start` to byte `end` (for an excerpt, when their
    /// lines are kept).
    pub fn span_text(&self, start: usize, end: usize) -> &str {
        let start = self.clamp(start);
        let end = self.clamp(end).max(start);
        if self.excerpt.is_none() {
            return &self.text[start..end];
        }
        let local = |offset: usize| {
            let (_, line_start, local, line_end) = self.locate(offset);
            (local + (offset - line_start)).min(line_end)
        };
        let (from, to) = (local(start), local(end));
        self.text.get(from..to.max(from)).unwrap_or("")
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
    fn an_excerpt_places_offsets_on_kept_lines_as_the_whole_file_does() {
        let text = "\u{feff}a: 1\nb: é2\r\nc: 3\rd: 4\ne: 𝄞5\nf: 6\n";
        let whole = SourceFile::new("g.yaml", text.into());
        let excerpt = whole.excerpt([(3, 4), (0, 1)]);
        assert!(excerpt.is_excerpt());
        assert_eq!(excerpt.line_count(), whole.line_count());
        assert_eq!(excerpt.len(), whole.len());
        for (offset, _) in text.char_indices() {
            let line = whole.line_index(offset);
            if [0, 1, 3, 4].contains(&line) {
                assert_eq!(excerpt.position(offset), whole.position(offset), "{offset}");
                for encoding in [
                    PositionEncoding::Utf8,
                    PositionEncoding::Utf16,
                    PositionEncoding::Utf32,
                ] {
                    let at = whole.line_column(offset, encoding);
                    assert_eq!(excerpt.line_column(offset, encoding), at, "{offset}");
                    assert_eq!(
                        excerpt.offset(at.line, at.column, encoding),
                        whole.offset(at.line, at.column, encoding),
                        "{offset}"
                    );
                }
                assert_eq!(excerpt.line_index(offset), line);
                assert_eq!(excerpt.clamp(offset + 1), whole.clamp(offset + 1));
            }
        }
        for line in [0, 1, 3, 4] {
            assert_eq!(excerpt.line_text(line), whole.line_text(line));
            assert_eq!(excerpt.line_start(line), whole.line_start(line));
        }
        assert_eq!(excerpt.line_text(2), "");
        let (start, end) = (whole.line_start(3), whole.line_start(4) + 7);
        assert_eq!(excerpt.span_text(start, end), "d: 4\ne: 𝄞");
        assert_eq!(whole.span_text(start, end), "d: 4\ne: 𝄞");
        let (first, start, snippet) = excerpt.snippet(3, 4);
        assert_eq!((first, start), (3, whole.line_start(3)));
        assert_eq!(snippet, "d: 4\ne: 𝄞5\n");
        assert_eq!(whole.snippet(3, 4), excerpt.snippet(3, 4));
        assert_eq!(whole.lines_around([(14, 15)], 1), Some((0, 2)));
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
