//! Starting things: `guidepress init` (a content repository: configuration,
//! folders, CI workflows, pre-commit hooks) and `guidepress new` (a draft
//! guide whose figures come from the official data and whose prose is
//! placeholders). The files are templates under `templates/`, embedded with
//! `include_str!`; `{{name}}` in them is replaced by a value.
//!
//! - [`init`]: what `guidepress init` writes;
//! - [`guide`]: the draft `guidepress new` writes.

pub mod guide;
pub mod init;

use std::path::{Path, PathBuf};

/// Why a repository or a guide could not be started.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    /// Files exist that would be overwritten (without `--force`).
    #[error(
        "{} already exist{}: {}; pass --force to overwrite {}",
        if .0.len() == 1 { "a file" } else { "files" },
        if .0.len() == 1 { "s" } else { "" },
        .0.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "),
        if .0.len() == 1 { "it" } else { "them" }
    )]
    Exists(Vec<PathBuf>),
    /// A file or folder could not be written.
    #[error("cannot write {path}: {message}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        message: String,
    },
    /// The draft cannot be made from what was asked (unknown SOC code, bad slug…).
    #[error("{0}")]
    Invalid(String),
    /// The official data cannot be used.
    #[error(transparent)]
    Data(#[from] crate::data::DataError),
}

/// A file to write: where (relative to the target folder) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFile {
    /// The path, relative to the folder written into.
    pub path: PathBuf,
    /// The text.
    pub text: String,
}

/// Writes `files` under `root` (creating folders). Without `force`, nothing
/// is written when any of them exists, and the error lists them all
/// (as shown relative to `shown_from`). Returns the paths written.
pub fn write_files(
    root: &Path,
    files: &[NewFile],
    force: bool,
    shown_from: &Path,
) -> Result<Vec<PathBuf>, ScaffoldError> {
    let shown = |path: &Path| {
        path.strip_prefix(shown_from)
            .map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
    };
    if !force {
        let existing: Vec<PathBuf> = files
            .iter()
            .map(|f| root.join(&f.path))
            .filter(|p| p.symlink_metadata().is_ok())
            .map(|p| shown(&p))
            .collect();
        if !existing.is_empty() {
            return Err(ScaffoldError::Exists(existing));
        }
    }
    let mut written = Vec::new();
    for file in files {
        let path = root.join(&file.path);
        let fail = |e: std::io::Error| ScaffoldError::Write {
            path: shown(&path),
            message: e.to_string(),
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(fail)?;
        }
        std::fs::write(&path, &file.text).map_err(fail)?;
        written.push(shown(&path));
    }
    Ok(written)
}

/// `template` with each `{{name}}` replaced by its value.
fn fill(template: &str, values: &[(&str, String)]) -> String {
    let mut text = template.to_owned();
    for (name, value) in values {
        text = text.replace(&format!("{{{{{name}}}}}"), value);
    }
    text
}

/// A YAML double-quoted scalar holding `text` (JSON's string syntax is YAML's).
fn quoted(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}
