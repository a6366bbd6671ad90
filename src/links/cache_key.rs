//! Where the command line's link cache key comes from.
//!
//! 1. `GUIDEPRESS_LINKS_CACHE_KEY`, when set and not blank: in CI, fill it
//!    from a repository secret, so that a cache restored between runs is
//!    used, while a cache written without the secret (a hand-written file in
//!    a pull request, a fork's run) is not.
//! 2. Otherwise a key of this user, kept outside the repository in
//!    `$XDG_CACHE_HOME/guidepress/links-cache.key` (or
//!    `~/.cache/guidepress/…`), made on first use (32 random bytes, mode 0600).
//! 3. When neither can be had, a key for this run only: the cache is
//!    written but no entry of it will be used by another run.

use std::io::{Read, Write};
use std::path::PathBuf;

use super::cache::CacheKey;

/// The variable holding a cache key shared between runs (CI).
pub const ENV: &str = "GUIDEPRESS_LINKS_CACHE_KEY";

/// The key for this run (see the module documentation).
pub fn for_this_run() -> CacheKey {
    if let Ok(value) = std::env::var(ENV) {
        if !value.trim().is_empty() {
            return CacheKey::new(value.trim().as_bytes());
        }
    }
    user_key_path()
        .and_then(|path| read_or_make(&path))
        .map_or_else(|| CacheKey::new(random_bytes()), CacheKey::new)
}

fn user_key_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|home| PathBuf::from(home).join(".cache"))
        })?;
    Some(base.join("guidepress").join("links-cache.key"))
}

/// The key in `path`, made first if there is none; `None` when it cannot be
/// read or made, or is not a regular file of a sensible size.
fn read_or_make(path: &std::path::Path) -> Option<Vec<u8>> {
    for _ in 0..3 {
        if let Some(key) = read_key(path) {
            return Some(key);
        }
        std::fs::create_dir_all(path.parent()?).ok()?;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(path) {
            Ok(mut file) => {
                let key = hex(&random_bytes());
                file.write_all(key.as_bytes()).ok()?;
                file.sync_all().ok()?;
                return Some(key.into_bytes());
            }
            // Another run is making it: read what it wrote.
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(_) => return None,
        }
    }
    None
}

fn read_key(path: &std::path::Path) -> Option<Vec<u8>> {
    let key = crate::fsio::read_regular_nofollow(path, 1024).ok()?;
    (key.len() >= 32).then_some(key)
}

/// 32 bytes from the operating system's random source.
fn random_bytes() -> Vec<u8> {
    let mut bytes = vec![0u8; 32];
    let from_os = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes));
    if from_os.is_err() {
        // Elsewhere: the standard library's per-process random hash keys.
        use std::hash::{BuildHasher, Hasher};
        for chunk in bytes.chunks_mut(8) {
            let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
            hasher.write_u128(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos()),
            );
            chunk.copy_from_slice(&hasher.finish().to_le_bytes()[..chunk.len()]);
        }
    }
    bytes
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
