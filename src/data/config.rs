//! `[data]` in guidepress.toml: where the official data lives, which release
//! guides are checked against, and what the salary range stands for.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// The folder used when `[data] dir` is not set.
pub const DEFAULT_DIR: &str = "data/oews";

/// `[data]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct DataConfig {
    /// Check guides against the official data at all (the `GP6xx` rules).
    pub enabled: bool,
    /// The folder of snapshots (`<release>.csv`), relative to the
    /// configuration file. Unset: `data/oews`, and no data checks when that
    /// folder does not exist. Set: it must hold a snapshot.
    pub dir: Option<PathBuf>,
    /// The release guides are checked against unless they pin one
    /// (`occupation.oews_release`): `latest` (the newest snapshot) or a
    /// release name such as `2025A01`.
    pub release: String,
    /// The percentiles `facts.salary_range` stands for.
    pub salary_range: RangeBasis,
    /// The folder of BLS Employment Projections snapshots (`<release>.csv`,
    /// e.g. `2024-34.csv`), relative to the configuration file; guides'
    /// outlooks (`GP611`-`GP614`) are checked against the newest. Unset:
    /// `data/ep`, and no outlook checks when that folder does not exist.
    pub projections_dir: Option<PathBuf>,
}

impl Default for DataConfig {
    fn default() -> Self {
        DataConfig {
            enabled: true,
            dir: None,
            release: "latest".into(),
            salary_range: RangeBasis::default(),
            projections_dir: None,
        }
    }
}

/// Which annual wage percentiles `facts.salary_range` is checked against.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, schemars::JsonSchema,
)]
pub enum RangeBasis {
    /// The 10th and 90th percentiles (what BLS's Occupational Outlook Handbook quotes).
    #[default]
    #[serde(rename = "p10-p90")]
    P10P90,
    /// The 25th and 75th percentiles (the middle half of earners).
    #[serde(rename = "p25-p75")]
    P25P75,
}

impl RangeBasis {
    /// The ordinal names of the low and high percentile: `10th`, `90th`.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            RangeBasis::P10P90 => ("10th", "90th"),
            RangeBasis::P25P75 => ("25th", "75th"),
        }
    }
}
