//! Walks saphyr's event stream into `serde_json::Value`s, iteratively (no
//! recursion in the walk itself), with limits on depth and alias expansion,
//! and a [`SpanIndex`] of the first document's nodes, recorded as the walk
//! goes (a finding never needs a second parse). The depth limit is capped at
//! [`MAX_DEPTH_CAP`], which every later stage (schema validation, rules,
//! dropping the value) survives.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser};
use serde_json::{Map, Value};

use super::span_index::{SpanIndex, escape_token};
use super::{scalar, tabs};
use crate::codes;
use crate::diagnostic::{Diagnostic, Span};

/// Limits that keep a hostile or broken file from exhausting the machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadLimits {
    /// Largest file read, in bytes.
    pub max_file_size: u64,
    /// Deepest nesting of mappings and lists.
    pub max_depth: usize,
    /// Most nodes that aliases may add by expansion, over a whole file.
    pub max_alias_nodes: usize,
}

/// The highest `max_depth` allowed: later stages (schema validation, the
/// rules, dropping a `serde_json::Value`) recurse once per level, and this
/// many levels fit their threads' stacks with room to spare: tested at this
/// depth in `tests/it/hostile_files.rs`; measured on a debug build, 3,000
/// levels still pass `check`, `check --schema`, `links` and `dump`, and
/// 10,000 overflow the stack.
pub const MAX_DEPTH_CAP: usize = 1000;

/// The highest `max_file_size` allowed (64 MiB): a file this large, its
/// parsed value and span index, and the language server's frames for it
/// (six times the size, see `server::transport`) fit in memory on a CI
/// runner; measured in docs/security.md.
pub const MAX_FILE_SIZE_CAP: u64 = 64 * 1024 * 1024;

/// The highest `max_alias_nodes` allowed: an alias bomb expanded to this
/// many nodes stays within a few hundred MB in every stage (measured in the
/// README's Security section).
pub const MAX_ALIAS_NODES_CAP: usize = 1_000_000;

impl Default for LoadLimits {
    fn default() -> Self {
        LoadLimits {
            max_file_size: 1024 * 1024,
            max_depth: 64,
            max_alias_nodes: 10_000,
        }
    }
}

/// How to parse.
#[derive(Debug, Clone, Copy, Default)]
pub struct ParseOptions {
    /// The limits.
    pub limits: LoadLimits,
    /// Report every problem precisely. Without it, the first problem stops
    /// the walk and only `Parsed::failed` says so: the caller parses again
    /// with it to report the problems (the fast path for clean files). The
    /// span index is recorded either way.
    pub track_spans: bool,
    /// Report a second document as a problem (guides are one document each).
    pub single_document: bool,
}

/// The outcome of parsing one file.
#[derive(Debug, Default)]
pub struct Parsed {
    /// One value per document (only the first when `single_document` found more).
    pub documents: Vec<Value>,
    /// Problems found (complete only with `track_spans`).
    pub diagnostics: Vec<Diagnostic>,
    /// Spans of the first document's nodes (as far as the walk went).
    pub spans: SpanIndex,
    /// True when a problem was found (with or without spans).
    pub failed: bool,
}

impl Parsed {
    /// True when the YAML itself is broken (syntax, duplicate keys, limits),
    /// as opposed to merely holding an unusual key or several documents.
    pub fn is_malformed(&self) -> bool {
        self.diagnostics.iter().any(|d| {
            !matches!(
                d.code,
                codes::NON_STRING_KEY | codes::MULTIPLE_DOCUMENTS | codes::EMPTY_FILE
            )
        })
    }

    /// True when the documents can be checked further: the YAML is sound, or
    /// its only fault is tab indentation, read as spaces (GP103).
    pub fn is_usable(&self) -> bool {
        !self.diagnostics.iter().any(|d| {
            !matches!(
                d.code,
                codes::NON_STRING_KEY
                    | codes::MULTIPLE_DOCUMENTS
                    | codes::EMPTY_FILE
                    | codes::TAB_INDENTATION
            )
        })
    }
}

/// The string value of `key` in the top-level mapping of the first document,
/// read only as far as that key: a guide's slug costs a few lines of
/// scanning, not a parse. The value is resolved as [`parse`] resolves it;
/// `None` when it is not a string, the key is not there, or anything before
/// it (a syntax error, an alias, a key that is not a scalar, a document that
/// is not a mapping) leaves it unsure. Only [`parse`] says whether the
/// whole file is usable.
pub fn top_level_string(text: &str, key: &str) -> Option<String> {
    let mut parser = Parser::new_from_str(text);
    // Depth of containers open; at depth 1 (the top mapping), whether the
    // next scalar is a key, and whether the last key was `key`.
    let mut depth = 0usize;
    let mut expect_key = true;
    let mut wanted = false;
    while let Some(Ok((event, _))) = parser.next_event() {
        match event {
            Event::StreamStart | Event::DocumentStart(_) | Event::Nothing => {}
            Event::MappingStart(..) if depth == 0 => depth = 1,
            Event::Scalar(text, style, _, tag) if depth == 1 => {
                if expect_key {
                    wanted = text == key;
                    expect_key = false;
                } else if wanted {
                    return match scalar::resolve(&text, style, tag.as_deref()) {
                        Value::String(value) => Some(value),
                        _ => None,
                    };
                } else {
                    expect_key = true;
                }
            }
            Event::Scalar(..) => {}
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                if depth == 1 && (expect_key || wanted) {
                    return None;
                }
                depth += 1;
            }
            Event::MappingEnd | Event::SequenceEnd => {
                depth -= 1;
                if depth <= 1 {
                    expect_key = true;
                }
                if depth == 0 {
                    return None;
                }
            }
            Event::Alias(_) if depth == 1 => {
                if expect_key || wanted {
                    return None;
                }
                expect_key = true;
            }
            Event::Alias(_) => {}
            _ => return None,
        }
    }
    None
}

/// Parses YAML text into JSON values.
///
/// With `track_spans`, a file that fails because of tabs in its indentation
/// gets one GP103 per such line and is read on as if indented with spaces
/// (see [`Parsed::is_usable`]).
pub fn parse(text: &str, options: &ParseOptions) -> Parsed {
    let parsed = parse_as_is(text, options);
    if !(parsed.failed && options.track_spans) {
        return parsed;
    }
    let Some((untabbed, unit)) = tabs::untab(text) else {
        return parsed;
    };
    let mut recovered = parse_as_is(&untabbed.text, options);
    recovered.failed = true;
    recovered
        .spans
        .map_spans(|span| untabbed.original_span(span));
    for diagnostic in &mut recovered.diagnostics {
        diagnostic.span = untabbed.original_span(diagnostic.span);
        for label in &mut diagnostic.labels {
            label.span = untabbed.original_span(label.span);
        }
        if let Some(fix) = &mut diagnostic.fix {
            for edit in &mut fix.edits {
                edit.span = untabbed.original_span(edit.span);
            }
        }
    }
    let mut diagnostics = untabbed.diagnostics(unit);
    diagnostics.append(&mut recovered.diagnostics);
    recovered.diagnostics = diagnostics;
    recovered
}

fn parse_as_is(text: &str, options: &ParseOptions) -> Parsed {
    let mut walker = Walker::new(text, options);
    walker.run();
    walker.parsed
}

/// Converts saphyr's character indices to byte offsets.
struct CharOffsets {
    /// Byte offset of each character index; empty when the text is ASCII.
    table: Vec<usize>,
    len: usize,
}

impl CharOffsets {
    fn new(text: &str) -> Self {
        let table = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(text.len()))
                .collect()
        };
        CharOffsets {
            table,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        if self.table.is_empty() {
            char_index.min(self.len)
        } else {
            self.table.get(char_index).copied().unwrap_or(self.len)
        }
    }
}

enum Container {
    Seq(Vec<Value>),
    Map {
        map: Map<String, Value>,
        pending_key: Option<(String, Span)>,
        key_spans: HashMap<String, Span>,
    },
}

struct Frame {
    container: Container,
    anchor: usize,
    start: usize,
    nodes: usize,
    pointer_len: usize,
    /// Where the node is in the span index (first document only).
    entry: Option<usize>,
}

/// What a completed node was, as far as being a key goes.
enum KeySource<'a> {
    /// A scalar with its source text and whether it resolved to a string.
    Scalar {
        text: std::borrow::Cow<'a, str>,
        is_string: bool,
    },
    /// A mapping or list (or an alias to one).
    Complex,
}

struct Walker<'t> {
    text: &'t str,
    offsets: CharOffsets,
    options: ParseOptions,
    stack: Vec<Frame>,
    pointer: String,
    anchors: HashMap<usize, (Value, usize)>,
    alias_nodes: usize,
    documents_seen: usize,
    parsed: Parsed,
}

impl<'t> Walker<'t> {
    fn new(text: &'t str, options: &ParseOptions) -> Self {
        Walker {
            text,
            offsets: CharOffsets::new(text),
            options: *options,
            stack: Vec::new(),
            pointer: String::new(),
            anchors: HashMap::new(),
            alias_nodes: 0,
            documents_seen: 0,
            parsed: Parsed {
                // About one node per 24 bytes of a typical guide.
                spans: SpanIndex::with_capacity(text.len() / 24 + 8),
                ..Parsed::default()
            },
        }
    }

    /// True while the first document is being read (its nodes are indexed).
    fn recording(&self) -> bool {
        self.parsed.documents.is_empty()
    }

    fn track(&self) -> bool {
        self.options.track_spans
    }

    /// Records a problem. Returns false when the walk must stop.
    fn problem(&mut self, diagnostic: impl FnOnce() -> Diagnostic) -> bool {
        self.parsed.failed = true;
        if self.track() {
            self.parsed.diagnostics.push(diagnostic());
            true
        } else {
            false
        }
    }

    fn span(&self, span: saphyr_parser::Span) -> Span {
        let start = self.offsets.byte(span.start.index());
        let end = self.offsets.byte(span.end.index()).max(start);
        Span::new(start, self.trim_end(start, end))
    }

    /// Moves `end` back over trailing white space (block nodes end where the next token starts).
    fn trim_end(&self, start: usize, end: usize) -> usize {
        let trimmed = self.text[start..end].trim_end();
        start + trimmed.len()
    }

    fn run(&mut self) {
        let mut parser = Parser::new_from_str(self.text);
        while let Some(next) = parser.next_event() {
            let (event, span) = match next {
                Ok(pair) => pair,
                Err(error) => {
                    self.syntax_error(&error);
                    self.unfinished();
                    return;
                }
            };
            let keep_going = match event {
                Event::StreamStart | Event::Nothing | Event::DocumentEnd => true,
                Event::StreamEnd => break,
                Event::DocumentStart(_) => self.document_start(span),
                Event::Scalar(text, style, anchor, tag) => {
                    let value = scalar::resolve(&text, style, tag.as_deref());
                    if scalar::is_out_of_range(&text, style, tag.as_deref(), &value) {
                        let span = self.span(span);
                        let shown: String = text.chars().take(40).collect();
                        let more = if shown.len() < text.len() { "…" } else { "" };
                        let why = if scalar::is_integer_text(&text) {
                            "whole numbers must lie between -9223372036854775808 and 18446744073709551615"
                        } else {
                            "it is beyond the largest number a value can hold (about 1.8e308)"
                        };
                        if !self.problem(|| {
                            Diagnostic::error(
                                codes::OUT_OF_RANGE,
                                format!("The number `{shown}{more}` is out of range: {why}."),
                                span,
                            )
                            .with_span_label("number out of range")
                            .with_help(
                                "write the number as it should be; quote it if it is meant as text",
                            )
                        }) {
                            return;
                        }
                    }
                    let key = KeySource::Scalar {
                        text: text.as_ref().into(),
                        is_string: value.is_string(),
                    };
                    let span = self.span(span);
                    self.complete(value, span, 1, anchor, key, None)
                }
                Event::Alias(id) => self.alias(id, span),
                Event::SequenceStart(anchor, _) => {
                    self.open(Container::Seq(Vec::new()), anchor, span)
                }
                Event::MappingStart(anchor, _) => self.open(
                    Container::Map {
                        map: Map::new(),
                        pending_key: None,
                        key_spans: HashMap::new(),
                    },
                    anchor,
                    span,
                ),
                Event::SequenceEnd | Event::MappingEnd => self.close(span),
            };
            if !keep_going {
                self.unfinished();
                return;
            }
        }
        if self.documents_seen == 0 {
            self.problem(|| {
                Diagnostic::error(
                    codes::EMPTY_FILE,
                    "The file holds no YAML document.",
                    Span::at(0),
                )
                .with_help("a guide is a YAML mapping; start from an existing guide or the schema")
            });
        }
    }

    /// The walk stopped inside open mappings or lists: index what they hold.
    fn unfinished(&mut self) {
        for frame in &self.stack {
            if let Some(entry) = frame.entry {
                self.parsed.spans.unfinished(entry);
            }
        }
    }

    fn syntax_error(&mut self, error: &saphyr_parser::ScanError) {
        let start = self.offsets.byte(error.marker().index());
        let end = self.text[start..]
            .chars()
            .next()
            .map_or(start, |c| start + c.len_utf8());
        let span = Span::new(start, end);
        let info = error.info().to_owned();
        if info == "recursion limit exceeded" {
            self.problem(|| {
                Diagnostic::error(
                    codes::TOO_DEEP,
                    format!(
                        "Flow collections (`[…]`, `{{…}}`) are nested deeper than {} levels, the most the YAML reader allows.",
                        u8::MAX
                    ),
                    span,
                )
                .with_span_label("too deep here")
                .with_help("flatten the structure, or write it in block style (one item per line)")
            });
        } else {
            self.problem(|| {
                Diagnostic::error(codes::YAML_SYNTAX, format!("Invalid YAML: {info}."), span)
                    .with_span_label(info.clone())
                    .with_help(
                        "check the indentation and quoting around this spot; quote text that contains `: ` or starts with a special character",
                    )
            });
        }
    }

    fn document_start(&mut self, span: saphyr_parser::Span) -> bool {
        self.documents_seen += 1;
        if self.documents_seen > 1 && self.options.single_document {
            let span = self.span(span);
            let span = if span.is_empty() {
                // `---` when there is one; never past a character's start.
                let mut end = (span.start + 3).min(self.text.len());
                while !self.text.is_char_boundary(end) {
                    end -= 1;
                }
                Span::new(span.start, end)
            } else {
                span
            };
            self.problem(|| {
                Diagnostic::error(
                    codes::MULTIPLE_DOCUMENTS,
                    "The file holds more than one YAML document; only the first is checked.",
                    span,
                )
                .with_span_label("second document starts here")
                .with_help("keep one guide per file: move this document to a file of its own")
            });
            return false;
        }
        true
    }

    fn child_pointer_segment(&self) -> Option<String> {
        match &self.stack.last()?.container {
            Container::Seq(items) => Some(items.len().to_string()),
            Container::Map {
                pending_key: Some((key, _)),
                ..
            } => Some(escape_token(key).into_owned()),
            Container::Map { .. } => None,
        }
    }

    fn open(&mut self, container: Container, anchor: usize, span: saphyr_parser::Span) -> bool {
        let start = self.offsets.byte(span.start.index());
        let limit = self.options.limits.max_depth.min(MAX_DEPTH_CAP);
        if self.stack.len() >= limit {
            self.problem(|| {
                Diagnostic::error(
                    codes::TOO_DEEP,
                    format!("Nesting is deeper than the limit of {limit} levels."),
                    Span::new(start, (start + 1).min(self.text.len())),
                )
                .with_help("flatten the structure, or raise `limits.max_depth` in guidepress.toml")
            });
            return false;
        }
        let pointer_len = self.pointer.len();
        let entry = self.recording().then(|| {
            let key = match self.stack.last().map(|frame| &frame.container) {
                Some(Container::Map {
                    pending_key: Some((key, span)),
                    ..
                }) => Some((key.as_str(), *span)),
                _ => None,
            };
            self.parsed.spans.open(key)
        });
        if self.track() {
            if let Some(segment) = self.child_pointer_segment() {
                self.pointer.push('/');
                self.pointer.push_str(&segment);
            }
        }
        self.stack.push(Frame {
            container,
            anchor,
            start,
            nodes: 1,
            pointer_len,
            entry,
        });
        true
    }

    fn close(&mut self, span: saphyr_parser::Span) -> bool {
        let Some(frame) = self.stack.pop() else {
            return true;
        };
        let end = self.offsets.byte(span.end.index()).max(frame.start);
        let span = Span::new(frame.start, self.trim_end(frame.start, end));
        if self.track() {
            self.pointer.truncate(frame.pointer_len);
        }
        let value = match frame.container {
            Container::Seq(items) => Value::Array(items),
            Container::Map { map, .. } => Value::Object(map),
        };
        self.complete(
            value,
            span,
            frame.nodes,
            frame.anchor,
            KeySource::Complex,
            frame.entry,
        )
    }

    fn alias(&mut self, id: usize, span: saphyr_parser::Span) -> bool {
        let span = self.span(span);
        let Some((value, nodes)) = self.anchors.get(&id).cloned() else {
            return self.problem(|| {
                Diagnostic::error(codes::YAML_SYNTAX, "Invalid YAML: unknown alias.", span)
            });
        };
        self.alias_nodes += nodes;
        if self.alias_nodes > self.options.limits.max_alias_nodes {
            let limit = self.options.limits.max_alias_nodes;
            self.problem(|| {
                Diagnostic::error(
                    codes::ALIAS_BUDGET,
                    format!("Aliases expand to more than {limit} nodes; the file is not read further."),
                    span,
                )
                .with_span_label("expansion limit reached here")
                .with_help("write the repeated content out, or raise `limits.max_alias_nodes` in guidepress.toml")
            });
            return false;
        }
        let key = match &value {
            Value::Array(_) | Value::Object(_) => KeySource::Complex,
            scalar => KeySource::Scalar {
                text: match scalar {
                    Value::String(s) => s.clone().into(),
                    other => other.to_string().into(),
                },
                is_string: scalar.is_string(),
            },
        };
        self.complete(value, span, nodes, 0, key, None)
    }

    /// A node is complete: it becomes a document, a list item, a key or a
    /// value. `entry` is where a mapping or list was opened in the span index.
    fn complete(
        &mut self,
        value: Value,
        span: Span,
        nodes: usize,
        anchor: usize,
        key: KeySource<'_>,
        entry: Option<usize>,
    ) -> bool {
        if anchor != 0 {
            self.anchors.insert(anchor, (value.clone(), nodes));
        }
        let track = self.track();
        let record = self.recording();
        let spans = &mut self.parsed.spans;
        let Some(frame) = self.stack.last_mut() else {
            if record {
                match entry {
                    Some(entry) => spans.close(entry, span),
                    None => spans.leaf(None, span),
                }
            }
            self.parsed.documents.push(value);
            return true;
        };
        frame.nodes += nodes;
        match &mut frame.container {
            Container::Seq(items) => {
                if record {
                    match entry {
                        Some(entry) => spans.close(entry, span),
                        None => spans.leaf(None, span),
                    }
                }
                items.push(value);
                true
            }
            Container::Map {
                pending_key: pending @ None,
                ..
            } => {
                // The key's value is not kept: its text moves into the key.
                let key_text = match (&key, value) {
                    (
                        KeySource::Scalar {
                            is_string: true, ..
                        },
                        Value::String(s),
                    ) => s,
                    (KeySource::Scalar { text, .. }, _) => text.clone().into_owned(),
                    (KeySource::Complex, value) => value.to_string(),
                };
                *pending = Some((key_text, span));
                if let Some(entry) = entry {
                    // A mapping or list as a key: not a node of its own.
                    spans.truncate(entry);
                }
                let is_string = matches!(
                    key,
                    KeySource::Scalar {
                        is_string: true,
                        ..
                    }
                );
                if !is_string {
                    let message = if matches!(key, KeySource::Complex) {
                        "A mapping key is a mapping or a list; keys must be text."
                    } else {
                        "A mapping key is a number, boolean or null; keys must be text."
                    };
                    return self.problem(|| {
                        Diagnostic::error(codes::NON_STRING_KEY, message, span)
                            .with_help("quote the key (`\"2024\": ...`) or use a field name from the content model")
                    });
                }
                true
            }
            Container::Map {
                map,
                pending_key,
                key_spans,
            } => {
                let Some((key, key_span)) = pending_key.take() else {
                    return true;
                };
                if map.contains_key(&key) {
                    if let Some(entry) = entry {
                        // The first value is kept: this one is not indexed.
                        spans.truncate(entry);
                    }
                    let first = key_spans.get(&key).copied();
                    let pointer = format!("{}/{}", self.pointer, escape_token(&key));
                    return self.problem(|| {
                        let mut diagnostic = Diagnostic::error(
                            codes::DUPLICATE_KEY,
                            format!("The key `{key}` is defined twice in the same mapping; the first one is used."),
                            key_span,
                        )
                        .with_pointer(pointer)
                        .with_span_label("defined again here")
                        .with_help("remove one of the two, or merge their contents");
                        if let Some(first) = first {
                            diagnostic = diagnostic.with_label(first, "first defined here");
                        }
                        diagnostic
                    });
                }
                if track {
                    key_spans.insert(key.clone(), key_span);
                }
                if record {
                    match entry {
                        Some(entry) => spans.close(entry, span),
                        None => spans.leaf(Some((&key, key_span)), span),
                    }
                }
                map.insert(key, value);
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::top_level_string;

    #[test]
    fn a_top_level_string_is_read_up_to_its_key() {
        let slug = |text: &str| top_level_string(text, "slug");
        assert_eq!(slug("slug: a-b\ntitle: x\n").as_deref(), Some("a-b"));
        assert_eq!(
            slug("# c\ntitle: x\nnested:\n  slug: no\n  list: [1, {a: 2}]\nslug: 'yes'\n")
                .as_deref(),
            Some("yes")
        );
        // After the key, the rest of the file is not read: broken YAML
        // there is for the parse to report.
        assert_eq!(slug("slug: a\nbad: [\n").as_deref(), Some("a"));
        // Not a string, not there, or unsure before it.
        for text in [
            "slug: 12\n",
            "slug: true\n",
            "slug: [a]\n",
            "slug: *x\n",
            "title: x\n",
            "- slug: a\n",
            "x: [\nslug: a\n",
            "? [k]\n: v\nslug: a\n",
            "",
        ] {
            assert_eq!(slug(text), None, "{text:?}");
        }
        assert_eq!(slug("slug: !!str 12\n").as_deref(), Some("12"));
    }
}
