//! Every request at every place of mangled guides answers without a panic.

use std::path::Path;

use lsp_types::{
    CodeActionContext, CodeActionParams, PartialResultParams, Position, Range,
    TextDocumentIdentifier, Uri, WorkDoneProgressParams,
};
use proptest::prelude::*;

use super::session::{Session, path_uri};
use super::{actions, completion, cursor, definition, hover, position::Encoding};

/// The test copy of the bundled content (tests/fixtures/project/content):
/// tests never read the live `content/`, which a publisher may change. Read
/// at run time: the packaged crate leaves the tests out.
fn fixture(relative: &str) -> std::path::PathBuf {
    repo("tests/fixtures/project").join(relative)
}

/// A file of the repository; never under the live `content/`.
fn repo(relative: &str) -> std::path::PathBuf {
    assert!(!relative.starts_with("content"), "{relative}");
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// The bundled guide.
fn guide() -> String {
    std::fs::read_to_string(fixture("content/guides/backend-engineer.yaml")).unwrap()
}

fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for file in [
        "guidepress.toml",
        "schemas/guide.schema.json",
        "schemas/author.schema.json",
        "data/oews/2025A01.csv",
    ] {
        let to = dir.path().join(file);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(repo(file), to).unwrap();
    }
    let author = dir.path().join("content/authors/taylor-rupe.yaml");
    std::fs::create_dir_all(author.parent().unwrap()).unwrap();
    std::fs::copy(fixture("content/authors/taylor-rupe.yaml"), author).unwrap();
    std::fs::create_dir_all(dir.path().join("content/guides")).unwrap();
    dir
}

fn open_session(root: &Path, encoding: Encoding) -> (Session, Uri) {
    let (session, problem) = Session::open(root.to_owned(), None, encoding);
    assert_eq!(problem, None);
    let uri = path_uri(&root.join("content/guides/backend-engineer.yaml")).unwrap();
    (session, uri)
}

/// Asks everything at every line of `text`, at a few characters of each.
fn ask_everywhere(session: &mut Session, uri: &Uri, text: &str, version: i32) {
    session
        .documents
        .open(uri.clone(), text.to_owned(), version);
    assert!(session.check(uri));
    let lines = text.split('\n').count() as u32 + 1;
    for line in 0..lines {
        for character in [0, 2, 5, 13, 200] {
            let at = Position::new(line, character);
            let _ = hover::hover(session, uri, at);
            let _ = completion::completion(session, uri, at);
            let _ = definition::definition(session, uri, at);
            // A code action re-checks (fix-all): every few lines is enough.
            if line % 16 != 0 || character != 0 {
                continue;
            }
            let params = CodeActionParams {
                text_document: TextDocumentIdentifier { uri: uri.clone() },
                range: Range::new(at, Position::new(line + 1, 0)),
                context: CodeActionContext::default(),
                work_done_progress_params: WorkDoneProgressParams::default(),
                partial_result_params: PartialResultParams::default(),
            };
            let _ = actions::code_actions(session, &params);
        }
    }
}

#[test]
fn mangled_guides_get_answers_everywhere() {
    let dir = workspace();
    let (mut session, uri) = open_session(dir.path(), Encoding::Utf16);
    let guide = guide();
    let mangled = [
        guide.to_owned(),
        guide.replace("  ", "\t"),
        guide.replace(": ", ":"),
        guide.replace('\n', "\r\n"),
        guide.replace('\n', "\r"),
        guide.replacen("facts:", "facts: [", 1),
        guide.replace("- ", "-"),
        format!("\u{feff}{}", guide.replace('e', "é😀")),
        guide[..guide.len() / 3].to_owned(),
        guide.replace("state: CA", "state: \"CA"),
        String::new(),
        "- - - : : : #\n\"\n'\n|\n>\n  - a: b: c\n".to_owned(),
    ];
    for (version, text) in mangled.iter().enumerate() {
        ask_everywhere(&mut session, &uri, text, version as i32);
    }
    let (mut utf8, uri) = open_session(dir.path(), Encoding::Utf8);
    ask_everywhere(&mut utf8, &uri, &mangled[7], 1);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn the_cursor_reader_takes_any_text(text in "[ a-z:#\\-\"'|>\\[\\]{}\n\r\té]{0,120}", at in 0usize..130) {
        let mut at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let _ = cursor::at(&text, at);
    }
}
