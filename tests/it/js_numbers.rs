//! The content hash spells numbers as JavaScript does (the CMS keeps JSON
//! through JavaScript): `guidepress::publish::payload::canonical` against
//! what Node.js's `String(x)` prints, for chosen and random doubles. Node.js
//! is needed (`bash scripts/test.sh` runs where it is; the VS Code and
//! browser tests need it too); without it the test fails.

use std::io::Write;
use std::process::{Command, Stdio};

use guidepress::publish::payload::canonical;

/// The doubles to compare: edges of every branch of Number::toString, then
/// random bit patterns and random decimals (a fixed seed: the same run each time).
fn values() -> Vec<f64> {
    let mut values = vec![
        0.0,
        -0.0,
        0.5,
        12.5,
        133080.0,
        1.0,
        -1.0,
        0.1,
        0.2,
        0.30000000000000004,
        1e21,
        1e20,
        123456789012345680000.0,
        1e-6,
        1e-7,
        0.000001234,
        1.5e-7,
        1e300,
        1e-300,
        f64::MAX,
        f64::MIN_POSITIVE,
        5e-324,
        2f64.powi(53),
        2f64.powi(53) + 2.0,
        1e15 + 0.3,
        -123.456,
        17.0,
        99999999999999999999.0,
        4.35,
        0.57,
        1.0 / 3.0,
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    while values.len() < 3000 {
        let bits = next();
        let f = f64::from_bits(bits);
        if f.is_finite() {
            values.push(f);
        }
        // Figures as guides hold them: cents, percentages, small exponents.
        let cents = (next() % 100_000_000) as f64 / 100.0;
        values.push(cents);
        values.push(cents * 10f64.powi((next() % 40) as i32 - 20));
    }
    values
}

#[test]
fn numbers_are_spelled_as_javascript_spells_them() {
    let values = values();
    let input = serde_json::to_string(&values).unwrap();
    let mut node = Command::new("node")
        .args([
            "-e",
            "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>\
             console.log(JSON.parse(s).map(String).join('\\n')))",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node runs (Node.js is needed for this test)");
    node.stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = node.wait_with_output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let expected = String::from_utf8(output.stdout).unwrap();
    let expected: Vec<&str> = expected.lines().collect();
    assert_eq!(expected.len(), values.len());
    let mut wrong = Vec::new();
    for (value, js) in values.iter().zip(&expected) {
        let mut ours = String::new();
        canonical(&serde_json::json!(value), &mut ours);
        if ours != *js {
            wrong.push(format!("{value:?}: JavaScript {js}, guidepress {ours}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {}:\n{}",
        wrong.len(),
        values.len(),
        wrong[..wrong.len().min(20)].join("\n")
    );
}
