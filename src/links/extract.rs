//! Finding every address a guide cites, with the span of its exact characters.
//!
//! Two kinds of place hold addresses:
//! - **URL fields** (`url`, `href`, or a key ending in `_url`): the whole value
//!   is one address, checked even when it is not http(s) so that a typo is
//!   reported.
//! - **Prose** (every other text value, Markdown included): each `http://` or
//!   `https://` address in it, whether a Markdown link target
//!   (`[BLS](https://…)`), an autolink (`<https://…>`) or bare text.
//!
//! The span is found by looking for the address's characters inside the
//! value's source text, so it covers exactly what the writer typed in plain,
//! quoted and block scalars alike. When an escape sequence hides them (a
//! double-quoted `\/`), the span falls back to the whole value and
//! [`Citation::exact`] is false (no fix is offered then).

use serde_json::Value;

use crate::diagnostic::Span;
use crate::load::SpanIndex;
use crate::load::span_index::escape_token;

/// Where in a guide an address is cited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    /// The address as written.
    pub text: String,
    /// The bytes of the address in the file (see [`Citation::exact`]).
    pub span: Span,
    /// True when `span` covers exactly `text`.
    pub exact: bool,
    /// JSON Pointer of the text value holding it (`/sources/0/url`).
    pub pointer: String,
    /// A URL field, or an address inside prose.
    pub kind: CitationKind,
}

/// What kind of place cites the address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CitationKind {
    /// A field whose whole value is the address.
    Field,
    /// An address inside a text (Markdown link, autolink or bare).
    Prose,
}

/// Every citation in `document`, in document order of its fields.
///
/// `spans` is the span index of `source` (parse with `track_spans: true`);
/// without it every citation gets an empty span at the start of the file.
pub fn extract(document: &Value, spans: &SpanIndex, source: &str) -> Vec<Citation> {
    let mut found = Vec::new();
    let mut pointer = String::new();
    walk(document, None, &mut pointer, spans, source, &mut found);
    found
}

/// True when a field named `key` holds one address.
pub fn is_url_field(key: &str) -> bool {
    key == "url" || key == "href" || key.ends_with("_url")
}

fn walk(
    value: &Value,
    key: Option<&str>,
    pointer: &mut String,
    spans: &SpanIndex,
    source: &str,
    found: &mut Vec<Citation>,
) {
    match value {
        Value::Object(map) => {
            for (child_key, child) in map {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&escape_token(child_key));
                walk(child, Some(child_key), pointer, spans, source, found);
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&index.to_string());
                // A list of addresses under a URL-ish key (`urls:`) is prose-scanned.
                walk(item, None, pointer, spans, source, found);
                pointer.truncate(len);
            }
        }
        Value::String(text) => {
            let raw = spans
                .get(pointer)
                .map(|node| node.value)
                .filter(|span| span.end <= source.len() && source.is_char_boundary(span.start))
                .map(|span| (span, &source[span.start..span.end]));
            let mut locator = Locator::new(raw);
            if key.is_some_and(is_url_field) {
                let address = text.trim();
                if !address.is_empty() {
                    let (span, exact) = locator.locate(address);
                    found.push(Citation {
                        text: address.to_owned(),
                        span,
                        exact,
                        pointer: pointer.clone(),
                        kind: CitationKind::Field,
                    });
                }
                return;
            }
            for address in scan_prose(text) {
                let (span, exact) = locator.locate(address);
                found.push(Citation {
                    text: address.to_owned(),
                    span,
                    exact,
                    pointer: pointer.clone(),
                    kind: CitationKind::Prose,
                });
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// Finds successive addresses inside one value's source text.
struct Locator<'s> {
    raw: Option<(Span, &'s str)>,
    /// Where in `raw` the next search starts (addresses come in order).
    cursor: usize,
}

impl<'s> Locator<'s> {
    fn new(raw: Option<(Span, &'s str)>) -> Self {
        Locator { raw, cursor: 0 }
    }

    fn locate(&mut self, address: &str) -> (Span, bool) {
        let Some((span, raw)) = self.raw else {
            return (Span::at(0), false);
        };
        match raw[self.cursor..].find(address) {
            Some(at) => {
                let start = self.cursor + at;
                self.cursor = start + address.len();
                (
                    Span::new(span.start + start, span.start + start + address.len()),
                    true,
                )
            }
            None => (span, false),
        }
    }
}

/// Every `http://` or `https://` address in a text, in order.
pub fn scan_prose(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = next_scheme(&lower, from) {
        let rest = &text[at..];
        let end = rest
            .find(|c: char| {
                c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | '`' | '\\')
            })
            .unwrap_or(rest.len());
        let address = trim_trailing(&rest[..end]);
        let scheme_len = if lower[at..].starts_with("https://") {
            8
        } else {
            7
        };
        if address.len() > scheme_len {
            found.push(address);
        }
        from = at + end.max(scheme_len);
    }
    found
}

fn next_scheme(lower: &str, from: usize) -> Option<usize> {
    let http = lower[from..].find("http://");
    let https = lower[from..].find("https://");
    let at = match (http, https) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b)?,
    };
    Some(from + at)
}

/// Drops sentence punctuation and unbalanced closing brackets after an address.
fn trim_trailing(mut address: &str) -> &str {
    loop {
        let Some(last) = address.chars().last() else {
            return address;
        };
        let drop = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*' => true,
            ')' => address.matches('(').count() < address.matches(')').count(),
            ']' => address.matches('[').count() < address.matches(']').count(),
            '}' => address.matches('{').count() < address.matches('}').count(),
            _ => false,
        };
        if !drop {
            return address;
        }
        address = &address[..address.len() - last.len_utf8()];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{ParseOptions, parse};

    fn citations(yaml: &str) -> Vec<(String, String, bool)> {
        let parsed = parse(
            yaml,
            &ParseOptions {
                track_spans: true,
                ..ParseOptions::default()
            },
        );
        extract(&parsed.documents[0], &parsed.spans, yaml)
            .into_iter()
            .map(|c| {
                assert_eq!(
                    &yaml[c.span.start..c.span.end],
                    c.text,
                    "span of {}",
                    c.text
                );
                (c.pointer, c.text, c.exact)
            })
            .collect()
    }

    #[test]
    fn prose_forms_are_found_without_their_punctuation() {
        let text = "See [BLS](https://www.bls.gov/ooh/a.htm) and <https://b.example/x>, \
                    or https://c.example/wiki/Foo_(bar). Also (https://d.example/y) \
                    and [t](https://e.example/z \"title\"); mailto:a@b.example is skipped.";
        assert_eq!(
            scan_prose(text),
            [
                "https://www.bls.gov/ooh/a.htm",
                "https://b.example/x",
                "https://c.example/wiki/Foo_(bar)",
                "https://d.example/y",
                "https://e.example/z",
            ]
        );
        assert!(scan_prose("http:// and https://").is_empty());
        assert_eq!(scan_prose("HTTPS://A.EXAMPLE/x."), ["HTTPS://A.EXAMPLE/x"]);
    }

    #[test]
    fn spans_cover_the_exact_characters_in_every_scalar_style() {
        let yaml = "\
sources:
  - url: https://a.example/one
  - url: \"https://a.example/two\"
  - url: 'https://a.example/three'
body: |
  First https://a.example/one again,
  then [x](https://a.example/four).
folded: >-
  Folded text citing
  https://a.example/five
";
        let found = citations(yaml);
        let texts: Vec<_> = found
            .iter()
            .map(|(p, t, e)| (p.as_str(), t.as_str(), *e))
            .collect();
        assert_eq!(
            texts,
            [
                ("/sources/0/url", "https://a.example/one", true),
                ("/sources/1/url", "https://a.example/two", true),
                ("/sources/2/url", "https://a.example/three", true),
                ("/body", "https://a.example/one", true),
                ("/body", "https://a.example/four", true),
                ("/folded", "https://a.example/five", true),
            ]
        );
    }

    #[test]
    fn repeated_addresses_in_one_value_get_their_own_spans() {
        let yaml = "body: https://a.example/x then https://a.example/x\n";
        let parsed = parse(
            yaml,
            &ParseOptions {
                track_spans: true,
                ..ParseOptions::default()
            },
        );
        let found = extract(&parsed.documents[0], &parsed.spans, yaml);
        assert_eq!(found.len(), 2);
        assert_ne!(found[0].span, found[1].span);
    }

    #[test]
    fn url_fields_keep_any_scheme_for_checking() {
        let yaml =
            "links:\n  - label: x\n    url: ftp://a.example/file\n  - source_url: www.bls.gov\n";
        let found = citations(yaml);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].1, "ftp://a.example/file");
        assert_eq!(found[1].0, "/links/1/source_url");
    }

    #[test]
    fn escaped_addresses_fall_back_to_the_value_span() {
        let yaml = "url: \"https:\\/\\/a.example/x\"\n";
        let parsed = parse(
            yaml,
            &ParseOptions {
                track_spans: true,
                ..ParseOptions::default()
            },
        );
        let found = extract(&parsed.documents[0], &parsed.spans, yaml);
        assert_eq!(found[0].text, "https://a.example/x");
        assert!(!found[0].exact);
        assert_eq!(
            &yaml[found[0].span.start..found[0].span.end],
            "\"https:\\/\\/a.example/x\""
        );
    }
}
