//! `[rules]` in `guidepress.toml`: severities (globally and per path glob),
//! the editors list and the ages after which reviews and sources go stale.
//!
//! ```toml
//! [rules]
//! editors = ["taylor-rupe"]
//! review_max_age_days = 365
//! source_max_age_days = 730
//!
//! [rules.severity]              # code or name = "error" | "warning" | "off"
//! GP304 = "error"
//! stale-source = "off"
//!
//! [[rules.per_file]]            # later entries win over earlier ones and the global table
//! files = "content/guides/drafts/*.yaml"
//! severity = { GP313 = "off" }
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Default for `review_max_age_days`.
pub const DEFAULT_REVIEW_MAX_AGE_DAYS: i64 = 365;
/// Default for `source_max_age_days`.
pub const DEFAULT_SOURCE_MAX_AGE_DAYS: i64 = 730;

/// `[rules]`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RulesConfig {
    /// Run the fact rules at all (default true).
    pub enabled: bool,
    /// Ids allowed in `editorial.approved_by`; unchecked when absent.
    pub editors: Option<Vec<String>>,
    /// A guide whose `editorial.last_reviewed` is older than this many days gets `GP313`.
    pub review_max_age_days: i64,
    /// A source whose `accessed_on` is older than this many days gets `GP314`.
    pub source_max_age_days: i64,
    /// Severity by code or rule name.
    pub severity: BTreeMap<String, Level>,
    /// Severities for the files matching a glob (relative to the config's folder).
    pub per_file: Vec<PerFileConfig>,
}

impl Default for RulesConfig {
    fn default() -> Self {
        RulesConfig {
            enabled: true,
            editors: None,
            review_max_age_days: DEFAULT_REVIEW_MAX_AGE_DAYS,
            source_max_age_days: DEFAULT_SOURCE_MAX_AGE_DAYS,
            severity: BTreeMap::new(),
            per_file: Vec::new(),
        }
    }
}

/// One `[[rules.per_file]]` entry.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PerFileConfig {
    /// Glob of the files, relative to the config's folder.
    pub files: String,
    /// Severity by code or rule name for those files.
    pub severity: BTreeMap<String, Level>,
}

/// A configured severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Fails the run.
    Error,
    /// Reported; fails only with `--deny-warnings`.
    Warning,
    /// Not run.
    Off,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_key_and_rejects_unknown_ones() {
        let text = r#"
enabled = true
editors = ["taylor-rupe"]
review_max_age_days = 100
source_max_age_days = 200
severity = { GP304 = "error", stale-source = "off" }
[[per_file]]
files = "content/guides/drafts/*.yaml"
severity = { GP313 = "warning" }
"#;
        let config: RulesConfig = toml::from_str(text).unwrap();
        assert_eq!(config.review_max_age_days, 100);
        assert_eq!(config.severity["stale-source"], Level::Off);
        assert_eq!(config.per_file[0].severity["GP313"], Level::Warning);
        assert!(toml::from_str::<RulesConfig>("editor = []").is_err());
        assert!(toml::from_str::<RulesConfig>("severity = { GP301 = \"loud\" }").is_err());
    }
}
