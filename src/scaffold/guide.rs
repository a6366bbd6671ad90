//! The draft `guidepress new` writes: the occupation's title and SOC code,
//! national median, salary range and its top states from the official data,
//! the occupation's own BLS OEWS page as the source, and placeholders
//! (`TODO: …`, GP316) for every text and for the figures the data does not
//! give. Such a draft passes the schema and every fact and official-data
//! rule; only GP316 reports it.

use std::path::{Path, PathBuf};

use crate::data::figure::TOP_CODE_ANNUAL;
use crate::data::projections::ProjectionStore;
use crate::data::snapshot::is_soc_code;
use crate::data::{DataStore, Estimates, Figure, RangeBasis};
use crate::decimal::Decimal;
use crate::rules::Date;

use super::{NewFile, ScaffoldError, fill, quoted};

/// What the draft is for.
#[derive(Debug, Clone)]
pub struct NewGuide {
    /// The guide's slug and file name (`registered-nurse`).
    pub slug: String,
    /// The SOC code (`29-1141`).
    pub soc: String,
    /// The guide's title; a placeholder when `None`.
    pub title: Option<String>,
    /// How many states to list (those with most employment).
    pub states: usize,
    /// The OEWS release (default: the store's default).
    pub release: Option<String>,
    /// The author id (`editorial.author`).
    pub author: String,
    /// The date written as `last_reviewed` and `accessed_on`.
    pub today: Date,
    /// The guidepress version (for the schema address).
    pub version: String,
}

/// The folder guides are written to, relative to the configuration's folder:
/// the folder of the first `kind = "guide"` entry of `[[schemas]]` whose glob
/// is `<folder>/*.yaml`, else `content/guides`.
pub fn guides_folder(config: &crate::config::Config) -> PathBuf {
    config
        .schemas
        .iter()
        .filter(|m| m.kind == crate::file_kind::FileKind::Guide)
        .find_map(|m| {
            let folder = m.files.strip_suffix("/*.yaml")?;
            (!folder.contains(['*', '?', '[', '{'])).then(|| PathBuf::from(folder))
        })
        .unwrap_or_else(|| PathBuf::from("content/guides"))
}

/// The ids of the author files in `dir` (`editor.yaml` → `editor`), sorted.
pub fn author_ids(dir: &Path) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| {
                    let name = e.file_name().to_str()?.to_owned();
                    name.strip_suffix(".yaml")
                        .or_else(|| name.strip_suffix(".yml"))
                        .map(str::to_owned)
                })
                .collect()
        })
        .unwrap_or_default();
    ids.sort();
    ids
}

/// True for a slug: lowercase words of letters and digits joined by single hyphens.
fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// A whole-dollar figure BLS published, with the top-coding bound for `#`.
fn dollars(figure: Figure) -> Option<i64> {
    match figure {
        Figure::Value(v) => Some(v),
        Figure::TopCoded => Some(TOP_CODE_ANNUAL),
        _ => None,
    }
}

/// The draft guide `new` describes, written into `folder` (relative to the
/// repository). `Err` when the SOC code is not in the release (with the
/// occupation it probably meant) or BLS publishes no national median for it.
pub fn draft(
    new: &NewGuide,
    store: &DataStore,
    projections: Option<&ProjectionStore>,
    folder: &Path,
) -> Result<NewFile, ScaffoldError> {
    if !is_slug(&new.slug) {
        return Err(ScaffoldError::Invalid(format!(
            "`{}` is not a slug: use lowercase letters and digits in words joined by hyphens, e.g. registered-nurse",
            new.slug
        )));
    }
    if !is_soc_code(&new.soc) {
        return Err(ScaffoldError::Invalid(format!(
            "`{}` is not a SOC code like 29-1141 (`guidepress data show TITLE` finds one by its title)",
            new.soc
        )));
    }
    let snapshot = store.snapshot(new.release.as_deref())?;
    let release = &snapshot.release;
    let source = format!("BLS OEWS {}", release.label());
    let Some(occupation) = snapshot.occupation(&new.soc)? else {
        let hint = snapshot
            .suggest(&new.soc, None)
            .map(|(code, title)| format!("; did you mean {code} ({title})?"))
            .unwrap_or_default();
        return Err(ScaffoldError::Invalid(format!(
            "SOC code {} is not in {source}{hint}",
            new.soc
        )));
    };
    let name = format!("{} ({})", occupation.title, occupation.code);
    let Some(national) = occupation.national.as_ref() else {
        return Err(ScaffoldError::Invalid(format!(
            "{source} has no national estimate for {name}: there is nothing to start the guide from"
        )));
    };
    let Figure::Value(median) = national.median else {
        return Err(ScaffoldError::Invalid(format!(
            "{source} publishes no exact national annual median for {name} (BLS: `{}`), so its figures cannot be written; write the guide by hand",
            national.median.whole_text()
        )));
    };
    let (low, high) = match store.basis {
        RangeBasis::P10P90 => (national.pct10, national.pct90),
        RangeBasis::P25P75 => (national.pct25, national.pct75),
    };
    let (Some(range_min), Some(range_max)) = (dollars(low), dollars(high)) else {
        return Err(ScaffoldError::Invalid(format!(
            "{source} publishes no annual percentiles for {name} (an occupation paid by the hour), so its salary range cannot be written; write the guide by hand"
        )));
    };
    let states = top_states(&occupation.states, new.states);
    let mut rows = String::new();
    let whole_percent = Decimal::parse("0").expect("a decimal");
    for (state, employed, state_median) in &states {
        rows.push_str(&format!(
            "\n  - state: {state}\n    employed: {employed}\n    median_salary: {state_median}\n    vs_national_pct: {}",
            whole_percent.correct(*state_median, median, false)
        ));
    }
    if states.is_empty() {
        rows.push_str(" []");
    }
    let digits = new.soc.replace('-', "");
    let source_id = format!("bls-oews-{digits}");
    let (low_name, high_name) = store.basis.names();
    let title = new.title.clone().unwrap_or_else(|| {
        format!(
            "TODO: the guide's title (the occupation: {})",
            occupation.title
        )
    });
    let outlook = outlook_lines(&occupation.code, projections)?;
    let text = fill(
        include_str!("templates/guide.yaml"),
        &[
            ("version", new.version.clone()),
            ("release_label", release.label()),
            ("release", release.to_string()),
            ("slug", new.slug.clone()),
            ("title", quoted(&title)),
            // Inside a double-quoted scalar: the quoted form without its quotes.
            ("occupation_yaml", quoted(&occupation.title)),
            ("occupation", {
                let q = quoted(&occupation.title);
                q[1..q.len() - 1].to_owned()
            }),
            ("author", new.author.clone()),
            ("today", new.today.to_string()),
            ("soc", occupation.code.clone()),
            ("national_median", median.to_string()),
            ("range_names", format!("{low_name} and {high_name}")),
            ("range_min", range_min.to_string()),
            ("range_max", range_max.to_string()),
            ("source_id", source_id),
            (
                "source_title",
                quoted(&format!(
                    "Occupational Employment and Wage Statistics: {} {}",
                    occupation.code, occupation.title
                )),
            ),
            (
                "source_url",
                format!("https://www.bls.gov/oes/current/oes{digits}.htm"),
            ),
            ("state_count", states.len().to_string()),
            ("salary_by_state", rows),
            ("outlook", outlook),
        ],
    );
    Ok(NewFile {
        path: folder.join(format!("{}.yaml", new.slug)),
        text,
    })
}

/// The outlook facts (growth over the projection decade, its period, annual
/// openings, typical entry education) from BLS's Employment Projections, as
/// GP611-GP613 check them; placeholders when no projections are held or the
/// occupation is not in them.
fn outlook_lines(
    soc: &str,
    projections: Option<&ProjectionStore>,
) -> Result<String, ScaffoldError> {
    let placeholders = "  job_growth_pct: 0  # TODO: projected growth, percent, from BLS Employment Projections\n  job_growth_period_years: 10  # TODO: the projection's period, in years\n  annual_openings: 0  # TODO: projected openings a year, from BLS Employment Projections\n  education: \"TODO: the typical entry-level education\"".to_owned();
    let Some(projections) = projections else {
        return Ok(placeholders);
    };
    let snapshot = projections.snapshot()?;
    let Ok(outlook) = snapshot.outlook(&[soc]) else {
        return Ok(placeholders);
    };
    let release = &snapshot.release;
    let (pct, _) = outlook.change_pct();
    let education = match outlook.education().as_slice() {
        [one] => quoted(one),
        _ => quoted("TODO: the typical entry-level education"),
    };
    Ok(format!(
        "  # BLS Employment Projections {release}: change over the decade, openings a year.\n  job_growth_pct: {}\n  job_growth_period_years: {}\n  annual_openings: {}\n  education: {education}",
        pct.round() as i64,
        release.target_year() - release.base_year(),
        outlook.openings().people(),
    ))
}

/// The `count` states with most employment among those where BLS published
/// both employment and an exact median, as (state, employed, median), highest
/// median first (the order GP303 wants; ties by employment, then state).
fn top_states(states: &[Estimates], count: usize) -> Vec<(String, i64, i64)> {
    let mut known: Vec<(String, i64, i64)> = states
        .iter()
        .filter_map(|e| match (e.employment, e.median) {
            (Figure::Value(employed), Figure::Value(median)) => {
                Some((e.state.clone(), employed, median))
            }
            _ => None,
        })
        .collect();
    known.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    known.truncate(count);
    known.sort_by(|a, b| {
        b.2.cmp(&a.2)
            .then_with(|| b.1.cmp(&a.1))
            .then_with(|| a.0.cmp(&b.0))
    });
    known
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(is_slug("registered-nurse"));
        assert!(is_slug("data-scientist-2"));
        assert!(!is_slug("Registered-Nurse"));
        assert!(!is_slug("a--b"));
        assert!(!is_slug("-a"));
        assert!(!is_slug(""));
    }
}
