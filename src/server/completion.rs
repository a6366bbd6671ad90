//! Completion: the keys the schema allows at the cursor, enum values, SOC
//! codes with their BLS titles, source ids and author ids.

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, MarkupContent,
    MarkupKind, Position, TextEdit, Uri,
};
use serde_json::Value;

use super::cursor::Place;
use super::position;
use super::schema;
use super::session::Session;
use crate::diagnostic::Span;

fn docs(text: &str) -> Documentation {
    Documentation::MarkupContent(MarkupContent {
        kind: MarkupKind::Markdown,
        value: text.to_owned(),
    })
}

fn item(
    label: String,
    kind: CompletionItemKind,
    detail: Option<String>,
    insert: String,
    range: lsp_types::Range,
) -> CompletionItem {
    CompletionItem {
        filter_text: Some(label.clone()),
        label,
        kind: Some(kind),
        detail,
        text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range, insert))),
        ..CompletionItem::default()
    }
}

/// A value as YAML writes it on one line.
fn yaml_text(value: &Value) -> String {
    match value {
        Value::String(s) => {
            let plain = crate::load::scalar::plain_is_string(s)
                && !s.is_empty()
                && !s.contains(": ")
                && !s.contains(" #");
            if plain {
                s.clone()
            } else {
                serde_json::to_string(s).unwrap_or_default()
            }
        }
        other => other.to_string(),
    }
}

/// The completions at `position` of the open document `uri`.
pub fn completion(session: &Session, uri: &Uri, position: Position) -> Vec<CompletionItem> {
    let Some(schema) = session.target(uri).and_then(|t| t.schema) else {
        return Vec::new();
    };
    let Some((source, offset, cursor)) = session.cursor(uri, position) else {
        return Vec::new();
    };
    let root = &schema.document;
    match &cursor.place {
        Place::Key {
            start, siblings, ..
        } => {
            let range = position::range(
                &source,
                Span::new(*start, offset.max(*start)),
                session.encoding,
            );
            let found = schema::at(root, &cursor.path);
            schema::keys(root, &found)
                .into_iter()
                .filter(|key| !siblings.contains(&key.name))
                .enumerate()
                .map(|(order, key)| {
                    let nested = key.doc.types.iter().any(|t| t == "object" || t == "array");
                    let insert = if nested {
                        format!("{}:", key.name)
                    } else {
                        format!("{}: ", key.name)
                    };
                    let mut completion = item(
                        key.name.clone(),
                        CompletionItemKind::PROPERTY,
                        Some(format!(
                            "{}{}",
                            key.doc.types.join(" | "),
                            if key.required { " (required)" } else { "" }
                        )),
                        insert,
                        range,
                    );
                    completion.documentation = key.doc.description.as_deref().map(docs);
                    // Required keys first, then schema order.
                    completion.sort_text =
                        Some(format!("{}{order:03}", if key.required { 0 } else { 1 }));
                    completion
                })
                .collect()
        }
        Place::Value { start, end, .. } => {
            let range = position::range(
                &source,
                Span::new(*start, (*end).max(offset)),
                session.encoding,
            );
            let doc = schema::describe(&schema::at(root, &cursor.path));
            // A state code says which state it is and, for the guide's
            // occupation, BLS's median there.
            let states = doc.refs.iter().any(|r| r == "state_code");
            let occupation = states
                .then(|| session.occupation(uri))
                .flatten()
                .and_then(|(_, occupation)| occupation);
            let mut out: Vec<CompletionItem> = doc
                .values
                .iter()
                .map(|value| {
                    let detail = value.as_str().filter(|_| states).and_then(|code| {
                        let name = crate::states::name(code)?;
                        let median = occupation
                            .as_ref()
                            .and_then(|o| o.state(code))
                            .and_then(|row| row.median.value());
                        Some(match median {
                            Some(median) => {
                                format!("{name}: BLS median {}", crate::text::thousands(median))
                            }
                            None => name.to_owned(),
                        })
                    });
                    item(
                        yaml_text(value),
                        CompletionItemKind::ENUM_MEMBER,
                        detail,
                        yaml_text(value),
                        range,
                    )
                })
                .collect();
            if doc.types.iter().any(|t| t == "boolean") {
                for value in ["true", "false"] {
                    out.push(item(
                        value.into(),
                        CompletionItemKind::VALUE,
                        None,
                        value.into(),
                        range,
                    ));
                }
            }
            if doc.refs.iter().any(|r| r == "source_id") {
                out.extend(source_ids(session, uri).into_iter().map(|(id, title)| {
                    item(id.clone(), CompletionItemKind::REFERENCE, title, id, range)
                }));
            }
            if doc.refs.iter().any(|r| r == "author_id") {
                for author in session.settings.context.authors.iter().flatten() {
                    out.push(item(
                        author.clone(),
                        CompletionItemKind::REFERENCE,
                        Some("author".into()),
                        author.clone(),
                        range,
                    ));
                }
            }
            if cursor.pointer() == "/occupation/soc_code" {
                out.extend(soc_codes(session, uri, range));
            }
            out
        }
        _ => Vec::new(),
    }
}

/// The ids (and titles) of the document's `sources`.
fn source_ids(session: &Session, uri: &Uri) -> Vec<(String, Option<String>)> {
    let Some(file) = session.checked.get(uri).and_then(|c| c.good()) else {
        return Vec::new();
    };
    file.get("/sources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|source| {
            let id = source.get("id")?.as_str()?.to_owned();
            let title = source
                .get("title")
                .and_then(Value::as_str)
                .map(str::to_owned);
            Some((id, title))
        })
        .collect()
}

/// Every SOC code of the release the guide is checked against, with its title.
fn soc_codes(session: &Session, uri: &Uri, range: lsp_types::Range) -> Vec<CompletionItem> {
    let Some((snapshot, _)) = session.occupation(uri) else {
        return Vec::new();
    };
    let label = snapshot.release.label();
    snapshot
        .titles()
        .iter()
        .map(|(code, title)| {
            let mut completion = item(
                code.clone(),
                CompletionItemKind::VALUE,
                Some(title.clone()),
                format!("\"{code}\""),
                range,
            );
            completion.filter_text = Some(format!("{code} {title}"));
            completion.documentation = Some(docs(&format!("{title} ({code}), BLS OEWS {label}")));
            completion
        })
        .collect()
}
