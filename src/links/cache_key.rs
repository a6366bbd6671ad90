//! Where the command line's link cache key comes from.
//!
//! 1. `GUIDEPRESS_LINKS_CACHE_KEY`, when set and not blank: in CI, fill it
//!    from a repository secret, so that a cache restored between runs is
//!    used, while a cache written without the secret (a hand-written file in
//!    a pull request, a fork's run) is not.
//! 2. Otherwise a key of this user, kept outside the repository in
//!    `$XDG_CACHE_HOME/guidepress/links-cache.key` (or
//!    `~/.cache/guidepress/…`), made on first use (32 random bytes, mode 0600).
//!    A key file that other users can read (group or other permission bits
//!    set) is not used: whoever can read it can seal entries of their own.
//!    The run says so (a `GP407` warning) and goes on as in 3.
//! 3. When neither can be had, a key for this run only: the cache is
//!    written but no entry of it will be used by another run.

use std::io::{Read, Write};
use std::path::PathBuf;

use super::cache::{CacheKey, CacheProblem};

/// The variable holding a cache key shared between runs (CI).
pub const ENV: &str = "GUIDEPRESS_LINKS_CACHE_KEY";

/// The key for this run (see the module documentation), and the problem
/// with the user's key file when it was not used.
pub fn for_this_run() -> (CacheKey, Option<CacheProblem>) {
    if let Ok(value) = std::env::var(ENV) {
        if !value.trim().is_empty() {
            return (CacheKey::new(value.trim().as_bytes()), None);
        }
    }
    let Some(path) = user_key_path() else {
        return (CacheKey::new(random_bytes()), None);
    };
    match read_or_make(&path) {
        Ok(Some(key)) => (CacheKey::new(key), None),
        Ok(None) => (CacheKey::new(random_bytes()), None),
        Err(mode) => (
            CacheKey::new(random_bytes()),
            Some(CacheProblem::KeyNotPrivate { path, mode }),
        ),
    }
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
/// read or made, or is not a regular file of a sensible size; `Err` with its
/// permission bits when others may read it.
fn read_or_make(path: &std::path::Path) -> Result<Option<Vec<u8>>, u32> {
    for _ in 0..3 {
        if let Some(key) = read_key(path)? {
            return Ok(Some(key));
        }
        let Some(parent) = path.parent() else {
            return Ok(None);
        };
        if std::fs::create_dir_all(parent).is_err() {
            return Ok(None);
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(path) {
            Ok(mut file) => {
                let key = hex(&random_bytes());
                if file.write_all(key.as_bytes()).is_err() || file.sync_all().is_err() {
                    return Ok(None);
                }
                return Ok(Some(key.into_bytes()));
            }
            // Another run is making it: read what it wrote.
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(_) => return Ok(None),
        }
    }
    Ok(None)
}

/// The key in `path`: `Ok(None)` when there is none to use (missing, not a
/// regular file, too short), `Err` with its permission bits when group or
/// others may read it.
fn read_key(path: &std::path::Path) -> Result<Option<Vec<u8>>, u32> {
    let Ok(key) = crate::fsio::read_regular_nofollow(path, 1024) else {
        return Ok(None);
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::symlink_metadata(path) {
            let mode = meta.permissions().mode() & 0o7777;
            if mode & 0o077 != 0 {
                return Err(mode);
            }
        }
    }
    Ok((key.len() >= 32).then_some(key))
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

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_key_file_others_can_read_is_not_used() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("guidepress/links-cache.key");
        let made = read_or_make(&path).unwrap().expect("a key is made");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(read_or_make(&path), Ok(Some(made.clone())));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert_eq!(read_or_make(&path), Err(0o644));
        let problem = CacheProblem::KeyNotPrivate { path, mode: 0o644 };
        assert!(
            problem
                .to_string()
                .contains("can be read by other users (mode 0644); it was not used"),
            "{problem}"
        );
    }
}
