//! The `[links]` table of `guidepress.toml`, and the command-line overrides
//! that win over it.
//!
//! Durations are written as a number of seconds (`timeout = 20`,
//! `timeout = 0.5`) or as text with a unit (`"50ms"`, `"20s"`, `"10m"`,
//! `"1h"`, `"7d"`).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize};

/// The `User-Agent` sent unless configured otherwise: the tool and its
/// version, so a site owner can tell what is asking. Publishers add their own
/// contact address with `[links] user_agent` (see the README).
pub const DEFAULT_USER_AGENT: &str = concat!(
    "guidepress/",
    env!("CARGO_PKG_VERSION"),
    " (source link checker)"
);

/// Default cache file, relative to the repository root.
pub const DEFAULT_CACHE_PATH: &str = ".guidepress/links-cache.json";

/// Settings for source link verification (`[links]` in `guidepress.toml`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct LinksConfig {
    /// Time allowed for one request, from connecting to the response head (above 0).
    #[serde(with = "positive_duration")]
    #[schemars(schema_with = "duration_schema")]
    pub timeout: Duration,
    /// Retries after the first attempt, for timeouts, resets, 5xx, 408 and 429.
    pub max_retries: u32,
    /// First backoff before a retry; doubles each time (with jitter).
    #[serde(with = "duration")]
    #[schemars(schema_with = "duration_schema")]
    pub retry_backoff: Duration,
    /// How long after the start of a run retries and `Retry-After` waits may
    /// still begin. A link that would need to wait past it is inconclusive.
    #[serde(with = "duration")]
    #[schemars(schema_with = "duration_schema")]
    pub retry_budget: Duration,
    /// Requests in flight at once, over all hosts.
    pub max_concurrency: usize,
    /// Requests in flight at once to one host (default for hosts not in `hosts`).
    pub host_concurrency: usize,
    /// Least time between the starts of two requests to one host.
    #[serde(with = "duration")]
    #[schemars(schema_with = "duration_schema")]
    pub host_interval: Duration,
    /// Redirects followed before giving up.
    pub max_redirects: usize,
    /// Bytes of a `GET` body read at most (to recognise challenge and "not found" pages).
    pub max_body_bytes: usize,
    /// The `User-Agent` header sent with every request.
    pub user_agent: String,
    /// Glob patterns over the normalised URL: when any is given, only matching URLs are checked.
    pub include: Vec<String>,
    /// Glob patterns over the normalised URL: matching URLs are not checked.
    pub exclude: Vec<String>,
    /// Hosts (`localhost`, `*.corp.example`) or address ranges (`127.0.0.0/8`,
    /// `::1`) the safety policy lets through although they are private.
    pub allow_net: Vec<String>,
    /// Whether results are cached on disk between runs.
    pub cache: bool,
    /// The cache file, relative to the repository root unless absolute.
    pub cache_path: PathBuf,
    /// How long a success (including a redirect) is trusted.
    #[serde(with = "duration")]
    #[schemars(schema_with = "duration_schema")]
    pub cache_ok_ttl: Duration,
    /// How long an inconclusive result is trusted (broken links are never cached).
    #[serde(with = "duration")]
    #[schemars(schema_with = "duration_schema")]
    pub cache_inconclusive_ttl: Duration,
    /// Per-host settings, keyed by host name; a key also covers its subdomains
    /// (`"bls.gov"` applies to `www.bls.gov`), the longest matching key wins.
    pub hosts: BTreeMap<String, HostConfig>,
}

impl Default for LinksConfig {
    fn default() -> Self {
        LinksConfig {
            timeout: Duration::from_secs(20),
            max_retries: 3,
            retry_backoff: Duration::from_secs(1),
            retry_budget: Duration::from_secs(60),
            max_concurrency: 128,
            host_concurrency: 10,
            host_interval: Duration::from_millis(50),
            max_redirects: 10,
            max_body_bytes: 16 * 1024,
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            include: Vec::new(),
            exclude: Vec::new(),
            allow_net: Vec::new(),
            cache: true,
            cache_path: PathBuf::from(DEFAULT_CACHE_PATH),
            cache_ok_ttl: Duration::from_secs(7 * 24 * 3600),
            cache_inconclusive_ttl: Duration::from_secs(3600),
            hosts: BTreeMap::new(),
        }
    }
}

/// Settings for one host (`[links.hosts."bls.gov"]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct HostConfig {
    /// Requests in flight at once to this host (overrides `host_concurrency`).
    pub max_concurrency: Option<usize>,
    /// Least time between requests to this host (overrides `host_interval`).
    #[serde(with = "opt_duration")]
    #[schemars(schema_with = "duration_schema")]
    pub interval: Option<Duration>,
    /// Headers sent to this host only, never to another host after a redirect.
    pub headers: BTreeMap<String, String>,
}

/// Command-line settings that win over the file (`None`: keep the file's value).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LinksOverrides {
    /// `--timeout SECONDS`.
    pub timeout: Option<Duration>,
    /// `--max-retries N`.
    pub max_retries: Option<u32>,
    /// `--max-concurrency N`.
    pub max_concurrency: Option<usize>,
    /// `--host-concurrency N`.
    pub host_concurrency: Option<usize>,
    /// `--allow-net HOST_OR_CIDR`, added to `allow_net`.
    pub allow_net: Vec<String>,
    /// `--no-cache`.
    pub no_cache: bool,
}

impl LinksConfig {
    /// This configuration with the command line's settings applied.
    pub fn with_overrides(mut self, overrides: &LinksOverrides) -> Self {
        if let Some(timeout) = overrides.timeout {
            self.timeout = timeout;
        }
        if let Some(retries) = overrides.max_retries {
            self.max_retries = retries;
        }
        if let Some(n) = overrides.max_concurrency {
            self.max_concurrency = n;
        }
        if let Some(n) = overrides.host_concurrency {
            self.host_concurrency = n;
        }
        self.allow_net.extend(overrides.allow_net.iter().cloned());
        if overrides.no_cache {
            self.cache = false;
        }
        self
    }

    /// The settings of the most specific `hosts` entry covering `host`.
    pub fn host(&self, host: &str) -> Option<&HostConfig> {
        self.hosts
            .iter()
            .filter(|(key, _)| host_matches(key, host))
            .max_by_key(|(key, _)| key.len())
            .map(|(_, config)| config)
    }
}

/// True when the configured `key` covers `host`: the same name or a subdomain.
pub fn host_matches(key: &str, host: &str) -> bool {
    let key = key.trim_end_matches('.');
    let host = host.trim_end_matches('.');
    if key.eq_ignore_ascii_case(host) {
        return true;
    }
    host.len() > key.len()
        && host.as_bytes()[host.len() - key.len() - 1] == b'.'
        && host[host.len() - key.len()..].eq_ignore_ascii_case(key)
}

/// The JSON Schema of a duration as `guidepress.toml` takes it: seconds as a
/// number, or text with a unit.
fn duration_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "description": "Seconds (`20`, `0.5`) or a number with a unit: `50ms`, `20s`, `10m`, `1h`, `7d`.",
        "anyOf": [
            { "type": "number", "minimum": 0 },
            { "type": "string", "pattern": "^\\s*[0-9]+(\\.[0-9]*)?\\s*(ms|s|m|min|h|d)?\\s*$" }
        ]
    })
}

/// A duration that did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a duration; write seconds (`20`, `0.5`) or a number with a unit (`50ms`, `20s`, `10m`, `1h`, `7d`)"
)]
pub struct DurationError(pub String);

/// Parses `"50ms"`, `"20s"`, `"20"`, `"10m"`, `"1h"`, `"7d"`, `"0.5"`.
pub fn parse_duration(text: &str) -> Result<Duration, DurationError> {
    let error = || DurationError(text.to_owned());
    let trimmed = text.trim();
    let split = trimmed
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(split);
    let number: f64 = number.parse().map_err(|_| error())?;
    let scale = match unit.trim() {
        "ms" => 0.001,
        "" | "s" => 1.0,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        "d" => 86_400.0,
        _ => return Err(error()),
    };
    Duration::try_from_secs_f64(number * scale).map_err(|_| error())
}

fn format_duration(duration: Duration) -> String {
    let millis = duration.as_millis();
    match millis {
        m if m % 86_400_000 == 0 && m > 0 => format!("{}d", m / 86_400_000),
        m if m % 3_600_000 == 0 && m > 0 => format!("{}h", m / 3_600_000),
        m if m % 60_000 == 0 && m > 0 => format!("{}m", m / 60_000),
        m if m % 1000 == 0 => format!("{}s", m / 1000),
        m => format!("{m}ms"),
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawDuration {
    Seconds(f64),
    Text(String),
}

impl RawDuration {
    fn into_duration<E: serde::de::Error>(self) -> Result<Duration, E> {
        match self {
            RawDuration::Seconds(s) => {
                Duration::try_from_secs_f64(s).map_err(|_| E::custom(DurationError(s.to_string())))
            }
            RawDuration::Text(t) => parse_duration(&t).map_err(E::custom),
        }
    }
}

mod duration {
    use super::*;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        RawDuration::deserialize(d)?.into_duration()
    }

    pub fn serialize<S: serde::Serializer>(value: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_duration(*value))
    }
}

mod positive_duration {
    use super::*;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        let duration: Duration = RawDuration::deserialize(d)?.into_duration()?;
        if duration.is_zero() {
            return Err(serde::de::Error::custom(
                "a timeout of 0 would leave every link unverified; give a duration above 0",
            ));
        }
        Ok(duration)
    }

    pub use super::duration::serialize;
}

mod opt_duration {
    use super::*;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
        Option::<RawDuration>::deserialize(d)?
            .map(RawDuration::into_duration)
            .transpose()
    }

    pub fn serialize<S: serde::Serializer>(
        value: &Option<Duration>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(d) => s.serialize_some(&format_duration(*d)),
            None => s.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_with_and_without_units() {
        assert_eq!(parse_duration("50ms"), Ok(Duration::from_millis(50)));
        assert_eq!(parse_duration("20"), Ok(Duration::from_secs(20)));
        assert_eq!(parse_duration("0.5s"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("7d"), Ok(Duration::from_secs(604_800)));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("5 weeks").is_err());
    }

    #[test]
    fn table_parses_and_rejects_unknown_keys() {
        let config: LinksConfig = toml::from_str(
            r#"
            timeout = 0.5
            retry_backoff = "10ms"
            cache_ok_ttl = "7d"
            allow_net = ["127.0.0.1"]
            [hosts."bls.gov"]
            max_concurrency = 1
            interval = "1s"
            headers = { "X-Key" = "secret" }
            "#,
        )
        .unwrap();
        assert_eq!(config.timeout, Duration::from_millis(500));
        assert_eq!(config.retry_backoff, Duration::from_millis(10));
        assert_eq!(config.max_retries, 3, "unset keys keep their defaults");
        let bls = config.host("www.bls.gov").unwrap();
        assert_eq!(bls.max_concurrency, Some(1));
        assert_eq!(bls.interval, Some(Duration::from_secs(1)));
        assert!(config.host("notbls.gov").is_none());
        assert!(toml::from_str::<LinksConfig>("timout = 3").is_err());
        assert!(toml::from_str::<LinksConfig>("timeout = 0").is_err());
        assert!(toml::from_str::<LinksConfig>("timeout = \"0ms\"").is_err());
    }

    #[test]
    fn overrides_win_and_add_to_the_allow_list() {
        let config = LinksConfig {
            allow_net: vec!["10.0.0.0/8".into()],
            ..LinksConfig::default()
        }
        .with_overrides(&LinksOverrides {
            max_retries: Some(0),
            allow_net: vec!["127.0.0.1".into()],
            no_cache: true,
            ..LinksOverrides::default()
        });
        assert_eq!(config.max_retries, 0);
        assert_eq!(config.allow_net, ["10.0.0.0/8", "127.0.0.1"]);
        assert!(!config.cache);
    }

    #[test]
    fn host_keys_cover_subdomains_only() {
        assert!(host_matches("bls.gov", "bls.gov"));
        assert!(host_matches("bls.gov", "www.BLS.gov"));
        assert!(!host_matches("bls.gov", "xbls.gov"));
        assert!(!host_matches("www.bls.gov", "bls.gov"));
    }
}
