//! `GP314`: each source was accessed recently enough. See [`StaleSource`].

use super::{Date, Guide, Rule, finding};
use crate::codes;
use crate::diagnostic::Diagnostic;

#[doc = include_str!("docs/GP314.md")]
pub struct StaleSource;

impl Rule for StaleSource {
    fn code(&self) -> &'static str {
        codes::STALE_SOURCE
    }

    fn doc(&self) -> &'static str {
        include_str!("docs/GP314.md")
    }

    fn check_guide(&self, guide: &Guide<'_>, out: &mut Vec<Diagnostic>) {
        let context = guide.context;
        for (index, source) in guide.list("/sources").into_iter().flatten().enumerate() {
            let Some(date) = source
                .get("accessed_on")
                .and_then(|v| v.as_str())
                .and_then(Date::parse)
            else {
                continue;
            };
            let age = context.today.days_since(date);
            if age <= context.source_max_age_days {
                continue;
            }
            let id = source.get("id").and_then(|v| v.as_str()).unwrap_or("?");
            out.push(
                finding(
                    guide,
                    codes::STALE_SOURCE,
                    &format!("/sources/{index}/accessed_on"),
                    format!(
                        "The source `{id}` was last accessed on {date}, {age} days ago (the limit is {} days).",
                        context.source_max_age_days
                    ),
                )
                .with_span_label("stale source")
                .with_help("check the figures taken from it against the current release and update `accessed_on`; the limit is `source_max_age_days` in `[rules]`"),
            );
        }
    }
}
