//! Mutated guides never panic the loader, and every span it reports is a
//! valid byte range of the input (on character boundaries).

use guidepress::load::{self, ParseOptions};
use proptest::prelude::*;

const GUIDE: &str = include_str!("../fixtures/project/content/guides/backend-engineer.yaml");

/// Pieces that stress a YAML parser: indicators, quotes, tabs, anchors, multi-byte text.
const PIECES: &[&str] = &[
    ":",
    " ",
    "\n",
    "\t",
    "-",
    "- ",
    "? ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "\"",
    "'",
    "#",
    "&a ",
    "*a",
    "!",
    "!!str ",
    "|",
    ">",
    "---\n",
    "...\n",
    "%YAML 1.2\n",
    "é",
    "—",
    "😀",
    "\r\n",
    "\u{feff}",
    "~",
    "0x",
    "1e9",
    "  ",
    "@",
];

#[derive(Debug, Clone)]
enum Mutation {
    Insert(usize, usize),
    Delete(usize, usize),
    Duplicate(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0..PIECES.len()).prop_map(|(at, piece)| Mutation::Insert(at, piece)),
        (any::<usize>(), 1usize..40).prop_map(|(at, len)| Mutation::Delete(at, len)),
        (any::<usize>(), 1usize..200).prop_map(|(at, len)| Mutation::Duplicate(at, len)),
    ]
}

fn boundary(text: &str, at: usize) -> usize {
    floor_boundary(text, at % (text.len() + 1))
}

fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(mut text: String, mutations: &[Mutation]) -> String {
    for m in mutations {
        match *m {
            Mutation::Insert(at, piece) => {
                let at = boundary(&text, at);
                text.insert_str(at, PIECES[piece]);
            }
            Mutation::Delete(at, len) => {
                let start = boundary(&text, at);
                let end = floor_boundary(&text, start + len);
                if end > start {
                    text.replace_range(start..end, "");
                }
            }
            Mutation::Duplicate(at, len) => {
                let start = boundary(&text, at);
                let end = floor_boundary(&text, start + len);
                let copy = text[start..end].to_owned();
                text.insert_str(end, &copy);
            }
        }
    }
    text
}

fn check_spans(text: &str, track: bool) {
    let parsed = load::parse(
        text,
        &ParseOptions {
            track_spans: track,
            single_document: true,
            ..ParseOptions::default()
        },
    );
    let valid = |start: usize, end: usize| {
        start <= end
            && end <= text.len()
            && text.is_char_boundary(start)
            && text.is_char_boundary(end)
    };
    for d in &parsed.diagnostics {
        assert!(
            valid(d.span.start, d.span.end),
            "diagnostic span {:?} in {} bytes",
            d.span,
            text.len()
        );
        for label in &d.labels {
            assert!(
                valid(label.span.start, label.span.end),
                "label span {:?}",
                label.span
            );
        }
    }
    for (pointer, node) in parsed.spans.iter() {
        assert!(
            valid(node.value.start, node.value.end),
            "{pointer}: {:?}",
            node.value
        );
        if let Some(key) = node.key {
            assert!(valid(key.start, key.end), "{pointer}: key {key:?}");
        }
    }
    if track {
        // A fast parse fails exactly when the tracked parse finds something.
        let fast = load::parse(
            text,
            &ParseOptions {
                single_document: true,
                ..ParseOptions::default()
            },
        );
        assert_eq!(
            fast.failed, parsed.failed,
            "fast and tracked parses disagree"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_guides_never_panic_and_spans_are_valid(mutations in proptest::collection::vec(mutation(), 1..8)) {
        let text = apply(GUIDE.to_owned(), &mutations);
        check_spans(&text, true);
    }

    #[test]
    fn arbitrary_pieces_never_panic(pieces in proptest::collection::vec(0..PIECES.len(), 0..64)) {
        let text: String = pieces.iter().map(|&i| PIECES[i]).collect();
        check_spans(&text, true);
    }
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let text = format!("{}{}", "[".repeat(200_000), "]".repeat(200_000));
    let parsed = load::parse(&text, &ParseOptions::default());
    assert!(parsed.failed);
    let text = "- ".repeat(50_000) + "x";
    let parsed = load::parse(
        &text,
        &ParseOptions {
            track_spans: true,
            ..ParseOptions::default()
        },
    );
    assert!(parsed.diagnostics.iter().any(|d| d.code == "GP108"));
}

#[test]
fn a_billion_laughs_stops_at_the_budget() {
    let mut text = String::from("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
    for (prev, name) in "abcdefghi".chars().zip("bcdefghij".chars()) {
        text.push_str(&format!(
            "{name}: &{name} [{}]\n",
            vec![format!("*{prev}"); 10].join(",")
        ));
    }
    let parsed = load::parse(
        &text,
        &ParseOptions {
            track_spans: true,
            ..ParseOptions::default()
        },
    );
    assert!(parsed.diagnostics.iter().any(|d| d.code == "GP109"));
}

#[test]
fn a_second_document_without_a_marker_is_reported_on_character_boundaries() {
    // Found by `arbitrary_pieces_never_panic`: the second document starts
    // with `- é`, and the three bytes after its start end inside `é`.
    check_spans("&a \n...\n- é", true);
}
