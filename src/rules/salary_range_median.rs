//! `GP302`: `salary_range.min <= national_median_salary <= salary_range.max`. See [`RangeContainsMedian`].

use super::{Guide, Rule, finding, thousands};
use crate::codes;
use crate::diagnostic::Diagnostic;

#[doc = include_str!("docs/GP302.md")]
pub struct RangeContainsMedian;

impl Rule for RangeContainsMedian {
    fn code(&self) -> &'static str {
        codes::RANGE_CONTAINS_MEDIAN
    }

    fn doc(&self) -> &'static str {
        include_str!("docs/GP302.md")
    }

    fn check_guide(&self, guide: &Guide<'_>, out: &mut Vec<Diagnostic>) {
        let (Some(min), Some(max)) = (
            guide.int("/facts/salary_range/min"),
            guide.int("/facts/salary_range/max"),
        ) else {
            return;
        };
        if min > max {
            out.push(
                finding(
                    guide,
                    codes::RANGE_CONTAINS_MEDIAN,
                    "/facts/salary_range/min",
                    format!(
                        "The salary range runs backwards: its minimum ({}) is above its maximum ({}).",
                        thousands(min),
                        thousands(max)
                    ),
                )
                .with_span_label("minimum")
                .with_label(guide.span("/facts/salary_range/max"), "maximum")
                .with_help("swap `min` and `max`"),
            );
            return;
        }
        let Some(median) = guide.int("/facts/national_median_salary") else {
            return;
        };
        let (side, pointer) = if median < min {
            ("below the range's minimum", "/facts/salary_range/min")
        } else if median > max {
            ("above the range's maximum", "/facts/salary_range/max")
        } else {
            return;
        };
        out.push(
            finding(
                guide,
                codes::RANGE_CONTAINS_MEDIAN,
                "/facts/national_median_salary",
                format!(
                    "The national median salary ({}) is {side}: the range is {}-{}.",
                    thousands(median),
                    thousands(min),
                    thousands(max)
                ),
            )
            .with_span_label("national median")
            .with_label(guide.span(pointer), "range bound defined here")
            .with_help("a median lies inside the range it summarises: check both figures against the source"),
        );
    }
}
