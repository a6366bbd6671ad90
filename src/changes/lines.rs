//! The lines a change touched, for keeping only the findings on them
//! (`--only-changed-lines`) and ordering findings.

use std::collections::BTreeMap;

use super::diff::FileStatus;
use super::git::ChangeSet;
use crate::results::CheckReport;

impl ChangeSet {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
