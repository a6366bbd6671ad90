//! What a content file is: the one fact about a file every stage of the
//! pipeline reads (the configuration sets it, the rules and publishing act on it).

use serde::{Deserialize, Serialize};

/// What a content file is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    /// A career guide.
    Guide,
    /// An author.
    Author,
    /// Anything else: schema checks only.
    #[default]
    Other,
}

/// True for a Markdown file (`.md`, `.markdown`): a page whose links
/// `guidepress links` checks (the README, the documentation site), not YAML
/// content.
pub fn is_markdown(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}
