//! `GP313`: `editorial.last_reviewed` is recent enough. See [`StaleReview`].

use super::{Date, Guide, Rule, finding};
use crate::codes;
use crate::diagnostic::Diagnostic;

#[doc = include_str!("docs/GP313.md")]
pub struct StaleReview;

impl Rule for StaleReview {
    fn code(&self) -> &'static str {
        codes::STALE_REVIEW
    }

    fn doc(&self) -> &'static str {
        include_str!("docs/GP313.md")
    }

    fn check_guide(&self, guide: &Guide<'_>, out: &mut Vec<Diagnostic>) {
        let Some(date) = guide.str("/editorial/last_reviewed").and_then(Date::parse) else {
            return;
        };
        let context = guide.context;
        let age = context.today.days_since(date);
        if age <= context.review_max_age_days {
            return;
        }
        out.push(
            finding(
                guide,
                codes::STALE_REVIEW,
                "/editorial/last_reviewed",
                format!(
                    "The guide was last reviewed on {date}, {age} days ago (the limit is {} days).",
                    context.review_max_age_days
                ),
            )
            .with_span_label("review is stale")
            .with_help("check the guide against its sources again and update `last_reviewed`; the limit is `review_max_age_days` in `[rules]`"),
        );
    }
}
