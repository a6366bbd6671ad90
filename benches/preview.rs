//! Benchmark: `guidepress preview` over 2,000 copies of the bundled guide.
//! Usage: `cargo bench --bench preview -- [COPIES] [RUNS]` (default 2000 and 5).
//! Prints the best and median wall time of the release binary, with and
//! without `--annotate`.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with("--"));
    let copies: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(2000);
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join("target/bench-preview");
    let guides = corpus.join("content/guides");
    let _ = std::fs::remove_dir_all(&corpus);
    std::fs::create_dir_all(&guides).expect("corpus folder");
    std::fs::create_dir_all(corpus.join("content/authors")).expect("authors folder");
    let guide = std::fs::read_to_string(root.join("content/guides/backend-engineer.yaml"))
        .expect("the bundled guide");
    for i in 0..copies {
        std::fs::write(guides.join(format!("guide-{i:05}.yaml")), &guide).expect("copy");
    }
    std::fs::copy(
        root.join("content/authors/taylor-rupe.yaml"),
        corpus.join("content/authors/taylor-rupe.yaml"),
    )
    .expect("author");
    std::fs::write(
        corpus.join("guidepress.toml"),
        format!(
            "[[schemas]]\nfiles = \"content/guides/*.yaml\"\nschema = \"{0}/schemas/guide.schema.json\"\nkind = \"guide\"\n\n\
             [[schemas]]\nfiles = \"content/authors/*.yaml\"\nschema = \"{0}/schemas/author.schema.json\"\nkind = \"author\"\n",
            root.display()
        ),
    )
    .expect("config");
    let binary = env!("CARGO_BIN_EXE_guidepress");
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    println!("preview benchmark: {copies} copies of the bundled guide, {runs} runs, {cores} cores");
    for annotate in [false, true] {
        let mut times: Vec<Duration> = (0..runs)
            .map(|_| {
                let out = corpus.join("out");
                let _ = std::fs::remove_dir_all(&out);
                let mut command = Command::new(binary);
                command
                    .current_dir(&corpus)
                    .env("GUIDEPRESS_TODAY", "2026-11-30")
                    .args(["-q", "preview", "content/guides", "--out", "out"]);
                if annotate {
                    command.arg("--annotate");
                }
                let started = Instant::now();
                let status = command.status().expect("run guidepress");
                let elapsed = started.elapsed();
                assert!(status.success(), "guidepress preview failed");
                let written = std::fs::read_dir(&out).expect("output").count();
                assert_eq!(written, copies + 1, "one page per guide and the index");
                elapsed
            })
            .collect();
        times.sort();
        println!(
            "preview{}\t{copies} guides\tbest {:.3} s\tmedian {:.3} s",
            if annotate { " --annotate" } else { "" },
            times[0].as_secs_f64(),
            times[times.len() / 2].as_secs_f64()
        );
    }
}
