//! A stand-in for GitHub's REST API on loopback, for `guidepress review`:
//! one pull request with its files (patches), review comments and reviews,
//! kept between requests like GitHub keeps them. Every request is held to
//! GitHub's published OpenAPI description ([`openapi`]); a request it does
//! not allow, or one GitHub itself would refuse (a comment on a line outside
//! the diff, a range across hunks, the wrong commit), is answered 422 and
//! recorded, and [`GitHubStandIn::assert_clean`] fails the test on it.

#![allow(dead_code)]

pub mod openapi;

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};
use tokio::net::TcpListener;

/// The token the stand-in accepts.
pub const TOKEN: &str = "ghs_standInToken0123456789";

/// One file of the pull request.
#[derive(Debug, Clone)]
pub struct File {
    pub filename: String,
    pub status: String,
    pub patch: Option<String>,
}

/// A review comment as the stand-in keeps it.
#[derive(Debug, Clone)]
pub struct Comment {
    pub id: u64,
    pub review_id: Option<u64>,
    pub path: String,
    pub line: Option<u64>,
    pub start_line: Option<u64>,
    pub side: String,
    pub body: String,
    pub in_reply_to_id: Option<u64>,
    pub commit_id: String,
}

/// A review as the stand-in keeps it.
#[derive(Debug, Clone)]
pub struct Review {
    pub id: u64,
    pub body: String,
    pub event: String,
    pub commit_id: String,
    pub comments: usize,
}

/// How the stand-in answers, and what it holds.
#[derive(Debug)]
pub struct PullState {
    pub owner: String,
    pub repo: String,
    pub number: u64,
    pub head_sha: String,
    pub head_repo: Option<String>,
    pub files: Vec<File>,
    pub comments: Vec<Comment>,
    pub reviews: Vec<Review>,
    next_id: u64,
    /// Answer writes with 403 "Resource not accessible by integration".
    pub forbid_writes: bool,
    /// Answer the next N requests with `rate_limit_status` and `Retry-After: 0`.
    pub rate_limited: usize,
    /// 429, or 403 (GitHub's secondary rate limits answer 403 with `Retry-After`).
    pub rate_limit_status: u16,
    /// Answer reads with a 200 that is not JSON (a proxy's error page).
    pub garbled: bool,
    /// Someone deletes a comment just as guidepress edits it: the edit gets 404.
    pub vanish_on_edit: bool,
    /// Requests not allowed by the description or refused as GitHub would.
    pub violations: Vec<String>,
    /// Every request: `METHOD path?query`.
    pub requests: Vec<String>,
    /// Every `Authorization` header received (to check the token is sent, and only there).
    pub authorizations: Vec<String>,
}

/// The stand-in server; stops when dropped.
pub struct GitHubStandIn {
    pub url: String,
    pub state: Arc<Mutex<PullState>>,
    description: Arc<openapi::Description>,
    runtime: Option<tokio::runtime::Runtime>,
}

struct Shared {
    state: Arc<Mutex<PullState>>,
    description: Arc<openapi::Description>,
}

impl GitHubStandIn {
    /// Pull request `owner/repo#7` at `head_sha` with `files`.
    pub fn start(head_sha: &str, files: Vec<File>) -> GitHubStandIn {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let state = Arc::new(Mutex::new(PullState {
            owner: "owner".into(),
            repo: "repo".into(),
            number: 7,
            head_sha: head_sha.into(),
            head_repo: Some("owner/repo".into()),
            files,
            comments: Vec::new(),
            reviews: Vec::new(),
            next_id: 1000,
            forbid_writes: false,
            rate_limited: 0,
            rate_limit_status: 429,
            garbled: false,
            vanish_on_edit: false,
            violations: Vec::new(),
            requests: Vec::new(),
            authorizations: Vec::new(),
        }));
        let description = Arc::new(openapi::Description::load());
        let shared = Arc::new(Shared {
            state: state.clone(),
            description: description.clone(),
        });
        let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let app = Router::new().fallback(handle).with_state(shared);
        runtime.spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        GitHubStandIn {
            url,
            state,
            description,
            runtime: Some(runtime),
        }
    }

    /// The state, to arrange or inspect.
    pub fn state(&self) -> std::sync::MutexGuard<'_, PullState> {
        self.state.lock().unwrap()
    }

    /// A new push: another head commit and other files. Comments whose line
    /// is no longer in the diff become outdated (`line: null`), as on GitHub.
    pub fn push(&self, head_sha: &str, files: Vec<File>) {
        let mut state = self.state();
        state.head_sha = head_sha.into();
        state.files = files;
        let files = state.files.clone();
        for comment in &mut state.comments {
            let still = comment.line.is_some_and(|line| {
                in_one_hunk(
                    &files,
                    &comment.path,
                    comment.start_line.unwrap_or(line),
                    line,
                )
            });
            if !still {
                comment.line = None;
                comment.start_line = None;
            }
        }
    }

    /// Someone answers comment `id`.
    pub fn reply(&self, id: u64, body: &str) -> u64 {
        let mut state = self.state();
        let parent = state.comments.iter().find(|c| c.id == id).unwrap().clone();
        state.next_id += 1;
        let reply = Comment {
            id: state.next_id,
            review_id: None,
            in_reply_to_id: Some(id),
            body: body.into(),
            ..parent
        };
        state.comments.push(reply.clone());
        reply.id
    }

    /// The comments still there that are not replies.
    pub fn threads(&self) -> Vec<Comment> {
        self.state()
            .comments
            .iter()
            .filter(|c| c.in_reply_to_id.is_none())
            .cloned()
            .collect()
    }

    /// Fails the test when any request was not allowed.
    pub fn assert_clean(&self) {
        let state = self.state();
        assert!(
            state.violations.is_empty(),
            "requests GitHub (or its OpenAPI description) would refuse:\n{}",
            state.violations.join("\n")
        );
    }
}

impl Drop for GitHubStandIn {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// True when lines `start..=end` of `path` are right-hand lines of one hunk.
pub fn in_one_hunk(files: &[File], path: &str, start: u64, end: u64) -> bool {
    let Some(patch) = files
        .iter()
        .find(|f| f.filename == path)
        .and_then(|f| f.patch.as_deref())
    else {
        return false;
    };
    hunks(patch)
        .iter()
        .any(|&(first, last)| first <= start && start <= end && end <= last)
}

/// The right-hand line ranges of a patch's hunks (written here again, not
/// taken from the code under test).
pub fn hunks(patch: &str) -> Vec<(u64, u64)> {
    patch
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("@@ -")?;
            let new = rest.split(" +").nth(1)?.split(" @@").next()?;
            let (start, count) = match new.split_once(',') {
                Some((s, c)) => (s.parse::<u64>().ok()?, c.parse::<u64>().ok()?),
                None => (new.parse::<u64>().ok()?, 1),
            };
            (count > 0).then(|| (start, start + count - 1))
        })
        .collect()
}

fn json_response(status: StatusCode, value: Value) -> Response {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/json; charset=utf-8")
        .body(Body::from(value.to_string()))
        .unwrap()
}

fn comment_json(comment: &Comment) -> Value {
    let mut value = json!({
        "id": comment.id,
        "pull_request_review_id": comment.review_id,
        "path": comment.path,
        "line": comment.line,
        "start_line": comment.start_line,
        "side": comment.side,
        "body": comment.body,
        "commit_id": comment.commit_id,
    });
    if let Some(parent) = comment.in_reply_to_id {
        value["in_reply_to_id"] = json!(parent);
    }
    value
}

fn page<T: Clone>(items: &[T], query: &[(String, String)]) -> Vec<T> {
    let get = |name: &str, default: usize| {
        query
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(default)
    };
    let per_page = get("per_page", 30).max(1);
    let page = get("page", 1).max(1);
    items
        .iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .cloned()
        .collect()
}

async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let query: Vec<(String, String)> = request
        .uri()
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let authorization = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = to_bytes(request.into_body(), 64 * 1024 * 1024)
        .await
        .unwrap_or_default();
    let problems = shared
        .description
        .check(&method, &path, &query, &body, content_type.as_deref());

    let mut state = shared.state.lock().unwrap();
    state.requests.push(match request_query(&query) {
        q if q.is_empty() => format!("{method} {path}"),
        q => format!("{method} {path}?{q}"),
    });
    state.authorizations.push(authorization.clone());
    if !problems.is_empty() {
        state.violations.extend(problems.iter().cloned());
        return json_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"message": "Invalid request.", "errors": problems}),
        );
    }
    if authorization != format!("Bearer {TOKEN}") {
        return json_response(
            StatusCode::UNAUTHORIZED,
            json!({"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"}),
        );
    }
    if state.rate_limited > 0 {
        state.rate_limited -= 1;
        return Response::builder()
            .status(StatusCode::from_u16(state.rate_limit_status).unwrap())
            .header("retry-after", "0")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(
                r#"{"message":"You have exceeded a secondary rate limit."}"#,
            ))
            .unwrap();
    }
    if state.garbled && method == "GET" {
        return Response::builder()
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, "text/html")
            .body(Body::from("<html><body>Service unavailable</body></html>"))
            .unwrap();
    }
    let base = format!("/repos/{}/{}", state.owner, state.repo);
    let Some(rest) = path.strip_prefix(&base) else {
        return json_response(StatusCode::NOT_FOUND, json!({"message": "Not Found"}));
    };
    let pull = format!("/pulls/{}", state.number);
    let body_json: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let writes = method != "GET";
    if writes && state.forbid_writes {
        return json_response(
            StatusCode::FORBIDDEN,
            json!({"message": "Resource not accessible by integration"}),
        );
    }
    match (method.as_str(), rest) {
        ("GET", r) if r == pull => {
            let head_repo = state
                .head_repo
                .as_ref()
                .map(|name| json!({"full_name": name}));
            json_response(
                StatusCode::OK,
                json!({
                    "number": state.number,
                    "head": {"sha": state.head_sha, "repo": head_repo},
                    "base": {"repo": {"full_name": format!("{}/{}", state.owner, state.repo)}},
                }),
            )
        }
        ("GET", r) if r == format!("{pull}/files") => {
            let files: Vec<Value> = state
                .files
                .iter()
                .map(|f| {
                    let mut value = json!({"filename": f.filename, "status": f.status});
                    if let Some(patch) = &f.patch {
                        value["patch"] = json!(patch);
                    }
                    value
                })
                .collect();
            json_response(StatusCode::OK, Value::Array(page(&files, &query)))
        }
        ("GET", r) if r == format!("{pull}/comments") => {
            let comments: Vec<Value> = state.comments.iter().map(comment_json).collect();
            json_response(StatusCode::OK, Value::Array(page(&comments, &query)))
        }
        ("POST", r) if r == format!("{pull}/reviews") => create_review(&mut state, &body_json),
        ("PATCH", r) | ("DELETE", r) if r.starts_with("/pulls/comments/") => {
            let id: u64 = r["/pulls/comments/".len()..].parse().unwrap_or(0);
            let Some(index) = state.comments.iter().position(|c| c.id == id) else {
                return json_response(StatusCode::NOT_FOUND, json!({"message": "Not Found"}));
            };
            if method == "DELETE" || state.vanish_on_edit {
                state.comments.remove(index);
                if method == "PATCH" {
                    return json_response(StatusCode::NOT_FOUND, json!({"message": "Not Found"}));
                }
                return Response::builder()
                    .status(StatusCode::NO_CONTENT)
                    .body(Body::empty())
                    .unwrap();
            }
            state.comments[index].body = body_json["body"].as_str().unwrap_or_default().to_owned();
            json_response(StatusCode::OK, comment_json(&state.comments[index]))
        }
        _ => json_response(StatusCode::NOT_FOUND, json!({"message": "Not Found"})),
    }
}

fn request_query(query: &[(String, String)]) -> String {
    query
        .iter()
        .map(|(n, v)| format!("{n}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Creates a review as GitHub does, refusing what GitHub refuses.
fn create_review(state: &mut PullState, body: &Value) -> Response {
    let refuse = |state: &mut PullState, why: String| {
        state.violations.push(format!("create-review: {why}"));
        json_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"message": "Unprocessable Entity", "errors": [why]}),
        )
    };
    let commit_id = body["commit_id"].as_str().unwrap_or_default().to_owned();
    if commit_id != state.head_sha {
        return refuse(
            state,
            format!("commit_id {commit_id} is not the head {}", state.head_sha),
        );
    }
    let event = body["event"].as_str().unwrap_or_default().to_owned();
    let review_body = body["body"].as_str().unwrap_or_default().to_owned();
    if event == "COMMENT"
        && review_body.is_empty()
        && body["comments"].as_array().is_none_or(Vec::is_empty)
    {
        return refuse(state, "a COMMENT review needs a body or comments".into());
    }
    if review_body.chars().count() > 65_536 {
        return refuse(
            state,
            "the review's body is longer than 65536 characters".into(),
        );
    }
    let files = state.files.clone();
    let mut comments = Vec::new();
    for draft in body["comments"].as_array().into_iter().flatten() {
        let path = draft["path"].as_str().unwrap_or_default().to_owned();
        let Some(line) = draft["line"].as_u64() else {
            return refuse(
                state,
                format!("{path}: a comment without `line` (position is deprecated)"),
            );
        };
        let start = draft["start_line"].as_u64();
        let side = draft["side"].as_str().unwrap_or("RIGHT").to_owned();
        if side != "RIGHT" || draft.get("start_side").is_some_and(|s| s != "RIGHT") {
            return refuse(
                state,
                format!("{path}:{line}: side {side}: guidepress comments on the new file only"),
            );
        }
        if start.is_some_and(|s| s >= line) {
            return refuse(
                state,
                format!("{path}:{line}: start_line must precede line"),
            );
        }
        if !in_one_hunk(&files, &path, start.unwrap_or(line), line) {
            return refuse(
                state,
                format!(
                    "{path}: lines {}..{line} are not part of one hunk of the diff",
                    start.unwrap_or(line)
                ),
            );
        }
        let text = draft["body"].as_str().unwrap_or_default();
        if text.chars().count() > 65_536 {
            return refuse(
                state,
                format!("{path}:{line}: body longer than 65536 characters"),
            );
        }
        comments.push((path, line, start, text.to_owned()));
    }
    state.next_id += 1;
    let review_id = state.next_id;
    let count = comments.len();
    for (path, line, start_line, text) in comments {
        state.next_id += 1;
        let id = state.next_id;
        state.comments.push(Comment {
            id,
            review_id: Some(review_id),
            path,
            line: Some(line),
            start_line,
            side: "RIGHT".into(),
            body: text,
            in_reply_to_id: None,
            commit_id: commit_id.clone(),
        });
    }
    state.reviews.push(Review {
        id: review_id,
        body: review_body,
        event,
        commit_id,
        comments: count,
    });
    json_response(
        StatusCode::OK,
        json!({"id": review_id, "state": "COMMENTED"}),
    )
}
