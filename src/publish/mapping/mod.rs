//! `[cms.fields]`: how a guide's values become a CMS content type's
//! attributes, and back.
//!
//! ```text
//! guidepress.toml [cms.fields] ──parse──▶ Mapping ──check (check.rs)──▶ CMS schema (content-type-builder)
//!                                            │                          guide JSON Schema
//!             guide value ──forward──▶ attributes (payload, hash)
//!             CMS document ──project──▶ attributes ──reverse──▶ guide value (pull)
//! ```
//!
//! An entry is either a JSON pointer into the guide (`headline = "/title"`)
//! or a component table (`{ from = "/salary_by_state", fields = { code =
//! "/state" } }`) whose field pointers are relative to the object (or to
//! each item of the list) at `from`. The pointer `""` is the item itself: a
//! list of strings maps to a repeatable component with one text field
//! (`{ from = "/key_takeaways", fields = { text = "" } }`), or whole to a
//! `json` attribute (`takeaways = "/key_takeaways"`).
//!
//! Values are compared normalised ([`normalise`]): `null` and empty lists
//! count as absent, and only mapped attributes and component fields are
//! kept (Strapi adds an `id` to every component).

pub mod check;
pub mod locate;

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One entry of `[cms.fields]` (or of a component's `fields`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(
    untagged,
    expecting = "a JSON pointer into the guide (\"/facts/national_median_salary\") or a component table { from = \"/pointer\", fields = { attribute = \"/pointer\", ... } } with exactly the keys `from` and `fields`"
)]
pub enum FieldSource {
    /// A JSON pointer into the guide (relative to the component's item
    /// inside `fields`); `""` is the item itself.
    Pointer(String),
    /// A component: single (`from` is an object) or repeatable (`from` is a list).
    Component(ComponentSource),
}

/// `{ from = "/pointer", fields = { attribute = "/pointer", ... } }`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ComponentSource {
    /// Where the component's values are: an object (single component) or a
    /// list (repeatable component, one entry per item).
    pub from: String,
    /// The component's fields, each a pointer relative to the object or item
    /// at `from`, or a nested component table.
    pub fields: BTreeMap<String, FieldSource>,
}

/// The attribute that names a document; mapped from `/slug`.
pub const SLUG: &str = "slug";
/// Attributes guidepress fills itself (every mapped type needs them, as strings).
pub const BOOKKEEPING: [&str; 3] = ["contentHash", "managedBy", "sourcePath"];
/// Attributes every Strapi document has, never mapped nor reported.
pub const SYSTEM: [&str; 7] = [
    "id",
    "documentId",
    "createdAt",
    "updatedAt",
    "publishedAt",
    "locale",
    "localizations",
];

/// The mapping of the shipped Strapi's `api::guide.guide`, used when
/// `[cms.fields]` is absent. The bundled `guidepress.toml` writes it out.
pub const BUILTIN_TOML: &str = include_str!("builtin.toml");

/// Where a mapping came from, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// `[cms.fields]` of this file (its text, for line numbers).
    Config {
        /// The file, as shown.
        path: String,
        /// Its text.
        text: String,
    },
    /// `[cms.fields]` of a configuration whose text is not at hand.
    Unlocated,
    /// The built-in mapping of the shipped Strapi.
    Builtin,
}

/// One mapped value.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A value at a pointer.
    Value(String),
    /// A component built from the object or list at `from`.
    Component {
        /// The pointer.
        from: String,
        /// Its fields.
        fields: Vec<(String, Node)>,
    },
}

/// A parsed mapping: attribute → node, in key order.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapping {
    /// The top-level attributes.
    pub fields: Vec<(String, Node)>,
    /// Where it was written.
    pub origin: Origin,
    /// What clears each top-level attribute in the CMS (`null`, or `[]` for
    /// a repeatable component), once known from the CMS's schema
    /// ([`Mapping::learn_empty_values`]); until then an empty value is not sent.
    pub empty_values: BTreeMap<String, Value>,
}

impl Node {
    fn of(source: &FieldSource) -> Node {
        match source {
            FieldSource::Pointer(p) => Node::Value(p.clone()),
            FieldSource::Component(c) => Node::Component {
                from: c.from.clone(),
                fields: c
                    .fields
                    .iter()
                    .map(|(k, v)| (k.clone(), Node::of(v)))
                    .collect(),
            },
        }
    }
}

#[derive(Deserialize)]
struct BuiltinFile {
    cms: BuiltinCms,
}

#[derive(Deserialize)]
struct BuiltinCms {
    fields: BTreeMap<String, FieldSource>,
}

/// The built-in mapping's entries.
pub fn builtin_fields() -> &'static BTreeMap<String, FieldSource> {
    static FIELDS: OnceLock<BTreeMap<String, FieldSource>> = OnceLock::new();
    FIELDS.get_or_init(|| {
        toml::from_str::<BuiltinFile>(BUILTIN_TOML)
            .map(|f| f.cms.fields)
            .unwrap_or_default()
    })
}

impl Mapping {
    /// The mapping of `fields` (from `[cms.fields]`) written in `origin`.
    pub fn new(fields: &BTreeMap<String, FieldSource>, origin: Origin) -> Mapping {
        Mapping {
            fields: fields
                .iter()
                .map(|(k, v)| (k.clone(), Node::of(v)))
                .collect(),
            origin,
            empty_values: BTreeMap::new(),
        }
    }

    /// Learns from the content type's attributes how each mapped attribute
    /// is cleared (`[]` for a repeatable component, `null` otherwise).
    pub fn learn_empty_values(&mut self, attributes: &Map<String, Value>) {
        for (name, _) in &self.fields {
            let repeatable = attributes
                .get(name)
                .and_then(|a| a.get("repeatable"))
                .and_then(Value::as_bool)
                == Some(true);
            let empty = if repeatable {
                Value::Array(Vec::new())
            } else {
                Value::Null
            };
            self.empty_values.insert(name.clone(), empty);
        }
    }

    /// The built-in mapping of the shipped Strapi.
    pub fn builtin() -> Arc<Mapping> {
        static BUILTIN: OnceLock<Arc<Mapping>> = OnceLock::new();
        Arc::clone(
            BUILTIN.get_or_init(|| Arc::new(Mapping::new(builtin_fields(), Origin::Builtin))),
        )
    }

    /// The mapping of a `[cms]` section: its `fields`, or the built-in one.
    pub fn of_config(fields: Option<&BTreeMap<String, FieldSource>>, origin: Origin) -> Mapping {
        match fields {
            Some(fields) => Mapping::new(fields, origin),
            None => Mapping::new(builtin_fields(), Origin::Builtin),
        }
    }

    /// The attributes of `guide`, normalised ([`normalise`]).
    pub fn forward(&self, guide: &Value) -> Map<String, Value> {
        let mut out = Map::new();
        forward_fields(&self.fields, guide, &mut out);
        out
    }

    /// The mapped attributes of a CMS document (only mapped attributes and
    /// component fields, normalised): what [`Mapping::forward`] would give
    /// for the guide the document holds.
    pub fn project(&self, document: &Map<String, Value>) -> Map<String, Value> {
        let mut out = Map::new();
        project_fields(&self.fields, document, &mut out);
        out
    }

    /// The guide held by projected attributes (the reverse of [`Mapping::forward`]).
    pub fn reverse(&self, attributes: &Map<String, Value>) -> Value {
        let mut guide = Value::Object(Map::new());
        reverse_fields(&self.fields, attributes, &mut guide);
        guide
    }

    /// What a CMS document holds that the mapping does not cover: top-level
    /// attributes (not Strapi's own, not guidepress's bookkeeping) and
    /// fields of mapped components, dotted (`sections.subtitle`), each with
    /// a value. Component `id`s are Strapi's own.
    pub fn uncovered(&self, document: &Map<String, Value>) -> Vec<String> {
        let mut out = Vec::new();
        uncovered_in(&self.fields, document, "", true, &mut out);
        out.sort();
        out.dedup();
        out
    }

    /// The top-level attributes that are scalars (Strapi's `fields[]`).
    pub fn scalar_attributes(&self) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|(_, n)| matches!(n, Node::Value(_)))
            .map(|(k, _)| k.as_str())
            .collect()
    }

    /// Strapi's `populate` parameters for the component attributes, nested
    /// components included (`populate[a][populate][b]=true`).
    pub fn populate_query(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (name, node) in &self.fields {
            populate(&format!("populate[{name}]"), node, &mut out);
        }
        out
    }
}

fn uncovered_in(
    fields: &[(String, Node)],
    document: &Map<String, Value>,
    prefix: &str,
    top: bool,
    out: &mut Vec<String>,
) {
    for (name, value) in document {
        if is_absent(value)
            || name == "id"
            || (top && (SYSTEM.contains(&name.as_str()) || BOOKKEEPING.contains(&name.as_str())))
        {
            continue;
        }
        match fields.iter().find(|(n, _)| n == name) {
            None => out.push(format!("{prefix}{name}")),
            Some((_, Node::Component { fields, .. })) => {
                let items: Vec<&Value> = match value {
                    Value::Array(items) => items.iter().collect(),
                    other => vec![other],
                };
                for item in items {
                    if let Value::Object(map) = item {
                        uncovered_in(fields, map, &format!("{prefix}{name}."), false, out);
                    }
                }
            }
            Some(_) => {}
        }
    }
}

fn populate(prefix: &str, node: &Node, out: &mut Vec<(String, String)>) {
    let Node::Component { fields, .. } = node else {
        return;
    };
    let nested: Vec<&(String, Node)> = fields
        .iter()
        .filter(|(_, n)| matches!(n, Node::Component { .. }))
        .collect();
    if nested.is_empty() {
        out.push((prefix.to_owned(), "true".into()));
        return;
    }
    for (name, child) in nested {
        populate(&format!("{prefix}[populate][{name}]"), child, out);
    }
}

/// The value at a JSON pointer (`""` is `value` itself).
pub fn at<'v>(value: &'v Value, pointer: &str) -> Option<&'v Value> {
    value.pointer(pointer)
}

/// Absent-like values: `null`, and empty lists.
fn is_absent(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        _ => false,
    }
}

/// Drops `null`s and empty lists from objects, recursively (what a CMS
/// stores for "nothing" varies: absent, `null`, `[]`).
pub fn normalise(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !is_absent(v))
                .map(|(k, v)| (k.clone(), normalise(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(normalise).collect()),
        other => other.clone(),
    }
}

fn forward_fields(fields: &[(String, Node)], source: &Value, out: &mut Map<String, Value>) {
    for (name, node) in fields {
        if let Some(value) = forward_node(node, source).filter(|v| !is_absent(v)) {
            out.insert(name.clone(), value);
        }
    }
}

fn forward_node(node: &Node, source: &Value) -> Option<Value> {
    match node {
        Node::Value(pointer) => at(source, pointer).map(normalise),
        Node::Component { from, fields } => match at(source, from)? {
            Value::Array(items) => Some(Value::Array(
                items
                    .iter()
                    .map(|item| {
                        let mut object = Map::new();
                        forward_fields(fields, item, &mut object);
                        Value::Object(object)
                    })
                    .collect(),
            )),
            Value::Null => None,
            object => {
                let mut map = Map::new();
                forward_fields(fields, object, &mut map);
                (!map.is_empty()).then_some(Value::Object(map))
            }
        },
    }
}

fn project_fields(
    fields: &[(String, Node)],
    document: &Map<String, Value>,
    out: &mut Map<String, Value>,
) {
    for (name, node) in fields {
        let Some(value) = document.get(name).filter(|v| !is_absent(v)) else {
            continue;
        };
        let projected = match node {
            Node::Value(_) => normalise(value),
            Node::Component { fields, .. } => match value {
                Value::Array(items) => Value::Array(
                    items
                        .iter()
                        .map(|item| project_item(fields, item))
                        .collect(),
                ),
                Value::Object(_) => {
                    let Value::Object(map) = project_item(fields, value) else {
                        continue;
                    };
                    if map.is_empty() {
                        continue;
                    }
                    Value::Object(map)
                }
                // A scalar where a component is mapped: kept as is, so it
                // differs (and is shown) rather than vanishing.
                other => other.clone(),
            },
        };
        out.insert(name.clone(), projected);
    }
}

fn project_item(fields: &[(String, Node)], item: &Value) -> Value {
    match item {
        Value::Object(map) => {
            let mut out = Map::new();
            project_fields(fields, map, &mut out);
            Value::Object(out)
        }
        other => other.clone(),
    }
}

fn reverse_fields(fields: &[(String, Node)], attributes: &Map<String, Value>, target: &mut Value) {
    for (name, node) in fields {
        let Some(value) = attributes.get(name).filter(|v| !is_absent(v)) else {
            continue;
        };
        match node {
            Node::Value(pointer) => set(target, pointer, value.clone()),
            Node::Component { from, fields } => {
                let built = match value {
                    Value::Array(items) => Value::Array(
                        items
                            .iter()
                            .map(|item| reverse_item(fields, item))
                            .collect(),
                    ),
                    other => reverse_item(fields, other),
                };
                set(target, from, built);
            }
        }
    }
}

fn reverse_item(fields: &[(String, Node)], item: &Value) -> Value {
    let Value::Object(map) = item else {
        return item.clone();
    };
    let mut out = Value::Null;
    reverse_fields(fields, map, &mut out);
    out
}

/// Sets the value at `pointer`, creating objects on the way (`""` replaces
/// `target`). A token that is a number indexes a list only where one is.
pub fn set(target: &mut Value, pointer: &str, value: Value) {
    if pointer.is_empty() {
        *target = value;
        return;
    }
    let tokens: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    let mut here = target;
    for token in tokens {
        if here.is_null() {
            *here = Value::Object(Map::new());
        }
        here = match here {
            Value::Array(items) => match token.parse::<usize>() {
                Ok(index) => {
                    while items.len() <= index {
                        items.push(Value::Null);
                    }
                    &mut items[index]
                }
                Err(_) => return,
            },
            Value::Object(map) => map.entry(token).or_insert(Value::Null),
            _ => return,
        };
    }
    *here = value;
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde_json::json;

    fn career_page() -> Mapping {
        let text = r#"
headline = "/title"
slug = "/slug"
median_pay = "/facts/national_median_salary"
takeaways = "/key_takeaways"
state_pay = { from = "/salary_by_state", fields = { code = "/state", median = "/median_salary" } }
steps = { from = "/career_path/steps", fields = { title = "/title", bullets = { from = "/actions", fields = { text = "" } }, span = { from = "/duration", fields = { min = "/min" } } } }
"#;
        let fields: BTreeMap<String, FieldSource> = toml::from_str(text).unwrap();
        Mapping::new(&fields, Origin::Unlocated)
    }

    fn guide() -> Value {
        json!({
            "slug": "a", "title": "A",
            "facts": {"national_median_salary": 100},
            "key_takeaways": ["one", "two"],
            "salary_by_state": [{"state": "CA", "median_salary": 120, "employed": 5}],
            "career_path": {"steps": [{"title": "Learn", "actions": ["x", "y"], "duration": {"min": 1, "max": 2}}]}
        })
    }

    #[test]
    fn forward_builds_attributes_and_components() {
        let attributes = career_page().forward(&guide());
        assert_eq!(
            Value::Object(attributes),
            json!({
                "headline": "A", "slug": "a", "median_pay": 100,
                "takeaways": ["one", "two"],
                "state_pay": [{"code": "CA", "median": 120}],
                "steps": [{"title": "Learn", "bullets": [{"text": "x"}, {"text": "y"}], "span": {"min": 1}}]
            })
        );
    }

    #[test]
    fn a_cms_answer_projects_to_the_forward_attributes() {
        let mapping = career_page();
        let answer = json!({
            "id": 7, "documentId": "d", "headline": "A", "slug": "a", "median_pay": 100,
            "editor_notes": null, "takeaways": ["one", "two"],
            "state_pay": [{"id": 1, "code": "CA", "median": 120}],
            "steps": [{"id": 3, "title": "Learn", "bullets": [{"id": 4, "text": "x"}, {"id": 5, "text": "y"}], "span": {"id": 9, "min": 1.0}}],
            "unmapped": []
        });
        let projected = mapping.project(answer.as_object().unwrap());
        assert!(crate::publish::payload::same(
            &Value::Object(projected.clone()),
            &Value::Object(mapping.forward(&guide()))
        ));
        assert!(
            !projected["state_pay"][0]
                .as_object()
                .unwrap()
                .contains_key("id")
        );
    }

    #[test]
    fn reverse_rebuilds_the_mapped_part_of_the_guide() {
        let mapping = career_page();
        let back = mapping.reverse(&mapping.forward(&guide()));
        assert_eq!(
            back,
            json!({
                "slug": "a", "title": "A",
                "facts": {"national_median_salary": 100},
                "key_takeaways": ["one", "two"],
                "salary_by_state": [{"state": "CA", "median_salary": 120}],
                "career_path": {"steps": [{"title": "Learn", "actions": ["x", "y"], "duration": {"min": 1}}]}
            })
        );
    }

    #[test]
    fn the_bundled_and_init_configurations_write_out_the_builtin_mapping() {
        for (name, text) in [
            ("guidepress.toml", include_str!("../../../guidepress.toml")),
            (
                "init template",
                include_str!("../../scaffold/templates/guidepress.toml"),
            ),
        ] {
            let config = crate::config::Config::parse(text, std::path::Path::new(name)).unwrap();
            assert_eq!(config.cms.fields.as_ref(), Some(builtin_fields()), "{name}");
            assert_eq!(config.cms.content_type, "api::guide.guide", "{name}");
        }
    }

    #[test]
    fn a_malformed_entry_says_what_an_entry_is_and_where() {
        let text = "[cms.fields]\nslug = \"/slug\"\nstate_pay = { form = \"/salary_by_state\", fields = {} }\n";
        let error = crate::config::Config::parse(text, std::path::Path::new("guidepress.toml"))
            .unwrap_err();
        let shown = format!("{error} {error:?}");
        assert!(shown.contains("a JSON pointer into the guide"), "{shown}");
        assert!(
            shown.contains("exactly the keys `from` and `fields`"),
            "{shown}"
        );
        let crate::config::ConfigError::Invalid {
            span: Some(span), ..
        } = error
        else {
            panic!("no location: {shown}");
        };
        assert!(text[span.offset()..].starts_with("{ form"), "{shown}");
    }

    #[test]
    fn what_the_mapping_does_not_cover_is_listed() {
        let answer = json!({
            "id": 7, "documentId": "d", "createdAt": "x", "contentHash": "h", "headline": "A",
            "editor_notes": "keep me", "empty_notes": null,
            "state_pay": [{"id": 1, "code": "CA", "median": 120, "rank": 3}]
        });
        assert_eq!(
            career_page().uncovered(answer.as_object().unwrap()),
            vec!["editor_notes", "state_pay.rank"]
        );
    }

    #[test]
    fn nothing_is_nothing_whatever_the_spelling() {
        let mapping = career_page();
        let mut g = guide();
        g["key_takeaways"] = json!([]);
        g.as_object_mut().unwrap().remove("salary_by_state");
        let attributes = mapping.forward(&g);
        assert!(!attributes.contains_key("takeaways") && !attributes.contains_key("state_pay"));
        let answer = json!({"takeaways": null, "state_pay": [], "headline": "A"});
        let projected = mapping.project(answer.as_object().unwrap());
        assert_eq!(Value::Object(projected), json!({"headline": "A"}));
    }

    #[test]
    fn populate_names_every_component_and_nested_component() {
        let query = career_page().populate_query();
        assert_eq!(
            query,
            vec![
                ("populate[state_pay]".to_owned(), "true".to_owned()),
                (
                    "populate[steps][populate][bullets]".to_owned(),
                    "true".to_owned()
                ),
                (
                    "populate[steps][populate][span]".to_owned(),
                    "true".to_owned()
                ),
            ]
        );
        assert_eq!(
            career_page().scalar_attributes(),
            vec!["headline", "median_pay", "slug", "takeaways"]
        );
    }

    /// The repository's seed guide, as loaded.
    pub(crate) fn seed_guide() -> Value {
        // Read, not embedded: the packaged crate leaves tests/ out.
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/project/content/guides/backend-engineer.yaml"
        );
        let text = &std::fs::read_to_string(path).expect("the seed guide of the test fixtures");
        let options = crate::load::ParseOptions {
            limits: Default::default(),
            track_spans: false,
            single_document: true,
        };
        crate::load::parse(text, &options).documents.remove(0)
    }

    #[test]
    fn the_builtin_mapping_covers_a_whole_guide() {
        let seed = seed_guide();
        let mapping = Mapping::builtin();
        assert!(builtin_fields().len() > 20);
        let back = mapping.reverse(&mapping.forward(&seed));
        // Empty lists (`faqs: []`) come back absent; pull restores the
        // required ones from the guide schema.
        assert_eq!(back, normalise(&seed));
        assert_ne!(normalise(&seed), seed, "the seed has an empty list");
    }
}
