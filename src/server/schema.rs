//! Reading a JSON Schema document for the editor: the subschemas that
//! describe the node at a path, and what they say (description, examples,
//! allowed keys and values). Local `$ref`s (`#/...`) are followed; nothing
//! else is fetched.

use serde_json::Value;

use super::cursor::Step;

/// How deep `$ref`s and combinators are followed (a cycle stops here).
const MAX_DEPTH: usize = 16;

/// What a schema says about one node, gathered over its subschemas.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct NodeDoc {
    /// The first description found.
    pub description: Option<String>,
    /// Examples.
    pub examples: Vec<Value>,
    /// Allowed values (`enum`, `const`).
    pub values: Vec<Value>,
    /// The types named.
    pub types: Vec<String>,
    /// The names of the `$ref`s followed (`source_id`, `author_id`).
    pub refs: Vec<String>,
}

/// A key a mapping may have.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyDoc {
    /// The key.
    pub name: String,
    /// Whether it is required.
    pub required: bool,
    /// What the schema says about its value.
    pub doc: NodeDoc,
}

fn resolve<'s>(root: &'s Value, reference: &str) -> Option<&'s Value> {
    let pointer = reference.strip_prefix('#')?;
    if pointer.is_empty() {
        return Some(root);
    }
    root.pointer(pointer)
}

/// Every subschema that applies to a node described by `schema`: itself, its
/// `$ref` target, and the branches of `allOf`/`anyOf`/`oneOf`, recursively.
fn expand<'s>(root: &'s Value, schema: &'s Value, depth: usize, out: &mut Vec<&'s Value>) {
    if depth > MAX_DEPTH || !schema.is_object() {
        return;
    }
    out.push(schema);
    if let Some(target) = schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| resolve(root, r))
    {
        expand(root, target, depth + 1, out);
    }
    for combinator in ["allOf", "anyOf", "oneOf"] {
        for branch in schema
            .get(combinator)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            expand(root, branch, depth + 1, out);
        }
    }
    for conditional in ["then", "else"] {
        if let Some(branch) = schema.get(conditional) {
            expand(root, branch, depth + 1, out);
        }
    }
}

/// The subschemas describing the node at `path` of a document valid against `root`.
pub fn at<'s>(root: &'s Value, path: &[Step]) -> Vec<&'s Value> {
    let mut current = Vec::new();
    expand(root, root, 0, &mut current);
    for step in path {
        let mut next = Vec::new();
        for schema in &current {
            let child = match step {
                Step::Key(key) => schema
                    .get("properties")
                    .and_then(|p| p.get(key.as_str()))
                    .or_else(|| schema.get("additionalProperties").filter(|a| a.is_object())),
                Step::Index(index) => schema
                    .get("prefixItems")
                    .and_then(|p| p.get(*index))
                    .or_else(|| schema.get("items").filter(|i| i.is_object())),
            };
            if let Some(child) = child {
                expand(root, child, 0, &mut next);
            }
        }
        if next.is_empty() {
            return next;
        }
        current = next;
    }
    current
}

/// What the subschemas `schemas` say about their node.
pub fn describe(schemas: &[&Value]) -> NodeDoc {
    let mut doc = NodeDoc::default();
    for schema in schemas {
        if doc.description.is_none() {
            doc.description = schema
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_owned);
        }
        for example in schema
            .get("examples")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if !doc.examples.contains(example) {
                doc.examples.push(example.clone());
            }
        }
        for value in schema
            .get("enum")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .chain(schema.get("const"))
        {
            if !doc.values.contains(value) {
                doc.values.push(value.clone());
            }
        }
        match schema.get("type") {
            Some(Value::String(t)) => push_unique(&mut doc.types, t),
            Some(Value::Array(types)) => {
                for t in types.iter().filter_map(Value::as_str) {
                    push_unique(&mut doc.types, t);
                }
            }
            _ => {}
        }
        if let Some(name) = schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.rsplit('/').next())
        {
            push_unique(&mut doc.refs, name);
        }
    }
    doc
}

fn push_unique(list: &mut Vec<String>, item: &str) {
    if !list.iter().any(|i| i == item) {
        list.push(item.to_owned());
    }
}

/// The keys a mapping described by `schemas` may have, in schema order.
pub fn keys(root: &Value, schemas: &[&Value]) -> Vec<KeyDoc> {
    let mut out: Vec<KeyDoc> = Vec::new();
    for schema in schemas {
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            for (name, property) in properties {
                let mut expanded = Vec::new();
                expand(root, property, 0, &mut expanded);
                let doc = describe(&expanded);
                match out.iter_mut().find(|k| k.name == *name) {
                    Some(existing) => existing.required |= required.contains(&name.as_str()),
                    None => out.push(KeyDoc {
                        name: name.clone(),
                        required: required.contains(&name.as_str()),
                        doc,
                    }),
                }
            }
        }
        for name in &required {
            if let Some(existing) = out.iter_mut().find(|k| k.name == *name) {
                existing.required = true;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn follows_refs_items_and_combinators() {
        let root = json!({
            "type": "object",
            "required": ["a"],
            "properties": {
                "a": {"description": "The a.", "$ref": "#/$defs/id"},
                "list": {"type": "array", "items": {"$ref": "#/$defs/item"}}
            },
            "$defs": {
                "id": {"type": "string", "examples": ["x"]},
                "item": {"allOf": [{"properties": {"kind": {"enum": ["p", "q"]}}}]}
            }
        });
        let a = describe(&at(&root, &[Step::Key("a".into())]));
        assert_eq!(a.description.as_deref(), Some("The a."));
        assert_eq!(a.examples, vec![json!("x")]);
        assert_eq!(a.refs, vec!["id"]);
        let kind = describe(&at(
            &root,
            &[
                Step::Key("list".into()),
                Step::Index(3),
                Step::Key("kind".into()),
            ],
        ));
        assert_eq!(kind.values, vec![json!("p"), json!("q")]);
        let top = keys(&root, &at(&root, &[]));
        assert_eq!(top[0].name, "a");
        assert!(top[0].required);
        assert!(!top[1].required);
        assert!(at(&root, &[Step::Key("nope".into())]).is_empty());
    }

    #[test]
    fn a_ref_cycle_ends() {
        let root = json!({"$ref": "#"});
        assert!(!at(&root, &[]).is_empty());
    }
}
