//! The speller: a Hunspell dictionary read by `spellbook` (the built-in
//! en_US one unless `[prose] dictionary` names another), the built-in
//! technical words and the repository's words. Suggestions are computed only
//! for the words reported, once per word and run.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use super::words::WordList;

/// The built-in dictionary's files (embedded by `build.rs`).
pub const BUILTIN_AFF: &str = "dictionaries/en_US/en_US.aff";
/// See [`BUILTIN_AFF`].
pub const BUILTIN_DIC: &str = "dictionaries/en_US/en_US.dic";
/// The built-in technical words.
pub const BUILTIN_TECHNICAL: &str = "dictionaries/technical.txt";

/// The largest dictionary file read, in bytes.
const MAX_DICTIONARY_SIZE: u64 = 64 * 1024 * 1024;

/// Words longer than this get no suggestions (the search grows with the
/// length; such a word is rarely a slip of one letter).
pub const MAX_SUGGESTED_LEN: usize = 24;

/// The verdicts a thread reached, by word.
type Verdicts = HashMap<Box<str>, bool, foldhash::fast::RandomState>;

/// The most verdicts a thread remembers (then it starts again).
const MAX_CACHED_WORDS: usize = 100_000;

/// How many suggestions are offered.
pub const SUGGESTIONS: usize = 3;

/// A dictionary that could not be read.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct DictionaryError(pub String);

/// A parsed Hunspell dictionary.
pub struct Dictionary {
    inner: spellbook::Dictionary,
    /// Where it came from, as shown.
    pub origin: String,
}

impl std::fmt::Debug for Dictionary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dictionary")
            .field("origin", &self.origin)
            .finish_non_exhaustive()
    }
}

impl Dictionary {
    /// Parses a dictionary from its `.aff` and `.dic` texts.
    pub fn parse(aff: &str, dic: &str, origin: String) -> Result<Self, DictionaryError> {
        match spellbook::Dictionary::new(aff, dic) {
            Ok(inner) => Ok(Dictionary { inner, origin }),
            Err(e) => Err(DictionaryError(format!(
                "the dictionary {origin} cannot be read: {e}"
            ))),
        }
    }

    /// The built-in en_US dictionary, parsed once per process.
    pub fn builtin() -> Result<Arc<Dictionary>, DictionaryError> {
        static BUILTIN: OnceLock<Result<Arc<Dictionary>, DictionaryError>> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                let text = |path: &str| {
                    crate::builtin::read(path)
                        .and_then(|bytes| String::from_utf8(bytes).ok())
                        .ok_or_else(|| {
                            DictionaryError(format!("the built-in {path} is missing or not UTF-8"))
                        })
                };
                let origin = format!("en_US ({})", crate::builtin::ORIGIN);
                Dictionary::parse(&text(BUILTIN_AFF)?, &text(BUILTIN_DIC)?, origin).map(Arc::new)
            })
            .clone()
    }

    /// The dictionary at `stem` (`stem.aff` and `stem.dic`), shown as `shown`.
    pub fn open(stem: &Path, shown: &str) -> Result<Arc<Dictionary>, DictionaryError> {
        let text = |ext: &str| {
            let path = stem.with_extension(ext);
            let bytes = crate::fsio::read_regular(&path, MAX_DICTIONARY_SIZE).map_err(|e| {
                DictionaryError(format!(
                    "the dictionary file {shown}.{ext} cannot be read: {e}"
                ))
            })?;
            String::from_utf8(bytes).map_err(|_| {
                DictionaryError(format!("the dictionary file {shown}.{ext} is not UTF-8"))
            })
        };
        Dictionary::parse(&text("aff")?, &text("dic")?, shown.to_owned()).map(Arc::new)
    }

    /// True when the dictionary knows `word`.
    pub fn check(&self, word: &str) -> bool {
        self.inner.check(word)
    }
}

/// The built-in technical words, read once per process.
pub fn technical_words() -> &'static WordList {
    static WORDS: OnceLock<WordList> = OnceLock::new();
    WORDS.get_or_init(|| {
        let bytes = crate::builtin::read(BUILTIN_TECHNICAL).unwrap_or_default();
        WordList::from_text(&String::from_utf8_lossy(&bytes))
    })
}

/// Checks words against a dictionary and word lists.
#[derive(Debug)]
pub struct Speller {
    /// Tells this speller's entries in the per-thread cache from another's.
    id: usize,
    dictionary: Arc<Dictionary>,
    /// The repository's words.
    pub words: WordList,
    suggestions: Mutex<HashMap<String, Arc<[String]>>>,
}

impl Speller {
    /// A speller with `dictionary` and the repository's `words`.
    pub fn new(dictionary: Arc<Dictionary>, words: WordList) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        Speller {
            id: NEXT.fetch_add(1, Ordering::Relaxed),
            dictionary,
            words,
            suggestions: Mutex::new(HashMap::new()),
        }
    }

    /// Where the dictionary came from.
    pub fn origin(&self) -> &str {
        &self.dictionary.origin
    }

    /// True when `word` is spelled right, or is not checked: it holds a
    /// digit, a letter outside the Latin script, or one letter only, or is in
    /// capitals (an acronym: `BLS`, `READMEs`).
    pub fn accepts(&self, word: &str) -> bool {
        if !checked(word) {
            return true;
        }
        // Guides share most of their words: each thread remembers the
        // verdicts it reached (a lookup instead of the dictionary's affix
        // analysis), up to a bound.
        thread_local! {
            static SEEN: RefCell<(usize, Verdicts)> =
                RefCell::new((usize::MAX, Verdicts::default()));
        }
        let cached = SEEN.with(|seen| {
            let mut seen = seen.borrow_mut();
            if seen.0 != self.id {
                *seen = (self.id, Verdicts::default());
            }
            seen.1.get(word).copied()
        });
        if let Some(verdict) = cached {
            return verdict;
        }
        let verdict = self.decide(word);
        SEEN.with(|seen| {
            let mut seen = seen.borrow_mut();
            if seen.1.len() >= MAX_CACHED_WORDS {
                seen.1.clear();
            }
            seen.1.insert(word.into(), verdict);
        });
        verdict
    }

    fn decide(&self, word: &str) -> bool {
        let word = word.trim_end_matches(['\'', '\u{2019}']);
        let straight;
        let word = if word.contains('\u{2019}') {
            straight = word.replace('\u{2019}', "'");
            straight.as_str()
        } else {
            word
        };
        if self.known(word) {
            return true;
        }
        // A possessive of a known word (`Kubernetes's`, `NestJS's`).
        if let Some(stem) = word
            .strip_suffix("'s")
            .or_else(|| word.strip_suffix("s'"))
            .filter(|s| !s.is_empty())
        {
            return self.known(stem);
        }
        false
    }

    fn known(&self, word: &str) -> bool {
        // Most words are the dictionary's: ask it first.
        self.dictionary.check(word) || self.words.contains(word) || technical_words().contains(word)
    }

    /// Up to [`SUGGESTIONS`] corrections for `word` (computed once per word).
    pub fn suggest(&self, word: &str) -> Arc<[String]> {
        if word.chars().count() > MAX_SUGGESTED_LEN {
            return Arc::from(Vec::new());
        }
        if let Some(found) = self.lock().get(word) {
            return Arc::clone(found);
        }
        // Edits of the word first (fast); the n-gram search walks the whole
        // word list, so it runs only when they find nothing.
        let mut out = Vec::new();
        let suggester = self.dictionary.inner.suggester();
        suggester
            .with_ngram_suggestions(false)
            .suggest(word, &mut out);
        out.retain(|s| s != word);
        if out.is_empty() {
            self.dictionary.inner.suggester().suggest(word, &mut out);
        }
        out.retain(|s| s != word);
        out.truncate(SUGGESTIONS);
        let found: Arc<[String]> = Arc::from(out);
        self.lock().insert(word.to_owned(), Arc::clone(&found));
        found
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<[String]>>> {
        // A panic elsewhere cannot leave the cache half written: use it anyway.
        self.suggestions
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// True when a word is spell-checked at all (see [`Speller::accepts`]).
pub fn checked(word: &str) -> bool {
    let mut letters = 0;
    let mut lower = false;
    for c in word.chars() {
        if c.is_numeric() {
            return false;
        }
        if c.is_alphabetic() {
            if !is_latin(c) {
                return false;
            }
            letters += 1;
            lower |= c.is_lowercase();
        }
    }
    // In capitals, but for a plural `s`: an acronym.
    let acronym = !word.trim_end_matches('s').chars().any(char::is_lowercase);
    letters > 1 && lower && !acronym
}

/// Latin letters: Basic Latin to Latin Extended-B, and Latin Extended Additional.
fn is_latin(c: char) -> bool {
    matches!(c as u32, 0..=0x024F | 0x1E00..=0x1EFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn speller() -> Speller {
        Speller::new(
            Dictionary::builtin().unwrap(),
            WordList::from_text("Hakia\n"),
        )
    }

    #[test]
    fn knows_english_technical_and_repository_words() {
        let speller = speller();
        for word in [
            "infrastructure",
            "Engineers",
            "company's",
            "don’t",
            "tRPC",
            "NestJS",
            "PostgreSQL",
            "backend",
            "Hakia",
            "Hakia's",
            "BLS",
            "APIs",
            "15-1252",
            "ゼロコスト",
            "x",
        ] {
            assert!(speller.accepts(word), "{word}");
        }
        for word in ["infrastucture", "Enginers", "hakia", "Teh"] {
            assert!(!speller.accepts(word), "{word}");
        }
    }

    #[test]
    fn suggests_corrections_once() {
        let speller = speller();
        let suggestions = speller.suggest("infrastucture");
        assert_eq!(
            suggestions.first().map(String::as_str),
            Some("infrastructure")
        );
        assert!(Arc::ptr_eq(&suggestions, &speller.suggest("infrastucture")));
        assert!(speller.suggest(&"a".repeat(40)).is_empty());
    }
}
