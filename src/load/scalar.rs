//! YAML 1.2 core schema: what a scalar means as JSON.
//!
//! Only plain (unquoted) scalars are resolved; quoted and block scalars are
//! strings. Unlike YAML 1.1, `yes`, `no`, `on`, `off`, `y`, `n` are strings.

use saphyr_parser::{ScalarStyle, Tag};
use serde_json::{Number, Value};

/// The JSON value of a scalar with the given style and tag.
pub fn resolve(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Value {
    if let Some(tag) = tag {
        if let Some(value) = resolve_tagged(text, tag) {
            return value;
        }
    }
    if style != ScalarStyle::Plain {
        return Value::String(text.to_owned());
    }
    resolve_plain(text)
}

fn resolve_tagged(text: &str, tag: &Tag) -> Option<Value> {
    // `!` alone is the non-specific tag: always a string. The scanner gives it
    // as an empty handle with the suffix `!`.
    if (tag.handle.is_empty() && tag.suffix == "!") || (tag.handle == "!" && tag.suffix.is_empty())
    {
        return Some(Value::String(text.to_owned()));
    }
    if !tag.is_yaml_core_schema() {
        return None;
    }
    match tag.suffix.as_str() {
        "str" => Some(Value::String(text.to_owned())),
        "null" => Some(Value::Null),
        "bool" => parse_bool(text).map(Value::Bool),
        "int" => parse_int(text),
        "float" => parse_float(text).or_else(|| parse_int(text)),
        _ => None,
    }
}

/// True when the scalar is a number too large for a JSON number (`1e400`, a
/// 400-digit integer): it resolved to null without being a null.
pub fn is_out_of_range(text: &str, style: ScalarStyle, tag: Option<&Tag>, value: &Value) -> bool {
    if !value.is_null() {
        return false;
    }
    let tagged_null = tag.is_some_and(|t| t.is_yaml_core_schema() && t.suffix == "null");
    !(tagged_null || (style == ScalarStyle::Plain && is_null(text)))
}

/// Resolves a plain scalar by the core schema's regular expressions.
pub fn resolve_plain(text: &str) -> Value {
    if is_null(text) {
        return Value::Null;
    }
    if let Some(b) = parse_bool(text) {
        return Value::Bool(b);
    }
    if let Some(v) = parse_int(text) {
        return v;
    }
    if let Some(v) = parse_float(text) {
        return v;
    }
    Value::String(text.to_owned())
}

/// True when a plain scalar is a string under the core schema.
pub fn plain_is_string(text: &str) -> bool {
    matches!(resolve_plain(text), Value::String(_))
}

fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

fn parse_int(text: &str) -> Option<Value> {
    let (digits, radix) = if let Some(rest) = text.strip_prefix("0o") {
        (rest, 8)
    } else if let Some(rest) = text.strip_prefix("0x") {
        (rest, 16)
    } else {
        let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
        if unsigned.is_empty() || !unsigned.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        return Some(decimal_int(text));
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    // Larger than u64: out of range (null, reported by the loader), never
    // turned into a float: an integer as written stays one or is an error.
    Some(u64::from_str_radix(digits, radix).map_or(Value::Null, |n| Value::Number(n.into())))
}

fn decimal_int(text: &str) -> Value {
    let text = text.strip_prefix('+').unwrap_or(text);
    if let Ok(n) = text.parse::<i64>() {
        return Value::Number(n.into());
    }
    if let Ok(n) = text.parse::<u64>() {
        return Value::Number(n.into());
    }
    // Beyond 64 bits: out of range (see `parse_int`).
    Value::Null
}

/// True when a plain scalar is written as an integer (`12`, `-3`, `0x1F`, `0o17`).
pub fn is_integer_text(text: &str) -> bool {
    let digits = |s: &str, radix: u32| !s.is_empty() && s.chars().all(|c| c.is_digit(radix));
    if let Some(rest) = text.strip_prefix("0o") {
        return digits(rest, 8);
    }
    if let Some(rest) = text.strip_prefix("0x") {
        return digits(rest, 16);
    }
    digits(text.strip_prefix(['-', '+']).unwrap_or(text), 10)
}

fn parse_float(text: &str) -> Option<Value> {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") || matches!(text, ".nan" | ".NaN" | ".NAN") {
        // JSON has no infinity or NaN; keep the writer's text.
        return Some(Value::String(text.to_owned()));
    }
    if !is_core_float(unsigned) {
        return None;
    }
    let number: f64 = text.parse().ok()?;
    Some(float_value(number))
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` without the sign.
fn is_core_float(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    let int_digits = count_digits(&bytes[i..]);
    i += int_digits;
    let mut frac_digits = 0;
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = count_digits(&bytes[i..]);
        i += frac_digits;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let exp_digits = count_digits(&bytes[i..]);
        if exp_digits == 0 {
            return false;
        }
        i += exp_digits;
    }
    i == bytes.len()
}

fn count_digits(bytes: &[u8]) -> usize {
    bytes.iter().take_while(|b| b.is_ascii_digit()).count()
}

fn float_value(number: f64) -> Value {
    Number::from_f64(number).map_or(Value::Null, Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn yaml_1_1_booleans_are_strings() {
        for word in ["yes", "no", "NO", "on", "off", "y", "n", "Yes"] {
            assert_eq!(resolve_plain(word), json!(word), "{word}");
        }
    }

    #[test]
    fn integers_beyond_64_bits_are_out_of_range_not_floats() {
        for text in [
            "999999999999999999999999",
            "18446744073709551616",
            "-9223372036854775809",
            "0x10000000000000000",
        ] {
            let value = resolve_plain(text);
            assert_eq!(value, Value::Null, "{text}");
            assert!(
                is_out_of_range(text, ScalarStyle::Plain, None, &value),
                "{text}"
            );
            assert!(is_integer_text(text), "{text}");
        }
        assert!(!is_integer_text("1e3"));
        assert!(!is_integer_text("1.0"));
    }

    #[test]
    fn core_schema_values() {
        assert_eq!(resolve_plain("true"), json!(true));
        assert_eq!(resolve_plain("~"), Value::Null);
        assert_eq!(resolve_plain("133080"), json!(133080));
        assert_eq!(resolve_plain("-5"), json!(-5));
        assert_eq!(resolve_plain("+5"), json!(5));
        assert_eq!(resolve_plain("12.5"), json!(12.5));
        assert_eq!(resolve_plain("1e3"), json!(1000.0));
        assert!(
            resolve_plain("13598e1")
                .as_f64()
                .is_some_and(|f| f == 135980.0)
        );
        assert!(resolve_plain("13598e1").is_f64());
        assert!(resolve_plain("0.0").is_f64());
        assert_eq!(resolve_plain("18446744073709551615"), json!(u64::MAX));
        assert_eq!(resolve_plain("-9223372036854775808"), json!(i64::MIN));
        assert_eq!(resolve_plain("0x1F"), json!(31));
        assert_eq!(resolve_plain("0o17"), json!(15));
        assert_eq!(resolve_plain("15-1252"), json!("15-1252"));
        assert_eq!(resolve_plain("2026-05-01"), json!("2026-05-01"));
        assert_eq!(resolve_plain("1_000"), json!("1_000"));
        assert_eq!(resolve_plain("."), json!("."));
    }
}
