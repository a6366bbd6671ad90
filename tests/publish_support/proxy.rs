//! A fault-injecting HTTP proxy between guidepress and the real CMS: each
//! request is matched against rules, in order; a matching rule forwards it
//! and loses the answer, rewrites the answer's JSON, or kills the proxy (from
//! then on every connection is refused, as when the CMS dies). Everything
//! else passes through unchanged. Every request is logged.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Frame, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::task::JoinSet;

/// What a rule does to a matching request.
#[derive(Clone)]
pub enum Fault {
    /// Forward it (the CMS carries it out), then cut the connection in the
    /// middle of the answer: the client never learns the outcome.
    LoseAnswer,
    /// Forward it and hand back the answer's JSON body rewritten.
    Rewrite(Arc<dyn Fn(Value) -> Value + Send + Sync>),
    /// Do not forward it: cut this connection and stop listening, so every
    /// later connection is refused (the CMS died).
    Die,
}

/// Which requests a rule applies to, and how often.
#[derive(Clone)]
pub struct Rule {
    /// `GET`, `PUT`, ...
    pub method: &'static str,
    /// Matches when the path and query (decoded) contain every one of these.
    pub contains: Vec<String>,
    /// Matches when the path and query contain none of these.
    pub excludes: Vec<String>,
    /// Matching requests let through untouched before the fault applies.
    pub skip: usize,
    /// Times the fault applies (then the rule is spent).
    pub times: usize,
    /// The fault.
    pub fault: Fault,
}

impl Rule {
    /// A rule for every `method` request whose path and query contain `contains`.
    pub fn new(method: &'static str, contains: &[&str], fault: Fault) -> Rule {
        Rule {
            method,
            contains: contains.iter().map(|s| (*s).to_owned()).collect(),
            excludes: Vec::new(),
            skip: 0,
            times: usize::MAX,
            fault,
        }
    }

    /// Not for requests whose path and query contain `text`.
    pub fn excluding(mut self, text: &str) -> Rule {
        self.excludes.push(text.to_owned());
        self
    }

    /// Lets the first `n` matching requests through.
    pub fn after(mut self, n: usize) -> Rule {
        self.skip = n;
        self
    }

    fn matches(&self, method: &str, target: &str) -> bool {
        method == self.method
            && self.contains.iter().all(|c| target.contains(c.as_str()))
            && !self.excludes.iter().any(|e| target.contains(e.as_str()))
    }
}

/// One request seen by the proxy.
#[derive(Debug, Clone)]
pub struct Seen {
    /// The method.
    pub method: String,
    /// Path and query, percent-decoded.
    pub target: String,
    /// `forwarded`, `lost`, `rewritten`, `died`, `refused-upstream`.
    pub what: &'static str,
}

struct State {
    upstream: String,
    rules: Mutex<Vec<Rule>>,
    seen: Mutex<Vec<Seen>>,
    http: reqwest::Client,
    dead: tokio::sync::watch::Sender<bool>,
}

/// The proxy; it stops when dropped.
pub struct FaultProxy {
    /// `http://127.0.0.1:PORT`: give this to guidepress as the CMS.
    pub url: String,
    state: Arc<State>,
    rt: Option<tokio::runtime::Runtime>,
}

impl FaultProxy {
    /// A proxy to `upstream` (the CMS's base URL) applying `rules`.
    pub fn start(upstream: &str, rules: Vec<Rule>) -> FaultProxy {
        guidepress::net::tls::install_crypto_provider();
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let (dead, _) = tokio::sync::watch::channel(false);
        let state = Arc::new(State {
            upstream: upstream.trim_end_matches('/').to_owned(),
            rules: Mutex::new(rules),
            seen: Mutex::new(Vec::new()),
            http: reqwest::Client::builder().no_proxy().build().unwrap(),
            dead,
        });
        let listener = rt.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let serving = Arc::clone(&state);
        rt.spawn(async move {
            let mut dead = serving.dead.subscribe();
            let mut connections = JoinSet::new();
            loop {
                tokio::select! {
                    accepted = listener.accept() => {
                        let Ok((stream, _)) = accepted else { continue };
                        let state = Arc::clone(&serving);
                        connections.spawn(async move {
                            let service = service_fn(move |request| {
                                let state = Arc::clone(&state);
                                async move { Ok::<_, Infallible>(handle(state, request).await) }
                            });
                            let _ = http1::Builder::new()
                                .serve_connection(TokioIo::new(stream), service)
                                .await;
                        });
                    }
                    _ = dead.wait_for(|d| *d) => {
                        // Drop the listener and every open connection.
                        connections.abort_all();
                        return;
                    }
                }
            }
        });
        FaultProxy {
            url,
            state,
            rt: Some(rt),
        }
    }

    /// Every request seen so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.state.seen.lock().unwrap().clone()
    }

    /// Requests seen with `method` whose target contains `text` and that
    /// reached the CMS (forwarded, lost or rewritten).
    pub fn reached(&self, method: &str, text: &str) -> usize {
        self.seen()
            .iter()
            .filter(|s| s.method == method && s.target.contains(text) && s.what != "died")
            .count()
    }

    /// Whether a `Die` rule has fired.
    pub fn is_dead(&self) -> bool {
        *self.state.dead.borrow()
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        let _ = self.state.dead.send(true);
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}

/// A body that fails at once: hyper cuts the connection after the headers.
struct Cut;

impl hyper::body::Body for Cut {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        Poll::Ready(Some(Err(std::io::Error::other("answer lost on purpose"))))
    }
}

type Answer = Response<http_body_util::combinators::BoxBody<Bytes, std::io::Error>>;

fn full(status: u16, body: Bytes, content_type: Option<&str>) -> Answer {
    let mut response = Response::builder().status(status);
    if let Some(content_type) = content_type {
        response = response.header("content-type", content_type);
    }
    response
        .body(Full::new(body).map_err(|never| match never {}).boxed())
        .unwrap()
}

async fn handle(state: Arc<State>, request: Request<Incoming>) -> Answer {
    let method = request.method().as_str().to_owned();
    let path_and_query = request
        .uri()
        .path_and_query()
        .map_or("/".to_owned(), |p| p.as_str().to_owned());
    let target = percent_decode(&path_and_query);
    let fault = {
        let mut rules = state.rules.lock().unwrap();
        let mut chosen = None;
        for rule in rules.iter_mut() {
            if !rule.matches(&method, &target) || rule.times == 0 {
                continue;
            }
            if rule.skip > 0 {
                rule.skip -= 1;
                break;
            }
            rule.times -= 1;
            chosen = Some(rule.fault.clone());
            break;
        }
        chosen
    };
    let log = |what: &'static str| {
        state.seen.lock().unwrap().push(Seen {
            method: method.clone(),
            target: target.clone(),
            what,
        });
    };
    if matches!(fault, Some(Fault::Die)) {
        log("died");
        let _ = state.dead.send(true);
        return Response::builder().status(200).body(Cut.boxed()).unwrap();
    }
    let headers = request.headers().clone();
    let body = request
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let mut forward = state.http.request(
        reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
        format!("{}{path_and_query}", state.upstream),
    );
    for name in ["authorization", "content-type", "accept"] {
        if let Some(value) = headers.get(name) {
            forward = forward.header(name, value.as_bytes());
        }
    }
    let Ok(answer) = forward.body(body).send().await else {
        log("refused-upstream");
        return full(502, Bytes::from_static(b"bad gateway"), None);
    };
    let status = answer.status().as_u16();
    let content_type = answer
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let bytes = answer.bytes().await.unwrap_or_default();
    match fault {
        Some(Fault::LoseAnswer) => {
            log("lost");
            Response::builder()
                .status(status)
                .header("content-type", "application/json")
                .body(Cut.boxed())
                .unwrap()
        }
        Some(Fault::Rewrite(rewrite)) => {
            log("rewritten");
            let value: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            let text = serde_json::to_vec(&rewrite(value)).unwrap();
            full(status, Bytes::from(text), Some("application/json"))
        }
        Some(Fault::Die) | None => {
            log("forwarded");
            full(status, bytes, content_type.as_deref())
        }
    }
}

/// `%5B` → `[`, so rules can be written as the query reads.
fn percent_decode(text: &str) -> String {
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
    String::from_utf8_lossy(&out).into_owned()
}
