//! EP release names: BLS names a projection by its base and target years,
//! `2024–34` (employment in 2024, projected to 2034). Snapshots are named
//! `2024-34.csv`; ordering the names as text orders them in time.

use std::fmt;

/// A projection release, `2024-34`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct EpRelease(String);

impl EpRelease {
    /// The release `text` names, when it has the form `YYYY-YY` (`2024-34`),
    /// with an en dash too (`2024–34`) or four-digit target (`2024-2034`).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim().replace('–', "-");
        let (base, target) = text.split_once('-')?;
        let base: u16 = base.parse().ok().filter(|_| base.len() == 4)?;
        let target: u16 = match target.len() {
            2 => {
                let short = target.parse::<u16>().ok()?;
                let same_century = (base / 100) * 100 + short;
                if same_century > base {
                    same_century
                } else {
                    same_century + 100
                }
            }
            4 => target.parse().ok()?,
            _ => return None,
        };
        Self::from_years(base, target)
    }

    /// The release projecting from `base` to `target` (`2024`, `2034`).
    pub fn from_years(base: u16, target: u16) -> Option<Self> {
        ((1990..=2100).contains(&base) && target > base && target - base <= 20)
            .then(|| EpRelease(format!("{base:04}-{:02}", target % 100)))
    }

    /// The release name, `2024-34`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The base year, `2024`.
    pub fn base_year(&self) -> u16 {
        self.0[..4].parse().unwrap_or(0)
    }

    /// The target year, `2034`.
    pub fn target_year(&self) -> u16 {
        let base = self.base_year();
        let short: u16 = self.0[5..].parse().unwrap_or(0);
        let century = (base / 100) * 100;
        if century + short > base {
            century + short
        } else {
            century + 100 + short
        }
    }

    /// How BLS writes it: `2024–34`.
    pub fn label(&self) -> String {
        self.0.replace('-', "–")
    }
}

impl fmt::Display for EpRelease {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        let release = EpRelease::parse("2024-34").unwrap();
        assert_eq!(release.label(), "2024–34");
        assert_eq!((release.base_year(), release.target_year()), (2024, 2034));
        assert_eq!(EpRelease::parse("2024–2034"), Some(release.clone()));
        assert_eq!(EpRelease::parse("2094-04").unwrap().target_year(), 2104);
        assert!(EpRelease::parse("2025A01").is_none());
        assert!(EpRelease::parse("2034-24").is_none());
        assert!(EpRelease::parse("24-34").is_none());
        assert!(EpRelease::parse("2023-33") < Some(release));
    }
}
