//! A fix as a GitHub suggested change: the whole lines its edits touch and
//! what they become. GitHub replaces whole lines (`start_line..=line`) with
//! the text of a ```` ```suggestion ```` block, so a fix's byte edits are
//! applied to the text of the lines they touch, and the result is the
//! block's text.

use crate::diagnostic::Fix;
use crate::source::SourceFile;

/// The lines a fix replaces and their new text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// The first line replaced (1-based).
    pub start_line: usize,
    /// The last line replaced (1-based, inclusive).
    pub end_line: usize,
    /// What the lines become, each ended by `\n`; empty when the lines are
    /// removed (`"\n"` is one empty line).
    pub text: String,
}

/// The suggestion of `fix` in `source`; `None` when the fix has no edit, or
/// its lines are not all at hand (an excerpt that dropped them) or its edits
/// overlap.
pub fn suggestion(source: &SourceFile, fix: &Fix) -> Option<Suggestion> {
    let mut edits: Vec<_> = fix.edits.iter().collect();
    edits.sort_by_key(|edit| (edit.span.start, edit.span.end));
    let start = source.clamp(edits.first()?.span.start);
    let end = source.clamp(edits.iter().map(|edit| edit.span.end).max()?);
    let first = source.line_index(start);
    let mut last = source.line_index(end);
    // An edit that ends where a line starts took the line break before it:
    // that line itself is untouched.
    if end > start && last > first && end == source.line_start(last) {
        last -= 1;
    }
    let mut text = region_text(source, first, last)?;
    let region_start = source.line_start(first);
    let mut at = 0;
    for edit in edits {
        let from = source.clamp(edit.span.start) - region_start;
        let to = source.clamp(edit.span.end) - region_start;
        // Overlapping edits, or one past the region: no suggestion.
        if from < at || to < from || to > text.len() {
            return None;
        }
        at = to;
    }
    // Apply from the end, so earlier offsets keep their meaning.
    let mut sorted: Vec<_> = fix.edits.iter().collect();
    sorted.sort_by_key(|edit| std::cmp::Reverse(edit.span.start));
    for edit in sorted {
        let from = source.clamp(edit.span.start) - region_start;
        let to = source.clamp(edit.span.end) - region_start;
        if !text.is_char_boundary(from) || !text.is_char_boundary(to) {
            return None;
        }
        text.replace_range(from..to, &edit.replacement);
    }
    let region_has_break = last + 1 < source.line_count();
    if region_has_break && !text.is_empty() && !text.ends_with(['\n', '\r']) {
        // The fix removed the last line break: the next line joins.
        last += 1;
        text.push_str(&region_text(source, last, last)?);
    }
    if first == 0 {
        text = text
            .strip_prefix('\u{feff}')
            .map(str::to_owned)
            .unwrap_or(text);
    }
    // GitHub's suggestion blocks are lines ended by `\n`.
    let mut text = text.replace("\r\n", "\n").replace('\r', "\n");
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    Some(Suggestion {
        start_line: first + 1,
        end_line: last + 1,
        text,
    })
}

/// Lines `first..=last` (0-based) with their line breaks, when all are at hand.
fn region_text(source: &SourceFile, first: usize, last: usize) -> Option<String> {
    let region_start = source.line_start(first);
    let region_end = if last + 1 < source.line_count() {
        source.line_start(last + 1)
    } else {
        source.len()
    };
    let snippet = source.snippet(first, last);
    // An excerpt that dropped a line gives a shorter text.
    (snippet.text.len() == region_end - region_start).then_some(snippet.text)
}

/// A Markdown code fence for `text`: backticks, one more than the longest
/// run of backticks in it (at least three), so the text cannot close it.
pub fn fence(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    "`".repeat((longest + 1).max(3))
}

/// The ```` ```suggestion ```` block GitHub shows as a one-click change.
pub fn block(suggestion: &Suggestion) -> String {
    let fence = fence(&suggestion.text);
    format!("{fence}suggestion\n{}{fence}", suggestion.text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Applicability, Edit, Span};

    fn fix(edits: &[(usize, usize, &str)]) -> Fix {
        Fix {
            message: "fix".into(),
            applicability: Applicability::Safe,
            edits: edits
                .iter()
                .map(|&(start, end, text)| Edit {
                    span: Span::new(start, end),
                    replacement: text.into(),
                })
                .collect(),
        }
    }

    #[test]
    fn an_edit_in_a_line_becomes_the_whole_line() {
        let source = SourceFile::new("a.yaml", "a: 1\nmedian: 35\nc: 3\n".into());
        let at = source.text.find("35").unwrap();
        let s = suggestion(&source, &fix(&[(at, at + 2, "34")])).unwrap();
        assert_eq!(
            s,
            Suggestion {
                start_line: 2,
                end_line: 2,
                text: "median: 34\n".into()
            }
        );
        assert_eq!(block(&s), "```suggestion\nmedian: 34\n```");
    }

    #[test]
    fn edits_on_several_lines_become_one_range() {
        let text = "a: 1\nb: [x,\n  y]\nc: 3";
        let source = SourceFile::new("a.yaml", text.into());
        let x = text.find('x').unwrap();
        let y = text.find('y').unwrap();
        let s = suggestion(&source, &fix(&[(y, y + 1, "Y"), (x, x + 1, "X")])).unwrap();
        assert_eq!((s.start_line, s.end_line), (2, 3));
        assert_eq!(s.text, "b: [X,\n  Y]\n");
        // The last line of a file without a final line break.
        let c = text.find("3").unwrap();
        let s = suggestion(&source, &fix(&[(c, c + 1, "4")])).unwrap();
        assert_eq!(
            (s.start_line, s.end_line, s.text.as_str()),
            (4, 4, "c: 4\n")
        );
    }

    #[test]
    fn removing_lines_and_joining_lines() {
        let text = "a: 1\nb: 2\nc: 3\n";
        let source = SourceFile::new("a.yaml", text.into());
        let b = text.find("b:").unwrap();
        let removed = suggestion(&source, &fix(&[(b, b + 5, "")])).unwrap();
        assert_eq!((removed.start_line, removed.end_line), (2, 2));
        assert_eq!(removed.text, "", "the line goes");
        assert_eq!(block(&removed), "```suggestion\n```");
        let joined = suggestion(&source, &fix(&[(b + 4, b + 5, " ")])).unwrap();
        assert_eq!((joined.start_line, joined.end_line), (2, 3));
        assert_eq!(joined.text, "b: 2 c: 3\n");
        let emptied = suggestion(&source, &fix(&[(b, b + 4, "")])).unwrap();
        assert_eq!(emptied.text, "\n", "an empty line stays");
        assert_eq!(block(&emptied), "```suggestion\n\n```");
    }

    #[test]
    fn crlf_and_backticks_and_overlaps() {
        let text = "a: 1\r\nb: `x`\r\n";
        let source = SourceFile::new("a.yaml", text.into());
        let x = text.find('x').unwrap();
        let s = suggestion(&source, &fix(&[(x, x + 1, "```")])).unwrap();
        assert_eq!(s.text, "b: `````\n");
        assert_eq!(fence(&s.text), "``````");
        assert_eq!(suggestion(&source, &fix(&[(0, 3, "a"), (1, 2, "b")])), None);
        assert_eq!(suggestion(&source, &fix(&[])), None);
    }
}
