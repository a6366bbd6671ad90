//! What can go wrong talking to GitHub, each case with what to do about it.
//! No variant holds the token: texts from the network pass through the run's
//! redactor before they land here.

use std::time::Duration;

/// A failure of `guidepress review` (content findings are never errors).
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// No token to talk to GitHub with.
    #[error(
        "no GitHub token: set GITHUB_TOKEN (the action passes the workflow's token, `github.token`)"
    )]
    NoToken,
    /// The token cannot go into an HTTP header.
    #[error("the GitHub token holds characters an HTTP header cannot carry")]
    BadToken,
    /// Which pull request to review is not known.
    #[error("{0}")]
    Target(String),
    /// GitHub refused the token (401).
    #[error(
        "GitHub refused the token ({action}: 401 {message}); check that GITHUB_TOKEN is the workflow's token or a token that can read the repository"
    )]
    Unauthorized {
        /// What was being done (`GET …/pulls/7`).
        action: String,
        /// GitHub's message.
        message: String,
    },
    /// The token may not do this (403 without a rate limit, or 404 on a
    /// write): a fork's pull request, or a workflow without `pull-requests: write`.
    #[error("GitHub did not allow {action} ({status} {message})")]
    Forbidden {
        /// What was being done.
        action: String,
        /// 403 or 404.
        status: u16,
        /// GitHub's message.
        message: String,
    },
    /// Rate limited, and the wait asked for is longer than this run waits.
    #[error(
        "GitHub's rate limit stopped {action} ({status}); it asks to wait {}s, more than this run waits; run the job again later",
        wait.map_or_else(|| "an unknown number of ".to_owned(), |w| w.as_secs().to_string())
    )]
    RateLimited {
        /// What was being done.
        action: String,
        /// 403 or 429.
        status: u16,
        /// The wait GitHub asked for, if it said.
        wait: Option<Duration>,
    },
    /// GitHub answered with another error status.
    #[error("GitHub answered {action} with {status}: {message}")]
    Status {
        /// What was being done.
        action: String,
        /// The status.
        status: u16,
        /// GitHub's message (and its `errors`, if any).
        message: String,
    },
    /// The connection failed (after retries).
    #[error("cannot reach GitHub for {action}: {message}")]
    Network {
        /// What was being done.
        action: String,
        /// What failed.
        message: String,
    },
    /// GitHub's answer is not what its API description says.
    #[error("unexpected answer from GitHub to {action}: {message}")]
    BadAnswer {
        /// What was being done.
        action: String,
        /// What is wrong with it.
        message: String,
    },
}
