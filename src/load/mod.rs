//! Reading guides: bytes → text → YAML events → JSON value, with spans.
//!
//! Clean files take the fast path (no span index). A file with any finding is
//! parsed again with spans, so every diagnostic lands on its exact place.

pub mod scalar;
pub mod span_index;
mod tabs;
pub mod yaml;

use std::path::Path;

pub use span_index::{NodeSpan, SpanIndex};
pub use yaml::{LoadLimits, ParseOptions, Parsed, parse};

use crate::codes;
use crate::diagnostic::{Diagnostic, Span};
use crate::source::SourceFile;

/// A file read from disk, before parsing.
#[derive(Debug)]
pub struct ReadFile {
    /// The text (invalid UTF-8 replaced).
    pub source: SourceFile,
    /// Problems met while reading: size, encoding, I/O. Parsing is skipped when any is present.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads `path` for checking, enforcing the size limit and UTF-8.
pub fn read_file(path: &Path, display: &Path, limits: &LoadLimits) -> ReadFile {
    let fail = |text: String, diagnostic: Diagnostic| ReadFile {
        source: SourceFile::new(display, text),
        diagnostics: vec![diagnostic],
    };
    match std::fs::metadata(path) {
        Ok(meta) if meta.len() > limits.max_file_size => {
            return fail(
                String::new(),
                Diagnostic::error(
                    codes::FILE_TOO_LARGE,
                    format!(
                        "The file is {} bytes, over the limit of {} bytes; it was not read.",
                        meta.len(),
                        limits.max_file_size
                    ),
                    Span::at(0),
                )
                .with_help("split the file, or raise `limits.max_file_size` in guidepress.toml"),
            );
        }
        Ok(_) => {}
        Err(error) => {
            return fail(
                String::new(),
                Diagnostic::error(
                    codes::UNREADABLE_FILE,
                    format!("The file could not be read: {error}."),
                    Span::at(0),
                ),
            );
        }
    }
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) => {
            return fail(
                String::new(),
                Diagnostic::error(
                    codes::UNREADABLE_FILE,
                    format!("The file could not be read: {error}."),
                    Span::at(0),
                ),
            );
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => ReadFile {
            source: SourceFile::new(display, text),
            diagnostics: Vec::new(),
        },
        Err(error) => {
            let bad = error.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(error.as_bytes()).into_owned();
            // The lossy text has U+FFFD (3 bytes) where the bad byte was; point at it.
            let span = Span::new(bad, (bad + 3).min(text.len()));
            fail(
                text,
                Diagnostic::error(codes::NOT_UTF8, "The file is not valid UTF-8.", span)
                    .with_span_label("invalid byte here")
                    .with_help(
                        "save the file as UTF-8 (most editors: File > Save with Encoding > UTF-8)",
                    ),
            )
        }
    }
}
