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
