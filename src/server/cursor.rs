//! Where the cursor is in a guide's structure, read from indentation alone,
//! so hover, completion and go-to-definition work on a half-typed document
//! that does not parse. Block style only (what guides are written in); a
//! flow collection (`{a: 1}`) is one value to this reader.

/// One step of a path into the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A mapping key.
    Key(String),
    /// A list index.
    Index(usize),
}

/// What the cursor is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A key (or the start of one being typed: `text` is what precedes the cursor).
    Key {
        /// The key as written so far.
        text: String,
        /// Its byte range in the document.
        start: usize,
        /// End of its byte range.
        end: usize,
        /// Keys already in the same mapping.
        siblings: Vec<String>,
    },
    /// A scalar value (after `key:`, or a list item), possibly empty.
    Value {
        /// The value as written on the line (quotes kept, comment dropped).
        text: String,
        /// Its byte range on the line.
        start: usize,
        /// End of its byte range.
        end: usize,
    },
    /// A comment.
    Comment {
        /// The comment's text from `#`.
        text: String,
        /// Byte offset of the `#`.
        start: usize,
    },
    /// Nothing in particular (a blank line in a mapping).
    Blank,
}

/// The cursor's place and the path of the node it is in: for a key, the
/// mapping holding it; for a value, the value itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// The path (for a key: of the mapping holding it; for a value: of the value).
    pub path: Vec<Step>,
    /// What is under the cursor.
    pub place: Place,
}

impl Cursor {
    /// The path as a JSON Pointer.
    pub fn pointer(&self) -> String {
        pointer(&self.path)
    }
}

/// The JSON Pointer of `path`.
pub fn pointer(path: &[Step]) -> String {
    let steps: Vec<crate::rules::Step<'_>> = path
        .iter()
        .map(|step| match step {
            Step::Key(key) => crate::rules::Step::Key(key),
            Step::Index(index) => crate::rules::Step::Index(*index),
        })
        .collect();
    crate::rules::pointer_of(&steps)
}

#[derive(Debug, Clone)]
enum Frame {
    Map {
        col: usize,
        key: Option<String>,
        keys: Vec<String>,
    },
    Seq {
        col: usize,
        index: usize,
    },
}

impl Frame {
    fn col(&self) -> usize {
        match self {
            Frame::Map { col, .. } | Frame::Seq { col, .. } => *col,
        }
    }
}

fn path_of(stack: &[Frame]) -> Vec<Step> {
    stack
        .iter()
        .filter_map(|frame| match frame {
            Frame::Map { key, .. } => key.clone().map(Step::Key),
            Frame::Seq { index, .. } => Some(Step::Index(*index)),
        })
        .collect()
}

/// The key of `content` (`key: value`, `key:`), its length in bytes, and
/// where its value starts (bytes from the start of `content`).
fn split_key(content: &str) -> Option<(String, usize, usize)> {
    let bytes = content.as_bytes();
    let (key, key_len) = match bytes.first()? {
        b'"' | b'\'' => {
            let quote = bytes[0];
            let close = content[1..].find(quote as char)? + 1;
            (content[1..close].to_owned(), close + 1)
        }
        b'#' | b'{' | b'[' | b'|' | b'>' => return None,
        _ => {
            let mut at = None;
            for (i, &b) in bytes.iter().enumerate() {
                if b == b':' && bytes.get(i + 1).is_none_or(|n| *n == b' ' || *n == b'\t') {
                    at = Some(i);
                    break;
                }
                if b == b' ' && bytes.get(i + 1) == Some(&b'#') {
                    return None;
                }
            }
            let at = at?;
            (content[..at].trim_end().to_owned(), at)
        }
    };
    if content.as_bytes().get(key_len) != Some(&b':') {
        return None;
    }
    let after = key_len + 1;
    let value_start = after + (content[after..].len() - content[after..].trim_start().len());
    Some((key, key_len, value_start))
}

/// `text` without a trailing comment (a `#` after white space, outside quotes).
fn strip_comment(text: &str) -> &str {
    let bytes = text.as_bytes();
    let (mut single, mut double) = (false, false);
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\'' if !double => single = !single,
            b'"' if !single => double = !double,
            b'#' if !single && !double && (i == 0 || bytes[i - 1] == b' ') => {
                return text[..i].trim_end();
            }
            _ => {}
        }
    }
    text.trim_end()
}

fn is_block_scalar_header(value: &str) -> bool {
    let value = strip_comment(value);
    value.starts_with('|') || value.starts_with('>')
}

struct Line<'t> {
    start: usize,
    text: &'t str,
}

fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\n' || bytes[i] == b'\r' {
            out.push(Line {
                start,
                text: &text[start..i],
            });
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
            start = i + 1;
        }
        i += 1;
    }
    out.push(Line {
        start,
        text: &text[start..],
    });
    out
}

fn indent(text: &str) -> usize {
    text.len() - text.trim_start_matches(' ').len()
}

fn starts_item(rest: &str) -> bool {
    rest == "-" || rest.starts_with("- ")
}

/// Leaves the blocks that a line whose content (`rest`) starts at column
/// `col` is not inside, then enters the list items its dashes open (those
/// before column `limit`). Returns where the content after the dashes starts.
fn enter<'t>(
    stack: &mut Vec<Frame>,
    mut col: usize,
    mut rest: &'t str,
    limit: usize,
) -> (usize, &'t str) {
    let dash = starts_item(rest);
    while let Some(top) = stack.last() {
        // A sequence written at its key's indentation ends at the next key there.
        let close =
            top.col() > col || (top.col() == col && matches!(top, Frame::Seq { .. }) && !dash);
        if !close {
            break;
        }
        stack.pop();
    }
    while starts_item(rest) && limit > col {
        match stack.last_mut() {
            Some(Frame::Seq { col: c, index }) if *c == col => *index += 1,
            _ => stack.push(Frame::Seq { col, index: 0 }),
        }
        let skip = 1 + (rest[1..].len() - rest[1..].trim_start_matches(' ').len());
        col += skip;
        rest = &rest[skip..];
    }
    (col, rest)
}

/// Applies one content line to the stack of open blocks. Returns the column
/// and text of what follows the dashes, and whether it opened a block scalar
/// (with the column its content must exceed).
fn apply_line(stack: &mut Vec<Frame>, text: &str) -> (usize, Option<usize>) {
    let (col, rest) = enter(stack, indent(text), &text[indent(text)..], usize::MAX);
    if let Some((key, _, value_start)) = split_key(rest) {
        match stack.last_mut() {
            Some(Frame::Map {
                col: c,
                key: k,
                keys,
            }) if *c == col => {
                *k = Some(key.clone());
                keys.push(key);
            }
            _ => stack.push(Frame::Map {
                col,
                key: Some(key.clone()),
                keys: vec![key],
            }),
        }
        let block = is_block_scalar_header(&rest[value_start..]).then_some(col);
        return (col, block);
    }
    (col, None)
}

/// Reads the cursor's place at byte `offset` of `text`.
pub fn at(text: &str, offset: usize) -> Cursor {
    let all = lines(text);
    let offset = offset.min(text.len());
    let line_no = all
        .iter()
        .rposition(|l| l.start <= offset)
        .unwrap_or_default();
    let mut stack: Vec<Frame> = Vec::new();
    let mut block: Option<usize> = None;
    for line in &all[..line_no] {
        let t = line.text;
        let trimmed = t.trim_start();
        if let Some(owner) = block {
            if trimmed.is_empty() || indent(t) > owner {
                continue;
            }
            block = None;
        }
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed == "---" {
            continue;
        }
        block = apply_line(&mut stack, t).1;
    }
    let line = &all[line_no];
    let t = line.text;
    let column = (offset - line.start).min(t.len());
    let trimmed = t.trim_start();
    // Inside a block scalar: the value of the key that opened it.
    if let Some(owner) = block {
        if trimmed.is_empty() || indent(t) > owner {
            return Cursor {
                path: path_of(&stack),
                place: Place::Value {
                    text: t.trim().to_owned(),
                    start: line.start + indent(t),
                    end: line.start + t.len(),
                },
            };
        }
    }
    let comment_at = t
        .find(" #")
        .map(|i| i + 1)
        .filter(|i| strip_comment(t).len() <= *i)
        .or_else(|| trimmed.starts_with('#').then(|| indent(t)));
    if let Some(hash) = comment_at.filter(|h| column > *h) {
        return Cursor {
            path: path_of(&stack),
            place: Place::Comment {
                text: t[hash..].to_owned(),
                start: line.start + hash,
            },
        };
    }
    // Work out the blocks this line belongs to, as far as the cursor.
    let mut here = stack.clone();
    let (col, rest) = if trimmed.is_empty() {
        enter(&mut here, column, "", column)
    } else {
        enter(&mut here, indent(t), &t[indent(t)..], column)
    };
    let content_start = line.start + col;
    let siblings = |here: &[Frame]| -> Vec<String> {
        let mut keys = match here.last() {
            Some(Frame::Map { col: c, keys, .. }) if *c == col => keys.clone(),
            _ => Vec::new(),
        };
        // Keys of the same mapping below the cursor.
        for below in &all[line_no + 1..] {
            let bt = below.text;
            let bi = indent(bt);
            let content = &bt[bi..];
            if content.is_empty() || content.starts_with('#') || bi > col {
                continue;
            }
            if bi < col || content.starts_with("- ") {
                break;
            }
            if let Some((key, _, _)) = split_key(content) {
                keys.push(key);
            }
        }
        keys
    };
    match split_key(rest) {
        Some((key, key_len, value_start)) if column.saturating_sub(col) > key_len => {
            // On the value.
            match here.last_mut() {
                Some(Frame::Map { col: c, key: k, .. }) if *c == col => *k = Some(key),
                _ => here.push(Frame::Map {
                    col,
                    key: Some(key),
                    keys: Vec::new(),
                }),
            }
            let value = strip_comment(&rest[value_start.min(rest.len())..]);
            Cursor {
                path: path_of(&here),
                place: Place::Value {
                    text: value.to_owned(),
                    start: content_start + value_start.min(rest.len()),
                    end: content_start + value_start.min(rest.len()) + value.len(),
                },
            }
        }
        Some((key, key_len, _)) => {
            let siblings = siblings(&here);
            if let Some(Frame::Map { col: c, .. }) = here.last() {
                if *c == col {
                    here.pop();
                    let path = path_of(&here);
                    return Cursor {
                        path,
                        place: Place::Key {
                            text: key,
                            start: content_start,
                            end: content_start + key_len,
                            siblings,
                        },
                    };
                }
            }
            Cursor {
                path: path_of(&here),
                place: Place::Key {
                    text: key,
                    start: content_start,
                    end: content_start + key_len,
                    siblings,
                },
            }
        }
        None if !rest.is_empty() && matches!(here.last(), Some(Frame::Seq { .. })) => {
            // A list item's scalar.
            let value = strip_comment(rest);
            Cursor {
                path: path_of(&here),
                place: Place::Value {
                    text: value.to_owned(),
                    start: content_start,
                    end: content_start + value.len(),
                },
            }
        }
        None => {
            // A key being typed (or nothing yet).
            let siblings = siblings(&here);
            let typed_end = (column.max(col) - col).min(rest.len());
            if let Some(Frame::Map { col: c, .. }) = here.last() {
                if *c == col {
                    here.pop();
                }
            }
            let text = rest[..typed_end].to_owned();
            let place = if text.is_empty() && rest.is_empty() && trimmed.is_empty() {
                Place::Key {
                    text,
                    start: line.start + column,
                    end: line.start + column,
                    siblings,
                }
            } else {
                Place::Key {
                    start: content_start,
                    end: content_start + rest.len(),
                    text,
                    siblings,
                }
            };
            Cursor {
                path: path_of(&here),
                place,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GUIDE: &str = "\
slug: a
facts:
  national_median_salary: 135980 # BLS
  salary_range:
    min: 80000
summary: >-
  Some prose
  more prose
salary_by_state:
  - state: CA
    median_salary: 178000
  - state: NY
    median_salary: 170000
    vs_nat
sources:
  - bls
";

    fn cursor_at(marker: &str, delta: usize) -> Cursor {
        at(GUIDE, GUIDE.find(marker).unwrap() + delta)
    }

    fn keys(path: &[&str]) -> Vec<Step> {
        path.iter()
            .map(|s| match s.parse::<usize>() {
                Ok(i) => Step::Index(i),
                Err(_) => Step::Key((*s).to_owned()),
            })
            .collect()
    }

    #[test]
    fn values_keys_and_items() {
        let c = cursor_at("135980", 2);
        assert_eq!(c.path, keys(&["facts", "national_median_salary"]));
        assert!(matches!(c.place, Place::Value { ref text, .. } if text == "135980"));
        let c = cursor_at("min:", 1);
        assert_eq!(c.path, keys(&["facts", "salary_range"]));
        assert!(matches!(c.place, Place::Key { ref text, .. } if text == "min"));
        let c = cursor_at("170000", 0);
        assert_eq!(c.pointer(), "/salary_by_state/1/median_salary");
        let c = cursor_at("state: CA", 8);
        assert_eq!(c.pointer(), "/salary_by_state/0/state");
        let c = cursor_at("more prose", 3);
        assert_eq!(c.pointer(), "/summary");
        let c = cursor_at("- bls", 3);
        assert_eq!(c.pointer(), "/sources/0");
        let c = cursor_at("# BLS", 2);
        assert!(matches!(c.place, Place::Comment { .. }));
    }

    #[test]
    fn a_key_being_typed_knows_its_mapping_and_siblings() {
        let c = cursor_at("vs_nat", 6);
        assert_eq!(c.pointer(), "/salary_by_state/1");
        match c.place {
            Place::Key { text, siblings, .. } => {
                assert_eq!(text, "vs_nat");
                assert_eq!(siblings, vec!["state", "median_salary"]);
            }
            other => panic!("{other:?}"),
        }
        // A new top-level key at the end.
        let c = at(GUIDE, GUIDE.len());
        assert_eq!(c.pointer(), "");
        assert!(matches!(c.place, Place::Key { ref text, .. } if text.is_empty()));
    }

    #[test]
    fn a_new_list_item_is_the_next_index() {
        let text = "salary_by_state:\n  - state: CA\n    employed: 1\n  - ";
        let c = at(text, text.len());
        assert_eq!(c.pointer(), "/salary_by_state/1");
        assert!(matches!(c.place, Place::Key { ref text, .. } if text.is_empty()));
        // A key written at the sequence's own indentation ends it.
        let text = "tools:\n- a\n- b\nfaqs:\n  - q";
        let c = at(text, text.len());
        assert_eq!(c.pointer(), "/faqs/0");
    }

    #[test]
    fn quoted_keys_and_empty_values() {
        let text = "occupation:\n  \"soc_code\": \n";
        let c = at(text, text.find(": \n").unwrap() + 2);
        assert_eq!(c.pointer(), "/occupation/soc_code");
        assert!(matches!(c.place, Place::Value { ref text, .. } if text.is_empty()));
    }
}
