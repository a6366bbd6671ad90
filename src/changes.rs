//! Checking only what a change touches: the files changed since a git
//! reference, the files whose result those changes can alter, the lines the
//! diff touched, and splitting the files into shards for a CI matrix.
//!
//! Git is run as a command (`git` on `PATH`); nothing is written to the repository.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;

use crate::file_kind::FileKind;
use crate::load::{self, ParseOptions};
use crate::results::CheckReport;
use crate::workspace::{Target, Workspace, WorkspaceError};

/// Why the changed files could not be found.
#[derive(Debug, thiserror::Error)]
pub enum ChangesError {
    /// `git` could not be run.
    #[error("cannot run git: {0}")]
    Spawn(std::io::Error),
    /// The working directory is not inside a git repository.
    #[error("{0} is not inside a git repository, so `--changed-since` cannot be used")]
    NotARepository(PathBuf),
    /// The base reference is not in this clone.
    #[error(
        "`{reference}` is not in this clone (a shallow clone, or the branch was never fetched); \
         fetch it first, e.g. `git fetch --no-tags --depth=50 origin {branch}`, \
         or check out with `fetch-depth: 0` in actions/checkout"
    )]
    MissingBase {
        /// The reference given.
        reference: String,
        /// The branch name to fetch, guessed from the reference.
        branch: String,
    },
    /// The base and `HEAD` have no common commit in this clone.
    #[error(
        "`{0}` and HEAD have no common commit in this clone (it is too shallow); \
         deepen it, e.g. `git fetch --deepen=100`, or check out with `fetch-depth: 0`"
    )]
    NoMergeBase(String),
    /// Another git failure.
    #[error("`git {command}` failed: {stderr}")]
    Git {
        /// The arguments.
        command: String,
        /// What git said.
        stderr: String,
    },
    /// Listing the workspace failed.
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
}

/// What happened to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileStatus {
    /// New (including untracked files not ignored).
    Added,
    /// Changed, or renamed to this path.
    Modified,
    /// Removed.
    Deleted,
}

/// One changed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// What happened to it.
    pub status: FileStatus,
    /// Inclusive 1-based line ranges added or changed in the new file.
    pub lines: Vec<(usize, usize)>,
}

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

fn git_ok(dir: &Path, args: &[&str]) -> Result<String, ChangesError> {
    let output = git(dir, args)?;
    if !output.status.success() {
        return Err(ChangesError::Git {
            command: args.join(" "),
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        });
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
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
        let diff = git_ok(
            &root,
            &[
                "diff",
                "--no-ext-diff",
                "--no-color",
                "--no-textconv",
                "--unified=0",
                "-M",
                &base,
                "--",
            ],
        )?;
        let mut files = parse_diff(&diff);
        let untracked = git_ok(&root, &["ls-files", "--others", "--exclude-standard"])?;
        for path in untracked.lines().filter(|l| !l.is_empty()) {
            files.insert(
                path.to_owned(),
                FileChange {
                    status: FileStatus::Added,
                    lines: vec![(1, usize::MAX)],
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

    /// The lines touched, for filtering and ordering findings.
    pub fn changed_lines(&self) -> ChangedLines {
        ChangedLines(
            self.files
                .iter()
                .filter(|(_, c)| c.status != FileStatus::Deleted)
                .map(|(path, c)| (path.clone(), c.lines.clone()))
                .collect(),
        )
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

/// Parses `git diff --unified=0` output into changed files and added-line ranges.
pub fn parse_diff(diff: &str) -> BTreeMap<String, FileChange> {
    let mut files = BTreeMap::new();
    let mut old: Option<String> = None;
    let mut current: Option<String> = None;
    for line in diff.lines() {
        if line.starts_with("diff --git ") {
            old = None;
            current = None;
        } else if let Some(path) = line.strip_prefix("--- ") {
            old = strip_side(path, "a/");
        } else if let Some(path) = line.strip_prefix("+++ ") {
            match strip_side(path, "b/") {
                Some(new) => {
                    let status = if old.is_none() {
                        FileStatus::Added
                    } else {
                        FileStatus::Modified
                    };
                    files.insert(
                        new.clone(),
                        FileChange {
                            status,
                            lines: Vec::new(),
                        },
                    );
                    current = Some(new);
                }
                None => {
                    if let Some(old) = old.take() {
                        files.insert(
                            old,
                            FileChange {
                                status: FileStatus::Deleted,
                                lines: Vec::new(),
                            },
                        );
                    }
                    current = None;
                }
            }
        } else if let Some(rest) = line.strip_prefix("rename to ") {
            // A pure rename has no `+++` line.
            files.entry(rest.to_owned()).or_insert(FileChange {
                status: FileStatus::Modified,
                lines: Vec::new(),
            });
        } else if let Some(rest) = line.strip_prefix("@@ ") {
            let (Some(path), Some(range)) = (&current, hunk_new_range(rest)) else {
                continue;
            };
            if let Some(change) = files.get_mut(path) {
                change.lines.push(range);
            }
        }
    }
    files
}

fn strip_side(path: &str, prefix: &str) -> Option<String> {
    let path = path.trim_end_matches('\t');
    if path == "/dev/null" {
        return None;
    }
    let path = path.trim_matches('"');
    Some(path.strip_prefix(prefix).unwrap_or(path).to_owned())
}

/// `-3,2 +4,5 @@ …` → lines 4..=8 of the new file (a pure deletion touches no new line).
fn hunk_new_range(rest: &str) -> Option<(usize, usize)> {
    let new = rest.split_whitespace().find(|s| s.starts_with('+'))?;
    let new = &new[1..];
    let (start, count) = match new.split_once(',') {
        Some((start, count)) => (start.parse().ok()?, count.parse().ok()?),
        None => (new.parse().ok()?, 1usize),
    };
    if count == 0 {
        return None;
    }
    Some((start, start + count - 1))
}

/// Lines touched by a change, by repository-relative path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangedLines(pub BTreeMap<String, Vec<(usize, usize)>>);

impl ChangedLines {
    /// True when lines `start..=end` of `path` overlap a changed range.
    pub fn touches(&self, path: &str, start: usize, end: usize) -> bool {
        self.0.get(path).is_some_and(|ranges| {
            ranges
                .iter()
                .any(|&(from, to)| start <= to && from <= end.max(start))
        })
    }
}

impl ChangedLines {
    /// Drops the findings of `report` on no changed line (`--only-changed-lines`),
    /// and returns how many were dropped. `path_prefix` turns shown paths into
    /// repository-relative ones.
    pub fn keep_touched(&self, report: &mut CheckReport, path_prefix: &str) -> usize {
        let mut dropped = 0;
        for file in &mut report.files {
            let path = format!("{path_prefix}{}", file.source.display_path());
            let source = &file.source;
            let before = file.diagnostics.len();
            file.diagnostics.retain(|d| {
                let start = source.position(d.span.start).line;
                let end = source.position(d.span.end).line;
                self.touches(&path, start, end)
            });
            dropped += before - file.diagnostics.len();
        }
        dropped
    }
}

/// Which targets to check for a change set, and why.
#[derive(Debug, Default)]
pub struct Selection {
    /// The files to check, in the workspace's order.
    pub targets: Vec<Target>,
    /// True when a schema or the configuration changed, so everything is checked.
    pub everything: bool,
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())
}

/// The targets whose result can change because of `changes`: changed content
/// files; every file when a configured schema, the configuration file or a file
/// of the official data (`[data] dir`) changed; the guides that cite an author whose file changed or was deleted.
/// Deleted files themselves are not checked.
pub fn select(workspace: &Workspace, changes: &ChangeSet) -> Result<Selection, ChangesError> {
    let all = workspace.targets(&[])?;
    let root = canonical(&changes.root);
    let relative = |path: &Path| -> Option<String> {
        let path = canonical(path);
        let rel = path.strip_prefix(&root).ok()?;
        Some(rel.to_string_lossy().replace('\\', "/"))
    };
    let config_root = &workspace.config.root;
    let mut global: Vec<PathBuf> = workspace
        .config
        .config
        .schemas
        .iter()
        .map(|m| config_root.join(&m.schema))
        .collect();
    global.push(
        workspace
            .config
            .path
            .clone()
            .unwrap_or_else(|| config_root.join(crate::config::CONFIG_FILE)),
    );
    // A new or changed snapshot of the official data can change any guide's result.
    let data_dir = workspace.config.config.data.dir.as_deref();
    let data_dir = config_root.join(data_dir.unwrap_or(crate::data::config::DEFAULT_DIR.as_ref()));
    let data_changed = relative(&data_dir).is_some_and(|dir| {
        let prefix = format!("{}/", dir.trim_end_matches('/'));
        changes.files.keys().any(|file| file.starts_with(&prefix))
    });
    let everything = data_changed
        || global
            .iter()
            .filter_map(|p| relative(p))
            .any(|p| changes.files.contains_key(&p));
    if everything {
        return Ok(Selection {
            targets: all,
            everything,
        });
    }
    let authors_dir = config_root.join(&workspace.config.config.content.authors);
    let authors_rel = relative(&authors_dir).map(|p| format!("{p}/"));
    let changed_authors: BTreeSet<String> = changes
        .files
        .keys()
        .filter(|path| {
            authors_rel
                .as_deref()
                .is_some_and(|dir| path.starts_with(dir))
                || all.iter().any(|t| {
                    t.kind == FileKind::Author && relative(&t.path).as_deref() == Some(path)
                })
        })
        .filter_map(|path| {
            Path::new(path)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
        })
        .collect();
    let targets = all
        .into_iter()
        .filter(|target| {
            let Some(rel) = relative(&target.path) else {
                return false;
            };
            changes.touched(&rel)
                || (target.kind == FileKind::Guide
                    && !changed_authors.is_empty()
                    && cites_any(target, &changed_authors, workspace))
        })
        .collect();
    Ok(Selection {
        targets,
        everything: false,
    })
}

/// True when the guide's `editorial` block names one of `authors`.
fn cites_any(target: &Target, authors: &BTreeSet<String>, workspace: &Workspace) -> bool {
    let Ok(bytes) = crate::fsio::read_regular(&target.path, workspace.limits().max_file_size)
    else {
        return false;
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return false;
    };
    let parsed = load::parse(
        &text,
        &ParseOptions {
            limits: workspace.limits(),
            track_spans: false,
            single_document: true,
        },
    );
    let Some(editorial) = parsed
        .documents
        .first()
        .and_then(|value| value.get("editorial"))
    else {
        return false;
    };
    let mut pending = vec![editorial];
    while let Some(value) = pending.pop() {
        match value {
            serde_json::Value::String(id) if authors.contains(id) => return true,
            serde_json::Value::Array(items) => pending.extend(items),
            serde_json::Value::Object(map) => pending.extend(map.values()),
            _ => {}
        }
    }
    false
}

/// `--shard K/N`: the K-th of N parts (1-based) of a sorted file list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which part, from 1.
    pub index: usize,
    /// How many parts.
    pub count: usize,
}

/// `--shard` was not `K/N` with `1 <= K <= N`.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("a shard is written K/N with 1 <= K <= N, such as 2/4; got `{0}`")]
pub struct ShardParseError(String);

impl FromStr for Shard {
    type Err = ShardParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let error = || ShardParseError(s.to_owned());
        let (index, count) = s.split_once('/').ok_or_else(error)?;
        let index: usize = index.trim().parse().map_err(|_| error())?;
        let count: usize = count.trim().parse().map_err(|_| error())?;
        if index == 0 || count == 0 || index > count {
            return Err(error());
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// Keeps this shard's targets: files sorted by path relative to `root`,
    /// then every N-th from the K-th. The same files always land in the same
    /// shard for the same file list, on any machine.
    pub fn select(self, targets: Vec<Target>, root: &Path) -> Vec<Target> {
        let mut keyed: Vec<(String, Target)> = targets
            .into_iter()
            .map(|t| {
                let key = t
                    .path
                    .strip_prefix(root)
                    .unwrap_or(&t.path)
                    .to_string_lossy()
                    .replace('\\', "/");
                (key, t)
            })
            .collect();
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        keyed
            .into_iter()
            .enumerate()
            .filter(|(i, _)| i % self.count == self.index - 1)
            .map(|(_, (_, t))| t)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_hunks_become_line_ranges() {
        let diff = "\
diff --git a/content/guides/a.yaml b/content/guides/a.yaml
index 1..2 100644
--- a/content/guides/a.yaml
+++ b/content/guides/a.yaml
@@ -3 +3 @@ x
-a
+b
@@ -10,0 +11,2 @@
+c
+d
@@ -20,2 +22,0 @@
diff --git a/old.yaml b/old.yaml
deleted file mode 100644
--- a/old.yaml
+++ /dev/null
@@ -1 +0,0 @@
diff --git a/new.yaml b/new.yaml
new file mode 100644
--- /dev/null
+++ b/new.yaml
@@ -0,0 +1,3 @@
";
        let files = parse_diff(diff);
        assert_eq!(files["content/guides/a.yaml"].lines, vec![(3, 3), (11, 12)]);
        assert_eq!(files["content/guides/a.yaml"].status, FileStatus::Modified);
        assert_eq!(files["old.yaml"].status, FileStatus::Deleted);
        assert_eq!(files["new.yaml"].status, FileStatus::Added);
        assert_eq!(files["new.yaml"].lines, vec![(1, 3)]);
    }

    #[test]
    fn changed_lines_overlap() {
        let mut map = BTreeMap::new();
        map.insert("a.yaml".to_owned(), vec![(3, 5)]);
        let lines = ChangedLines(map);
        assert!(lines.touches("a.yaml", 5, 9));
        assert!(lines.touches("a.yaml", 1, 3));
        assert!(!lines.touches("a.yaml", 6, 9));
        assert!(!lines.touches("b.yaml", 3, 3));
    }

    #[test]
    fn shards_parse_and_reject() {
        assert_eq!("2/4".parse(), Ok(Shard { index: 2, count: 4 }));
        assert!("0/4".parse::<Shard>().is_err());
        assert!("5/4".parse::<Shard>().is_err());
        assert!("x".parse::<Shard>().is_err());
    }
}
