//! Why a request to the CMS failed, and what the client does about it.

use std::time::Duration;

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
        /// No connection could be made (refused, unreachable, connect
        /// timeout): the request never reached the CMS.
        connect: bool,
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
    /// A well-formed answer of a shape guidepress does not know (no `data`,
    /// a document without `documentId` or `slug`, a filter not applied).
    /// Acting on a guess could duplicate or delete documents, so the run stops.
    #[error(
        "{action}: the CMS answered in a shape guidepress does not expect: {message}; the run stops here, nothing more is written (check `content_type` under [cms], and that the API token can read every field)"
    )]
    Unexpected {
        /// What was being done.
        action: String,
        /// What is wrong.
        message: String,
    },
    /// The CMS stopped accepting connections in the middle of a run.
    #[error(
        "the CMS stopped accepting connections ({refused} guides in a row could not connect; last: {last}); stopped after {done} of {total} writes were carried out ({failed} failed, {not_attempted} not attempted): run publish again when the CMS is back"
    )]
    CmsDown {
        /// Guides in a row whose requests could not connect.
        refused: usize,
        /// The last connection error.
        last: String,
        /// Writing entries carried out (written, or found already done).
        done: usize,
        /// Writing entries that failed (or were left as conflicts).
        failed: usize,
        /// Writing entries in the plan.
        total: usize,
        /// Writing entries never attempted.
        not_attempted: usize,
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
    /// 403 from the content-type-builder: the token may not read the schema.
    #[error(
        "the API token in {token_env} may not read the CMS's schema (HTTP 403 for {action}): guidepress checks [cms.fields] against the content type's schema before any write; grant the token the Content-type-builder permissions `getContentTypes`, `getContentType`, `getComponents` and `getComponent` (Strapi admin: Settings > API Tokens > the token > Content-type-builder), or use a full-access token"
    )]
    SchemaForbidden {
        /// The request refused.
        action: String,
        /// The variable the token was read from.
        token_env: String,
    },
    /// `[cms] content_type` names no content type of the CMS.
    #[error(
        "the CMS has no content type `{wanted}`: set `content_type` under [cms] to one of its UIDs or REST plurals ({known})"
    )]
    UnknownContentType {
        /// What was asked for.
        wanted: String,
        /// The CMS's API content types, `uid (plural)`.
        known: String,
    },
    /// The mapping does not fit the content type: nothing is written.
    #[error(
        "[cms.fields] does not fit the CMS content type `{uid}`, so nothing was written ({count} problems):\n{list}",
        count = problems.len(),
        list = problems.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n")
    )]
    Mapping {
        /// The content type.
        uid: String,
        /// Each problem, `guidepress.toml:12:1: `attr`: message`.
        problems: Vec<String>,
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
    /// Whether trying again may help: 408, 429, 5xx, no answer.
    pub fn is_retryable(&self) -> bool {
        match self {
            CmsError::Status { status, .. } => crate::retry::is_retryable_status(*status),
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
                | CmsError::Unexpected { .. }
                | CmsError::CmsDown { .. }
                | CmsError::SchemaForbidden { .. }
                | CmsError::UnknownContentType { .. }
                | CmsError::Mapping { .. }
        )
    }

    /// Whether the request may have reached the CMS and been carried out
    /// although no usable answer came back (connection reset or timeout
    /// after sending, 5xx, a cut or unreadable body): a write is checked by
    /// re-reading before it is sent again.
    pub fn answer_lost(&self) -> bool {
        match self {
            CmsError::Transport { connect, .. } => !connect,
            CmsError::Status { status, .. } => (500..=599).contains(status),
            CmsError::Malformed { .. } | CmsError::ResponseTooLarge { .. } => true,
            _ => false,
        }
    }

    /// Whether no connection to the CMS could be made.
    pub fn is_connect(&self) -> bool {
        matches!(self, CmsError::Transport { connect: true, .. })
    }

    pub(super) fn retry_after(&self) -> Option<Duration> {
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
