//! Reading guides: bytes → text → YAML events → JSON value, with spans.
//!
//! One parse records the value and a span index of every node, so a finding
//! lands on its exact place without parsing again. Only a file whose YAML is
//! broken is parsed a second time, to report every problem in it.

pub mod scalar;
pub mod span_index;
mod tabs;
pub mod yaml;

use std::path::Path;

pub use span_index::{NodeSpan, SpanIndex};
pub use yaml::{
    LoadLimits, MAX_ALIAS_NODES_CAP, MAX_DEPTH_CAP, MAX_FILE_SIZE_CAP, ParseOptions, Parsed, parse,
};

use crate::codes;
use crate::diagnostic::{Diagnostic, Span};
use crate::fsio::ReadError;
use crate::source::SourceFile;

/// A file read from disk, before parsing.
#[derive(Debug)]
pub struct ReadFile {
    /// The text (invalid UTF-8 replaced).
    pub source: SourceFile,
    /// Problems met while reading: size, encoding, I/O. Parsing is skipped when any is present.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads `path` for checking, enforcing the size limit and UTF-8. Only a
/// regular file is read (a FIFO or device gets a finding, never a hang).
pub fn read_file(path: &Path, display: &Path, limits: &LoadLimits) -> ReadFile {
    let fail = |text: String, diagnostic: Diagnostic| ReadFile {
        source: SourceFile::new(display, text),
        diagnostics: vec![diagnostic],
    };
    let bytes = match crate::fsio::read_regular(path, limits.max_file_size) {
        Ok(bytes) => bytes,
        Err(ReadError::TooLarge { size, limit }) => {
            let size = size.map_or_else(|| "more than".to_owned(), |s| format!("{s} bytes,"));
            return fail(
                String::new(),
                Diagnostic::error(
                    codes::FILE_TOO_LARGE,
                    format!("The file is {size} over the limit of {limit} bytes; it was not read."),
                    Span::at(0),
                )
                .with_help("split the file, or raise `limits.max_file_size` in guidepress.toml"),
            );
        }
        Err(ReadError::NotRegular { kind }) => {
            return fail(
                String::new(),
                Diagnostic::error(
                    codes::UNREADABLE_FILE,
                    format!("The path is {kind}, not a regular file; it was not read."),
                    Span::at(0),
                )
                .with_help("only regular files are checked; point guidepress at the file itself"),
            );
        }
        Err(ReadError::Io(error)) => {
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
    decode(display, bytes)
}

/// The finding for a text in memory (an editor's buffer) over
/// `limits.max_file_size`: the same GP107 a file on disk gets; `None` within it.
pub fn text_too_large(text: &str, limits: &LoadLimits) -> Option<Diagnostic> {
    let size = text.len() as u64;
    (size > limits.max_file_size).then(|| {
        Diagnostic::error(
            codes::FILE_TOO_LARGE,
            format!(
                "The file is {size} bytes, over the limit of {} bytes; it was not read.",
                limits.max_file_size
            ),
            Span::at(0),
        )
        .with_help("split the file, or raise `limits.max_file_size` in guidepress.toml")
    })
}

/// Reads standard input (or any stream) for checking, at most `limits.max_file_size` bytes.
pub fn read_stream(reader: impl std::io::Read, display: &Path, limits: &LoadLimits) -> ReadFile {
    let fail = |diagnostic: Diagnostic| ReadFile {
        source: SourceFile::new(display, String::new()),
        diagnostics: vec![diagnostic],
    };
    match crate::fsio::read_bounded(reader, limits.max_file_size) {
        Ok(bytes) => decode(display, bytes),
        Err(ReadError::TooLarge { limit, .. }) => fail(
            Diagnostic::error(
                codes::FILE_TOO_LARGE,
                format!("The input is over the limit of {limit} bytes; it was not read."),
                Span::at(0),
            )
            .with_help("split the file, or raise `limits.max_file_size` in guidepress.toml"),
        ),
        Err(error) => fail(Diagnostic::error(
            codes::UNREADABLE_FILE,
            format!("The input could not be read: {error}."),
            Span::at(0),
        )),
    }
}

/// Bytes → text, with a finding when they are not UTF-8.
fn decode(display: &Path, bytes: Vec<u8>) -> ReadFile {
    let fail = |text: String, diagnostic: Diagnostic| ReadFile {
        source: SourceFile::new(display, text),
        diagnostics: vec![diagnostic],
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
