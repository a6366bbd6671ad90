//! Word lists: the repository's `.guidepress/words.txt` and the built-in
//! `dictionaries/technical.txt`, one word a line, `#` comments. [`add`]
//! writes words into a file, sorted and without duplicates, through a
//! temporary file renamed over it ([`crate::fsio::write_atomic`]), so the
//! file is never left half written.

use std::collections::HashSet;
use std::path::Path;

/// The largest words file read, in bytes.
pub const MAX_WORDS_SIZE: u64 = 4 * 1024 * 1024;

/// A set of known words. A word written in lower case is known in any
/// capitalization a sentence gives it (`backend`, `Backend`, `BACKEND`); one
/// with capitals only as written (`tRPC`) or in capitals (`TRPC`).
#[derive(Debug, Clone, Default)]
pub struct WordList {
    exact: HashSet<String>,
}

/// Why a words file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum WordsError {
    /// The file could not be read or written.
    #[error("{path}: {message}")]
    Io {
        /// The file, as shown.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// A word to add is not one word.
    #[error("`{0}` is not a word: a word holds no spaces and does not start with `#`")]
    NotAWord(String),
}

/// The words of a words file's text: each line's text before a `#`, trimmed.
pub fn parse(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(|line| line.split('#').next().unwrap_or("").trim())
        .filter(|word| !word.is_empty())
}

impl WordList {
    /// The words of a words file's text.
    pub fn from_text(text: &str) -> Self {
        let mut list = WordList::default();
        list.extend_text(text);
        list
    }

    /// Adds the words of a words file's text.
    pub fn extend_text(&mut self, text: &str) {
        self.exact.extend(parse(text).map(str::to_owned));
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.exact.len()
    }

    /// True when it holds no word.
    pub fn is_empty(&self) -> bool {
        self.exact.is_empty()
    }

    /// True when `word` is known (see [`WordList`]).
    pub fn contains(&self, word: &str) -> bool {
        if self.exact.is_empty() {
            return false;
        }
        if self.exact.contains(word) {
            return true;
        }
        let mut chars = word.chars();
        let first_upper = chars.next().is_some_and(char::is_uppercase);
        let rest_lower = chars.clone().all(|c| !c.is_uppercase());
        let all_upper = word.chars().all(|c| !c.is_lowercase());
        if first_upper && rest_lower || all_upper {
            let lower = word.to_lowercase();
            if self.exact.contains(&lower) {
                return true;
            }
        }
        if all_upper {
            // `TRPC` for `tRPC`: any entry in capitals.
            return self.exact.iter().any(|w| w.to_uppercase() == word);
        }
        false
    }
}

/// Reads the words file at `path`; a missing file is an empty list.
pub fn read(path: &Path, shown: &str) -> Result<Option<WordList>, WordsError> {
    if !path.exists() {
        return Ok(None);
    }
    let text = read_text(path, shown)?;
    Ok(Some(WordList::from_text(&text)))
}

fn read_text(path: &Path, shown: &str) -> Result<String, WordsError> {
    let bytes = crate::fsio::read_regular(path, MAX_WORDS_SIZE).map_err(|e| WordsError::Io {
        path: shown.to_owned(),
        message: e.to_string(),
    })?;
    String::from_utf8(bytes).map_err(|_| WordsError::Io {
        path: shown.to_owned(),
        message: "not valid UTF-8".into(),
    })
}

/// Adds `words` to the file at `path` (created, with its folder, when
/// missing): comments stay at the top, the words follow sorted (ignoring
/// case) and without duplicates. Returns the words that were new.
pub fn add(path: &Path, shown: &str, words: &[String]) -> Result<Vec<String>, WordsError> {
    for word in words {
        if word.is_empty() || word.chars().any(char::is_whitespace) || word.starts_with('#') {
            return Err(WordsError::NotAWord(word.clone()));
        }
    }
    let existing = if path.exists() {
        read_text(path, shown)?
    } else {
        String::new()
    };
    let (text, added) = with_words(&existing, words);
    if added.is_empty() {
        return Ok(added);
    }
    let io = |message: String| WordsError::Io {
        path: shown.to_owned(),
        message,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| io(e.to_string()))?;
    }
    crate::fsio::write_atomic(path, text.as_bytes(), crate::fsio::SymlinkPolicy::Replace)
        .map_err(|e| io(e.to_string()))?;
    Ok(added)
}

/// The text of a words file holding `existing`'s lines and `words`: its
/// leading comment lines first, then every word once, sorted ignoring case,
/// each with the comment that followed it on its line. Also returns the
/// words that were not there.
pub fn with_words(existing: &str, words: &[String]) -> (String, Vec<String>) {
    let mut header = Vec::new();
    let mut entries: Vec<(String, String)> = Vec::new();
    let mut in_header = true;
    for line in existing.lines() {
        let trimmed = line.trim();
        let word = line.split('#').next().unwrap_or("").trim();
        if word.is_empty() {
            if in_header && !trimmed.is_empty() {
                header.push(line.to_owned());
            }
            continue;
        }
        in_header = false;
        entries.push((word.to_owned(), trimmed.to_owned()));
    }
    let mut added = Vec::new();
    for word in words {
        if !entries.iter().any(|(w, _)| w == word) && !added.contains(word) {
            added.push(word.clone());
            entries.push((word.clone(), word.clone()));
        }
    }
    entries.sort_by(|a, b| {
        a.0.to_lowercase()
            .cmp(&b.0.to_lowercase())
            .then_with(|| a.0.cmp(&b.0))
    });
    entries.dedup_by(|a, b| a.0 == b.0);
    let mut text = String::new();
    for line in &header {
        text.push_str(line);
        text.push('\n');
    }
    for (_, line) in &entries {
        text.push_str(line);
        text.push('\n');
    }
    (text, added)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_case_words_match_any_capitalization_others_as_written() {
        let list = WordList::from_text("# ours\nbackend\ntRPC # the framework\n\n");
        assert_eq!(list.len(), 2);
        for known in ["backend", "Backend", "BACKEND", "tRPC", "TRPC"] {
            assert!(list.contains(known), "{known}");
        }
        for unknown in ["BackEnd", "trpc", "Trpc", "ours"] {
            assert!(!list.contains(unknown), "{unknown}");
        }
    }

    #[test]
    fn adding_keeps_the_header_sorts_and_deduplicates() {
        let (text, added) = with_words(
            "# Words of this repository\n\nzeta\nAlpha # a name\nzeta\n",
            &["beta".into(), "Alpha".into(), "beta".into()],
        );
        assert_eq!(
            text,
            "# Words of this repository\nAlpha # a name\nbeta\nzeta\n"
        );
        assert_eq!(added, ["beta"]);
        let (text, added) = with_words("", &["tRPC".into()]);
        assert_eq!((text.as_str(), added.len()), ("tRPC\n", 1));
    }

    #[test]
    fn add_creates_the_file_and_refuses_what_is_not_a_word() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".guidepress/words.txt");
        let added = add(&path, "words.txt", &["NestJS".into(), "tRPC".into()]).unwrap();
        assert_eq!(added.len(), 2);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "NestJS\ntRPC\n");
        assert!(
            add(&path, "words.txt", &["NestJS".into()])
                .unwrap()
                .is_empty()
        );
        assert!(matches!(
            add(&path, "words.txt", &["two words".into()]),
            Err(WordsError::NotAWord(_))
        ));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "NestJS\ntRPC\n");
    }
}
