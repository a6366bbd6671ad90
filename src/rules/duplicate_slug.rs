//! `GP310`: no two guides share a slug. See [`DuplicateSlug`].

use std::collections::HashMap;

use super::{Guide, Rule, finding};
use crate::codes;
use crate::diagnostic::Diagnostic;

#[doc = include_str!("docs/GP310.md")]
pub struct DuplicateSlug;

impl Rule for DuplicateSlug {
    fn code(&self) -> &'static str {
        codes::DUPLICATE_SLUG
    }

    fn doc(&self) -> &'static str {
        include_str!("docs/GP310.md")
    }

    fn check_workspace(&self, guides: &[Guide<'_>], out: &mut Vec<(usize, Diagnostic)>) {
        let mut first: HashMap<&str, usize> = HashMap::new();
        for (index, guide) in guides.iter().enumerate() {
            let Some(slug) = guide.str("/slug") else {
                continue;
            };
            let Some(&owner) = first.get(slug) else {
                first.insert(slug, index);
                continue;
            };
            let other = guides[owner].file.source.display_path();
            out.push((
                index,
                finding(
                    guide,
                    codes::DUPLICATE_SLUG,
                    "/slug",
                    format!("The slug `{slug}` is also used by {other}; both would publish to the same address."),
                )
                .with_span_label("used by another guide")
                .with_help("give each guide its own slug (and file name)"),
            ));
        }
    }
}
