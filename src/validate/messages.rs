//! Turns schema violations into diagnostics a writer understands: the field
//! named in the writer's terms, the allowed values where there are few, a hint
//! taken from the schema's own `description` and `examples`.

use serde_json::Value;

use super::{SchemaError, SchemaErrorKind};
use crate::codes;
use crate::decimal::DecimalParts;
use crate::diagnostic::{Diagnostic, Span};
use crate::load::span_index::{SpanIndex, escape_token, tokens};
use crate::source::SourceFile;

/// Places `error` in the source and words it: one diagnostic, or one per
/// unexpected field for an `additionalProperties` error.
pub fn to_diagnostics(
    error: &SchemaError,
    schema: &Value,
    instance: &Value,
    spans: &SpanIndex,
    source: &SourceFile,
) -> Vec<Diagnostic> {
    if matches!(error.kind, SchemaErrorKind::Unknown(_)) {
        return unknown_fields(error, schema, spans, source);
    }
    vec![to_diagnostic(error, schema, instance, spans, source)]
}

fn to_diagnostic(
    error: &SchemaError,
    schema: &Value,
    instance: &Value,
    spans: &SpanIndex,
    source: &SourceFile,
) -> Diagnostic {
    let subschema = schema.pointer(&error.subschema).unwrap_or(&Value::Null);
    let field = field_name(&error.pointer);
    let found = instance.pointer(&error.pointer);
    let value_span = value_span(spans, &error.pointer, source);
    let diagnostic = match &error.kind {
        SchemaErrorKind::Missing(name) => {
            let property = subschema.pointer(&format!("/properties/{}", escape_token(name)));
            let mut help = format!("add `{name}:`");
            if let Some(text) = property.and_then(describe) {
                help.push_str(" — ");
                help.push_str(&text);
            }
            let whole = if error.pointer.is_empty() {
                "the file".to_owned()
            } else {
                format!("`{field}`")
            };
            Diagnostic::error(
                codes::MISSING_FIELD,
                format!("Required field `{name}` is missing from {whole}."),
                key_span(spans, &error.pointer, source),
            )
            .with_span_label(format!("`{name}` missing here"))
            .with_help(help)
        }
        SchemaErrorKind::Unknown(names) => {
            let name = names.first().cloned().unwrap_or_default();
            return unknown_field(error, subschema, &name, spans, source);
        }
        SchemaErrorKind::Type => {
            let expected = expected_type(subschema);
            let mut diagnostic = Diagnostic::error(
                codes::WRONG_TYPE,
                format!(
                    "`{field}` must be {expected}, but it is {}.",
                    describe_value(found)
                ),
                value_span,
            )
            .with_span_label(format!("expected {expected}"));
            let wants_number = matches!(
                subschema.get("type").and_then(Value::as_str),
                Some("integer" | "number")
            );
            let wants_integer = subschema.get("type").and_then(Value::as_str) == Some("integer");
            if let (true, Some(Value::Number(number))) = (wants_integer, found) {
                let whole = number
                    .as_f64()
                    .filter(|f| number.is_f64() && f.fract() == 0.0 && f.abs() < 1e15);
                diagnostic = diagnostic.with_help(match whole {
                    #[allow(clippy::cast_possible_truncation)]
                    Some(f) => format!(
                        "write it as a whole number, without a decimal point or exponent: `{}`",
                        f as i64
                    ),
                    None => "write a whole number, without a decimal point or exponent".to_owned(),
                });
            }
            if let (true, Some(Value::String(text))) = (wants_number, found) {
                if let Some(number) = as_plain_number(text) {
                    diagnostic = diagnostic.with_help(format!(
                        "write the number without quotes, `$`, `%` or thousands separators: `{number}`"
                    ));
                }
            }
            if diagnostic.help.is_none() {
                if let Some(text) = describe(subschema) {
                    diagnostic = diagnostic.with_help(text);
                }
            }
            diagnostic
        }
        SchemaErrorKind::Enum(options) => {
            let allowed = list_values(options);
            let found_text = found.map(short_value).unwrap_or_default();
            let mut diagnostic = Diagnostic::error(
                codes::NOT_ALLOWED,
                if options.len() <= 12 {
                    format!("`{field}` must be one of {allowed}; it is {found_text}.")
                } else {
                    format!("`{field}` is not an allowed value: {found_text}.")
                },
                value_span,
            )
            .with_span_label("not an allowed value");
            let candidates: Vec<&str> = options.iter().filter_map(Value::as_str).collect();
            let typed = found.and_then(Value::as_str).unwrap_or_default();
            if let Some(best) = closest(typed, &candidates) {
                diagnostic = diagnostic.with_help(format!("did you mean `{best}`?"));
            } else if let Some(text) = describe(subschema) {
                diagnostic = diagnostic.with_help(text);
            }
            diagnostic
        }
        SchemaErrorKind::Const(expected) => Diagnostic::error(
            codes::NOT_ALLOWED,
            format!(
                "`{field}` must be {}; it is {}.",
                short_value(expected),
                found.map(short_value).unwrap_or_default()
            ),
            value_span,
        ),
        SchemaErrorKind::Pattern(pattern) => {
            let mut diagnostic = Diagnostic::error(
                codes::PATTERN_MISMATCH,
                format!(
                    "`{field}` does not have the required form: {} does not match `{pattern}`.",
                    found.map(short_value).unwrap_or_default()
                ),
                value_span,
            )
            .with_span_label("wrong form");
            let mut help = Vec::new();
            if let Some(examples) = examples(subschema) {
                help.push(format!("expected something like {examples}"));
            }
            if let Some(text) = describe(subschema) {
                help.push(text);
            }
            if !help.is_empty() {
                diagnostic = diagnostic.with_help(help.join("; "));
            }
            diagnostic
        }
        SchemaErrorKind::Format(format) => {
            let (what, hint) = match format.as_str() {
                "date" => (
                    "a valid date",
                    "write dates as YYYY-MM-DD, for example `2026-05-01`",
                ),
                "uri" | "iri" => (
                    "a valid absolute URL",
                    "write the full address, starting with `https://`",
                ),
                "email" => ("a valid email address", "write it as `name@example.com`"),
                _ => ("in the expected format", ""),
            };
            let mut diagnostic = Diagnostic::error(
                codes::INVALID_FORMAT,
                format!(
                    "`{field}` is not {what} ({format}): {}.",
                    found.map(short_value).unwrap_or_default()
                ),
                value_span,
            )
            .with_span_label(format!("not a valid {format}"));
            if !hint.is_empty() {
                diagnostic = diagnostic.with_help(hint);
            }
            diagnostic
        }
        SchemaErrorKind::Bound(keyword, limit) => {
            let relation = match *keyword {
                "minimum" => "at least",
                "maximum" => "at most",
                "exclusiveMinimum" => "greater than",
                _ => "less than",
            };
            let mut diagnostic = Diagnostic::error(
                codes::OUT_OF_RANGE,
                format!(
                    "`{field}` must be {relation} {limit}; it is {}.",
                    found.map(short_value).unwrap_or_default()
                ),
                value_span,
            )
            .with_span_label(format!("must be {relation} {limit}"));
            if let Some(text) = describe(subschema) {
                diagnostic = diagnostic.with_help(text);
            }
            diagnostic
        }
        SchemaErrorKind::Length(keyword, limit) => {
            let message = match (*keyword, limit) {
                ("minLength", 1) => format!("`{field}` must not be empty."),
                ("minLength", n) => format!("`{field}` must be at least {n} characters long."),
                (_, n) => format!("`{field}` must be at most {n} characters long."),
            };
            let mut diagnostic = Diagnostic::error(codes::BAD_LENGTH, message, value_span);
            if let Some(text) = describe(subschema) {
                diagnostic = diagnostic.with_help(text);
            }
            diagnostic
        }
        SchemaErrorKind::Items(keyword, limit) => {
            let count = found.and_then(Value::as_array).map_or(0, Vec::len);
            let (relation, noun) = (
                if *keyword == "minItems" {
                    "at least"
                } else {
                    "at most"
                },
                if *limit == 1 { "item" } else { "items" },
            );
            Diagnostic::error(
                codes::BAD_LIST,
                format!("`{field}` must have {relation} {limit} {noun}; it has {count}."),
                value_span,
            )
            .with_help(
                describe(subschema)
                    .unwrap_or_else(|| format!("give `{field}` {relation} {limit} {noun}")),
            )
        }
        SchemaErrorKind::Unique => Diagnostic::error(
            codes::BAD_LIST,
            format!("`{field}` lists the same item more than once."),
            value_span,
        )
        .with_help("remove the repeated item"),
        SchemaErrorKind::Other => Diagnostic::error(
            codes::SCHEMA_VIOLATION,
            format!(
                "`{field}` breaks a schema rule: {}.",
                error.fallback.trim_end_matches('.')
            ),
            value_span,
        ),
    };
    diagnostic.with_pointer(error.pointer.clone())
}

/// All diagnostics for one error (an unknown-properties error names several keys).
fn unknown_fields(
    error: &SchemaError,
    schema: &Value,
    spans: &SpanIndex,
    source: &SourceFile,
) -> Vec<Diagnostic> {
    let SchemaErrorKind::Unknown(names) = &error.kind else {
        return Vec::new();
    };
    let subschema = schema.pointer(&error.subschema).unwrap_or(&Value::Null);
    names
        .iter()
        .map(|name| unknown_field(error, subschema, name, spans, source))
        .collect()
}

fn unknown_field(
    error: &SchemaError,
    subschema: &Value,
    name: &str,
    spans: &SpanIndex,
    source: &SourceFile,
) -> Diagnostic {
    let pointer = format!("{}/{}", error.pointer, escape_token(name));
    let known: Vec<&str> = subschema
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let place = if error.pointer.is_empty() {
        "a guide".to_owned()
    } else {
        format!("`{}`", field_name(&error.pointer))
    };
    let help = if let Some(best) = closest(name, &known) {
        format!("did you mean `{best}`?")
    } else if !known.is_empty() && known.len() <= 10 {
        format!(
            "fields allowed here: {}",
            known
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    } else {
        "remove it, or check the field names in the schema".to_owned()
    };
    Diagnostic::error(
        codes::UNKNOWN_FIELD,
        format!("Unknown field `{name}` in {place}."),
        key_span(spans, &pointer, source),
    )
    .with_span_label("not part of the content model")
    .with_help(help)
    .with_pointer(pointer)
}

/// `/salary_by_state/2/vs_national_pct` → `salary_by_state[2].vs_national_pct`.
pub fn field_name(pointer: &str) -> String {
    let mut name = String::new();
    for token in tokens(pointer) {
        if token.bytes().all(|b| b.is_ascii_digit()) && !token.is_empty() {
            name.push('[');
            name.push_str(&token);
            name.push(']');
        } else {
            if !name.is_empty() {
                name.push('.');
            }
            name.push_str(&token);
        }
    }
    if name.is_empty() {
        "(the whole file)".to_owned()
    } else {
        name
    }
}

fn value_span(spans: &SpanIndex, pointer: &str, source: &SourceFile) -> Span {
    spans
        .value_span(pointer)
        .unwrap_or_else(|| first_line(source))
}

/// The key of the node at `pointer` (or the first line, for the root).
fn key_span(spans: &SpanIndex, pointer: &str, source: &SourceFile) -> Span {
    match spans.nearest(pointer) {
        Some((_, node)) => node.key.unwrap_or_else(|| {
            // A list item or the root: its first line.
            let line = source.line_index(node.value.start);
            let end = source.line_start(line) + source.line_text(line).len();
            Span::new(node.value.start, end.max(node.value.start))
        }),
        None => first_line(source),
    }
}

fn first_line(source: &SourceFile) -> Span {
    Span::new(0, source.line_text(0).len())
}

fn describe(schema: &Value) -> Option<String> {
    let text = schema.get("description")?.as_str()?;
    Some(text.trim_end_matches('.').to_owned())
}

fn examples(schema: &Value) -> Option<String> {
    let list = schema.get("examples")?.as_array()?;
    if list.is_empty() {
        return None;
    }
    Some(
        list.iter()
            .take(3)
            .map(short_value)
            .collect::<Vec<_>>()
            .join(" or "),
    )
}

fn expected_type(schema: &Value) -> String {
    let name = |t: &str| match t {
        "integer" => "a whole number",
        "number" => "a number",
        "string" => "text",
        "object" => "a mapping of fields",
        "array" => "a list",
        "boolean" => "true or false",
        "null" => "empty",
        _ => "another type",
    };
    match schema.get("type") {
        Some(Value::String(t)) => name(t).to_owned(),
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .map(name)
            .collect::<Vec<_>>()
            .join(" or "),
        _ => "another type".to_owned(),
    }
}

fn describe_value(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "empty".to_owned(),
        Some(Value::Bool(b)) => format!("the boolean `{b}`"),
        Some(Value::Number(n)) => format!("the number `{n}`"),
        Some(Value::String(s)) => format!("the text {}", short_value(&Value::String(s.clone()))),
        Some(Value::Array(_)) => "a list".to_owned(),
        Some(Value::Object(_)) => "a mapping".to_owned(),
    }
}

fn short_value(value: &Value) -> String {
    let text = match value {
        Value::String(s) => format!("\"{s}\""),
        other => other.to_string(),
    };
    if text.chars().count() > 60 {
        let cut: String = text.chars().take(57).collect();
        format!("`{cut}...`")
    } else {
        format!("`{text}`")
    }
}

fn list_values(options: &[Value]) -> String {
    options
        .iter()
        .map(|v| match v {
            Value::String(s) => format!("`{s}`"),
            other => format!("`{other}`"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// "$133,080", "17%", "1,234.5" → the plain number, when the text is one.
fn as_plain_number(text: &str) -> Option<String> {
    let cleaned: String = text
        .trim()
        .trim_start_matches('$')
        .trim_end_matches('%')
        .chars()
        .filter(|c| *c != ',' && *c != '_')
        .collect();
    DecimalParts::split(&cleaned).is_some().then_some(cleaned)
}

/// The candidate closest to `name` by edit distance, when it is close enough to be a typo.
pub fn closest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lower = name.to_lowercase();
    candidates
        .iter()
        .map(|c| (edit_distance(&lower, &c.to_lowercase()), *c))
        .filter(|(d, c)| {
            *d <= (c.chars().count().max(3) / 3).max(1) || c.eq_ignore_ascii_case(name)
        })
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_read_like_paths() {
        assert_eq!(
            field_name("/salary_by_state/2/vs_national_pct"),
            "salary_by_state[2].vs_national_pct"
        );
        assert_eq!(field_name("/a~1b"), "a/b");
        assert_eq!(field_name(""), "(the whole file)");
    }

    #[test]
    fn closest_finds_typos_only() {
        let known = ["median_salary", "state", "employed", "vs_national_pct"];
        assert_eq!(closest("median_salery", &known), Some("median_salary"));
        assert_eq!(closest("State", &known), Some("state"));
        assert_eq!(closest("population", &known), None);
    }

    #[test]
    fn plain_numbers_from_formatted_text() {
        assert_eq!(as_plain_number("$133,080").as_deref(), Some("133080"));
        assert_eq!(as_plain_number("+34%").as_deref(), Some("+34"));
        assert_eq!(as_plain_number("n/a"), None);
    }
}
