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
//! Sending, retrying and reading answers is [`super::transport`]'s job.

use reqwest::Method;
use serde_json::{Value, json};
use url::Url;

use super::error::ReviewError;
use super::transport::Transport;
use crate::publish::Secret;
use crate::retry::RetryPolicy;

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
    transport: Transport,
    pull: PullRequestId,
}

impl std::fmt::Debug for GitHub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GitHub").field("pull", &self.pull).finish()
    }
}
impl GitHub {
    /// A client for `pull`, authenticating with `token`.
    pub fn new(pull: PullRequestId, token: &Secret) -> Result<Self, ReviewError> {
        Ok(GitHub {
            transport: Transport::new(token)?,
            pull,
        })
    }

    /// Sets the retries (tests use short waits).
    pub fn with_retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.transport.set_retry_policy(policy);
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

    async fn send(
        &self,
        method: Method,
        url: Url,
        body: Option<&Value>,
    ) -> Result<Value, ReviewError> {
        self.transport.send(method, url, body).await
    }

    async fn list(&self, segments: &[&str]) -> Result<Vec<Value>, ReviewError> {
        self.transport.list(&self.url(segments)).await
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
