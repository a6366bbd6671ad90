//! `GP607`: a figure states an estimate BLS did not publish. See [`UnpublishedEstimate`].

use super::official;
use super::{Guide, Rule, finding, thousands};
use crate::codes;
use crate::data::Figure;
use crate::diagnostic::Diagnostic;

#[doc = include_str!("docs/GP607.md")]
pub struct UnpublishedEstimate;

impl Rule for UnpublishedEstimate {
    fn code(&self) -> &'static str {
        codes::UNPUBLISHED_ESTIMATE
    }

    fn doc(&self) -> &'static str {
        include_str!("docs/GP607.md")
    }

    fn check_guide(&self, guide: &Guide<'_>, out: &mut Vec<Diagnostic>) {
        let Some(official) = official::official(guide) else {
            return;
        };
        let source = official.source();
        let occupation = official.occupation_text();
        for check in official::checks(guide, &official, None) {
            let written = thousands(check.written);
            let row = check.official.map(|(_, row, column)| (row, column));
            let (message, help) = match check.official {
                None if !official.snapshot.has_state_rows() => (
                    format!(
                        "{} is {written}, but {source} cannot check it: this snapshot has no state rows ({}).",
                        check.subject(),
                        official.snapshot.path.display()
                    ),
                    "the snapshot was made from BLS's national download only; import the release's state table too (`guidepress data import national_M<year>_dl.xlsx state_M<year>_dl.xlsx --force`), or check the guide against a release with states".to_owned(),
                ),
                None => (
                    format!(
                        "{} is {written}, but {source} has no estimate for {occupation} in {}.",
                        check.subject(),
                        check.area
                    ),
                    format!(
                        "`guidepress data show {}` lists the areas BLS estimated; cite the source this figure comes from, or drop the row",
                        official.occupation.code
                    ),
                ),
                Some((
                    figure @ (Figure::WageNotReleased
                    | Figure::EmploymentNotReleased
                    | Figure::Blank),
                    row,
                    column,
                )) => (
                    format!(
                        "{} is {written}, but {source} did not publish it for {occupation} ({}).",
                        check.subject(),
                        figure.reason()
                    ),
                    format!(
                        "the figure cannot be checked; cite the source it comes from, or drop it (BLS's row: {})",
                        official.row_text(row, column)
                    ),
                ),
                Some(_) => continue,
            };
            let mut diagnostic = finding(
                guide,
                codes::UNPUBLISHED_ESTIMATE,
                &check.pointer(),
                message,
            )
            .with_span_label("not published by BLS")
            .with_help(help);
            if let Some((row, column)) = row.filter(|_| !official.snapshot.built_in) {
                diagnostic = diagnostic.with_external_label(
                    official.snapshot.path.display().to_string(),
                    row.line,
                    format!(
                        "{source}: {}, {}, {column}",
                        row.area_title, official.occupation.code
                    ),
                );
            }
            out.push(diagnostic);
        }
    }
}
