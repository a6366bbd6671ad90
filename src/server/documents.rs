//! The documents the editor has open: their text as the editor holds it
//! (unsaved changes included) and its version.

use std::collections::HashMap;

use lsp_types::{TextDocumentContentChangeEvent, Uri};

use super::position::{self, Encoding};
use crate::source::SourceFile;

/// One open document.
#[derive(Debug, Clone)]
pub struct Document {
    /// The editor's text.
    pub text: String,
    /// The editor's version of it.
    pub version: i32,
}

/// Every open document, by URI.
#[derive(Debug, Default)]
pub struct Documents {
    open: HashMap<Uri, Document>,
}

impl Documents {
    /// Records a document the editor opened.
    pub fn open(&mut self, uri: Uri, text: String, version: i32) {
        self.open.insert(uri, Document { text, version });
    }

    /// Forgets a document the editor closed.
    pub fn close(&mut self, uri: &Uri) -> Option<Document> {
        self.open.remove(uri)
    }

    /// The document at `uri`, when open.
    pub fn get(&self, uri: &Uri) -> Option<&Document> {
        self.open.get(uri)
    }

    /// Takes every open document out.
    pub fn drain(&mut self) -> impl Iterator<Item = (Uri, Document)> + '_ {
        self.open.drain()
    }

    /// Every open document.
    pub fn iter(&self) -> impl Iterator<Item = (&Uri, &Document)> {
        self.open.iter()
    }

    /// Applies the editor's changes (whole texts or ranges, in order) and
    /// records the new version. A change for a document not open is ignored;
    /// a change older than the text held is ignored too.
    pub fn change(
        &mut self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        encoding: Encoding,
    ) -> bool {
        let Some(document) = self.open.get_mut(uri) else {
            return false;
        };
        if version < document.version {
            return false;
        }
        for change in changes {
            match change.range {
                None => document.text = change.text,
                Some(range) => {
                    let source = SourceFile::new("", std::mem::take(&mut document.text));
                    let start = position::offset(&source, range.start, encoding);
                    let end = position::offset(&source, range.end, encoding).max(start);
                    let mut text = source.text;
                    text.replace_range(start..end, &change.text);
                    document.text = text;
                }
            }
        }
        document.version = version;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::{Position, Range};

    #[test]
    fn ranged_changes_apply_in_order() {
        let uri: Uri = "file:///w/g.yaml".parse().unwrap();
        let mut documents = Documents::default();
        documents.open(uri.clone(), "a: 1\nb: é2\n".into(), 1);
        let change = |l1, c1, l2, c2, text: &str| TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l1, c1), Position::new(l2, c2))),
            range_length: None,
            text: text.into(),
        };
        assert!(documents.change(
            &uri,
            2,
            vec![change(1, 4, 1, 5, "3"), change(0, 3, 0, 4, "40")],
            Encoding::Utf16,
        ));
        assert_eq!(documents.get(&uri).unwrap().text, "a: 40\nb: é3\n");
        assert!(!documents.change(&uri, 1, vec![change(0, 0, 0, 0, "x")], Encoding::Utf16));
        assert_eq!(documents.get(&uri).unwrap().version, 2);
    }
}
