//! Applying fixes: byte-range edits on the text that was checked, written back
//! atomically, or shown as a unified diff.
//!
//! Edits are surgical: only the bytes of each edit change, so comments,
//! quoting, indentation and line endings stay as they were. Fixes whose edits
//! overlap an edit already accepted are left for the next round (they stay
//! reported); a file whose fixed text would no longer load is not fixed.
//! [`scalar`] writes new text into a string so that it loads back exactly.
//! A file is written only if it still holds the text that was checked,
//! through a temporary file in the same folder and a rename; a symbolic link
//! is written through (when its target is inside the working folder) and
//! never replaced.

pub mod scalar;

use std::path::{Path, PathBuf};

use crate::diagnostic::{Applicability, Edit, Fix};
use crate::document::LoadedFile;
use crate::results::CheckReport;

/// Why fixes could not be written.
#[derive(Debug, thiserror::Error)]
pub enum FixError {
    /// The file changed on disk since it was checked.
    #[error("{0} changed since it was checked; nothing was written to it (run again)")]
    Changed(PathBuf),
    /// The file may not be written (a link leading outside, not a regular file).
    #[error(transparent)]
    Refused(#[from] crate::fsio::WriteError),
    /// Reading, writing or renaming failed.
    #[error("cannot write the fixes to {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// The fixed text of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixedFile {
    /// The file as shown in reports.
    pub display: PathBuf,
    /// The text that was checked.
    pub original: String,
    /// The text with the accepted fixes applied.
    pub fixed: String,
    /// The accepted edits, sorted, not overlapping.
    pub edits: Vec<Edit>,
    /// Findings fixed.
    pub fixes: usize,
}

/// True when `fix` may be applied with or without `--unsafe-fixes`.
pub fn allowed(fix: &Fix, unsafe_fixes: bool) -> bool {
    unsafe_fixes || fix.applicability == Applicability::Safe
}

/// Chooses the fixes of one file that can be applied together: every edit
/// inside the text, no two accepted edits overlapping (or touching the same
/// insertion point), fixes in order of position.
pub fn plan_file(file: &LoadedFile, unsafe_fixes: bool) -> Option<FixedFile> {
    let text = &file.source.text;
    if file.source.is_excerpt() {
        // Only some lines are kept (`Stages::keep_values` was off): never
        // write such a text back.
        return None;
    }
    if file
        .diagnostics
        .iter()
        .any(|d| d.code == crate::codes::NOT_UTF8)
    {
        // Never write back a text that had bytes replaced.
        return None;
    }
    let mut fixes: Vec<&Fix> = file
        .diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|fix| allowed(fix, unsafe_fixes) && !fix.edits.is_empty())
        .collect();
    fixes.sort_by_key(|fix| fix.edits.iter().map(|e| e.span.start).min());
    let mut accepted: Vec<Edit> = Vec::new();
    let mut count = 0;
    for fix in fixes {
        let mut edits = fix.edits.clone();
        edits.sort_by_key(|e| (e.span.start, e.span.end));
        let inside = edits.iter().all(|e| {
            e.span.start <= e.span.end
                && e.span.end <= text.len()
                && text.is_char_boundary(e.span.start)
                && text.is_char_boundary(e.span.end)
        });
        let self_overlap = edits.windows(2).any(|w| overlaps(&w[0], &w[1]));
        let clash = edits
            .iter()
            .any(|e| accepted.iter().any(|a| overlaps(a, e)));
        if !inside || self_overlap || clash {
            continue;
        }
        accepted.extend(edits);
        count += 1;
    }
    if accepted.is_empty() {
        return None;
    }
    accepted.sort_by_key(|e| (e.span.start, e.span.end));
    let fixed = apply_edits(text, &accepted);
    if fixed == *text || breaks_yaml(text, &fixed, file.limits()) {
        return None;
    }
    Some(FixedFile {
        display: file.source.path.clone(),
        original: text.clone(),
        fixed,
        edits: accepted,
        fixes: count,
    })
}

/// True when `original` loads and `fixed` does not: such fixes are never written.
fn breaks_yaml(original: &str, fixed: &str, limits: crate::load::LoadLimits) -> bool {
    let options = crate::load::ParseOptions {
        limits,
        track_spans: false,
        single_document: true,
    };
    let loads = |text: &str| {
        let parsed = crate::load::parse(text, &options);
        !parsed.failed && parsed.documents.len() == 1
    };
    loads(original) && !loads(fixed)
}

fn overlaps(a: &Edit, b: &Edit) -> bool {
    a.span.start < b.span.end && b.span.start < a.span.end
        || (a.span.start == b.span.start && (a.span.is_empty() || b.span.is_empty()))
}

/// `text` with sorted, non-overlapping `edits` applied.
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in edits {
        out.push_str(&text[at..edit.span.start]);
        out.push_str(&edit.replacement);
        at = edit.span.end;
    }
    out.push_str(&text[at..]);
    out
}

/// The fixes to apply for every file of `report`.
pub fn plan(report: &CheckReport, unsafe_fixes: bool) -> Vec<FixedFile> {
    report
        .files
        .iter()
        .filter_map(|file| plan_file(file, unsafe_fixes))
        .collect()
}

/// Writes `fixed` to `path` (resolved against `cwd`), atomically, if the file
/// still holds `fixed.original`.
///
/// The new text is written and synced to a temporary file first; then the
/// file is read once more and, if it still holds the checked text, the
/// temporary file is renamed over it at once. An edit saved by someone else
/// between that last read and the rename is the only one that can be lost.
/// A symbolic link is written through to its target when the target lies
/// inside `cwd`, and refused otherwise; the link itself is never replaced.
pub fn write(cwd: &Path, fixed: &FixedFile) -> Result<(), FixError> {
    let path = cwd.join(&fixed.display);
    let io = |source| FixError::Io {
        path: fixed.display.clone(),
        source,
    };
    let target = crate::fsio::destination(&path, crate::fsio::SymlinkPolicy::FollowWithin(cwd))?;
    let folder = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let stem = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut temp = crate::fsio::TempFile::new_in(folder, &stem).map_err(io)?;
    temp.write_synced(fixed.fixed.as_bytes()).map_err(io)?;
    temp.copy_permissions(&target).map_err(io)?;
    let limit = fixed.original.len() as u64;
    let current = match crate::fsio::read_regular(&target, limit) {
        Ok(bytes) => bytes,
        Err(crate::fsio::ReadError::TooLarge { .. }) => {
            return Err(FixError::Changed(fixed.display.clone()));
        }
        Err(error) => return Err(io(std::io::Error::other(error.to_string()))),
    };
    if current != fixed.original.as_bytes() {
        return Err(FixError::Changed(fixed.display.clone()));
    }
    temp.persist(&target).map_err(io)
}

/// A unified diff (`---`/`+++`, hunks with three lines of context) of the
/// change from `fixed.original` to `fixed.fixed`.
pub fn unified_diff(fixed: &FixedFile) -> String {
    let path = fixed.display.to_string_lossy().replace('\\', "/");
    let old = &fixed.original;
    let old_lines = line_starts(old);
    // Changed blocks: old lines [first, last] and their new text.
    let mut blocks: Vec<(usize, usize, String)> = Vec::new();
    for edit in &fixed.edits {
        let first = line_of(&old_lines, edit.span.start);
        let last = line_of(
            &old_lines,
            edit.span.end.saturating_sub(1).max(edit.span.start),
        );
        match blocks.last_mut() {
            Some(block) if first <= block.1 + 1 => {
                block.1 = block.1.max(last);
            }
            _ => blocks.push((first, last, String::new())),
        }
    }
    for block in &mut blocks {
        let start = old_lines[block.0];
        let end = old_lines.get(block.1 + 1).copied().unwrap_or(old.len());
        let inside: Vec<Edit> = fixed
            .edits
            .iter()
            .filter(|e| e.span.start >= start && e.span.end <= end.max(e.span.start))
            .map(|e| Edit {
                span: crate::diagnostic::Span::new(e.span.start - start, e.span.end - start),
                replacement: e.replacement.clone(),
            })
            .collect();
        block.2 = apply_edits(&old[start..end], &inside);
    }
    let line = |i: usize| -> &str {
        let start = old_lines[i];
        let end = old_lines.get(i + 1).copied().unwrap_or(old.len());
        &old[start..end]
    };
    let total = old_lines.len();
    let mut out = format!("--- a/{path}\n+++ b/{path}\n");
    let mut delta: isize = 0;
    let mut index = 0;
    while index < blocks.len() {
        // Group blocks whose context overlaps into one hunk.
        let mut end_index = index;
        while end_index + 1 < blocks.len() && blocks[end_index + 1].0 <= blocks[end_index].1 + 7 {
            end_index += 1;
        }
        let hunk_start = blocks[index].0.saturating_sub(3);
        let hunk_end = (blocks[end_index].1 + 3).min(total.saturating_sub(1));
        let mut body = String::new();
        let mut old_count = 0;
        let mut new_count = 0;
        let mut at = hunk_start;
        for block in &blocks[index..=end_index] {
            while at < block.0 {
                push_line(&mut body, ' ', line(at));
                old_count += 1;
                new_count += 1;
                at += 1;
            }
            for i in block.0..=block.1 {
                push_line(&mut body, '-', line(i));
                old_count += 1;
            }
            for new_line in block.2.split_inclusive('\n') {
                push_line(&mut body, '+', new_line);
                new_count += 1;
            }
            at = block.1 + 1;
        }
        while at <= hunk_end {
            push_line(&mut body, ' ', line(at));
            old_count += 1;
            new_count += 1;
            at += 1;
        }
        let new_start = (hunk_start as isize + delta) as usize;
        out.push_str(&format!(
            "@@ -{},{} +{},{} @@\n",
            hunk_start + 1,
            old_count,
            new_start + 1,
            new_count
        ));
        out.push_str(&body);
        delta += new_count as isize - old_count as isize;
        index = end_index + 1;
    }
    out
}

fn push_line(out: &mut String, marker: char, line: &str) {
    out.push(marker);
    out.push_str(line);
    if !line.ends_with('\n') {
        out.push_str("\n\\ No newline at end of file\n");
    }
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .filter(|&i| i < text.len() || i == 0)
        .collect()
}

fn line_of(starts: &[usize], offset: usize) -> usize {
    match starts.binary_search(&offset) {
        Ok(i) => i,
        Err(i) => i.saturating_sub(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Span;

    fn fixed(original: &str, edits: Vec<Edit>) -> FixedFile {
        FixedFile {
            display: "g.yaml".into(),
            original: original.into(),
            fixed: apply_edits(original, &edits),
            edits,
            fixes: 1,
        }
    }

    #[test]
    fn diff_of_one_number() {
        let text = "a: 1\nb: 2\nc: 35 # keep\nd: 4\ne: 5\nf: 6\ng: 7\nh: 8\n";
        let at = text.find("35").unwrap();
        let file = fixed(
            text,
            vec![Edit {
                span: Span::new(at, at + 2),
                replacement: "34".into(),
            }],
        );
        assert_eq!(file.fixed, text.replace("35", "34"));
        insta::assert_snapshot!(unified_diff(&file), @r"
        --- a/g.yaml
        +++ b/g.yaml
        @@ -1,6 +1,6 @@
         a: 1
         b: 2
        -c: 35 # keep
        +c: 34 # keep
         d: 4
         e: 5
         f: 6
        ");
    }

    #[test]
    fn overlapping_and_out_of_range_fixes_are_refused() {
        use crate::diagnostic::Diagnostic;
        use crate::file_kind::FileKind;
        use crate::source::SourceFile;
        let text = "a: 35\nb: 2\n";
        let with_fix = |start: usize, end: usize, replacement: &str, applicability| {
            Diagnostic::error("GP301", "x", Span::new(start, end)).with_fix(Fix {
                message: "fix".into(),
                applicability,
                edits: vec![Edit {
                    span: Span::new(start, end),
                    replacement: replacement.into(),
                }],
            })
        };
        let mut file = crate::document::LoadedFile::new(
            SourceFile::new("g.yaml", text.into()),
            FileKind::Guide,
            None,
            Some(Default::default()),
            Default::default(),
        );
        file.diagnostics = vec![
            with_fix(3, 5, "34", Applicability::Safe),
            with_fix(4, 5, "6", Applicability::Safe),
            with_fix(9, 99, "x", Applicability::Safe),
            with_fix(9, 10, "3", Applicability::Unsafe),
        ];
        let safe = plan_file(&file, false).expect("one fix applies");
        assert_eq!(safe.fixed, "a: 34\nb: 2\n");
        assert_eq!(safe.fixes, 1);
        let all = plan_file(&file, true).expect("two fixes apply");
        assert_eq!(all.fixed, "a: 34\nb: 3\n");
        assert_eq!(all.fixes, 2);
    }

    #[test]
    fn a_fix_that_would_break_the_yaml_is_not_applied() {
        use crate::config::FileKind;
        use crate::diagnostic::Diagnostic;
        use crate::source::SourceFile;
        let text = "a: [1, 2]\nb: 'x'\n";
        let mut file = crate::document::LoadedFile::new(
            SourceFile::new("g.yaml", text.into()),
            FileKind::Guide,
            None,
            Some(Default::default()),
            Default::default(),
        );
        let fix = |start: usize, end: usize, replacement: &str| {
            Diagnostic::error("GP301", "x", Span::new(start, end)).with_fix(Fix {
                message: "fix".into(),
                applicability: Applicability::Safe,
                edits: vec![Edit {
                    span: Span::new(start, end),
                    replacement: replacement.into(),
                }],
            })
        };
        // `1]` ends the list early; `it's` ends the single-quoted string.
        file.diagnostics = vec![fix(4, 5, "1]"), fix(14, 15, "it's")];
        assert_eq!(plan_file(&file, false), None);
        file.diagnostics = vec![fix(4, 5, "7")];
        assert_eq!(
            plan_file(&file, false).unwrap().fixed,
            "a: [7, 2]\nb: 'x'\n"
        );
    }

    #[test]
    fn a_file_edited_since_the_check_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.yaml");
        std::fs::write(&path, "a: 35\n").unwrap();
        let file = fixed(
            "a: 35\n",
            vec![Edit {
                span: Span::new(3, 5),
                replacement: "34".into(),
            }],
        );
        std::fs::write(&path, "a: 35 # edited\n").unwrap();
        assert!(matches!(
            write(dir.path(), &file),
            Err(FixError::Changed(_))
        ));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "a: 35 # edited\n");
        std::fs::write(&path, "a: 35\n").unwrap();
        write(dir.path(), &file).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "a: 34\n");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, ["g.yaml"], "no temporary file is left");
    }

    #[test]
    fn deleted_line_and_crlf() {
        let text = "# x\r\nkeep: 1\r\n";
        let file = fixed(
            text,
            vec![Edit {
                span: Span::new(0, 5),
                replacement: String::new(),
            }],
        );
        assert_eq!(file.fixed, "keep: 1\r\n");
        let diff = unified_diff(&file);
        assert!(diff.contains("@@ -1,2 +1,1 @@"), "{diff}");
    }
}
