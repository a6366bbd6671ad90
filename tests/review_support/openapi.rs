//! Holds requests to GitHub's published OpenAPI description (the subset in
//! `tests/schemas/github-rest/`): the method and path name an operation,
//! path and query parameters are declared and match their schemas, and the
//! JSON body matches the operation's request schema.

use std::collections::HashMap;
use std::sync::Mutex;

use serde_json::{Value, json};

/// The description, ready to check requests against.
pub struct Description {
    document: Value,
    validators: Mutex<HashMap<String, std::sync::Arc<jsonschema::Validator>>>,
}

/// OpenAPI 3.0's `nullable: true` as JSON Schema says it: `null` is one of the types.
fn json_schema_dialect(node: &mut Value) {
    match node {
        Value::Object(map) => {
            if map.get("nullable") == Some(&Value::Bool(true)) {
                if let Some(Value::String(kind)) = map.get("type").cloned() {
                    map.insert("type".into(), json!([kind, "null"]));
                }
            }
            for value in map.values_mut() {
                json_schema_dialect(value);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(json_schema_dialect),
        _ => {}
    }
}

/// `~` and `/` escaped for a JSON Pointer token.
fn token(text: &str) -> String {
    text.replace('~', "~0").replace('/', "~1")
}

impl Description {
    /// Reads the committed subset of api.github.com's description.
    pub fn load() -> Description {
        let path = crate::common::repo_path("tests/schemas/github-rest/api.github.com.review.json");
        let text = std::fs::read_to_string(path).expect("the description is in the repository");
        let mut document: Value = serde_json::from_str(&text).unwrap();
        json_schema_dialect(&mut document);
        Description {
            document,
            validators: Mutex::new(HashMap::new()),
        }
    }

    /// The operationId a method and path name, with the path template.
    pub fn operation(&self, method: &str, path: &str) -> Option<(String, String)> {
        let method = method.to_ascii_lowercase();
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let paths = self.document["paths"].as_object()?;
        for (template, item) in paths {
            let parts: Vec<&str> = template.trim_start_matches('/').split('/').collect();
            if parts.len() != segments.len() {
                continue;
            }
            let matches = parts.iter().zip(&segments).all(|(part, segment)| {
                (part.starts_with('{') && !segment.is_empty()) || part == segment
            });
            if matches {
                let id = item.get(&method)?.get("operationId")?.as_str()?.to_owned();
                return Some((id, template.clone()));
            }
        }
        None
    }

    fn resolve<'a>(&'a self, node: &'a Value) -> &'a Value {
        match node.get("$ref").and_then(Value::as_str) {
            Some(reference) => self
                .document
                .pointer(reference.trim_start_matches('#'))
                .unwrap_or(&Value::Null),
            None => node,
        }
    }

    /// A validator for the schema at `pointer` in the description (its
    /// `$ref`s resolve against the whole document).
    fn validator(&self, pointer: &str) -> std::sync::Arc<jsonschema::Validator> {
        let mut cache = self.validators.lock().unwrap();
        if let Some(validator) = cache.get(pointer) {
            return validator.clone();
        }
        let mut root = self.document.clone();
        // A URI fragment: the braces of path templates are percent-encoded.
        let fragment = pointer.replace('{', "%7B").replace('}', "%7D");
        root["$ref"] = json!(format!("#{fragment}"));
        let validator = std::sync::Arc::new(
            jsonschema::options()
                .with_draft(jsonschema::Draft::Draft202012)
                .build(&root)
                .unwrap_or_else(|e| panic!("the schema at {pointer} compiles: {e}")),
        );
        cache.insert(pointer.to_owned(), validator.clone());
        validator
    }

    fn errors(&self, pointer: &str, value: &Value) -> Vec<String> {
        self.validator(pointer)
            .iter_errors(value)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect()
    }

    /// What is wrong with a request; empty when the description allows it.
    pub fn check(
        &self,
        method: &str,
        path: &str,
        query: &[(String, String)],
        body: &[u8],
        content_type: Option<&str>,
    ) -> Vec<String> {
        let Some((operation_id, template)) = self.operation(method, path) else {
            return vec![format!(
                "{method} {path}: no operation in GitHub's description"
            )];
        };
        let mut problems = Vec::new();
        let method_key = method.to_ascii_lowercase();
        let operation_pointer = format!("/paths/{}/{method_key}", token(&template));
        let item = &self.document["paths"][&template];
        let operation = &item[&method_key];
        let mut parameters: Vec<(String, Value)> = Vec::new();
        for (base, list) in [
            (
                format!("/paths/{}/parameters", token(&template)),
                &item["parameters"],
            ),
            (
                format!("{operation_pointer}/parameters"),
                &operation["parameters"],
            ),
        ] {
            for (index, parameter) in list.as_array().into_iter().flatten().enumerate() {
                let pointer = match parameter.get("$ref").and_then(Value::as_str) {
                    Some(reference) => reference.trim_start_matches('#').to_owned(),
                    None => format!("{base}/{index}"),
                };
                parameters.push((pointer, self.resolve(parameter).clone()));
            }
        }
        let typed = |schema: &Value, raw: &str| -> Value {
            match schema.get("type").and_then(Value::as_str) {
                Some("integer") => raw.parse::<i64>().map_or_else(|_| json!(raw), |n| json!(n)),
                Some("boolean") => match raw {
                    "true" => json!(true),
                    "false" => json!(false),
                    _ => json!(raw),
                },
                _ => json!(raw),
            }
        };
        // Path parameters.
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        for (part, segment) in template.trim_start_matches('/').split('/').zip(&segments) {
            let Some(name) = part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) else {
                continue;
            };
            let Some((pointer, parameter)) = parameters
                .iter()
                .find(|(_, p)| p["name"] == name && p["in"] == "path")
            else {
                problems.push(format!(
                    "{operation_id}: path parameter {name} is not declared"
                ));
                continue;
            };
            let value = typed(&parameter["schema"], segment);
            for error in self.errors(&format!("{pointer}/schema"), &value) {
                problems.push(format!("{operation_id}: path parameter {name}: {error}"));
            }
        }
        // Query parameters.
        for (name, raw) in query {
            let Some((pointer, parameter)) = parameters
                .iter()
                .find(|(_, p)| p["name"] == name.as_str() && p["in"] == "query")
            else {
                problems.push(format!(
                    "{operation_id}: query parameter {name} is not in the description"
                ));
                continue;
            };
            let value = typed(&parameter["schema"], raw);
            for error in self.errors(&format!("{pointer}/schema"), &value) {
                problems.push(format!("{operation_id}: query parameter {name}: {error}"));
            }
        }
        for (_, parameter) in &parameters {
            if parameter["in"] == "query"
                && parameter["required"] == true
                && !query.iter().any(|(n, _)| parameter["name"] == n.as_str())
            {
                problems.push(format!(
                    "{operation_id}: required query parameter {} is missing",
                    parameter["name"]
                ));
            }
        }
        // The body.
        let request_body = self.resolve(&operation["requestBody"]);
        if request_body.is_null() {
            if !body.is_empty() {
                problems.push(format!(
                    "{operation_id} takes no body, got {} bytes",
                    body.len()
                ));
            }
            return problems;
        }
        if body.is_empty() {
            if request_body["required"] == true {
                problems.push(format!("{operation_id}: the body is required"));
            }
            return problems;
        }
        if !content_type.is_some_and(|t| t.starts_with("application/json")) {
            problems.push(format!(
                "{operation_id}: the body must be application/json, not {content_type:?}"
            ));
        }
        let value: Value = match serde_json::from_slice(body) {
            Ok(value) => value,
            Err(e) => {
                problems.push(format!("{operation_id}: the body is not JSON: {e}"));
                return problems;
            }
        };
        let schema_pointer =
            format!("{operation_pointer}/requestBody/content/application~1json/schema");
        for error in self.errors(&schema_pointer, &value) {
            problems.push(format!("{operation_id}: body: {error}"));
        }
        problems
    }
}
