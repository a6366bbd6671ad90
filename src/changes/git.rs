//! Asking git what changed since a reference: the merge base, the files
//! changed in the working tree since it (`--name-status -z`), their changed
//! lines (the hunks of `--unified=0`) and the untracked files (`ls-files -z`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::ChangesError;
use super::diff::{FileChange, FileStatus, WHOLE_FILE, parse_hunks, parse_name_status};

/// The files changed since a reference, repository-relative with `/` separators.
#[derive(Debug, Clone, Default)]
pub struct ChangeSet {
    /// The repository's top folder.
    pub root: PathBuf,
    /// The commit compared against (the merge base of the reference and `HEAD`).
    pub base: String,
    /// Changed files by repository-relative path.
    pub files: BTreeMap<String, FileChange>,
}

fn git(dir: &Path, args: &[&str]) -> Result<std::process::Output, ChangesError> {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "core.quotePath=false"])
        .args(args)
        .output()
        .map_err(ChangesError::Spawn)
}

fn git_bytes(dir: &Path, args: &[&str]) -> Result<Vec<u8>, ChangesError> {
    let output = git(dir, args)?;
    if !output.status.success() {
        return Err(ChangesError::Git {
            command: args.join(" "),
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        });
    }
    Ok(output.stdout)
}

impl ChangeSet {
    /// The files changed between the merge base of `reference` and `HEAD`, and the
    /// working tree (so uncommitted and untracked files count too).
    pub fn since(dir: &Path, reference: &str) -> Result<Self, ChangesError> {
        let toplevel = git(dir, &["rev-parse", "--show-toplevel"])?;
        if !toplevel.status.success() {
            return Err(ChangesError::NotARepository(dir.to_owned()));
        }
        let root = PathBuf::from(String::from_utf8_lossy(&toplevel.stdout).trim());
        let verify = git(
            dir,
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                &format!("{reference}^{{commit}}"),
            ],
        )?;
        if !verify.status.success() {
            let branch = reference
                .strip_prefix("refs/remotes/")
                .unwrap_or(reference)
                .split_once('/')
                .map_or(reference, |(_, branch)| branch)
                .to_owned();
            return Err(ChangesError::MissingBase {
                reference: reference.to_owned(),
                branch,
            });
        }
        let merge_base = git(dir, &["merge-base", reference, "HEAD"])?;
        if !merge_base.status.success() {
            return Err(ChangesError::NoMergeBase(reference.to_owned()));
        }
        let base = String::from_utf8_lossy(&merge_base.stdout)
            .trim()
            .to_owned();
        // The file list from `--name-status -z`: exact paths, renames and
        // deletions without reading any patch text.
        let mut files = parse_name_status(&git_bytes(
            &root,
            &[
                "diff",
                "--no-ext-diff",
                "--no-relative",
                "--name-status",
                "-z",
                "-M",
                &base,
                "--",
            ],
        )?);
        // The lines, from the hunks (read by their line counts).
        let ranges = parse_hunks(&git_bytes(
            &root,
            &[
                "diff",
                "--no-ext-diff",
                "--no-color",
                "--no-textconv",
                "--no-relative",
                "--submodule=short",
                "--src-prefix=a/",
                "--dst-prefix=b/",
                "--unified=0",
                "-M",
                &base,
                "--",
            ],
        )?);
        for (path, change) in &mut files {
            if change.status == FileStatus::Deleted {
                continue;
            }
            if let Some(lines) = ranges.get(path) {
                change.lines.extend_from_slice(lines);
            }
        }
        let untracked = git_bytes(&root, &["ls-files", "-z", "--others", "--exclude-standard"])?;
        for path in untracked.split(|&b| b == 0).filter(|p| !p.is_empty()) {
            files.insert(
                String::from_utf8_lossy(path).into_owned(),
                FileChange {
                    status: FileStatus::Added,
                    lines: vec![WHOLE_FILE],
                },
            );
        }
        Ok(ChangeSet { root, base, files })
    }

    /// Whether the file at repository-relative `path` changed and still exists.
    pub fn touched(&self, path: &str) -> bool {
        self.files
            .get(path)
            .is_some_and(|c| c.status != FileStatus::Deleted)
    }
}

/// The folder `dir` relative to the top of its git repository (`""` at the top,
/// `site/` below it), or `None` outside a repository or without git.
pub fn repository_prefix(dir: &Path) -> Option<String> {
    let output = git(dir, &["rev-parse", "--show-prefix"]).ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}
