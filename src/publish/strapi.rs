//! A small Strapi 5 REST client for one content type: the transport here
//! (URL and token checks, one request, retries with backoff and jitter), the
//! content API in [`api`], errors in [`error`], documents in [`remote`].
//!
//! Strapi facts it is built around: create and update publish unless
//! `?status=draft`; `id` changes on every publish, so documents are
//! addressed by `documentId`; there is no conditional write (`If-Match`);
//! `DELETE` of a missing document answers 204; errors are
//! `{"error": {status, name, message, details}}`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode, Url};
use serde_json::Value;

use super::config::CmsConfig;
use super::mapping::{Mapping, Origin};
use super::secret::Secret;
use crate::net::body::{self, End};
use crate::net::redact::Redactor;
use crate::retry::{Decision, RetryPolicy, parse_retry_after};

mod api;
mod error;
mod full;
mod remote;
mod schema;

pub use api::{BATCH, MAX_LISTED, WriteRequest};
pub use error::CmsError;
pub use remote::{Created, RemoteDoc, Version};

/// Largest page Strapi serves (its default `maxLimit`).
pub const PAGE_SIZE: usize = 100;

/// Longest wait before a retry, backoff or `Retry-After`.
const MAX_WAIT: Duration = Duration::from_secs(60);

/// A line of `--verbose` output; never holds the token.
pub type LogFn = Arc<dyn Fn(&str) + Send + Sync>;

/// Requests sent, by kind (every attempt counts).
#[derive(Debug, Default)]
pub struct RequestCounts {
    reads: AtomicUsize,
    writes: AtomicUsize,
}

impl RequestCounts {
    /// GET requests sent.
    pub fn reads(&self) -> usize {
        self.reads.load(Ordering::Relaxed)
    }
    /// POST, PUT and DELETE requests sent.
    pub fn writes(&self) -> usize {
        self.writes.load(Ordering::Relaxed)
    }
}

/// The client.
pub struct StrapiClient {
    http: reqwest::Client,
    base: Url,
    mapping: Arc<Mapping>,
    collection: Url,
    token_env: String,
    retries: u32,
    backoff_base: Duration,
    counts: RequestCounts,
    log: Option<LogFn>,
    redactor: Redactor,
    max_response_bytes: usize,
}

impl std::fmt::Debug for StrapiClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StrapiClient")
            .field("collection", &self.collection.as_str())
            .finish_non_exhaustive()
    }
}

/// Whether `url` may carry the token: https, or http to this machine, or allowed.
pub fn check_url(base_url: &str, allow_insecure_http: bool) -> Result<Url, CmsError> {
    let bad = |message: &str| CmsError::BadUrl {
        url: Redactor::new().redact(base_url).into_owned(),
        message: message.to_owned(),
    };
    let url = Url::parse(base_url).map_err(|e| bad(&e.to_string()))?;
    let host = url
        .host_str()
        .ok_or_else(|| bad("it has no host"))?
        .to_owned();
    match url.scheme() {
        "https" => {}
        "http" => {
            if !super::proxy::is_loopback(&url) && !allow_insecure_http {
                return Err(CmsError::InsecureHttp { host });
            }
        }
        other => return Err(bad(&format!("scheme `{other}` is not http(s)"))),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("credentials belong in the token variable, not the URL"));
    }
    Ok(url)
}

impl StrapiClient {
    /// A client for `config`, authenticating with `token`.
    pub fn new(config: &CmsConfig, token: &Secret, log: Option<LogFn>) -> Result<Self, CmsError> {
        let base = check_url(&config.base_url, config.allow_insecure_http)?;
        // A UID's REST plural comes from the CMS (`with_model`); until then
        // its singular name stands in.
        let name = match config.content_type.split_once("::") {
            Some((_, rest)) => rest.rsplit('.').next().unwrap_or(rest),
            None => config.content_type.trim_matches('/'),
        };
        let collection = collection_url(&base, name);

        let mut auth =
            HeaderValue::from_str(&format!("Bearer {}", token.expose())).map_err(|_| {
                CmsError::InvalidToken {
                    name: config.token_env.clone(),
                    problem: "holds characters an HTTP header cannot carry".into(),
                }
            })?;
        auth.set_sensitive(true);
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, auth);
        headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        let redactor = Redactor::new().with(token.expose());
        crate::net::tls::install_crypto_provider();
        let builder = reqwest::Client::builder()
            .default_headers(headers)
            .user_agent(concat!("guidepress/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(config.connect_timeout_secs.max(1)))
            .timeout(Duration::from_secs(config.request_timeout_secs.max(1)))
            .redirect(reqwest::redirect::Policy::none());
        let http = super::proxy::apply(builder, config, &base)?
            .build()
            .map_err(|e| CmsError::BadUrl {
                url: config.base_url.clone(),
                message: e.to_string(),
            })?;
        let mapping = Arc::new(Mapping::of_config(
            config.fields.as_ref(),
            Origin::Unlocated,
        ));
        Ok(StrapiClient {
            http,
            base,
            mapping,
            collection,
            token_env: config.token_env.clone(),
            retries: config.retries,
            backoff_base: Duration::from_millis(250),
            counts: RequestCounts::default(),
            log,
            redactor,
            max_response_bytes: config.max_response_bytes,
        })
    }

    /// Uses `mapping` for what is read and compared, and the collection of
    /// the REST plural `plural` (`/api/<plural>`), as resolved from the CMS.
    pub fn with_model(mut self, mapping: Arc<Mapping>, plural: &str) -> Self {
        self.mapping = mapping;
        self.collection = collection_url(&self.base, plural);
        self
    }

    /// The mapping in use.
    pub fn mapping(&self) -> &Arc<Mapping> {
        &self.mapping
    }

    /// Sets the first retry delay (tests use a few milliseconds).
    pub fn with_backoff_base(mut self, base: Duration) -> Self {
        self.backoff_base = base;
        self
    }

    /// Requests sent so far.
    pub fn counts(&self) -> &RequestCounts {
        &self.counts
    }

    fn url(&self, document_id: Option<&str>, suffix: Option<&str>) -> Url {
        let mut url = self.collection.clone();
        let Some(id) = document_id else {
            return url;
        };
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.push(id);
            if let Some(suffix) = suffix {
                segments.push(suffix);
            }
        }
        url
    }

    fn log(&self, line: &str) {
        if let Some(log) = &self.log {
            log(&self.redactor.redact(line));
        }
    }

    /// `text` (from the network, or holding something that came from it) without secrets.
    fn clean(&self, text: &str) -> String {
        self.redactor.redact(text).into_owned()
    }

    /// Sends one request once; JSON body in, JSON body out (`None` for 204/404 when allowed).
    async fn send_once(
        &self,
        method: Method,
        url: &Url,
        query: &[(String, String)],
        body: Option<&Value>,
        allow_404: bool,
    ) -> Result<Option<Value>, CmsError> {
        let action = format!("{method} {}", url.path());
        let mut request = self.http.request(method.clone(), url.clone()).query(query);
        let mut bytes = 0;
        if let Some(body) = body {
            let text = body.to_string();
            bytes = text.len();
            request = request
                .header(header::CONTENT_TYPE, "application/json")
                .body(text);
        }
        if method == Method::GET {
            self.counts.reads.fetch_add(1, Ordering::Relaxed);
        } else {
            self.counts.writes.fetch_add(1, Ordering::Relaxed);
        }
        let started = Instant::now();
        let mut response = request.send().await.map_err(|e| CmsError::Transport {
            action: action.clone(),
            message: self.clean(&describe_transport(&e, url)),
            connect: e.is_connect(),
        })?;
        let status = response.status();
        self.log(&format!(
            "{action} -> {} ({} ms)",
            status.as_u16(),
            started.elapsed().as_millis()
        ));
        let retry_after = response
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()))
            .map(|wait| wait.min(MAX_WAIT));
        let text = self.read_body(&mut response, &action).await?;
        if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
            return Err(CmsError::Unauthorized {
                status: status.as_u16(),
                action,
                token_env: self.token_env.clone(),
            });
        }
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            return Err(CmsError::TooLarge { action, bytes });
        }
        if status == StatusCode::NOT_FOUND && allow_404 {
            return Ok(None);
        }
        if status == StatusCode::NO_CONTENT {
            return Ok(None);
        }
        if !status.is_success() {
            let parsed: Option<Value> = serde_json::from_str(&text).ok();
            let error = parsed.as_ref().and_then(|v| v.get("error"));
            let name = error
                .and_then(|e| e.get("name"))
                .and_then(Value::as_str)
                .unwrap_or(status.canonical_reason().unwrap_or(""));
            let name = self.clean(name);
            // Redacted whole, then shortened: a cut must not split a secret.
            let message = error
                .and_then(|e| e.get("message"))
                .and_then(Value::as_str)
                .map_or_else(|| self.clean(&text), |m| self.clean(m));
            let message = message.chars().take(200).collect();
            return Err(CmsError::Status {
                action,
                status: status.as_u16(),
                name,
                message,
                retry_after,
            });
        }
        if text.trim().is_empty() {
            // A success without a body: `Some(Null)`, so that readers expecting
            // `data` see it missing (only 204 and an allowed 404 mean "none").
            return Ok(Some(Value::Null));
        }
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| CmsError::Malformed {
                action,
                message: self.clean(&e.to_string()),
            })
    }

    /// The body as text, at most `max_response_bytes` of it.
    async fn read_body(
        &self,
        response: &mut reqwest::Response,
        action: &str,
    ) -> Result<String, CmsError> {
        let limit = self.max_response_bytes;
        let too_large = |announced: Option<u64>| CmsError::ResponseTooLarge {
            action: action.to_owned(),
            limit,
            announced: announced.map_or_else(String::new, |n| format!(" (it announces {n} bytes)")),
        };
        if let Some(announced) = body::announced_over(response, limit) {
            return Err(too_large(Some(announced)));
        }
        let url = response.url().clone();
        let capped = body::read_capped(response, limit).await;
        match capped.end {
            // A CMS may echo the token anywhere in its answer: no part of
            // the answer keeps it, whatever is made of it later.
            End::Complete => Ok(self
                .redactor
                .redact_secrets(&String::from_utf8_lossy(&capped.bytes))
                .into_owned()),
            End::Truncated => Err(too_large(None)),
            End::Failed(error) => Err(CmsError::Transport {
                action: action.to_owned(),
                message: self.clean(&describe_transport(&error, &url)),
                connect: false,
            }),
        }
    }

    /// How requests are retried: `retries` times, from the backoff base,
    /// no wait longer than a minute.
    fn retry_policy(&self) -> RetryPolicy {
        RetryPolicy {
            max_retries: self.retries,
            base: self.backoff_base,
            max_wait: Some(MAX_WAIT),
            budget: None,
        }
    }

    /// Sends a request that is safe to repeat (GET, PUT, DELETE, unpublish),
    /// retrying 5xx, 429 and connection errors.
    async fn send(
        &self,
        method: Method,
        url: &Url,
        query: &[(String, String)],
        body: Option<&Value>,
        allow_404: bool,
    ) -> Result<Option<Value>, CmsError> {
        let mut attempt = 0;
        loop {
            match self
                .send_once(method.clone(), url, query, body, allow_404)
                .await
            {
                Err(error) if error.is_retryable() => {
                    let Decision::Retry(delay) =
                        self.retry_policy().next(attempt, error.retry_after())
                    else {
                        return Err(error);
                    };
                    self.log(&format!("{error}; retrying in {} ms", delay.as_millis()));
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }
}

/// `<base>/api/<name>`.
fn collection_url(base: &Url, name: &str) -> Url {
    let mut path = base.path().trim_end_matches('/').to_owned();
    path.push_str("/api/");
    path.push_str(name.trim_matches('/'));
    let mut url = base.clone();
    url.set_path(&path);
    url.set_query(None);
    url
}

/// What went wrong without an answer, naming the CMS tried (its origin: no
/// credentials, path or query) and, when it could not be reached, how to
/// point guidepress at the right one.
fn describe_transport(error: &reqwest::Error, url: &Url) -> String {
    let cms = url.origin().ascii_serialization();
    let unreachable = error.is_connect() || error.is_timeout();
    let mut message = if error.is_timeout() {
        format!("timed out waiting for the CMS at {cms}")
    } else if error.is_connect() {
        format!("could not connect to the CMS at {cms}")
    } else {
        format!("the request to the CMS at {cms} failed")
    };
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    if unreachable {
        message.push_str(
            "; check that the CMS is running there, or set its address with --cms-url, \
             GUIDEPRESS_CMS_URL or `base_url` under [cms] in guidepress.toml",
        );
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_to_loopback_unless_allowed() {
        assert!(check_url("http://127.0.0.1:1337", false).is_ok());
        assert!(check_url("http://localhost:1337", false).is_ok());
        assert!(check_url("http://[::1]:1337", false).is_ok());
        assert!(check_url("https://cms.example.com", false).is_ok());
        assert!(matches!(
            check_url("http://cms.example.com", false),
            Err(CmsError::InsecureHttp { .. })
        ));
        assert!(check_url("http://cms.example.com", true).is_ok());
        assert!(check_url("ftp://cms.example.com", true).is_err());
        assert!(check_url("https://user:pw@cms.example.com", true).is_err());
    }
}
