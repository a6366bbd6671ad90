//! The configuration reference, `reference/configuration.md`: every key of
//! `guidepress.toml` with its type, default and description, read from the
//! JSON Schema generated from the configuration types
//! ([`crate::config::Config::json_schema`], committed as
//! `schemas/guidepress.schema.json`).

use std::fmt::Write as _;

use serde_json::{Map, Value};

use super::{Page, escape_text};

/// The site path of the configuration reference.
pub const PATH: &str = "reference/configuration.md";

/// One key of a table: its full name (`links.timeout`, `schemas[].files`,
/// `links.hosts.<host>.headers`) and its schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    /// The full name, as the reference shows it.
    pub name: String,
    /// The type, in words.
    pub kind: String,
    /// The default, as TOML would write it, when there is one.
    pub default: Option<String>,
    /// The description, on one line.
    pub description: String,
}

/// One table of the configuration: its header as written in TOML and its keys.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// `[links]`, `[[schemas]]`, `[links.hosts."<host>"]`.
    pub header: String,
    /// The table's description.
    pub description: String,
    /// Its keys, in schema order.
    pub keys: Vec<Key>,
}

/// Follows a `$ref` into `$defs`.
fn resolve<'a>(schema: &'a Value, root: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference
            .strip_prefix("#/$defs/")
            .and_then(|name| root.get("$defs")?.get(name))
            .unwrap_or(schema),
        None => schema,
    }
}

fn description(schema: &Value) -> String {
    let text = schema
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or_default();
    escape_text(&text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The values of an enum (`oneOf` constants), with their descriptions.
fn constants(schema: &Value) -> Option<Vec<(String, String)>> {
    let variants = schema.get("oneOf")?.as_array()?;
    variants
        .iter()
        .map(|variant| {
            let value = variant.get("const")?.as_str()?.to_owned();
            Some((value, description(variant)))
        })
        .collect()
}

fn is_object(schema: &Value) -> bool {
    schema.get("properties").is_some()
}

/// The type of a value, in words.
fn kind(schema: &Value, root: &Value) -> String {
    let schema = resolve(schema, root);
    if let Some(values) = constants(schema) {
        let list: Vec<String> = values.iter().map(|(v, _)| format!("`\"{v}\"`")).collect();
        return format!("one of {}", list.join(", "));
    }
    if let Some(any) = schema.get("anyOf").and_then(Value::as_array) {
        let duration = any.iter().any(|s| {
            s.get("pattern")
                .and_then(Value::as_str)
                .is_some_and(|p| p.contains("ms|s|m"))
        });
        if duration {
            return "duration (`\"20s\"`, `\"1m\"`, `\"7d\"`, or seconds as a number)".to_owned();
        }
        let kinds: Vec<String> = any.iter().map(|s| kind(s, root)).collect();
        return kinds.join(" or ");
    }
    if is_object(schema) {
        return "table".to_owned();
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let optional = types.contains(&"null");
    let mut words: Vec<String> = types
        .iter()
        .filter(|t| **t != "null")
        .map(|t| match *t {
            "array" => match schema.get("items") {
                Some(items) if is_object(resolve(items, root)) => "array of tables".to_owned(),
                Some(items) => format!("array of {}", plural(&kind(items, root))),
                None => "array".to_owned(),
            },
            "object" => match schema.get("additionalProperties") {
                Some(Value::Object(_)) => {
                    let values = schema.get("additionalProperties").unwrap_or(&Value::Null);
                    if is_object(resolve(values, root)) {
                        "table of tables".to_owned()
                    } else {
                        format!("table of {}", plural(&kind(values, root)))
                    }
                }
                _ => "table".to_owned(),
            },
            "integer" => range("integer", schema),
            "number" => range("number", schema),
            other => other.to_owned(),
        })
        .collect();
    if words.is_empty() {
        words.push("any".to_owned());
    }
    let mut text = words.join(" or ");
    if optional {
        text.push_str(" (optional)");
    }
    text
}

fn plural(kind: &str) -> String {
    match kind {
        "string" => "strings".to_owned(),
        "integer" => "integers".to_owned(),
        "boolean" => "booleans".to_owned(),
        other => other.to_owned(),
    }
}

fn range(word: &str, schema: &Value) -> String {
    let min = schema.get("minimum").and_then(Value::as_f64);
    let max = schema.get("maximum").and_then(Value::as_f64);
    match (min, max) {
        (Some(min), Some(max)) => format!("{word} ({min}–{max})"),
        (Some(min), None) if min > 0.0 => format!("{word} (at least {min})"),
        _ => word.to_owned(),
    }
}

/// The default as TOML writes it (`null`: none).
fn default(schema: &Value) -> Option<String> {
    let value = schema.get("default")?;
    match value {
        Value::Null => None,
        Value::Object(map) if map.is_empty() => Some("`{}`".to_owned()),
        Value::Object(_) => None,
        other => Some(format!("`{}`", escape_text(&other.to_string()))),
    }
}

/// The tables of the configuration, the top-level keys first.
pub fn tables(root: &Value) -> Vec<Table> {
    let mut tables = Vec::new();
    let empty = Map::new();
    let properties = root
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut top = Vec::new();
    for (name, schema) in properties {
        walk_key(name, schema, root, &mut top, &mut tables);
    }
    if !top.is_empty() {
        tables.insert(
            0,
            Table {
                header: "top level".to_owned(),
                description: "Keys outside any table.".to_owned(),
                keys: top,
            },
        );
    }
    tables
}

/// One key, by its full name `full`: a row of its table's `keys`, or a
/// table of its own pushed onto `tables`.
fn walk_key(
    full: &str,
    schema: &Value,
    root: &Value,
    keys: &mut Vec<Key>,
    tables: &mut Vec<Table>,
) {
    let target = resolve(schema, root);
    let own_description = description(schema);
    let table_description = |fallback: &Value| {
        if own_description.is_empty() {
            description(fallback)
        } else {
            own_description.clone()
        }
    };
    if is_object(target) {
        walk_table(
            &format!("[{full}]"),
            full,
            table_description(target),
            target,
            root,
            tables,
        );
        return;
    }
    let items = target.get("items").map(|items| resolve(items, root));
    if let Some(items) = items.filter(|items| is_object(items)) {
        walk_table(
            &format!("[[{full}]]"),
            &format!("{full}[]"),
            table_description(items),
            items,
            root,
            tables,
        );
        return;
    }
    let values = target
        .get("additionalProperties")
        .filter(|v| v.is_object())
        .map(|v| resolve(v, root));
    if let Some(values) = values.filter(|values| is_object(values)) {
        walk_table(
            &format!("[{full}.\"<name>\"]"),
            &format!("{full}.<name>"),
            table_description(values),
            values,
            root,
            tables,
        );
        return;
    }
    let mut text = own_description;
    if let Some(values) = constants(target) {
        let list: Vec<String> = values
            .iter()
            .filter(|(_, d)| !d.is_empty())
            .map(|(v, d)| format!("`\"{v}\"`: {d}"))
            .collect();
        if !list.is_empty() {
            text = format!("{text} {}", list.join(" "));
        }
    }
    keys.push(Key {
        name: full.to_owned(),
        kind: kind(schema, root),
        default: default(schema),
        description: text.trim().to_owned(),
    });
}

fn walk_table(
    header: &str,
    full: &str,
    description: String,
    schema: &Value,
    root: &Value,
    tables: &mut Vec<Table>,
) {
    let at = tables.len();
    tables.push(Table {
        header: header.to_owned(),
        description,
        keys: Vec::new(),
    });
    let mut keys = Vec::new();
    let empty = Map::new();
    let properties = schema
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    for (name, property) in properties {
        walk_key(&format!("{full}.{name}"), property, root, &mut keys, tables);
        if required.contains(&name.as_str())
            && let Some(key) = keys.last_mut()
            && key.name.ends_with(&format!(".{name}"))
        {
            key.kind.push_str(", required");
        }
    }
    tables[at].keys = keys;
}

/// The page, from the configuration's JSON Schema `root`.
pub fn page(root: &Value) -> Page {
    let mut text = String::from("# Configuration reference\n\n");
    text.push_str(
        "<!-- Generated from the configuration types (`schemas/guidepress.schema.json`) by `guidepress docs generate`: edit their doc comments, not this page. -->\n\n",
    );
    text.push_str(
        "guidepress reads `guidepress.toml`, found by walking up from the working directory (or the file given with `--config`). Relative paths in it start at its folder. Unknown keys are errors, reported at their line. Every key is optional; `guidepress config --show` prints the configuration in effect with every default filled in, and `guidepress config --schema` prints its JSON Schema (committed as `schemas/guidepress.schema.json`: start the file with `#:schema ./schemas/guidepress.schema.json` and editors using taplo complete every key). The [configuration guide](../configuration.md) shows a whole file.\n",
    );
    for table in tables(root) {
        let _ = writeln!(text, "\n## `{}`\n", table.header);
        if !table.description.is_empty() {
            let _ = writeln!(text, "{}\n", table.description);
        }
        if table.keys.is_empty() {
            continue;
        }
        let _ = writeln!(text, "| Key | Type | Default | Description |");
        let _ = writeln!(text, "| --- | --- | --- | --- |");
        for key in &table.keys {
            let _ = writeln!(
                text,
                "| `{}` | {} | {} | {} |",
                key.name,
                key.kind,
                key.default.as_deref().unwrap_or("none"),
                key.description
            );
        }
    }
    Page {
        path: PATH.to_owned(),
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_tables_types_and_defaults_come_from_the_schema() {
        let root = serde_json::json!({
            "properties": {
                "links": {"description": "Links.", "$ref": "#/$defs/Links"},
                "schemas": {"type": "array", "items": {"$ref": "#/$defs/Mapping"}}
            },
            "$defs": {
                "Links": {"type": "object", "properties": {
                    "timeout": {"description": "Time\nallowed.", "anyOf": [
                        {"type": "number"}, {"type": "string", "pattern": "(ms|s|m|min)"}
                    ], "default": "20s"},
                    "hosts": {"type": "object", "additionalProperties": {"$ref": "#/$defs/Host"}}
                }},
                "Host": {"type": "object", "properties": {"interval": {"type": ["integer", "null"], "default": null}}},
                "Mapping": {"type": "object", "required": ["files"], "properties": {
                    "files": {"type": "string"},
                    "kind": {"$ref": "#/$defs/Kind", "default": "other"}
                }},
                "Kind": {"oneOf": [{"const": "guide", "description": "A guide."}, {"const": "other"}]}
            }
        });
        let tables = tables(&root);
        let headers: Vec<&str> = tables.iter().map(|t| t.header.as_str()).collect();
        assert_eq!(
            headers,
            ["[links]", "[links.hosts.\"<name>\"]", "[[schemas]]"]
        );
        let timeout = &tables[0].keys[0];
        assert_eq!(timeout.name, "links.timeout");
        assert!(timeout.kind.starts_with("duration"), "{}", timeout.kind);
        assert_eq!(timeout.default.as_deref(), Some("`\"20s\"`"));
        assert_eq!(timeout.description, "Time allowed.");
        let interval = &tables[1].keys[0];
        assert_eq!(interval.name, "links.hosts.<name>.interval");
        assert_eq!(interval.kind, "integer (optional)");
        assert_eq!(interval.default, None);
        let files = &tables[2].keys[0];
        assert_eq!(files.name, "schemas[].files");
        assert_eq!(files.kind, "string, required");
        let kind = &tables[2].keys[1];
        assert_eq!(kind.kind, "one of `\"guide\"`, `\"other\"`");
        assert!(kind.description.contains("`\"guide\"`: A guide."));
    }
}
