//! Prose checks' machinery (the rules are `GP701`-`GP703` in
//! [`crate::rules`]): which fields are prose ([`fields`], from the schema's
//! `x-prose` and `[prose.fields]`), what in them is prose ([`scan`]: not
//! code, HTML or addresses), the speller ([`spelling`]: a Hunspell dictionary
//! through `spellbook`, the built-in technical words, the repository's words
//! file of [`words`]) and the house terms ([`terms`]).
//!
//! ```text
//! guide value ── fields::visit ──> (pointer, text, text|markdown)
//!                 scan::prose_ranges ──> prose byte ranges
//!                   terms::find ──> GP702 house-term (safe fix)
//!                   scan::words ──> Speller::accepts ──> GP701 spelling (unsafe fix)
//! ```

pub mod config;
pub mod fields;
pub mod scan;
pub mod spelling;
pub mod terms;
pub mod words;

use std::path::{Path, PathBuf};

use serde_json::Value;

pub use config::{FieldKind, ProseConfig};
pub use fields::ProseFields;
pub use spelling::{Dictionary, Speller};
pub use terms::Terms;
pub use words::WordList;

use crate::diagnostic::{Edit, Span};

/// Everything the prose rules need, prepared once per run.
#[derive(Debug)]
pub struct Prose {
    /// The prose fields.
    pub fields: ProseFields,
    /// The speller; `None` when the dictionary cannot be read (see `problem`).
    pub speller: Option<Speller>,
    /// The house terms.
    pub terms: Terms,
    /// The repository's words file.
    pub words_path: PathBuf,
    /// The words file as shown (relative to the configuration's folder).
    pub words_shown: String,
    /// What keeps the prose checks from running in full (the dictionary or
    /// the words file cannot be read), said once per run (`GP703`).
    pub problem: Option<String>,
}

impl Prose {
    /// The prose settings of `config` (relative paths from `root`), with the
    /// prose fields the guide `schemas` mark; `None` when `[prose]` is off.
    pub fn open<'s>(
        config: &ProseConfig,
        root: &Path,
        schemas: impl IntoIterator<Item = &'s Value>,
    ) -> Option<Prose> {
        if !config.enabled {
            return None;
        }
        let mut fields = ProseFields::default();
        for schema in schemas {
            fields.add_schema(schema);
        }
        for (pattern, kind) in &config.fields {
            fields.add_pattern(pattern, *kind);
        }
        let mut problem = None;
        let words_path = root.join(&config.words);
        let words_shown = config.words.display().to_string();
        let words = match words::read(&words_path, &words_shown) {
            Ok(words) => words.unwrap_or_default(),
            Err(error) => {
                problem = Some(format!(
                    "the words file cannot be read ({error}), so words only it lists are reported as misspelled"
                ));
                WordList::default()
            }
        };
        let dictionary = match &config.dictionary {
            Some(stem) => Dictionary::open(&root.join(stem), &stem.display().to_string()),
            None => Dictionary::builtin(),
        };
        let speller = match dictionary {
            Ok(dictionary) => Some(Speller::new(dictionary, words)),
            Err(error) => {
                problem = Some(format!("{error}, so spelling was not checked"));
                None
            }
        };
        Some(Prose {
            fields,
            speller,
            terms: Terms::new(&config.terms),
            words_path,
            words_shown,
            problem,
        })
    }
}

/// The edit that writes `replacement` over `span` of a YAML file's `text`,
/// when that is safe whatever the scalar's style: the replacement holds only
/// letters, digits, spaces, hyphens, dots and apostrophes (no apostrophe in a
/// single-quoted scalar), and the span holds a word as the file shows it.
pub fn word_edit(text: &str, scalar: Span, span: Span, replacement: &str) -> Option<Edit> {
    let single_quoted = text.get(scalar.start..)?.starts_with('\'');
    let plain = replacement.chars().all(|c| {
        c.is_alphanumeric()
            || matches!(c, ' ' | '-' | '.' | '\u{2019}')
            || (c == '\'' && !single_quoted)
    });
    let shown = text.get(span.start..span.end)?;
    (plain && !replacement.is_empty() && !replacement.starts_with(['-', ' ', '.']))
        .then_some(())
        .filter(|()| !shown.is_empty() && !shown.contains(['\\', '\n']))
        .map(|()| Edit {
            span,
            replacement: replacement.to_owned(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_edits_only_where_any_style_holds_them() {
        let text = "a: 'it''s teh'\nb: teh\n";
        let single = Span::new(3, 14);
        assert_eq!(
            word_edit(text, single, Span::new(10, 13), "the").map(|e| e.replacement),
            Some("the".into())
        );
        assert_eq!(word_edit(text, single, Span::new(10, 13), "th'e"), None);
        let plain = Span::new(18, 21);
        assert!(word_edit(text, plain, plain, "t'he").is_some());
        assert!(word_edit(text, plain, plain, "the: x").is_none());
        assert!(word_edit(text, plain, plain, "- x").is_none());
        assert!(word_edit(text, plain, plain, "#x").is_none());
    }

    #[test]
    fn a_missing_dictionary_is_a_problem_said_not_a_silence() {
        let dir = tempfile::tempdir().unwrap();
        let config = ProseConfig {
            dictionary: Some("nowhere/en_XX".into()),
            ..ProseConfig::default()
        };
        let prose = Prose::open(&config, dir.path(), []).unwrap();
        assert!(prose.speller.is_none());
        let problem = prose.problem.unwrap();
        assert!(problem.contains("nowhere/en_XX.aff"), "{problem}");
        // A words file that exists but cannot be read is said too.
        std::fs::create_dir_all(dir.path().join(".guidepress/words.txt")).unwrap();
        let prose = Prose::open(&ProseConfig::default(), dir.path(), []).unwrap();
        assert!(prose.speller.is_some());
        let problem = prose.problem.unwrap();
        assert!(problem.contains(".guidepress/words.txt"), "{problem}");
        let off = ProseConfig {
            enabled: false,
            ..ProseConfig::default()
        };
        assert!(Prose::open(&off, dir.path(), []).is_none());
    }
}
