//! `GP612`: `facts.annual_openings` is BLS's projected openings a year. See
//! [`AnnualOpeningsOfficial`].

use super::official::{agrees, unit};
use super::outlook::{Said, found, report};
use super::{Guide, Rule, thousands};
use crate::codes;
use crate::diagnostic::Diagnostic;

#[doc = include_str!("docs/GP612.md")]
pub struct AnnualOpeningsOfficial;

const OPENINGS: &str = "/facts/annual_openings";

/// `value` rounded (half up) to a multiple of `unit`.
fn round_to(value: i64, unit: i128) -> i64 {
    let value = i128::from(value);
    let rounded = (2 * value + unit).div_euclid(2 * unit) * unit;
    i64::try_from(rounded).unwrap_or(i64::MAX)
}

impl Rule for AnnualOpeningsOfficial {
    fn code(&self) -> &'static str {
        codes::ANNUAL_OPENINGS_OFFICIAL
    }

    fn doc(&self) -> &'static str {
        include_str!("docs/GP612.md")
    }

    fn check_guide(&self, guide: &Guide<'_>, out: &mut Vec<Diagnostic>) {
        let Some(written) = guide.int(OPENINGS) else {
            return;
        };
        let Some((snapshot, codes)) = found(guide) else {
            return;
        };
        let Ok(outlook) = snapshot.outlook(&codes) else {
            return;
        };
        let official = outlook.openings().people();
        // BLS rounds each occupation's openings to a hundred: a more precise
        // figure matches when it is within that rounding.
        let slack = 50 * outlook.members.len() as i64;
        let precise = unit(written) < 100 && (written - official).abs() <= slack;
        if agrees(written, official) || precise {
            return;
        }
        let fixed = round_to(official, unit(written).max(1));
        out.push(report(
            guide,
            self.code(),
            &outlook,
            Said {
                pointer: OPENINGS,
                message: format!(
                    "Annual openings are {}; {} give {} a year for {}.",
                    thousands(written),
                    outlook.source(),
                    thousands(fixed),
                    outlook.occupations_text()
                ),
                label: format!("BLS: {}", thousands(official)),
                help: format!(
                    "BLS's annual average openings over {}–{} are {} thousand ({}); a written figure matches when it is BLS's rounded at the written precision (129,000 matches 129.2 thousand)",
                    snapshot.release.base_year(),
                    snapshot.release.target_year() % 100,
                    outlook.openings().text(),
                    outlook.rows_text()
                ),
                replacement: Some(fixed.to_string()),
            },
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_at_the_written_precision() {
        assert_eq!(round_to(129_200, 100), 129_200);
        assert_eq!(round_to(129_200, 1_000), 129_000);
        assert_eq!(round_to(129_500, 1_000), 130_000);
        assert_eq!(round_to(129_200, 10_000), 130_000);
        assert!(agrees(129_200, 129_200));
        assert!(agrees(129_000, 129_200));
        assert!(!agrees(140_100, 129_200));
    }
}
