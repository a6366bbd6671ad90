//! The data folder: which releases it holds, which one a guide is checked
//! against, each snapshot read at most once and only when a guide needs it.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use super::{DataConfig, DataError, RangeBasis, Release, Snapshot, config::DEFAULT_DIR};

/// A release and its snapshot, read on first use (a failure is kept too).
type Slot = (Release, OnceLock<Result<Arc<Snapshot>, DataError>>);

/// Where the snapshots come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataOrigin {
    /// A folder of the repository (`[data] dir`, or `data/oews` when it exists).
    Folder(PathBuf),
    /// The snapshots embedded in the binary ([`crate::builtin`]), used when
    /// `[data] dir` is not set and the repository has no `data/oews`.
    BuiltIn,
}

/// The releases of the data folder (or of the binary), loaded lazily.
#[derive(Debug)]
pub struct DataStore {
    /// The folder as shown in messages (relative to the working directory
    /// when possible); `data/oews (built in)` for the embedded snapshots.
    pub display_dir: PathBuf,
    /// Where the snapshots come from.
    pub origin: DataOrigin,
    releases: Vec<Slot>,
    default: usize,
    /// What `facts.salary_range` stands for.
    pub basis: RangeBasis,
}

/// The releases among file names (`2025A01.csv`), sorted.
fn releases_of<'a>(names: impl Iterator<Item = &'a str>) -> Vec<Release> {
    let mut releases: Vec<Release> = names
        .filter_map(|name| name.strip_suffix(".csv"))
        .filter_map(Release::parse)
        .collect();
    releases.sort();
    releases.dedup();
    releases
}

impl DataStore {
    /// The store `config` describes, relative to `root` (the configuration's
    /// folder); paths in messages are relative to `cwd`. `Ok(None)` when data
    /// checks are off. When no folder is configured and the default one
    /// (`data/oews`) does not exist, the snapshots built into the binary are
    /// used. Lists the folder; reads no snapshot.
    pub fn open(config: &DataConfig, root: &Path, cwd: &Path) -> Result<Option<Self>, DataError> {
        if !config.enabled {
            return Ok(None);
        }
        let configured = config.dir.is_some();
        let dir = root.join(config.dir.as_deref().unwrap_or(Path::new(DEFAULT_DIR)));
        let display_dir = dir
            .strip_prefix(cwd)
            .map_or_else(|_| dir.clone(), Path::to_path_buf);
        let (origin, display_dir, names) = if !configured && !dir.is_dir() {
            let names = releases_of(crate::builtin::files_in(DEFAULT_DIR).into_iter());
            if names.is_empty() {
                // A binary built without `data/` (nothing to embed).
                return Ok(None);
            }
            let shown = PathBuf::from(format!("{DEFAULT_DIR} ({})", crate::builtin::ORIGIN));
            (DataOrigin::BuiltIn, shown, names)
        } else {
            let entries = std::fs::read_dir(&dir).map_err(|e| DataError::Io {
                path: display_dir.clone(),
                message: e.to_string(),
            })?;
            let files: Vec<String> = entries
                .flatten()
                .filter_map(|entry| entry.file_name().to_str().map(str::to_owned))
                .collect();
            let names = releases_of(files.iter().map(String::as_str));
            (DataOrigin::Folder(dir), display_dir, names)
        };
        if names.is_empty() {
            return Err(DataError::NoSnapshot(display_dir));
        }
        let mut store = DataStore {
            display_dir,
            origin,
            releases: names.into_iter().map(|r| (r, OnceLock::new())).collect(),
            default: 0,
            basis: config.salary_range,
        };
        store.default = if config.release == "latest" {
            store.releases.len() - 1
        } else {
            store.position(&config.release)?
        };
        Ok(Some(store))
    }

    /// Which data is in effect and where it comes from, for `check -v` and
    /// `config --show`: `BLS OEWS May 2025 (2025A01) from data/oews/2025A01.csv
    /// (built in); releases held: 2024A01, 2025A01`.
    pub fn describe(&self) -> String {
        let default = self.default_release();
        format!(
            "BLS OEWS {} ({default}) from {}; releases held: {}",
            default.label(),
            self.snapshot_location(default),
            self.releases()
                .map(Release::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        )
    }

    /// Where release `release`'s snapshot is: its file, or `data/oews/<release>.csv (built in)`.
    pub fn snapshot_location(&self, release: &Release) -> String {
        match &self.origin {
            DataOrigin::Folder(_) => self
                .display_dir
                .join(format!("{release}.csv"))
                .display()
                .to_string(),
            DataOrigin::BuiltIn => {
                format!("{DEFAULT_DIR}/{release}.csv ({})", crate::builtin::ORIGIN)
            }
        }
    }

    fn position(&self, asked: &str) -> Result<usize, DataError> {
        self.releases
            .iter()
            .position(|(r, _)| r.as_str() == asked)
            .ok_or_else(|| DataError::UnknownRelease {
                asked: asked.to_owned(),
                dir: self.display_dir.clone(),
                available: self
                    .releases
                    .iter()
                    .map(|(r, _)| r.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// The releases held, oldest first.
    pub fn releases(&self) -> impl Iterator<Item = &Release> {
        self.releases.iter().map(|(r, _)| r)
    }

    /// The release guides use unless they pin one.
    pub fn default_release(&self) -> &Release {
        &self.releases[self.default].0
    }

    /// The snapshot of release `pinned` (or the default), read on first use.
    pub fn snapshot(&self, pinned: Option<&str>) -> Result<Arc<Snapshot>, DataError> {
        let index = match pinned {
            Some(asked) => self.position(asked)?,
            None => self.default,
        };
        let (release, cell) = &self.releases[index];
        cell.get_or_init(|| {
            let file = format!("{release}.csv");
            match &self.origin {
                DataOrigin::Folder(dir) => Snapshot::read(
                    release.clone(),
                    &dir.join(&file),
                    &self.display_dir.join(&file),
                ),
                DataOrigin::BuiltIn => {
                    let path = format!("{DEFAULT_DIR}/{file}");
                    let display = super::built_in_display(&path);
                    let text =
                        super::snapshot_text(super::SnapshotSource::BuiltIn(&path), &display)?;
                    Snapshot::parse(release.clone(), &display, text).map(|mut snapshot| {
                        snapshot.built_in = true;
                        snapshot
                    })
                }
            }
            .map(Arc::new)
        })
        .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_releases_serve_a_repository_without_a_data_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let store = DataStore::open(&DataConfig::default(), root, root)
            .unwrap()
            .unwrap();
        assert_eq!(store.origin, DataOrigin::BuiltIn);
        assert!(store.releases().any(|r| r.as_str() == "2025A01"));
        assert!(
            store
                .describe()
                .contains("data/oews/2025A01.csv (built in)")
        );
        let snapshot = store.snapshot(Some("2025A01")).unwrap();
        assert!(snapshot.built_in);
        let nurses = snapshot.occupation("29-1141").unwrap().unwrap();
        assert_eq!(nurses.title, "Registered Nurses");

        // A folder of the repository replaces them, all of them.
        let folder = root.join(DEFAULT_DIR);
        std::fs::create_dir_all(&folder).unwrap();
        let text = crate::builtin::read("data/oews/2025A01.csv").unwrap();
        let head: Vec<&[u8]> = text.split(|b| *b == b'\n').take(3).collect();
        std::fs::write(folder.join("2019A01.csv"), head.join(&b'\n')).unwrap();
        let store = DataStore::open(&DataConfig::default(), root, root)
            .unwrap()
            .unwrap();
        assert_eq!(store.origin, DataOrigin::Folder(folder.clone()));
        assert_eq!(
            store.releases().map(Release::as_str).collect::<Vec<_>>(),
            ["2019A01"]
        );
        assert!(!store.snapshot(None).unwrap().built_in);
        assert!(matches!(
            store.snapshot(Some("2025A01")),
            Err(DataError::UnknownRelease { .. })
        ));

        // A configured folder must exist.
        let config = DataConfig {
            dir: Some("elsewhere".into()),
            ..DataConfig::default()
        };
        assert!(matches!(
            DataStore::open(&config, root, root),
            Err(DataError::Io { .. })
        ));
    }
}
