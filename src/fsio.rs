//! Reading and writing files safely: every read bounded and only from a
//! regular file, every write through a fresh temporary file and a rename.
//!
//! - [`read_regular`] opens without blocking (a FIFO never hangs the run),
//!   refuses anything but a regular file (FIFO, device, socket, folder), and
//!   stops after `limit` bytes (a file that grows while read is refused too).
//! - [`write_atomic`] creates the temporary file exclusively (`O_CREAT |
//!   O_EXCL`, so a symbolic link or file planted at its name is never
//!   followed or reused) with an unpredictable name of at most 54 bytes in
//!   the destination's folder, syncs it, then renames it over the destination. A symbolic link
//!   at the destination is replaced, followed or refused, as the caller says.
//! - [`append`] adds to an existing file without following a symbolic link,
//!   and creates a missing one with [`write_atomic`].

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Something other than a regular file is at the path.
    #[error("it is {kind}, not a regular file")]
    NotRegular {
        /// What it is ("a FIFO", "a device", ...).
        kind: &'static str,
    },
    /// The file is larger than the limit.
    #[error("it is larger than the limit of {limit} bytes")]
    TooLarge {
        /// The size, when known before reading.
        size: Option<u64>,
        /// The limit.
        limit: u64,
    },
    /// Opening or reading failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl ReadError {
    /// True when nothing is at the path.
    pub fn is_not_found(&self) -> bool {
        matches!(self, ReadError::Io(e) if e.kind() == std::io::ErrorKind::NotFound)
    }
}

/// What a file type is, in words, for messages.
pub fn describe(file_type: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "a device";
        }
    }
    if file_type.is_dir() {
        "a folder"
    } else if file_type.is_symlink() {
        "a symbolic link"
    } else if file_type.is_file() {
        "a regular file"
    } else {
        "not a regular file"
    }
}

fn open_for_reading(path: &Path, follow_links: bool) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Non-blocking: opening a FIFO with no writer would otherwise wait forever.
        let mut flags = libc::O_NONBLOCK;
        if !follow_links {
            flags |= libc::O_NOFOLLOW;
        }
        options.custom_flags(flags);
    }
    #[cfg(not(unix))]
    let _ = follow_links;
    options.open(path)
}

/// Reads the regular file at `path` (following symbolic links), at most
/// `limit` bytes; anything else at the path is an error, never a hang.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    read_checked(path, limit, true)
}

/// [`read_regular`], but a symbolic link at `path` itself is refused.
pub fn read_regular_nofollow(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    read_checked(path, limit, false)
}

fn read_checked(path: &Path, limit: u64, follow_links: bool) -> Result<Vec<u8>, ReadError> {
    // Refuse what is not a regular file before opening it where possible
    // (opening some devices has effects), then check the opened file too.
    let meta = if follow_links {
        std::fs::metadata(path)?
    } else {
        std::fs::symlink_metadata(path)?
    };
    if !meta.is_file() {
        return Err(ReadError::NotRegular {
            kind: describe(meta.file_type()),
        });
    }
    let file = open_for_reading(path, follow_links)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular {
            kind: describe(meta.file_type()),
        });
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            size: Some(meta.len()),
            limit,
        });
    }
    #[cfg(unix)]
    {
        // Back to blocking reads: a regular file never blocks anyway.
        use std::os::unix::io::AsRawFd;
        let fd = file.as_raw_fd();
        // SAFETY: fcntl on a descriptor this function owns, with valid flags.
        unsafe {
            let flags = libc::fcntl(fd, libc::F_GETFL);
            if flags >= 0 {
                libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK);
            }
        }
    }
    // Room for the whole file and the read that finds its end: one read
    // instead of a series of growing ones.
    let room = usize::try_from(meta.len().min(limit)).unwrap_or(0);
    read_bounded_into(file, limit, Vec::with_capacity(room.saturating_add(1)))
}

/// Reads at most `limit` bytes from `reader`; more is an error.
pub fn read_bounded(reader: impl Read, limit: u64) -> Result<Vec<u8>, ReadError> {
    read_bounded_into(reader, limit, Vec::new())
}

fn read_bounded_into(
    reader: impl Read,
    limit: u64,
    mut bytes: Vec<u8>,
) -> Result<Vec<u8>, ReadError> {
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { size: None, limit });
    }
    Ok(bytes)
}

/// What to do when the destination of a write is a symbolic link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymlinkPolicy<'a> {
    /// Replace the link with a regular file (the link's target is untouched).
    Replace,
    /// Write to the file the link points to, if it lies inside this folder;
    /// refuse otherwise. The link stays.
    FollowWithin(&'a Path),
}

/// Why a file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The destination is a symbolic link that may not be followed.
    #[error("{path} is a symbolic link to a file outside {within}; it was not written")]
    LinkOutside {
        /// The link.
        path: PathBuf,
        /// The folder writes must stay in.
        within: PathBuf,
    },
    /// The destination is not a regular file.
    #[error("{path} is {kind}; it was not written")]
    NotRegular {
        /// The destination.
        path: PathBuf,
        /// What it is.
        kind: &'static str,
    },
    /// Creating, writing or renaming failed.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The destination.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// The file a write to `path` really goes to, under `policy`.
pub fn destination(path: &Path, policy: SymlinkPolicy<'_>) -> Result<PathBuf, WriteError> {
    let io = |source| WriteError::Io {
        path: path.to_owned(),
        source,
    };
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(path.to_owned()),
        Err(error) => return Err(io(error)),
    };
    let file_type = meta.file_type();
    if file_type.is_symlink() {
        return match policy {
            SymlinkPolicy::Replace => Ok(path.to_owned()),
            SymlinkPolicy::FollowWithin(within) => {
                let target = std::fs::canonicalize(path).map_err(io)?;
                let within = std::fs::canonicalize(within).unwrap_or_else(|_| within.to_owned());
                if !target.starts_with(&within) {
                    return Err(WriteError::LinkOutside {
                        path: path.to_owned(),
                        within,
                    });
                }
                let meta = std::fs::metadata(&target).map_err(io)?;
                if !meta.is_file() {
                    return Err(WriteError::NotRegular {
                        path: path.to_owned(),
                        kind: describe(meta.file_type()),
                    });
                }
                Ok(target)
            }
        };
    }
    if !file_type.is_file() {
        return Err(WriteError::NotRegular {
            path: path.to_owned(),
            kind: describe(file_type),
        });
    }
    Ok(path.to_owned())
}

/// How much of the destination's name a temporary name keeps.
const TEMP_STEM_BYTES: usize = 32;

/// The longest temporary file name [`TempFile::new_in`] makes, in bytes.
pub const MAX_TEMP_NAME: usize = 1 + TEMP_STEM_BYTES + 1 + 16 + 4;

/// The first `max` bytes of `name` at most, cut at a character boundary.
fn name_start(name: &str, max: usize) -> &str {
    let mut end = name.len().min(max);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

/// A temporary file created exclusively beside the destination, removed
/// unless renamed into place.
pub struct TempFile {
    path: PathBuf,
    file: Option<File>,
}

impl TempFile {
    /// Creates a new empty file with an unpredictable name in `dir`:
    /// `.<start of stem>.<random>.tmp`, at most [`MAX_TEMP_NAME`] bytes
    /// whatever the stem's length, so a destination whose own name is near
    /// the file system's 255-byte limit still has a temporary file beside it.
    pub fn new_in(dir: &Path, stem: &str) -> std::io::Result<TempFile> {
        let mut last = None;
        let stem = name_start(stem, TEMP_STEM_BYTES);
        for _ in 0..16 {
            let name = format!(".{stem}.{:016x}.tmp", fastrand::u64(..));
            debug_assert!(name.len() <= MAX_TEMP_NAME);
            let path = dir.join(name);
            let mut options = OpenOptions::new();
            // create_new is O_CREAT|O_EXCL: never follows or reuses what is there.
            options.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.custom_flags(libc::O_NOFOLLOW);
            }
            match options.open(&path) {
                Ok(file) => {
                    return Ok(TempFile {
                        path,
                        file: Some(file),
                    });
                }
                Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
                    last = Some(error);
                }
                Err(error) => return Err(error),
            }
        }
        Err(last.unwrap_or_else(|| std::io::Error::other("no free temporary name")))
    }

    /// The temporary file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes all of `bytes` and syncs them to disk.
    pub fn write_synced(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let file = self
            .file
            .as_mut()
            .ok_or_else(|| std::io::Error::other("temporary file closed"))?;
        file.write_all(bytes)?;
        file.sync_all()
    }

    /// Writes all of `bytes` without syncing them: for files rebuilt at will
    /// (previews), where the rename alone gives readers all or nothing.
    pub fn write_unsynced(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.file
            .as_mut()
            .ok_or_else(|| std::io::Error::other("temporary file closed"))?
            .write_all(bytes)
    }

    /// Gives the temporary file the permissions of `like`, when it exists.
    pub fn copy_permissions(&self, like: &Path) -> std::io::Result<()> {
        match (std::fs::metadata(like), self.file.as_ref()) {
            (Ok(meta), Some(file)) => file.set_permissions(meta.permissions()),
            _ => Ok(()),
        }
    }

    /// Renames the temporary file to `destination` (same folder).
    pub fn persist(mut self, destination: &Path) -> std::io::Result<()> {
        self.file = None;
        std::fs::rename(&self.path, destination)?;
        self.path = PathBuf::new();
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.path.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

fn stem_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".to_owned())
}

fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Replaces the file at `path` with `bytes` atomically: a reader sees the old
/// content or the new, never a mix, and nothing but `path` (or, with
/// [`SymlinkPolicy::FollowWithin`], the link's target) is ever written.
pub fn write_atomic(
    path: &Path,
    bytes: &[u8],
    policy: SymlinkPolicy<'_>,
) -> Result<(), WriteError> {
    let target = destination(path, policy)?;
    let io = |source| WriteError::Io {
        path: path.to_owned(),
        source,
    };
    let mut temp = TempFile::new_in(folder_of(&target), &stem_of(&target)).map_err(io)?;
    temp.write_synced(bytes).map_err(io)?;
    temp.copy_permissions(&target).map_err(io)?;
    temp.persist(&target).map_err(io)
}

/// Appends `bytes` to the file at `path` (never through a symbolic link);
/// a missing file is created with [`write_atomic`].
pub fn append(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let io = |source| WriteError::Io {
        path: path.to_owned(),
        source,
    };
    let mut options = OpenOptions::new();
    options.append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    match options.open(path) {
        Ok(mut file) => {
            let meta = file.metadata().map_err(io)?;
            if !meta.is_file() {
                return Err(WriteError::NotRegular {
                    path: path.to_owned(),
                    kind: describe(meta.file_type()),
                });
            }
            file.write_all(bytes).map_err(io)?;
            file.flush().map_err(io)
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            write_atomic(path, bytes, SymlinkPolicy::Replace)
        }
        Err(error) => Err(io(error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_and_kinds() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, b"hello").unwrap();
        assert_eq!(read_regular(&path, 5).unwrap(), b"hello");
        assert!(matches!(
            read_regular(&path, 4),
            Err(ReadError::TooLarge { .. })
        ));
        assert!(matches!(
            read_regular(dir.path(), 4),
            Err(ReadError::NotRegular { kind: "a folder" })
        ));
        assert!(
            read_regular(&dir.path().join("missing"), 4)
                .unwrap_err()
                .is_not_found()
        );
        assert!(matches!(
            read_bounded(&b"abcdef"[..], 3),
            Err(ReadError::TooLarge { .. })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_replaced_or_followed_as_asked() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let victim = outside.path().join("victim");
        std::fs::write(&victim, b"keep").unwrap();
        let link = dir.path().join("out.json");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        // Followed only inside the folder: outside, refused.
        let refused = write_atomic(&link, b"new", SymlinkPolicy::FollowWithin(dir.path()));
        assert!(
            matches!(refused, Err(WriteError::LinkOutside { .. })),
            "{refused:?}"
        );
        assert_eq!(std::fs::read(&victim).unwrap(), b"keep");
        // Replaced: the link becomes a file, the target is untouched.
        write_atomic(&link, b"new", SymlinkPolicy::Replace).unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"keep");
        assert!(std::fs::symlink_metadata(&link).unwrap().is_file());
        // Inside the folder: written through, the link stays.
        let real = dir.path().join("real.yaml");
        std::fs::write(&real, b"old").unwrap();
        let inner = dir.path().join("inner.yaml");
        std::os::unix::fs::symlink(&real, &inner).unwrap();
        write_atomic(&inner, b"new", SymlinkPolicy::FollowWithin(dir.path())).unwrap();
        assert_eq!(std::fs::read(&real).unwrap(), b"new");
        assert!(
            std::fs::symlink_metadata(&inner)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        // No temporary file is left behind.
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(left.is_empty());
    }

    #[test]
    fn a_name_at_the_file_system_limit_has_a_temporary_name_that_fits() {
        let dir = tempfile::tempdir().unwrap();
        // 255 bytes: the longest name most file systems allow.
        let long = format!("{}.html", "a".repeat(250));
        let path = dir.path().join(&long);
        write_atomic(&path, b"page", SymlinkPolicy::Replace).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"page");
        // Multi-byte characters are cut at a boundary, never inside one.
        let wide = "é".repeat(100);
        let temp = TempFile::new_in(dir.path(), &wide).unwrap();
        let name = temp
            .path()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        assert!(name.len() <= MAX_TEMP_NAME, "{name}");
        assert!(name.starts_with(&format!(".{}.", "é".repeat(16))), "{name}");
    }

    #[cfg(unix)]
    #[test]
    fn append_never_follows_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, b"keep").unwrap();
        let link = dir.path().join("summary.md");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        assert!(append(&link, b"x").is_err());
        assert_eq!(std::fs::read(&victim).unwrap(), b"keep");
        let fresh = dir.path().join("fresh.md");
        append(&fresh, b"a").unwrap();
        append(&fresh, b"b").unwrap();
        assert_eq!(std::fs::read(&fresh).unwrap(), b"ab");
    }
}
