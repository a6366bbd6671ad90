//! Test support for the link checker: a real HTTP server on loopback that
//! produces every answer the checker must handle, with a log of what it
//! received, and helpers to run the checker on generated guides.
#![allow(dead_code)]

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::Response;
use guidepress::links::{
    self, Citation, LinkResult, LinksConfig, LinksReport, NoProgress, RunOptions, Verdict,
};
use guidepress::load::{ParseOptions, parse};
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Logged {
    /// `GET`, `HEAD`.
    pub method: String,
    /// Path and query.
    pub path: String,
    /// The request headers.
    pub headers: HeaderMap,
    /// When it arrived.
    pub at: Instant,
}

#[derive(Default)]
struct ServerState {
    log: Mutex<Vec<Logged>>,
    hits: Mutex<HashMap<String, usize>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

/// A loopback HTTP server with a request log.
pub struct TestServer {
    /// Where it listens.
    pub addr: SocketAddr,
    state: Arc<ServerState>,
}

impl TestServer {
    /// Starts a server on `ip` (a loopback address) and a free port.
    pub async fn start_on(ip: &str) -> TestServer {
        let ip: IpAddr = ip.parse().unwrap();
        assert!(ip.is_loopback(), "tests only ever listen on loopback");
        let listener = TcpListener::bind((ip, 0)).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(ServerState::default());
        let app = Router::new().fallback(handle).with_state(state.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        TestServer { addr, state }
    }

    /// Starts a server on 127.0.0.1.
    pub async fn start() -> TestServer {
        Self::start_on("127.0.0.1").await
    }

    /// `http://IP:PORT{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// `http://IP:PORT`.
    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request received so far.
    pub fn log(&self) -> Vec<Logged> {
        self.state.log.lock().unwrap().clone()
    }

    /// Requests received for `path` (path and query, exact).
    pub fn hits(&self, path: &str) -> usize {
        self.log().iter().filter(|r| r.path == path).count()
    }

    /// Requests received in all.
    pub fn total(&self) -> usize {
        self.state.log.lock().unwrap().len()
    }

    /// The most requests that were in flight at once.
    pub fn max_in_flight(&self) -> usize {
        self.state.max_in_flight.load(Ordering::SeqCst)
    }
}

fn respond(status: u16, headers: &[(&str, String)], body: &str) -> Response {
    let mut builder = Response::builder().status(StatusCode::from_u16(status).unwrap());
    for (name, value) in headers {
        builder = builder.header(*name, value);
    }
    builder
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .body(Body::from(body.to_owned()))
        .unwrap()
}

fn redirect(status: u16, to: &str) -> Response {
    respond(status, &[("location", to.to_owned())], "")
}

async fn handle(State(state): State<Arc<ServerState>>, request: Request) -> Response {
    let method = request.method().clone();
    let path = request
        .uri()
        .path_and_query()
        .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
    state.log.lock().unwrap().push(Logged {
        method: method.to_string(),
        path: path.clone(),
        headers: request.headers().clone(),
        at: Instant::now(),
    });
    let hit = {
        let mut hits = state.hits.lock().unwrap();
        let count = hits.entry(path.clone()).or_default();
        *count += 1;
        *count
    };
    let now = state.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    state.max_in_flight.fetch_max(now, Ordering::SeqCst);
    let response = if path == "/echo-key" {
        // A server that puts the credential it received into where it sends you.
        let key = request
            .headers()
            .get("x-api-key")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("none");
        redirect(301, &format!("/missing?k={key}"))
    } else {
        answer(&method, &path, hit).await
    };
    state.in_flight.fetch_sub(1, Ordering::SeqCst);
    response
}

/// The server's behaviour, by path.
async fn answer(method: &Method, path: &str, hit: usize) -> Response {
    let (route, query) = path.split_once('?').unwrap_or((path, ""));
    match route {
        "/" => respond(200, &[], "<title>Home</title>"),
        "/ok" | "/echo" | "/ok2" | "/ok3" => respond(200, &[], "<title>A page</title>"),
        "/missing" => respond(404, &[], "<title>Not Found</title>"),
        "/gone" => respond(410, &[], "<title>Gone</title>"),
        "/flaky" if hit == 1 => respond(500, &[], "oops"),
        "/flaky" => respond(200, &[], "<title>Recovered</title>"),
        "/server-error" => respond(503, &[], "down"),
        "/rate-limited" if hit == 1 => respond(429, &[("retry-after", "1".into())], "slow down"),
        "/rate-limited" => respond(200, &[], "<title>Finally</title>"),
        "/rate-limited-date" if hit == 1 => {
            let when = std::time::SystemTime::now() + Duration::from_secs(2);
            respond(
                429,
                &[("retry-after", httpdate::fmt_http_date(when))],
                "slow down",
            )
        }
        "/rate-limited-date" => respond(200, &[], "<title>Finally</title>"),
        "/rate-limited-long" => respond(
            429,
            &[("retry-after", "3600".into())],
            "come back in an hour",
        ),
        "/head-refused" if method == Method::HEAD => respond(405, &[], ""),
        "/head-refused" => respond(200, &[], "<title>GET only</title>"),
        "/moved" => redirect(301, "/moved-2"),
        "/moved-2" => redirect(308, "/ok"),
        "/temporary" => redirect(302, "/ok"),
        "/loop-a" => redirect(302, "/loop-b"),
        "/loop-b" => redirect(302, "/loop-a"),
        "/to-metadata" => redirect(302, "http://169.254.169.254/latest/meta-data/"),
        "/redirect" => redirect(302, &decode(query.strip_prefix("to=").unwrap_or("/"))),
        "/redirect-permanent" => redirect(301, &decode(query.strip_prefix("to=").unwrap_or("/"))),
        "/old-page" => redirect(301, "/"),
        "/slow" => {
            tokio::time::sleep(Duration::from_secs(5)).await;
            respond(200, &[], "too late")
        }
        "/slowish" => {
            tokio::time::sleep(Duration::from_millis(100)).await;
            respond(200, &[], "<title>Slowish</title>")
        }
        "/linkedin" => respond(999, &[], "<html>request denied</html>"),
        "/challenge" => respond(
            403,
            &[
                ("cf-mitigated", "challenge".into()),
                ("server", "cloudflare".into()),
            ],
            "<!DOCTYPE html><html><head><title>Just a moment...</title></head></html>",
        ),
        "/not-found-page" => respond(
            200,
            &[],
            "<html><head><title>Page Not Found</title></head></html>",
        ),
        _ if route.starts_with("/n/") => respond(200, &[], "<title>Numbered</title>"),
        _ => respond(404, &[], "<title>Not Found</title>"),
    }
}

/// Undoes `%XX` escapes.
pub fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(byte) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// `%XX`-escapes everything but unreserved characters.
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A server that resets every connection once it has read a request.
pub struct ResetServer {
    /// Where it listens.
    pub addr: SocketAddr,
    requests: Arc<AtomicUsize>,
}

impl ResetServer {
    /// Starts it on 127.0.0.1.
    pub async fn start() -> ResetServer {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(AtomicUsize::new(0));
        let counter = requests.clone();
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let counter = counter.clone();
                tokio::spawn(async move {
                    let mut buffer = [0u8; 4096];
                    if matches!(stream.read(&mut buffer).await, Ok(n) if n > 0) {
                        counter.fetch_add(1, Ordering::SeqCst);
                    }
                    // Closing with SO_LINGER 0 sends RST instead of FIN.
                    let _ = stream.set_zero_linger();
                    drop(stream);
                });
            }
        });
        ResetServer { addr, requests }
    }

    /// `http://IP:PORT{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Requests read before resetting.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// A loopback port with nothing listening.
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// Settings that keep tests fast: short timeout and backoff, loopback allowed, no cache.
pub fn fast_config() -> LinksConfig {
    LinksConfig {
        timeout: Duration::from_secs(1),
        max_retries: 2,
        retry_backoff: Duration::from_millis(10),
        retry_budget: Duration::from_secs(10),
        host_interval: Duration::ZERO,
        allow_net: vec!["127.0.0.0/8".into()],
        cache: false,
        ..LinksConfig::default()
    }
}

/// A guide citing each of `urls` as a source.
pub fn guide<S: AsRef<str>>(urls: &[S]) -> String {
    let mut yaml = String::from("slug: test\nsources:\n");
    for (i, url) in urls.iter().enumerate() {
        yaml.push_str(&format!("  - id: s{i}\n    url: {}\n", url.as_ref()));
    }
    yaml
}

/// The citations of a guide's text.
pub fn citations(yaml: &str) -> Vec<Citation> {
    let parsed = parse(
        yaml,
        &ParseOptions {
            track_spans: true,
            ..ParseOptions::default()
        },
    );
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    links::extract(&parsed.documents[0], &parsed.spans, yaml)
}

/// The cache key of test runs (the command line takes it from the
/// environment or the user's key file).
pub fn test_key() -> guidepress::links::cache::CacheKey {
    guidepress::links::cache::CacheKey::new(*b"links test key, not a secret")
}

/// Runs the checker on guides' texts.
pub async fn run_guides(
    texts: &[&str],
    config: LinksConfig,
    cache_path: Option<std::path::PathBuf>,
) -> LinksReport {
    let files: Vec<Vec<Citation>> = texts.iter().map(|t| citations(t)).collect();
    let options = RunOptions {
        config,
        cache_path,
        offline: false,
        cache_key: Some(test_key()),
        cache_problems: Vec::new(),
    };
    links::check(&files, &options, Arc::new(NoProgress))
        .await
        .unwrap()
}

/// Runs the checker on one guide citing `urls`.
pub async fn run_urls<S: AsRef<str>>(urls: &[S], config: LinksConfig) -> LinksReport {
    run_guides(&[&guide(urls)], config, None).await
}

/// The result for `url` (normalised by the caller's spelling through the URL parser).
pub fn result<'r>(report: &'r LinksReport, url: &str) -> &'r LinkResult {
    let key = url::Url::parse(url).unwrap().to_string();
    let entry = report
        .urls
        .iter()
        .find(|u| u.key == key)
        .unwrap_or_else(|| panic!("{key} not in the report"));
    match &entry.verdict {
        Verdict::Checked { result, .. } => result,
        other => panic!("{key} was not checked: {other:?}"),
    }
}
