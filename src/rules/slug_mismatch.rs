//! `GP309`: a guide's `slug` equals its file name. See [`SlugMismatch`].

use super::{Guide, Rule, finding};
use crate::codes;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};

#[doc = include_str!("docs/GP309.md")]
pub struct SlugMismatch;

impl Rule for SlugMismatch {
    fn code(&self) -> &'static str {
        codes::SLUG_MISMATCH
    }

    fn doc(&self) -> &'static str {
        include_str!("docs/GP309.md")
    }

    fn check_guide(&self, guide: &Guide<'_>, out: &mut Vec<Diagnostic>) {
        let Some(slug) = guide.str("/slug") else {
            return;
        };
        let Some(stem) = guide.file.stem() else {
            return;
        };
        if slug == stem {
            return;
        }
        let mut diagnostic = finding(
            guide,
            codes::SLUG_MISMATCH,
            "/slug",
            format!("The slug `{slug}` differs from the file name `{stem}`."),
        )
        .with_span_label(format!("file is {stem}.yaml"))
        .with_help(format!(
            "rename the file to `{slug}.yaml`, or set the slug to `{stem}`"
        ));
        let span = guide.span("/slug");
        // Only a plain slug is rewritten; the fix changes the guide's address, so it is unsafe.
        let valid_stem = !stem.is_empty()
            && stem
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if valid_stem && guide.file.source.text.get(span.start..span.end) == Some(slug) {
            diagnostic = diagnostic.with_fix(Fix {
                message: format!("Set the slug to `{stem}`"),
                applicability: Applicability::Unsafe,
                edits: vec![Edit {
                    span,
                    replacement: stem.to_owned(),
                }],
            });
        }
        out.push(diagnostic);
    }
}
