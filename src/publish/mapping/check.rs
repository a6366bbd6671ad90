//! A mapping checked against the CMS's own schema (Strapi's
//! content-type-builder answer) and the guide's JSON Schema, before anything
//! is written: every mapped attribute exists, has a type that can hold the
//! guide's value (string vs integer, component vs scalar, repeatable vs
//! single), every required attribute is mapped, every component field exists.
//! Pure: the schemas come in, problems go out.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::{BOOKKEEPING, Mapping, Node, Origin, SLUG, locate};

/// A content type as the CMS describes it.
#[derive(Debug, Clone, Default)]
pub struct CmsSchema {
    /// `api::guide.guide`.
    pub uid: String,
    /// The REST plural (`guides`: `/api/guides`).
    pub plural: String,
    /// Its attributes, by name (Strapi's attribute objects).
    pub attributes: Map<String, Value>,
    /// Every component's attributes, by component UID.
    pub components: HashMap<String, Map<String, Value>>,
}

/// One way the mapping does not fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingProblem {
    /// Where it is written: `guidepress.toml:12:1`, or the built-in mapping.
    pub location: String,
    /// The attribute, dotted for component fields (`state_pay.code`).
    pub attribute: String,
    /// What is wrong and what to do, one sentence.
    pub message: String,
}

impl std::fmt::Display for MappingProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: `{}`: {}",
            self.location, self.attribute, self.message
        )
    }
}

struct Checker<'a> {
    mapping: &'a Mapping,
    cms: &'a CmsSchema,
    guide: Option<&'a Value>,
    problems: Vec<MappingProblem>,
}

/// Every problem of `mapping` against the CMS type `cms` and the guide
/// schema `guide` (when known); empty when it fits.
pub fn check(mapping: &Mapping, cms: &CmsSchema, guide: Option<&Value>) -> Vec<MappingProblem> {
    let mut checker = Checker {
        mapping,
        cms,
        guide,
        problems: Vec::new(),
    };
    let root = guide;
    checker.fields(&[], &mapping.fields, &cms.attributes, root, true);
    checker.problems
}

/// What a CMS attribute type holds, as JSON Schema types (`None`: anything).
fn holds(cms_type: &str) -> Option<&'static [&'static str]> {
    match cms_type {
        "string" | "text" | "richtext" | "email" | "uid" | "enumeration" | "password" | "date"
        | "datetime" | "time" => Some(&["string"]),
        "integer" | "biginteger" => Some(&["integer"]),
        "float" | "decimal" => Some(&["number", "integer"]),
        "boolean" => Some(&["boolean"]),
        _ => None,
    }
}

impl<'a> Checker<'a> {
    fn location(&self, path: &[&str]) -> String {
        match &self.mapping.origin {
            Origin::Builtin => "the built-in mapping".into(),
            Origin::Unlocated => "[cms.fields]".into(),
            Origin::Config { path: file, text } => {
                let mut keys = vec!["cms", "fields"];
                for (index, name) in path.iter().enumerate() {
                    if index > 0 {
                        keys.push("fields");
                    }
                    keys.push(name);
                }
                match locate::key_span(text, &keys) {
                    Some(span) => {
                        let (line, column) = locate::line_col(text, span.start);
                        format!("{file}:{line}:{column}")
                    }
                    None => format!("{file} [cms.fields]"),
                }
            }
        }
    }

    fn problem(&mut self, path: &[&str], message: String) {
        self.problems.push(MappingProblem {
            location: self.location(path),
            attribute: path.join("."),
            message,
        });
    }

    fn fields(
        &mut self,
        path: &[&str],
        fields: &[(String, Node)],
        attributes: &Map<String, Value>,
        here: Option<&'a Value>,
        top: bool,
    ) {
        let owner = match path.last() {
            None => format!("the content type `{}`", self.cms.uid),
            Some(_) => format!("the component of `{}`", path.join(".")),
        };
        for (name, node) in fields {
            let mut at: Vec<&str> = path.to_vec();
            at.push(name);
            let Some(attribute) = attributes.get(name) else {
                let mut known: Vec<&str> = attributes.keys().map(String::as_str).collect();
                known.sort_unstable();
                self.problem(
                    &at,
                    format!(
                        "{owner} has no attribute `{name}` (it has: {})",
                        known.join(", ")
                    ),
                );
                continue;
            };
            self.field(&at, node, attribute, here);
        }
        // Required attributes nobody fills.
        let mapped = |name: &str| fields.iter().any(|(n, _)| n == name);
        let mut missing: Vec<&str> = attributes
            .iter()
            .filter(|(name, a)| {
                a.get("required").and_then(Value::as_bool) == Some(true)
                    && !mapped(name)
                    && !(top && BOOKKEEPING.contains(&name.as_str()))
            })
            .map(|(name, _)| name.as_str())
            .collect();
        missing.sort_unstable();
        for name in missing {
            let mut at: Vec<&str> = path.to_vec();
            at.push(name);
            let message = format!(
                "{owner} requires `{name}`, which the mapping leaves unmapped: map it to a value of the guide"
            );
            let location = if path.is_empty() {
                self.location(&[])
            } else {
                self.location(path)
            };
            self.problems.push(MappingProblem {
                location,
                attribute: at.join("."),
                message,
            });
        }
        if top {
            self.bookkeeping(fields, attributes);
        }
    }

    fn bookkeeping(&mut self, fields: &[(String, Node)], attributes: &Map<String, Value>) {
        match fields.iter().find(|(n, _)| n == SLUG) {
            Some((_, Node::Value(p))) if p == "/slug" => {}
            Some(_) => self.problem(
                &[SLUG],
                "guidepress finds documents by `slug`: map it with `slug = \"/slug\"`".into(),
            ),
            None => self.problems.push(MappingProblem {
                location: self.location(&[]),
                attribute: SLUG.into(),
                message: "guidepress finds documents by a `slug` attribute: add `slug = \"/slug\"` (and a string attribute `slug` to the type)".into(),
            }),
        }
        for name in BOOKKEEPING {
            let kind = attributes
                .get(name)
                .and_then(|a| a.get("type"))
                .and_then(Value::as_str);
            if !matches!(kind, Some("string" | "text")) {
                self.problems.push(MappingProblem {
                    location: format!("the content type `{}`", self.cms.uid),
                    attribute: name.into(),
                    message: format!(
                        "guidepress keeps its bookkeeping in the string attributes {}: add `{name}` (type string) to the content type",
                        BOOKKEEPING.join(", ")
                    ),
                });
            }
            if fields.iter().any(|(n, _)| n == name) {
                self.problem(
                    &[name],
                    "this attribute is guidepress's bookkeeping, filled by guidepress itself: remove it from the mapping".into(),
                );
            }
        }
    }

    fn field(&mut self, at: &[&str], node: &Node, attribute: &Value, here: Option<&'a Value>) {
        let kind = attribute.get("type").and_then(Value::as_str).unwrap_or("");
        if attribute.get("private").and_then(Value::as_bool) == Some(true) {
            self.problem(
                at,
                "is private in the CMS: its API never returns it, so every publish would see it changed; make it public or leave it unmapped".into(),
            );
            return;
        }
        let repeatable = attribute.get("repeatable").and_then(Value::as_bool) == Some(true);
        let component = attribute
            .get("component")
            .and_then(Value::as_str)
            .unwrap_or("");
        match node {
            Node::Value(pointer) => {
                if kind == "component" {
                    let what = if repeatable {
                        "a repeatable component"
                    } else {
                        "a component"
                    };
                    self.problem(
                        at,
                        format!(
                            "is {what} (`{component}`) in the CMS, not a scalar: map it with a table {{ from = \"{pointer}\", fields = {{ ... }} }}"
                        ),
                    );
                    return;
                }
                if matches!(kind, "relation" | "media" | "dynamiczone" | "blocks") {
                    self.problem(
                        at,
                        format!("has type `{kind}` in the CMS, which guidepress cannot map yet"),
                    );
                    return;
                }
                let Some(value_schema) = self.schema_at(here, pointer, at) else {
                    return;
                };
                if kind == "enumeration" {
                    self.enumeration(at, pointer, attribute, value_schema);
                }
                let Some(wanted) = holds(kind) else {
                    return; // json (or unknown): anything goes.
                };
                let types = types_of(value_schema);
                if !types.is_empty() && !types.iter().any(|t| wanted.contains(&t.as_str())) {
                    self.problem(
                        at,
                        format!(
                            "has type `{kind}` in the CMS, but `{pointer}` is {} in the guide schema",
                            describe(&types)
                        ),
                    );
                }
            }
            Node::Component { from, fields } => {
                if kind != "component" {
                    self.problem(
                        at,
                        format!(
                            "has type `{kind}` in the CMS, not a component: map it with a JSON pointer (`{} = \"{from}\"`)",
                            at.last().copied().unwrap_or("")
                        ),
                    );
                    return;
                }
                let source = self.schema_at(here, from, at);
                let mut item = source;
                if let Some(source) = source {
                    let types = types_of(source);
                    let list = types.iter().any(|t| t == "array");
                    if repeatable && !list && !types.is_empty() {
                        self.problem(
                            at,
                            format!(
                                "is a repeatable component in the CMS, but `{from}` is {} in the guide schema, not a list",
                                describe(&types)
                            ),
                        );
                        return;
                    }
                    if !repeatable && list {
                        self.problem(
                            at,
                            format!(
                                "is a single component in the CMS, but `{from}` is a list in the guide schema: make the attribute repeatable"
                            ),
                        );
                        return;
                    }
                    if list {
                        item = self.resolve(source).get("items").map(|i| self.resolve(i));
                    }
                }
                let Some(attributes) = self.cms.components.get(component) else {
                    self.problem(
                        at,
                        format!("its component `{component}` is not described by the CMS"),
                    );
                    return;
                };
                let attributes = attributes.clone();
                self.fields(at, fields, &attributes, item, false);
            }
        }
    }

    /// Values the guide schema allows that the CMS's enumeration lacks
    /// (the CMS would refuse those guides).
    fn enumeration(&mut self, at: &[&str], pointer: &str, attribute: &Value, value_schema: &Value) {
        let (Some(cms), Some(guide)) = (
            attribute.get("enum").and_then(Value::as_array),
            value_schema.get("enum").and_then(Value::as_array),
        ) else {
            return;
        };
        let missing: Vec<String> = guide
            .iter()
            .filter(|value| !cms.contains(value))
            .map(ToString::to_string)
            .collect();
        if !missing.is_empty() {
            self.problem(
                at,
                format!(
                    "is an enumeration in the CMS without {} that `{pointer}` may hold in the guide schema: add them to the CMS's values",
                    missing.join(", ")
                ),
            );
        }
    }

    /// `$ref` followed (local references only).
    fn resolve(&self, node: &'a Value) -> &'a Value {
        resolve_in(self.guide, node)
    }

    /// The schema of the value at `pointer` under `here`; reports a pointer
    /// the guide schema does not have.
    fn schema_at(
        &mut self,
        here: Option<&'a Value>,
        pointer: &str,
        at: &[&str],
    ) -> Option<&'a Value> {
        let here = here?;
        if !pointer.is_empty() && !pointer.starts_with('/') {
            self.problem(
                at,
                format!("`{pointer}` is not a JSON pointer: write it `/{pointer}`"),
            );
            return None;
        }
        let mut node = resolve_in(self.guide, here);
        if pointer.is_empty() {
            return Some(node);
        }
        for token in pointer.split('/').skip(1) {
            let token = token.replace("~1", "/").replace("~0", "~");
            let next = node
                .get("properties")
                .and_then(|p| p.get(&token))
                .or_else(|| token.parse::<usize>().ok().and_then(|_| node.get("items")));
            let Some(next) = next else {
                self.problem(
                    at,
                    format!("the guide schema has no `{pointer}` (no `{token}` there)"),
                );
                return None;
            };
            node = resolve_in(self.guide, next);
        }
        Some(node)
    }
}

fn resolve_in<'s>(root: Option<&'s Value>, mut node: &'s Value) -> &'s Value {
    for _ in 0..32 {
        let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
            return node;
        };
        let Some(target) = reference
            .strip_prefix('#')
            .and_then(|p| root.and_then(|r| r.pointer(p)))
        else {
            return node;
        };
        node = target;
    }
    node
}

fn types_of(schema: &Value) -> Vec<String> {
    match schema.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ if schema.get("enum").is_some() => vec!["string".into()],
        _ => Vec::new(),
    }
}

fn describe(types: &[String]) -> String {
    let words: Vec<String> = types
        .iter()
        .map(|t| match t.as_str() {
            "object" => "an object".to_owned(),
            "array" => "a list".to_owned(),
            "integer" => "an integer".to_owned(),
            other => format!("a {other}"),
        })
        .collect();
    words.join(" or ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publish::mapping::FieldSource;
    use serde_json::json;
    use std::collections::BTreeMap;

    fn cms() -> CmsSchema {
        let attributes = json!({
            "slug": {"type": "string", "required": true},
            "headline": {"type": "string", "required": true},
            "median_pay": {"type": "integer", "required": true},
            "state_pay": {"type": "component", "repeatable": true, "component": "cp.state-pay"},
            "contentHash": {"type": "string"}, "managedBy": {"type": "string"}, "sourcePath": {"type": "string"}
        });
        let mut components = HashMap::new();
        components.insert(
            "cp.state-pay".to_owned(),
            json!({"code": {"type": "string", "required": true}, "median": {"type": "integer"}})
                .as_object()
                .unwrap()
                .clone(),
        );
        CmsSchema {
            uid: "api::career-page.career-page".into(),
            plural: "career-pages".into(),
            attributes: attributes.as_object().unwrap().clone(),
            components,
        }
    }

    fn guide_schema() -> Value {
        serde_json::from_str(include_str!("../../../schemas/guide.schema.json")).unwrap()
    }

    fn problems(toml_text: &str) -> Vec<String> {
        #[derive(serde::Deserialize)]
        struct File {
            cms: Cms,
        }
        #[derive(serde::Deserialize)]
        struct Cms {
            fields: BTreeMap<String, FieldSource>,
        }
        let file: File = toml::from_str(toml_text).unwrap();
        let mapping = Mapping::new(
            &file.cms.fields,
            Origin::Config {
                path: "guidepress.toml".into(),
                text: toml_text.into(),
            },
        );
        check(&mapping, &cms(), Some(&guide_schema()))
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    const GOOD: &str = "[cms.fields]\nslug = \"/slug\"\nheadline = \"/title\"\nmedian_pay = \"/facts/national_median_salary\"\nstate_pay = { from = \"/salary_by_state\", fields = { code = \"/state\", median = \"/median_salary\" } }\n";

    #[test]
    fn a_fitting_mapping_has_no_problem() {
        assert_eq!(problems(GOOD), Vec::<String>::new());
    }

    #[test]
    fn private_attributes_and_narrower_enumerations_are_problems() {
        let mut cms = cms();
        cms.attributes.insert(
            "status".into(),
            json!({"type": "enumeration", "enum": ["draft", "approved"]}),
        );
        cms.attributes
            .insert("notes".into(), json!({"type": "text", "private": true}));
        let text = format!("{GOOD}status = \"/status\"\nnotes = \"/summary\"\n");
        #[derive(serde::Deserialize)]
        struct File {
            cms: Cms,
        }
        #[derive(serde::Deserialize)]
        struct Cms {
            fields: BTreeMap<String, FieldSource>,
        }
        let file: File = toml::from_str(&text).unwrap();
        let mapping = Mapping::new(&file.cms.fields, Origin::Unlocated);
        let found: Vec<String> = check(&mapping, &cms, Some(&guide_schema()))
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(
            found
                .iter()
                .any(|f| f.contains("`notes`: is private in the CMS")),
            "{found:#?}"
        );
        assert!(
            found.iter().any(|f| f.contains(
                "`status`: is an enumeration in the CMS without \"in-review\", \"archived\""
            )),
            "{found:#?}"
        );
    }

    #[test]
    fn the_builtin_mapping_fits_the_shipped_strapi_model() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/cms/strapi/src");
        let read = |path: String| -> Value {
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
        };
        let guide = read(format!("{root}/api/guide/content-types/guide/schema.json"));
        let mut components = HashMap::new();
        for entry in std::fs::read_dir(format!("{root}/components/guide")).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            let schema = read(path.display().to_string());
            components.insert(
                format!("guide.{name}"),
                schema["attributes"].as_object().unwrap().clone(),
            );
        }
        let cms = CmsSchema {
            uid: "api::guide.guide".into(),
            plural: "guides".into(),
            attributes: guide["attributes"].as_object().unwrap().clone(),
            components,
        };
        let found = check(&Mapping::builtin(), &cms, Some(&guide_schema()));
        assert!(found.is_empty(), "{found:#?}");
        // Every attribute of the shipped type is mapped or bookkeeping.
        for name in cms.attributes.keys() {
            assert!(
                BOOKKEEPING.contains(&name.as_str())
                    || Mapping::builtin().fields.iter().any(|(n, _)| n == name),
                "{name} is not mapped"
            );
        }
    }

    #[test]
    fn each_mismatch_names_the_attribute_and_its_line() {
        let cases = [
            (
                GOOD.replace("headline =", "headlne ="),
                "guidepress.toml:3:1: `headlne`: the content type `api::career-page.career-page` has no attribute `headlne`",
            ),
            (
                GOOD.replace("/facts/national_median_salary", "/facts/education"),
                "guidepress.toml:4:1: `median_pay`: has type `integer` in the CMS, but `/facts/education` is a string in the guide schema",
            ),
            (
                GOOD.replace(
                    "state_pay = { from = \"/salary_by_state\", fields = { code = \"/state\", median = \"/median_salary\" } }",
                    "state_pay = \"/salary_by_state\"",
                ),
                "guidepress.toml:5:1: `state_pay`: is a repeatable component (`cp.state-pay`) in the CMS, not a scalar",
            ),
            (
                GOOD.replace("headline = \"/title\"", "headline = { from = \"/facts\", fields = { x = \"/license\" } }"),
                "guidepress.toml:3:1: `headline`: has type `string` in the CMS, not a component",
            ),
            (
                GOOD.replace("from = \"/salary_by_state\"", "from = \"/facts\""),
                "guidepress.toml:5:1: `state_pay`: is a repeatable component in the CMS, but `/facts` is an object in the guide schema, not a list",
            ),
            (
                GOOD.replace("median = \"/median_salary\"", "medain = \"/median_salary\""),
                "guidepress.toml:5:70: `state_pay.medain`: the component of `state_pay` has no attribute `medain`",
            ),
            (
                GOOD.replace("code = \"/state\", ", ""),
                "guidepress.toml:5:1: `state_pay.code`: the component of `state_pay` requires `code`, which the mapping leaves unmapped",
            ),
            (
                GOOD.replace("median_pay = \"/facts/national_median_salary\"\n", ""),
                "guidepress.toml:1:6: `median_pay`: the content type `api::career-page.career-page` requires `median_pay`, which the mapping leaves unmapped",
            ),
            (
                GOOD.replace("/facts/national_median_salary", "/facts/nationl_median_salary"),
                "guidepress.toml:4:1: `median_pay`: the guide schema has no `/facts/nationl_median_salary`",
            ),
        ];
        for (text, expected) in cases {
            let found = problems(&text);
            assert!(
                found.iter().any(|f| f.starts_with(expected)) && found.len() <= 2,
                "expected {expected:?}, found {found:#?}"
            );
        }
    }
}
