#![doc = include_str!("docs/GP305.md")]

use serde_json::{Map, Value};

use super::{Guide, Rule, finding};
use crate::codes;
use crate::diagnostic::Diagnostic;
use crate::load::span_index::escape_token;
use crate::validate::closest;

/// `GP305`: every source reference names an entry of `sources`.
pub struct UnknownSource;

/// Every source reference in the guide: `(pointer, id)` for each string under a
/// key named `source` or ending in `_source`, and each item of a list under a
/// key named `sources` or ending in `_sources` (except the top-level `sources`).
pub(super) fn references(root: &Map<String, Value>) -> Vec<(String, &str)> {
    let mut found = Vec::new();
    let mut pending: Vec<(String, &Value)> = root
        .iter()
        .filter(|(key, _)| key.as_str() != "sources")
        .map(|(key, value)| (format!("/{}", escape_token(key)), value))
        .collect();
    while let Some((pointer, value)) = pending.pop() {
        let key = pointer.rsplit('/').next().unwrap_or_default();
        match value {
            Value::String(id) if key == "source" || key.ends_with("_source") => {
                found.push((pointer, id.as_str()));
            }
            Value::Array(items) if key == "sources" || key.ends_with("_sources") => {
                for (index, item) in items.iter().enumerate() {
                    if let Value::String(id) = item {
                        found.push((format!("{pointer}/{index}"), id.as_str()));
                    }
                }
            }
            Value::Object(map) => pending.extend(
                map.iter()
                    .map(|(k, v)| (format!("{pointer}/{}", escape_token(k)), v)),
            ),
            Value::Array(items) => pending.extend(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (format!("{pointer}/{i}"), v)),
            ),
            _ => {}
        }
    }
    found.sort();
    found
}

/// The ids of the guide's `sources`, with their indices.
pub(super) fn source_ids<'a>(guide: &Guide<'a>) -> Vec<(usize, &'a str)> {
    guide
        .list("/sources")
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(i, s)| Some((i, s.get("id")?.as_str()?)))
        .collect()
}

impl Rule for UnknownSource {
    fn code(&self) -> &'static str {
        codes::UNKNOWN_SOURCE
    }

    fn doc(&self) -> &'static str {
        include_str!("docs/GP305.md")
    }

    fn check_guide(&self, guide: &Guide<'_>, out: &mut Vec<Diagnostic>) {
        let ids = source_ids(guide);
        for (pointer, id) in references(guide.root) {
            if ids.iter().any(|(_, known)| *known == id) {
                continue;
            }
            let mut diagnostic = finding(
                guide,
                codes::UNKNOWN_SOURCE,
                &pointer,
                format!("The source `{id}` is not in this guide's `sources`."),
            )
            .with_span_label("no such source");
            let known: Vec<&str> = ids.iter().map(|(_, known)| *known).collect();
            diagnostic = match closest(id, &known) {
                Some(suggestion) => diagnostic.with_help(format!("did you mean `{suggestion}`?")),
                None => {
                    diagnostic.with_help("add the source to `sources`, or cite one that is there")
                }
            };
            out.push(diagnostic);
        }
    }
}
