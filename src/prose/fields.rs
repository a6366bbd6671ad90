//! Which fields of a guide are prose: the string properties its schema marks
//! with `x-prose` (`true` for plain text, `"markdown"` for Markdown), then
//! `[prose.fields]`, as a tree of JSON Pointer patterns walked together with
//! the guide (only the marked paths are visited).

use std::collections::BTreeMap;

use serde_json::Value;

use super::config::FieldKind;

/// The keyword that marks a string property as prose.
pub const KEYWORD: &str = "x-prose";

/// The deepest schema nesting followed (`$ref` cycles stop here).
const MAX_SCHEMA_DEPTH: usize = 32;

/// A tree of prose field patterns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProseFields {
    kind: Option<FieldKind>,
    keys: BTreeMap<String, ProseFields>,
    any: Option<Box<ProseFields>>,
}

/// One step of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    Key(String),
    Any,
}

impl ProseFields {
    /// True when no field is prose.
    pub fn is_empty(&self) -> bool {
        self.kind.is_none_or(|k| k == FieldKind::Off)
            && self.keys.values().all(ProseFields::is_empty)
            && self.any.as_deref().is_none_or(ProseFields::is_empty)
    }

    fn insert(&mut self, path: &[Seg], kind: FieldKind) {
        let mut node = self;
        for seg in path {
            node = match seg {
                Seg::Key(key) => node.keys.entry(key.clone()).or_default(),
                Seg::Any => node.any.get_or_insert_with(Default::default),
            };
        }
        node.kind = Some(kind);
    }

    /// Adds the fields `schema` marks with `x-prose`.
    pub fn add_schema(&mut self, schema: &Value) {
        let mut path = Vec::new();
        self.collect(schema, schema, &mut path, &mut Vec::new(), 0);
    }

    /// `refs`: the `$ref`s being followed (one met again is not followed:
    /// a recursive schema's deeper levels are not prose).
    fn collect<'s>(
        &mut self,
        root: &'s Value,
        node: &'s Value,
        path: &mut Vec<Seg>,
        refs: &mut Vec<&'s str>,
        depth: usize,
    ) {
        let Some(object) = node.as_object() else {
            return;
        };
        if depth > MAX_SCHEMA_DEPTH {
            return;
        }
        match object.get(KEYWORD) {
            Some(Value::Bool(true)) => self.insert(path, FieldKind::Text),
            Some(Value::String(kind)) if kind == "markdown" => {
                self.insert(path, FieldKind::Markdown)
            }
            Some(Value::String(kind)) if kind == "text" => self.insert(path, FieldKind::Text),
            _ => {}
        }
        if let Some(Value::String(reference)) = object.get("$ref") {
            if let Some(target) = reference
                .strip_prefix('#')
                .and_then(|pointer| root.pointer(pointer))
                .filter(|_| !refs.contains(&reference.as_str()))
            {
                refs.push(reference);
                self.collect(root, target, path, refs, depth + 1);
                refs.pop();
            }
        }
        if let Some(Value::Object(properties)) = object.get("properties") {
            for (key, child) in properties {
                path.push(Seg::Key(key.clone()));
                self.collect(root, child, path, refs, depth + 1);
                path.pop();
            }
        }
        for key in ["additionalProperties", "items"] {
            if let Some(child) = object.get(key) {
                path.push(Seg::Any);
                self.collect(root, child, path, refs, depth + 1);
                path.pop();
            }
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            if let Some(Value::Array(children)) = object.get(key) {
                for child in children {
                    self.collect(root, child, path, refs, depth + 1);
                }
            }
        }
    }

    /// Adds (or, with `off`, removes) the field at `pattern`, a JSON Pointer
    /// whose `*` tokens match any list item or key.
    pub fn add_pattern(&mut self, pattern: &str, kind: FieldKind) {
        let path: Vec<Seg> = pattern
            .split('/')
            .skip(1)
            .map(|token| match token {
                "*" => Seg::Any,
                key => Seg::Key(key.replace("~1", "/").replace("~0", "~")),
            })
            .collect();
        self.insert(&path, kind);
    }

    /// Calls `visit` with the JSON Pointer, text and kind of every prose
    /// string in `value` (a guide's root).
    pub fn visit<'v>(&self, value: &'v Value, visit: &mut dyn FnMut(&str, &'v str, FieldKind)) {
        let mut pointer = String::new();
        self.walk(value, &mut pointer, visit);
    }

    fn walk<'v>(
        &self,
        value: &'v Value,
        pointer: &mut String,
        visit: &mut dyn FnMut(&str, &'v str, FieldKind),
    ) {
        match value {
            Value::String(text) => {
                if let Some(kind) = self.kind.filter(|k| *k != FieldKind::Off) {
                    visit(pointer, text, kind);
                }
            }
            Value::Object(map) => {
                for (key, child) in map {
                    // A key named in the tree wins over `*`.
                    let Some(node) = self.keys.get(key.as_str()).or(self.any.as_deref()) else {
                        continue;
                    };
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
                    node.walk(child, pointer, visit);
                    pointer.truncate(len);
                }
            }
            Value::Array(items) => {
                let Some(node) = self.any.as_deref() else {
                    return;
                };
                for (index, child) in items.iter().enumerate() {
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&index.to_string());
                    node.walk(child, pointer, visit);
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn visited(fields: &ProseFields, value: &Value) -> Vec<(String, String, FieldKind)> {
        let mut out = Vec::new();
        fields.visit(value, &mut |p, t, k| {
            out.push((p.to_owned(), t.to_owned(), k))
        });
        out
    }

    #[test]
    fn reads_the_schema_marks_through_refs_items_and_overrides() {
        let schema = json!({
            "properties": {
                "summary": { "type": "string", "x-prose": true },
                "slug": { "type": "string" },
                "sections": { "type": "array", "items": { "$ref": "#/$defs/section" } },
            },
            "$defs": { "section": { "properties": {
                "id": { "type": "string" },
                "body": { "type": "string", "x-prose": "markdown" },
            } } }
        });
        let mut fields = ProseFields::default();
        fields.add_schema(&schema);
        let guide = json!({
            "summary": "A summary.", "slug": "a-b",
            "sections": [ { "id": "x", "body": "Some *text*." } ],
            "eyebrow": "2026 Guide",
        });
        assert_eq!(
            visited(&fields, &guide),
            vec![
                ("/summary".into(), "A summary.".into(), FieldKind::Text),
                (
                    "/sections/0/body".into(),
                    "Some *text*.".into(),
                    FieldKind::Markdown
                ),
            ]
        );
        fields.add_pattern("/summary", FieldKind::Off);
        fields.add_pattern("/eyebrow", FieldKind::Text);
        let paths: Vec<String> = visited(&fields, &guide).into_iter().map(|v| v.0).collect();
        assert_eq!(paths, ["/sections/0/body", "/eyebrow"]);
        assert!(!fields.is_empty());
        assert!(ProseFields::default().is_empty());
    }

    #[test]
    fn a_ref_cycle_ends() {
        let schema = json!({ "$ref": "#", "properties": { "a": { "$ref": "#" } } });
        let mut fields = ProseFields::default();
        fields.add_schema(&schema);
        assert!(fields.is_empty());
    }
}
