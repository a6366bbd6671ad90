//! `GP601`: the guide's SOC code is in the official data. See [`UnknownSocCode`].

use super::official::{self, Lookup};
use super::{Guide, Rule, finding};
use crate::codes;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};

#[doc = include_str!("docs/GP601.md")]
pub struct UnknownSocCode;

impl Rule for UnknownSocCode {
    fn code(&self) -> &'static str {
        codes::UNKNOWN_SOC_CODE
    }

    fn doc(&self) -> &'static str {
        include_str!("docs/GP601.md")
    }

    fn check_guide(&self, guide: &Guide<'_>, out: &mut Vec<Diagnostic>) {
        let Lookup::UnknownCode(snapshot, code) = official::lookup(guide) else {
            return;
        };
        let pointer = "/occupation/soc_code";
        let title = guide.str("/occupation/title");
        let source = format!("BLS OEWS {}", snapshot.release.label());
        let Some((suggested, suggested_title)) = snapshot.suggest(&code, title) else {
            out.push(
                finding(
                    guide,
                    codes::UNKNOWN_SOC_CODE,
                    pointer,
                    format!(
                        "SOC code {code} is not in {source} ({}).",
                        snapshot.path.display()
                    ),
                )
                .with_help("`guidepress data show TITLE` finds an occupation by its title"),
            );
            return;
        };
        let span = guide.span(pointer);
        let written = &guide.file.source.text[span.start..span.end];
        let replacement = match written.chars().next() {
            Some(quote @ ('"' | '\'')) => format!("{quote}{suggested}{quote}"),
            _ => format!("\"{suggested}\""),
        };
        out.push(
            finding(
                guide,
                codes::UNKNOWN_SOC_CODE,
                pointer,
                format!(
                    "SOC code {code} is not in {source}; did you mean {suggested} ({suggested_title})?"
                ),
            )
            .with_span_label(format!("did you mean {suggested}?"))
            .with_help(format!(
                "the codes and titles are in {}; `guidepress data show {suggested}` shows its figures",
                snapshot.path.display()
            ))
            .with_fix(Fix {
                message: format!("Replace {code} with {suggested} ({suggested_title})"),
                applicability: Applicability::Unsafe,
                edits: vec![Edit { span, replacement }],
            }),
        );
    }
}
