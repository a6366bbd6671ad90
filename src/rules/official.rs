//! What the official-data rules (`GP601`-`GP608`) share: finding the guide's
//! occupation in the release it is checked against, listing the figures to
//! compare, the precision rule, and the finding with its unsafe fix.
//!
//! Nothing here reads a file until a guide asks: the store reads a snapshot
//! once, and parses an occupation's rows the first time a guide names it.

use std::sync::Arc;

use serde_json::Value;

use super::{Guide, finding, thousands};
use crate::data::figure::TOP_CODE_ANNUAL;
use crate::data::{DataError, Estimates, Figure, Occupation, RangeBasis, Snapshot};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};

/// The guide's occupation in its release.
pub(super) struct Official {
    /// The release's snapshot.
    pub snapshot: Arc<Snapshot>,
    /// The occupation.
    pub occupation: Arc<Occupation>,
    /// What `facts.salary_range` stands for.
    pub basis: RangeBasis,
}

/// What looking the guide's occupation up gave.
pub(super) enum Lookup {
    /// No data configured, or no SOC code to look up (the schema reports that).
    Off,
    /// The release or its snapshot cannot be used.
    Unavailable(DataError),
    /// The release has no such code.
    UnknownCode(Arc<Snapshot>, String),
    /// Found.
    Found(Official),
}

/// The release a guide pins (`occupation.oews_release`), if any.
pub(super) fn pinned<'g>(guide: &Guide<'g>) -> Option<&'g str> {
    guide.str("/occupation/oews_release")
}

/// Looks the guide's SOC code up in the release it is checked against.
pub(super) fn lookup(guide: &Guide<'_>) -> Lookup {
    let Some(store) = guide.context.data.as_deref() else {
        return Lookup::Off;
    };
    let Some(code) = guide.str("/occupation/soc_code") else {
        return Lookup::Off;
    };
    if !crate::data::snapshot::is_soc_code(code) {
        return Lookup::Off;
    }
    let snapshot = match store.snapshot(pinned(guide)) {
        Ok(snapshot) => snapshot,
        Err(error) => return Lookup::Unavailable(error),
    };
    match snapshot.occupation(code) {
        Ok(Some(occupation)) => Lookup::Found(Official {
            snapshot,
            occupation,
            basis: store.basis,
        }),
        Ok(None) => Lookup::UnknownCode(snapshot, code.to_owned()),
        Err(error) => Lookup::Unavailable(error),
    }
}

/// The guide's occupation, when it was found.
pub(super) fn official(guide: &Guide<'_>) -> Option<Official> {
    match lookup(guide) {
        Lookup::Found(official) => Some(official),
        _ => None,
    }
}

impl Official {
    /// `BLS OEWS May 2025`.
    pub fn source(&self) -> String {
        format!("BLS OEWS {}", self.snapshot.release.label())
    }

    /// `Software Developers (15-1252)`.
    pub fn occupation_text(&self) -> String {
        format!("{} ({})", self.occupation.title, self.occupation.code)
    }

    /// Where a figure comes from: `data/oews/2025A01.csv:6 (U.S., A_MEDIAN)`.
    pub fn row_text(&self, row: &Estimates, column: &str) -> String {
        format!(
            "{}:{} ({}, {column})",
            self.snapshot.path.display(),
            row.line,
            row.area_title
        )
    }
}

/// Which fact of the guide a [`Check`] is about.
#[derive(Debug, Clone, Copy)]
pub(super) enum Fact {
    /// `facts.national_median_salary`.
    NationalMedian,
    /// `facts.salary_range.min`.
    RangeMin,
    /// `facts.salary_range.max`.
    RangeMax,
    /// `salary_by_state[i].median_salary`.
    StateMedian(usize),
    /// `salary_by_state[i].employed`.
    StateEmployment(usize),
}

/// One written figure and the official value it is compared with. The texts
/// of a finding (pointer, subject) are built only when one is reported.
pub(super) struct Check<'o> {
    /// The rule that compares it.
    pub code: &'static str,
    /// Which fact it is.
    pub fact: Fact,
    /// The written whole number.
    pub written: i64,
    /// The official figure, with the row and column it comes from; `None`
    /// when BLS has no row for the area.
    pub official: Option<(Figure, &'o Estimates, &'static str)>,
    /// The area's name: `California`, or the state code when BLS has no row.
    pub area: &'o str,
    basis: RangeBasis,
}

impl Check<'_> {
    /// Where the figure is written.
    pub fn pointer(&self) -> String {
        match self.fact {
            Fact::NationalMedian => "/facts/national_median_salary".into(),
            Fact::RangeMin => "/facts/salary_range/min".into(),
            Fact::RangeMax => "/facts/salary_range/max".into(),
            Fact::StateMedian(i) => format!("/salary_by_state/{i}/median_salary"),
            Fact::StateEmployment(i) => format!("/salary_by_state/{i}/employed"),
        }
    }

    /// What the figure is: `California's median salary`.
    pub fn subject(&self) -> String {
        match self.fact {
            Fact::NationalMedian => "The national median salary".into(),
            Fact::RangeMin => "The salary range's minimum".into(),
            Fact::RangeMax => "The salary range's maximum".into(),
            Fact::StateMedian(_) => {
                format!("{} median salary", crate::text::possessive(self.area))
            }
            Fact::StateEmployment(_) => {
                format!("{} employment", crate::text::possessive(self.area))
            }
        }
    }

    /// What BLS's figure is, when that needs saying: ` as the national 10th percentile`.
    pub fn measure(&self) -> String {
        let (low, high) = self.basis.names();
        match self.fact {
            Fact::RangeMin => format!(" as the national {low} percentile"),
            Fact::RangeMax => format!(" as the national {high} percentile"),
            _ => String::new(),
        }
    }
}

/// Every figure of the guide that has an official counterpart and is
/// compared by rule `only` (every rule's when `None`), in order: national
/// median, salary range, then each state's median and employment.
pub(super) fn checks<'o>(
    guide: &Guide<'o>,
    official: &'o Official,
    only: Option<&str>,
) -> Vec<Check<'o>> {
    use crate::codes::{
        NATIONAL_MEDIAN_OFFICIAL, SALARY_RANGE_OFFICIAL, STATE_EMPLOYMENT_OFFICIAL,
        STATE_MEDIAN_OFFICIAL,
    };
    let wanted = |code: &str| only.is_none_or(|o| o == code);
    let basis = official.basis;
    let mut out = Vec::new();
    let national = official.occupation.national.as_ref();
    let mut push = |code, fact, written: Option<&Value>, official, area| {
        if let Some(written) = written.and_then(super::whole) {
            out.push(Check {
                code,
                fact,
                written,
                official,
                area,
                basis,
            });
        }
    };
    if wanted(NATIONAL_MEDIAN_OFFICIAL) {
        push(
            NATIONAL_MEDIAN_OFFICIAL,
            Fact::NationalMedian,
            guide.get("/facts/national_median_salary"),
            national.map(|n| (n.median, n, "A_MEDIAN")),
            "U.S.",
        );
    }
    if wanted(SALARY_RANGE_OFFICIAL) {
        let (low, high) = match basis {
            RangeBasis::P10P90 => (
                national.map(|n| (n.pct10, n, "A_PCT10")),
                national.map(|n| (n.pct90, n, "A_PCT90")),
            ),
            RangeBasis::P25P75 => (
                national.map(|n| (n.pct25, n, "A_PCT25")),
                national.map(|n| (n.pct75, n, "A_PCT75")),
            ),
        };
        let range = guide.get("/facts/salary_range");
        push(
            SALARY_RANGE_OFFICIAL,
            Fact::RangeMin,
            range.and_then(|r| r.get("min")),
            low,
            "U.S.",
        );
        push(
            SALARY_RANGE_OFFICIAL,
            Fact::RangeMax,
            range.and_then(|r| r.get("max")),
            high,
            "U.S.",
        );
    }
    let (medians, employment) = (
        wanted(STATE_MEDIAN_OFFICIAL),
        wanted(STATE_EMPLOYMENT_OFFICIAL),
    );
    if !(medians || employment) {
        return out;
    }
    for (index, row) in guide
        .list("/salary_by_state")
        .into_iter()
        .flatten()
        .enumerate()
    {
        let Some(state) = row.get("state").and_then(Value::as_str) else {
            continue;
        };
        let data = official.occupation.state(state);
        let name = data.map_or(state, |d| d.area_title.as_str());
        if medians {
            push(
                STATE_MEDIAN_OFFICIAL,
                Fact::StateMedian(index),
                row.get("median_salary"),
                data.map(|d| (d.median, d, "A_MEDIAN")),
                name,
            );
        }
        if employment {
            push(
                STATE_EMPLOYMENT_OFFICIAL,
                Fact::StateEmployment(index),
                row.get("employed"),
                data.map(|d| (d.employment, d, "TOT_EMP")),
                name,
            );
        }
    }
    out
}

/// The smallest unit a written whole number is rounded to: its trailing
/// zeros (`178000` → 1,000; `80000` → 10,000; `133080` → 10).
pub(super) fn unit(written: i64) -> i128 {
    let mut unit = 1i128;
    let mut n = i128::from(written);
    while n != 0 && n % 10 == 0 && unit < 1_000_000_000_000 {
        n /= 10;
        unit *= 10;
    }
    unit
}

/// True when `written` is `official` rounded at the written precision: it
/// stands for every value from `written - unit/2` up to (not including)
/// `written + unit/2`, so `178000` matches 177,500-178,499.
pub(super) fn agrees(written: i64, official: i64) -> bool {
    let (w, o, u) = (i128::from(written), i128::from(official), unit(written));
    2 * w - u <= 2 * o && 2 * o < 2 * w + u
}

/// True when `written` may stand for a top-coded wage (at or above the
/// bound): some value it stands for reaches the bound.
pub(super) fn reaches_top_code(written: i64) -> bool {
    let (w, u) = (i128::from(written), unit(written));
    2 * w + u > 2 * i128::from(TOP_CODE_ANNUAL)
}

/// The findings of the rule with `code` (GP603–GP606): every figure that
/// rule checks and the official data contradicts. Nothing when the guide has
/// no official data to compare with.
pub(super) fn report_mismatches(guide: &Guide<'_>, code: &'static str, out: &mut Vec<Diagnostic>) {
    let Some(official) = official(guide) else {
        return;
    };
    for check in checks(guide, &official, Some(code)) {
        if check.code == code {
            out.extend(mismatch(guide, &official, &check));
        }
    }
}

/// The finding for a figure that disagrees with its official value, with the
/// unsafe fix writing BLS's figure; `None` when it agrees or cannot be compared
/// (a special value is `GP607`'s).
pub(super) fn mismatch(
    guide: &Guide<'_>,
    official: &Official,
    check: &Check<'_>,
) -> Option<Diagnostic> {
    let (figure, row, column) = check.official?;
    let written = thousands(check.written);
    let source = official.source();
    let occupation = official.occupation_text();
    let (message, fix) = match figure {
        Figure::Value(value) if !agrees(check.written, value) => (
            format!(
                "{} is {written}; {source} gives {}{} for {occupation}.",
                check.subject(),
                thousands(value),
                check.measure()
            ),
            Some(value),
        ),
        Figure::TopCoded if !reaches_top_code(check.written) => (
            format!(
                "{} is {written}; {source} gives at least {} (top-coded `#`){} for {occupation}.",
                check.subject(),
                thousands(TOP_CODE_ANNUAL),
                check.measure()
            ),
            None,
        ),
        _ => return None,
    };
    let pointer = check.pointer();
    let mut diagnostic = finding(guide, check.code, &pointer, message);
    // An embedded snapshot has no file for an editor to open.
    if !official.snapshot.built_in {
        diagnostic = diagnostic.with_external_label(
            official.snapshot.path.display().to_string(),
            row.line,
            format!(
                "{source}: {}, {}, {column}",
                row.area_title, official.occupation.code
            ),
        );
    }
    diagnostic = diagnostic
        .with_help(format!(
            "BLS's figure is at {}; a written figure matches when it equals BLS's rounded at the written precision (trailing zeros are rounding: 178000 stands for 177,500-178,499)",
            official.row_text(row, column)
        ));
    match fix {
        Some(value) => {
            let span = guide.span(&pointer);
            diagnostic = diagnostic
                .with_span_label(format!("BLS: {}", thousands(value)))
                .with_fix(Fix {
                    message: format!("Replace {} with {value} ({source})", check.written),
                    applicability: Applicability::Unsafe,
                    edits: vec![Edit {
                        span,
                        replacement: value.to_string(),
                    }],
                });
        }
        None => {
            diagnostic =
                diagnostic.with_span_label(format!("BLS: at least {}", thousands(TOP_CODE_ANNUAL)));
        }
    }
    Some(diagnostic)
}

/// A figure of a guide that the official data gives too, explained (the
/// editor's hover on a fact shows it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficialFigure {
    /// Where the guide writes it.
    pub pointer: String,
    /// What it is: `California's median salary`.
    pub subject: String,
    /// The written figure.
    pub written: i64,
    /// BLS's figure: `178,000`, `at least 239,200 (top-coded)`, or why it is missing.
    pub official: String,
    /// Whether the written figure agrees at its precision; `None` when BLS
    /// has no number to compare with.
    pub agrees: Option<bool>,
    /// `BLS OEWS May 2025`.
    pub source: String,
    /// `Software Developers (15-1252)`.
    pub occupation: String,
    /// Where BLS's figure is: `data/oews/2025A01.csv:3914 (California, A_MEDIAN)`.
    pub row: Option<String>,
}

/// Every figure of the guide in `file` that the official data gives too, as
/// the rules `GP603`-`GP606` compare them (nothing without official data).
pub fn official_figures(
    file: &crate::document::LoadedFile,
    context: &super::RuleContext,
) -> Vec<OfficialFigure> {
    let Some(guide) = Guide::new(file, context) else {
        return Vec::new();
    };
    let Some(official) = official(&guide) else {
        return Vec::new();
    };
    checks(&guide, &official, None)
        .iter()
        .map(|check| {
            let (text, agrees, row) = match check.official {
                Some((Figure::Value(value), row, column)) => (
                    thousands(value),
                    Some(agrees(check.written, value)),
                    Some(official.row_text(row, column)),
                ),
                Some((Figure::TopCoded, row, column)) => (
                    format!("at least {} (top-coded `#`)", thousands(TOP_CODE_ANNUAL)),
                    Some(reaches_top_code(check.written)),
                    Some(official.row_text(row, column)),
                ),
                Some((figure, row, column)) => (
                    format!("not published ({})", figure.reason()),
                    None,
                    Some(official.row_text(row, column)),
                ),
                None => (format!("no estimate for {}", check.area), None, None),
            };
            OfficialFigure {
                pointer: check.pointer(),
                subject: format!("{}{}", check.subject(), check.measure()),
                written: check.written,
                official: text,
                agrees,
                source: official.source(),
                occupation: official.occupation_text(),
                row,
            }
        })
        .collect()
}

/// `text` as a YAML scalar: plain when it is safe to write plain, else double-quoted.
pub(super) fn yaml_scalar(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || " ,.-()&/'".contains(c))
        && !text.starts_with(['-', '\'', ' ', '&'])
        && !text.ends_with(' ');
    if plain {
        text.to_owned()
    } else {
        serde_json::to_string(text).unwrap_or_else(|_| format!("\"{text}\""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_zeros_are_rounding() {
        assert_eq!(unit(178_000), 1_000);
        assert_eq!(unit(133_080), 10);
        assert_eq!(unit(0), 1);
        assert!(agrees(178_000, 177_500));
        assert!(agrees(178_000, 178_499));
        assert!(!agrees(178_000, 178_500));
        assert!(!agrees(178_000, 177_499));
        assert!(agrees(80_000, 75_000));
        assert!(agrees(80_000, 84_999));
        assert!(!agrees(80_000, 85_000));
        assert!(agrees(135_980, 135_980));
        assert!(!agrees(135_981, 135_980));
        assert!(!agrees(133_080, 135_980));
    }

    #[test]
    fn top_code_accepts_figures_at_or_above_the_bound() {
        assert!(reaches_top_code(239_200));
        assert!(reaches_top_code(250_000));
        assert!(reaches_top_code(239_000));
        assert!(!reaches_top_code(238_000));
        assert!(!reaches_top_code(239_199));
    }

    #[test]
    fn titles_as_yaml() {
        assert_eq!(yaml_scalar("Software Developers"), "Software Developers");
        assert_eq!(yaml_scalar("Surgeons, All Other"), "Surgeons, All Other");
        assert_eq!(yaml_scalar("A: B"), "\"A: B\"");
    }
}
