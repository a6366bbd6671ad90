//! Recognising answers that do not mean what their status says: bot
//! protection (a challenge page where the cited page should be) and soft
//! 404s (a "not found" page, or the site's home page, answered with success).

use url::Url;

/// The parts of a response the detectors look at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evidence {
    /// Response headers worth keeping, names lowercase.
    pub headers: Vec<(String, String)>,
    /// The first bytes of the body (only for `GET`), as lossy UTF-8.
    pub body: Option<String>,
}

impl Evidence {
    /// The first value of header `name` (lowercase).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Headers kept from each response: what the checker and detectors need.
pub const KEPT_HEADERS: &[&str] = &[
    "location",
    "retry-after",
    "server",
    "content-type",
    "cf-mitigated",
    "x-amzn-waf-action",
    "x-datadome",
    "x-sucuri-id",
    "x-iinfo",
];

/// The bot-protection service that answered instead of the page, if any.
pub fn bot_protection(status: u16, evidence: &Evidence) -> Option<&'static str> {
    if evidence
        .header("cf-mitigated")
        .is_some_and(|value| value.eq_ignore_ascii_case("challenge"))
    {
        return Some("a Cloudflare challenge");
    }
    if evidence.header("x-amzn-waf-action").is_some_and(|value| {
        matches!(
            value.to_ascii_lowercase().as_str(),
            "challenge" | "captcha" | "block"
        )
    }) {
        return Some("AWS WAF");
    }
    let body = evidence
        .body
        .as_deref()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let server = evidence
        .header("server")
        .unwrap_or_default()
        .to_ascii_lowercase();
    // A normal page may carry a protection service's scripts, so a success
    // counts as a challenge only on a challenge page's own title.
    if (200..300).contains(&status) {
        let challenge_title = [
            "<title>just a moment...</title>",
            "<title>attention required! | cloudflare</title>",
        ]
        .iter()
        .any(|title| body.contains(title));
        return challenge_title.then_some("a Cloudflare challenge");
    }
    let markers: &[(&str, &str)] = &[
        ("cf-chl", "a Cloudflare challenge"),
        ("challenge-platform", "a Cloudflare challenge"),
        ("<title>just a moment...</title>", "a Cloudflare challenge"),
        ("attention required! | cloudflare", "Cloudflare"),
        ("_incapsula_resource", "Imperva Incapsula"),
        ("px-captcha", "HUMAN (PerimeterX)"),
        ("captcha-delivery.com", "DataDome"),
        ("awswaf", "AWS WAF"),
        ("sucuri website firewall", "Sucuri"),
    ];
    if let Some((_, service)) = markers.iter().find(|(marker, _)| body.contains(marker)) {
        return Some(service);
    }
    if !matches!(status, 403 | 429 | 503) {
        return None;
    }
    if evidence.header("x-datadome").is_some() {
        return Some("DataDome");
    }
    if evidence.header("x-sucuri-id").is_some() {
        return Some("Sucuri");
    }
    if evidence.header("x-iinfo").is_some() {
        return Some("Imperva Incapsula");
    }
    if server.contains("cloudflare") {
        return Some("Cloudflare");
    }
    if server.contains("akamaighost") {
        return Some("Akamai");
    }
    if body.contains("captcha") {
        return Some("a CAPTCHA page");
    }
    None
}

/// Why a successful answer after `redirected` looks like a "not found" page, if it does.
pub fn soft_404(
    original: &Url,
    reached: &Url,
    redirected: bool,
    evidence: &Evidence,
) -> Option<String> {
    if redirected {
        let original_path = original.path().trim_end_matches('/');
        let reached_path = reached.path().trim_end_matches('/');
        // `/index.html` → `/` is the same page under its canonical name.
        let original_is_home = original_path.is_empty()
            || [
                "/index.html",
                "/index.htm",
                "/index.php",
                "/default.aspx",
                "/home",
            ]
            .iter()
            .any(|home| original_path.eq_ignore_ascii_case(home));
        if reached_path.is_empty() && !original_is_home {
            return Some(format!("it redirects to the site's home page `{reached}`"));
        }
        let lower = reached.path().to_ascii_lowercase();
        let looks_missing = [
            "404",
            "not-found",
            "notfound",
            "not_found",
            "page-not-found",
            "pagenotfound",
            "/error",
        ]
        .iter()
        .any(|marker| lower.contains(marker));
        if looks_missing && !original.path().to_ascii_lowercase().contains(&lower) {
            return Some(format!(
                "it redirects to `{reached}`, which looks like a \"not found\" page"
            ));
        }
    }
    let title = title(evidence.body.as_deref()?)?.to_ascii_lowercase();
    let phrases = [
        "404",
        "not found",
        "page not found",
        "cannot be found",
        "can't be found",
        "doesn't exist",
        "does not exist",
        "no longer available",
    ];
    phrases
        .iter()
        .any(|phrase| title.contains(phrase))
        .then(|| {
            format!(
                "the page it reaches is titled \"{}\"",
                title_case_preserved(evidence)
            )
        })
}

fn title(body: &str) -> Option<&str> {
    let lower = body.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = start + lower[start..].find('>')? + 1;
    let close = open_end + lower[open_end..].find("</title")?;
    Some(body[open_end..close].trim())
}

fn title_case_preserved(evidence: &Evidence) -> String {
    evidence
        .body
        .as_deref()
        .and_then(title)
        .unwrap_or_default()
        .chars()
        .take(80)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evidence(headers: &[(&str, &str)], body: Option<&str>) -> Evidence {
        Evidence {
            headers: headers
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            body: body.map(str::to_owned),
        }
    }

    #[test]
    fn challenge_pages_are_recognised() {
        assert_eq!(
            bot_protection(403, &evidence(&[("cf-mitigated", "challenge")], None)),
            Some("a Cloudflare challenge")
        );
        assert_eq!(
            bot_protection(
                503,
                &evidence(&[], Some("<html><title>Just a moment...</title>"))
            ),
            Some("a Cloudflare challenge")
        );
        assert_eq!(
            bot_protection(403, &evidence(&[("server", "AkamaiGHost")], None)),
            Some("Akamai")
        );
        assert_eq!(
            bot_protection(403, &evidence(&[], Some("please solve this CAPTCHA"))),
            Some("a CAPTCHA page")
        );
        assert_eq!(
            bot_protection(403, &evidence(&[("server", "nginx")], Some("Forbidden"))),
            None
        );
        assert_eq!(
            bot_protection(
                200,
                &evidence(&[("server", "cloudflare")], Some("<p>hello</p>"))
            ),
            None
        );
        let scripts =
            "<title>BLS</title><script src=\"/cdn-cgi/challenge-platform/scripts/jsd/main.js\">";
        assert_eq!(
            bot_protection(200, &evidence(&[("server", "cloudflare")], Some(scripts))),
            None
        );
        assert_eq!(
            bot_protection(202, &evidence(&[("x-amzn-waf-action", "challenge")], None)),
            Some("AWS WAF")
        );
        assert_eq!(
            bot_protection(200, &evidence(&[("x-datadome", "protected")], None)),
            None
        );
        assert_eq!(
            bot_protection(403, &evidence(&[("x-datadome", "protected")], None)),
            Some("DataDome")
        );
    }

    #[test]
    fn soft_404s_are_recognised() {
        let original = Url::parse("https://a.example/guides/old").unwrap();
        let root = Url::parse("https://a.example/").unwrap();
        let missing = Url::parse("https://a.example/404.html").unwrap();
        let moved = Url::parse("https://a.example/guides/new").unwrap();
        let none = Evidence::default();
        assert!(
            soft_404(&original, &root, true, &none)
                .unwrap()
                .contains("home page")
        );
        assert!(
            soft_404(&original, &missing, true, &none)
                .unwrap()
                .contains("not found")
        );
        assert_eq!(soft_404(&original, &moved, true, &none), None);
        assert_eq!(
            soft_404(&root, &root, true, &none),
            None,
            "a root citation reaching the root is fine"
        );
        let page = evidence(
            &[],
            Some("<html><head><title>Page Not Found | Example</title>"),
        );
        assert!(
            soft_404(&original, &original, false, &page)
                .unwrap()
                .contains("Page Not Found")
        );
    }
}
