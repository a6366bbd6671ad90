//! Which lines of a pull request's new files a review comment may sit on:
//! the right-hand lines of each hunk of the file's patch (added lines and
//! the context lines around them), read from the `patch` GitHub gives for
//! each file of the pull request.
//!
//! A comment, and a suggested change, covers lines of ONE hunk: GitHub
//! refuses a range that leaves the hunk it starts in. Removed lines exist
//! only on the left-hand side, which this tool never comments on (nothing
//! can be suggested for a line that is gone).

use std::collections::BTreeMap;

/// One hunk's right-hand lines: the inclusive 1-based range `first..=last`
/// of the new file (empty when the hunk only removes lines).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hunk {
    /// The first right-hand line.
    pub first: usize,
    /// The last right-hand line (`first - 1` for a hunk without any).
    pub last: usize,
}

impl Hunk {
    fn holds(&self, start: usize, end: usize) -> bool {
        self.first <= start && start <= end && end <= self.last
    }
}

/// The commentable lines of every file of a pull request, by
/// repository-relative path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiffLines {
    files: BTreeMap<String, Vec<Hunk>>,
}

impl DiffLines {
    /// Adds a file's patch (the unified diff GitHub gives, hunks only). A
    /// file without a patch (binary, or too large for GitHub to show) has no
    /// commentable line.
    pub fn add_patch(&mut self, path: &str, patch: Option<&str>) {
        let hunks = patch.map(parse_patch).unwrap_or_default();
        self.files.insert(path.to_owned(), hunks);
    }

    /// True when the file is part of the pull request.
    pub fn has_file(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// True when lines `start..=end` (1-based) of `path` are all right-hand
    /// lines of one hunk.
    pub fn commentable(&self, path: &str, start: usize, end: usize) -> bool {
        self.files
            .get(path)
            .is_some_and(|hunks| hunks.iter().any(|hunk| hunk.holds(start, end)))
    }

    /// The hunks of `path`.
    pub fn hunks(&self, path: &str) -> &[Hunk] {
        self.files.get(path).map_or(&[], Vec::as_slice)
    }
}

/// Reads the hunks of a unified diff: each `@@ -a,b +c,d @@` header opens a
/// hunk whose right-hand side is lines `c..c+d-1`. The hunk's lines are
/// counted from the header (`d` context and added lines), so a content line
/// that looks like a header is never read as one; a malformed header ends
/// the reading (what came before is kept).
pub fn parse_patch(patch: &str) -> Vec<Hunk> {
    let mut hunks = Vec::new();
    let mut lines = patch.lines();
    while let Some(line) = lines.next() {
        let Some((old_count, new_start, new_count)) = header(line) else {
            continue;
        };
        hunks.push(Hunk {
            first: new_start,
            last: (new_start + new_count).saturating_sub(1),
        });
        // Skip the hunk's body by its counts.
        let (mut old, mut new) = (0, 0);
        while old < old_count || new < new_count {
            let Some(body) = lines.next() else {
                return hunks;
            };
            match body.as_bytes().first() {
                Some(b'-') => old += 1,
                Some(b'+') => new += 1,
                // "\ No newline at end of file" counts on neither side.
                Some(b'\\') => {}
                _ => {
                    old += 1;
                    new += 1;
                }
            }
        }
    }
    hunks
}

/// `@@ -a[,b] +c[,d] @@…` → `(b, c, d)`; a count left out is 1.
fn header(line: &str) -> Option<(usize, usize, usize)> {
    let rest = line.strip_prefix("@@ -")?;
    let (ranges, _) = rest.split_once(" @@")?;
    let (old, new) = ranges.split_once(" +")?;
    let count = |range: &str| -> Option<(usize, usize)> {
        match range.split_once(',') {
            Some((start, count)) => Some((start.parse().ok()?, count.parse().ok()?)),
            None => Some((range.parse().ok()?, 1)),
        }
    };
    let (_, old_count) = count(old)?;
    let (new_start, new_count) = count(new)?;
    Some((old_count, new_start, new_count))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn right_hand_lines_of_each_hunk() {
        let patch =
            "@@ -1,3 +1,4 @@\n a\n-b\n+B\n+C\n c\n@@ -10,2 +11,0 @@\n-x\n-y\n@@ -20 +20 @@\n-q\n+Q";
        let hunks = parse_patch(patch);
        assert_eq!(
            hunks,
            vec![
                Hunk { first: 1, last: 4 },
                Hunk {
                    first: 11,
                    last: 10
                },
                Hunk {
                    first: 20,
                    last: 20
                }
            ]
        );
        let mut diff = DiffLines::default();
        diff.add_patch("a.yaml", Some(patch));
        assert!(diff.commentable("a.yaml", 2, 4));
        assert!(!diff.commentable("a.yaml", 4, 5), "leaves the hunk");
        assert!(
            !diff.commentable("a.yaml", 11, 11),
            "a removal has no right-hand line"
        );
        assert!(diff.commentable("a.yaml", 20, 20));
        assert!(!diff.commentable("b.yaml", 1, 1));
    }

    #[test]
    fn a_content_line_that_looks_like_a_header_is_content() {
        let patch = "@@ -1,2 +1,2 @@\n-@@ -100,1 +100,1 @@\n+@@ -200,1 +200,1 @@\n same";
        assert_eq!(parse_patch(patch), vec![Hunk { first: 1, last: 2 }]);
    }

    #[test]
    fn malformed_headers_and_short_bodies_do_not_panic() {
        assert_eq!(parse_patch("@@ -x +1 @@\n+a"), Vec::new());
        assert_eq!(
            parse_patch("@@ -1,5 +1,5 @@\n a"),
            vec![Hunk { first: 1, last: 5 }]
        );
        assert_eq!(parse_patch(""), Vec::new());
    }
}
