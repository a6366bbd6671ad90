//! A language client for the tests: spawns `guidepress server` and speaks
//! the protocol to it over its stdin/stdout, as an editor does.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long any answer may take (a debug build on a loaded machine).
const PATIENCE: Duration = Duration::from_secs(20);

/// A workspace like the repository's: configuration, schemas, official data,
/// the bundled guide and its author.
pub fn workspace() -> tempfile::TempDir {
    crate::common::project()
}

/// The bundled guide's text.
pub fn guide_text() -> String {
    std::fs::read_to_string(crate::common::project_content().join("guides/backend-engineer.yaml"))
        .unwrap()
}

/// A path's `file://` URI.
pub fn uri(path: &Path) -> String {
    url::Url::from_file_path(path).unwrap().to_string()
}

/// The client.
pub struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    next_id: i64,
    /// Notifications received and not yet looked at.
    pub notifications: Vec<Value>,
    /// Requests the server sent the client (answered with `null`).
    pub server_requests: Vec<Value>,
    /// The `initialize` result.
    pub initialized: Value,
    /// The workspace folder.
    pub root: PathBuf,
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Client {
    /// Starts a server in `root` and initializes it with `capabilities` and
    /// `options` (`initializationOptions`).
    pub fn start(root: &Path, capabilities: Value, options: Value, env: &[(&str, &str)]) -> Client {
        Client::start_in(&[root], capabilities, options, env)
    }

    /// Starts a server with several workspace folders (the first is `root`).
    pub fn start_in(
        folders: &[&Path],
        capabilities: Value,
        options: Value,
        env: &[(&str, &str)],
    ) -> Client {
        let root = folders[0];
        let mut command = crate::common::cli::command(root, &["server"]);
        command
            .env("GUIDEPRESS_TODAY", "2026-11-30")
            .env("RUST_BACKTRACE", "0")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command.spawn().unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, incoming) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            incoming,
            next_id: 0,
            notifications: Vec::new(),
            server_requests: Vec::new(),
            initialized: Value::Null,
            root: root.to_owned(),
        };
        let root_uri = uri(root);
        let folders: Vec<Value> = folders
            .iter()
            .map(|f| json!({"uri": uri(f), "name": f.file_name().unwrap().to_string_lossy()}))
            .collect();
        client.initialized = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": root_uri,
                "workspaceFolders": folders,
                "capabilities": capabilities,
                "initializationOptions": options,
            }),
        );
        client.notify("initialized", json!({}));
        client
    }

    /// Starts a server with the capabilities an editor commonly has.
    pub fn editor(root: &Path) -> Client {
        Client::start(root, editor_capabilities(), json!({}), &[])
    }

    fn send(&mut self, message: &Value) {
        let body = serde_json::to_string(message).unwrap();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn receive(&mut self, deadline: Instant) -> Option<Value> {
        let wait = deadline.saturating_duration_since(Instant::now());
        match self.incoming.recv_timeout(wait) {
            Ok(message) => {
                if message.get("method").is_some() && message.get("id").is_some() {
                    // A request from the server: answer it as an editor would.
                    let id = message["id"].clone();
                    self.server_requests.push(message);
                    self.send(&json!({"jsonrpc": "2.0", "id": id, "result": null}));
                    return self.receive(deadline);
                }
                Some(message)
            }
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
        }
    }

    /// Writes `bytes` to the server's input as they are (a frame made by hand).
    pub fn send_raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).unwrap();
        self.stdin.flush().unwrap();
    }

    /// Waits for any message (answer or notification) for which `accept` holds.
    pub fn wait_message(&mut self, accept: impl Fn(&Value) -> bool) -> Value {
        if let Some(index) = self.notifications.iter().position(&accept) {
            return self.notifications.remove(index);
        }
        let deadline = Instant::now() + PATIENCE;
        loop {
            let Some(message) = self.receive(deadline) else {
                let seen: Vec<String> = self.notifications.iter().map(Value::to_string).collect();
                panic!(
                    "no such message came; received instead: {}",
                    seen.join("\n")
                );
            };
            if accept(&message) {
                return message;
            }
            self.notifications.push(message);
        }
    }

    /// True while the server process runs.
    pub fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// The server's peak resident memory so far, in bytes (Linux: `VmHWM`).
    pub fn peak_memory(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib * 1024)
    }

    /// Sends a request and returns its whole response (`result` or `error`).
    pub fn request_raw(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let deadline = Instant::now() + PATIENCE;
        loop {
            let message = self
                .receive(deadline)
                .unwrap_or_else(|| panic!("no answer to {method}"));
            if message.get("id") == Some(&json!(id)) {
                return message;
            }
            self.notifications.push(message);
        }
    }

    /// Sends a request and returns its result (panics on an error).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_raw(method, params);
        assert!(response.get("error").is_none(), "{method}: {response}");
        response["result"].clone()
    }

    /// Sends a notification.
    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Waits for a notification `method` for which `accept` holds.
    pub fn wait_for(&mut self, method: &str, accept: impl Fn(&Value) -> bool) -> Value {
        if let Some(index) = self
            .notifications
            .iter()
            .position(|n| n["method"] == method && accept(&n["params"]))
        {
            return self.notifications.remove(index)["params"].clone();
        }
        let deadline = Instant::now() + PATIENCE;
        loop {
            let Some(message) = self.receive(deadline) else {
                let seen: Vec<String> = self.notifications.iter().map(Value::to_string).collect();
                panic!("no {method} came; received instead: {}", seen.join("\n"));
            };
            if message["method"] == method && accept(&message["params"]) {
                return message["params"].clone();
            }
            self.notifications.push(message);
        }
    }

    /// The diagnostics published for `uri` at `version`.
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let params = self.wait_for("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri && p["version"] == version
        });
        params["diagnostics"].as_array().unwrap().clone()
    }

    /// The first diagnostics published for `uri` whose codes satisfy `accept`
    /// (republications for the same version may come first).
    pub fn diagnostics_where(
        &mut self,
        uri: &str,
        accept: impl Fn(&[String]) -> bool,
    ) -> Vec<Value> {
        let params = self.wait_for("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri && accept(&codes(p["diagnostics"].as_array().unwrap()))
        });
        params["diagnostics"].as_array().unwrap().clone()
    }

    /// The next diagnostics published for `uri` (any version).
    pub fn next_diagnostics(&mut self, uri: &str) -> Value {
        self.wait_for("textDocument/publishDiagnostics", |p| p["uri"] == uri)
    }

    /// Opens a file of the workspace with `text` as version 1.
    pub fn open(&mut self, relative: &str, text: &str) -> String {
        let uri = uri(&self.root.join(relative));
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
        );
        uri
    }

    /// Replaces the whole text (version `version`).
    pub fn change(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"text": text}]}),
        );
    }

    /// Replaces `range` (`[line, character, line, character]`) with `text`.
    pub fn edit(&mut self, uri: &str, version: i64, range: [u32; 4], text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"range": {
                        "start": {"line": range[0], "character": range[1]},
                        "end": {"line": range[2], "character": range[3]}},
                     "text": text}]}),
        );
    }

    /// Replaces `length` UTF-16 units at `at` (line, character) with `text`.
    pub fn replace(
        &mut self,
        uri: &str,
        version: i64,
        at: (usize, usize),
        length: usize,
        text: &str,
    ) {
        let (line, character) = (at.0 as u32, at.1 as u32);
        self.edit(
            uri,
            version,
            [line, character, line, character + length as u32],
            text,
        );
    }

    /// Asks for `method` at a position.
    pub fn at(&mut self, method: &str, uri: &str, line: usize, character: usize) -> Value {
        self.request(
            method,
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        )
    }

    /// Shuts the server down as an editor does and returns whether it exited cleanly.
    pub fn shutdown(mut self) -> bool {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.success();
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What VS Code announces, in short.
pub fn editor_capabilities() -> Value {
    json!({
        "general": {"positionEncodings": ["utf-16"]},
        "window": {"showDocument": {"support": true}},
        "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}},
        "textDocument": {
            "publishDiagnostics": {"relatedInformation": true, "versionSupport": true,
                                   "codeDescriptionSupport": true},
            "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "source.fixAll"]}}},
            "hover": {"contentFormat": ["markdown", "plaintext"]},
            "completion": {"completionItem": {"documentationFormat": ["markdown"]}}
        }
    })
}

/// `text` with a list of LSP text edits applied (UTF-16 positions).
pub fn apply_edits(text: &str, edits: &[Value]) -> String {
    let offset = |position: &Value| -> usize {
        let line = position["line"].as_u64().unwrap() as usize;
        let character = position["character"].as_u64().unwrap() as usize;
        let mut start = 0;
        for _ in 0..line {
            start += text[start..]
                .find('\n')
                .map_or(text.len() - start, |i| i + 1);
        }
        let mut units = 0;
        for (index, c) in text[start..].char_indices() {
            if units >= character || c == '\n' {
                return start + index;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    let mut edits: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_owned();
    for (start, end, new_text) in edits {
        out.replace_range(start..end, &new_text);
    }
    out
}

/// The 0-based line and UTF-16 character of the first `needle` in `text` (plus `delta` bytes).
pub fn find(text: &str, needle: &str, delta: usize) -> (usize, usize) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in the text"))
        + delta;
    let line = text[..at].matches('\n').count();
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..at].encode_utf16().count())
}

/// The finding with `code` among `diagnostics`.
pub fn finding<'d>(diagnostics: &'d [Value], code: &str) -> &'d Value {
    diagnostics
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {diagnostics:?}"))
}

/// The codes of `diagnostics`.
pub fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect()
}
