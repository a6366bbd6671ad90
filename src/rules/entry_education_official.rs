//! `GP613`: the education a guide gives is BLS's typical education needed
//! for entry. See [`EntryEducationOfficial`].

use super::outlook::{Said, found, report};
use super::{Guide, Rule};
use crate::codes;
use crate::diagnostic::Diagnostic;

#[doc = include_str!("docs/GP613.md")]
pub struct EntryEducationOfficial;

/// BLS's education levels: its wording, a short form for `education_short`,
/// and the words that name the level in a guide's text.
const LEVELS: &[(&str, &str, &[&str])] = &[
    (
        "Doctoral or professional degree",
        "Doctoral or professional degree",
        &["doctor", "ph.d", "phd", "professional degree"],
    ),
    ("Master's degree", "Master's", &["master"]),
    ("Bachelor's degree", "Bachelor's", &["bachelor"]),
    ("Associate's degree", "Associate's", &["associate"]),
    (
        "Postsecondary nondegree award",
        "Postsecondary certificate",
        &["postsecondary", "nondegree", "non-degree", "certificate"],
    ),
    ("Some college, no degree", "Some college", &["some college"]),
    (
        "High school diploma or equivalent",
        "High school diploma",
        &["high school", "ged"],
    ),
    (
        "No formal educational credential",
        "No formal credential",
        &["no formal", "none"],
    ),
];

/// The levels a text names (indexes into [`LEVELS`]).
fn levels_named(text: &str) -> Vec<usize> {
    let lower = text.to_lowercase().replace('’', "'");
    LEVELS
        .iter()
        .enumerate()
        .filter(|(_, (_, _, words))| words.iter().any(|w| lower.contains(w)))
        .map(|(i, _)| i)
        .collect()
}

fn level_of_bls(text: &str) -> Option<usize> {
    LEVELS
        .iter()
        .position(|(bls, _, _)| bls.eq_ignore_ascii_case(text.trim()))
        .or_else(|| levels_named(text).first().copied())
}

impl Rule for EntryEducationOfficial {
    fn code(&self) -> &'static str {
        codes::ENTRY_EDUCATION_OFFICIAL
    }

    fn doc(&self) -> &'static str {
        include_str!("docs/GP613.md")
    }

    fn check_guide(&self, guide: &Guide<'_>, out: &mut Vec<Diagnostic>) {
        let fields = [
            ("/facts/education", guide.str("/facts/education")),
            (
                "/facts/education_short",
                guide.str("/facts/education_short"),
            ),
        ];
        if fields.iter().all(|(_, v)| v.is_none()) {
            return;
        }
        let Some((snapshot, codes)) = found(guide) else {
            return;
        };
        let Ok(outlook) = snapshot.outlook(&codes) else {
            return;
        };
        let bls = outlook.education();
        let official: Vec<usize> = bls.iter().filter_map(|e| level_of_bls(e)).collect();
        let Some(&first) = official.first() else {
            return;
        };
        for (pointer, text) in fields {
            let Some(text) = text else {
                continue;
            };
            let named = levels_named(text);
            // A text that names no level (or agrees) says nothing to compare.
            if named.is_empty() || named.iter().any(|l| official.contains(l)) {
                continue;
            }
            let short = pointer.ends_with("_short");
            out.push(report(
                guide,
                self.code(),
                &outlook,
                Said {
                    pointer,
                    message: format!(
                        "The entry education is \"{text}\"; {} give {} as the typical education needed for entry for {}.",
                        outlook.source(),
                        bls.join(" or "),
                        outlook.occupations_text()
                    ),
                    label: format!("BLS: {}", bls.join(" or ")),
                    help: "BLS's \"typical education needed for entry\" is what most workers need to enter the occupation; say so, or cite the source of a different requirement".into(),
                    replacement: short.then(|| LEVELS[first].1.to_owned()),
                },
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels() {
        assert_eq!(
            levels_named("Bachelor's in Computer Science or related field"),
            [2]
        );
        assert_eq!(levels_named("Master’s"), [1]);
        assert_eq!(levels_named("Certified in something"), Vec::<usize>::new());
        assert_eq!(level_of_bls("Bachelor's degree"), Some(2));
        assert_eq!(level_of_bls("Some college, no degree"), Some(5));
    }
}
