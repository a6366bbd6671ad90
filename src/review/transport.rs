//! How `guidepress review` talks to GitHub: one HTTP client whose only
//! secret is the `Authorization` header, answers read up to a limit,
//! retries decided by [`crate::retry`] (network failures, 5xx, and rate
//! limits: 429, or 403 with `Retry-After` or `x-ratelimit-remaining: 0`,
//! within a budget), lists read page by page, and every error status turned
//! into a [`ReviewError`] whose text has been through the redactor.

use std::time::{Duration, SystemTime};

use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use url::Url;

use super::error::ReviewError;
use crate::net::body::{End, read_capped};
use crate::net::redact::Redactor;
use crate::publish::Secret;
use crate::retry::{Decision, RetryBudget, RetryPolicy, parse_retry_after};

/// Results per page of a list (GitHub's largest).
pub const PER_PAGE: usize = 100;
/// The most pages of a list read (GitHub lists at most 3,000 files of a pull request).
pub const MAX_PAGES: usize = 30;
/// The largest answer read.
const MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;

/// The HTTP side of the GitHub client.
pub struct Transport {
    http: reqwest::Client,
    redactor: Redactor,
    policy: RetryPolicy,
}

impl Transport {
    /// A transport authenticating with `token`.
    pub fn new(token: &Secret) -> Result<Self, ReviewError> {
        if token.expose().trim().is_empty() {
            return Err(ReviewError::NoToken);
        }
        let mut auth = HeaderValue::from_str(&format!("Bearer {}", token.expose().trim()))
            .map_err(|_| ReviewError::BadToken)?;
        auth.set_sensitive(true);
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, auth);
        headers.insert(
            header::ACCEPT,
            HeaderValue::from_static("application/vnd.github+json"),
        );
        headers.insert(
            "x-github-api-version",
            HeaderValue::from_static("2022-11-28"),
        );
        crate::net::tls::install_crypto_provider();
        let http = reqwest::Client::builder()
            .default_headers(headers)
            .user_agent(concat!("guidepress/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(60))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| ReviewError::Target(format!("cannot build the HTTP client: {e}")))?;
        Ok(Transport {
            http,
            redactor: Redactor::new().with(token.expose()),
            policy: RetryPolicy {
                max_retries: 3,
                base: Duration::from_millis(500),
                max_wait: Some(Duration::from_secs(60)),
                budget: Some(RetryBudget::new(Duration::from_secs(180))),
            },
        })
    }

    /// Sets the retries (tests use short waits).
    pub fn set_retry_policy(&mut self, policy: RetryPolicy) {
        self.policy = policy;
    }

    /// `text` without the token.
    pub fn clean(&self, text: &str) -> String {
        self.redactor.redact(text).into_owned()
    }

    /// Sends a request, retrying what is worth retrying; the JSON answer
    /// (`Null` for an empty one).
    pub async fn send(
        &self,
        method: Method,
        url: Url,
        body: Option<&Value>,
    ) -> Result<Value, ReviewError> {
        let action = self.clean(&format!("{method} {}", url.path()));
        let mut retries = 0;
        loop {
            let mut request = self.http.request(method.clone(), url.clone());
            if let Some(body) = body {
                request = request.json(body);
            }
            let failure = match request.send().await {
                Err(error) => Failure {
                    error: ReviewError::Network {
                        action: action.clone(),
                        message: self.clean(&error_chain(&error)),
                    },
                    retry: true,
                    asked: None,
                },
                Ok(mut response) => {
                    let status = response.status();
                    let headers = response.headers().clone();
                    let read = read_capped(&mut response, MAX_RESPONSE_BYTES).await;
                    match read.end {
                        End::Complete => {}
                        End::Truncated => {
                            return Err(ReviewError::BadAnswer {
                                action,
                                message: format!(
                                    "the answer is larger than {} MiB",
                                    MAX_RESPONSE_BYTES >> 20
                                ),
                            });
                        }
                        End::Failed(error) => {
                            return Err(ReviewError::Network {
                                action,
                                message: self.clean(&error_chain(&error)),
                            });
                        }
                    }
                    if status.is_success() {
                        if read.bytes.iter().all(u8::is_ascii_whitespace) {
                            return Ok(Value::Null);
                        }
                        return serde_json::from_slice(&read.bytes).map_err(|e| {
                            ReviewError::BadAnswer {
                                action: action.clone(),
                                message: format!("not JSON ({e})"),
                            }
                        });
                    }
                    self.failure(&action, status, &headers, &read.bytes)
                }
            };
            if !failure.retry {
                return Err(failure.error);
            }
            match self.policy.next(retries, failure.asked) {
                Decision::Retry(wait) => {
                    tokio::time::sleep(wait).await;
                    retries += 1;
                }
                Decision::Exhausted => return Err(failure.error),
                Decision::OverBudget { wait, .. } => {
                    return Err(match failure.error {
                        ReviewError::RateLimited { action, status, .. } => {
                            ReviewError::RateLimited {
                                action,
                                status,
                                wait: Some(wait),
                            }
                        }
                        other => other,
                    });
                }
            }
        }
    }

    /// What an error status means, and whether to try again.
    fn failure(
        &self,
        action: &str,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Failure {
        let message = self.clean(&error_message(body));
        let header_text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let asked = header_text("retry-after")
            .and_then(|v| parse_retry_after(v, SystemTime::now()))
            .or_else(|| {
                // `x-ratelimit-reset` is when the primary limit resets (epoch seconds).
                (header_text("x-ratelimit-remaining") == Some("0"))
                    .then(|| header_text("x-ratelimit-reset")?.parse::<u64>().ok())
                    .flatten()
                    .map(|reset| {
                        let now = SystemTime::now()
                            .duration_since(SystemTime::UNIX_EPOCH)
                            .unwrap_or_default()
                            .as_secs();
                        Duration::from_secs(reset.saturating_sub(now))
                    })
            });
        let rate_limited = status == StatusCode::TOO_MANY_REQUESTS
            || (status == StatusCode::FORBIDDEN
                && (header_text("retry-after").is_some()
                    || header_text("x-ratelimit-remaining") == Some("0")
                    || message.to_ascii_lowercase().contains("rate limit")));
        let action = action.to_owned();
        let code = status.as_u16();
        if rate_limited {
            return Failure {
                error: ReviewError::RateLimited {
                    action,
                    status: code,
                    wait: asked,
                },
                retry: true,
                asked,
            };
        }
        let error = match code {
            401 => ReviewError::Unauthorized { action, message },
            403 | 404 => ReviewError::Forbidden {
                action,
                status: code,
                message,
            },
            _ => ReviewError::Status {
                action,
                status: code,
                message,
            },
        };
        Failure {
            error,
            retry: status.is_server_error(),
            asked: None,
        }
    }
    /// Every page of a list (`per_page` 100, at most [`MAX_PAGES`] pages).
    pub async fn list(&self, base: &Url) -> Result<Vec<Value>, ReviewError> {
        let mut items = Vec::new();
        for page in 1..=MAX_PAGES {
            let mut url = base.clone();
            url.query_pairs_mut()
                .append_pair("per_page", &PER_PAGE.to_string())
                .append_pair("page", &page.to_string());
            let action = self.clean(&format!("GET {}", url.path()));
            let answer = self.send(Method::GET, url, None).await?;
            let Value::Array(batch) = answer else {
                return Err(ReviewError::BadAnswer {
                    action,
                    message: "expected a list".into(),
                });
            };
            let full = batch.len() >= PER_PAGE;
            items.extend(batch);
            if !full {
                break;
            }
        }
        Ok(items)
    }
}

struct Failure {
    error: ReviewError,
    retry: bool,
    asked: Option<Duration>,
}

/// GitHub's `message` (with the `errors` it lists), or the start of the body.
fn error_message(body: &[u8]) -> String {
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        let text = String::from_utf8_lossy(body);
        let text = text.trim();
        return shorten(text, 200);
    };
    let mut message = value
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or("(no message)")
        .to_owned();
    if let Some(errors) = value.get("errors").and_then(Value::as_array) {
        let details: Vec<String> = errors
            .iter()
            .map(|error| match error {
                Value::String(text) => text.clone(),
                other => other
                    .get("message")
                    .and_then(Value::as_str)
                    .map_or_else(|| other.to_string(), str::to_owned),
            })
            .collect();
        if !details.is_empty() {
            message.push_str(": ");
            message.push_str(&details.join("; "));
        }
    }
    shorten(&message, 1000)
}

/// An error with its causes (reqwest's own message is terse).
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// `text` on one line (control characters made visible), at most `max` characters.
fn shorten(text: &str, max: usize) -> String {
    let line = crate::escape::line(text);
    match line.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line.into_owned(),
    }
}
