//! Official data: the U.S. Bureau of Labor Statistics' Occupational Employment
//! and Wage Statistics (OEWS), kept as snapshots in the repository
//! (`data/oews/<release>.csv`) and checked against by the `GP6xx` rules.
//!
//! - [`release`]: release names (`2025A01`, "May 2025");
//! - [`figure`]: one published value and BLS's special values (`*`, `**`, `#`);
//! - [`table`]: the snapshot's CSV layout, read and written;
//! - [`snapshot`]: one release, read once, its occupations parsed on demand;
//! - [`store`]: the releases in the data folder (or built into the binary,
//!   see [`crate::builtin`]) and which one a guide uses (`[data]` in
//!   guidepress.toml, see [`config`]);
//! - [`import`]: BLS's own downloads (XLSX or CSV) turned into a snapshot,
//!   workbooks read within the bounds of [`sheet`];
//! - [`show`]: what `guidepress data show` prints;
//! - [`projections`]: BLS's Employment Projections (`data/ep/<release>.csv`),
//!   the outlook rules' data.

pub mod config;
pub mod figure;
pub mod import;
pub mod projections;
pub mod release;
pub mod sheet;
pub mod show;
pub mod snapshot;
pub mod store;
pub mod table;

pub use config::{DataConfig, RangeBasis};
pub use figure::Figure;
pub use release::Release;
pub use snapshot::{Estimates, Occupation, Snapshot};
pub use store::{DataOrigin, DataStore};

use std::path::{Path, PathBuf};

/// Why official data could not be used. Cloneable: a snapshot that failed to
/// load is remembered and the same error reported for every guide.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DataError {
    /// A file or folder could not be read.
    #[error("cannot read {path}: {message}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The I/O error.
        message: String,
    },
    /// The configured data folder holds no snapshot.
    #[error(
        "no OEWS snapshot (`<release>.csv`, e.g. `2025A01.csv`) in {0}; `guidepress data import` makes one"
    )]
    NoSnapshot(PathBuf),
    /// A release was asked for that the data folder does not hold.
    #[error("release `{asked}` is not in {dir} (it holds {available})")]
    UnknownRelease {
        /// The release asked for.
        asked: String,
        /// The data folder.
        dir: PathBuf,
        /// The releases it holds, comma-separated.
        available: String,
    },
    /// A snapshot's header lacks a column.
    #[error("{path}: the header lacks the column{} {}", if .missing.len() == 1 { "" } else { "s" }, .missing.join(", "))]
    Columns {
        /// The snapshot.
        path: PathBuf,
        /// The missing columns.
        missing: Vec<String>,
    },
    /// A snapshot row could not be read.
    #[error("{path}:{line}: {message}")]
    Row {
        /// The snapshot.
        path: PathBuf,
        /// Its 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// Where a snapshot's text is read from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum SnapshotSource<'a> {
    /// A file of the repository, read up to this many bytes.
    File(&'a Path, u64),
    /// The copy built into the binary at this repository path
    /// (`data/oews/2025A01.csv`).
    BuiltIn(&'a str),
}

/// The text of a snapshot; errors name it as `display`.
pub(crate) fn snapshot_text(
    source: SnapshotSource<'_>,
    display: &Path,
) -> Result<String, DataError> {
    let io = |message: String| DataError::Io {
        path: display.to_owned(),
        message,
    };
    let bytes = match source {
        SnapshotSource::File(path, limit) => {
            crate::fsio::read_regular(path, limit).map_err(|e| io(e.to_string()))?
        }
        SnapshotSource::BuiltIn(path) => {
            crate::builtin::read(path).ok_or_else(|| io("not embedded in this binary".into()))?
        }
    };
    String::from_utf8(bytes).map_err(|e| io(format!("not UTF-8 text ({e})")))
}

/// How a snapshot built into the binary is named in messages:
/// `built in data/oews/2025A01.csv`.
pub(crate) fn built_in_display(path: &str) -> PathBuf {
    PathBuf::from(format!("{} {path}", crate::builtin::ORIGIN))
}
