//! Reading `git diff --unified=0`: which files changed, how, and which
//! lines of the new files the hunks added or changed.

use std::collections::BTreeMap;

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
}
