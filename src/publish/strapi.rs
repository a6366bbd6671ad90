//! A small Strapi 5 REST client for one content type: paged listing with
//! selected fields, reads by `documentId` and slug, create, update,
//! unpublish, delete; retries with backoff and jitter.
//!
//! Strapi facts it is built around: create and update publish unless
//! `?status=draft`; `id` changes on every publish, so documents are
//! addressed by `documentId`; there is no conditional write (`If-Match`);
//! `DELETE` of a missing document answers 204; errors are
//! `{"error": {status, name, message, details}}`.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode, Url};
use serde_json::{Map, Value, json};

use super::config::CmsConfig;
use super::payload::MANAGED_FIELDS;
use super::secret::Secret;
use crate::net::body::{self, End};
use crate::net::redact::Redactor;

/// Largest page Strapi serves (its default `maxLimit`).
pub const PAGE_SIZE: usize = 100;

/// Longest wait honoured from a `Retry-After` header.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// Why a request to the CMS failed.
#[derive(Debug, thiserror::Error)]
pub enum CmsError {
    /// 401 or 403: the token is missing, wrong or lacks permissions.
    #[error(
        "the CMS refused the API token (HTTP {status}) for {action}: check that the environment variable {token_env} holds a valid full-access API token"
    )]
    Unauthorized {
        /// 401 or 403.
        status: u16,
        /// What was being done.
        action: String,
        /// The variable the token was read from.
        token_env: String,
    },
    /// Any other error status.
    #[error("{action}: the CMS answered HTTP {status} {name}: {message}")]
    Status {
        /// What was being done.
        action: String,
        /// The HTTP status.
        status: u16,
        /// Strapi's error name (`ValidationError`), or the reason phrase.
        name: String,
        /// Strapi's error message, or the start of the body.
        message: String,
        /// The `Retry-After` delay, if any.
        retry_after: Option<Duration>,
    },
    /// 413: the guide is larger than the CMS accepts in one request.
    #[error(
        "{action}: the request body ({bytes} bytes) is larger than the CMS accepts (HTTP 413); raise the body limit of the CMS (Strapi: `strapi::body` jsonLimit)"
    )]
    TooLarge {
        /// What was being done.
        action: String,
        /// The body size sent.
        bytes: usize,
    },
    /// No answer: connection refused or reset, timeout.
    #[error("{action}: {message}")]
    Transport {
        /// What was being done.
        action: String,
        /// What happened.
        message: String,
    },
    /// An answer longer than `[cms] max_response_bytes`: not read further.
    #[error(
        "{action}: the CMS answer is larger than {limit} bytes{announced}; it was not read further (raise `max_response_bytes` under [cms] if the CMS really sends that much)"
    )]
    ResponseTooLarge {
        /// What was being done.
        action: String,
        /// The limit.
        limit: usize,
        /// ` (it announces N bytes)` when `Content-Length` said so, else empty.
        announced: String,
    },
    /// An answer that is not the JSON expected.
    #[error("{action}: the CMS answered with unexpected content: {message}")]
    Malformed {
        /// What was being done.
        action: String,
        /// What is wrong.
        message: String,
    },
    /// Plain HTTP to a host that is not this machine.
    #[error(
        "refusing to send the API token over plain http:// to {host}: use https://, or set `allow_insecure_http = true` under [cms]"
    )]
    InsecureHttp {
        /// The host.
        host: String,
    },
    /// The base URL cannot be used.
    #[error("invalid [cms] base_url `{url}`: {message}")]
    BadUrl {
        /// The URL.
        url: String,
        /// What is wrong.
        message: String,
    },
    /// The token variable is unset.
    #[error(
        "the environment variable {0} is not set: it must hold the CMS API token (the variable's name is `token_env` under [cms])"
    )]
    MissingToken(String),
    /// The token variable is set but empty or only blanks.
    #[error(
        "the environment variable {0} is set but blank: it must hold the CMS API token (check the secret it is filled from)"
    )]
    BlankToken(String),
    /// The token variable holds something that cannot be a token.
    #[error(
        "the environment variable {name} {problem}: it must hold the CMS API token on one line (check the secret it is filled from)"
    )]
    InvalidToken {
        /// The variable.
        name: String,
        /// What is wrong, e.g. `holds a line break`.
        problem: String,
    },
    /// `[cms] proxy` cannot be used.
    #[error("invalid [cms] proxy `{url}`: {message}")]
    BadProxy {
        /// The proxy URL, credentials redacted.
        url: String,
        /// What is wrong.
        message: String,
    },
}

impl CmsError {
    /// Whether trying again may help: 5xx, 429, no answer.
    pub fn is_retryable(&self) -> bool {
        match self {
            CmsError::Status { status, .. } => *status >= 500 || *status == 429,
            CmsError::Transport { .. } => true,
            _ => false,
        }
    }

    /// Whether the whole run should stop (every other request would fail the same way).
    pub fn is_fatal(&self) -> bool {
        matches!(
            self,
            CmsError::Unauthorized { .. }
                | CmsError::InsecureHttp { .. }
                | CmsError::BadUrl { .. }
                | CmsError::MissingToken(_)
                | CmsError::BlankToken(_)
                | CmsError::InvalidToken { .. }
                | CmsError::BadProxy { .. }
        )
    }

    fn retry_after(&self) -> Option<Duration> {
        match self {
            CmsError::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Whether this is Strapi rejecting a slug that is already used.
    pub fn is_slug_taken(&self) -> bool {
        matches!(self, CmsError::Status { status: 400, message, .. }
            if message.contains("unique") || message.contains("already used"))
    }
}

/// Which version of a document (Strapi's `status` parameter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Version {
    /// The draft; every document has one.
    Draft,
    /// The published version, if the document is published.
    Published,
}

impl Version {
    fn as_str(self) -> &'static str {
        match self {
            Version::Draft => "draft",
            Version::Published => "published",
        }
    }
}

/// One version of a document as read from the CMS.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteDoc {
    /// The stable document id.
    pub document_id: String,
    /// The managed fields (`slug`, `title`, `guideStatus`, `document`, `sourcePath`).
    pub fields: Map<String, Value>,
    /// The `contentHash` it carries.
    pub content_hash: Option<String>,
    /// The `managedBy` marker.
    pub managed_by: Option<String>,
    /// Last update time.
    pub updated_at: Option<String>,
    /// Publication time (`None` for a draft).
    pub published_at: Option<String>,
}

impl RemoteDoc {
    /// The slug (empty when missing).
    pub fn slug(&self) -> &str {
        self.fields
            .get("slug")
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    fn from_json(value: &Value) -> Option<RemoteDoc> {
        let object = value.as_object()?;
        let text = |name: &str| object.get(name).and_then(Value::as_str).map(str::to_owned);
        let mut fields = Map::new();
        for name in MANAGED_FIELDS {
            fields.insert(
                name.to_owned(),
                object.get(name).cloned().unwrap_or(Value::Null),
            );
        }
        Some(RemoteDoc {
            document_id: text("documentId")?,
            fields,
            content_hash: text("contentHash"),
            managed_by: text("managedBy"),
            updated_at: text("updatedAt"),
            published_at: text("publishedAt"),
        })
    }
}

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

/// What a create ended with.
#[derive(Debug)]
pub enum Created {
    /// The CMS answered the create with the new document.
    New(RemoteDoc),
    /// The create's answer was lost or the slug was taken: this is the
    /// document found by slug afterwards (maybe our own write).
    Found(RemoteDoc),
}

/// The client.
pub struct StrapiClient {
    http: reqwest::Client,
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
        let mut path = base.path().trim_end_matches('/').to_owned();
        path.push_str("/api/");
        path.push_str(config.content_type.trim_matches('/'));
        let mut collection = base.clone();
        collection.set_path(&path);
        collection.set_query(None);

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
        Ok(StrapiClient {
            http,
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
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(|s| Duration::from_secs(s).min(MAX_RETRY_AFTER));
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
            return Ok(None);
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
            }),
        }
    }

    /// The delay before retry number `attempt` (0-based): exponential with jitter,
    /// or the server's `Retry-After`.
    fn delay(&self, attempt: u32, error: &CmsError) -> Duration {
        if let Some(after) = error.retry_after() {
            return after;
        }
        let exp = self
            .backoff_base
            .saturating_mul(1 << attempt.min(6))
            .min(Duration::from_secs(10));
        // Full jitter over the upper half: never zero, never in lockstep.
        let random = RandomState::new().build_hasher().finish();
        let half = exp / 2;
        half + Duration::from_nanos(random % (half.as_nanos().max(1) as u64))
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
                Err(error) if error.is_retryable() && attempt < self.retries => {
                    let delay = self.delay(attempt, &error);
                    self.log(&format!("{error}; retrying in {} ms", delay.as_millis()));
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    fn fields_query(with_content: bool) -> Vec<(String, String)> {
        let mut names: Vec<&str> = vec![
            "slug",
            "contentHash",
            "managedBy",
            "updatedAt",
            "publishedAt",
        ];
        if with_content {
            names.extend(["title", "guideStatus", "document", "sourcePath"]);
        }
        names
            .into_iter()
            .enumerate()
            .map(|(i, name)| (format!("fields[{i}]"), name.to_owned()))
            .collect()
    }

    /// Every document's `version`, 100 per request. With `with_content`, the
    /// managed fields come too (needed to tell an edit made in the CMS).
    pub async fn list(
        &self,
        version: Version,
        with_content: bool,
    ) -> Result<Vec<RemoteDoc>, CmsError> {
        let mut out = Vec::new();
        let url = self.url(None, None);
        let mut page = 1usize;
        loop {
            let mut query = Self::fields_query(with_content);
            query.push(("status".into(), version.as_str().into()));
            query.push(("sort[0]".into(), "id:asc".into()));
            query.push(("pagination[page]".into(), page.to_string()));
            query.push(("pagination[pageSize]".into(), PAGE_SIZE.to_string()));
            let body = self
                .send(Method::GET, &url, &query, None, false)
                .await?
                .unwrap_or(Value::Null);
            let action = format!("GET {} (page {page})", url.path());
            let Some(items) = body.get("data").and_then(Value::as_array) else {
                return Err(CmsError::Malformed {
                    action,
                    message: "no `data` list".into(),
                });
            };
            for item in items {
                out.push(
                    RemoteDoc::from_json(item).ok_or_else(|| CmsError::Malformed {
                        action: action.clone(),
                        message: "an entry without `documentId`".into(),
                    })?,
                );
            }
            let page_count = body
                .pointer("/meta/pagination/pageCount")
                .and_then(Value::as_u64)
                .map(|n| n as usize);
            let done = match page_count {
                Some(count) => page >= count,
                None => items.len() < PAGE_SIZE,
            };
            if done || items.is_empty() {
                return Ok(out);
            }
            page += 1;
        }
    }

    /// One version of a document, with its managed fields; `None` when it has none.
    pub async fn get(
        &self,
        document_id: &str,
        version: Version,
    ) -> Result<Option<RemoteDoc>, CmsError> {
        let url = self.url(Some(document_id), None);
        let mut query = Self::fields_query(true);
        query.push(("status".into(), version.as_str().into()));
        let Some(body) = self.send(Method::GET, &url, &query, None, true).await? else {
            return Ok(None);
        };
        match body.get("data") {
            Some(Value::Null) | None => Ok(None),
            Some(data) => RemoteDoc::from_json(data)
                .map(Some)
                .ok_or_else(|| CmsError::Malformed {
                    action: format!("GET {}", url.path()),
                    message: "no `documentId` in `data`".into(),
                }),
        }
    }

    /// The document with `slug` (its draft: every document has one), if any.
    pub async fn find_by_slug(&self, slug: &str) -> Result<Option<RemoteDoc>, CmsError> {
        let url = self.url(None, None);
        let mut query = Self::fields_query(true);
        query.push(("status".into(), "draft".into()));
        query.push(("filters[slug][$eq]".into(), slug.to_owned()));
        query.push(("pagination[pageSize]".into(), "2".into()));
        let body = self
            .send(Method::GET, &url, &query, None, false)
            .await?
            .unwrap_or(Value::Null);
        let Some(items) = body.get("data").and_then(Value::as_array) else {
            return Err(CmsError::Malformed {
                action: format!("GET {} (slug {slug})", url.path()),
                message: "no `data` list".into(),
            });
        };
        Ok(items.first().and_then(RemoteDoc::from_json))
    }

    /// Creates a document (published, or only a draft). Never creates twice:
    /// when the answer is lost (timeout, connection reset, 5xx) or the slug
    /// is taken, the slug is looked up before trying again, and a document
    /// found is returned as [`Created::Found`].
    pub async fn create(
        &self,
        slug: &str,
        data: &Value,
        version: Version,
    ) -> Result<Created, CmsError> {
        let url = self.url(None, None);
        let query = status_query(version);
        let body = json!({ "data": data });
        let mut attempt = 0;
        loop {
            let error = match self
                .send_once(Method::POST, &url, &query, Some(&body), false)
                .await
            {
                Ok(Some(answer)) => {
                    return answer
                        .get("data")
                        .and_then(RemoteDoc::from_json)
                        .map(Created::New)
                        .ok_or_else(|| CmsError::Malformed {
                            action: format!("POST {}", url.path()),
                            message: "no document in the answer".into(),
                        });
                }
                Ok(None) => CmsError::Malformed {
                    action: format!("POST {}", url.path()),
                    message: "an empty answer".into(),
                },
                Err(error) => error,
            };
            let lost = error.is_retryable()
                || matches!(
                    error,
                    CmsError::Malformed { .. } | CmsError::ResponseTooLarge { .. }
                );
            if !(lost || error.is_slug_taken()) {
                return Err(error);
            }
            if lost && attempt < self.retries {
                let delay = self.delay(attempt, &error);
                self.log(&format!(
                    "{error}; looking `{slug}` up before retrying in {} ms",
                    delay.as_millis()
                ));
                tokio::time::sleep(delay).await;
            }
            // The write may have happened: look before writing again.
            if let Some(found) = self.find_by_slug(slug).await? {
                return Ok(Created::Found(found));
            }
            if !lost || attempt >= self.retries {
                return Err(error);
            }
            attempt += 1;
        }
    }

    /// Replaces the managed fields of a document (publishing it, or only its draft).
    pub async fn update(
        &self,
        document_id: &str,
        data: &Value,
        version: Version,
    ) -> Result<Option<RemoteDoc>, CmsError> {
        let url = self.url(Some(document_id), None);
        let body = json!({ "data": data });
        let answer = self
            .send(
                Method::PUT,
                &url,
                &status_query(version),
                Some(&body),
                false,
            )
            .await?;
        Ok(answer
            .as_ref()
            .and_then(|a| a.get("data"))
            .and_then(RemoteDoc::from_json))
    }

    /// Removes the published version, keeping the draft (custom route
    /// `POST /api/<type>/:documentId/unpublish`). `false` when there is no such document.
    pub async fn unpublish(&self, document_id: &str) -> Result<bool, CmsError> {
        let url = self.url(Some(document_id), Some("unpublish"));
        Ok(self
            .send(Method::POST, &url, &[], Some(&json!({})), true)
            .await?
            .is_some())
    }

    /// Deletes a document, every version (a missing one is not an error).
    pub async fn delete(&self, document_id: &str) -> Result<(), CmsError> {
        let url = self.url(Some(document_id), None);
        self.send(Method::DELETE, &url, &[], None, true).await?;
        Ok(())
    }
}

fn status_query(version: Version) -> Vec<(String, String)> {
    match version {
        Version::Draft => vec![("status".into(), "draft".into())],
        Version::Published => Vec::new(),
    }
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
