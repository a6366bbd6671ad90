//! The few REST calls `guidepress review` makes, as GitHub's OpenAPI
//! description names them (the tests hold every request to that
//! description, `tests/schemas/github-rest/`):
//!
//! | call | operation |
//! |---|---|
//! | [`GitHub::pull_request`] | `GET /repos/{owner}/{repo}/pulls/{pull_number}` (`pulls/get`) |
//! | [`GitHub::files`] | `GET …/pulls/{pull_number}/files` (`pulls/list-files`) |
//! | [`GitHub::review_comments`] | `GET …/pulls/{pull_number}/comments` (`pulls/list-review-comments`) |
//! | [`GitHub::create_review`] | `POST …/pulls/{pull_number}/reviews` (`pulls/create-review`) |
//! | [`GitHub::update_comment`] | `PATCH /repos/{owner}/{repo}/pulls/comments/{comment_id}` (`pulls/update-review-comment`) |
//! | [`GitHub::delete_comment`] | `DELETE /repos/{owner}/{repo}/pulls/comments/{comment_id}` (`pulls/delete-review-comment`) |
//!
//! Retries go through [`crate::retry`]: network failures, 5xx, and rate
//! limits (429, or 403 with `Retry-After` or `x-ratelimit-remaining: 0`)
//! within a budget; every other status is an error for the caller. The
//! token goes only into the `Authorization` header; every text that comes
//! back is redacted.

use std::time::{Duration, SystemTime};

use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
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

/// A pull request on GitHub: where its API is and which one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullRequestId {
    /// The API root (`https://api.github.com`, or a GitHub Enterprise one).
    pub api_url: Url,
    /// `owner`.
    pub owner: String,
    /// `repo`.
    pub repo: String,
    /// The pull request's number.
    pub number: u64,
}

/// What the review needs of the pull request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullRequestInfo {
    /// The head commit.
    pub head_sha: String,
    /// `owner/name` of the head repository (`None` when it was deleted).
    pub head_repo: Option<String>,
    /// `owner/name` of the base repository.
    pub base_repo: String,
}

impl PullRequestInfo {
    /// True when the head is in another repository than the base (a fork):
    /// the workflow's token cannot write reviews there.
    pub fn is_fork(&self) -> bool {
        self.head_repo.as_deref() != Some(self.base_repo.as_str())
    }
}

/// One file of the pull request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedFile {
    /// The path in the head.
    pub filename: String,
    /// `added`, `modified`, `removed`, `renamed`, …
    pub status: String,
    /// The unified diff's hunks; `None` for binary or very large files.
    pub patch: Option<String>,
}

/// A review comment already on the pull request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingComment {
    /// Its id.
    pub id: u64,
    /// The file.
    pub path: String,
    /// The last line it covers in the head (`None` when outdated).
    pub line: Option<u64>,
    /// The first line, for a comment on several lines.
    pub start_line: Option<u64>,
    /// The Markdown body.
    pub body: String,
    /// The comment it answers, for a reply.
    pub in_reply_to_id: Option<u64>,
}

/// A comment of a new review (GitHub's draft review comment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftComment {
    /// The file (repository-relative).
    pub path: String,
    /// The first line, when the comment covers several.
    pub start_line: Option<usize>,
    /// The (last) line, on the right-hand side.
    pub line: usize,
    /// The Markdown body.
    pub body: String,
}

/// A client of GitHub's REST API for one pull request.
pub struct GitHub {
    http: reqwest::Client,
    pull: PullRequestId,
    redactor: Redactor,
    policy: RetryPolicy,
}

impl std::fmt::Debug for GitHub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GitHub").field("pull", &self.pull).finish()
    }
}

impl GitHub {
    /// A client for `pull`, authenticating with `token`.
    pub fn new(pull: PullRequestId, token: &Secret) -> Result<Self, ReviewError> {
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
        Ok(GitHub {
            http,
            pull,
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
    pub fn with_retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// The pull request this client reviews.
    pub fn pull(&self) -> &PullRequestId {
        &self.pull
    }

    fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.pull.api_url.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty();
            path.extend(["repos", &self.pull.owner, &self.pull.repo]);
            path.extend(segments);
        }
        url
    }

    fn clean(&self, text: &str) -> String {
        self.redactor.redact(text).into_owned()
    }

    /// Sends a request, retrying what is worth retrying; the JSON answer
    /// (`Null` for an empty one).
    async fn send(
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
    async fn list(&self, segments: &[&str]) -> Result<Vec<Value>, ReviewError> {
        let mut items = Vec::new();
        for page in 1..=MAX_PAGES {
            let mut url = self.url(segments);
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

    /// The pull request's head commit and repositories (`pulls/get`).
    pub async fn pull_request(&self) -> Result<PullRequestInfo, ReviewError> {
        let number = self.pull.number.to_string();
        let url = self.url(&["pulls", &number]);
        let action = format!("GET {}", url.path());
        let answer = self.send(Method::GET, url, None).await?;
        let text = |pointer: &str| answer.pointer(pointer).and_then(Value::as_str);
        let bad = |message: &str| ReviewError::BadAnswer {
            action: action.clone(),
            message: message.to_owned(),
        };
        Ok(PullRequestInfo {
            head_sha: text("/head/sha")
                .ok_or_else(|| bad("no head.sha"))?
                .to_owned(),
            head_repo: text("/head/repo/full_name").map(str::to_owned),
            base_repo: text("/base/repo/full_name")
                .ok_or_else(|| bad("no base.repo.full_name"))?
                .to_owned(),
        })
    }

    /// The pull request's files with their patches (`pulls/list-files`).
    pub async fn files(&self) -> Result<Vec<ChangedFile>, ReviewError> {
        let number = self.pull.number.to_string();
        let items = self.list(&["pulls", &number, "files"]).await?;
        items
            .iter()
            .map(|item| {
                let text = |name: &str| item.get(name).and_then(Value::as_str);
                Some(ChangedFile {
                    filename: text("filename")?.to_owned(),
                    status: text("status").unwrap_or("modified").to_owned(),
                    patch: text("patch").map(str::to_owned),
                })
            })
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| ReviewError::BadAnswer {
                action: "GET …/files".into(),
                message: "a file without a filename".into(),
            })
    }

    /// The review comments on the pull request (`pulls/list-review-comments`).
    pub async fn review_comments(&self) -> Result<Vec<ExistingComment>, ReviewError> {
        let number = self.pull.number.to_string();
        let items = self.list(&["pulls", &number, "comments"]).await?;
        items
            .iter()
            .map(|item| {
                let number = |name: &str| item.get(name).and_then(Value::as_u64);
                Some(ExistingComment {
                    id: number("id")?,
                    path: item.get("path")?.as_str()?.to_owned(),
                    line: number("line"),
                    start_line: number("start_line"),
                    body: item.get("body")?.as_str()?.to_owned(),
                    in_reply_to_id: number("in_reply_to_id"),
                })
            })
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| ReviewError::BadAnswer {
                action: "GET …/comments".into(),
                message: "a comment without id, path or body".into(),
            })
    }

    /// Posts one review with `comments` at `commit_id` (`pulls/create-review`,
    /// event `COMMENT`); its id.
    pub async fn create_review(
        &self,
        commit_id: &str,
        body: &str,
        comments: &[DraftComment],
    ) -> Result<u64, ReviewError> {
        let number = self.pull.number.to_string();
        let url = self.url(&["pulls", &number, "reviews"]);
        let action = format!("POST {}", url.path());
        let comments: Vec<Value> = comments
            .iter()
            .map(|comment| {
                let mut value = json!({
                    "path": comment.path,
                    "body": comment.body,
                    "line": comment.line,
                    "side": "RIGHT",
                });
                if let Some(start) = comment.start_line {
                    value["start_line"] = json!(start);
                    value["start_side"] = json!("RIGHT");
                }
                value
            })
            .collect();
        let request = json!({
            "commit_id": commit_id,
            "body": body,
            "event": "COMMENT",
            "comments": comments,
        });
        let answer = self.send(Method::POST, url, Some(&request)).await?;
        answer
            .get("id")
            .and_then(Value::as_u64)
            .ok_or(ReviewError::BadAnswer {
                action,
                message: "the review has no id".into(),
            })
    }

    /// Replaces the body of comment `id` (`pulls/update-review-comment`).
    pub async fn update_comment(&self, id: u64, body: &str) -> Result<(), ReviewError> {
        let id = id.to_string();
        let url = self.url(&["pulls", "comments", &id]);
        self.send(Method::PATCH, url, Some(&json!({ "body": body })))
            .await
            .map(drop)
    }

    /// Deletes comment `id` (`pulls/delete-review-comment`).
    pub async fn delete_comment(&self, id: u64) -> Result<(), ReviewError> {
        let id = id.to_string();
        let url = self.url(&["pulls", "comments", &id]);
        self.send(Method::DELETE, url, None).await.map(drop)
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
