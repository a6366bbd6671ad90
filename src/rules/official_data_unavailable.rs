//! `GP608`: the official data the guide is checked against can be used. See [`OfficialDataUnavailable`].

use super::official::{self, Lookup};
use super::{Guide, Rule, finding};
use crate::codes;
use crate::data::DataError;
use crate::diagnostic::Diagnostic;

#[doc = include_str!("docs/GP608.md")]
pub struct OfficialDataUnavailable;

impl Rule for OfficialDataUnavailable {
    fn code(&self) -> &'static str {
        codes::OFFICIAL_DATA_UNAVAILABLE
    }

    fn doc(&self) -> &'static str {
        include_str!("docs/GP608.md")
    }

    fn check_guide(&self, guide: &Guide<'_>, out: &mut Vec<Diagnostic>) {
        let Lookup::Unavailable(error) = official::lookup(guide) else {
            return;
        };
        let (pointer, message, help) = match &error {
            DataError::UnknownRelease {
                asked,
                available,
                dir,
            } => (
                "/occupation/oews_release",
                format!(
                    "The guide pins OEWS release {asked}, which {} does not hold.",
                    dir.display()
                ),
                format!(
                    "the releases held are {available}; import the one the guide cites with `guidepress data import`, or remove `oews_release` to use the default"
                ),
            ),
            other => (
                "/occupation/soc_code",
                format!(
                    "The official data cannot be read, so the guide's figures were not checked against it: {other}."
                ),
                "`guidepress data import` rewrites a snapshot from BLS's downloads".to_owned(),
            ),
        };
        out.push(
            finding(guide, codes::OFFICIAL_DATA_UNAVAILABLE, pointer, message).with_help(help),
        );
    }
}
