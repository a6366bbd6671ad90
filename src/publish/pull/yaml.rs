//! A guide value written as YAML the way guides are written by hand: block
//! mappings and lists, plain scalars where they read back as the same
//! string, literal blocks (`|`) for multi-line prose, double quotes
//! otherwise. What it writes reads back (with guidepress's loader) as the
//! value it was given.

use serde_json::{Map, Value};

/// `value` (an object) as a YAML document.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => write_map(map, 0, false, &mut out),
        other => {
            scalar(other, 0, &mut out);
        }
    }
    out
}

fn pad(indent: usize, out: &mut String) {
    out.extend(std::iter::repeat_n(' ', indent));
}

fn key(name: &str, out: &mut String) {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if plain && !is_keyword(name) {
        out.push_str(name);
    } else {
        out.push_str(&Value::String(name.to_owned()).to_string());
    }
}

/// Entries of `map` at `indent`; the first one on the current line when `inline`.
fn write_map(map: &Map<String, Value>, indent: usize, inline: bool, out: &mut String) {
    for (index, (name, value)) in map.iter().enumerate() {
        if !(inline && index == 0) {
            pad(indent, out);
        }
        key(name, out);
        out.push(':');
        after_key(value, indent, out);
    }
}

fn after_key(value: &Value, indent: usize, out: &mut String) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            write_map(map, indent + 2, false, out);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            write_list(items, indent + 2, out);
        }
        other => {
            out.push(' ');
            scalar(other, indent + 2, out);
        }
    }
}

fn write_list(items: &[Value], indent: usize, out: &mut String) {
    for item in items {
        pad(indent, out);
        out.push('-');
        match item {
            Value::Object(map) if !map.is_empty() => {
                out.push(' ');
                write_map(map, indent + 2, true, out);
            }
            Value::Array(inner) if !inner.is_empty() => {
                out.push('\n');
                write_list(inner, indent + 2, out);
            }
            other => {
                out.push(' ');
                scalar(other, indent + 2, out);
            }
        }
    }
}

/// A scalar (or an empty collection), ending the line.
fn scalar(value: &Value, indent: usize, out: &mut String) {
    match value {
        Value::String(text) => string(text, indent, out),
        Value::Array(_) => out.push_str("[]\n"),
        Value::Object(_) => out.push_str("{}\n"),
        other => {
            out.push_str(&other.to_string());
            out.push('\n');
        }
    }
}

fn is_keyword(text: &str) -> bool {
    matches!(
        text.to_ascii_lowercase().as_str(),
        "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n" | "~" | ".nan" | ".inf"
    )
}

fn plain_ok(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    first.is_alphabetic()
        && !text.ends_with(char::is_whitespace)
        && !is_keyword(text)
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with(':')
        && !text.chars().any(|c| {
            c.is_control() || c == '\u{feff}' || c == '\u{85}' || c == '\u{2028}' || c == '\u{2029}'
        })
}

fn block_ok(text: &str) -> bool {
    let body = text.strip_suffix('\n').unwrap_or(text);
    text.contains('\n')
        && !body.ends_with('\n')
        && !body.is_empty()
        && !body.starts_with([' ', '\n'])
        && !text.chars().any(|c| {
            (c.is_control() && c != '\n')
                || c == '\u{feff}'
                || c == '\u{85}'
                || c == '\u{2028}'
                || c == '\u{2029}'
        })
        && !body
            .lines()
            .any(|line| line.ends_with([' ', '\t']) || line.trim().is_empty() && !line.is_empty())
}

fn string(text: &str, indent: usize, out: &mut String) {
    if plain_ok(text) {
        out.push_str(text);
        out.push('\n');
    } else if block_ok(text) {
        let body = text.strip_suffix('\n');
        out.push_str(if body.is_some() { "|\n" } else { "|-\n" });
        for line in body.unwrap_or(text).split('\n') {
            if !line.is_empty() {
                pad(indent, out);
                out.push_str(line);
            }
            out.push('\n');
        }
    } else {
        out.push_str(&Value::String(text.to_owned()).to_string());
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn load(text: &str) -> Value {
        let options = crate::load::ParseOptions {
            limits: Default::default(),
            track_spans: true,
            single_document: true,
        };
        let mut parsed = crate::load::parse(text, &options);
        assert!(
            parsed.diagnostics.is_empty(),
            "{text}\n{:?}",
            parsed.diagnostics
        );
        parsed.documents.remove(0)
    }

    #[test]
    fn the_seed_guide_reads_back_equal() {
        let seed = crate::publish::mapping::tests::seed_guide();
        let text = to_yaml(&seed);
        assert_eq!(load(&text), seed);
        assert!(text.contains("soc_code: \"15-1252\"\n"), "{text}");
        assert!(
            text.contains("  - id: what-is-a-backend-engineer\n"),
            "{text}"
        );
        assert!(
            text.contains("    body: |\n      A Backend Engineer"),
            "{text}"
        );
    }

    #[test]
    fn odd_strings_are_quoted() {
        let value = json!({"a": "yes", "b": "2026-01-01", "c": "x: y", "d": " lead", "e": "", "f": "a\r\nb", "g": "#x", "h": "- x", "i": [[], {}], "j": -1.5});
        assert_eq!(load(&to_yaml(&value)), value);
    }

    proptest! {
        #[test]
        fn any_string_reads_back(text in "\\PC{0,40}|[ -~\\n\\t]{0,60}") {
            let value = json!({"k": text, "list": [text.clone()], "nested": {"m": text.clone()}});
            prop_assert_eq!(load(&to_yaml(&value)), value);
        }
    }
}
