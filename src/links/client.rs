//! The HTTP side: one request at a time, no redirects followed (the checker
//! follows them itself so that every hop passes the safety policy), and a
//! DNS resolver that applies the policy to the addresses actually used.

use std::collections::BTreeMap;
use std::error::Error as StdError;
use std::net::SocketAddr;
use std::sync::Arc;

use reqwest::Method;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::Url;

use super::config::LinksConfig;
use super::detect::{Evidence, KEPT_HEADERS};
use super::policy::{NetPolicy, Refusal};

/// Why the resolver gave no address.
#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    /// The name does not resolve.
    #[error("the host `{host}` does not resolve ({message})")]
    NotFound {
        /// The name looked up.
        host: String,
        /// What the system resolver said.
        message: String,
    },
    /// Every address of the name is refused by the safety policy.
    #[error("{0}")]
    Refused(Refusal),
}

/// A resolver that drops the addresses the safety policy refuses, so the
/// connection can only go to an allowed one (even if DNS answers
/// differently from one lookup to the next).
#[derive(Debug, Clone)]
pub struct PolicyResolver {
    policy: Arc<NetPolicy>,
}

impl PolicyResolver {
    /// A resolver enforcing `policy`.
    pub fn new(policy: Arc<NetPolicy>) -> Self {
        PolicyResolver { policy }
    }
}

impl Resolve for PolicyResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.policy.clone();
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let allowed = resolve_allowed(&policy, &host)
                .await
                .map_err(|error| Box::new(error) as Box<dyn StdError + Send + Sync>)?;
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

/// The addresses of the host name `host` that `policy` lets a request use.
pub async fn resolve_allowed(
    policy: &NetPolicy,
    host: &str,
) -> Result<Vec<SocketAddr>, ResolveError> {
    // A host name never holds `:`; IP literals do not reach a resolver.
    let found = tokio::net::lookup_host(format!("{host}:0"))
        .await
        .map(Iterator::collect::<Vec<SocketAddr>>)
        .map_err(|error| ResolveError::NotFound {
            host: host.to_owned(),
            message: error.to_string(),
        })?;
    if found.is_empty() {
        return Err(ResolveError::NotFound {
            host: host.to_owned(),
            message: "no address".to_owned(),
        });
    }
    policy
        .filter_resolved(host, found)
        .map_err(ResolveError::Refused)
}

/// The part of a response the checker keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Headers and body prefix.
    pub evidence: Evidence,
}

/// Why a request got no response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// No response within the timeout.
    Timeout,
    /// The safety policy refused every address.
    Refused(Refusal),
    /// The host name does not resolve.
    DnsNotFound(String),
    /// The server refused the connection.
    ConnectionRefused,
    /// The connection was reset or closed before a response.
    ConnectionReset,
    /// The TLS handshake failed (certificate or protocol).
    Tls(String),
    /// Anything else, described.
    Other(String),
}

impl FetchError {
    /// A phrase completing "the link …: ".
    pub fn describe(&self) -> String {
        match self {
            FetchError::Timeout => "no response within the timeout".to_owned(),
            FetchError::Refused(refusal) => refusal.to_string(),
            FetchError::DnsNotFound(host) => format!("the host `{host}` does not resolve"),
            FetchError::ConnectionRefused => "the server refuses connections".to_owned(),
            FetchError::ConnectionReset => "the connection was reset before a response".to_owned(),
            FetchError::Tls(message) => format!("the secure connection failed ({message})"),
            FetchError::Other(message) => format!("the request failed ({message})"),
        }
    }
}

/// Sends single requests under the run's settings.
#[derive(Debug, Clone)]
pub struct HttpClient {
    client: reqwest::Client,
    max_body_bytes: usize,
}

/// The HTTP client could not be built (for example, no TLS roots).
#[derive(Debug, thiserror::Error)]
#[error("the HTTP client could not be set up: {0}")]
pub struct ClientError(#[from] reqwest::Error);

impl HttpClient {
    /// A client with the run's timeout and `User-Agent`, no proxy, no
    /// automatic redirects and the policy resolver.
    pub fn new(config: &LinksConfig, policy: Arc<NetPolicy>) -> Result<Self, ClientError> {
        crate::net::tls::install_crypto_provider();
        let client = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(config.timeout)
            .connect_timeout(config.timeout)
            .pool_idle_timeout(std::time::Duration::from_secs(30))
            .dns_resolver(PolicyResolver::new(policy))
            .build()?;
        Ok(HttpClient {
            client,
            max_body_bytes: config.max_body_bytes,
        })
    }

    /// Sends one request; for `GET`, reads at most `max_body_bytes` of the body.
    pub async fn send(
        &self,
        method: Method,
        url: &Url,
        headers: Option<&BTreeMap<String, String>>,
    ) -> Result<Response, FetchError> {
        let read_body = method == Method::GET;
        let mut request = self.client.request(method, url.clone()).header(
            reqwest::header::ACCEPT,
            "text/html,application/xhtml+xml,*/*;q=0.8",
        );
        for (name, value) in headers.into_iter().flatten() {
            request = request.header(name.as_str(), value.as_str());
        }
        let mut response = request.send().await.map_err(|e| classify(&e))?;
        let status = response.status().as_u16();
        let kept = response
            .headers()
            .iter()
            .filter(|(name, _)| KEPT_HEADERS.contains(&name.as_str()))
            .map(|(name, value)| {
                (
                    name.as_str().to_owned(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect();
        let mut body = None;
        if read_body && self.max_body_bytes > 0 {
            // Only a prefix is needed; a failure while reading the body does
            // not change what the status says.
            let prefix = crate::net::body::read_capped(&mut response, self.max_body_bytes).await;
            body = Some(String::from_utf8_lossy(&prefix.bytes).into_owned());
        }
        Ok(Response {
            status,
            evidence: Evidence {
                headers: kept,
                body,
            },
        })
    }
}

/// Turns reqwest's error into what the checker decides on.
fn classify(error: &reqwest::Error) -> FetchError {
    let mut source: Option<&(dyn StdError + 'static)> = Some(error);
    let mut messages = Vec::new();
    while let Some(current) = source {
        if let Some(resolve) = current.downcast_ref::<ResolveError>() {
            return match resolve {
                ResolveError::NotFound { host, .. } => FetchError::DnsNotFound(host.clone()),
                ResolveError::Refused(refusal) => FetchError::Refused(refusal.clone()),
            };
        }
        if let Some(io) = current.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind;
            match io.kind() {
                ErrorKind::ConnectionRefused => return FetchError::ConnectionRefused,
                ErrorKind::ConnectionReset
                | ErrorKind::ConnectionAborted
                | ErrorKind::BrokenPipe
                | ErrorKind::UnexpectedEof => {
                    return FetchError::ConnectionReset;
                }
                ErrorKind::TimedOut => return FetchError::Timeout,
                _ => {}
            }
        }
        messages.push(current.to_string());
        source = current.source();
    }
    if error.is_timeout() {
        return FetchError::Timeout;
    }
    let joined = messages.join(": ");
    let lower = joined.to_ascii_lowercase();
    if lower.contains("connection closed before message completed")
        || lower.contains("connection reset")
    {
        return FetchError::ConnectionReset;
    }
    if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") {
        let detail = messages.last().cloned().unwrap_or_default();
        return FetchError::Tls(detail);
    }
    FetchError::Other(messages.last().cloned().unwrap_or(joined))
}
