//! Runs every case of the YAML test suite through the loader: cases with
//! `in.json` must load to exactly that JSON (a stream of values, one per
//! document), cases with `error` must be rejected. Cases knowingly failed are
//! listed in `KNOWN_FAILURES` with the reason; any other failure fails the test.
//!
//! The suite's data is kept in `tests/yaml-test-suite` (MIT, see its `LICENSE`
//! and `PROVENANCE.md`); `GUIDEPRESS_YAML_SUITE` points the test at another copy.

use std::io::Write;
use std::path::{Path, PathBuf};

use guidepress::load::{self, ParseOptions};
use serde_json::Value;

/// Cases the loader knowingly rejects, with the reason.
const KNOWN_FAILURES: &[(&str, &str)] = &[
    (
        "2JQS",
        "two empty (null) keys in one mapping: as JSON object keys they are the same key, \
         so the loader reports a duplicate key, as a guide must not have one",
    ),
    (
        "X38W",
        "a list used twice as a key (once through an alias): JSON keys are text, \
         the two keys have the same text, so the loader reports a duplicate key",
    ),
];

fn suite_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("GUIDEPRESS_YAML_SUITE") {
        return dir.into();
    }
    crate::common::repo_path("tests/yaml-test-suite")
}

/// Every case folder: those holding `in.yaml`, including numbered sub-cases.
fn cases(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            }
        }
        if dir.join("in.yaml").is_file() {
            out.push(dir);
        }
    }
    out.sort();
    out
}

enum Outcome {
    Pass,
    Fail(String),
}

fn run_case(dir: &Path) -> Outcome {
    let yaml = match std::fs::read(dir.join("in.yaml")) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(error) => return Outcome::Fail(format!("unreadable: {error}")),
    };
    let parsed = load::parse(
        &yaml,
        &ParseOptions {
            track_spans: true,
            ..ParseOptions::default()
        },
    );
    for diagnostic in &parsed.diagnostics {
        if diagnostic.span.end > yaml.len() || !yaml.is_char_boundary(diagnostic.span.start) {
            return Outcome::Fail(format!("span {:?} outside the input", diagnostic.span));
        }
    }
    if dir.join("error").exists() {
        return if parsed.is_malformed() {
            Outcome::Pass
        } else {
            Outcome::Fail("accepted invalid YAML".into())
        };
    }
    if parsed.is_malformed() {
        let first = parsed
            .diagnostics
            .first()
            .map(|d| d.message.clone())
            .unwrap_or_default();
        return Outcome::Fail(format!("rejected valid YAML: {first}"));
    }
    let Ok(expected_text) = std::fs::read_to_string(dir.join("in.json")) else {
        // No JSON form (e.g. keys that JSON cannot hold): loading without a panic is the test.
        return Outcome::Pass;
    };
    let expected: Result<Vec<Value>, _> = serde_json::Deserializer::from_str(&expected_text)
        .into_iter::<Value>()
        .collect();
    let Ok(expected) = expected else {
        return Outcome::Fail("in.json is not a JSON stream".into());
    };
    if json_eq_all(&parsed.documents, &expected) {
        Outcome::Pass
    } else {
        Outcome::Fail(format!(
            "loaded {} but expected {}",
            serde_json::to_string(&parsed.documents).unwrap_or_default(),
            serde_json::to_string(&expected).unwrap_or_default()
        ))
    }
}

fn json_eq_all(a: &[Value], b: &[Value]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| json_eq(x, y))
}

/// Equality with numbers compared by value (`1` equals `1.0`).
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_eq(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

#[test]
fn yaml_test_suite() {
    let dir = suite_dir();
    assert!(
        dir.is_dir(),
        "YAML test suite not found at {}; set GUIDEPRESS_YAML_SUITE",
        dir.display()
    );
    let cases = cases(&dir);
    assert!(
        cases.len() > 300,
        "only {} cases found in {}",
        cases.len(),
        dir.display()
    );
    let mut passed = 0;
    let mut known = Vec::new();
    let mut unexpected = Vec::new();
    for case in &cases {
        let name = case
            .strip_prefix(&dir)
            .unwrap_or(case)
            .to_string_lossy()
            .replace('\\', "/");
        let outcome = std::panic::catch_unwind(|| run_case(case))
            .unwrap_or_else(|_| Outcome::Fail("panicked".into()));
        match outcome {
            Outcome::Pass => passed += 1,
            Outcome::Fail(reason) => {
                if KNOWN_FAILURES.iter().any(|(n, _)| *n == name) {
                    known.push(name);
                } else {
                    unexpected.push(format!("{name}: {reason}"));
                }
            }
        }
    }
    // Written straight to stderr so the count shows even when the test passes.
    let _ = writeln!(
        std::io::stderr(),
        "yaml-test-suite: {passed} of {} cases passed, {} known failures ({})",
        cases.len(),
        known.len(),
        known.join(", ")
    );
    assert!(
        unexpected.is_empty(),
        "{} unexpected failures:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
}
