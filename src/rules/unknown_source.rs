//! `GP305`: every source reference names an entry of `sources`. See [`UnknownSource`].

use serde_json::{Map, Value};

use super::{Guide, Rule, Step, finding, pointer_of, walk};
use crate::codes;
use crate::diagnostic::Diagnostic;
use crate::validate::closest;

#[doc = include_str!("docs/GP305.md")]
pub struct UnknownSource;

/// Every source reference in the guide: `(pointer, id)` for each string under a
/// key named `source` or ending in `_source`, and each item of a list under a
/// key named `sources` or ending in `_sources` (except the top-level `sources`).
pub(super) fn references(root: &Map<String, Value>) -> Vec<(String, &str)> {
    let mut found = Vec::new();
    let mut path = Vec::new();
    for (key, value) in root {
        if key == "sources" {
            continue;
        }
        path.push(Step::Key(key));
        walk(value, &mut path, &|_, _| false, &mut |path, value| {
            let Some(Step::Key(key)) = path.last() else {
                return;
            };
            match value {
                Value::String(id) if *key == "source" || key.ends_with("_source") => {
                    found.push((pointer_of(path), id.as_str()));
                }
                Value::Array(items) if *key == "sources" || key.ends_with("_sources") => {
                    let pointer = pointer_of(path);
                    for (index, item) in items.iter().enumerate() {
                        if let Value::String(id) = item {
                            found.push((format!("{pointer}/{index}"), id.as_str()));
                        }
                    }
                }
                _ => {}
            }
        });
        path.pop();
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
