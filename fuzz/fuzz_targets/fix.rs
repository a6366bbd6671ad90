//! `cargo fuzz run fix`: arbitrary YAML and an arbitrary replacement through
//! the fix writer. Asserts no panic, and that every edit it returns loads
//! back to the original document with exactly the intended string changed.
#![no_main]

use guidepress::fix::{apply_edits, scalar::replace_in_string};
use guidepress::load::{self, LoadLimits, ParseOptions};
use guidepress::Span;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else { return };
    // `yaml \0 pointer \0 start \0 end \0 replacement`
    let parts: Vec<&str> = input.splitn(5, '\0').collect();
    let [text, pointer, start, end, replacement] = parts[..] else { return };
    let (Ok(start), Ok(end)) = (start.parse::<usize>(), end.parse::<usize>()) else { return };
    let Some(edit) = replace_in_string(text, LoadLimits::default(), pointer, Span::new(start, end), replacement) else {
        return;
    };
    let options = ParseOptions { single_document: true, ..ParseOptions::default() };
    let original = load::parse(text, &options);
    let fixed = load::parse(&apply_edits(text, &[edit]), &options);
    assert!(!fixed.failed);
    let mut expected = original.documents[0].clone();
    let old = expected.pointer(pointer).and_then(|v| v.as_str()).unwrap().to_owned();
    let shown = &text[start..end];
    // The new value holds the replacement where the old text was.
    let new = fixed.documents[0].pointer(pointer).and_then(|v| v.as_str()).unwrap();
    assert!(new.contains(replacement) || replacement.is_empty());
    assert_eq!(new.len(), old.len() - shown.len() + replacement.len());
    *expected.pointer_mut(pointer).unwrap() = serde_json::Value::String(new.to_owned());
    assert_eq!(fixed.documents[0], expected);
});
