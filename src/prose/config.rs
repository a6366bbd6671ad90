//! `[prose]` in `guidepress.toml`: which fields are prose beyond what the
//! schema marks, the repository's words file, another dictionary, and the
//! house terms.
//!
//! ```toml
//! [prose]
//! words = ".guidepress/words.txt"          # the repository's own words
//! dictionary = "dictionaries/en_GB"        # a Hunspell .aff/.dic pair; default: the built-in en_US
//!
//! [prose.fields]                           # JSON Pointer pattern (`*`: any item or key) = kind
//! "/faqs/*/answer" = "markdown"
//! "/eyebrow" = "off"
//!
//! [prose.terms]                            # written = what the house writes
//! "back-end" = "backend"
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// The default words file, relative to the configuration's folder.
pub const DEFAULT_WORDS: &str = ".guidepress/words.txt";

/// `[prose]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ProseConfig {
    /// Run the prose checks (`GP7xx`) at all (default true).
    pub enabled: bool,
    /// The repository's own words, one a line, `#` comments (relative to the
    /// config's folder; default `.guidepress/words.txt`; a missing file is no
    /// words). `guidepress words add WORD` writes to it.
    pub words: PathBuf,
    /// A Hunspell dictionary to spell with instead of the built-in en_US
    /// one: the path of its `.aff`/`.dic` pair without the extension
    /// (relative to the config's folder), e.g. `dictionaries/en_GB`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dictionary: Option<PathBuf>,
    /// Prose fields besides (or instead of) those the schema marks with
    /// `x-prose`: a JSON Pointer pattern (`*` matches any list item or key)
    /// and `"text"`, `"markdown"` or `"off"`.
    pub fields: BTreeMap<String, FieldKind>,
    /// House terms: a term as written (matched as a whole word, ignoring
    /// case) and what the house writes instead (`GP702`, a safe fix that keeps
    /// the written capitalization).
    pub terms: BTreeMap<String, String>,
}

impl Default for ProseConfig {
    fn default() -> Self {
        ProseConfig {
            enabled: true,
            words: PathBuf::from(DEFAULT_WORDS),
            dictionary: None,
            fields: BTreeMap::new(),
            terms: BTreeMap::new(),
        }
    }
}

/// How a prose field is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
    /// Plain text: every word is prose, except addresses.
    Text,
    /// Markdown: code spans, code blocks, HTML, autolinks, link targets and
    /// addresses are not prose; link text is.
    Markdown,
    /// Not prose (removes a field the schema marks).
    Off,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_key_and_rejects_unknown_ones() {
        let text = r#"
words = "words.txt"
dictionary = "dictionaries/en_GB"
fields = { "/faqs/*/answer" = "markdown", "/eyebrow" = "off" }
terms = { "back-end" = "backend" }
"#;
        let config: ProseConfig = toml::from_str(text).unwrap();
        assert_eq!(config.words, PathBuf::from("words.txt"));
        assert_eq!(config.fields["/eyebrow"], FieldKind::Off);
        assert_eq!(config.terms["back-end"], "backend");
        assert!(toml::from_str::<ProseConfig>("word = \"x\"").is_err());
        assert!(toml::from_str::<ProseConfig>("fields = { \"/a\" = \"prose\" }").is_err());
        assert_eq!(
            toml::from_str::<ProseConfig>("").unwrap(),
            ProseConfig::default()
        );
    }
}
