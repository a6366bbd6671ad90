//! Writing new text into a YAML string so that it loads back exactly.
//!
//! A fix that replaces characters inside a string scalar must respect the
//! scalar's style: a `'` ends a single-quoted scalar, a `"` or `\` a
//! double-quoted one, and in a flow collection (`{…}`, `[…]`) a `,`, `]` or
//! `}` ends even a plain one. [`replace_in_string`] first tries the smallest
//! edit, escaped as the scalar's style needs; when that does not load back to
//! the intended value (or the style cannot hold the text) it rewrites the
//! whole scalar double-quoted, where every character can be escaped. Each
//! candidate is verified by loading the edited file: the document must equal
//! the original with only that string changed, to exactly the intended value.
//! A fix that passes neither check is not offered.

use serde_json::Value;

use crate::diagnostic::{Edit, Span};
use crate::load::{LoadLimits, ParseOptions, parse};

/// One edit that replaces, in the string at `pointer`, the characters the file
/// shows verbatim at `span` with `replacement` (the new *loaded* text), or
/// `None` when no edit re-loads to exactly that value.
pub fn replace_in_string(
    text: &str,
    limits: LoadLimits,
    pointer: &str,
    span: Span,
    replacement: &str,
) -> Option<Edit> {
    let options = ParseOptions {
        limits,
        track_spans: true,
        single_document: true,
    };
    let parsed = parse(text, &options);
    if parsed.is_malformed() {
        return None;
    }
    let document = parsed.documents.first()?;
    let node = parsed.spans.get(pointer)?.value;
    let value = document.pointer(pointer)?.as_str()?;
    if span.start < node.start
        || span.end > node.end
        || span.start > span.end
        || !text.is_char_boundary(span.start)
        || !text.is_char_boundary(span.end)
    {
        return None;
    }
    // Which occurrence of the shown characters the span is, counted in the value.
    let needle = &text[span.start..span.end];
    let at = if needle.is_empty() {
        return None;
    } else {
        let before = text[node.start..span.start].matches(needle).count();
        value.match_indices(needle).nth(before)?.0
    };
    let intended = format!(
        "{}{replacement}{}",
        &value[..at],
        &value[at + needle.len()..]
    );
    let mut expected = document.clone();
    *expected.pointer_mut(pointer)? = Value::String(intended.clone());

    // A block scalar's span starts at its content; its header (`|-`) is part of it.
    let header = block_header_start(text, node.start);
    let style = match header {
        Some(_) => '|',
        None => text[node.start..].chars().next()?,
    };
    let minimal = escape_for_style(style, replacement).map(|r| Edit {
        span,
        replacement: r,
    });
    let whole = Edit {
        span: Span::new(header.unwrap_or(node.start), node.end),
        replacement: double_quoted(&intended),
    };
    minimal
        .into_iter()
        .chain(std::iter::once(whole))
        .find(|edit| loads_back(text, edit, &expected, &options))
}

/// True when `text` with `edit` applied loads to exactly `expected`.
pub fn loads_back(text: &str, edit: &Edit, expected: &Value, options: &ParseOptions) -> bool {
    let fixed = super::apply_edits(text, std::slice::from_ref(edit));
    let parsed = parse(
        &fixed,
        &ParseOptions {
            track_spans: false,
            ..*options
        },
    );
    !parsed.failed && parsed.documents.len() == 1 && parsed.documents[0] == *expected
}

/// Where the header (`|`, `>-`, `|+2`) of the block scalar whose content
/// starts at `content` begins, if the scalar is a block scalar.
fn block_header_start(text: &str, content: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut end = content;
    while end > 0 && matches!(bytes[end - 1], b' ' | b'\t' | b'\n' | b'\r') {
        end -= 1;
    }
    if end == content {
        return None;
    }
    let line_start = text[..end].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line = &text[line_start..end];
    let code = line.find(" #").map_or(line, |i| &line[..i]).trim_end();
    let token_start = code.rfind([' ', '\t']).map_or(0, |i| i + 1);
    let token = &code[token_start..];
    let mut chars = token.chars();
    let is_header = matches!(chars.next(), Some('|' | '>'))
        && chars.all(|c| matches!(c, '-' | '+' | '1'..='9'));
    is_header.then_some(line_start + token_start)
}

/// `replacement` escaped for a scalar of `style` (its first character: a
/// quote, `|` for block scalars, anything else for plain), for an edit
/// inside it; `None` when the style cannot hold it in place.
fn escape_for_style(style: char, replacement: &str) -> Option<String> {
    let needs_escape = |c: char| !is_printable(c) || c == '\u{feff}';
    match style {
        '\'' => {
            if replacement.chars().any(|c| needs_escape(c) || c == '\n') {
                return None;
            }
            Some(replacement.replace('\'', "''"))
        }
        '"' => {
            let quoted = double_quoted(replacement);
            Some(quoted[1..quoted.len() - 1].to_owned())
        }
        _ => {
            // Plain and block scalars have no escapes: the text goes in as is
            // when it has no line break or unprintable character (the check
            // after the edit catches indicators such as ` #`, `: ` or `,`).
            if replacement
                .chars()
                .any(|c| needs_escape(c) || matches!(c, '\n' | '\r' | '\t'))
            {
                return None;
            }
            Some(replacement.to_owned())
        }
    }
}

/// True for the characters YAML allows unescaped in a stream (c-printable).
fn is_printable(c: char) -> bool {
    matches!(c,
        '\t' | '\n' | '\r' | '\u{20}'..='\u{7e}' | '\u{85}' | '\u{a0}'..='\u{d7ff}'
        | '\u{e000}'..='\u{fffd}' | '\u{10000}'..='\u{10ffff}')
}

/// `text` as a YAML double-quoted scalar on one line: `"` and `\` escaped,
/// every line break and unprintable character written as an escape.
pub fn double_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if !is_printable(c)
                || matches!(c, '\u{85}' | '\u{feff}' | '\u{2028}' | '\u{2029}') =>
            {
                let code = u32::from(c);
                if code <= 0xffff {
                    out.push_str(&format!("\\u{code:04X}"));
                } else {
                    out.push_str(&format!("\\U{code:08X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(text: &str, pointer: &str, old: &str, new: &str) -> Option<String> {
        let start = text.find(old).expect("old text present");
        let edit = replace_in_string(
            text,
            LoadLimits::default(),
            pointer,
            Span::new(start, start + old.len()),
            new,
        )?;
        Some(super::super::apply_edits(text, &[edit]))
    }

    fn value_of(text: &str, pointer: &str) -> Value {
        let parsed = parse(text, &ParseOptions::default());
        assert!(!parsed.failed, "{text}");
        parsed.documents[0].pointer(pointer).cloned().unwrap()
    }

    #[test]
    fn every_style_keeps_its_structure() {
        let hostile = "https://b.example/ok,injected: x'y\"z]}) #c\\";
        let cases = [
            ("url: https://a.example/x\n", "/url"),
            ("url: 'https://a.example/x'\n", "/url"),
            ("url: \"https://a.example/x\"\n", "/url"),
            ("s: {id: a, url: https://a.example/x}\n", "/s/url"),
            ("s: [https://a.example/x, b]\n", "/s/0"),
            ("s: [\"https://a.example/x\", 'b']\n", "/s/0"),
            ("body: |\n  see https://a.example/x here\n", "/body"),
            ("body: >-\n  see\n  https://a.example/x\n", "/body"),
            ("body: see [a](https://a.example/x) now\n", "/body"),
        ];
        for (text, pointer) in cases {
            let before = value_of(text, pointer);
            let fixed = fix(text, pointer, "https://a.example/x", hostile)
                .unwrap_or_else(|| panic!("a fix for {text:?}"));
            let after = value_of(&fixed, pointer);
            assert_eq!(
                after.as_str().unwrap(),
                before
                    .as_str()
                    .unwrap()
                    .replace("https://a.example/x", hostile),
                "{text:?} became {fixed:?}"
            );
        }
    }

    #[test]
    fn a_safe_replacement_stays_minimal() {
        let text = "s: {id: a, url: https://a.example/x} # keep\n";
        let fixed = fix(text, "/s/url", "https://a.example/x", "https://b.example/y").unwrap();
        assert_eq!(fixed, "s: {id: a, url: https://b.example/y} # keep\n");
        let text = "s: {id: a, url: https://a.example/x}\n";
        let fixed = fix(
            text,
            "/s/url",
            "https://a.example/x",
            "https://b.example/ok,injected",
        );
        assert_eq!(
            fixed.unwrap(),
            "s: {id: a, url: \"https://b.example/ok,injected\"}\n"
        );
        let text = "u: 'https://a.example/x'\n";
        let fixed = fix(text, "/u", "https://a.example/x", "https://b.example/it's").unwrap();
        assert_eq!(fixed, "u: 'https://b.example/it''s'\n");
    }

    #[test]
    fn an_alias_of_the_string_refuses_the_fix() {
        let text = "a: &u https://a.example/x\nb: *u\n";
        assert_eq!(
            fix(text, "/a", "https://a.example/x", "https://b.example/"),
            None
        );
    }

    #[test]
    fn double_quoted_escapes_what_yaml_cannot_hold() {
        assert_eq!(
            double_quoted("a\"b\\c\nd\u{7f}\u{1b}"),
            "\"a\\\"b\\\\c\\nd\\u007F\\u001B\""
        );
    }
}
