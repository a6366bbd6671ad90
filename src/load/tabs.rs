//! Tabs in indentation (GP103): each one is reported where it stands, with a
//! safe fix, and the file is read on as if it had been indented with spaces,
//! so one tab does not hide every other finding.
//!
//! Used only when a file fails to parse: YAML accepts tabs in places that are
//! not indentation (flow collections, block scalar content), and a file that
//! parses is left alone.

use std::ops::Range;

use crate::codes;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Span};

/// One line whose indentation holds a tab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TabLine {
    /// The line's leading white space (spaces and tabs), in bytes.
    pub indentation: Range<usize>,
    /// The first tab in it.
    pub tab: usize,
    /// The spaces that replace the indentation.
    pub replacement: String,
}

/// A text with its tab indentation replaced by spaces, and the way back.
#[derive(Debug)]
pub(crate) struct Untabbed {
    /// The text indented with spaces only.
    pub text: String,
    /// The lines changed, in order.
    pub lines: Vec<TabLine>,
}

impl Untabbed {
    /// The offset in the original text of `offset` in the untabbed text. An
    /// offset inside a replaced indentation maps into the original one.
    pub fn original(&self, offset: usize) -> usize {
        let mut delta: isize = 0;
        for line in &self.lines {
            let start = line.indentation.start.saturating_add_signed(delta);
            let new_end = start + line.replacement.len();
            if offset < start {
                break;
            }
            if offset < new_end {
                let into = offset - start;
                return line.indentation.start + into.min(line.indentation.len());
            }
            delta += line.replacement.len() as isize - line.indentation.len() as isize;
        }
        offset.saturating_add_signed(-delta)
    }

    /// [`Self::original`] for a span.
    pub fn original_span(&self, span: Span) -> Span {
        let start = self.original(span.start);
        Span::new(start, self.original(span.end).max(start))
    }

    /// One GP103 finding per changed line, at its first tab.
    pub fn diagnostics(&self, unit: usize) -> Vec<Diagnostic> {
        self.lines
            .iter()
            .map(|line| {
                let width = line.replacement.len();
                Diagnostic::error(
                    codes::TAB_INDENTATION,
                    "A tab character is used for indentation; YAML indents with spaces only.",
                    Span::new(line.tab, line.tab + 1),
                )
                .with_span_label("tab here")
                .with_help(format!(
                    "indent with spaces; this file indents by {unit} spaces per level"
                ))
                .with_fix(Fix {
                    message: format!("Indent the line with {width} spaces"),
                    applicability: Applicability::Safe,
                    edits: vec![Edit {
                        span: Span::new(line.indentation.start, line.indentation.end),
                        replacement: line.replacement.clone(),
                    }],
                })
            })
            .collect()
    }
}

/// Replaces tabs in the indentation of `text` by the file's indentation (one
/// level per tab), or `None` when no line is indented with a tab. Returns the
/// indentation unit too.
pub(crate) fn untab(text: &str) -> Option<(Untabbed, usize)> {
    if !text.contains('\t') {
        return None;
    }
    let unit = indentation_unit(text);
    let mut lines = Vec::new();
    // Indentation of the line that opened a block scalar (`key: |`), while
    // its content lasts: tabs after that indentation are content.
    let mut block_scalar: Option<usize> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let lead = body.len() - body.trim_start_matches([' ', '\t']).len();
        let content = &body[lead..];
        let spaces = body.len() - body.trim_start_matches(' ').len();
        if let Some(parent) = block_scalar {
            if content.is_empty() || spaces > parent {
                continue;
            }
            block_scalar = None;
        }
        let indentation = &body[..lead];
        let width = indentation
            .chars()
            .map(|c| if c == '\t' { unit } else { 1 })
            .sum::<usize>();
        if opens_block_scalar(content) {
            block_scalar = Some(width);
        }
        if content.is_empty() || content.starts_with('#') || !indentation.contains('\t') {
            continue;
        }
        let tab = start + indentation.find('\t').unwrap_or(0);
        lines.push(TabLine {
            indentation: start..start + lead,
            tab,
            replacement: " ".repeat(width),
        });
    }
    if lines.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len() + lines.len() * unit);
    let mut copied = 0;
    for line in &lines {
        out.push_str(&text[copied..line.indentation.start]);
        out.push_str(&line.replacement);
        copied = line.indentation.end;
    }
    out.push_str(&text[copied..]);
    Some((Untabbed { text: out, lines }, unit))
}

/// The file's indentation step: the smallest indentation, in spaces, of a
/// line indented with spaces only; 2 when there is none.
fn indentation_unit(text: &str) -> usize {
    text.lines()
        .filter_map(|line| {
            let content = line.trim_start_matches(' ');
            let spaces = line.len() - content.len();
            let indented = spaces > 0 && !content.is_empty() && !content.starts_with(['\t', '#']);
            indented.then_some(spaces)
        })
        .min()
        .unwrap_or(2)
}

/// True when a line's content ends with a block scalar indicator (`key: |`,
/// `- >-`, `text: |2 # note`).
fn opens_block_scalar(content: &str) -> bool {
    let code = content.split(" #").next().unwrap_or(content).trim_end();
    let last = code.rsplit([' ', '\t']).next().unwrap_or(code);
    let mut chars = last.chars();
    let indicator = matches!(chars.next(), Some('|' | '>'))
        && chars.all(|c| c.is_ascii_digit() || c == '+' || c == '-');
    let before = code[..code.len() - last.len()].trim_end();
    indicator && (before.is_empty() || before.ends_with(':') || before.ends_with('-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tab_becomes_one_level_of_the_files_indentation() {
        let text = "a:\n  b: 1\n\tc: 2\n";
        let (untabbed, unit) = untab(text).expect("a tab line");
        assert_eq!(unit, 2);
        assert_eq!(untabbed.text, "a:\n  b: 1\n  c: 2\n");
        assert_eq!(untabbed.lines[0].tab, 10);
        // `c` is at 12 in the untabbed text, at 11 in the original.
        assert_eq!(untabbed.original(12), 11);
        assert_eq!(untabbed.original(2), 2);
    }

    #[test]
    fn block_scalar_content_and_comments_keep_their_tabs() {
        let text = "a: |\n  x\n  \tcode\nb:\n\t# note\n  c: 1\n";
        assert!(untab(text).is_none());
    }

    #[test]
    fn offsets_after_several_lines_map_back() {
        let text = "a:\n    b: 1\n\tc: 2\n\td: 3\n";
        let (untabbed, unit) = untab(text).expect("tab lines");
        assert_eq!(unit, 4);
        assert_eq!(untabbed.text, "a:\n    b: 1\n    c: 2\n    d: 3\n");
        let d = untabbed.text.find('d').expect("d");
        assert_eq!(untabbed.original(d), text.find('d').expect("d"));
        assert_eq!(untabbed.original(untabbed.text.len()), text.len());
    }
}
