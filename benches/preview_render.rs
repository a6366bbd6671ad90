//! Benchmark: `guidepress preview` over 2,000 copies of the bundled guide.
//! Usage: `cargo bench --bench preview_render -- [COPIES] [RUNS]` (default 2000
//! and 5). Under `cargo test` (no `--bench` flag) it runs once over 20 copies,
//! as a check that the benchmark works.
//! Prints the best and median wall time of the release binary, with and
//! without `--annotate`, and the CPU time it used (user + system, read from
//! `/proc/self/stat` on Linux): on a machine busy with other work the wall
//! time grows, the CPU time does not, and CPU time / cores bounds what the
//! run takes on that many idle cores.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// CPU seconds (user + system) used by the children waited for so far; 0 where unknown.
fn children_cpu() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which is in parentheses and may hold spaces).
    let Some(rest) = stat.rsplit_once(')').map(|(_, rest)| rest) else {
        return 0.0;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // cutime and cstime are fields 16 and 17 of the whole line, in clock ticks (100 a second on Linux).
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(13) + ticks(14)) / 100.0
}

fn main() {
    let benching = std::env::args().any(|a| a == "--bench");
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with("--"));
    let (default_copies, default_runs) = if benching { (2000, 5) } else { (20, 1) };
    let copies: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(default_copies);
    let runs: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(default_runs);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join(if benching {
        "target/bench-preview"
    } else {
        "target/bench-preview-smoke"
    });
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
        let cpu_before = children_cpu();
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
        #[allow(clippy::cast_precision_loss)]
        let cpu = (children_cpu() - cpu_before) / runs as f64;
        times.sort();
        println!(
            "preview{}\t{copies} guides\tbest {:.3} s\tmedian {:.3} s\tCPU {cpu:.2} s a run",
            if annotate { " --annotate" } else { "" },
            times[0].as_secs_f64(),
            times[times.len() / 2].as_secs_f64()
        );
    }
}
