//! A content file after reading, parsing and schema validation: what the fact
//! rules, link checks and publishing work on, and the loader that reads and
//! parses it (from disk, or from a text already in memory).

use std::path::Path;
use std::sync::OnceLock;

use serde_json::Value;

use crate::diagnostic::{Diagnostic, Span};
use crate::file_kind::FileKind;
use crate::load::{self, LoadLimits, ParseOptions, SpanIndex};
use crate::source::{CONTEXT_LINES, SourceFile};

/// One loaded content file.
#[derive(Debug)]
pub struct LoadedFile {
    /// The text as read.
    pub source: SourceFile,
    /// What the file is.
    pub kind: FileKind,
    /// The first document's value; `None` when the file could not be read or parsed.
    pub value: Option<Value>,
    /// True when the value passed its schema (rules may rely on the shape).
    pub schema_valid: bool,
    /// Findings so far.
    pub diagnostics: Vec<Diagnostic>,
    spans: OnceLock<SpanIndex>,
    limits: LoadLimits,
}

impl LoadedFile {
    /// A file with its parts; spans are computed on first use unless given.
    pub fn new(
        source: SourceFile,
        kind: FileKind,
        value: Option<Value>,
        spans: Option<SpanIndex>,
        limits: LoadLimits,
    ) -> Self {
        let cell = OnceLock::new();
        if let Some(spans) = spans {
            let _ = cell.set(spans);
        }
        LoadedFile {
            source,
            kind,
            value,
            schema_valid: false,
            diagnostics: Vec::new(),
            spans: cell,
            limits,
        }
    }

    /// Reads `path` from disk and parses it (no schema validation): reading
    /// and YAML problems become its diagnostics, shown as `display`.
    pub fn read(path: &Path, display: &Path, kind: FileKind, limits: LoadLimits) -> Self {
        let read = load::read_file(path, display, &limits);
        if !read.diagnostics.is_empty() {
            let mut file =
                LoadedFile::new(read.source, kind, None, Some(SpanIndex::default()), limits);
            file.diagnostics = read.diagnostics;
            return file;
        }
        Self::parse(read.source, kind, limits)
    }

    /// Parses a text already in memory (an editor's buffer, a test's
    /// fixture): YAML problems become its diagnostics. Clean texts are parsed
    /// once, their span index recorded on the way; a text with a YAML
    /// problem is parsed again to report every problem exactly.
    pub fn parse(source: SourceFile, kind: FileKind, limits: LoadLimits) -> Self {
        let fast = load::parse(
            &source.text,
            &ParseOptions {
                limits,
                track_spans: false,
                single_document: true,
            },
        );
        let (value, spans, diagnostics) = if fast.failed {
            // Something is off: parse again with spans to say exactly where.
            let full = load::parse(
                &source.text,
                &ParseOptions {
                    limits,
                    track_spans: true,
                    single_document: true,
                },
            );
            let value = if !full.is_usable() {
                None
            } else {
                full.documents.into_iter().next()
            };
            (value, Some(full.spans), full.diagnostics)
        } else {
            (
                fast.documents.into_iter().next(),
                Some(fast.spans),
                Vec::new(),
            )
        };
        let mut file = LoadedFile::new(source, kind, value, spans, limits);
        file.diagnostics = diagnostics;
        file
    }

    /// The span index: recorded by the parse; parsed again only for a file
    /// whose index was dropped (see [`LoadedFile::drop_spans`]) or never given.
    pub fn spans(&self) -> &SpanIndex {
        self.spans.get_or_init(|| {
            if self.source.is_excerpt() {
                // The text is gone: nothing to parse.
                return SpanIndex::default();
            }
            load::parse(
                &self.source.text,
                &ParseOptions {
                    limits: self.limits,
                    track_spans: true,
                    single_document: true,
                },
            )
            .spans
        })
    }

    /// The value's span of the node at `pointer`, or of its nearest ancestor.
    pub fn value_span(&self, pointer: &str) -> Span {
        self.spans().value_span(pointer).unwrap_or(Span::at(0))
    }

    /// The key's span of the node at `pointer` (its value's span for list items and the root).
    pub fn key_span(&self, pointer: &str) -> Span {
        self.spans().key_span(pointer).unwrap_or(Span::at(0))
    }

    /// The node at `pointer` in the value.
    pub fn get(&self, pointer: &str) -> Option<&Value> {
        self.value.as_ref()?.pointer(pointer)
    }

    /// The file name without extension (`backend-engineer` for `.../backend-engineer.yaml`).
    pub fn stem(&self) -> Option<&str> {
        self.source.path.file_stem()?.to_str()
    }

    /// Drops every top-level field of the value but `fields`, to free memory
    /// once a file's own checks are done. The text stays, so spans can still be
    /// found if a later (cross-file) finding needs them.
    pub fn keep_only(&mut self, fields: &[&str]) {
        if let Some(Value::Object(map)) = &self.value {
            let kept: serde_json::Map<String, Value> = map
                .iter()
                .filter(|(key, _)| fields.contains(&key.as_str()))
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect();
            self.value = Some(Value::Object(kept));
        }
    }

    /// Drops the span index (a later finding that needs a span parses the
    /// text again), to free memory once the file's own checks are done.
    pub fn drop_spans(&mut self) {
        self.spans.take();
    }

    /// Keeps only what reporting its findings and the cross-file rules
    /// need, once the file's own checks are done: the lines around its
    /// findings (its own and `more`) and around the top-level `fields`, those
    /// fields of the value, and their spans. The text, the rest of the value
    /// and the span index are dropped, so memory does not grow with the
    /// files or their findings. A later finding may point only at `fields`.
    pub fn compact(&mut self, more: &[Diagnostic], fields: &[&str]) {
        let spans = self
            .spans
            .take()
            .unwrap_or_else(|| self.spans().clone())
            .keep_fields(fields);
        let source = &self.source;
        let mut lines: Vec<(usize, usize)> = self
            .diagnostics
            .iter()
            .chain(more)
            .filter_map(|d| source.lines_around(d.spans().map(|s| (s.start, s.end)), CONTEXT_LINES))
            .collect();
        for field in fields {
            let pointer = format!("/{}", load::span_index::escape_token(field));
            if let Some(node) = spans.get(&pointer) {
                let field_spans = std::iter::once(node.value)
                    .chain(node.key)
                    .map(|s| (s.start, s.end));
                lines.extend(source.lines_around(field_spans, CONTEXT_LINES));
            }
        }
        self.source = source.excerpt(lines);
        self.keep_only(fields);
        let _ = self.spans.set(spans);
    }

    /// The limits the file was read with.
    pub fn limits(&self) -> LoadLimits {
        self.limits
    }
}
