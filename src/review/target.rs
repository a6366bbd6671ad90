//! Which pull request to review: from the GitHub Actions environment (the
//! event file of a `pull_request` run, `GITHUB_REPOSITORY`,
//! `GITHUB_API_URL`), each part overridable on the command line.

use std::path::PathBuf;

use serde_json::Value;
use url::Url;

use super::error::ReviewError;
use super::github::PullRequestId;

/// The largest event file read (GitHub's are a few hundred KiB).
const MAX_EVENT_BYTES: u64 = 25 * 1024 * 1024;

/// What is known of the pull request before asking GitHub.
#[derive(Debug, Clone, Default)]
pub struct TargetInput {
    /// `owner/name` (`--repo`, or `GITHUB_REPOSITORY`).
    pub repository: Option<String>,
    /// The pull request's number (`--pr`, or the event's).
    pub number: Option<u64>,
    /// The head commit (`--sha`, or the event's).
    pub head_sha: Option<String>,
    /// The API root (`--api-url`, or `GITHUB_API_URL`).
    pub api_url: String,
    /// The event file (`GITHUB_EVENT_PATH`).
    pub event_path: Option<PathBuf>,
}

/// The pull request, and the head commit when the input or the event names one.
pub fn resolve(input: &TargetInput) -> Result<(PullRequestId, Option<String>), ReviewError> {
    let event = match &input.event_path {
        Some(path) => Some(read_event(path)?),
        None => None,
    };
    let from_event = |pointer: &str| event.as_ref().and_then(|e| e.pointer(pointer));
    let repository = input
        .repository
        .clone()
        .filter(|r| !r.is_empty())
        .or_else(|| {
            from_event("/repository/full_name")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .ok_or_else(|| {
            ReviewError::Target(
                "which repository? pass --repo OWNER/NAME (GITHUB_REPOSITORY under GitHub Actions)"
                    .into(),
            )
        })?;
    let (owner, repo) = repository
        .split_once('/')
        .filter(|(o, r)| !o.is_empty() && !r.is_empty() && !r.contains('/'))
        .ok_or_else(|| {
            ReviewError::Target(format!(
                "--repo must be OWNER/NAME, not `{}`",
                crate::escape::line(&repository)
            ))
        })?;
    let number = input
        .number
        .or_else(|| from_event("/pull_request/number").and_then(Value::as_u64))
        .ok_or_else(|| {
            ReviewError::Target(
                "which pull request? run on a `pull_request` event, or pass --pr NUMBER".into(),
            )
        })?;
    let head_sha = input
        .head_sha
        .clone()
        .filter(|s| !s.is_empty())
        .or_else(|| {
            from_event("/pull_request/head/sha")
                .and_then(Value::as_str)
                .map(str::to_owned)
        });
    let api_url = Url::parse(input.api_url.trim()).map_err(|e| {
        ReviewError::Target(format!(
            "--api-url `{}` is not a URL: {e}",
            crate::net::redact::redact_url_credentials(&input.api_url)
        ))
    })?;
    if !matches!(api_url.scheme(), "https" | "http") || api_url.cannot_be_a_base() {
        return Err(ReviewError::Target(
            "--api-url must be an http(s) URL such as https://api.github.com".into(),
        ));
    }
    if !api_url.username().is_empty() || api_url.password().is_some() {
        return Err(ReviewError::Target(
            "--api-url must not carry credentials: the token comes from GITHUB_TOKEN".into(),
        ));
    }
    Ok((
        PullRequestId {
            api_url,
            owner: owner.to_owned(),
            repo: repo.to_owned(),
            number,
        },
        head_sha,
    ))
}

fn read_event(path: &std::path::Path) -> Result<Value, ReviewError> {
    let bad = |why: String| {
        ReviewError::Target(format!(
            "cannot read the event file {}: {why}",
            path.display()
        ))
    };
    let size = std::fs::metadata(path)
        .map_err(|e| bad(e.to_string()))?
        .len();
    if size > MAX_EVENT_BYTES {
        return Err(bad(format!("larger than {} MiB", MAX_EVENT_BYTES >> 20)));
    }
    let text = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
    serde_json::from_slice(&text).map_err(|e| bad(format!("not JSON ({e})")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_event_names_the_pull_request_and_flags_win() {
        let dir = tempfile::tempdir().unwrap();
        let event = dir.path().join("event.json");
        std::fs::write(
            &event,
            r#"{"pull_request":{"number":7,"head":{"sha":"abc"}},"repository":{"full_name":"o/r"}}"#,
        )
        .unwrap();
        let input = TargetInput {
            api_url: "https://api.github.com".into(),
            event_path: Some(event),
            ..TargetInput::default()
        };
        let (pull, sha) = resolve(&input).unwrap();
        assert_eq!(
            (pull.owner.as_str(), pull.repo.as_str(), pull.number),
            ("o", "r", 7)
        );
        assert_eq!(sha.as_deref(), Some("abc"));
        let flags = TargetInput {
            repository: Some("a/b".into()),
            number: Some(9),
            head_sha: Some("def".into()),
            ..input
        };
        let (pull, sha) = resolve(&flags).unwrap();
        assert_eq!((pull.owner.as_str(), pull.number), ("a", 9));
        assert_eq!(sha.as_deref(), Some("def"));
    }

    #[test]
    fn missing_or_bad_parts_say_what_to_pass() {
        let none = TargetInput {
            api_url: "https://api.github.com".into(),
            ..TargetInput::default()
        };
        assert!(resolve(&none).unwrap_err().to_string().contains("--repo"));
        let no_pr = TargetInput {
            repository: Some("o/r".into()),
            ..none.clone()
        };
        assert!(resolve(&no_pr).unwrap_err().to_string().contains("--pr"));
        let bad_url = TargetInput {
            number: Some(1),
            api_url: "https://user:secret@example.com".into(),
            ..no_pr.clone()
        };
        let message = resolve(&bad_url).unwrap_err().to_string();
        assert!(!message.contains("secret"), "{message}");
        let bad_repo = TargetInput {
            repository: Some("just-a-name".into()),
            number: Some(1),
            ..none
        };
        assert!(
            resolve(&bad_repo)
                .unwrap_err()
                .to_string()
                .contains("OWNER/NAME")
        );
    }
}
