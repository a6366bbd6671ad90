//! `GP307`: source ids are unique within a guide. See [`DuplicateSourceId`].

use super::unknown_source::source_ids;
use super::{Guide, Rule, finding};
use crate::codes;
use crate::diagnostic::Diagnostic;

#[doc = include_str!("docs/GP307.md")]
pub struct DuplicateSourceId;

impl Rule for DuplicateSourceId {
    fn code(&self) -> &'static str {
        codes::DUPLICATE_SOURCE_ID
    }

    fn doc(&self) -> &'static str {
        include_str!("docs/GP307.md")
    }

    fn check_guide(&self, guide: &Guide<'_>, out: &mut Vec<Diagnostic>) {
        let ids = source_ids(guide);
        for (position, (index, id)) in ids.iter().enumerate() {
            let Some((first, _)) = ids[..position].iter().find(|(_, other)| other == id) else {
                continue;
            };
            out.push(
                finding(
                    guide,
                    codes::DUPLICATE_SOURCE_ID,
                    &format!("/sources/{index}/id"),
                    format!("Two sources have the id `{id}`; references to it are ambiguous."),
                )
                .with_span_label("used again here")
                .with_label(
                    guide.span(&format!("/sources/{first}/id")),
                    "first used here",
                )
                .with_help("give each source its own id"),
            );
        }
    }
}
