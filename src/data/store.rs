//! The data folder: which releases it holds, which one a guide is checked
//! against, each snapshot read at most once and only when a guide needs it.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use super::{DataConfig, DataError, RangeBasis, Release, Snapshot, config::DEFAULT_DIR};

/// A release and its snapshot, read on first use (a failure is kept too).
type Slot = (Release, OnceLock<Result<Arc<Snapshot>, DataError>>);

/// The releases of the data folder, loaded lazily.
#[derive(Debug)]
pub struct DataStore {
    /// The folder as shown in messages (relative to the working directory when possible).
    pub display_dir: PathBuf,
    dir: PathBuf,
    releases: Vec<Slot>,
    default: usize,
    /// What `facts.salary_range` stands for.
    pub basis: RangeBasis,
}

impl DataStore {
    /// The store `config` describes, relative to `root` (the configuration's
    /// folder); paths in messages are relative to `cwd`. `Ok(None)` when data
    /// checks are off, or when no folder is configured and the default one
    /// does not exist. Lists the folder; reads no snapshot.
    pub fn open(config: &DataConfig, root: &Path, cwd: &Path) -> Result<Option<Self>, DataError> {
        if !config.enabled {
            return Ok(None);
        }
        let configured = config.dir.is_some();
        let dir = root.join(config.dir.as_deref().unwrap_or(Path::new(DEFAULT_DIR)));
        let display_dir = dir
            .strip_prefix(cwd)
            .map_or_else(|_| dir.clone(), Path::to_path_buf);
        if !configured && !dir.is_dir() {
            return Ok(None);
        }
        let mut names = Vec::new();
        let entries = std::fs::read_dir(&dir).map_err(|e| DataError::Io {
            path: display_dir.clone(),
            message: e.to_string(),
        })?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().and_then(|e| e.to_str()) != Some("csv") {
                continue;
            }
            if let Some(release) = path
                .file_stem()
                .and_then(|s| s.to_str())
                .and_then(Release::parse)
            {
                names.push(release);
            }
        }
        names.sort();
        if names.is_empty() {
            return Err(DataError::NoSnapshot(display_dir));
        }
        let mut store = DataStore {
            display_dir,
            dir,
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
            Snapshot::read(
                release.clone(),
                &self.dir.join(&file),
                &self.display_dir.join(&file),
            )
            .map(Arc::new)
        })
        .clone()
    }
}
