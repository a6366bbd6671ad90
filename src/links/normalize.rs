//! One spelling per address, so each is requested once per run.
//!
//! Two citations name the same resource when they differ only in what a
//! server never sees or cannot tell apart: the case of the scheme and host,
//! an explicit default port, percent-encoding of characters that need it, an
//! empty path (`https://a.example` is `https://a.example/`) and the fragment.
//! The path and query are kept as written: servers may treat their case and
//! order as meaningful.

use url::Url;

/// Why a cited address cannot be checked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlProblem {
    /// Not an absolute URL at all.
    #[error("`{url}` is not a valid URL ({reason})")]
    Invalid {
        /// The text as cited.
        url: String,
        /// What the parser said.
        reason: String,
    },
    /// A URL of a scheme other than `http` or `https`.
    #[error("`{url}` uses the `{scheme}:` scheme; only http and https links are checked")]
    UnsupportedScheme {
        /// The text as cited.
        url: String,
        /// Its scheme.
        scheme: String,
    },
    /// Longer than any server is required to accept.
    #[error(
        "`{start}…` is {bytes} bytes long; addresses longer than {MAX_URL_BYTES} bytes are not checked (servers need not accept them)"
    )]
    TooLong {
        /// The first characters of the text.
        start: String,
        /// Its length.
        bytes: usize,
    },
    /// An http(s) URL without a host name.
    #[error("`{url}` has no host")]
    NoHost {
        /// The text as cited.
        url: String,
    },
}

/// The longest address checked: RFC 9110 asks servers to accept at least
/// 8000 octets in the request line's target.
pub const MAX_URL_BYTES: usize = 8000;

/// The normalised form of `raw`: the key under which it is checked and cached.
pub fn normalize(raw: &str) -> Result<Url, UrlProblem> {
    let bytes = raw.trim().len();
    if bytes > MAX_URL_BYTES {
        return Err(UrlProblem::TooLong {
            start: raw.trim().chars().take(60).collect(),
            bytes,
        });
    }
    let mut url = Url::parse(raw.trim()).map_err(|error| UrlProblem::Invalid {
        url: raw.to_owned(),
        reason: error.to_string(),
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(UrlProblem::UnsupportedScheme {
            url: raw.to_owned(),
            scheme: url.scheme().to_owned(),
        });
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(UrlProblem::NoHost {
            url: raw.to_owned(),
        });
    }
    url.set_fragment(None);
    Ok(url)
}

/// The fragment of `raw` (without `#`), if it has one.
pub fn fragment(raw: &str) -> Option<&str> {
    raw.split_once('#').map(|(_, fragment)| fragment)
}

/// The host a request to `url` goes to, as the politeness limits and
/// per-host settings see it (lowercase, without port).
pub fn host_key(url: &Url) -> String {
    url.host_str().unwrap_or_default().to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_address_agree() {
        let same = [
            "https://www.bls.gov/ooh/a.htm",
            "HTTPS://WWW.BLS.GOV/ooh/a.htm",
            "https://www.bls.gov:443/ooh/a.htm",
            "https://www.bls.gov/ooh/a.htm#pay",
            " https://www.bls.gov/ooh/a.htm ",
        ];
        for raw in same {
            assert_eq!(
                normalize(raw).unwrap().as_str(),
                "https://www.bls.gov/ooh/a.htm",
                "{raw}"
            );
        }
        assert_eq!(
            normalize("http://a.example").unwrap().as_str(),
            "http://a.example/"
        );
        assert_eq!(
            normalize("http://a.example:80/").unwrap().as_str(),
            "http://a.example/"
        );
    }

    #[test]
    fn path_and_query_case_are_kept() {
        assert_ne!(
            normalize("https://a.example/A").unwrap(),
            normalize("https://a.example/a").unwrap()
        );
        assert_ne!(
            normalize("https://a.example/?q=A").unwrap(),
            normalize("https://a.example/?q=a").unwrap()
        );
    }

    #[test]
    fn unsupported_and_invalid_addresses_are_told_apart() {
        assert!(matches!(
            normalize("ftp://a.example/x"),
            Err(UrlProblem::UnsupportedScheme { .. })
        ));
        assert!(matches!(
            normalize("mailto:a@b.example"),
            Err(UrlProblem::UnsupportedScheme { .. })
        ));
        assert!(matches!(
            normalize("https://"),
            Err(UrlProblem::Invalid { .. })
        ));
        assert!(matches!(
            normalize("www.bls.gov/ooh"),
            Err(UrlProblem::Invalid { .. })
        ));
        assert!(matches!(
            normalize("http://exa mple.com/"),
            Err(UrlProblem::Invalid { .. })
        ));
    }

    #[test]
    fn very_long_addresses_are_invalid_and_not_quoted_whole() {
        let long = format!("https://a.example/{}", "x".repeat(900 * 1024));
        let problem = normalize(&long).unwrap_err();
        assert!(matches!(problem, UrlProblem::TooLong { .. }));
        assert!(problem.to_string().len() < 300, "{problem}");
        let just_fits = format!("https://a.example/{}", "x".repeat(MAX_URL_BYTES - 18));
        assert!(normalize(&just_fits).is_ok());
    }

    #[test]
    fn fragments_are_read_from_the_cited_text() {
        assert_eq!(fragment("https://a.example/x#pay"), Some("pay"));
        assert_eq!(fragment("https://a.example/x"), None);
    }
}
