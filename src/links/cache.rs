//! Results kept on disk between runs, so that CI does not ask every server
//! again on every push.
//!
//! Each entry expires on its own: successes after `cache_ok_ttl` (default 7
//! days), inconclusive results after `cache_inconclusive_ttl` (default 1
//! hour), each shortened by up to 10 % at random so that a cache filled in
//! one run does not expire all at once. Broken and refused results are never
//! kept: a fix must show at once. The file is replaced atomically (written
//! beside it, then renamed, see [`crate::fsio`]) and read only when it is a
//! regular file of at most [`MAX_FILE_SIZE`] bytes. A file that cannot be read as a cache is
//! ignored with a warning; one that is not ours is not overwritten.
//!
//! The file is not trusted: it may be restored from another run's CI cache,
//! or written by hand into a pull request. Each entry carries a seal
//! ([`Binding`]): an HMAC-SHA256, under the run's cache key, of the address,
//! the result, its times, the tool version and the settings that decide a
//! verdict (the safety policy, per-host headers, redirect limit). An entry
//! whose seal does not match is not used: written by another version, under
//! another policy or without the key, it is checked again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::outcome::{LinkResult, LinkStatus};

/// The value of the `format` field that marks the file as ours.
pub const FORMAT: &str = "guidepress-links-cache";
/// The layout version; a file of another version is discarded (and rewritten).
pub const VERSION: u32 = 2;
/// The largest cache file read, in bytes; a larger file is ignored and left alone.
pub const MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// One remembered result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// When it was checked (seconds since the Unix epoch).
    pub checked_at: u64,
    /// When it stops being trusted (seconds since the Unix epoch).
    pub expires_at: u64,
    /// The result.
    pub result: LinkResult,
    /// The [`Binding`] seal (hex); an entry without a matching one is not used.
    #[serde(default)]
    pub seal: String,
}

/// The secret a run seals its cache entries with.
#[derive(Clone, PartialEq, Eq)]
pub struct CacheKey(Vec<u8>);

impl CacheKey {
    /// A key from secret bytes (a CI secret, a per-user key file).
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        CacheKey(bytes.into())
    }
}

impl std::fmt::Debug for CacheKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CacheKey([redacted])")
    }
}

/// What cache entries are bound to: the key and the settings of the run.
#[derive(Debug, Clone)]
pub struct Binding {
    key: Option<CacheKey>,
    settings: [u8; 32],
}

impl Binding {
    /// Binds entries to `settings` (see [`settings_fingerprint`]) under
    /// `key`. Without a key, entries are still bound to the settings and the
    /// version, but anyone can compute a seal: only for callers that trust
    /// the file.
    pub fn new(key: Option<CacheKey>, settings: &str) -> Self {
        Binding {
            key,
            settings: Sha256::digest(settings.as_bytes()).into(),
        }
    }

    /// The seal of one entry (hex).
    fn seal(&self, url: &str, checked_at: u64, expires_at: u64, result: &LinkResult) -> String {
        let result = serde_json::to_vec(result).unwrap_or_default();
        let parts: [&[u8]; 6] = [
            FORMAT.as_bytes(),
            &self.settings,
            url.as_bytes(),
            &checked_at.to_be_bytes(),
            &expires_at.to_be_bytes(),
            &result,
        ];
        let mut message = Vec::new();
        for part in parts {
            message.extend_from_slice(&(part.len() as u64).to_be_bytes());
            message.extend_from_slice(part);
        }
        let key = self.key.as_ref().map_or(&[][..], |k| &k.0);
        hex(&hmac_sha256(key, &message))
    }
}

/// The settings a cached verdict depends on, as one text: the tool version,
/// the safety policy (`allow_net`, in a canonical order), the redirect limit
/// and the per-host headers (hashed, never stored).
pub fn settings_fingerprint(config: &super::config::LinksConfig) -> String {
    let mut allow: Vec<String> = config
        .allow_net
        .iter()
        .map(|entry| entry.trim().trim_end_matches('.').to_ascii_lowercase())
        .collect();
    allow.sort();
    allow.dedup();
    let mut headers = Sha256::new();
    for (host, settings) in &config.hosts {
        for (name, value) in &settings.headers {
            for part in [host.as_str(), name.as_str(), value.as_str()] {
                headers.update((part.len() as u64).to_be_bytes());
                headers.update(part.as_bytes());
            }
        }
    }
    format!(
        "guidepress {}\nallow_net {}\nmax_redirects {}\nheaders {}",
        env!("CARGO_PKG_VERSION"),
        allow.join(","),
        config.max_redirects,
        hex(&headers.finalize())
    )
}

/// HMAC-SHA256 (RFC 2104).
fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut block = [0u8; 64];
    if key.len() > block.len() {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(block.map(|b| b ^ 0x36));
    inner.update(message);
    let mut outer = Sha256::new();
    outer.update(block.map(|b| b ^ 0x5c));
    outer.update(inner.finalize());
    outer.finalize().into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The file layout. `format` comes first so that even a truncated file can be told to be ours.
#[derive(Debug, Serialize, Deserialize)]
struct CacheFile {
    format: String,
    version: u32,
    entries: BTreeMap<String, Entry>,
}

/// A problem with the cache file; the run goes on without it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CacheProblem {
    /// Not readable or not valid JSON, though it looks like ours.
    #[error("the link cache `{path}` is damaged and was ignored ({reason}); it will be rewritten")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// Some other file sits at the cache path.
    #[error("`{path}` is not a guidepress link cache; it was ignored and will not be overwritten")]
    Foreign {
        /// The file.
        path: PathBuf,
    },
    /// The file could not be read.
    #[error("the link cache `{path}` could not be read ({reason}); it was ignored")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// The cache path leaves the repository: a folder on the way, or the
    /// file itself, is a symbolic link, or the path climbs out with `..`.
    #[error("the link cache was not used: {reason}, which would put it outside the repository")]
    OutsideRepository {
        /// The configured cache file.
        path: PathBuf,
        /// What leads out: "`.guidepress` is a symbolic link".
        reason: String,
    },
    /// The key file sealing the cache can be read by other users.
    #[error(
        "the link cache key `{path}` can be read by other users (mode {mode:04o}); it was not used, and this run's cache entries are sealed with a key for this run only"
    )]
    KeyNotPrivate {
        /// The key file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// The file could not be written.
    #[error("the link cache `{path}` could not be written ({reason})")]
    Unwritable {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
}

impl CacheProblem {
    /// The file the problem is about.
    pub fn path(&self) -> &Path {
        match self {
            CacheProblem::Corrupt { path, .. }
            | CacheProblem::Foreign { path }
            | CacheProblem::Unreadable { path, .. }
            | CacheProblem::OutsideRepository { path, .. }
            | CacheProblem::KeyNotPrivate { path, .. }
            | CacheProblem::Unwritable { path, .. } => path,
        }
    }
}

/// Checks that `path`, the cache file, stays inside `root` (the repository):
/// when it lies under `root`, no folder between them, nor the file itself, is
/// a symbolic link, and it has no `..`. A committed `.guidepress` that links
/// elsewhere would otherwise have every run read and write a file outside
/// the repository. A path outside `root` (an absolute `cache_path`) is the
/// configuration's own choice and is not checked.
pub fn check_inside(root: &Path, path: &Path) -> Result<(), CacheProblem> {
    let outside = |reason: String| CacheProblem::OutsideRepository {
        path: path.to_owned(),
        reason,
    };
    let Ok(relative) = path.strip_prefix(root) else {
        return Ok(());
    };
    let mut at = root.to_owned();
    let mut shown = PathBuf::new();
    for component in relative.components() {
        match component {
            std::path::Component::Normal(name) => {
                at.push(name);
                shown.push(name);
            }
            std::path::Component::CurDir => continue,
            _ => {
                return Err(outside(format!(
                    "`{}` climbs out of the folder of guidepress.toml",
                    relative.display()
                )));
            }
        }
        match std::fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = std::fs::read_link(&at)
                    .map(|t| format!(" to `{}`", t.display()))
                    .unwrap_or_default();
                return Err(outside(format!(
                    "`{}` is a symbolic link{target}",
                    shown.display()
                )));
            }
            Ok(_) => {}
            // Not made yet: nothing further down exists either.
            Err(_) => return Ok(()),
        }
    }
    Ok(())
}

/// Time-to-live settings for new entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ttl {
    /// For `ok` results.
    pub ok: Duration,
    /// For `inconclusive` results.
    pub inconclusive: Duration,
}

/// The cache of one run.
#[derive(Debug)]
pub struct Cache {
    path: PathBuf,
    entries: BTreeMap<String, Entry>,
    writable: bool,
    binding: Binding,
}

/// Seconds since the Unix epoch.
pub fn unix_seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

impl Cache {
    /// Reads the cache at `path` (a missing file is an empty cache); only
    /// entries sealed under `binding` will be used.
    pub fn load(path: &Path, binding: Binding) -> (Cache, Option<CacheProblem>) {
        let mut cache = Cache {
            path: path.to_owned(),
            entries: BTreeMap::new(),
            writable: true,
            binding,
        };
        let bytes = match crate::fsio::read_regular(path, MAX_FILE_SIZE) {
            Ok(bytes) => bytes,
            Err(error) if error.is_not_found() => return (cache, None),
            Err(error) => {
                cache.writable = false;
                let problem = CacheProblem::Unreadable {
                    path: path.to_owned(),
                    reason: error.to_string(),
                };
                return (cache, Some(problem));
            }
        };
        let looks_ours = {
            let head: String = String::from_utf8_lossy(&bytes[..bytes.len().min(200)])
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            head.starts_with(&format!("{{\"format\":\"{FORMAT}\""))
        };
        let corrupt = |reason: String| CacheProblem::Corrupt {
            path: path.to_owned(),
            reason,
        };
        let value = match serde_json::from_slice::<serde_json::Value>(&bytes) {
            Ok(value) => value,
            Err(error) if looks_ours => return (cache, Some(corrupt(error.to_string()))),
            Err(_) => {
                cache.writable = false;
                return (
                    cache,
                    Some(CacheProblem::Foreign {
                        path: path.to_owned(),
                    }),
                );
            }
        };
        if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
            cache.writable = false;
            return (
                cache,
                Some(CacheProblem::Foreign {
                    path: path.to_owned(),
                }),
            );
        }
        if value.get("version").and_then(|v| v.as_u64()) != Some(u64::from(VERSION)) {
            // An older or newer layout of ours: start afresh, silently.
            return (cache, None);
        }
        match serde_json::from_value::<CacheFile>(value) {
            Ok(file) => {
                cache.entries = file.entries;
                (cache, None)
            }
            Err(error) => (cache, Some(corrupt(error.to_string()))),
        }
    }

    /// The path of the cache file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Number of entries (expired ones included until the next save).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the cache holds nothing.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The remembered result for `url` (normalised), unless it has expired
    /// or is not sealed under this run's binding.
    pub fn get(&self, url: &str, now: SystemTime) -> Option<&LinkResult> {
        let entry = self.entries.get(url)?;
        let seal = self
            .binding
            .seal(url, entry.checked_at, entry.expires_at, &entry.result);
        (entry.expires_at > unix_seconds(now) && entry.seal == seal).then_some(&entry.result)
    }

    /// Remembers `result` for `url`; broken and refused results are not kept.
    pub fn put(&mut self, url: &str, result: &LinkResult, now: SystemTime, ttl: Ttl) {
        let ttl = match result.status {
            LinkStatus::Ok => ttl.ok,
            LinkStatus::Inconclusive => ttl.inconclusive,
            LinkStatus::Broken | LinkStatus::Refused => {
                self.entries.remove(url);
                return;
            }
        };
        let jittered = ttl.mul_f64(1.0 - fastrand::f64() * 0.1);
        let checked_at = unix_seconds(now);
        let expires_at = checked_at + jittered.as_secs();
        self.entries.insert(
            url.to_owned(),
            Entry {
                checked_at,
                expires_at,
                seal: self.binding.seal(url, checked_at, expires_at, result),
                result: result.clone(),
            },
        );
    }

    /// Writes the unexpired entries atomically. Does nothing for a file that is not ours.
    pub fn save(&mut self, now: SystemTime) -> Result<(), CacheProblem> {
        if !self.writable {
            return Ok(());
        }
        let now = unix_seconds(now);
        self.entries.retain(|_, entry| entry.expires_at > now);
        let unwritable = |reason: String| CacheProblem::Unwritable {
            path: self.path.clone(),
            reason,
        };
        let file = CacheFile {
            format: FORMAT.to_owned(),
            version: VERSION,
            entries: std::mem::take(&mut self.entries),
        };
        let json = serde_json::to_vec_pretty(&file);
        self.entries = file.entries;
        let json = json.map_err(|e| unwritable(e.to_string()))?;
        if let Some(parent) = self.path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| unwritable(e.to_string()))?;
        }
        let mut json = json;
        json.push(b'\n');
        // A link planted at the cache path is replaced, never written through.
        crate::fsio::write_atomic(&self.path, &json, crate::fsio::SymlinkPolicy::Replace)
            .map_err(|e| unwritable(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TTL: Ttl = Ttl {
        ok: Duration::from_secs(7 * 86_400),
        inconclusive: Duration::from_secs(3600),
    };

    fn binding() -> Binding {
        Binding::new(Some(CacheKey::new(*b"test key")), "settings")
    }

    fn result(status: LinkStatus) -> LinkResult {
        LinkResult::without_response(status, "because")
    }

    #[test]
    fn entries_live_as_long_as_their_outcome_says() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/cache.json");
        let now = SystemTime::now();
        let (mut cache, problem) = Cache::load(&path, binding());
        assert_eq!(problem, None);
        cache.put("https://ok.example/", &result(LinkStatus::Ok), now, TTL);
        cache.put(
            "https://slow.example/",
            &result(LinkStatus::Inconclusive),
            now,
            TTL,
        );
        cache.put(
            "https://gone.example/",
            &result(LinkStatus::Broken),
            now,
            TTL,
        );
        cache.save(now).unwrap();

        let (cache, problem) = Cache::load(&path, binding());
        assert_eq!(problem, None);
        assert_eq!(cache.len(), 2, "broken results are never cached");
        let in_two_hours = now + Duration::from_secs(7200);
        assert!(cache.get("https://ok.example/", in_two_hours).is_some());
        assert!(cache.get("https://slow.example/", in_two_hours).is_none());
        let in_eight_days = now + Duration::from_secs(8 * 86_400);
        assert!(cache.get("https://ok.example/", in_eight_days).is_none());
        // Jitter shortens by at most 10 %.
        assert!(
            cache
                .get("https://ok.example/", now + Duration::from_secs(6 * 86_400))
                .is_some()
        );
    }

    #[test]
    fn damaged_files_are_ignored_then_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.json");
        std::fs::write(
            &path,
            format!("{{\"format\": \"{FORMAT}\", \"version\": {VERSION}, \"entries\": {{\"x\": "),
        )
        .unwrap();
        let (mut cache, problem) = Cache::load(&path, binding());
        assert!(
            matches!(problem, Some(CacheProblem::Corrupt { .. })),
            "{problem:?}"
        );
        cache.put(
            "https://ok.example/",
            &result(LinkStatus::Ok),
            SystemTime::now(),
            TTL,
        );
        cache.save(SystemTime::now()).unwrap();
        let (cache, problem) = Cache::load(&path, binding());
        assert_eq!((cache.len(), problem), (1, None));
    }

    #[test]
    fn foreign_files_are_ignored_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.json");
        for foreign in ["not json at all", "{\"some\": \"other tool\"}", "[1, 2]"] {
            std::fs::write(&path, foreign).unwrap();
            let (mut cache, problem) = Cache::load(&path, binding());
            assert!(
                matches!(problem, Some(CacheProblem::Foreign { .. })),
                "{foreign}: {problem:?}"
            );
            cache.put(
                "https://ok.example/",
                &result(LinkStatus::Ok),
                SystemTime::now(),
                TTL,
            );
            cache.save(SystemTime::now()).unwrap();
            assert_eq!(std::fs::read_to_string(&path).unwrap(), foreign);
        }
    }

    #[test]
    fn other_versions_start_afresh_without_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.json");
        std::fs::write(
            &path,
            format!("{{\"format\": \"{FORMAT}\", \"version\": 99, \"entries\": {{}}}}"),
        )
        .unwrap();
        let (cache, problem) = Cache::load(&path, binding());
        assert_eq!((cache.len(), problem), (0, None));
    }

    #[test]
    fn entries_are_used_only_under_the_binding_that_sealed_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.json");
        let now = SystemTime::now();
        let (mut cache, _) = Cache::load(&path, binding());
        cache.put("https://ok.example/", &result(LinkStatus::Ok), now, TTL);
        cache.save(now).unwrap();
        let others = [
            Binding::new(Some(CacheKey::new(*b"test key")), "other settings"),
            Binding::new(Some(CacheKey::new(*b"other key")), "settings"),
            Binding::new(None, "settings"),
        ];
        for other in others {
            let (cache, problem) = Cache::load(&path, other.clone());
            assert_eq!((cache.len(), problem), (1, None));
            assert!(cache.get("https://ok.example/", now).is_none(), "{other:?}");
        }
        let (cache, _) = Cache::load(&path, binding());
        assert!(cache.get("https://ok.example/", now).is_some());

        // An edited entry (another address, another verdict, a later expiry) is not used.
        let text = std::fs::read_to_string(&path).unwrap();
        for (from, to) in [
            ("https://ok.example/", "https://gone.example/"),
            ("\"expires_at\": ", "\"expires_at\": 9"),
        ] {
            std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
            let (cache, problem) = Cache::load(&path, binding());
            assert_eq!(problem, None);
            assert!(cache.get("https://gone.example/", now).is_none());
            assert!(cache.get("https://ok.example/", now).is_none());
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_cache_behind_a_symbolic_link_is_outside_the_repository() {
        let repo = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let path = repo.path().join(".guidepress/links-cache.json");
        assert_eq!(check_inside(repo.path(), &path), Ok(()), "not made yet");
        std::fs::create_dir(repo.path().join(".guidepress")).unwrap();
        assert_eq!(check_inside(repo.path(), &path), Ok(()));
        std::os::unix::fs::symlink(elsewhere.path().join("c.json"), &path).unwrap();
        let problem = check_inside(repo.path(), &path).unwrap_err();
        assert!(
            problem
                .to_string()
                .contains("`.guidepress/links-cache.json` is a symbolic link to `"),
            "{problem}"
        );
        std::fs::remove_file(&path).unwrap();
        std::fs::remove_dir(repo.path().join(".guidepress")).unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), repo.path().join(".guidepress")).unwrap();
        let problem = check_inside(repo.path(), &path).unwrap_err();
        assert!(
            problem.to_string().starts_with(&format!(
                "the link cache was not used: `.guidepress` is a symbolic link to `{}`",
                elsewhere.path().display()
            )),
            "{problem}"
        );
        let climbing = repo.path().join("../x/links-cache.json");
        assert!(check_inside(repo.path(), &climbing).is_err());
    }

    #[test]
    fn hmac_matches_the_rfc_4231_vector() {
        // RFC 4231, test case 2.
        assert_eq!(
            hex(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
