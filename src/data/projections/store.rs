//! The EP snapshots of the data folder (`data/ep/<release>.csv`): which
//! releases it holds, each read at most once and only when a guide needs it,
//! and the outlook of a group of occupations as the Occupational Outlook
//! Handbook adds them up ([`Outlook`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use super::table::{COLUMNS, Projection, Tenths};
use super::{DEFAULT_DIR, EpRelease};
use crate::data::{DataConfig, DataError};

/// The largest EP snapshot read (2024–34's is 0.1 MB).
const MAX_SNAPSHOT_BYTES: u64 = 64 << 20;

/// One EP release, read whole (about a thousand rows).
#[derive(Debug)]
pub struct ProjectionsSnapshot {
    /// Its release.
    pub release: EpRelease,
    /// The file, as shown in messages.
    pub path: PathBuf,
    rows: Vec<Projection>,
    index: HashMap<String, usize>,
}

impl ProjectionsSnapshot {
    /// Reads the snapshot of `release` from `path` (shown as `display`).
    pub fn read(release: EpRelease, path: &Path, display: &Path) -> Result<Self, DataError> {
        let source = crate::data::SnapshotSource::File(path, MAX_SNAPSHOT_BYTES);
        let text = crate::data::snapshot_text(source, display)?;
        Self::parse(release, display, &text)
    }

    /// Reads a snapshot's text; `Err` names the line that cannot be read.
    pub fn parse(release: EpRelease, display: &Path, text: &str) -> Result<Self, DataError> {
        let row_error = |line: usize, message: String| DataError::Row {
            path: display.to_owned(),
            line,
            message,
        };
        let mut lines = text.lines();
        let header =
            crate::data::table::split(lines.next().unwrap_or("")).map_err(|m| row_error(1, m))?;
        let mut positions = [0usize; 12];
        let mut missing = Vec::new();
        for (slot, name) in positions.iter_mut().zip(COLUMNS) {
            match header
                .iter()
                .position(|h| h.trim().trim_start_matches('\u{feff}') == name)
            {
                Some(at) => *slot = at,
                None => missing.push(name.to_owned()),
            }
        }
        if !missing.is_empty() {
            return Err(DataError::Columns {
                path: display.to_owned(),
                missing,
            });
        }
        let mut rows = Vec::new();
        let mut index = HashMap::new();
        for (n, line) in lines.enumerate() {
            let number = n + 2;
            if line.trim().is_empty() {
                continue;
            }
            let fields = crate::data::table::split(line).map_err(|m| row_error(number, m))?;
            let ordered: Vec<&str> = positions
                .iter()
                .map(|&at| fields.get(at).map_or("", |f| f.as_ref()))
                .collect();
            let row = Projection::parse(&ordered, number).map_err(|m| row_error(number, m))?;
            index.entry(row.code.clone()).or_insert(rows.len());
            rows.push(row);
        }
        Ok(ProjectionsSnapshot {
            release,
            path: display.to_owned(),
            rows,
            index,
        })
    }

    /// The row of occupation `code`.
    pub fn get(&self, code: &str) -> Option<&Projection> {
        self.index.get(code).map(|&at| &self.rows[at])
    }

    /// Every row, in the table's order.
    pub fn rows(&self) -> &[Projection] {
        &self.rows
    }

    /// The outlook of the occupations `codes` together; `Err` lists the codes
    /// the release has no figures for.
    pub fn outlook(&self, codes: &[&str]) -> Result<Outlook<'_>, Vec<String>> {
        let mut members = Vec::new();
        let mut missing = Vec::new();
        for code in codes {
            match self.get(code) {
                Some(row)
                    if row.employment_base.is_some()
                        && row.employment_target.is_some()
                        && row.openings.is_some() =>
                {
                    if !members.iter().any(|m: &&Projection| m.code == row.code) {
                        members.push(row);
                    }
                }
                _ => missing.push((*code).to_owned()),
            }
        }
        if !missing.is_empty() || members.is_empty() {
            return Err(missing);
        }
        Ok(Outlook {
            snapshot: self,
            members,
        })
    }
}

/// The projections of one occupation, or of a group of them added up as the
/// Occupational Outlook Handbook does (employment and openings summed, the
/// change computed from the sums).
#[derive(Debug, Clone)]
pub struct Outlook<'a> {
    /// The release's snapshot.
    pub snapshot: &'a ProjectionsSnapshot,
    /// The occupations, in the order the guide names them.
    pub members: Vec<&'a Projection>,
}

impl Outlook<'_> {
    /// `BLS Employment Projections 2024–34`.
    pub fn source(&self) -> String {
        format!(
            "BLS Employment Projections {}",
            self.snapshot.release.label()
        )
    }

    /// `Software developers (15-1252)`, or for a group `Software developers
    /// and software quality assurance analysts and testers (15-1252, 15-1253)`.
    pub fn occupations_text(&self) -> String {
        let titles: Vec<String> = self
            .members
            .iter()
            .enumerate()
            .map(|(i, m)| {
                if i == 0 {
                    m.title.clone()
                } else {
                    lower_first(&m.title)
                }
            })
            .collect();
        let joined = match titles.as_slice() {
            [one] => one.clone(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
            [] => String::new(),
        };
        let codes: Vec<&str> = self.members.iter().map(|m| m.code.as_str()).collect();
        format!("{joined} ({})", codes.join(", "))
    }

    /// Employment in the base year, thousands.
    pub fn employment_base(&self) -> Tenths {
        Tenths(
            self.members
                .iter()
                .filter_map(|m| m.employment_base)
                .map(|t| t.0)
                .sum(),
        )
    }

    /// Employment projected for the target year, thousands.
    pub fn employment_target(&self) -> Tenths {
        Tenths(
            self.members
                .iter()
                .filter_map(|m| m.employment_target)
                .map(|t| t.0)
                .sum(),
        )
    }

    /// Openings a year, thousands.
    pub fn openings(&self) -> Tenths {
        Tenths(
            self.members
                .iter()
                .filter_map(|m| m.openings)
                .map(|t| t.0)
                .sum(),
        )
    }

    /// The change over the decade in percent, and how far from it a figure
    /// may be and still be BLS's: one occupation's is BLS's own (rounded to
    /// a tenth, ±0.05); a group's is computed from the summed employment.
    pub fn change_pct(&self) -> (f64, f64) {
        if let [one] = self.members.as_slice() {
            if let Some(pct) = one.change_pct {
                return (pct.as_f64(), 0.05);
            }
        }
        let base = self.employment_base().0 as f64;
        let target = self.employment_target().0 as f64;
        if base == 0.0 {
            return (0.0, 0.0);
        }
        ((target - base) / base * 100.0, 0.0)
    }

    /// The typical education needed for entry, each distinct one once.
    pub fn education(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for member in &self.members {
            if let Some(education) = member.education.as_deref() {
                if !out.contains(&education) {
                    out.push(education);
                }
            }
        }
        out
    }

    /// Where the figures are: `data/ep/2024-34.csv:110, 111`.
    pub fn rows_text(&self) -> String {
        let lines: Vec<String> = self.members.iter().map(|m| m.line.to_string()).collect();
        format!("{}:{}", self.snapshot.path.display(), lines.join(", "))
    }
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A release and its snapshot, read on first use (a failure is kept too).
type Slot = (
    EpRelease,
    OnceLock<Result<Arc<ProjectionsSnapshot>, DataError>>,
);

/// The EP releases of the projections folder, loaded lazily.
#[derive(Debug)]
pub struct ProjectionStore {
    /// The folder as shown in messages.
    pub display_dir: PathBuf,
    /// The folder read; `None` for the releases built into the binary.
    dir: Option<PathBuf>,
    releases: Vec<Slot>,
}

impl ProjectionStore {
    /// The store of `[data] projections_dir` (default `data/ep`), relative to
    /// `root`. `Ok(None)` when data checks are off. When no folder is
    /// configured and the default one does not exist, the releases built
    /// into the binary are used (as the OEWS store does). Lists the folder;
    /// reads no snapshot.
    pub fn open(config: &DataConfig, root: &Path, cwd: &Path) -> Result<Option<Self>, DataError> {
        if !config.enabled {
            return Ok(None);
        }
        let configured = config.projections_dir.is_some();
        let dir = root.join(
            config
                .projections_dir
                .as_deref()
                .unwrap_or(Path::new(DEFAULT_DIR)),
        );
        let display_dir = dir
            .strip_prefix(cwd)
            .map_or_else(|_| dir.clone(), Path::to_path_buf);
        if !configured && !dir.is_dir() {
            let mut names: Vec<EpRelease> = crate::builtin::files_in(DEFAULT_DIR)
                .into_iter()
                .filter_map(|file| {
                    let stem = file.strip_suffix(".csv")?;
                    EpRelease::parse(stem).filter(|r| r.as_str() == stem)
                })
                .collect();
            names.sort();
            if names.is_empty() {
                // A binary built without `data/ep` (nothing to embed).
                return Ok(None);
            }
            return Ok(Some(ProjectionStore {
                display_dir: PathBuf::from(format!("{DEFAULT_DIR} ({})", crate::builtin::ORIGIN)),
                dir: None,
                releases: names.into_iter().map(|r| (r, OnceLock::new())).collect(),
            }));
        }
        let entries = std::fs::read_dir(&dir).map_err(|e| DataError::Io {
            path: display_dir.clone(),
            message: e.to_string(),
        })?;
        let mut names: Vec<EpRelease> = entries
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.extension().and_then(|e| e.to_str()) == Some("csv"))
            .filter_map(|path| {
                let stem = path.file_stem()?.to_str()?.to_owned();
                EpRelease::parse(&stem).filter(|r| r.as_str() == stem)
            })
            .collect();
        names.sort();
        if names.is_empty() {
            return Err(DataError::Io {
                path: display_dir,
                message: "no Employment Projections snapshot (`<release>.csv`, e.g. `2024-34.csv`); `guidepress data import occupation.xlsx` makes one".into(),
            });
        }
        Ok(Some(ProjectionStore {
            display_dir,
            dir: Some(dir),
            releases: names.into_iter().map(|r| (r, OnceLock::new())).collect(),
        }))
    }

    /// Which projections are in effect and where they come from, for `check
    /// -v` and `config --show`: `BLS Employment Projections 2024-34 from
    /// data/ep/2024-34.csv (built in)`.
    pub fn describe(&self) -> String {
        let latest = self.latest();
        let location = match &self.dir {
            Some(_) => self
                .display_dir
                .join(format!("{latest}.csv"))
                .display()
                .to_string(),
            None => format!("{DEFAULT_DIR}/{latest}.csv ({})", crate::builtin::ORIGIN),
        };
        format!("BLS Employment Projections {latest} from {location}")
    }

    /// The releases held, oldest first.
    pub fn releases(&self) -> impl Iterator<Item = &EpRelease> {
        self.releases.iter().map(|(r, _)| r)
    }

    /// The newest release, which guides are checked against.
    pub fn latest(&self) -> &EpRelease {
        &self.releases[self.releases.len() - 1].0
    }

    /// The snapshot of the newest release, read on first use.
    pub fn snapshot(&self) -> Result<Arc<ProjectionsSnapshot>, DataError> {
        let (release, cell) = &self.releases[self.releases.len() - 1];
        cell.get_or_init(|| {
            let file = format!("{release}.csv");
            let Some(dir) = &self.dir else {
                let path = format!("{DEFAULT_DIR}/{file}");
                let display = crate::data::built_in_display(&path);
                let text = crate::data::snapshot_text(
                    crate::data::SnapshotSource::BuiltIn(&path),
                    &display,
                )?;
                return ProjectionsSnapshot::parse(release.clone(), &display, &text).map(Arc::new);
            };
            ProjectionsSnapshot::read(
                release.clone(),
                &dir.join(&file),
                &self.display_dir.join(&file),
            )
            .map(Arc::new)
        })
        .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "OCC_CODE,OCC_TITLE,OCC_TYPE,EMP_BASE,EMP_TARGET,EMP_CHANGE,EMP_CHANGE_PCT,OPENINGS,A_MEDIAN,EDUCATION,EXPERIENCE,TRAINING\n\
15-1252,Software developers,Line item,1693.8,1961.4,267.7,15.8,115.2,133080,Bachelor's degree,None,None\n\
15-1253,Software quality assurance analysts and testers,Line item,201.7,221.9,20.2,10.0,14.0,102610,Bachelor's degree,None,None\n";

    #[test]
    fn a_group_is_summed_as_the_handbook_does() {
        let snapshot = ProjectionsSnapshot::parse(
            EpRelease::parse("2024-34").unwrap(),
            Path::new("data/ep/2024-34.csv"),
            TEXT,
        )
        .unwrap();
        let one = snapshot.outlook(&["15-1252"]).unwrap();
        assert_eq!(one.change_pct(), (15.8, 0.05));
        assert_eq!(one.openings().people(), 115_200);
        let group = snapshot.outlook(&["15-1252", "15-1253"]).unwrap();
        let (pct, _) = group.change_pct();
        assert!((pct - 15.183).abs() < 0.001, "{pct}");
        assert_eq!(group.openings().people(), 129_200);
        assert_eq!(group.employment_base(), Tenths(18955));
        assert_eq!(group.education(), ["Bachelor's degree"]);
        assert_eq!(
            group.occupations_text(),
            "Software developers and software quality assurance analysts and testers (15-1252, 15-1253)"
        );
        assert_eq!(group.rows_text(), "data/ep/2024-34.csv:2, 3");
        assert_eq!(
            snapshot.outlook(&["15-1252", "15-1299"]).unwrap_err(),
            ["15-1299"]
        );
    }
}
