//! What a check concludes about one address, and why.
//!
//! Three outcomes matter to a writer: **ok**, **broken** (the page is gone:
//! 404, 410, the domain does not resolve, the server refuses connections)
//! and **inconclusive** (the checker could not tell: bot protection, rate
//! limits past the retry budget, LinkedIn's 999, timeouts, server errors
//! after retries). A fourth, **refused**, means the safety policy kept the
//! checker from connecting at all.

use serde::{Deserialize, Serialize};

/// The verdict on one address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkStatus {
    /// The page answered with success (possibly after redirects).
    Ok,
    /// The page is gone; readers following the link get nothing.
    Broken,
    /// The checker could not tell; a person should look.
    Inconclusive,
    /// Not contacted: the safety policy refuses the address.
    Refused,
}

impl LinkStatus {
    /// The lowercase name used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkStatus::Ok => "ok",
            LinkStatus::Broken => "broken",
            LinkStatus::Inconclusive => "inconclusive",
            LinkStatus::Refused => "refused",
        }
    }
}

/// One redirect followed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Redirect {
    /// The address requested.
    pub from: String,
    /// Where the server sent the checker (absolute, without fragment).
    pub to: String,
    /// The 3xx status.
    pub status: u16,
}

impl Redirect {
    /// True for 301 and 308, which tell clients to use the new address from now on.
    pub fn is_permanent(&self) -> bool {
        matches!(self.status, 301 | 308)
    }
}

/// Everything known about one checked address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkResult {
    /// The verdict.
    pub status: LinkStatus,
    /// Why, in a phrase that completes "the link …: " (e.g. "the server answers 404 Not Found").
    pub reason: String,
    /// The final HTTP status, when a response was received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    /// Redirects followed, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub redirects: Vec<Redirect>,
    /// Set when a successful answer looks like a "not found" page in disguise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soft_404: Option<String>,
    /// Set when the answer came from a bot-protection service (what it was).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bot_protection: Option<String>,
}

impl LinkResult {
    /// A result without a response (network failure, policy refusal).
    pub fn without_response(status: LinkStatus, reason: impl Into<String>) -> Self {
        LinkResult {
            status,
            reason: reason.into(),
            http_status: None,
            redirects: Vec::new(),
            soft_404: None,
            bot_protection: None,
        }
    }

    /// The address reached through the leading run of permanent redirects,
    /// when there is one: what a citation should be rewritten to.
    pub fn permanent_target(&self) -> Option<&str> {
        let last = self
            .redirects
            .iter()
            .take_while(|hop| hop.is_permanent())
            .last()?;
        Some(last.to.as_str())
    }

    /// The address finally reached (the last redirect's target).
    pub fn final_url(&self) -> Option<&str> {
        self.redirects.last().map(|hop| hop.to.as_str())
    }
}

/// The standard reason phrase of a status code, for messages.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        410 => "Gone",
        429 => "Too Many Requests",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        999 => "(non-standard, sent to automated clients)",
        _ => "",
    }
}

/// `404 Not Found`, or just `418` for a status without a known phrase.
pub fn status_text(status: u16) -> String {
    match reason_phrase(status) {
        "" => status.to_string(),
        phrase => format!("{status} {phrase}"),
    }
}

/// True for the statuses the checker follows as redirects.
pub fn is_redirect(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

/// True for the statuses that count as success (lychee's default: 100-103, 200-299).
pub fn is_success(status: u16) -> bool {
    (100..=103).contains(&status) || (200..=299).contains(&status)
}

/// True for the statuses retried with backoff: 408, 429 and 5xx.
pub use crate::retry::is_retryable_status as is_retryable;

/// What a final (non-redirect) response means.
pub fn judge_status(status: u16) -> (LinkStatus, String) {
    let text = status_text(status);
    match status {
        s if is_success(s) => (LinkStatus::Ok, format!("the server answers {text}")),
        404 | 410 => (LinkStatus::Broken, format!("the server answers {text}")),
        999 => (
            LinkStatus::Inconclusive,
            "the server answers 999, which LinkedIn and similar sites send to automated clients"
                .to_owned(),
        ),
        429 => (
            LinkStatus::Inconclusive,
            "the server keeps answering 429 Too Many Requests".to_owned(),
        ),
        401 | 407 => (
            LinkStatus::Inconclusive,
            format!("the server asks for credentials ({text})"),
        ),
        403 => (
            LinkStatus::Inconclusive,
            format!("the server refuses automated access ({text})"),
        ),
        s if (500..=599).contains(&s) => (
            LinkStatus::Inconclusive,
            format!("the server answers {text}"),
        ),
        s if (300..=399).contains(&s) => (
            LinkStatus::Inconclusive,
            format!("the server answers {text} without a usable Location"),
        ),
        _ => (
            LinkStatus::Inconclusive,
            format!("the server answers {text}"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hop(status: u16, to: &str) -> Redirect {
        Redirect {
            from: String::new(),
            to: to.to_owned(),
            status,
        }
    }

    #[test]
    fn permanent_target_stops_at_the_first_temporary_hop() {
        let mut result = LinkResult::without_response(LinkStatus::Ok, "ok");
        assert_eq!(result.permanent_target(), None);
        result.redirects = vec![hop(301, "b"), hop(308, "c"), hop(302, "d"), hop(301, "e")];
        assert_eq!(result.permanent_target(), Some("c"));
        assert_eq!(result.final_url(), Some("e"));
        result.redirects = vec![hop(302, "b"), hop(301, "c")];
        assert_eq!(result.permanent_target(), None);
    }

    #[test]
    fn statuses_are_judged_as_the_issue_says() {
        assert_eq!(judge_status(200).0, LinkStatus::Ok);
        assert_eq!(judge_status(404).0, LinkStatus::Broken);
        assert_eq!(judge_status(410).0, LinkStatus::Broken);
        for s in [403, 429, 999, 500, 503, 401, 400, 451] {
            assert_eq!(judge_status(s).0, LinkStatus::Inconclusive, "{s}");
        }
        assert_eq!(status_text(404), "404 Not Found");
        assert_eq!(status_text(418), "418");
    }

    #[test]
    fn results_round_trip_through_json() {
        let mut result = LinkResult::without_response(LinkStatus::Inconclusive, "x");
        result.redirects.push(hop(301, "https://a.example/"));
        let json = serde_json::to_string(&result).unwrap();
        assert_eq!(serde_json::from_str::<LinkResult>(&json).unwrap(), result);
    }
}
