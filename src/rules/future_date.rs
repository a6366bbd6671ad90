//! `GP312`: editorial and source dates are not in the future. See [`FutureDate`].

use super::{Date, Guide, Rule, finding};
use crate::codes;
use crate::diagnostic::Diagnostic;

#[doc = include_str!("docs/GP312.md")]
pub struct FutureDate;

/// Every dated field the rules look at: `(pointer, text)`.
pub(super) fn dates<'a>(guide: &Guide<'a>) -> Vec<(String, &'a str)> {
    let mut found = Vec::new();
    for key in ["approved_on", "last_reviewed"] {
        let pointer = format!("/editorial/{key}");
        if let Some(text) = guide.str(&pointer) {
            found.push((pointer, text));
        }
    }
    for (index, source) in guide.list("/sources").into_iter().flatten().enumerate() {
        if let Some(text) = source.get("accessed_on").and_then(|v| v.as_str()) {
            found.push((format!("/sources/{index}/accessed_on"), text));
        }
    }
    found
}

impl Rule for FutureDate {
    fn code(&self) -> &'static str {
        codes::FUTURE_DATE
    }

    fn doc(&self) -> &'static str {
        include_str!("docs/GP312.md")
    }

    fn check_guide(&self, guide: &Guide<'_>, out: &mut Vec<Diagnostic>) {
        let today = guide.context.today;
        for (pointer, text) in dates(guide) {
            let Some(date) = Date::parse(text) else {
                continue;
            };
            if date <= today {
                continue;
            }
            let field = crate::validate::field_name(&pointer);
            out.push(
                finding(
                    guide,
                    codes::FUTURE_DATE,
                    &pointer,
                    format!("`{field}` is {date}, which is in the future (today is {today})."),
                )
                .with_span_label("in the future")
                .with_help("use the date it actually happened"),
            );
        }
    }
}
