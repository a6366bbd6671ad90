//! The stdio transport: LSP frames (`Content-Length: N\r\n\r\n` + N bytes of
//! JSON) read and written here, carried as `lsp_server` messages.
//!
//! lsp-server's own reader allocates the whole declared length before any
//! body arrives (`Content-Length: 99999999999999999` aborts the process). This
//! one reads headers with bounded lines, refuses a frame longer than the
//! [`FrameLimit`] before reading it (an error answer with a `null` id, as
//! JSON-RPC says for a message it cannot read, then the declared bytes are
//! skipped without being kept, so the next frame is read where it starts),
//! and grows a body buffer only as bytes arrive.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use crossbeam_channel::{Receiver, Sender, bounded};
use lsp_server::{Connection, Message};

/// The longest header line read (`Content-Length: …`, `Content-Type: …`).
const MAX_HEADER_LINE: u64 = 4096;
/// The most header lines in one frame.
const MAX_HEADERS: usize = 32;

/// JSON-RPC's code for a message that is not valid JSON.
const PARSE_ERROR: i32 = -32700;
/// JSON-RPC's code for a message that is not a valid request.
const INVALID_REQUEST: i32 = -32600;

/// The largest frame accepted, shared by the reader thread and the server
/// (which sets it from the workspaces' `limits.max_file_size` once their
/// configuration is read, and then says it is [`settled`](Self::settle)).
#[derive(Debug, Clone)]
pub struct FrameLimit(Arc<LimitState>);

#[derive(Debug)]
struct LimitState {
    bytes: AtomicU64,
    settled: Mutex<bool>,
    changed: Condvar,
}

/// How long a frame over the default limit waits for the workspaces'
/// configuration to be read before it is judged by the default.
const SETTLE_WAIT: Duration = Duration::from_secs(30);

impl FrameLimit {
    /// The limit for documents of at most `max_file_size` bytes: a document
    /// sent as a JSON string may take six bytes per byte (`\u001f`), plus
    /// room for the rest of the message.
    pub fn for_file_size(max_file_size: u64) -> Self {
        let limit = FrameLimit(Arc::new(LimitState {
            bytes: AtomicU64::new(0),
            settled: Mutex::new(false),
            changed: Condvar::new(),
        }));
        limit.set_file_size(max_file_size);
        limit
    }

    /// Sets the limit for documents of at most `max_file_size` bytes.
    pub fn set_file_size(&self, max_file_size: u64) {
        self.0
            .bytes
            .store(frame_bytes(max_file_size), Ordering::Relaxed);
    }

    /// Says the workspaces' limit is known (their configuration was read).
    pub fn settle(&self) {
        *self.0.settled.lock().unwrap_or_else(|e| e.into_inner()) = true;
        self.0.changed.notify_all();
    }

    /// The largest frame body accepted, in bytes.
    pub fn bytes(&self) -> u64 {
        self.0.bytes.load(Ordering::Relaxed)
    }

    /// The limit for a frame of `length` bytes: when it is over the current
    /// one before the configuration is read, waits for it to be read first.
    fn bytes_for(&self, length: u64) -> u64 {
        if length <= self.bytes() {
            return self.bytes();
        }
        let settled = self.0.settled.lock().unwrap_or_else(|e| e.into_inner());
        let _settled = self
            .0
            .changed
            .wait_timeout_while(settled, SETTLE_WAIT, |settled| !*settled)
            .map(|(guard, _)| guard)
            .unwrap_or_else(|e| e.into_inner().0);
        self.bytes()
    }
}

/// The largest frame (and the largest document text held) for documents of
/// at most `max_file_size` bytes: six bytes per byte, as a JSON string may
/// take (`\u001f`), plus 1 MiB for the rest of the message.
pub fn frame_bytes(max_file_size: u64) -> u64 {
    max_file_size.saturating_mul(6).saturating_add(1024 * 1024)
}

/// The reader and writer threads of a [`stdio`] connection.
pub struct Threads {
    reader: JoinHandle<io::Result<()>>,
    writer: JoinHandle<io::Result<()>>,
}

impl Threads {
    /// Waits for both threads to end (the reader after `exit` or the end of
    /// input, the writer once every sender is dropped).
    pub fn join(self) -> io::Result<()> {
        let reader = self
            .reader
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the reader thread panicked")));
        let writer = self
            .writer
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the writer thread panicked")));
        reader.and(writer)
    }
}

/// A connection over this process's stdin and stdout, frames capped by `limit`.
pub fn stdio(limit: FrameLimit) -> (Connection, Threads) {
    let output: Arc<Mutex<Box<dyn Write + Send>>> = Arc::new(Mutex::new(Box::new(io::stdout())));
    let input = BufReader::new(io::stdin());
    connect(input, output, limit)
}

/// A connection over any reader and writer (the tests' in-memory pipes).
pub fn connect(
    input: impl BufRead + Send + 'static,
    output: Arc<Mutex<Box<dyn Write + Send>>>,
    limit: FrameLimit,
) -> (Connection, Threads) {
    let (writer_sender, writer_receiver) = bounded::<Message>(0);
    let writer_output = Arc::clone(&output);
    let writer = std::thread::Builder::new()
        .name("guidepress-lsp-writer".to_owned())
        .spawn(move || write_all(&writer_receiver, &writer_output))
        .expect("a thread starts");
    let (reader_sender, reader_receiver) = bounded::<Message>(0);
    let reader = std::thread::Builder::new()
        .name("guidepress-lsp-reader".to_owned())
        .spawn(move || read_all(input, &reader_sender, &output, &limit))
        .expect("a thread starts");
    (
        Connection {
            sender: writer_sender,
            receiver: reader_receiver,
        },
        Threads { reader, writer },
    )
}

fn write_all(
    messages: &Receiver<Message>,
    output: &Mutex<Box<dyn Write + Send>>,
) -> io::Result<()> {
    for message in messages {
        let mut output = output.lock().unwrap_or_else(|e| e.into_inner());
        message.write(&mut *output)?;
    }
    Ok(())
}

/// Writes an error answer with a `null` id: JSON-RPC's answer to a message
/// whose id could not be read.
fn write_error(output: &Mutex<Box<dyn Write + Send>>, code: i32, message: &str) -> io::Result<()> {
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": null,
        "error": { "code": code, "message": message },
    })
    .to_string();
    let mut output = output.lock().unwrap_or_else(|e| e.into_inner());
    write!(output, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    output.flush()
}

/// One frame's header, read.
enum Header {
    /// The body is this many bytes.
    Length(u64),
    /// The declared length does not fit in 64 bits.
    Huge,
    /// The input ended before a frame began.
    End,
}

fn read_header(input: &mut impl BufRead) -> io::Result<Header> {
    let mut length = None;
    let mut lines = 0;
    loop {
        let mut line = Vec::new();
        let read = input
            .by_ref()
            .take(MAX_HEADER_LINE)
            .read_until(b'\n', &mut line)?;
        if read == 0 {
            return if lines == 0 {
                Ok(Header::End)
            } else {
                Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the input ended inside a message header",
                ))
            };
        }
        if !line.ends_with(b"\n") {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("a message header line is longer than {MAX_HEADER_LINE} bytes"),
            ));
        }
        lines += 1;
        if lines > MAX_HEADERS {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("a message has more than {MAX_HEADERS} header lines"),
            ));
        }
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            break;
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("malformed message header {line:?}"),
            ));
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            let value = value.trim();
            if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("Content-Length {value:?} is not a number"),
                ));
            }
            length = Some(value.parse::<u64>().map_or(Header::Huge, Header::Length));
        }
    }
    length.ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            "a message has no Content-Length header",
        )
    })
}

fn read_all(
    mut input: impl BufRead,
    messages: &Sender<Message>,
    output: &Mutex<Box<dyn Write + Send>>,
    limit: &FrameLimit,
) -> io::Result<()> {
    loop {
        let length = match read_header(&mut input)? {
            Header::End => return Ok(()),
            Header::Huge => None,
            Header::Length(length) => Some(length),
        };
        let cap = limit.bytes_for(length.unwrap_or(u64::MAX));
        let Some(length) = length.filter(|&l| l <= cap) else {
            let declared = length.map_or_else(|| "more than 2^64".to_owned(), |l| l.to_string());
            write_error(
                output,
                INVALID_REQUEST,
                &format!(
                    "guidepress refused a message of {declared} bytes: the limit is {cap} bytes \
                     (six times `limits.max_file_size` plus 1 MiB); its bytes are skipped"
                ),
            )?;
            // Skip the declared bytes as they come, keeping none of them.
            let Some(length) = length else {
                // No frame can follow a length beyond 64 bits: read to the end.
                io::copy(&mut input, &mut io::sink())?;
                return Ok(());
            };
            let skipped = io::copy(&mut input.by_ref().take(length), &mut io::sink())?;
            if skipped < length {
                return Ok(());
            }
            continue;
        };
        let mut body = Vec::new();
        input.by_ref().take(length).read_to_end(&mut body)?;
        if (body.len() as u64) < length {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the input ended inside a message",
            ));
        }
        let message = match serde_json::from_slice::<Message>(&body) {
            Ok(message) => message,
            Err(error) => {
                write_error(
                    output,
                    PARSE_ERROR,
                    &format!("guidepress could not read a message: {error}"),
                )?;
                continue;
            }
        };
        let is_exit = matches!(&message, Message::Notification(n) if n.method == "exit");
        if messages.send(message).is_err() {
            return Ok(());
        }
        if is_exit {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    /// Feeds `input` to a connection capped at `max_file_size`; returns the
    /// messages it delivered and what it wrote.
    fn run(input: Vec<u8>, max_file_size: u64) -> (Vec<Message>, String) {
        let written = Shared::default();
        let output: Arc<Mutex<Box<dyn Write + Send>>> =
            Arc::new(Mutex::new(Box::new(written.clone())));
        let limit = FrameLimit::for_file_size(max_file_size);
        limit.settle();
        let (connection, threads) = connect(io::Cursor::new(input), output, limit);
        let mut messages = Vec::new();
        while let Ok(message) = connection.receiver.recv_timeout(Duration::from_secs(5)) {
            messages.push(message);
        }
        drop(connection);
        let _ = threads.join();
        let text = String::from_utf8(written.0.lock().unwrap().clone()).unwrap();
        (messages, text)
    }

    const PING: &str = r#"{"jsonrpc":"2.0","id":1,"method":"ping","params":null}"#;

    #[test]
    fn an_oversized_frame_is_refused_skipped_and_the_next_one_read() {
        // max_file_size 0: frames up to 1 MiB.
        let cap = 1024 * 1024;
        let mut input = format!("Content-Length: {}\r\n\r\n", cap + 1).into_bytes();
        input.extend(std::iter::repeat_n(b'x', cap + 1));
        input.extend(frame(PING).bytes());
        let (messages, written) = run(input, 0);
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(matches!(&messages[0], Message::Request(r) if r.method == "ping"));
        assert!(written.contains(r#""id":null"#), "{written}");
        assert!(written.contains("-32600"), "{written}");
        assert!(written.contains(&format!("{} bytes", cap + 1)), "{written}");
    }

    #[test]
    fn a_length_beyond_64_bits_is_refused_without_reading_on() {
        let input = b"Content-Length: 99999999999999999999999\r\n\r\nabc".to_vec();
        let (messages, written) = run(input, 1024);
        assert!(messages.is_empty());
        assert!(written.contains("more than 2^64"), "{written}");
    }

    #[test]
    fn bad_json_is_answered_and_reading_goes_on() {
        let mut input = frame("{not json").into_bytes();
        input.extend(frame(PING).bytes());
        let (messages, written) = run(input, 1024);
        assert_eq!(messages.len(), 1);
        assert!(written.contains("-32700"), "{written}");
    }

    #[test]
    fn header_names_are_case_insensitive_and_other_headers_ignored() {
        let input = format!(
            "content-length: {}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{PING}",
            PING.len()
        );
        let (messages, _) = run(input.into_bytes(), 1024);
        assert_eq!(messages.len(), 1);
    }
}
