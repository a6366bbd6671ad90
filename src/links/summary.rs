//! The closing figures of a run.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use serde::Serialize;

/// What one host cost.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct HostSummary {
    /// Unique addresses on the host that were checked over the network.
    pub urls: usize,
    /// Requests sent to it (retries, `GET` after `HEAD` and redirect hops included).
    pub requests: u64,
}

/// The figures of one run.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Citations found in the guides.
    pub citations: usize,
    /// Unique addresses among them (after normalisation).
    pub unique: usize,
    /// Addresses with a verdict, from the network or the cache.
    pub checked: usize,
    /// Verdict ok.
    pub ok: usize,
    /// Verdict broken.
    pub broken: usize,
    /// Verdict inconclusive.
    pub inconclusive: usize,
    /// Refused by the safety policy.
    pub refused: usize,
    /// Not valid http(s) addresses.
    pub invalid: usize,
    /// Left out by `include`/`exclude`.
    pub excluded: usize,
    /// Not checked because of `--offline`.
    pub skipped_offline: usize,
    /// Verdicts taken from the cache.
    pub cached: usize,
    /// Requests sent.
    pub requests: u64,
    /// Per host, for `--verbose`.
    pub per_host: BTreeMap<String, HostSummary>,
    /// Wall time of the run.
    #[serde(serialize_with = "millis")]
    pub elapsed: Duration,
}

fn millis<S: serde::Serializer>(duration: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u128(duration.as_millis())
}

impl fmt::Display for Summary {
    /// One line: `12 links checked: 10 ok, 1 broken, 1 inconclusive (4 cached, 9 requests, 1.2 s)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} unique links ({} citations), {} checked: {} ok, {} broken, {} inconclusive",
            self.unique, self.citations, self.checked, self.ok, self.broken, self.inconclusive
        )?;
        for (count, what) in [
            (self.refused, "refused by the safety policy"),
            (self.invalid, "invalid"),
            (self.excluded, "excluded"),
            (self.skipped_offline, "skipped offline"),
        ] {
            if count > 0 {
                write!(f, ", {count} {what}")?;
            }
        }
        write!(
            f,
            " ({} cached, {} requests, {:.1} s)",
            self.cached,
            self.requests,
            self.elapsed.as_secs_f64()
        )
    }
}
