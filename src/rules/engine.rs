//! Runs the rules over loaded files: per-guide rules in parallel, then the
//! cross-file rules, then configured severities and suppression comments.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use globset::GlobMatcher;
use rayon::prelude::*;

use super::config::{Level, RulesConfig};
use super::suppress;
use super::{Guide, RULES, RuleContext};
use crate::codes;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::LoadedFile;
use crate::file_kind::FileKind;

/// A `[rules]` section that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    /// A severity names a code that is not a rule code.
    #[error(
        "unknown rule `{0}` in the `[rules]` configuration; `guidepress rules` lists every code"
    )]
    UnknownRule(String),
    /// A `per_file` glob is invalid.
    #[error("invalid glob `{glob}` in `[[rules.per_file]]`: {message}")]
    Glob {
        /// The pattern.
        glob: String,
        /// What is wrong.
        message: String,
    },
    /// An age is negative.
    #[error("`{0}` in `[rules]` must not be negative")]
    NegativeAge(&'static str),
    /// The official data (`[data]`) cannot be used. Its message is the
    /// data error's own, said once: the error is not kept as a `source`,
    /// which reports would print again after it.
    #[error("`[data]`: {0}")]
    Data(crate::data::DataError),
}

impl From<crate::data::DataError> for RulesError {
    fn from(error: crate::data::DataError) -> Self {
        RulesError::Data(error)
    }
}

/// Severity of every rule code for one file: `None` is off.
type Levels = Vec<Option<Severity>>;

/// Severity overrides by rule-code index for the files matching a glob.
type PerFile = (GlobMatcher, Vec<(usize, Option<Severity>)>);

/// Everything the engine needs, prepared once per run.
#[derive(Debug, Clone)]
pub struct RuleSettings {
    /// Run the rules at all.
    pub enabled: bool,
    /// What rules know besides the guide.
    pub context: RuleContext,
    /// The folder globs are relative to.
    pub root: PathBuf,
    /// The working directory (file paths in reports are relative to it).
    pub cwd: PathBuf,
    global: Levels,
    per_file: Vec<PerFile>,
}

fn to_severity(level: Level) -> Option<Severity> {
    match level {
        Level::Error => Some(Severity::Error),
        Level::Warning => Some(Severity::Warning),
        Level::Off => None,
    }
}

fn code_index(key: &str) -> Result<usize, RulesError> {
    let info = codes::lookup(key).ok_or_else(|| RulesError::UnknownRule(key.to_owned()))?;
    codes::RULE_CODES
        .iter()
        .position(|row| row.code == info.code)
        .ok_or_else(|| RulesError::UnknownRule(key.to_owned()))
}

impl RuleSettings {
    /// Settings from a `[rules]` section, with `today` as the date; `authors`
    /// (the authors folder, relative to `root`) lists the known authors.
    pub fn new(
        rules: &RulesConfig,
        root: &Path,
        authors: &Path,
        cwd: &Path,
        today: super::Date,
    ) -> Result<Self, RulesError> {
        let context = RuleContext {
            today,
            editors: rules.editors.clone(),
            authors: list_authors(&root.join(authors)),
            authors_dir: authors.display().to_string(),
            review_max_age_days: rules.review_max_age_days,
            source_max_age_days: rules.source_max_age_days,
            data: None,
            projections: None,
            prose: None,
            suggestions: true,
        };
        Self::from_parts(rules, context, root, cwd)
    }

    /// Settings from a `[rules]` section and a prepared context.
    pub fn from_parts(
        rules: &RulesConfig,
        context: RuleContext,
        root: &Path,
        cwd: &Path,
    ) -> Result<Self, RulesError> {
        if rules.review_max_age_days < 0 {
            return Err(RulesError::NegativeAge("review_max_age_days"));
        }
        if rules.source_max_age_days < 0 {
            return Err(RulesError::NegativeAge("source_max_age_days"));
        }
        let mut global: Levels = codes::RULE_CODES
            .iter()
            .map(|row| Some(row.default_severity))
            .collect();
        for (key, level) in &rules.severity {
            global[code_index(key)?] = to_severity(*level);
        }
        let mut per_file = Vec::new();
        for entry in &rules.per_file {
            let matcher = crate::glob::matcher(&entry.files).map_err(|e| RulesError::Glob {
                glob: e.pattern,
                message: e.message,
            })?;
            let levels = entry
                .severity
                .iter()
                .map(|(key, level)| Ok((code_index(key)?, to_severity(*level))))
                .collect::<Result<_, RulesError>>()?;
            per_file.push((matcher, levels));
        }
        Ok(RuleSettings {
            enabled: rules.enabled,
            context,
            root: root.to_owned(),
            cwd: cwd.to_owned(),
            global,
            per_file,
        })
    }

    fn levels_for(&self, display_path: &Path) -> std::borrow::Cow<'_, Levels> {
        if self.per_file.is_empty() {
            return std::borrow::Cow::Borrowed(&self.global);
        }
        let absolute = self.cwd.join(display_path);
        let relative = absolute.strip_prefix(&self.root).unwrap_or(&absolute);
        let mut levels = self.global.clone();
        for (matcher, overrides) in &self.per_file {
            if matcher.is_match(relative) {
                for (index, severity) in overrides {
                    levels[*index] = *severity;
                }
            }
        }
        std::borrow::Cow::Owned(levels)
    }
}

fn list_authors(dir: &Path) -> Option<BTreeSet<String>> {
    let entries = std::fs::read_dir(dir).ok()?;
    Some(
        entries
            .flatten()
            .filter_map(|entry| {
                let path = entry.path();
                let ext = path.extension()?.to_str()?;
                matches!(ext, "yaml" | "yml")
                    .then(|| path.file_stem()?.to_str().map(str::to_owned))?
            })
            .collect(),
    )
}

fn level_of(levels: &Levels, code: &str) -> Option<Severity> {
    let index = codes::RULE_CODES.iter().position(|row| row.code == code)?;
    levels[index]
}

/// The per-guide rules' findings for one file (severities and suppressions
/// are applied later, by [`finish`], together with the cross-file findings).
pub fn guide_findings(file: &LoadedFile, settings: &RuleSettings) -> Vec<Diagnostic> {
    if !settings.enabled || file.kind != FileKind::Guide {
        return Vec::new();
    }
    let Some(guide) = Guide::new(file, &settings.context) else {
        return Vec::new();
    };
    let levels = settings.levels_for(&file.source.path);
    let mut found = Vec::new();
    for rule in RULES {
        if level_of(&levels, rule.code()).is_some() {
            rule.check_guide(&guide, &mut found);
        }
    }
    found
}

/// Adds the cross-file rules' findings to `staged` (each file with its
/// per-guide findings), then applies configured severities and suppression
/// comments to every file's findings.
pub fn finish(staged: &mut [(LoadedFile, Vec<Diagnostic>)], settings: &RuleSettings) {
    if !settings.enabled {
        return;
    }
    let levels: Vec<std::borrow::Cow<'_, Levels>> = staged
        .iter()
        .map(|(file, _)| settings.levels_for(&file.source.path))
        .collect();
    let mut workspace: Vec<(usize, Diagnostic)> = Vec::new();
    {
        let (indices, guides): (Vec<usize>, Vec<Guide<'_>>) = staged
            .iter()
            .enumerate()
            .filter(|(_, (file, _))| file.kind == FileKind::Guide)
            .filter_map(|(i, (file, _))| Guide::new(file, &settings.context).map(|g| (i, g)))
            .unzip();
        for rule in RULES {
            let mut found = Vec::new();
            rule.check_workspace(&guides, &mut found);
            workspace.extend(found.into_iter().map(|(guide, d)| (indices[guide], d)));
        }
    }
    for (index, diagnostic) in workspace {
        if level_of(&levels[index], diagnostic.code).is_some() {
            staged[index].1.push(diagnostic);
        }
    }
    staged
        .par_iter_mut()
        .zip(levels.par_iter())
        .for_each(|((file, found), levels)| {
            if file.kind != FileKind::Guide {
                return;
            }
            for diagnostic in found.iter_mut() {
                if let Some(severity) = level_of(levels, diagnostic.code) {
                    // A rule may make a finding an error whatever the level
                    // (GP316 once a guide is in review); the level applies otherwise.
                    let kept = diagnostic.severity == Severity::Error
                        && super::rule(diagnostic.code).is_some_and(|r| r.keeps_errors());
                    if !kept {
                        diagnostic.severity = severity;
                    }
                }
            }
            found.retain(|d| level_of(levels, d.code).is_some());
            suppress::apply(file, found, |code| level_of(levels, code));
        });
}
