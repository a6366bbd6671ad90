//! `guidepress data update`: a new BLS release in one change. Imports BLS's
//! downloads (OEWS tables, the Employment Projections workbook) into the
//! data folders, then runs the chained fix over every guide that follows the
//! latest release, and lists every figure it changed ([`table`]).
//!
//! ```text
//! files ─ import (data::import, data::projections::import) ─ data/oews/<r>.csv, data/ep/<r>.csv
//!   │ guides: those pinning `occupation.oews_release` are left alone (listed)
//!   │ pipeline::fix_until_stable, unsafe fixes of the data rules only:
//!   │   GP6xx (BLS's figures), then what follows them: GP301 percentages, GP315 prose
//!   ▼
//! UpdateReport: imports, changes (guide, fact, old, new, release), pinned, left to do
//! ```

pub mod table;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::codes;
use crate::config::LoadedConfig;
use crate::data::config::DEFAULT_DIR;
use crate::data::import::RowProblem;
use crate::data::projections::{self, EpRelease};
use crate::data::{self, Release};
use crate::diagnostic::{Diagnostic, Severity};
use crate::file_kind::FileKind;
use crate::pipeline::{self, Input, PipelineError, Stages};
use crate::rules::Date;
use crate::rules::config::Level;
use crate::workspace::{Workspace, WorkspaceError};

pub use table::Change;

/// Why an update could not be done.
#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    /// An OEWS import failed.
    #[error(transparent)]
    Import(#[from] data::import::ImportError),
    /// An Employment Projections import failed.
    #[error(transparent)]
    Projections(#[from] projections::import::ProjectionsImportError),
    /// A snapshot of the release exists with other figures.
    #[error(
        "{0} exists with other figures (BLS revises its files in place now and then); pass --force to replace it"
    )]
    Exists(PathBuf),
    /// More than one projections workbook.
    #[error("{0} Employment Projections workbooks given; update with one at a time")]
    SeveralProjections(usize),
    /// The `--release` given is not a release name.
    #[error("`--release {0}` is not a release name like 2025A01 (OEWS) or 2024-34 (projections)")]
    BadRelease(String),
    /// The rules could not be set up (a data folder unreadable, a bad setting).
    #[error(transparent)]
    Rules(#[from] crate::rules::RulesError),
    /// Listing or reading the guides failed.
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    /// Checking or writing the guides failed.
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
}

/// What to update with.
#[derive(Debug, Clone, Default)]
pub struct UpdateOptions {
    /// BLS's downloads.
    pub files: Vec<PathBuf>,
    /// The release, when the file names do not tell it.
    pub release: Option<String>,
    /// Replace a snapshot of the same release that holds other figures.
    pub force: bool,
}

/// Which data a snapshot is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataKind {
    /// OEWS wages and employment.
    Oews,
    /// Employment Projections.
    Projections,
}

/// One snapshot written (or found already there).
#[derive(Debug, Clone)]
pub struct ImportedRelease {
    /// OEWS or EP.
    pub kind: DataKind,
    /// `BLS OEWS May 2025 (2025A01)`.
    pub name: String,
    /// The snapshot, as shown.
    pub path: PathBuf,
    /// Rows written.
    pub rows: usize,
    /// False when the snapshot already held exactly these figures.
    pub written: bool,
    /// Rows of BLS's files that could not be read (left out).
    pub problems: Vec<RowProblem>,
}

/// A guide left alone because it pins a release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pinned {
    /// The guide, as shown.
    pub guide: PathBuf,
    /// The release it pins.
    pub release: String,
}

/// What an update did.
#[derive(Debug, Clone, Default)]
pub struct UpdateReport {
    /// The snapshots imported.
    pub imported: Vec<ImportedRelease>,
    /// Every figure changed, by guide and position in it.
    pub changes: Vec<Change>,
    /// The guides that pin a release, left alone.
    pub pinned: Vec<Pinned>,
    /// How many guides follow the latest release (and were brought up to date).
    pub following: usize,
    /// Findings the fixes could not resolve, with their guide (a person's to do).
    pub remaining: Vec<(PathBuf, Diagnostic)>,
}

/// The codes whose unsafe fixes an update applies: BLS's figures, and what
/// follows them.
pub fn update_codes() -> Vec<&'static str> {
    codes::RULE_CODES
        .iter()
        .map(|info| info.code)
        .filter(|code| {
            code.starts_with("GP6")
                || *code == codes::SALARY_VS_NATIONAL
                || *code == codes::PROSE_FIGURE_MISMATCH
        })
        .collect()
}

fn data_dir(config: &LoadedConfig, set: Option<&Path>, default: &str) -> PathBuf {
    config.root.join(set.unwrap_or(Path::new(default)))
}

fn shown(path: &Path, cwd: &Path) -> PathBuf {
    path.strip_prefix(cwd).unwrap_or(path).to_path_buf()
}

/// Writes `text` to `path` unless it already holds it; `Ok(false)` when it did.
fn write_snapshot(path: &Path, text: &str, force: bool, cwd: &Path) -> Result<bool, UpdateError> {
    if path.exists() {
        if std::fs::read(path).is_ok_and(|old| old == text.as_bytes()) {
            return Ok(false);
        }
        if !force {
            return Err(UpdateError::Exists(shown(path, cwd)));
        }
    }
    data::import::write_atomic(path, text)?;
    Ok(true)
}

/// Imports `options.files` into the data folders of `config`.
pub fn import(
    config: &LoadedConfig,
    cwd: &Path,
    options: &UpdateOptions,
) -> Result<Vec<ImportedRelease>, UpdateError> {
    let (ep, oews): (Vec<PathBuf>, Vec<PathBuf>) = options
        .files
        .iter()
        .cloned()
        .partition(|f| projections::import::is_projections_file(f));
    if ep.len() > 1 {
        return Err(UpdateError::SeveralProjections(ep.len()));
    }
    let release = options.release.as_deref();
    let bad = |text: &str| UpdateError::BadRelease(text.to_owned());
    let mut out = Vec::new();
    if let Some(file) = ep.first() {
        // `--release` names the projections' period when it is one.
        let asked = release.and_then(EpRelease::parse);
        if let Some(text) = release.filter(|t| oews.is_empty() && EpRelease::parse(t).is_none()) {
            return Err(bad(text));
        }
        let imported = projections::import::import(file, asked)?;
        let path = data_dir(
            config,
            config.config.data.projections_dir.as_deref(),
            projections::DEFAULT_DIR,
        )
        .join(format!("{}.csv", imported.release));
        let written = write_snapshot(&path, &imported.snapshot_text(), options.force, cwd)?;
        out.push(ImportedRelease {
            kind: DataKind::Projections,
            name: format!(
                "BLS Employment Projections {} ({})",
                imported.release.label(),
                imported.release
            ),
            path: shown(&path, cwd),
            rows: imported.projections.len(),
            written,
            problems: imported.problems,
        });
    }
    if !oews.is_empty() {
        let asked = match release.filter(|t| EpRelease::parse(t).is_none()) {
            Some(text) => Some(Release::parse(text).ok_or_else(|| bad(text))?),
            None => None,
        };
        let imported = data::import::import(&oews, asked)?;
        let path = data_dir(config, config.config.data.dir.as_deref(), DEFAULT_DIR)
            .join(format!("{}.csv", imported.release));
        let written = write_snapshot(&path, &imported.snapshot_text(), options.force, cwd)?;
        out.push(ImportedRelease {
            kind: DataKind::Oews,
            name: format!(
                "BLS OEWS {} ({})",
                imported.release.label(),
                imported.release
            ),
            path: shown(&path, cwd),
            rows: imported.records.len(),
            written,
            problems: imported.problems,
        });
    }
    Ok(out)
}

/// The release a guide pins, read from its text without a full check.
fn pinned_release(input: &Input, workspace: &Workspace) -> Option<String> {
    let file = pipeline::load(input, workspace.limits(), false);
    file.value?
        .pointer("/occupation/oews_release")?
        .as_str()
        .map(str::to_owned)
}

/// Imports the new release, then brings every guide that follows the latest
/// release up to date with the unsafe fixes of [`update_codes`], and reports
/// what changed. `today` is the rules' date.
pub fn update(
    workspace: &Workspace,
    options: &UpdateOptions,
    today: Date,
) -> Result<UpdateReport, UpdateError> {
    let cwd = workspace.cwd.as_path();
    let imported = import(&workspace.config, cwd, options)?;
    let mut config = workspace.config.clone();
    let wanted = update_codes();
    for info in codes::RULE_CODES {
        if !wanted.contains(&info.code) {
            config
                .config
                .rules
                .severity
                .insert(info.code.to_owned(), Level::Off);
        }
    }
    let settings = config.rule_settings(cwd, today)?;
    let mut following = Vec::new();
    let mut context = Vec::new();
    let mut pinned = Vec::new();
    for target in workspace.targets(&[])? {
        let input = Input::from(target);
        if input.kind != FileKind::Guide || input.skip.is_some() {
            context.push(input);
            continue;
        }
        match pinned_release(&input, workspace) {
            Some(release) => {
                pinned.push(Pinned {
                    guide: input.display.clone(),
                    release,
                });
                context.push(input);
            }
            None => following.push(input),
        }
    }
    let stages = Stages {
        limits: workspace.limits(),
        validate: true,
        rules: Some(&settings),
        links: None,
        keep_values: true,
    };
    let first = pipeline::run_with_context(&following, &context, &stages)?;
    let mut originals: BTreeMap<PathBuf, String> = BTreeMap::new();
    let outcome =
        pipeline::fix_until_stable(&following, &context, &stages, first, true, cwd, |fixed| {
            originals
                .entry(fixed.display.clone())
                .or_insert_with(|| fixed.original.clone());
        })?;
    let releases = table::Releases::of(&imported, &settings);
    let mut changes = Vec::new();
    for file in &outcome.run.report.files {
        let Some(original) = originals.get(&file.source.path) else {
            continue;
        };
        let before = pipeline::load(
            &Input::memory(&file.source.path, original.clone(), FileKind::Guide, None),
            workspace.limits(),
            false,
        );
        changes.extend(table::changes(
            &file.source.path,
            before.value.as_ref(),
            file.value.as_ref(),
            &releases,
        ));
    }
    let remaining = outcome
        .run
        .report
        .files
        .iter()
        .flat_map(|file| {
            file.diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error || d.code.starts_with("GP6"))
                .map(|d| (file.source.path.clone(), d.clone()))
        })
        .collect();
    Ok(UpdateReport {
        imported,
        changes,
        pinned,
        following: following.len(),
        remaining,
    })
}
