//! One run over the citations of many guides: deduplicate, apply the
//! safety policy, consult the cache, check the rest concurrently, write the
//! cache, and turn results into diagnostics on every citing location.
//!
//! The policy comes before the cache: a literal address it refuses is
//! refused whatever the cache says, a cached verdict whose redirects pass
//! through a refused address is not used, and (unless `--offline`) the host
//! names of cached verdicts are resolved through the policy first, so a name
//! that now resolves to a refused address, or no longer resolves, is checked
//! again rather than reported from the cache.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Instant, SystemTime};

use globset::GlobSet;
use tokio::task::JoinSet;
use url::Url;

use super::cache::{Binding, Cache, CacheKey, CacheProblem, Ttl, settings_fingerprint};
use super::checker::Checker;
use super::client::{ClientError, resolve_allowed};
use super::config::LinksConfig;
use super::diagnose;
use super::extract::Citation;
use super::normalize::{UrlProblem, host_key, normalize};
use super::outcome::{LinkResult, LinkStatus};
use super::policy::{AllowNetError, NetPolicy};
use super::progress::Progress;
use super::summary::{HostSummary, Summary};
use crate::diagnostic::Diagnostic;

/// How to run.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// The settings (command-line overrides already applied).
    pub config: LinksConfig,
    /// The cache file to use; `None` runs without a cache.
    pub cache_path: Option<PathBuf>,
    /// Check nothing over the network (cached verdicts are still reported).
    pub offline: bool,
    /// The key cache entries are sealed with (see [`Binding`]). Without
    /// one, entries are bound to the settings and version only, and a
    /// hand-written entry can pass: the command line always has a key.
    pub cache_key: Option<CacheKey>,
    /// Problems found while choosing the cache and its key (a cache path
    /// that leaves the repository, a key file others can read), reported
    /// with the run's as `GP407` warnings.
    pub cache_problems: Vec<CacheProblem>,
}

impl RunOptions {
    /// The options for `config` (relative paths start at `root`, the folder of
    /// `guidepress.toml`): the cache at its configured place, sealed with this
    /// run's key (see [`super::cache_key`]).
    ///
    /// A cache path that leads out of `root` through a symbolic link is not
    /// used (see [`super::cache::check_inside`]): the run goes on without a
    /// cache and says why.
    pub fn new(config: LinksConfig, root: &std::path::Path, offline: bool) -> Self {
        let mut cache_problems = Vec::new();
        let cache_path = super::files::cache_path(&config, root).filter(|path| {
            super::cache::check_inside(root, path)
                .map_err(|problem| cache_problems.push(problem))
                .is_ok()
        });
        let cache_key = cache_path.as_ref().map(|_| {
            let (key, problem) = super::cache_key::for_this_run();
            cache_problems.extend(problem);
            key
        });
        RunOptions {
            cache_key,
            cache_path,
            config,
            offline,
            cache_problems,
        }
    }
}

/// A run that could not happen at all (content problems are diagnostics instead).
#[derive(Debug, thiserror::Error)]
pub enum LinksError {
    /// An `allow_net` entry is malformed.
    #[error(transparent)]
    AllowNet(#[from] AllowNetError),
    /// An `include` or `exclude` pattern is malformed.
    #[error("the link pattern `{pattern}` is not a valid glob: {reason}")]
    Pattern {
        /// The pattern.
        pattern: String,
        /// What the glob parser said.
        reason: String,
    },
    /// The HTTP client could not be set up.
    #[error(transparent)]
    Client(#[from] ClientError),
    /// The async runtime could not start.
    #[error("the link checker could not start its runtime: {0}")]
    Runtime(#[source] std::io::Error),
}

/// What became of one unique address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Not a checkable address.
    Invalid(UrlProblem),
    /// Left out by `include`/`exclude`.
    Excluded,
    /// Not checked: `--offline` and nothing cached.
    Skipped,
    /// Checked now or earlier.
    Checked {
        /// The result.
        result: LinkResult,
        /// True when it came from the cache.
        cached: bool,
    },
}

/// One unique address and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlReport {
    /// The normalised address (or the text, for an invalid one).
    pub key: String,
    /// What became of it.
    pub verdict: Verdict,
    /// Where it is cited: (file index, citation index).
    pub cited_at: Vec<(usize, usize)>,
}

/// The outcome of a run.
#[derive(Debug, Clone, Default)]
pub struct LinksReport {
    /// Findings per input file, in input order, each sorted by position.
    pub diagnostics: Vec<Vec<Diagnostic>>,
    /// Every unique address, in order of first citation.
    pub urls: Vec<UrlReport>,
    /// The closing figures.
    pub summary: Summary,
    /// Problems with the cache file (reported as GP407 warnings).
    pub cache_problems: Vec<CacheProblem>,
}

fn globset(patterns: &[String]) -> Result<Option<GlobSet>, LinksError> {
    crate::glob::set(patterns).map_err(|error| LinksError::Pattern {
        pattern: error.pattern,
        reason: error.message,
    })
}

/// Checks every citation of `files` (one list per guide) and reports on
/// each. Runs on the caller's Tokio runtime.
pub async fn check(
    files: &[Vec<Citation>],
    options: &RunOptions,
    progress: Arc<dyn Progress>,
) -> Result<LinksReport, LinksError> {
    let started = Instant::now();
    let config = Arc::new(options.config.clone());
    let policy = Arc::new(NetPolicy::new(&config.allow_net)?);
    let include = globset(&config.include)?;
    let exclude = globset(&config.exclude)?;

    // One entry per unique address, in order of first citation.
    let mut urls: Vec<UrlReport> = Vec::new();
    let mut parsed: Vec<Option<Url>> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut citations = 0;
    for (file, list) in files.iter().enumerate() {
        for (position, citation) in list.iter().enumerate() {
            citations += 1;
            let (key, url, verdict) = match normalize(&citation.text) {
                Ok(url) => (url.to_string(), Some(url), None),
                Err(problem) => (citation.text.clone(), None, Some(Verdict::Invalid(problem))),
            };
            let slot = *index.entry(key.clone()).or_insert_with(|| {
                urls.push(UrlReport {
                    key,
                    verdict: verdict.unwrap_or(Verdict::Skipped),
                    cited_at: Vec::new(),
                });
                parsed.push(url);
                urls.len() - 1
            });
            urls[slot].cited_at.push((file, position));
        }
    }

    let mut cache_problems = options.cache_problems.clone();
    let mut cache = options.cache_path.as_deref().map(|path| {
        let binding = Binding::new(options.cache_key.clone(), &settings_fingerprint(&config));
        let (cache, problem) = Cache::load(path, binding);
        cache_problems.extend(problem);
        cache
    });
    let now = SystemTime::now();

    let mut to_check: Vec<usize> = Vec::new();
    let mut from_cache: Vec<(usize, LinkResult)> = Vec::new();
    for (slot, report) in urls.iter_mut().enumerate() {
        let Some(url) = parsed[slot].as_ref() else {
            continue;
        };
        let key = report.key.as_str();
        let included = include.as_ref().is_none_or(|set| set.is_match(key));
        if !included || exclude.as_ref().is_some_and(|set| set.is_match(key)) {
            report.verdict = Verdict::Excluded;
            continue;
        }
        if let Err(refusal) = policy.check_url(url) {
            report.verdict = Verdict::Checked {
                result: LinkResult::without_response(LinkStatus::Refused, refusal.to_string()),
                cached: false,
            };
            continue;
        }
        let cached = cache
            .as_ref()
            .and_then(|cache| cache.get(key, now))
            .filter(|result| hops_pass(&policy, result));
        if let Some(result) = cached {
            from_cache.push((slot, result.clone()));
        } else if !options.offline {
            to_check.push(slot);
        }
    }
    let resolved = if options.offline {
        HashMap::new()
    } else {
        resolve_cached_hosts(&policy, &from_cache, &parsed, config.timeout).await
    };
    for (slot, result) in from_cache {
        let trusted = options.offline
            || hosts_of(parsed[slot].as_ref(), &result)
                .iter()
                .all(|host| policy.allows_host(host) || resolved.get(host) == Some(&true));
        if trusted {
            urls[slot].verdict = Verdict::Checked {
                result,
                cached: true,
            };
        } else {
            to_check.push(slot);
        }
    }

    let mut summary = Summary::default();
    if !to_check.is_empty() {
        let checker = Arc::new(Checker::new(config.clone(), policy)?);
        progress.start(to_check.len() as u64);
        let mut tasks = JoinSet::new();
        for &slot in &to_check {
            let Some(url) = parsed[slot].clone() else {
                continue;
            };
            let checker = checker.clone();
            tasks.spawn(async move { (slot, checker.check(&url).await) });
        }
        while let Some(joined) = tasks.join_next().await {
            let Ok((slot, result)) = joined else {
                // A panicking check is a bug; the address stays unchecked.
                continue;
            };
            progress.advance(&urls[slot].key, result.status);
            urls[slot].verdict = Verdict::Checked {
                result,
                cached: false,
            };
        }
        progress.finish();
        summary.requests = checker.requests();
        for (host, requests) in checker.requests_per_host() {
            summary.per_host.entry(host).or_default().requests = requests;
        }
        for &slot in &to_check {
            if let Some(url) = &parsed[slot] {
                summary
                    .per_host
                    .entry(host_key(url))
                    .or_insert_with(HostSummary::default)
                    .urls += 1;
            }
        }
    }

    if let Some(cache) = cache.as_mut() {
        let ttl = Ttl {
            ok: config.cache_ok_ttl,
            inconclusive: config.cache_inconclusive_ttl,
        };
        for &slot in &to_check {
            if let Verdict::Checked { result, .. } = &urls[slot].verdict {
                cache.put(&urls[slot].key, result, now, ttl);
            }
        }
        if !to_check.is_empty() {
            if let Err(problem) = cache.save(SystemTime::now()) {
                cache_problems.push(problem);
            }
        }
    }

    let mut diagnostics: Vec<Vec<Diagnostic>> = vec![Vec::new(); files.len()];
    summary.citations = citations;
    summary.unique = urls.len();
    for report in &urls {
        match &report.verdict {
            Verdict::Invalid(_) => summary.invalid += 1,
            Verdict::Excluded => summary.excluded += 1,
            Verdict::Skipped => summary.skipped_offline += 1,
            Verdict::Checked { result, cached } => {
                summary.checked += 1;
                summary.cached += usize::from(*cached);
                match result.status {
                    LinkStatus::Ok => summary.ok += 1,
                    LinkStatus::Broken => summary.broken += 1,
                    LinkStatus::Inconclusive => summary.inconclusive += 1,
                    LinkStatus::Refused => summary.refused += 1,
                }
            }
        }
        for &(file, position) in &report.cited_at {
            let citation = &files[file][position];
            let diagnostic = match &report.verdict {
                Verdict::Invalid(problem) => Some(diagnose::for_invalid(citation, problem)),
                Verdict::Checked { result, .. } => diagnose::for_result(citation, result),
                Verdict::Excluded | Verdict::Skipped => None,
            };
            diagnostics[file].extend(diagnostic);
        }
    }
    for list in &mut diagnostics {
        list.sort_by_key(|d| (d.span.start, d.span.end));
    }
    summary.elapsed = started.elapsed();
    Ok(LinksReport {
        diagnostics,
        urls,
        summary,
        cache_problems,
    })
}

/// True when every address a cached result was redirected through still
/// passes the checks the policy makes without resolving.
fn hops_pass(policy: &NetPolicy, result: &LinkResult) -> bool {
    result
        .redirects
        .iter()
        .all(|hop| Url::parse(&hop.to).is_ok_and(|to| policy.check_url(&to).is_ok()))
}

/// The host names (not literal addresses, not allow-listed names) a cached
/// result depends on: the cited address's and every redirect's.
fn hosts_of(url: Option<&Url>, result: &LinkResult) -> Vec<String> {
    let hops = result
        .redirects
        .iter()
        .filter_map(|hop| Url::parse(&hop.to).ok());
    url.cloned()
        .into_iter()
        .chain(hops)
        .filter(|url| matches!(url.host(), Some(url::Host::Domain(_))))
        .map(|url| host_key(&url))
        .collect()
}

/// Resolves the host names of cached results through the policy, at once:
/// `true` for a name with an allowed address, `false` for one that does not
/// resolve, resolves only to refused addresses, or does not answer in time.
async fn resolve_cached_hosts(
    policy: &Arc<NetPolicy>,
    from_cache: &[(usize, LinkResult)],
    parsed: &[Option<Url>],
    timeout: std::time::Duration,
) -> HashMap<String, bool> {
    let mut hosts: Vec<String> = from_cache
        .iter()
        .flat_map(|(slot, result)| hosts_of(parsed[*slot].as_ref(), result))
        .filter(|host| !policy.allows_host(host))
        .collect();
    hosts.sort();
    hosts.dedup();
    let mut lookups = JoinSet::new();
    for host in hosts {
        let policy = policy.clone();
        lookups.spawn(async move {
            let allowed = tokio::time::timeout(timeout, resolve_allowed(&policy, &host)).await;
            (host, matches!(allowed, Ok(Ok(_))))
        });
    }
    let mut resolved = HashMap::new();
    while let Some(joined) = lookups.join_next().await {
        if let Ok((host, allowed)) = joined {
            resolved.insert(host, allowed);
        }
    }
    resolved
}

/// [`check`] on a runtime of its own, for synchronous callers (not from
/// inside a Tokio runtime).
pub fn check_blocking(
    files: &[Vec<Citation>],
    options: &RunOptions,
    progress: Arc<dyn Progress>,
) -> Result<LinksReport, LinksError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(LinksError::Runtime)?;
    runtime.block_on(check(files, options, progress))
}
