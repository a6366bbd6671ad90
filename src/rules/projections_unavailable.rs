//! `GP614`: the Employment Projections a guide's outlook is checked against
//! can be used. See [`ProjectionsUnavailable`].

use super::outlook::{self, Lookup};
use super::{Guide, Rule, finding};
use crate::codes;
use crate::diagnostic::Diagnostic;

#[doc = include_str!("docs/GP614.md")]
pub struct ProjectionsUnavailable;

impl Rule for ProjectionsUnavailable {
    fn code(&self) -> &'static str {
        codes::PROJECTIONS_UNAVAILABLE
    }

    fn doc(&self) -> &'static str {
        include_str!("docs/GP614.md")
    }

    fn check_guide(&self, guide: &Guide<'_>, out: &mut Vec<Diagnostic>) {
        match outlook::lookup(guide) {
            Lookup::Off => {}
            Lookup::Unavailable(error) => out.push(
                finding(
                    guide,
                    self.code(),
                    "/occupation/soc_code",
                    format!(
                        "The Employment Projections cannot be read, so the guide's outlook was not checked: {error}."
                    ),
                )
                .with_help("`guidepress data import occupation.xlsx` rewrites the snapshot from BLS's workbook"),
            ),
            Lookup::Found(snapshot, codes) => {
                let names: Vec<&str> = codes.iter().map(|(c, _)| *c).collect();
                let Err(missing) = snapshot.outlook(&names) else {
                    return;
                };
                for (code, pointer) in codes.iter().filter(|(c, _)| missing.iter().any(|m| m == c)) {
                    out.push(
                        finding(
                            guide,
                            self.code(),
                            pointer,
                            format!(
                                "BLS Employment Projections {} have no projection for {code}, so the guide's outlook was not checked.",
                                snapshot.release.label()
                            ),
                        )
                        .with_help(format!(
                            "name the occupations the outlook covers in `occupation.projections` (codes of {}; `guidepress data show {code}` looks one up)",
                            snapshot.path.display()
                        )),
                    );
                }
            }
        }
    }
}
