//! Hover: on a key, what the schema says about it; on a fact, BLS's figure
//! for it from the release the guide is checked against; on a code in a
//! suppression comment, the rule's documentation.

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position, Uri};

use super::cursor::{self, Place, Step};
use super::position;
use super::schema;
use super::session::Session;
use crate::codes;
use crate::diagnostic::Span;
use crate::rules;
use crate::source::SourceFile;

fn markdown(value: String, source: &SourceFile, span: Span, session: &Session) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: Some(position::range(source, span, session.encoding)),
    }
}

/// The code or rule name at byte `offset` of a comment starting at `start`.
fn code_at(comment: &str, start: usize, offset: usize) -> Option<(&'static codes::CodeInfo, Span)> {
    let mut at = 0;
    for token in comment.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')) {
        let token_start = start + at;
        at += token.len() + 1;
        if token.is_empty() || offset < token_start || offset > token_start + token.len() {
            continue;
        }
        return codes::lookup(token)
            .map(|info| (info, Span::new(token_start, token_start + token.len())));
    }
    None
}

/// A rule's or core code's documentation.
pub fn code_doc(info: &codes::CodeInfo) -> String {
    let doc = rules::rule(info.code)
        .map(|rule| rule.doc())
        .or_else(|| codes::doc(info.code));
    match doc {
        Some(doc) => format!("**{}** `{}`\n\n{doc}", info.code, info.name),
        None => format!("**{}** `{}`: {}", info.code, info.name, info.summary),
    }
}

fn schema_text(session: &Session, uri: &Uri, path: &[Step]) -> Option<String> {
    let target = session.target(uri)?;
    let schema = target.schema?;
    let found = schema::at(&schema.document, path);
    if found.is_empty() {
        return None;
    }
    let doc = schema::describe(&found);
    let mut text = format!(
        "**{}**",
        cursor::pointer(path)
            .trim_start_matches('/')
            .replace('/', ".")
    );
    if !doc.types.is_empty() {
        text.push_str(&format!(" · {}", doc.types.join(" | ")));
    }
    if let Some(description) = &doc.description {
        text.push_str("\n\n");
        text.push_str(description);
    }
    if !doc.values.is_empty() {
        let values: Vec<String> = doc.values.iter().map(|v| format!("`{v}`")).collect();
        text.push_str(&format!("\n\nAllowed: {}", values.join(", ")));
    }
    if !doc.examples.is_empty() {
        let examples: Vec<String> = doc
            .examples
            .iter()
            .take(3)
            .map(|v| format!("`{v}`"))
            .collect();
        text.push_str(&format!("\n\nExamples: {}", examples.join(", ")));
    }
    Some(text)
}

fn official_text(session: &Session, uri: &Uri, pointer: &str) -> Option<String> {
    let file = session.checked.get(uri)?.good()?;
    let figure = rules::official_figures(file, &session.settings.context)
        .into_iter()
        .find(|f| f.pointer == pointer)?;
    let verdict = match figure.agrees {
        Some(true) => format!("the guide's {} agrees", rules::thousands(figure.written)),
        Some(false) => format!("the guide says {}", rules::thousands(figure.written)),
        None => "nothing to compare with".to_owned(),
    };
    let mut text = format!(
        "**{}**: {} — {} for {} ({verdict})",
        figure.source, figure.official, figure.subject, figure.occupation
    );
    if let Some(row) = figure.row {
        text.push_str(&format!("\n\n`{row}`"));
    }
    Some(text)
}

fn occupation_text(session: &Session, uri: &Uri, code: &str) -> Option<String> {
    let (snapshot, _) = session.occupation(uri)?;
    let occupation = snapshot.occupation(code).ok()??;
    let mut text = format!(
        "**{} ({})** — BLS OEWS {}",
        occupation.title,
        occupation.code,
        snapshot.release.label()
    );
    if let Some(national) = &occupation.national {
        text.push_str(&format!(
            "\n\nU.S.: median annual wage {}, employment {}\n\n`{}:{}`",
            figure(national.median),
            figure(national.employment),
            snapshot.path.display(),
            national.line
        ));
    }
    Some(text)
}

fn figure(figure: crate::data::Figure) -> String {
    match figure.value() {
        Some(value) => rules::thousands(value),
        None => format!("not published (`{}`)", figure.symbol()),
    }
}

/// BLS's figures for the guide's occupation in one state.
fn state_text(session: &Session, uri: &Uri, state: &str) -> Option<String> {
    let (snapshot, occupation) = session.occupation(uri)?;
    let occupation = occupation?;
    let row = occupation.state(state)?;
    Some(format!(
        "**{}**, {} ({}) — BLS OEWS {}: median annual wage {}, employment {}\n\n`{}:{}`",
        row.area_title,
        occupation.title,
        occupation.code,
        snapshot.release.label(),
        figure(row.median),
        figure(row.employment),
        snapshot.path.display(),
        row.line
    ))
}

/// The hover at `position` of the open document `uri`.
pub fn hover(session: &Session, uri: &Uri, position: Position) -> Option<Hover> {
    let (source, offset, cursor) = session.cursor(uri, position)?;
    let joined = |parts: [Option<String>; 4], start: usize, end: usize| {
        let parts: Vec<String> = parts.into_iter().flatten().collect();
        (!parts.is_empty()).then(|| {
            markdown(
                parts.join("\n\n---\n\n"),
                &source,
                Span::new(start, end),
                session,
            )
        })
    };
    match &cursor.place {
        Place::Comment { text, start } => {
            let (info, span) = code_at(text, *start, offset)?;
            Some(markdown(code_doc(info), &source, span, session))
        }
        Place::Key {
            text, start, end, ..
        } => {
            let mut path = cursor.path.clone();
            path.push(Step::Key(text.clone()));
            let pointer = cursor::pointer(&path);
            joined(
                [
                    schema_text(session, uri, &path),
                    official_text(session, uri, &pointer),
                    None,
                    None,
                ],
                *start,
                *end,
            )
        }
        Place::Value { text, start, end } => {
            let pointer = cursor.pointer();
            let value = text.trim_matches(['"', '\'']);
            joined(
                [
                    official_text(session, uri, &pointer),
                    (pointer == "/occupation/soc_code")
                        .then(|| occupation_text(session, uri, value))
                        .flatten(),
                    pointer
                        .ends_with("/state")
                        .then(|| state_text(session, uri, value))
                        .flatten(),
                    schema_text(session, uri, &cursor.path),
                ],
                *start,
                *end,
            )
        }
        Place::Blank => None,
    }
}
