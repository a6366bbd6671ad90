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
    try_get(address, path).expect("an answer")
}

/// GET `path`: status and body, or `None` when refused, reset or unanswered.
fn try_get(address: &str, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(address).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.split(' ').nth(1).and_then(|s| s.parse().ok())?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Some((status, body))
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

/// Sends `request` as is and reads the whole answer (the server closes).
fn raw(address: &str, request: &str) -> String {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    stream.write_all(request.as_bytes()).expect("request");
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    String::from_utf8_lossy(&response).into_owned()
}

#[test]
fn only_requests_for_a_loopback_name_are_answered() {
    let dir = content();
    let (_server, address) = start(dir.path());
    let port = address.rsplit(':').next().expect("port");
    let ask = |host: &str| {
        raw(
            &address,
            &format!(
                "GET /backend-engineer.html HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
            ),
        )
    };
    // DNS rebinding: a page on another site whose name resolves to 127.0.0.1.
    for host in [
        format!("evil.example:{port}"),
        "evil.example".to_owned(),
        format!("127.0.0.1.nip.example:{port}"),
        format!("localhost:{}", port.parse::<u16>().expect("port") ^ 1),
    ] {
        let answer = ask(&host);
        assert!(answer.starts_with("HTTP/1.1 421"), "{host}: {answer}");
        assert!(!answer.contains("Backend Engineer"), "{host}: no page");
    }
    let no_host = raw(
        &address,
        "GET /backend-engineer.html HTTP/1.1\r\nConnection: close\r\n\r\n",
    );
    assert!(!no_host.contains("Backend Engineer"), "{no_host}");
    assert!(!no_host.starts_with("HTTP/1.1 200"), "{no_host}");
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ] {
        let answer = ask(&host);
        assert!(answer.starts_with("HTTP/1.1 200"), "{host}: {answer}");
        assert!(answer.contains("Backend Engineer"), "{host}");
    }
}

#[test]
fn a_request_head_that_never_ends_is_closed() {
    let dir = content();
    let (_server, address) = start(dir.path());
    let mut stream = TcpStream::connect(&address).expect("connect");
    write!(stream, "GET / HTTP/1.1\r\nHost: {address}\r\nX-Slow: ").expect("part");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    let started = Instant::now();
    let mut rest = Vec::new();
    let end = stream.read_to_end(&mut rest);
    assert!(
        end.is_ok()
            || end
                .as_ref()
                .is_err_and(|e| e.kind() == std::io::ErrorKind::ConnectionReset),
        "closed by the server, not timed out here: {end:?}"
    );
    assert!(rest.is_empty(), "no page for half a request");
    assert!(
        started.elapsed() < Duration::from_secs(45),
        "closed after {:?}",
        started.elapsed()
    );
}

#[test]
fn many_unfinished_requests_do_not_stop_the_server() {
    let dir = content();
    let (_server, address) = start(dir.path());
    // Far more half-sent requests than the server serves at once, held open.
    let held: Vec<TcpStream> = (0..300)
        .filter_map(|_| {
            let mut stream = TcpStream::connect(&address).ok()?;
            let _ = write!(stream, "GET / HTTP/1.1\r\nHost: {address}\r\n");
            Some(stream)
        })
        .collect();
    assert!(held.len() >= 200, "{} connections opened", held.len());
    // A normal request is answered (at worst once the unfinished ones time
    // out), while all of them are still held open by this side.
    let started = Instant::now();
    let answered = loop {
        if let Some((200, page)) = try_get(&address, "/backend-engineer.html") {
            break page;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no answer while unfinished requests are held"
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(answered.contains("Backend Engineer"));
    // The server closed the unfinished ones: each read ends.
    for mut stream in held.into_iter().take(20) {
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .expect("timeout");
        let mut rest = Vec::new();
        let end = stream.read_to_end(&mut rest);
        assert!(
            end.is_ok()
                || end
                    .as_ref()
                    .is_err_and(|e| e.kind() == std::io::ErrorKind::ConnectionReset),
            "{end:?}"
        );
        assert!(!String::from_utf8_lossy(&rest).contains("HTTP/1.1 200"));
    }
}
