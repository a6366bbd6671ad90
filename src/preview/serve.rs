//! `guidepress preview --serve`: the pages on 127.0.0.1, rendered again
//! whenever a watched file changes, and a server-sent event (`reload`) on
//! `/events` that tells open pages to reload.
//!
//! Only this machine's browser is answered: a request must name the server
//! as `localhost`, `127.0.0.1` or `[::1]` with its port (else 421), so a
//! page on another site that has its name resolve to 127.0.0.1 (DNS
//! rebinding) cannot read the previews. A request head must arrive within
//! [`HEADER_TIMEOUT`] (an idle kept-alive connection is closed after as
//! long), and at most [`MAX_CONNECTIONS`] connections are served at once:
//! past that a new one is answered 503 and closed, so unfinished requests
//! can neither exhaust the process's open files nor keep the server from
//! answering once they time out.
//!
//! Changes are found by polling the watched files' modification times and
//! sizes (a few dozen files, a few times a second): it works the same on
//! every platform and file system, sees editors that save by renaming a new
//! file over the old one, and needs no watcher dependency.

use std::convert::Infallible;
use std::net::TcpListener as StdListener;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, RwLock};
use std::task::{Context, Poll};
use std::time::{Duration, Instant, SystemTime};

use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::{Body, Bytes, Frame, Incoming};
use hyper::header::HOST;
use hyper::http::uri::Authority;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::sync::{Semaphore, mpsc, watch};

use super::{PreviewError, Site, templates};

/// Renders the site again; an error is shown as the page.
pub type Rebuild = dyn Fn() -> Result<Site, String> + Send + Sync;
/// The files whose change triggers a new render.
pub type Watched = dyn Fn() -> Vec<PathBuf> + Send + Sync;
/// Where the server reports what it does (one line each).
pub type Log = dyn Fn(&str) + Send + Sync;

/// How often files are polled.
pub const POLL_INTERVAL: Duration = Duration::from_millis(250);
/// How often an idle event stream gets a comment, so proxies keep it open.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// How long a request head may take to arrive (and a kept-alive connection
/// may wait for the next one).
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(5);
/// Connections served at once (each open page holds one for its reload
/// events); more are answered 503 and closed.
pub const MAX_CONNECTIONS: usize = 64;
/// The answer to a connection past [`MAX_CONNECTIONS`].
const BUSY: &[u8] =
    b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; charset=utf-8\r\n\
retry-after: 1\r\ncontent-length: 24\r\nconnection: close\r\n\r\ntoo many connections open";

type Rendered = Arc<Result<Site, String>>;

struct Shared {
    site: RwLock<Rendered>,
    version: watch::Sender<u64>,
}

/// Serves `listener` until the process ends: `first`, then a new render on
/// every change of the files `watched` lists.
pub fn run(
    listener: StdListener,
    first: Result<Site, String>,
    rebuild: Arc<Rebuild>,
    watched: Arc<Watched>,
    interval: Duration,
    log: Arc<Log>,
) -> Result<(), PreviewError> {
    // The files as they are now, before the first page is served: a save
    // made as soon as the page is open must count as a change. (Taken inside
    // the polling task, the baseline could already include that save.)
    let baseline = fingerprint(&watched());
    let io = |source| PreviewError::Io {
        path: PathBuf::from("127.0.0.1"),
        source,
    };
    let port = listener.local_addr().map_err(io)?.port();
    listener.set_nonblocking(true).map_err(io)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(io)?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener).map_err(io)?;
        let shared = Arc::new(Shared {
            site: RwLock::new(Arc::new(first)),
            version: watch::channel(0).0,
        });
        tokio::spawn(poll(
            Arc::clone(&shared),
            rebuild,
            watched,
            baseline,
            interval,
            log,
        ));
        let permits = Arc::new(Semaphore::new(MAX_CONNECTIONS));
        loop {
            let stream = match listener.accept().await {
                Ok((stream, _)) => stream,
                Err(_) => {
                    // Out of open files, or a connection reset before it was
                    // taken: wait a little instead of spinning.
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            };
            let Ok(permit) = Arc::clone(&permits).try_acquire_owned() else {
                // One attempt, never waiting: the socket's buffer is empty.
                let _ = stream.try_write(BUSY);
                continue;
            };
            let shared = Arc::clone(&shared);
            tokio::spawn(async move {
                let service = service_fn(move |request| {
                    let shared = Arc::clone(&shared);
                    async move { Ok::<_, Infallible>(handle(&shared, &request, port)) }
                });
                let _ = http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(HEADER_TIMEOUT)
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
                drop(permit);
            });
        }
    })
}

/// What the watched files look like now: path, modification time, size.
fn fingerprint(files: &[PathBuf]) -> Vec<(PathBuf, Option<SystemTime>, u64)> {
    let mut seen: Vec<_> = files
        .iter()
        .map(|path| match std::fs::metadata(path) {
            Ok(meta) => (path.clone(), meta.modified().ok(), meta.len()),
            Err(_) => (path.clone(), None, 0),
        })
        .collect();
    seen.sort();
    seen
}

async fn poll(
    shared: Arc<Shared>,
    rebuild: Arc<Rebuild>,
    watched: Arc<Watched>,
    baseline: Vec<(PathBuf, Option<SystemTime>, u64)>,
    interval: Duration,
    log: Arc<Log>,
) {
    let mut last = baseline;
    loop {
        tokio::time::sleep(interval).await;
        let list = Arc::clone(&watched);
        let Ok(now) = tokio::task::spawn_blocking(move || fingerprint(&list())).await else {
            continue;
        };
        if now == last {
            continue;
        }
        last = now;
        let started = Instant::now();
        let build = Arc::clone(&rebuild);
        let Ok(rendered) = tokio::task::spawn_blocking(move || build()).await else {
            continue;
        };
        let message = match &rendered {
            Ok(site) => format!(
                "re-rendered {} guide{} in {} ms",
                site.pages.len(),
                if site.pages.len() == 1 { "" } else { "s" },
                started.elapsed().as_millis()
            ),
            Err(error) => format!("render failed: {error}"),
        };
        *shared
            .site
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(rendered);
        shared.version.send_modify(|v| *v += 1);
        log(&message);
    }
}

type Reply = Response<BoxBody<Bytes, Infallible>>;

fn reply(status: StatusCode, content_type: &str, body: String) -> Reply {
    Response::builder()
        .status(status)
        .header("content-type", content_type)
        .header("cache-control", "no-store")
        .header("x-content-type-options", "nosniff")
        .body(Full::new(Bytes::from(body)).boxed())
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new()).boxed()))
}

/// Whether `request` names this server: a loopback name (`localhost`,
/// `127.0.0.1`, `[::1]`) with `port` (or no port when it is 80), in its
/// `Host` header (exactly one) and in its target when that is absolute.
pub fn names_this_server<B>(request: &Request<B>, port: u16) -> bool {
    let mut hosts = request.headers().get_all(HOST).iter();
    let (Some(host), None) = (hosts.next(), hosts.next()) else {
        return false;
    };
    let Some(host) = host.to_str().ok().and_then(|h| h.parse::<Authority>().ok()) else {
        return false;
    };
    let loopback = |authority: &Authority| {
        let name = authority.host();
        let name_ok =
            name.eq_ignore_ascii_case("localhost") || name == "127.0.0.1" || name == "[::1]";
        let port_ok = match authority.port_u16() {
            Some(given) => given == port,
            None => port == 80,
        };
        name_ok && port_ok && !authority.as_str().contains('@')
    };
    loopback(&host) && request.uri().authority().is_none_or(loopback)
}

fn handle(shared: &Arc<Shared>, request: &Request<Incoming>, port: u16) -> Reply {
    if !names_this_server(request, port) {
        return reply(
            StatusCode::MISDIRECTED_REQUEST,
            "text/plain; charset=utf-8",
            format!(
                "This preview answers only requests for localhost:{port}, 127.0.0.1:{port} or [::1]:{port}.\n"
            ),
        );
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return reply(
            StatusCode::METHOD_NOT_ALLOWED,
            "text/plain; charset=utf-8",
            "only GET\n".into(),
        );
    }
    let path = request.uri().path();
    if path == "/events" {
        return events(shared);
    }
    let name = match path.trim_start_matches('/') {
        "" => "index.html",
        name => name,
    };
    let rendered = Arc::clone(
        &shared
            .site
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    );
    let html = "text/html; charset=utf-8";
    match rendered.as_ref() {
        Ok(site) => match site.get(name) {
            Some(page) => reply(StatusCode::OK, html, page.to_owned()),
            None => reply(
                StatusCode::NOT_FOUND,
                html,
                error_page(
                    "Not found",
                    &format!("No page {name}. The index lists every guide."),
                ),
            ),
        },
        Err(error) => reply(
            StatusCode::INTERNAL_SERVER_ERROR,
            html,
            error_page("The preview could not be rendered", error),
        ),
    }
}

/// A plain page for a missing page or a failed render; it reloads on the next change too.
fn error_page(title: &str, message: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>{title}</title></head>\n<body>\n<main>\n<h1>{title}</h1>\n<pre>{}</pre>\n<p><a href=\"/\">All guides</a></p>\n</main>\n<script>new EventSource(\"/events\").addEventListener(\"reload\", function () {{ location.reload(); }});</script>\n</body>\n</html>\n",
        templates::escape(message)
    )
}

/// The event stream: `retry`, then `event: reload` on every new render.
fn events(shared: &Arc<Shared>) -> Reply {
    let (sender, receiver) = mpsc::channel::<Bytes>(8);
    let mut version = shared.version.subscribe();
    tokio::spawn(async move {
        if sender
            .send(Bytes::from_static(b"retry: 500\n: connected\n\n"))
            .await
            .is_err()
        {
            return;
        }
        loop {
            let message = tokio::select! {
                changed = version.changed() => {
                    if changed.is_err() {
                        return;
                    }
                    let n = *version.borrow_and_update();
                    Bytes::from(format!("event: reload\ndata: {n}\n\n"))
                }
                () = tokio::time::sleep(KEEP_ALIVE) => Bytes::from_static(b": keep-alive\n\n"),
            };
            if sender.send(message).await.is_err() {
                return;
            }
        }
    });
    Response::builder()
        .header("content-type", "text/event-stream")
        .header("cache-control", "no-store")
        .body(BoxBody::new(EventBody { receiver }))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new()).boxed()))
}

/// A response body fed by a channel, one event per frame.
struct EventBody {
    receiver: mpsc::Receiver<Bytes>,
}

impl Body for EventBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.receiver
            .poll_recv(cx)
            .map(|next| next.map(|bytes| Ok(Frame::data(bytes))))
    }
}

#[cfg(test)]
mod tests {
    use super::names_this_server;
    use hyper::Request;

    fn asks(hosts: &[&str], target: &str, port: u16) -> bool {
        let mut request = Request::builder().uri(target);
        for host in hosts {
            request = request.header("host", *host);
        }
        names_this_server(&request.body(()).expect("request"), port)
    }

    #[test]
    fn only_loopback_names_with_the_bound_port_are_answered() {
        for host in [
            "localhost:4747",
            "LocalHost:4747",
            "127.0.0.1:4747",
            "[::1]:4747",
        ] {
            assert!(asks(&[host], "/", 4747), "{host}");
        }
        for host in [
            "evil.example:4747",
            "evil.example",
            "localhost",
            "localhost:4748",
            "127.0.0.2:4747",
            "127.0.0.1.evil.example:4747",
            "localhost.evil.example:4747",
            "user@localhost:4747",
            "0.0.0.0:4747",
            "",
            "localhost:4747/x",
        ] {
            assert!(!asks(&[host], "/", 4747), "{host:?}");
        }
        // No Host, two of them, or an absolute target naming another host.
        assert!(!asks(&[], "/", 4747));
        assert!(!asks(&["localhost:4747", "evil.example"], "/", 4747));
        assert!(!asks(&["localhost:4747"], "http://evil.example/", 4747));
        assert!(asks(&["localhost:4747"], "http://localhost:4747/", 4747));
        // Port 80 is the one a browser leaves out.
        assert!(asks(&["localhost"], "/", 80));
    }
}
