//! `GP611`: `facts.job_growth_pct` is BLS's projected change over the
//! decade. See [`JobGrowthOfficial`].

use super::outlook::{Said, decimals, found, number, report, rounded, value_decimals};
use super::{Guide, Rule, number_text};
use crate::codes;
use crate::diagnostic::Diagnostic;

#[doc = include_str!("docs/GP611.md")]
pub struct JobGrowthOfficial;

const GROWTH: &str = "/facts/job_growth_pct";
const PERIOD: &str = "/facts/job_growth_period_years";

impl Rule for JobGrowthOfficial {
    fn code(&self) -> &'static str {
        codes::JOB_GROWTH_OFFICIAL
    }

    fn doc(&self) -> &'static str {
        include_str!("docs/GP611.md")
    }

    fn check_guide(&self, guide: &Guide<'_>, out: &mut Vec<Diagnostic>) {
        let Some(written) = number(guide, GROWTH) else {
            return;
        };
        let Some((snapshot, codes)) = found(guide) else {
            return;
        };
        let Ok(outlook) = snapshot.outlook(&codes) else {
            return;
        };
        let release = &snapshot.release;
        let years = i64::from(release.target_year() - release.base_year());
        if let Some(period) = guide.int(PERIOD).filter(|p| *p != years) {
            out.push(report(
                guide,
                self.code(),
                &outlook,
                Said {
                    pointer: PERIOD,
                    message: format!(
                        "Job growth is given over {period} years; {} project over {years} years ({} to {}) for {}.",
                        outlook.source(),
                        release.base_year(),
                        release.target_year(),
                        outlook.occupations_text()
                    ),
                    label: format!("BLS: {years} years"),
                    help: "`job_growth_pct` is BLS's change over the whole projection decade, not a yearly rate; the period says which".into(),
                    replacement: Some(years.to_string()),
                },
            ));
        }
        let (official, tolerance) = outlook.change_pct();
        let half = 0.5 * 10f64.powi(-(value_decimals(written) as i32));
        if (written - official).abs() <= half + tolerance + 1e-9 {
            return;
        }
        let places = decimals(guide, GROWTH, written);
        let fixed = rounded(official, places);
        let base = outlook.employment_base();
        let target = outlook.employment_target();
        out.push(report(
            guide,
            self.code(),
            &outlook,
            Said {
                pointer: GROWTH,
                message: format!(
                    "Job growth is {} %; {} give {fixed} % for {}.",
                    number_text(written),
                    outlook.source(),
                    outlook.occupations_text()
                ),
                label: format!("BLS: {fixed} %"),
                help: format!(
                    "BLS's change over {}–{} is {official:.2} % (employment {} to {} thousand, {}); a written figure matches when it is BLS's rounded at the written precision (15 matches 15.18)",
                    release.base_year(),
                    release.target_year() % 100,
                    base.text(),
                    target.text(),
                    outlook.rows_text()
                ),
                replacement: Some(fixed),
            },
        ));
    }
}
