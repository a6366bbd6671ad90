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
    /// The size the text grew to past the most the server holds (its text
    /// was then dropped, and ranged changes cannot apply until the editor
    /// sends the whole text again).
    pub too_large: Option<u64>,
}

/// Every open document, by URI.
#[derive(Debug, Default)]
pub struct Documents {
    open: HashMap<Uri, Document>,
}

impl Documents {
    /// Records a document the editor opened.
    pub fn open(&mut self, uri: Uri, text: String, version: i32) {
        self.open.insert(
            uri,
            Document {
                text,
                version,
                too_large: None,
            },
        );
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
    /// a change older than the text held is ignored too. A text growing past
    /// `max_len` bytes is dropped (see [`Document::too_large`]), so edits
    /// that each fit in a frame cannot pile up without bound.
    pub fn change(
        &mut self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        encoding: Encoding,
        max_len: u64,
    ) -> bool {
        let Some(document) = self.open.get_mut(uri) else {
            return false;
        };
        if version < document.version {
            return false;
        }
        for change in changes {
            match change.range {
                None => {
                    document.text = change.text;
                    document.too_large = None;
                }
                // The text the range is in was dropped.
                Some(_) if document.too_large.is_some() => {}
                Some(range) => {
                    let source = SourceFile::new("", std::mem::take(&mut document.text));
                    let start = position::offset(&source, range.start, encoding);
                    let end = position::offset(&source, range.end, encoding).max(start);
                    let mut text = source.text;
                    text.replace_range(start..end, &change.text);
                    document.text = text;
                }
            }
            let len = document.text.len() as u64;
            if len > max_len {
                document.too_large = Some(len);
                document.text = String::new();
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
            u64::MAX,
        ));
        assert_eq!(documents.get(&uri).unwrap().text, "a: 40\nb: é3\n");
        assert!(!documents.change(
            &uri,
            1,
            vec![change(0, 0, 0, 0, "x")],
            Encoding::Utf16,
            u64::MAX
        ));
        assert_eq!(documents.get(&uri).unwrap().version, 2);
    }

    #[test]
    fn a_text_growing_past_the_limit_is_dropped_until_sent_whole() {
        let uri: Uri = "file:///w/g.yaml".parse().unwrap();
        let mut documents = Documents::default();
        documents.open(uri.clone(), "a: 1\n".into(), 1);
        let grow = TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(0, 0), Position::new(0, 0))),
            range_length: None,
            text: "#123456789\n".into(),
        };
        let limit = 30;
        assert!(documents.change(&uri, 2, vec![grow.clone(); 2], Encoding::Utf16, limit));
        assert_eq!(documents.get(&uri).unwrap().too_large, None);
        assert!(documents.change(&uri, 3, vec![grow.clone()], Encoding::Utf16, limit));
        let document = documents.get(&uri).unwrap();
        assert_eq!(document.too_large, Some(38));
        assert!(document.text.is_empty());
        // Ranged edits cannot apply to the dropped text; a whole text can.
        assert!(documents.change(&uri, 4, vec![grow], Encoding::Utf16, limit));
        assert_eq!(documents.get(&uri).unwrap().too_large, Some(38));
        let whole = TextDocumentContentChangeEvent {
            range: None,
            range_length: None,
            text: "a: 2\n".into(),
        };
        assert!(documents.change(&uri, 5, vec![whole], Encoding::Utf16, limit));
        let document = documents.get(&uri).unwrap();
        assert_eq!(
            (document.too_large, document.text.as_str()),
            (None, "a: 2\n")
        );
    }
}
