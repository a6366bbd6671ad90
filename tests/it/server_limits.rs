//! The language server's limits, through a real exchange over stdio: frames
//! larger than the workspace's documents may be are refused before they are
//! read and the server keeps serving; open documents are held to
//! `limits.max_file_size` as `check` holds files; nothing outside the
//! workspace is read or pointed to.

use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};

use crate::server_support::{Client, codes, guide_text, uri as file_uri, workspace};

const GUIDE: &str = "content/guides/backend-engineer.yaml";

/// The frame limit with the default `max_file_size` (1 MiB): six times it plus 1 MiB.
const DEFAULT_FRAME_LIMIT: usize = 7 * 1024 * 1024;

fn refusal(client: &mut Client) -> Value {
    client.wait_message(|m| m.get("id") == Some(&Value::Null) && m.get("error").is_some())
}

/// Sends a header declaring `length` bytes (and no body) and returns the
/// error answer; the server must still run, within `memory` bytes.
fn refuse_length(length: &str, memory: u64) -> String {
    let dir = workspace();
    let mut client = Client::editor(dir.path());
    client.send_raw(format!("Content-Length: {length}\r\n\r\n").as_bytes());
    let answer = refusal(&mut client);
    assert_eq!(answer["error"]["code"], -32600, "{answer}");
    std::thread::sleep(Duration::from_millis(300));
    assert!(client.alive(), "the server stopped");
    let peak = client.peak_memory().expect("/proc is readable");
    assert!(peak < memory, "peak memory {peak} bytes");
    answer["error"]["message"].as_str().unwrap().to_owned()
}

#[test]
fn a_content_length_beyond_memory_is_refused_and_the_server_lives() {
    let message = refuse_length("99999999999999999", 400 << 20);
    assert!(message.contains("99999999999999999 bytes"), "{message}");
}

#[test]
fn a_four_gigabyte_frame_takes_no_memory_before_its_body() {
    // lsp-server's reader allocated the 4 GB at once.
    let message = refuse_length("4000000000", 400 << 20);
    assert!(message.contains("4000000000 bytes"), "{message}");
    assert!(
        message.contains(&format!("{DEFAULT_FRAME_LIMIT} bytes")),
        "{message}"
    );
}

#[test]
fn a_length_beyond_64_bits_is_refused() {
    let message = refuse_length("999999999999999999999999999", 400 << 20);
    assert!(message.contains("more than 2^64"), "{message}");
}

#[test]
fn after_an_oversized_frame_the_server_keeps_serving() {
    let dir = workspace();
    let mut client = Client::editor(dir.path());
    let length = DEFAULT_FRAME_LIMIT + 1;
    let mut frame = format!("Content-Length: {length}\r\n\r\n").into_bytes();
    frame.extend(std::iter::repeat_n(b' ', length));
    client.send_raw(&frame);
    refusal(&mut client);
    // The declared bytes were skipped: the next frame is read and answered.
    let uri = client.open(GUIDE, &guide_text());
    let found = client.diagnostics(&uri, 1);
    assert!(!codes(&found).is_empty(), "{found:?}");
    assert!(client.shutdown());
}

#[test]
fn a_frame_within_the_limit_is_read() {
    // A document just under the default 1 MiB limit, as a frame of about 1 MiB.
    let dir = workspace();
    let mut client = Client::editor(dir.path());
    let mut text = guide_text();
    text.push_str(&format!("# {}\n", "x".repeat(1_000_000 - text.len())));
    let uri = client.open(GUIDE, &text);
    let found = client.diagnostics(&uri, 1);
    assert!(!codes(&found).contains(&"GP107".to_owned()), "{found:?}");
}

fn with_limits(dir: &Path, limits: &str) {
    let config = dir.join("guidepress.toml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str(&format!("\n[limits]\n{limits}\n"));
    std::fs::write(config, text).unwrap();
}

#[test]
fn an_open_document_over_max_file_size_gets_gp107() {
    let dir = workspace();
    let text = guide_text();
    with_limits(dir.path(), &format!("max_file_size = {}", text.len() - 1));
    let mut client = Client::editor(dir.path());
    let uri = client.open(GUIDE, &text);
    let found = client.diagnostics(&uri, 1);
    assert_eq!(codes(&found), vec!["GP107".to_owned()], "{found:?}");
    let message = found[0]["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("{} bytes", text.len())),
        "{message}"
    );
    // One byte shorter fits, and is checked.
    let shorter = text.trim_end().to_owned();
    client.change(&uri, 2, &shorter);
    let found = client.diagnostics(&uri, 2);
    assert!(!codes(&found).contains(&"GP107".to_owned()), "{found:?}");
}

#[test]
fn a_document_over_the_frame_limit_of_a_raised_max_file_size_is_refused() {
    // With a 2 MiB limit, frames may be 13 MiB: a 14 MiB frame is refused.
    let dir = workspace();
    with_limits(dir.path(), "max_file_size = 2097152");
    let mut client = Client::editor(dir.path());
    let length = 14 * 1024 * 1024;
    client.send_raw(format!("Content-Length: {length}\r\n\r\n").as_bytes());
    let message = refusal(&mut client)["error"]["message"].to_string();
    assert!(
        message.contains(&format!("{} bytes", 13 * 1024 * 1024)),
        "{message}"
    );
}

/// A guide outside the workspace with the bundled guide's slug, and a link to
/// it at `content/guides/linked.yaml`.
fn linked_duplicate(dir: &Path) -> (tempfile::TempDir, std::path::PathBuf) {
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("secret.yaml");
    std::fs::write(&target, guide_text()).unwrap();
    let link = dir.join("content/guides/linked.yaml");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    (outside, link)
}

/// Replaces the link with a regular copy of what it pointed to.
fn make_regular(link: &Path) {
    std::fs::remove_file(link).unwrap();
    std::fs::write(link, guide_text()).unwrap();
}

#[test]
fn a_watched_guide_linked_outside_the_workspace_is_not_read() {
    let dir = workspace();
    let mut client = Client::editor(dir.path());
    let uri = client.open(GUIDE, &guide_text());
    client.diagnostics(&uri, 1);
    let (_outside, link) = linked_duplicate(dir.path());
    let changed = json!({"changes": [{"uri": file_uri(&link), "type": 1}]});
    client.notify("workspace/didChangeWatchedFiles", changed.clone());
    let found = client.next_diagnostics(&uri);
    let found = codes(found["diagnostics"].as_array().unwrap());
    assert!(!found.contains(&"GP310".to_owned()), "{found:?}");
    // The same guide inside the workspace is read: the duplicate slug shows.
    make_regular(&link);
    client.notify("workspace/didChangeWatchedFiles", changed);
    client.diagnostics_where(&uri, |codes| codes.iter().any(|c| c == "GP310"));
}

#[test]
fn a_saved_guide_linked_outside_the_workspace_is_not_read() {
    let dir = workspace();
    let mut client = Client::editor(dir.path());
    let text = guide_text();
    let uri = client.open(GUIDE, &text);
    client.diagnostics(&uri, 1);
    let (_outside, link) = linked_duplicate(dir.path());
    let saved = json!({"textDocument": {"uri": file_uri(&link)}});
    client.notify("textDocument/didSave", saved.clone());
    client.change(&uri, 2, &text);
    let found = codes(&client.diagnostics(&uri, 2));
    assert!(!found.contains(&"GP310".to_owned()), "{found:?}");
    make_regular(&link);
    client.notify("textDocument/didSave", saved);
    client.change(&uri, 3, &text);
    let found = codes(&client.diagnostics(&uri, 3));
    assert!(found.contains(&"GP310".to_owned()), "{found:?}");
}

#[test]
fn definition_does_not_follow_a_schema_modeline_outside_the_workspace() {
    let dir = workspace();
    let mut client = Client::editor(dir.path());
    let text = guide_text();
    let first = text.lines().next().unwrap();
    assert!(first.contains("$schema=../../schemas/guide.schema.json"));
    let escaping = text.replacen(
        "$schema=../../schemas/guide.schema.json",
        "$schema=../../../../../../../../../../etc/passwd",
        1,
    );
    let uri = client.open(GUIDE, &escaping);
    assert!(Path::new("/etc/passwd").is_file());
    let location = client.at("textDocument/definition", &uri, 0, 30);
    assert_eq!(location, Value::Null);
    // The modeline inside the workspace is followed.
    client.change(&uri, 2, &text);
    let location = client.at("textDocument/definition", &uri, 0, 30);
    assert!(
        location["uri"]
            .as_str()
            .is_some_and(|u| u.ends_with("schemas/guide.schema.json")),
        "{location}"
    );
}

#[test]
fn definition_does_not_follow_an_author_id_outside_the_workspace() {
    let dir = workspace();
    let outside = tempfile::tempdir_in(dir.path().parent().unwrap()).unwrap();
    std::fs::write(outside.path().join("evil.yaml"), "id: evil\n").unwrap();
    // `content/authors/linked.yaml` links outside too.
    std::os::unix::fs::symlink(
        outside.path().join("evil.yaml"),
        dir.path().join("content/authors/linked.yaml"),
    )
    .unwrap();
    let escaping = format!(
        "../../../{}/evil",
        outside.path().file_name().unwrap().to_string_lossy()
    );
    let resolved = dir
        .path()
        .join("content/authors")
        .join(format!("{escaping}.yaml"));
    assert!(resolved.is_file(), "{}", resolved.display());
    let mut client = Client::editor(dir.path());
    let text = guide_text();
    for (version, author) in [(1, escaping.as_str()), (2, "linked")] {
        let changed = text.replacen("author: taylor-rupe", &format!("author: {author}"), 1);
        let uri = if version == 1 {
            client.open(GUIDE, &changed)
        } else {
            let uri = file_uri(&dir.path().join(GUIDE));
            client.change(&uri, version, &changed);
            uri
        };
        let line = changed
            .lines()
            .position(|l| l.starts_with("  author: "))
            .unwrap();
        let location = client.at("textDocument/definition", &uri, line, 12);
        assert_eq!(location, Value::Null, "{author}");
    }
    // An author inside is followed.
    let uri = file_uri(&dir.path().join(GUIDE));
    client.change(&uri, 3, &text);
    let line = text
        .lines()
        .position(|l| l.starts_with("  author: "))
        .unwrap();
    let location = client.at("textDocument/definition", &uri, line, 12);
    assert!(
        location["uri"]
            .as_str()
            .is_some_and(|u| u.ends_with("content/authors/taylor-rupe.yaml")),
        "{location}"
    );
}

#[test]
fn a_document_grown_by_small_edits_past_the_frame_limit_is_dropped_until_sent_whole() {
    // max_file_size 20,000: the server holds at most 120,000 bytes + 1 MiB.
    let dir = workspace();
    with_limits(dir.path(), "max_file_size = 20000");
    let mut client = Client::editor(dir.path());
    let text = guide_text();
    let uri = client.open(GUIDE, &text);
    client.diagnostics(&uri, 1);
    let chunk = format!("# {}\n", "x".repeat(600_000));
    client.edit(&uri, 2, [0, 0, 0, 0], &chunk);
    let found = client.diagnostics(&uri, 2);
    let message = found[0]["message"].as_str().unwrap();
    assert!(
        message.contains("over the limit of 20000 bytes"),
        "{message}"
    );
    client.edit(&uri, 3, [0, 0, 0, 0], &chunk);
    let found = client.diagnostics(&uri, 3);
    assert_eq!(codes(&found), vec!["GP107".to_owned()], "{found:?}");
    let message = found[0]["message"].as_str().unwrap();
    assert!(message.contains("no longer followed"), "{message}");
    // A ranged edit cannot bring it back; the whole text does.
    client.edit(&uri, 4, [0, 0, 0, 0], "#\n");
    let message = client.diagnostics(&uri, 4)[0]["message"].to_string();
    assert!(message.contains("no longer followed"), "{message}");
    client.change(&uri, 5, &text);
    let found = client.diagnostics(&uri, 5);
    assert!(!codes(&found).contains(&"GP107".to_owned()), "{found:?}");
}

#[test]
fn limits_past_their_caps_are_refused_by_check_and_the_server() {
    for (limits, key) in [
        (
            "max_alias_nodes = 1000001",
            "`limits.max_alias_nodes` is 1000001",
        ),
        (
            "max_file_size = 67108865",
            "`limits.max_file_size` is 67108865",
        ),
    ] {
        let dir = workspace();
        with_limits(dir.path(), limits);
        let output = crate::common::cli::run(dir.path(), &["check"]);
        let stderr = crate::common::cli::text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(key), "{stderr}");
        let mut client = Client::editor(dir.path());
        let shown = client.wait_for("window/showMessage", |p| {
            p["message"].as_str().is_some_and(|m| m.contains(key))
        });
        assert_eq!(shown["type"], 1, "{shown}");
    }
    // At the caps, both run.
    let dir = workspace();
    with_limits(
        dir.path(),
        "max_alias_nodes = 1000000\nmax_file_size = 67108864",
    );
    let output = crate::common::cli::run(dir.path(), &["check", GUIDE]);
    assert_ne!(output.status.code(), Some(2));
}
