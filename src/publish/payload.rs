//! What a guide looks like in the CMS, and the content hash that makes
//! publishing idempotent and edits made in the CMS detectable.
//!
//! The *managed fields* are the attributes the mapping ([`Mapping`],
//! `[cms.fields]`) builds from the guide, normalised (no `null`s, no empty
//! lists), plus `sourcePath`. The hash is SHA-256 over their canonical JSON
//! rendering: object keys sorted, every number written as JavaScript writes
//! its double value (the CMS keeps JSON through JavaScript, so `17.0` comes
//! back as `17`: both hash alike). It is stored in the document's
//! `contentHash`. A CMS copy whose mapped attributes (read back and
//! projected through the same mapping) no longer hash to its `contentHash`
//! was edited outside guidepress.

use std::fmt::Write as _;

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::mapping::Mapping;

/// The value of `managedBy` on documents guidepress creates.
pub const MANAGED_BY: &str = "guidepress";

/// The attribute holding the guide's file.
pub const SOURCE_PATH: &str = "sourcePath";

/// The managed fields of one guide, as sent to the CMS.
#[derive(Debug, Clone, PartialEq)]
pub struct Payload {
    /// The guide's slug (the CMS key).
    pub slug: String,
    /// The file it came from, relative to the configuration's folder.
    pub source_path: String,
    /// The mapped attributes, normalised.
    attributes: Map<String, Value>,
    /// Mapped attributes the guide leaves empty, with the value that clears
    /// them (sent so an update clears them).
    empty: Vec<(String, Value)>,
    /// The content hash, computed with the payload (while the CMS is being
    /// listed): a run asks for it while planning, writing and checking each
    /// batch.
    hash: String,
}

impl Payload {
    /// The payload of a loaded guide value through the shipped Strapi's
    /// mapping; `None` when it has no string `slug`.
    pub fn from_guide(value: &Value, source_path: &str) -> Option<Payload> {
        Payload::mapped(value, source_path, &Mapping::builtin())
    }

    /// The payload of a loaded guide value through `mapping`; `None` when
    /// it has no string `slug`.
    pub fn mapped(value: &Value, source_path: &str, mapping: &Mapping) -> Option<Payload> {
        let slug = value.get("slug")?.as_str()?.to_owned();
        let attributes = mapping.forward(value);
        let empty = mapping
            .empty_values
            .iter()
            .filter(|(name, _)| !attributes.contains_key(*name))
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        let mut payload = Payload {
            slug,
            source_path: source_path.to_owned(),
            attributes,
            empty,
            hash: String::new(),
        };
        payload.hash = hash_fields(&payload.fields());
        Some(payload)
    }

    /// The managed fields as a JSON object (CMS attribute names).
    pub fn fields(&self) -> Map<String, Value> {
        let mut map = self.attributes.clone();
        map.insert(SOURCE_PATH.into(), Value::String(self.source_path.clone()));
        map
    }

    /// The content hash of the managed fields.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// The `data` object written to the CMS: managed fields (mapped
    /// attributes the guide leaves empty are cleared with `null`), hash, marker.
    pub fn to_data(&self) -> Value {
        let mut map = self.fields();
        for (name, value) in &self.empty {
            map.insert(name.clone(), value.clone());
        }
        map.insert("contentHash".into(), Value::String(self.hash.clone()));
        map.insert("managedBy".into(), Value::String(MANAGED_BY.into()));
        Value::Object(map)
    }
}

/// Hashes the managed fields found in `fields` (missing ones count as `null`).
pub fn hash_fields(fields: &Map<String, Value>) -> String {
    hash_with(fields, Numbers::JavaScript)
}

/// True when `fields` hash to `stored`, as written by this version or by
/// guidepress 0.1.0 (which wrote non-integral numbers in Rust's exponent
/// form, `5e-1`): documents published by either are recognised as untouched.
pub fn carries_hash(fields: &Map<String, Value>, stored: &str) -> bool {
    hash_with(fields, Numbers::JavaScript) == stored || hash_with(fields, Numbers::Legacy) == stored
}

/// How [`canonical`] spells numbers.
#[derive(Clone, Copy, PartialEq)]
enum Numbers {
    /// As JavaScript's `Number.prototype.toString` does.
    JavaScript,
    /// As guidepress 0.1.0 did: integral below 1e21 plain, others `{:e}`.
    Legacy,
}

fn hash_with(fields: &Map<String, Value>, numbers: Numbers) -> String {
    let mut text = String::new();
    canonical_object(fields, numbers, &mut text);
    let digest = Sha256::digest(text.as_bytes());
    let mut hex = String::with_capacity(7 + 64);
    hex.push_str("sha256:");
    for byte in digest {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// Writes `value` as canonical JSON: keys sorted by code point, no spaces,
/// numbers as doubles spelled as JavaScript's `Number.prototype.toString`
/// spells them (`0.5`, `12.5`, `1e+21`, `1e-7`), so one double has one
/// spelling, and it is the one the CMS (JSON through JavaScript) writes.
pub fn canonical(value: &Value, out: &mut String) {
    canonical_as(value, Numbers::JavaScript, out);
}

fn canonical_as(value: &Value, numbers: Numbers, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => canonical_number(n, numbers, out),
        Value::String(s) => canonical_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                canonical_as(item, numbers, out);
            }
            out.push(']');
        }
        Value::Object(map) => canonical_object(map, numbers, out),
    }
}

fn canonical_object(map: &Map<String, Value>, numbers: Numbers, out: &mut String) {
    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
    out.push('{');
    for (index, (key, value)) in entries.into_iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        canonical_string(key, out);
        out.push(':');
        canonical_as(value, numbers, out);
    }
    out.push('}');
}

fn canonical_string(s: &str, out: &mut String) {
    // serde_json's escaping is deterministic; only the rendering must be stable.
    out.push_str(&serde_json::to_string(s).unwrap_or_default());
}

fn canonical_number(n: &serde_json::Number, numbers: Numbers, out: &mut String) {
    // The CMS stores JSON through JavaScript: every number becomes a double.
    let Some(f) = n.as_f64() else {
        out.push_str(&n.to_string());
        return;
    };
    match numbers {
        Numbers::JavaScript => js_number(f, out),
        Numbers::Legacy if f == 0.0 => out.push('0'),
        Numbers::Legacy if f.fract() == 0.0 && f.abs() < 1e21 => {
            let _ = write!(out, "{f:.0}");
        }
        Numbers::Legacy => {
            let _ = write!(out, "{f:e}");
        }
    }
}

/// The shortest digits `s` (no trailing zero) and decimal point position `n`
/// with `0.s × 10^n` reading back as `x` (positive, finite), choosing as
/// ECMAScript does: of two candidates equally near `x`, the even one.
fn shortest_digits(x: f64) -> (String, i64) {
    // Rust's `{:e}` gives shortest round-trip digits, `d.ddde±x`.
    let split = |text: &str| -> (String, i64) {
        let (mantissa, exponent) = text.split_once('e').unwrap_or((text, "0"));
        let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
        (digits, exponent.parse::<i64>().unwrap_or(0) + 1)
    };
    let (digits, n) = split(&format!("{x:e}"));
    let k = digits.len();
    // A tie: `x` itself is written with exactly k + 1 digits, the last a 5
    // (a double's exact decimal has at most 767 significant digits).
    let (exact, exact_n) = split(&format!("{x:.800e}"));
    let exact = exact.trim_end_matches('0');
    if exact_n != n || exact.len() != k + 1 || !exact.ends_with('5') {
        return (digits, n);
    }
    let Ok(low) = exact[..k].parse::<u128>() else {
        return (digits, n);
    };
    let even = if low % 2 == 0 { low } else { low + 1 };
    let candidate = even.to_string();
    // A carry (…9 + 1) adds a digit: the point moves right by one.
    let moved = n + (candidate.len() as i64 - k as i64);
    let reads_back = format!("0.{candidate}e{moved}").parse::<f64>() == Ok(x);
    if !reads_back {
        return (digits, n);
    }
    (candidate.trim_end_matches('0').to_owned(), moved)
}

/// Writes `f` as ECMAScript's Number::toString (radix 10) does: the
/// shortest digits that read back as `f`, placed by the position of the
/// decimal point `n` (ECMA-262, 6.1.6.1.20).
pub fn js_number(f: f64, out: &mut String) {
    if f.is_nan() {
        out.push_str("NaN");
        return;
    }
    if f == 0.0 {
        out.push('0');
        return;
    }
    if f.is_infinite() {
        out.push_str(if f < 0.0 { "-Infinity" } else { "Infinity" });
        return;
    }
    if f < 0.0 {
        out.push('-');
    }
    let (digits, n) = shortest_digits(f.abs());
    let k = digits.len() as i64;
    if k <= n && n <= 21 {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', (n - k) as usize));
    } else if 0 < n && n <= 21 {
        out.push_str(&digits[..n as usize]);
        out.push('.');
        out.push_str(&digits[n as usize..]);
    } else if -6 < n && n <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-n) as usize));
        out.push_str(&digits);
    } else {
        out.push_str(&digits[..1]);
        if k > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let _ = write!(
            out,
            "e{}{}",
            if n - 1 < 0 { '-' } else { '+' },
            (n - 1).abs()
        );
    }
}

/// The managed fields whose values differ between `a` and `b` (top-level
/// attribute names; `--diff` shows the differing leaves under them).
pub fn differing_fields(a: &Map<String, Value>, b: &Map<String, Value>) -> Vec<String> {
    let mut names: Vec<&String> = a.keys().chain(b.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter(|name| {
            !same(
                a.get(*name).unwrap_or(&Value::Null),
                b.get(*name).unwrap_or(&Value::Null),
            )
        })
        .cloned()
        .collect()
}

/// Equal once canonicalized (key order and number spelling do not matter).
pub fn same(a: &Value, b: &Value) -> bool {
    let (mut x, mut y) = (String::new(), String::new());
    canonical(a, &mut x);
    canonical(b, &mut y);
    x == y
}

/// The value at a field path from [`differing_fields`] (`title`, `facts`).
pub fn field_value<'a>(fields: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    match path.split_once('.') {
        Some((head, key)) => fields.get(head)?.get(key),
        None => fields.get(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn payload() -> Payload {
        Payload::from_guide(
            &json!({"slug": "a", "title": "A", "status": "approved",
                    "facts": {"national_median_salary": 17.0, "annual_openings": 1}}),
            "content/guides/a.yaml",
        )
        .unwrap()
    }

    #[test]
    fn hash_ignores_key_order_and_number_spelling() {
        let p = payload();
        let reread: Map<String, Value> = serde_json::from_str(
            r#"{"sourcePath":"content/guides/a.yaml","facts":{"annualOpenings":1.0,"nationalMedianSalary":17},"title":"A","guideStatus":"approved","slug":"a"}"#,
        )
        .unwrap();
        assert_eq!(hash_fields(&reread), p.hash());
        assert!(p.hash().starts_with("sha256:"));
    }

    #[test]
    fn hash_changes_with_content_and_names_the_field() {
        let p = payload();
        let mut edited = p.fields();
        edited["facts"]["nationalMedianSalary"] = json!(18);
        edited["title"] = json!("B");
        assert_ne!(hash_fields(&edited), p.hash());
        assert_eq!(
            differing_fields(&p.fields(), &edited),
            vec!["facts", "title"]
        );
    }

    #[test]
    fn mapped_attributes_the_guide_leaves_empty_are_cleared() {
        let mut mapping = (*Mapping::builtin()).clone();
        assert!(
            !payload()
                .to_data()
                .as_object()
                .unwrap()
                .contains_key("role")
        );
        let attributes = serde_json::json!({"role": {"type": "string"},
            "salaryByState": {"type": "component", "repeatable": true}});
        mapping.learn_empty_values(attributes.as_object().unwrap());
        let guide = json!({"slug": "a", "title": "A"});
        let p = Payload::mapped(&guide, "a.yaml", &mapping).unwrap();
        let data = p.to_data();
        assert_eq!(data["role"], Value::Null);
        assert_eq!(data["salaryByState"], json!([]));
        assert!(!p.fields().contains_key("role"));
        assert_eq!(data["managedBy"], json!(MANAGED_BY));
    }

    #[test]
    fn numbers_render_like_javascript() {
        // What `node -e 'console.log(String(x))'` prints for each (the
        // integration test tests/it/js_numbers.rs asks node itself).
        let mut s = String::new();
        canonical(
            &json!([
                0.5, -0.0, 1e300, 12.5, 133080, 1e21, 1e-7, 0.000001, 123e-20, -1.5
            ]),
            &mut s,
        );
        assert_eq!(
            s,
            "[0.5,0,1e+300,12.5,133080,1e+21,1e-7,0.000001,1.23e-18,-1.5]"
        );
    }

    #[test]
    fn documents_hashed_by_0_1_0_are_still_recognised() {
        let p = Payload::from_guide(&json!({"slug": "a"}), "a.yaml").unwrap();
        let mut fields = p.fields();
        fields.insert("x".into(), json!(0.5));
        let p_hash = hash_fields(&fields);
        let legacy = hash_with(&fields, Numbers::Legacy);
        assert_ne!(legacy, p_hash, "0.5 is spelled differently");
        assert!(carries_hash(&fields, &legacy));
        assert!(carries_hash(&fields, &p_hash));
        let mut edited = fields.clone();
        edited["x"] = json!(0.25);
        assert!(!carries_hash(&edited, &legacy));
    }
}
