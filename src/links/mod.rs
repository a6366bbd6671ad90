//! Source link verification: every address a guide cites is requested once
//! per run, politely and safely, and reported on the characters that cite it.
//!
//! The pipeline, one file per concern:
//! - [`extract`]: addresses in URL fields and prose, with exact spans;
//!   [`markdown`]: addresses a Markdown page cites (the README, the docs);
//! - [`normalize`]: one spelling per address, so each is requested once;
//! - [`policy`]: the safety policy (no private, loopback or metadata addresses);
//! - [`client`]: single HTTP requests, with a resolver that enforces the policy;
//! - [`politeness`]: global and per-host concurrency, per-host intervals;
//! - [`retry`]: backoff with jitter, `Retry-After`, the retry budget;
//! - [`checker`]: one address, hop by hop, with shared in-flight requests;
//! - [`detect`]: bot-protection pages and soft 404s;
//! - [`outcome`]: ok, broken, inconclusive, refused, and why;
//! - [`cache`]: results kept on disk with per-entry expiry, sealed to the run's settings and key ([`cache_key`]);
//! - [`diagnose`]: results as diagnostics (codes `GP401`–`GP407`);
//! - [`run`]: a whole run; [`files`] runs it over loaded content files; [`summary`] its figures; [`progress`] its progress events;
//! - [`config`]: the `[links]` table.

pub mod cache;
pub mod cache_key;
pub mod checker;
pub mod client;
pub mod config;
pub mod detect;
pub mod diagnose;
pub mod extract;
pub mod files;
pub mod markdown;
pub mod normalize;
pub mod outcome;
pub mod policy;
pub mod politeness;
pub mod progress;
pub use crate::retry;
pub mod run;
pub mod summary;

pub use config::{HostConfig, LinksConfig, LinksOverrides};
pub use extract::{Citation, CitationKind, extract};
pub use outcome::{LinkResult, LinkStatus};
pub use progress::{NoProgress, Progress};
pub use run::{LinksError, LinksReport, RunOptions, UrlReport, Verdict, check, check_blocking};
pub use summary::{HostSummary, Summary};
