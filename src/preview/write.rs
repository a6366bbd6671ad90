//! Writing a page: a temporary file beside the target (see
//! [`crate::fsio::TempFile`]), then a rename, so the target holds either the
//! old page or the whole new one. A symbolic link at the page's name is
//! replaced, never followed; a folder or other non-file there is refused.

use std::path::Path;

use crate::fsio::{self, SymlinkPolicy, TempFile, WriteError};

/// Writes `bytes` to `path` atomically. Pages are rebuilt from the guides at
/// will, so the file is not synced to disk (2,000 syncs would dominate a run).
pub fn atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let target = fsio::destination(path, SymlinkPolicy::Replace)?;
    let io = |source| WriteError::Io {
        path: path.to_owned(),
        source,
    };
    let folder = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let stem = target
        .file_name()
        .map_or_else(|| "page".to_owned(), |n| n.to_string_lossy().into_owned());
    let mut temp = TempFile::new_in(folder, &stem).map_err(io)?;
    temp.write_unsynced(bytes).map_err(io)?;
    temp.persist(&target).map_err(io)
}
