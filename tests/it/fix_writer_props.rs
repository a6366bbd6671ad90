//! The fix writer over hostile text: whatever string a fix puts into a
//! scalar (quotes, flow indicators, comment markers, line breaks, control
//! characters, Markdown brackets), in whatever style and context the scalar
//! is written, the edited file loads to the original document with exactly
//! that string changed, or no fix is offered. Checked here independently of
//! the writer's own verification.

use guidepress::Span;
use guidepress::fix::{apply_edits, scalar::replace_in_string};
use guidepress::load::{self, LoadLimits, ParseOptions};
use proptest::prelude::*;

const OLD: &str = "https://a.example/x";

/// Documents citing `OLD` in every scalar style and context: (text, pointer).
const CONTEXTS: &[(&str, &str)] = &[
    ("url: https://a.example/x\nnext: 1\n", "/url"),
    ("url: 'https://a.example/x'\n", "/url"),
    ("url: \"https://a.example/x\"\n", "/url"),
    ("s: {id: a, url: https://a.example/x, n: 2}\n", "/s/url"),
    ("s: {id: a, url: 'https://a.example/x'}\n", "/s/url"),
    ("s: [https://a.example/x, b]\n", "/s/0"),
    ("s: [\"https://a.example/x\", 'b']\n", "/s/0"),
    ("- - https://a.example/x # c\n  - y\n", "/0/0"),
    (
        "body: |\n  see https://a.example/x here\n  more\nnext: 1\n",
        "/body",
    ),
    ("body: >-\n  see\n  https://a.example/x\nnext: 1\n", "/body"),
    ("body: see [a](https://a.example/x) now\n", "/body"),
    ("body: 'see <https://a.example/x>, or not'\n", "/body"),
    ("k: {body: \"see [a](https://a.example/x)\"}\n", "/k/body"),
    (
        "body: plain text\n  https://a.example/x\n  continues\n",
        "/body",
    ),
];

/// Characters that break scalars, flow collections, comments and Markdown.
const PIECES: &[&str] = &[
    "https://b.example/",
    "a",
    "/",
    ",",
    "[",
    "]",
    "{",
    "}",
    "'",
    "\"",
    "\\",
    "#",
    " #",
    ": ",
    ":",
    " ",
    "(",
    ")",
    "<",
    ">",
    "\n",
    "\r",
    "\t",
    "\u{7}",
    "\u{1b}",
    "\u{7f}",
    "\u{85}",
    "\u{feff}",
    "\u{2028}",
    "é",
    "😀",
    "%",
    "&a",
    "*a",
    "!",
    "|",
    ">",
    "-",
    "? ",
    "---",
    "...",
];

fn expected(text: &str, pointer: &str, replacement: &str) -> serde_json::Value {
    let parsed = load::parse(text, &ParseOptions::default());
    let mut document = parsed.documents[0].clone();
    let value = document.pointer_mut(pointer).unwrap();
    let old = value.as_str().unwrap().to_owned();
    *value = serde_json::Value::String(old.replacen(OLD, replacement, 1));
    document
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_fix_loads_back_to_its_intended_value(
        context in 0..CONTEXTS.len(),
        pieces in proptest::collection::vec(0..PIECES.len(), 0..12),
    ) {
        let (text, pointer) = CONTEXTS[context];
        let replacement: String = pieces.iter().map(|&i| PIECES[i]).collect();
        let start = text.find(OLD).unwrap();
        let edit = replace_in_string(
            text,
            LoadLimits::default(),
            pointer,
            Span::new(start, start + OLD.len()),
            &replacement,
        );
        // Re-quoting the whole scalar can hold any text: a fix is always found.
        let edit = edit.expect("a fix for every replacement");
        let fixed = apply_edits(text, &[edit]);
        let parsed = load::parse(&fixed, &ParseOptions { single_document: true, ..ParseOptions::default() });
        prop_assert!(!parsed.failed, "{fixed:?} does not load");
        prop_assert_eq!(&parsed.documents[0], &expected(text, pointer, &replacement), "{:?}", fixed);
    }
}
