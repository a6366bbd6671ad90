//! Reading what git says changed: the file list from
//! `git diff --name-status -z` ([`parse_name_status`]: statuses, renames,
//! NUL-separated paths, so any file name reads back exactly), and the lines
//! of the new files the hunks of `git diff --unified=0` added or changed
//! ([`parse_hunks`]).
//!
//! A hunk is read by its line counts (`@@ -a,b +c,d @@` is followed by `b`
//! removed and `d` added lines), so a content line that looks like a header
//! git writes (`+++ /dev/null`, `diff --git …`, `@@ …`) is never read as one.

use std::collections::BTreeMap;

/// What happened to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileStatus {
    /// New (including untracked files not ignored).
    Added,
    /// Changed, or renamed to this path.
    Modified,
    /// Removed (or renamed away from this path).
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

impl FileChange {
    fn new(status: FileStatus) -> Self {
        FileChange {
            status,
            lines: Vec::new(),
        }
    }
}

/// Every line of the file, for a file whose changed lines are unknown (an
/// untracked file, an unmerged path).
pub const WHOLE_FILE: (usize, usize) = (1, usize::MAX);

/// Parses `git diff --name-status -z` output: a status field (`M`, `A`, `D`,
/// `T`, `U`, `R086`, `C075`, …) then one path, or two for a rename or copy
/// (the old one first), each field ended by NUL. A renamed file's old path
/// counts as deleted. Line ranges are left empty (see [`parse_hunks`]),
/// except for unmerged paths, whose every line counts.
pub fn parse_name_status(raw: &[u8]) -> BTreeMap<String, FileChange> {
    let mut files = BTreeMap::new();
    let mut fields = raw
        .split(|&b| b == 0)
        .map(|field| String::from_utf8_lossy(field).into_owned());
    while let Some(status) = fields.next() {
        let Some(letter) = status.chars().next() else {
            // The empty field after the last NUL.
            continue;
        };
        let Some(path) = fields.next() else {
            break;
        };
        match letter {
            'R' | 'C' => {
                let Some(new) = fields.next() else {
                    break;
                };
                if letter == 'R' {
                    files
                        .entry(path)
                        .or_insert_with(|| FileChange::new(FileStatus::Deleted));
                }
                files.insert(
                    new,
                    FileChange::new(if letter == 'R' {
                        FileStatus::Modified
                    } else {
                        FileStatus::Added
                    }),
                );
            }
            'A' => {
                files.insert(path, FileChange::new(FileStatus::Added));
            }
            'D' => {
                files
                    .entry(path)
                    .or_insert_with(|| FileChange::new(FileStatus::Deleted));
            }
            'U' => {
                let mut change = FileChange::new(FileStatus::Modified);
                change.lines.push(WHOLE_FILE);
                files.insert(path, change);
            }
            // M, T (type change), X (unknown) and anything newer: changed.
            _ => {
                files.insert(path, FileChange::new(FileStatus::Modified));
            }
        }
    }
    files
}

/// Where the reader is in a patch.
enum State {
    /// Between `diff --git` and the first hunk: extended headers, `---`, `+++`.
    Header,
    /// Inside a hunk, with this many old and new lines still to come.
    Hunk { old: usize, new: usize },
    /// After a hunk's last line: another hunk, `\ No newline…`, or the next file.
    Between,
}

/// Parses `git diff --unified=0 --src-prefix=a/ --dst-prefix=b/` output into
/// the line ranges of each new file (by its path after `b/`). Hunk bodies are
/// skipped by their line counts, so content never reads as a header.
pub fn parse_hunks(diff: &[u8]) -> BTreeMap<String, Vec<(usize, usize)>> {
    let mut ranges: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
    let mut current: Option<String> = None;
    let mut state = State::Between;
    for line in diff.split(|&b| b == b'\n') {
        if let State::Hunk { old, new } = &mut state {
            match line.first() {
                Some(b'-') => *old = old.saturating_sub(1),
                Some(b'+') => *new = new.saturating_sub(1),
                // The marker belongs to the line before it.
                Some(b'\\') => {}
                // Context (an empty line is blank context under `diff.suppressBlankEmpty`).
                _ => {
                    *old = old.saturating_sub(1);
                    *new = new.saturating_sub(1);
                }
            }
            if *old == 0 && *new == 0 {
                state = State::Between;
            }
            continue;
        }
        if line.starts_with(b"diff --git ") {
            current = None;
            state = State::Header;
        } else if let Some(rest) = line.strip_prefix(b"@@ ") {
            let Some((old, new)) = hunk_counts(rest) else {
                // Not a hunk header git writes: stop reading lines for this file.
                current = None;
                state = State::Between;
                continue;
            };
            if let (Some(path), Some(range)) = (&current, new.range()) {
                ranges.entry(path.clone()).or_default().push(range);
            }
            state = if old.count == 0 && new.count == 0 {
                State::Between
            } else {
                State::Hunk {
                    old: old.count,
                    new: new.count,
                }
            };
        } else if matches!(state, State::Header) {
            if let Some(path) = line.strip_prefix(b"+++ ") {
                current = header_path(path, "b/");
            } else if let Some(path) = line.strip_prefix(b"rename to ") {
                current = unquote(path);
            }
        }
    }
    ranges
}

/// One side of a hunk header: `+4,5` is lines 4 to 8.
struct Side {
    start: usize,
    count: usize,
}

impl Side {
    /// The inclusive range the side covers (none for a pure deletion).
    fn range(&self) -> Option<(usize, usize)> {
        if self.count == 0 {
            return None;
        }
        Some((self.start, self.start.checked_add(self.count - 1)?))
    }
}

/// `-3,2 +4,5 @@ …` → the old side and the new side.
fn hunk_counts(rest: &[u8]) -> Option<(Side, Side)> {
    let rest = std::str::from_utf8(rest.get(..rest.windows(3).position(|w| w == b" @@")?)?).ok()?;
    let (old, new) = rest.split_once(' ')?;
    Some((side(old.strip_prefix('-')?)?, side(new.strip_prefix('+')?)?))
}

fn side(text: &str) -> Option<Side> {
    let (start, count) = match text.split_once(',') {
        Some((start, count)) => (start.parse().ok()?, count.parse().ok()?),
        None => (text.parse().ok()?, 1),
    };
    Some(Side { start, count })
}

/// The path of a `---`/`+++` header without its side prefix; `None` for `/dev/null`.
fn header_path(text: &[u8], prefix: &str) -> Option<String> {
    // Git ends the name with a tab when it holds a space (for `patch`).
    let text = text.strip_suffix(b"\t").unwrap_or(text);
    if text == b"/dev/null" {
        return None;
    }
    let path = unquote(text)?;
    Some(path.strip_prefix(prefix).unwrap_or(&path).to_owned())
}

/// A path as git writes it in a patch: as is, or in double quotes with C
/// escapes (`\t`, `\n`, `\"`, `\\`, octal bytes) when it holds unusual characters.
fn unquote(text: &[u8]) -> Option<String> {
    let Some(inner) = text.strip_prefix(b"\"").and_then(|t| t.strip_suffix(b"\"")) else {
        return Some(String::from_utf8_lossy(text).into_owned());
    };
    let mut bytes = Vec::with_capacity(inner.len());
    let mut i = 0;
    while i < inner.len() {
        let b = inner[i];
        i += 1;
        if b != b'\\' {
            bytes.push(b);
            continue;
        }
        let escape = *inner.get(i)?;
        i += 1;
        bytes.push(match escape {
            b'a' => 0x07,
            b'b' => 0x08,
            b't' => b'\t',
            b'n' => b'\n',
            b'v' => 0x0b,
            b'f' => 0x0c,
            b'r' => b'\r',
            b'0'..=b'3' => {
                let digits = inner.get(i - 1..i + 2)?;
                i += 2;
                let text = std::str::from_utf8(digits).ok()?;
                u8::from_str_radix(text, 8).ok()?
            }
            other => other,
        });
    }
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_hunks_become_line_ranges() {
        let diff = b"\
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
-e
-f
diff --git a/old.yaml b/old.yaml
deleted file mode 100644
--- a/old.yaml
+++ /dev/null
@@ -1 +0,0 @@
-g
diff --git a/new.yaml b/new.yaml
new file mode 100644
--- /dev/null
+++ b/new.yaml
@@ -0,0 +1,3 @@
+h
+i
+j
";
        let ranges = parse_hunks(diff);
        assert_eq!(ranges["content/guides/a.yaml"], vec![(3, 3), (11, 12)]);
        assert!(!ranges.contains_key("old.yaml"));
        assert_eq!(ranges["new.yaml"], vec![(1, 3)]);
    }

    #[test]
    fn content_that_looks_like_headers_stays_content() {
        let diff = b"\
diff --git a/g.yaml b/g.yaml
--- a/g.yaml
+++ b/g.yaml
@@ -1,2 +1,3 @@
--- a/other.yaml
-diff --git a/x b/x
++++ /dev/null
+@@ -1 +1 @@
+\\ No newline at end of file
\\ No newline at end of file
@@ -9 +10 @@
-x
+y
";
        let ranges = parse_hunks(diff);
        assert_eq!(ranges.len(), 1, "{ranges:?}");
        assert_eq!(ranges["g.yaml"], vec![(1, 3), (10, 10)]);
    }

    #[test]
    fn quoted_paths_are_unescaped() {
        assert_eq!(
            header_path(b"\"b/we\\\"ird\\tname\\303\\251.yaml\"", "b/").as_deref(),
            Some("we\"ird\tname\u{e9}.yaml")
        );
        assert_eq!(
            header_path(b"b/with space.yaml\t", "b/").as_deref(),
            Some("with space.yaml")
        );
        assert_eq!(header_path(b"/dev/null", "b/"), None);
    }

    #[test]
    fn name_status_reads_renames_and_odd_names() {
        let raw = b"M\0a.yaml\0R086\0old name.yaml\0new\nname.yaml\0D\0gone.yaml\0A\0+++ x\0T\0link.yaml\0";
        let files = parse_name_status(raw);
        assert_eq!(files["a.yaml"].status, FileStatus::Modified);
        assert_eq!(files["old name.yaml"].status, FileStatus::Deleted);
        assert_eq!(files["new\nname.yaml"].status, FileStatus::Modified);
        assert_eq!(files["gone.yaml"].status, FileStatus::Deleted);
        assert_eq!(files["+++ x"].status, FileStatus::Added);
        assert_eq!(files["link.yaml"].status, FileStatus::Modified);
        assert_eq!(files.len(), 6);
    }
}
