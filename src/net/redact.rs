//! Secrets taken out of text before anyone sees it.
//!
//! A server can echo what it received (a CMS that puts the request's
//! `Authorization` header into its error body), and a URL can carry a
//! password (`http://user:pw@host`). Every text that comes back from the
//! network, every log line and every error passes through
//! [`Redactor::redact`] before it is printed or stored: each known secret is
//! replaced by `[redacted]`, and so is the user-information part of every URL
//! in the text ([`redact_url_credentials`]).

use std::borrow::Cow;
use std::fmt;

/// What a secret is replaced with.
pub const REDACTED: &str = "[redacted]";

/// The secrets of a run, and the one function that hides them.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Redactor {
    /// Longest first, so that a secret containing another is hidden whole.
    secrets: Vec<String>,
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Redactor({} secrets)", self.secrets.len())
    }
}

impl Redactor {
    /// A redactor that hides only URL credentials.
    pub fn new() -> Self {
        Redactor::default()
    }

    /// Adds a secret. Its percent-encoded and JSON-escaped spellings are
    /// hidden too (a server may echo it in a URL or a JSON string); blank
    /// values are ignored.
    pub fn add(&mut self, secret: &str) {
        if secret.trim().is_empty() {
            return;
        }
        let mut spellings = vec![secret.to_owned()];
        let trimmed = secret.trim();
        spellings.push(trimmed.to_owned());
        spellings.push(percent_encode(trimmed));
        if let Ok(json) = serde_json::to_string(trimmed) {
            spellings.push(json[1..json.len() - 1].to_owned());
        }
        for spelling in spellings {
            if !spelling.is_empty() && !self.secrets.contains(&spelling) {
                self.secrets.push(spelling);
            }
        }
        self.secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    }

    /// This redactor with `secret` added.
    #[must_use]
    pub fn with(mut self, secret: &str) -> Self {
        self.add(secret);
        self
    }

    /// True when `text` holds a known secret.
    pub fn reveals(&self, text: &str) -> bool {
        self.secrets.iter().any(|s| text.contains(s.as_str()))
    }

    /// `text` with every known secret and every URL credential replaced by `[redacted]`.
    pub fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        match self.redact_secrets(text) {
            Cow::Borrowed(text) => redact_url_credentials(text),
            Cow::Owned(text) => Cow::Owned(redact_url_credentials(&text).into_owned()),
        }
    }

    /// `text` with every known secret replaced, URLs left as they are (for
    /// data, such as a CMS answer, whose URLs are content).
    pub fn redact_secrets<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut out = Cow::Borrowed(text);
        for secret in &self.secrets {
            if out.contains(secret.as_str()) {
                out = Cow::Owned(out.replace(secret.as_str(), REDACTED));
            }
        }
        out
    }
}

/// True for a header whose value is a credential: `Authorization`,
/// `Proxy-Authorization`, `Cookie`, and any name containing `token`, `key`,
/// `secret`, `auth`, `session` or `password`.
pub fn is_secret_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name == "cookie"
        || ["token", "key", "secret", "auth", "session", "password"]
            .iter()
            .any(|word| name.contains(word))
}

/// `text` with the user information of every `scheme://user:password@host`
/// replaced: `scheme://[redacted]@host`.
pub fn redact_url_credentials(text: &str) -> Cow<'_, str> {
    if !text.contains("://") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut changed = false;
    while let Some(at) = rest.find("://") {
        let (before, after) = rest.split_at(at + 3);
        out.push_str(before);
        // The authority ends at the first `/`, `?`, `#`, whitespace or quote.
        let end = after
            .find(|c: char| {
                matches!(c, '/' | '?' | '#' | '"' | '\'' | '<' | '>' | '`') || c.is_whitespace()
            })
            .unwrap_or(after.len());
        let authority = &after[..end];
        match authority.rfind('@') {
            Some(userinfo_end) if authority[..userinfo_end] != *REDACTED => {
                out.push_str(REDACTED);
                out.push_str(&authority[userinfo_end..]);
                changed = true;
            }
            _ => out.push_str(authority),
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(text)
    }
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_hidden_in_every_spelling() {
        let redactor = Redactor::new().with("tok+en/\"x\"");
        for echoed in [
            "Bearer tok+en/\"x\"",
            "{\"auth\":\"Bearer tok+en/\\\"x\\\"\"}",
            "GET /?t=tok%2Ben%2F%22x%22",
        ] {
            let redacted = redactor.redact(echoed);
            assert!(redacted.contains(REDACTED), "{echoed} -> {redacted}");
            assert!(
                !redacted.contains("tok+en") && !redacted.contains("tok%2B"),
                "{redacted}"
            );
        }
        assert!(Redactor::new().with("  ").redact("  x  ") == "  x  ");
    }

    #[test]
    fn url_credentials_are_hidden() {
        let cases = [
            (
                "see http://user:pw@cms.example:8080/api",
                "see http://[redacted]@cms.example:8080/api",
            ),
            (
                "https://token@h/x and ftp://a:b@c",
                "https://[redacted]@h/x and ftp://[redacted]@c",
            ),
            ("http://cms.example/a@b", "http://cms.example/a@b"),
            ("`http://u:p@h`", "`http://[redacted]@h`"),
            ("no url here", "no url here"),
            ("http://[redacted]@h", "http://[redacted]@h"),
        ];
        for (text, expected) in cases {
            assert_eq!(redact_url_credentials(text), expected, "{text}");
        }
    }
}
