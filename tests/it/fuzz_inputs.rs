//! The fuzz targets (`fuzz/`, `cargo fuzz run load|fix`, nightly only) run
//! in every test run through the same assertions (`fuzz/checks/`), on the
//! inputs a fuzzer would start from: every YAML file the repository's tests
//! hold (fixtures, the bundled guide's copy, the YAML test suite's 400
//! cases), those files with dictionary pieces spliced in, random bytes, and,
//! for the fix writer, every string scalar of the guides edited with hostile
//! replacements. Bounded: a fixed number of cases.

#[path = "../../fuzz/checks/fix.rs"]
mod fix_check;
#[path = "../../fuzz/checks/load.rs"]
mod load_check;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use guidepress::load::{self, ParseOptions};
use proptest::prelude::*;

/// What a YAML fuzz dictionary holds: indicators, quotes, escapes, anchors,
/// directives, multi-byte and invisible characters.
const DICTIONARY: &[&str] = &[
    ":",
    ": ",
    "\n",
    "\t",
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
    " #",
    "&a ",
    "*a",
    "!",
    "!!str ",
    "!!binary ",
    "|",
    "|-",
    ">",
    ">+",
    "---\n",
    "...\n",
    "%YAML 1.2\n",
    "%TAG ! tag:x,2000:\n",
    "<<: *a\n",
    "\\",
    "\\u263A",
    "\\x",
    "é",
    "😀",
    "\r\n",
    "\r",
    "\u{feff}",
    "\u{202e}",
    "\u{0}",
    "~",
    "null",
    "1e400",
    "0x1F",
    ".inf",
    "  ",
    "\u{85}",
];

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

/// The seed corpus: every YAML file under tests/ (fixtures and the YAML test suite).
fn corpus() -> &'static [Vec<u8>] {
    static CORPUS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let mut files = Vec::new();
        yaml_files(&crate::common::repo_path("tests/fixtures"), &mut files);
        yaml_files(
            &crate::common::repo_path("tests/yaml-test-suite"),
            &mut files,
        );
        files
            .iter()
            .filter_map(|path| std::fs::read(path).ok())
            .filter(|bytes| bytes.len() <= 256 * 1024)
            .collect()
    })
}

/// A string scalar: its pointer and the span of its source text.
type Scalar = (String, usize, usize);

/// Every string scalar of `text`.
fn string_scalars(text: &str) -> Vec<Scalar> {
    let parsed = load::parse(
        text,
        &ParseOptions {
            track_spans: true,
            single_document: true,
            ..ParseOptions::default()
        },
    );
    let Some(document) = parsed.documents.first() else {
        return Vec::new();
    };
    parsed
        .spans
        .iter()
        .filter(|(pointer, _)| document.pointer(pointer).is_some_and(|v| v.is_string()))
        .map(|(pointer, node)| (pointer, node.value.start, node.value.end))
        .filter(|(_, start, end)| start < end)
        .collect()
}

fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[test]
fn the_load_target_holds_on_the_seed_corpus() {
    let corpus = corpus();
    assert!(corpus.len() >= 400, "{} files", corpus.len());
    for input in corpus {
        load_check::check(input);
    }
}

#[test]
fn the_fix_target_holds_on_every_string_of_the_guides() {
    let guides = [
        crate::common::project_content().join("guides/backend-engineer.yaml"),
        crate::common::repo_path("tests/fixtures/data/seed-backend-engineer.yaml"),
    ];
    let mut edits = 0;
    for path in guides {
        let text = std::fs::read_to_string(&path).unwrap();
        let scalars = string_scalars(&text);
        assert!(scalars.len() > 50, "{}: {}", path.display(), scalars.len());
        for (index, (pointer, start, end)) in scalars.iter().enumerate() {
            let replacement = DICTIONARY[index % DICTIONARY.len()];
            // The whole scalar, and a part of it.
            let middle = floor_boundary(&text, start + (end - start) / 2);
            for (from, to) in [(*start, *end), (*start, middle)] {
                let input = fix_check::input(&text, pointer, from, to, replacement);
                if fix_check::check(&input) {
                    edits += 1;
                }
            }
        }
    }
    // Most edits are made (a value spelled as a plain scalar cannot always
    // take every replacement): the assertions ran on real edits.
    assert!(edits > 100, "{edits} edits made");
}

#[derive(Debug, Clone)]
enum Splice {
    Insert(usize, usize),
    Delete(usize, usize),
    Flip(usize, u8),
}

fn splice() -> impl Strategy<Value = Splice> {
    prop_oneof![
        (any::<usize>(), 0..DICTIONARY.len()).prop_map(|(at, piece)| Splice::Insert(at, piece)),
        (any::<usize>(), 1usize..40).prop_map(|(at, len)| Splice::Delete(at, len)),
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Splice::Flip(at, byte)),
    ]
}

fn apply(mut bytes: Vec<u8>, splices: &[Splice]) -> Vec<u8> {
    for splice in splices {
        let at = |n: usize| n % (bytes.len() + 1);
        match *splice {
            Splice::Insert(n, piece) => {
                let at = at(n);
                bytes.splice(at..at, DICTIONARY[piece].bytes());
            }
            Splice::Delete(n, len) => {
                let from = at(n);
                let to = (from + len).min(bytes.len());
                bytes.drain(from..to);
            }
            Splice::Flip(n, byte) => {
                if !bytes.is_empty() {
                    let at = n % bytes.len();
                    bytes[at] = byte;
                }
            }
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_load_target_holds_on_spliced_corpus_files(
        which in any::<prop::sample::Index>(),
        splices in prop::collection::vec(splice(), 1..12),
    ) {
        let corpus = corpus();
        let input = apply(corpus[which.index(corpus.len())].clone(), &splices);
        load_check::check(&input);
    }

    #[test]
    fn the_load_target_holds_on_random_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        load_check::check(&bytes);
    }

}

proptest! {
    // Each case parses the guide three times (a debug build): fewer cases.
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_fix_target_holds_on_random_edits_of_the_guide(
        which in any::<prop::sample::Index>(),
        cut in any::<prop::sample::Index>(),
        pieces in prop::collection::vec(0..DICTIONARY.len(), 0..4),
        raw in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        static GUIDE: OnceLock<(String, Vec<Scalar>)> = OnceLock::new();
        let (text, scalars) = GUIDE.get_or_init(|| {
            let text = std::fs::read_to_string(
                crate::common::project_content().join("guides/backend-engineer.yaml"),
            )
            .unwrap();
            let scalars = string_scalars(&text);
            (text, scalars)
        });
        let (pointer, start, end) = &scalars[which.index(scalars.len())];
        let to = floor_boundary(text, start + cut.index(end - start + 1));
        let mut replacement: String = pieces.iter().map(|&p| DICTIONARY[p]).collect();
        replacement.push_str(&String::from_utf8_lossy(&raw));
        fix_check::check(&fix_check::input(text, pointer, *start, to.max(*start), &replacement));
        // And the same bytes as the fuzzer would mangle them.
        let mut mangled = fix_check::input(text, pointer, *start, to.max(*start), &replacement);
        mangled.extend_from_slice(&raw);
        fix_check::check(&mangled);
    }
}
