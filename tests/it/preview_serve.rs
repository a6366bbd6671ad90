//! `guidepress preview --serve`: a real server on loopback. Saving a guide
//! renders it again, sends the reload event to open pages, and the served
//! page changes, findings included.

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Ends the server when the test ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A content folder with the bundled guide and its author.
fn content() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let guides = dir.path().join("content/guides");
    let authors = dir.path().join("content/authors");
    std::fs::create_dir_all(&guides).expect("guides");
    std::fs::create_dir_all(&authors).expect("authors");
    std::fs::copy(
        common::project_content().join("guides/backend-engineer.yaml"),
        guides.join("backend-engineer.yaml"),
    )
    .expect("guide");
    std::fs::copy(
        common::project_content().join("authors/taylor-rupe.yaml"),
        authors.join("taylor-rupe.yaml"),
    )
    .expect("author");
    let schemas = common::repo_path("schemas");
    std::fs::write(
        dir.path().join("guidepress.toml"),
        format!(
            "[[schemas]]\nfiles = \"content/guides/*.yaml\"\nschema = {:?}\nkind = \"guide\"\n\n\
             [[schemas]]\nfiles = \"content/authors/*.yaml\"\nschema = {:?}\nkind = \"author\"\n",
            schemas.join("guide.schema.json"),
            schemas.join("author.schema.json"),
        ),
    )
    .expect("config");
    dir
}

/// Starts the server on a free port and returns it with its address.
fn start(dir: &Path) -> (Server, String) {
    let mut child = common::cli::command(dir, &["preview", "--serve", "--port", "0"])
        .env("GUIDEPRESS_TODAY", "2026-11-30")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start guidepress preview --serve");
    let stderr = child.stderr.take().expect("stderr");
    let server = Server(child);
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = sender.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = receiver
            .recv_timeout(left)
            .expect("the server says where it listens");
        if let Some(rest) = line.split("at http://").nth(1) {
            let address = rest.split('/').next().expect("address").to_owned();
            assert!(address.starts_with("127.0.0.1:"), "{line}");
            return (server, address);
        }
    }
}

/// GET `path`: status and body.
fn get(address: &str, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .expect("request");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("response");
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status");
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// An open event stream.
struct Events(TcpStream, String);

impl Events {
    fn open(address: &str) -> Self {
        let mut stream = TcpStream::connect(address).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .expect("timeout");
        write!(
            stream,
            "GET /events HTTP/1.1\r\nHost: {address}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .expect("request");
        let mut events = Events(stream, String::new());
        let head = events.wait_for("retry:", Duration::from_secs(20));
        assert!(head.contains("content-type: text/event-stream"), "{head}");
        events
    }

    /// Reads until `text` has arrived; returns (and consumes) everything up to it.
    fn wait_for(&mut self, text: &str, within: Duration) -> String {
        let deadline = Instant::now() + within;
        let mut buffer = [0u8; 4096];
        while !self.1.contains(text) {
            assert!(
                Instant::now() < deadline,
                "no {text:?} in the event stream: {:?}",
                self.1
            );
            match self.0.read(&mut buffer) {
                Ok(0) => panic!("event stream closed: {:?}", self.1),
                Ok(n) => self.1.push_str(&String::from_utf8_lossy(&buffer[..n])),
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(e) => panic!("event stream: {e}"),
            }
        }
        let end = self.1.find(text).expect("found") + text.len();
        self.1.drain(..end).collect()
    }
}

#[test]
fn a_save_changes_the_served_page_and_sends_the_reload_event() {
    let dir = content();
    let (_server, address) = start(dir.path());

    let (status, page) = get(&address, "/backend-engineer.html");
    assert_eq!(status, 200);
    assert!(page.contains("<h1>How to Become a Backend Engineer"));
    assert!(
        page.contains("new EventSource(\"/events\")"),
        "the reload script"
    );
    assert!(page.contains(">GP304</a>"), "findings are shown inline");
    assert!(!page.contains(">GP301</a>"));
    let (status, index) = get(&address, "/");
    assert_eq!(status, 200);
    assert!(index.contains("href=\"backend-engineer.html\""));
    assert_eq!(get(&address, "/missing.html").0, 404);

    let mut events = Events::open(&address);
    let guide = dir.path().join("content/guides/backend-engineer.yaml");
    let text = std::fs::read_to_string(&guide).expect("guide");
    let edited = text
        .replace(
            "title: How to Become a Backend Engineer",
            "title: How to Become a Backend Engineer Today",
        )
        .replace("    vs_national_pct: 28", "    vs_national_pct: 29");
    assert_ne!(edited, text);
    std::fs::write(&guide, edited).expect("save");

    events.wait_for("event: reload\ndata: 1\n\n", Duration::from_secs(30));
    let (status, page) = get(&address, "/backend-engineer.html");
    assert_eq!(status, 200);
    assert!(page.contains("<h1>How to Become a Backend Engineer Today"));
    assert!(page.contains(">GP301</a>"), "the new finding is shown");

    // A guide that stops being YAML is listed as not rendered; fixing it
    // brings the page back.
    std::fs::write(&guide, "title: [unclosed\n").expect("save");
    events.wait_for("event: reload\ndata: 2\n\n", Duration::from_secs(30));
    assert_eq!(get(&address, "/backend-engineer.html").0, 404);
    assert!(get(&address, "/").1.contains("Not shown"));
    std::fs::write(&guide, &text).expect("save");
    events.wait_for("event: reload\ndata: 3\n\n", Duration::from_secs(30));
    assert_eq!(get(&address, "/backend-engineer.html").0, 200);
}
