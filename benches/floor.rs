//! The floor for `guidepress check`: only read and parse the same files, in
//! parallel as `check` does. `benches/check.sh` prints it beside the full check.
//!
//! Usage: `cargo bench --bench floor -- DIR [RUNS]`

use std::path::Path;
use std::time::Instant;

use guidepress::load::{self, LoadLimits, ParseOptions};
use rayon::prelude::*;

// The allocator the `guidepress` binary uses, so the floor is measured as
// `check` runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "support/mod.rs"]
mod support;
use support::yaml_files;

fn main() {
    // `cargo bench` passes `--bench`; skip flags.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let Some(dir) = args.first() else {
        eprintln!("usage: cargo bench --bench floor -- DIR [RUNS]");
        return;
    };
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    let mut files = Vec::new();
    yaml_files(Path::new(dir), &mut files);
    let options = ParseOptions {
        limits: LoadLimits::default(),
        track_spans: false,
        single_document: true,
    };
    let mut times = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let documents: usize = files
            .par_iter()
            .map(|path| {
                let text = std::fs::read_to_string(path).expect("readable corpus");
                load::parse(&text, &options).documents.len()
            })
            .sum();
        times.push(start.elapsed().as_secs_f64());
        assert_eq!(documents, files.len());
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    println!("floor\t{}\t{median:.4}", files.len());
}
