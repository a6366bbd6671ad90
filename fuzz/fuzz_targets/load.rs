//! `cargo fuzz run load`: arbitrary bytes through the loader, as `check` reads
//! them; asserts no panic and that every span is a valid byte range.
#![no_main]

use guidepress::load::{self, ParseOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for track_spans in [false, true] {
        let parsed = load::parse(text, &ParseOptions { track_spans, single_document: true, ..ParseOptions::default() });
        for d in &parsed.diagnostics {
            assert!(d.span.start <= d.span.end && d.span.end <= text.len());
            assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end));
        }
        for (_, node) in parsed.spans.iter() {
            assert!(node.value.end <= text.len() && text.is_char_boundary(node.value.start));
        }
    }
});
