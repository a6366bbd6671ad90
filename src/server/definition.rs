//! Go to definition: a source id to its `sources` entry, an author id to the
//! author's file, the `$schema` modeline to the schema; never to a file
//! outside the repository (a `..` path or a symbolic link leading out).

use lsp_types::{Location, Position, Range, Uri};
use serde_json::Value;

use super::cursor::Place;
use super::position;
use super::schema;
use super::session::{Session, path_uri, uri_path};

fn file_start(path: &std::path::Path) -> Option<Location> {
    Some(Location::new(
        path_uri(path)?,
        Range::new(Position::new(0, 0), Position::new(0, 0)),
    ))
}

/// Where the thing at `position` of the open document `uri` is defined.
pub fn definition(session: &Session, uri: &Uri, position: Position) -> Option<Location> {
    let (_, _, cursor) = session.cursor(uri, position)?;
    match &cursor.place {
        Place::Comment { text, .. } => {
            let at = text.find("$schema=")?;
            let reference = text[at + "$schema=".len()..].split_whitespace().next()?;
            let base = uri_path(uri)?;
            let path = base.parent()?.join(reference);
            (path.is_file() && session.inside(&path))
                .then(|| file_start(&path))
                .flatten()
        }
        Place::Value { text, .. } => {
            let value = text.trim_matches(['"', '\'']);
            let target = session.target(uri)?;
            let doc = schema::describe(&schema::at(&target.schema?.document, &cursor.path));
            if doc.refs.iter().any(|r| r == "author_id") {
                let dir = session.authors_dir();
                return ["yaml", "yml"]
                    .iter()
                    .map(|ext| dir.join(format!("{value}.{ext}")))
                    .find(|p| p.is_file() && session.inside(p))
                    .and_then(|p| file_start(&p));
            }
            if doc.refs.iter().any(|r| r == "source_id") {
                let checked = session.checked.get(uri)?;
                let file = checked.good()?;
                let sources = file.get("/sources")?.as_array()?;
                let index = sources
                    .iter()
                    .position(|s| s.get("id").and_then(Value::as_str) == Some(value))?;
                let span = file.value_span(&format!("/sources/{index}"));
                return Some(Location::new(
                    uri.clone(),
                    position::range(&file.source, span, session.encoding),
                ));
            }
            None
        }
        _ => None,
    }
}
