//! What placing a finding costs, per file, on one thread: the two ways of
//! getting the span index of a file with a finding, side by side.
//!
//! - `one parse`: the index is recorded by the parse that builds the value
//!   (what `check` does);
//! - `re-parse to the node`: a parse, then a second parse that stops after
//!   the node the finding is on (the text up to the end of its last line);
//! - `re-parse whole`: a parse, then a second parse of the whole file with
//!   every problem tracked (what `check` did before).
//!
//! The first parse of the two re-parsing ways also records the index here;
//! without it, it costs what the floor of a build without the index costs
//! (see the README's design notes).
//!
//! Usage: `cargo bench --bench spans -- DIR POINTER [RUNS]`, e.g.
//! `benches/corpus/warning-2000/content/guides /career_path`.

use std::path::Path;
use std::time::Instant;

use guidepress::load::{self, LoadLimits, ParseOptions};

#[path = "support/mod.rs"]
mod support;
use support::yaml_files;

fn options(track_spans: bool) -> ParseOptions {
    ParseOptions {
        limits: LoadLimits::default(),
        track_spans,
        single_document: true,
    }
}

fn median(mut runs: Vec<f64>) -> f64 {
    runs.sort_by(f64::total_cmp);
    runs[runs.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let (Some(dir), Some(pointer)) = (args.first(), args.get(1)) else {
        eprintln!("usage: cargo bench --bench spans -- DIR POINTER [RUNS]");
        return;
    };
    let runs: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(5);
    let mut files = Vec::new();
    yaml_files(Path::new(dir), &mut files);
    let texts: Vec<String> = files
        .iter()
        .map(|path| std::fs::read_to_string(path).expect("readable corpus"))
        .collect();
    // Where each file's node ends: the end of its last line.
    let prefixes: Vec<usize> = texts
        .iter()
        .map(|text| {
            let parsed = load::parse(text, &options(false));
            let end = parsed
                .spans
                .get(pointer)
                .map_or(text.len(), |n| n.value.end);
            text[end..].find('\n').map_or(text.len(), |i| end + i + 1)
        })
        .collect();
    let time = |work: &dyn Fn(&str, usize) -> usize| {
        median(
            (0..runs)
                .map(|_| {
                    let start = Instant::now();
                    let mut found = 0;
                    for (text, prefix) in texts.iter().zip(&prefixes) {
                        found += work(text, *prefix);
                    }
                    assert_eq!(found, texts.len());
                    start.elapsed().as_secs_f64()
                })
                .collect(),
        )
    };
    let lookup = |spans: &load::SpanIndex| usize::from(spans.get(pointer).is_some());
    let one = time(&|text, _| lookup(&load::parse(text, &options(false)).spans));
    let to_node = time(&|text, prefix| {
        let first = load::parse(text, &options(false));
        let again = load::parse(&text[..prefix], &options(true));
        usize::from(!first.documents.is_empty()) * lookup(&again.spans)
    });
    let whole = time(&|text, _| {
        let first = load::parse(text, &options(false));
        let again = load::parse(text, &options(true));
        usize::from(!first.documents.is_empty()) * lookup(&again.spans)
    });
    let share: f64 =
        prefixes.iter().sum::<usize>() as f64 / texts.iter().map(String::len).sum::<usize>() as f64;
    let n = texts.len() as f64;
    println!(
        "files\t{}\tnode {pointer} ends at {:.0}% of the text",
        texts.len(),
        share * 100.0
    );
    for (label, seconds) in [
        ("one parse", one),
        ("re-parse to the node", to_node),
        ("re-parse whole", whole),
    ] {
        println!("{label}\t{seconds:.4} s\t{:.1} µs/file", seconds / n * 1e6);
    }
}
