//! `GP308`: `editorial.author`, `reviewers` and `approved_by` name author files. See [`UnknownAuthor`].

use serde_json::Value;

use super::{Guide, Rule, finding};
use crate::codes;
use crate::diagnostic::Diagnostic;
use crate::validate::closest;

#[doc = include_str!("docs/GP308.md")]
pub struct UnknownAuthor;

impl Rule for UnknownAuthor {
    fn code(&self) -> &'static str {
        codes::UNKNOWN_AUTHOR
    }

    fn doc(&self) -> &'static str {
        include_str!("docs/GP308.md")
    }

    fn check_guide(&self, guide: &Guide<'_>, out: &mut Vec<Diagnostic>) {
        let Some(editorial) = guide.get("/editorial").and_then(Value::as_object) else {
            return;
        };
        let mut references: Vec<(String, &str)> = Vec::new();
        for key in ["author", "approved_by"] {
            if let Some(id) = editorial.get(key).and_then(Value::as_str) {
                references.push((format!("/editorial/{key}"), id));
            }
        }
        if let Some(reviewers) = editorial.get("reviewers").and_then(Value::as_array) {
            for (index, id) in reviewers.iter().enumerate() {
                if let Some(id) = id.as_str() {
                    references.push((format!("/editorial/reviewers/{index}"), id));
                }
            }
        }
        let context = guide.context;
        let dir = &context.authors_dir;
        for (pointer, id) in references {
            let diagnostic = match &context.authors {
                Some(authors) if authors.contains(id) => continue,
                Some(authors) => {
                    let known: Vec<&str> = authors.iter().map(String::as_str).collect();
                    let help = match closest(id, &known) {
                        Some(suggestion) => format!("did you mean `{suggestion}`?"),
                        None => format!("add `{dir}/{id}.yaml`, or use the id of an existing author"),
                    };
                    finding(
                        guide,
                        codes::UNKNOWN_AUTHOR,
                        &pointer,
                        format!("No author `{id}`: there is no `{dir}/{id}.yaml`."),
                    )
                    .with_help(help)
                }
                None => finding(
                    guide,
                    codes::UNKNOWN_AUTHOR,
                    &pointer,
                    format!("The author `{id}` cannot be checked: the authors folder `{dir}` cannot be read."),
                )
                .with_help("set `content.authors` in guidepress.toml to the folder of author files"),
            };
            out.push(diagnostic.with_span_label("unknown author"));
        }
    }
}
