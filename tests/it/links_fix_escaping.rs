//! `--fix` of a permanent redirect whose `Location` is hostile: flow
//! indicators, quotes, brackets, parentheses, spaces. In every scalar style
//! and Markdown context the fixed file still loads to the same structure,
//! and every fixed address reaches the page the server redirected to.

use crate::common;

use std::path::Path;
use std::process::Output;

use crate::common::cli::text;
use crate::links_support::{TestServer, decode, encode};
use serde_json::Value;

fn guidepress(dir: &Path, args: &[&str]) -> Output {
    // The link cache key, so that no key file is made in the home folder.
    common::cli::run_with(
        dir,
        args,
        &[
            ("NO_COLOR", "1"),
            ("GUIDEPRESS_LINKS_CACHE_KEY", "test key"),
        ],
    )
}

/// The Location the server sends for context `i`: a path full of characters
/// that end scalars, flow collections and Markdown links.
fn hostile(i: usize) -> String {
    format!("/n/{i}/ok,injected: x'y\"z]w}}v)u(t g")
}

/// The document with every address-holding string blanked: its shape and
/// every other value must survive the fix unchanged.
fn shape(value: &Value) -> Value {
    match value {
        Value::String(s) if s.contains("http") => Value::String(String::new()),
        Value::Array(items) => Value::Array(items.iter().map(shape).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), shape(v))).collect())
        }
        other => other.clone(),
    }
}

fn dump(dir: &Path) -> Value {
    let out = guidepress(dir, &["dump", "content/guides/pay.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_hostile_location_is_written_so_that_it_loads_back_in_every_context() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let server = rt.block_on(TestServer::start());
    let u = |i: usize| server.url(&format!("/redirect-permanent?to={}", encode(&hostile(i))));
    let guide = format!(
        "slug: pay\n\
         sources:\n  - {{id: a, url: {}}}\n  - id: b\n    url: '{}'\n  - id: c\n    url: \"{}\"\n  - id: d\n    url: {} # comment\n\
         links: [{}, x]\n\
         body: |\n  See [x]({}) and <{}> and {}.\n\
         summary: See [y]({}) now\n\
         quoted: 'In [z]({}) it''s here'\n",
        u(1),
        u(2),
        u(3),
        u(4),
        u(5),
        u(6),
        u(7),
        u(8),
        u(9),
        u(10)
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("guidepress.toml"),
        "schemas = []\n[links]\ntimeout = 5\nmax_retries = 0\nhost_interval = 0\ncache = false\nallow_net = [\"127.0.0.1\"]\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("content/guides")).unwrap();
    std::fs::write(dir.path().join("content/guides/pay.yaml"), &guide).unwrap();
    let before = dump(dir.path());

    let out = guidepress(
        dir.path(),
        &["links", "--fix", "--output-format", "concise"],
    );
    assert!(
        text(&out.stderr).contains("Fixed 10 findings in 1 file."),
        "{}\n{}",
        text(&out.stderr),
        text(&out.stdout)
    );
    let fixed = std::fs::read_to_string(dir.path().join("content/guides/pay.yaml")).unwrap();
    let after = dump(dir.path());
    assert_eq!(shape(&after), shape(&before), "{fixed}");
    assert!(fixed.contains("# comment"), "{fixed}");
    assert!(!fixed.contains("/redirect-permanent"), "{fixed}");

    // Checked again: every address now reaches its page directly.
    let out = guidepress(dir.path(), &["links", "--output-format", "concise"]);
    assert_eq!(out.status.code(), Some(0), "{}\n{fixed}", text(&out.stdout));
    assert!(!text(&out.stdout).contains("GP4"), "{}", text(&out.stdout));
    for i in 1..=10 {
        let reached = server
            .log()
            .iter()
            .filter(|l| decode(&l.path) == hostile(i))
            .count();
        assert!(
            reached >= 2,
            "context {i} no longer reaches {}: {fixed}",
            hostile(i)
        );
    }
}
