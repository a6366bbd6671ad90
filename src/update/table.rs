//! The change table of `guidepress data update`: every figure an update
//! changed (guide, fact, old, new, release), as text for the terminal and as
//! Markdown for a pull request's body.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{DataKind, ImportedRelease, UpdateReport};
use crate::rules::RuleSettings;

/// One figure changed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    /// The guide, as shown.
    pub guide: PathBuf,
    /// The field, `facts.national_median_salary`, `salary_by_state[0].median_salary`.
    pub fact: String,
    /// What it was (for prose, the words that changed).
    pub old: String,
    /// What it is now.
    pub new: String,
    /// The release the new figure comes from.
    pub release: String,
}

/// The names of the releases figures come from.
#[derive(Debug, Clone, Default)]
pub struct Releases {
    oews: Option<String>,
    projections: Option<String>,
}

impl Releases {
    /// The releases guides were brought to: the ones imported, else the
    /// latest the data folders hold.
    pub fn of(imported: &[ImportedRelease], settings: &RuleSettings) -> Self {
        let named = |kind| {
            imported
                .iter()
                .find(|i| i.kind == kind)
                .map(|i| i.name.clone())
        };
        let context = &settings.context;
        Releases {
            oews: named(DataKind::Oews).or_else(|| {
                let release = context.data.as_ref()?.default_release();
                Some(format!("BLS OEWS {} ({release})", release.label()))
            }),
            projections: named(DataKind::Projections).or_else(|| {
                let release = context.projections.as_ref()?.latest().clone();
                Some(format!(
                    "BLS Employment Projections {} ({release})",
                    release.label()
                ))
            }),
        }
    }

    /// The release a field's new value comes from.
    fn of_field(&self, pointer: &str) -> String {
        let outlook = [
            "/facts/job_growth",
            "/facts/annual_openings",
            "/facts/education",
        ];
        let figures = ["/facts/", "/salary_by_state/", "/occupation/"];
        let text = if outlook.iter().any(|p| pointer.starts_with(p)) {
            self.projections.clone()
        } else if figures.iter().any(|p| pointer.starts_with(p)) {
            self.oews.clone()
        } else {
            // Prose follows the facts it states.
            let both: Vec<String> = [&self.oews, &self.projections]
                .into_iter()
                .flatten()
                .cloned()
                .collect();
            (!both.is_empty()).then(|| format!("prose: {}", both.join("; ")))
        };
        text.unwrap_or_default()
    }
}

/// A scalar as the table shows it.
fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "(none)".into(),
        other => other.to_string(),
    }
}

/// The part of two texts that differs, with a few words around it:
/// `… earn $80,000-$211,000+ depending …` → `$211,000+` / `$214,670`.
fn differing(old: &str, new: &str) -> (String, String) {
    let prefix = old
        .char_indices()
        .zip(new.chars())
        .find(|((_, a), b)| a != b)
        .map_or(old.len().min(new.len()), |((i, _), _)| i);
    let suffix = old[prefix..]
        .chars()
        .rev()
        .zip(new[prefix..].chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum::<usize>();
    // Widen to whole words: back to a space, forward to a space.
    let start = old[..prefix].rfind(' ').map_or(0, |i| i + 1);
    let grow = |text: &str| {
        let end = text.len() - suffix;
        text[end..].find(' ').map_or(text.len(), |i| end + i)
    };
    let (old_end, new_end) = (grow(old), grow(new));
    let clip = |text: &str| text.trim().replace('\n', " ");
    (clip(&old[start..old_end]), clip(&new[start..new_end]))
}

/// Every scalar that differs between `before` and `after` (a guide before
/// and after the update), in document order.
pub fn changes(
    guide: &Path,
    before: Option<&Value>,
    after: Option<&Value>,
    releases: &Releases,
) -> Vec<Change> {
    let mut out = Vec::new();
    walk(
        String::new(),
        before.unwrap_or(&Value::Null),
        after.unwrap_or(&Value::Null),
        &mut |pointer, old, new| {
            let (old, new) = match (old, new) {
                (Some(Value::String(a)), Some(Value::String(b))) => differing(a, b),
                _ => (
                    old.map_or_else(|| "(none)".to_owned(), scalar_text),
                    new.map_or_else(|| "(none)".to_owned(), scalar_text),
                ),
            };
            out.push(Change {
                guide: guide.to_owned(),
                fact: crate::validate::field_name(&pointer),
                old,
                new,
                release: releases.of_field(&pointer),
            });
        },
    );
    out
}

/// Hears of each scalar that differs: its pointer, old and new value.
type Found<'f> = dyn FnMut(String, Option<&Value>, Option<&Value>) + 'f;

fn walk(pointer: String, old: &Value, new: &Value, found: &mut Found<'_>) {
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let at = format!("{pointer}/{}", crate::load::span_index::escape_token(key));
                match b.get(key) {
                    Some(other) => walk(at, value, other, found),
                    None => found(at, Some(value), None),
                }
            }
            for (key, value) in b.iter().filter(|(k, _)| !a.contains_key(*k)) {
                let at = format!("{pointer}/{}", crate::load::span_index::escape_token(key));
                found(at, None, Some(value));
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                walk(format!("{pointer}/{index}"), x, y, found);
            }
        }
        (a, b) if a != b => found(pointer, Some(a), Some(b)),
        _ => {}
    }
}

fn plural(count: usize, noun: &str) -> String {
    crate::text::plural(count, noun)
}

impl UpdateReport {
    /// The guides changed.
    pub fn guides_changed(&self) -> usize {
        let mut guides: Vec<&PathBuf> = self.changes.iter().map(|c| &c.guide).collect();
        guides.dedup();
        guides.len()
    }

    /// For the terminal: the imports, the change table, the pinned guides.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for imported in &self.imported {
            out.push_str(&if imported.written {
                format!(
                    "Imported {} into {} ({} rows).\n",
                    imported.name,
                    imported.path.display(),
                    crate::text::thousands(imported.rows as i64)
                )
            } else {
                format!(
                    "Already up to date: {} in {}.\n",
                    imported.name,
                    imported.path.display()
                )
            });
            for problem in &imported.problems {
                out.push_str(&format!(
                    "  {} row {}: {} (left out)\n",
                    problem.file.display(),
                    problem.row,
                    problem.message
                ));
            }
        }
        let mut rows = vec![["guide", "fact", "old", "new", "release"].map(String::from)];
        for change in &self.changes {
            rows.push([
                change.guide.display().to_string(),
                change.fact.clone(),
                change.old.clone(),
                change.new.clone(),
                change.release.clone(),
            ]);
        }
        if self.changes.is_empty() {
            out.push_str("No figure changed.\n");
        } else {
            out.push('\n');
            let widths: Vec<usize> = (0..5)
                .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
                .collect();
            for row in &rows {
                let mut line = String::new();
                for (c, cell) in row.iter().enumerate() {
                    line.push_str(&format!("{cell:<width$}  ", width = widths[c]));
                }
                out.push_str(line.trim_end());
                out.push('\n');
            }
            out.push('\n');
        }
        out.push_str(&format!(
            "{} changed in {} of the {} following the latest release.\n",
            plural(self.changes.len(), "figure"),
            plural(self.guides_changed(), "guide"),
            plural(self.following, "guide"),
        ));
        for pinned in &self.pinned {
            out.push_str(&format!(
                "Left alone: {} pins OEWS release {}.\n",
                pinned.guide.display(),
                pinned.release
            ));
        }
        for (guide, finding) in &self.remaining {
            out.push_str(&format!(
                "To do: {}:{}: {} {}\n",
                guide.display(),
                finding.span.start,
                finding.code,
                finding.message
            ));
        }
        out
    }

    /// For a pull request's body: the same as Markdown.
    pub fn markdown(&self) -> String {
        let cell = |text: &str| text.replace('|', "\\|").replace('\n', " ");
        let code = |text: &str| format!("`{}`", text.replace('`', "'"));
        let names: Vec<&str> = self.imported.iter().map(|i| i.name.as_str()).collect();
        let mut out = format!("## BLS data update: {}\n\n", names.join(", "));
        for imported in &self.imported {
            out.push_str(&format!(
                "- {}: {} {}\n",
                imported.name,
                code(&imported.path.display().to_string()),
                if imported.written {
                    format!("({} rows)", crate::text::thousands(imported.rows as i64))
                } else {
                    "(already up to date)".into()
                }
            ));
            for problem in &imported.problems {
                out.push_str(&format!(
                    "  - row {} of {} left out: {}\n",
                    problem.row,
                    code(&problem.file.display().to_string()),
                    cell(&problem.message)
                ));
            }
        }
        out.push_str(&format!(
            "\n{} changed in {} of the {} following the latest release.\n\n",
            plural(self.changes.len(), "figure"),
            plural(self.guides_changed(), "guide"),
            plural(self.following, "guide"),
        ));
        if !self.changes.is_empty() {
            out.push_str("| guide | fact | old | new | release |\n|---|---|---|---|---|\n");
            for change in &self.changes {
                out.push_str(&format!(
                    "| {} | {} | {} | {} | {} |\n",
                    code(&change.guide.display().to_string()),
                    code(&change.fact),
                    cell(&change.old),
                    cell(&change.new),
                    cell(&change.release)
                ));
            }
            out.push('\n');
        }
        if !self.pinned.is_empty() {
            out.push_str("### Left alone: guides that pin a release\n\n");
            for pinned in &self.pinned {
                out.push_str(&format!(
                    "- {} pins OEWS release {}\n",
                    code(&pinned.guide.display().to_string()),
                    pinned.release
                ));
            }
            out.push('\n');
        }
        if !self.remaining.is_empty() {
            out.push_str("### Still to do by hand\n\n");
            for (guide, finding) in &self.remaining {
                out.push_str(&format!(
                    "- {} {}: {}\n",
                    code(&guide.display().to_string()),
                    finding.code,
                    cell(&finding.message)
                ));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_that_changed() {
        assert_eq!(
            differing(
                "Backend Engineers earn $80,000-$211,000+ depending on experience",
                "Backend Engineers earn $80,000-$214,670 depending on experience"
            ),
            ("$80,000-$211,000+".into(), "$80,000-$214,670".into())
        );
        assert_eq!(
            differing("grow 17% a", "grow 15% a"),
            ("17%".into(), "15%".into())
        );
    }

    #[test]
    fn scalars_that_differ() {
        let before = serde_json::json!({"facts": {"job_growth_pct": 17, "annual_openings": 140100}, "salary_by_state": [{"median_salary": 178000}]});
        let after = serde_json::json!({"facts": {"job_growth_pct": 15, "annual_openings": 140100}, "salary_by_state": [{"median_salary": 174410}]});
        let releases = Releases {
            oews: Some("BLS OEWS May 2025 (2025A01)".into()),
            projections: Some("BLS Employment Projections 2024–34 (2024-34)".into()),
        };
        let found = changes(Path::new("g.yaml"), Some(&before), Some(&after), &releases);
        let rows: Vec<(&str, &str, &str, &str)> = found
            .iter()
            .map(|c| {
                (
                    c.fact.as_str(),
                    c.old.as_str(),
                    c.new.as_str(),
                    c.release.as_str(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                (
                    "facts.job_growth_pct",
                    "17",
                    "15",
                    "BLS Employment Projections 2024–34 (2024-34)"
                ),
                (
                    "salary_by_state[0].median_salary",
                    "178000",
                    "174410",
                    "BLS OEWS May 2025 (2025A01)"
                ),
            ]
        );
    }
}
