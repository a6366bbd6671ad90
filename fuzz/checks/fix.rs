//! What the `fix` fuzz target asserts, as a function: the fuzz target
//! (`cargo fuzz run fix`, nightly) and the test suite's proptest
//! (`tests/it/fuzz_inputs.rs`, every run) call the same code.

use guidepress::Span;
use guidepress::fix::{apply_edits, scalar::replace_in_string};
use guidepress::load::{self, LoadLimits, ParseOptions};

/// The input the fuzzer mutates: `yaml \0 pointer \0 start \0 end \0 replacement`
/// (built by the test suite; the fuzzer makes its own).
#[allow(dead_code)]
pub fn input(yaml: &str, pointer: &str, start: usize, end: usize, replacement: &str) -> Vec<u8> {
    format!("{yaml}\0{pointer}\0{start}\0{end}\0{replacement}").into_bytes()
}

/// Arbitrary YAML and an arbitrary replacement through the fix writer: no
/// panic, and an edit it returns loads back to the original document with
/// exactly the intended string changed. True when an edit was made.
pub fn check(data: &[u8]) -> bool {
    let Ok(input) = std::str::from_utf8(data) else {
        return false;
    };
    let parts: Vec<&str> = input.splitn(5, '\0').collect();
    let [text, pointer, start, end, replacement] = parts[..] else {
        return false;
    };
    let (Ok(start), Ok(end)) = (start.parse::<usize>(), end.parse::<usize>()) else {
        return false;
    };
    let Some(edit) = replace_in_string(
        text,
        LoadLimits::default(),
        pointer,
        Span::new(start, end),
        replacement,
    ) else {
        return false;
    };
    let options = ParseOptions {
        single_document: true,
        ..ParseOptions::default()
    };
    let original = load::parse(text, &options);
    let fixed = load::parse(&apply_edits(text, &[edit]), &options);
    assert!(!fixed.failed);
    let mut expected = original.documents[0].clone();
    let old = expected
        .pointer(pointer)
        .and_then(|v| v.as_str())
        .unwrap()
        .to_owned();
    let shown = &text[start..end];
    // The new value holds the replacement where the old text was.
    let new = fixed.documents[0]
        .pointer(pointer)
        .and_then(|v| v.as_str())
        .unwrap();
    assert!(new.contains(replacement) || replacement.is_empty());
    assert_eq!(new.len(), old.len() - shown.len() + replacement.len());
    *expected.pointer_mut(pointer).unwrap() = serde_json::Value::String(new.to_owned());
    assert_eq!(fixed.documents[0], expected);
    true
}
