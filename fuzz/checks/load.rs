//! What the `load` fuzz target asserts, as a function: the fuzz target
//! (`cargo fuzz run load`, nightly) and the test suite's proptest
//! (`tests/it/fuzz_inputs.rs`, every run) call the same code.

use guidepress::load::{self, ParseOptions};

/// Arbitrary bytes through the loader, as `check` reads them: no panic, and
/// every span is a valid byte range on character boundaries.
pub fn check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for track_spans in [false, true] {
        let parsed = load::parse(
            text,
            &ParseOptions {
                track_spans,
                single_document: true,
                ..ParseOptions::default()
            },
        );
        for d in &parsed.diagnostics {
            assert!(d.span.start <= d.span.end && d.span.end <= text.len());
            assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end));
        }
        for (_, node) in parsed.spans.iter() {
            assert!(node.value.end <= text.len() && text.is_char_boundary(node.value.start));
        }
    }
}
