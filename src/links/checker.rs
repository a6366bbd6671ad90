//! The engine: checks one normalised address, following redirects hop by
//! hop through the safety policy, with politeness and retries.
//!
//! Every hop's request is shared: the first task to need an address starts
//! the request and every other task (another citation's redirect reaching
//! the same page, say) awaits the same result. So each address is requested
//! once per run, plus retries (and once more when it is both cited, with
//! its host's headers, and reached by a redirect from elsewhere, without).
//!
//! Per-host headers (`[links.hosts."x".headers]`) belong to the origin
//! (scheme, host and port) of the cited address: they are sent to the cited
//! address and to redirects within that origin, never to another port,
//! scheme or host a redirect leads to, and never over plain `http://` to a
//! host that is not this machine. Their values, when their names say
//! they are secret (`Authorization`, `Cookie`, `*token*`, `*key*`, …), are
//! redacted from every result.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use reqwest::Method;
use tokio::sync::OnceCell;
use tokio::time::Instant;
use url::Url;

use super::client::{ClientError, FetchError, HttpClient, Response};
use super::config::LinksConfig;
use super::detect::{self, Evidence};
use super::normalize::host_key;
use super::outcome::{
    LinkResult, LinkStatus, Redirect, is_redirect, is_retryable, judge_status, status_text,
};
use super::policy::{NetPolicy, Refusal};
use super::politeness::{HostGate, Politeness};
use crate::net::redact::{Redactor, is_secret_header};
use crate::retry::{Decision, RetryBudget, RetryPolicy, parse_retry_after};

/// What one address answered, redirects not followed.
#[derive(Debug, Clone)]
enum Hop {
    /// A response (after retries, if it kept failing).
    Response {
        status: u16,
        evidence: Evidence,
        /// Why retrying stopped, when it did.
        note: Option<String>,
    },
    /// No response.
    Failed { status: LinkStatus, reason: String },
}

/// A shared request: the address, and whether the host's headers go with it.
type HopKey = (Url, bool);

/// Checks addresses for one run.
#[derive(Debug)]
pub struct Checker {
    config: Arc<LinksConfig>,
    policy: Arc<NetPolicy>,
    client: HttpClient,
    politeness: Politeness,
    budget: RetryBudget,
    hops: Mutex<HashMap<HopKey, Arc<OnceCell<Hop>>>>,
    requests: AtomicU64,
    redactor: Redactor,
}

impl Checker {
    /// A checker with the run's settings; the retry budget starts now.
    pub fn new(config: Arc<LinksConfig>, policy: Arc<NetPolicy>) -> Result<Self, ClientError> {
        let client = HttpClient::new(&config, policy.clone())?;
        let mut redactor = Redactor::new();
        for host in config.hosts.values() {
            for (name, value) in &host.headers {
                if is_secret_header(name) {
                    redactor.add(value);
                    // `Bearer abc`: the credential alone may be echoed too.
                    if let Some((_, credential)) = value.trim().split_once(' ') {
                        redactor.add(credential);
                    }
                }
            }
        }
        Ok(Checker {
            redactor,
            budget: RetryBudget::new(config.retry_budget),
            politeness: Politeness::new(config.clone()),
            config,
            policy,
            client,
            hops: Mutex::new(HashMap::new()),
            requests: AtomicU64::new(0),
        })
    }

    /// Requests sent so far (each retry and each `GET` after a refused `HEAD` counts).
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// Requests sent so far, per host.
    pub fn requests_per_host(&self) -> Vec<(String, u64)> {
        self.politeness.requests_per_host()
    }

    /// Checks `url` (normalised: no fragment), following redirects.
    pub async fn check(&self, url: &Url) -> LinkResult {
        let result = self.follow(url).await;
        self.redacted(result)
    }

    /// `result` with every secret header value and URL credential hidden
    /// (a redirect target that held one gets no fix: see [`super::diagnose`]).
    fn redacted(&self, mut result: LinkResult) -> LinkResult {
        let clean = |text: &mut String| {
            let redacted = self.redactor.redact(text);
            if redacted != text.as_str() {
                *text = redacted.into_owned();
            }
        };
        clean(&mut result.reason);
        for hop in &mut result.redirects {
            clean(&mut hop.from);
            clean(&mut hop.to);
        }
        if let Some(text) = result.soft_404.as_mut() {
            clean(text);
        }
        result
    }

    async fn follow(&self, url: &Url) -> LinkResult {
        let origin = url.origin();
        let mut current = url.clone();
        let mut redirects: Vec<Redirect> = Vec::new();
        let mut seen = HashSet::from([url.clone()]);
        loop {
            if let Err(refusal) = self.policy.check_url(&current) {
                return refused(&refusal, redirects);
            }
            let with_headers = current.origin() == origin && headers_may_travel(&current);
            let (status, evidence, note) = match self.hop(&current, with_headers).await {
                Hop::Failed { status, reason } => {
                    let mut result = LinkResult::without_response(status, via(&redirects, reason));
                    result.redirects = redirects;
                    return result;
                }
                Hop::Response {
                    status,
                    evidence,
                    note,
                } => (status, evidence, note),
            };
            let next = is_redirect(status)
                .then(|| evidence.header("location"))
                .flatten()
                .and_then(|location| current.join(location.trim()).ok());
            let Some(mut next) = next else {
                return self.judge(url, &current, status, &evidence, note, redirects);
            };
            next.set_fragment(None);
            redirects.push(Redirect {
                from: current.to_string(),
                to: next.to_string(),
                status,
            });
            if !seen.insert(next.clone()) {
                let mut result = LinkResult::without_response(
                    LinkStatus::Broken,
                    format!("its redirects go round in a loop (back to `{next}`)"),
                );
                result.http_status = Some(status);
                result.redirects = redirects;
                return result;
            }
            if redirects.len() > self.config.max_redirects {
                let mut result = LinkResult::without_response(
                    LinkStatus::Inconclusive,
                    format!("it redirects more than {} times", self.config.max_redirects),
                );
                result.http_status = Some(status);
                result.redirects = redirects;
                return result;
            }
            current = next;
        }
    }

    /// What a final response means for the cited address.
    fn judge(
        &self,
        original: &Url,
        reached: &Url,
        status: u16,
        evidence: &Evidence,
        note: Option<String>,
        redirects: Vec<Redirect>,
    ) -> LinkResult {
        let (mut link_status, mut reason) = judge_status(status);
        let bot_protection = detect::bot_protection(status, evidence).map(str::to_owned);
        if let Some(service) = &bot_protection {
            if link_status != LinkStatus::Broken {
                link_status = LinkStatus::Inconclusive;
                reason = format!(
                    "the server answers {} with {service} instead of the page",
                    status_text(status)
                );
            }
        }
        let soft_404 = (link_status == LinkStatus::Ok)
            .then(|| detect::soft_404(original, reached, !redirects.is_empty(), evidence))
            .flatten();
        if let Some(note) = note {
            reason = format!("{reason} ({note})");
        }
        LinkResult {
            status: link_status,
            reason: via(&redirects, reason),
            http_status: Some(status),
            redirects,
            soft_404,
            bot_protection,
        }
    }

    /// The answer of `url`, shared among all tasks that need it.
    async fn hop(&self, url: &Url, with_headers: bool) -> Hop {
        let cell = {
            let mut hops = self.hops.lock().unwrap_or_else(PoisonError::into_inner);
            hops.entry((url.clone(), with_headers)).or_default().clone()
        };
        cell.get_or_init(|| self.fetch(url, with_headers))
            .await
            .clone()
    }

    /// Requests `url`, retrying as the settings and the server allow; with
    /// its host's configured headers only when `with_headers`.
    async fn fetch(&self, url: &Url, with_headers: bool) -> Hop {
        let host = host_key(url);
        let gate = self.politeness.gate(&host);
        let headers = self
            .config
            .host(&host)
            .map(|h| &h.headers)
            .filter(|h| with_headers && !h.is_empty());
        let mut retries = 0u32;
        loop {
            let result = self.attempt(url, &gate, headers).await;
            let (limit, asked_wait) = match &result {
                Ok(response) if is_retryable(response.status) => {
                    let asked = matches!(response.status, 429 | 503)
                        .then(|| response.evidence.header("retry-after"))
                        .flatten()
                        .and_then(|value| parse_retry_after(value, SystemTime::now()));
                    (self.config.max_retries, asked)
                }
                Ok(response) => return response_hop(response.clone(), None),
                Err(FetchError::Timeout | FetchError::ConnectionReset | FetchError::Other(_)) => {
                    (self.config.max_retries, None)
                }
                // Refused connections and unknown hosts rarely heal within seconds: once more only.
                Err(FetchError::ConnectionRefused | FetchError::DnsNotFound(_)) => {
                    (self.config.max_retries.min(1), None)
                }
                Err(FetchError::Refused(_) | FetchError::Tls(_)) => (0, None),
            };
            let policy = RetryPolicy {
                max_retries: limit,
                base: self.config.retry_backoff,
                max_wait: None,
                budget: Some(self.budget),
            };
            let note = match policy.next(retries, asked_wait) {
                Decision::Retry(wait) => {
                    if asked_wait.is_some() {
                        self.politeness.hold_off(&gate, Instant::now() + wait);
                    }
                    tokio::time::sleep(wait).await;
                    retries += 1;
                    continue;
                }
                Decision::Exhausted => (retries > 0).then(|| format!("{} attempts", retries + 1)),
                Decision::OverBudget { wait, asked: true } => Some(format!(
                    "it asks to wait {} with Retry-After, longer than the retry budget allows",
                    seconds(wait)
                )),
                Decision::OverBudget { asked: false, .. } => Some(format!(
                    "{} attempts; the retry budget is spent",
                    retries + 1
                )),
            };
            return match result {
                Ok(response) => response_hop(response, note),
                Err(error) => failed_hop(&error, note, self.config.timeout),
            };
        }
    }

    /// One attempt: `HEAD`, then `GET` when the server refuses `HEAD`
    /// (405, 501, and the 400 or 403 some servers give `HEAD` alone).
    async fn attempt(
        &self,
        url: &Url,
        gate: &HostGate,
        headers: Option<&std::collections::BTreeMap<String, String>>,
    ) -> Result<Response, FetchError> {
        if !gate.head_refused.load(Ordering::Relaxed) {
            let response = self.request(Method::HEAD, url, gate, headers).await?;
            match response.status {
                405 | 501 => gate.head_refused.store(true, Ordering::Relaxed),
                400 | 403 => {}
                _ => return Ok(response),
            }
        }
        self.request(Method::GET, url, gate, headers).await
    }

    async fn request(
        &self,
        method: Method,
        url: &Url,
        gate: &HostGate,
        headers: Option<&std::collections::BTreeMap<String, String>>,
    ) -> Result<Response, FetchError> {
        let _pass = self.politeness.acquire(gate).await;
        let result = self.client.send(method, url, headers).await;
        // A refused address or unknown host never got a request.
        if !matches!(
            result,
            Err(FetchError::Refused(_) | FetchError::DnsNotFound(_))
        ) {
            self.requests.fetch_add(1, Ordering::Relaxed);
            gate.requests.fetch_add(1, Ordering::Relaxed);
        }
        result
    }
}

/// Configured headers go over https, or over http to this machine only.
fn headers_may_travel(url: &Url) -> bool {
    url.scheme() == "https"
        || match url.host() {
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
            None => false,
        }
}

fn response_hop(response: Response, note: Option<String>) -> Hop {
    Hop::Response {
        status: response.status,
        evidence: response.evidence,
        note,
    }
}

fn failed_hop(error: &FetchError, note: Option<String>, timeout: Duration) -> Hop {
    let status = match error {
        FetchError::DnsNotFound(_) | FetchError::ConnectionRefused => LinkStatus::Broken,
        FetchError::Refused(_) => LinkStatus::Refused,
        FetchError::Timeout
        | FetchError::ConnectionReset
        | FetchError::Tls(_)
        | FetchError::Other(_) => LinkStatus::Inconclusive,
    };
    let mut reason = match error {
        FetchError::Timeout => format!("no response within {}", seconds(timeout)),
        other => other.describe(),
    };
    if let Some(note) = note {
        reason = format!("{reason} ({note})");
    }
    Hop::Failed { status, reason }
}

fn refused(refusal: &Refusal, redirects: Vec<Redirect>) -> LinkResult {
    let mut result =
        LinkResult::without_response(LinkStatus::Refused, via(&redirects, refusal.to_string()));
    result.redirects = redirects;
    result
}

/// Prefixes a reason with where redirects led: "it redirects to `X`, where …".
fn via(redirects: &[Redirect], reason: String) -> String {
    match redirects.last() {
        Some(last) => format!("it redirects to `{}`, where {reason}", last.to),
        None => reason,
    }
}

/// `20 s`, `1.5 s`, `300 ms`.
pub fn seconds(duration: Duration) -> String {
    if duration < Duration::from_secs(1) {
        format!("{} ms", duration.as_millis())
    } else if duration.subsec_millis() == 0 {
        format!("{} s", duration.as_secs())
    } else {
        format!("{:.1} s", duration.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_travel_over_https_or_to_this_machine_only() {
        let travels = |url: &str| headers_may_travel(&Url::parse(url).unwrap());
        assert!(travels("https://api.example.com/x"));
        assert!(travels("https://api.example.com:8443/x"));
        assert!(travels("http://127.0.0.1:8081/x"));
        assert!(travels("http://[::1]:8081/x"));
        assert!(travels("http://localhost/x"));
        assert!(!travels("http://api.example.com/x"));
        assert!(!travels("http://10.0.0.5/x"));
    }
}
