//! The EP snapshot's table: one row per occupation of BLS's National
//! Employment Matrix (line items and summary rows), employment and openings
//! in thousands with one decimal as BLS publishes them, `—` where BLS has no
//! figure.

use serde::Serialize;

use crate::data::table as csv;

/// The columns of an EP snapshot, in the order `data import` writes them.
/// Readers find columns by name.
pub const COLUMNS: [&str; 12] = [
    "OCC_CODE",
    "OCC_TITLE",
    "OCC_TYPE",
    "EMP_BASE",
    "EMP_TARGET",
    "EMP_CHANGE",
    "EMP_CHANGE_PCT",
    "OPENINGS",
    "A_MEDIAN",
    "EDUCATION",
    "EXPERIENCE",
    "TRAINING",
];

/// What BLS writes where it has no figure.
pub const NOT_AVAILABLE: &str = "—";

/// A number with one decimal, in tenths (`115.2` → 1152): thousands of
/// people, or a percentage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Tenths(pub i64);

impl Tenths {
    /// Reads `115.2`, `-0.9`, `1,693.8`, `309.39999999999998` (rounded to one
    /// decimal, half away from zero); `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let text: String = text.trim().chars().filter(|c| *c != ',').collect();
        let parts = crate::decimal::DecimalParts::split(&text)?;
        if parts.whole.len() > 12 {
            return None;
        }
        let whole: i64 = if parts.whole.is_empty() {
            0
        } else {
            parts.whole.parse().ok()?
        };
        let mut digits = parts.fraction_digits().bytes().map(|b| i64::from(b - b'0'));
        let mut tenths = whole * 10 + digits.next().unwrap_or(0);
        if digits.next().is_some_and(|d| d >= 5) {
            tenths += 1;
        }
        Some(Tenths(if parts.negative() { -tenths } else { tenths }))
    }

    /// `115.2`, `-0.9`, `10.0`.
    pub fn text(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        format!("{sign}{}.{}", self.0.abs() / 10, self.0.abs() % 10)
    }

    /// Thousands of people as people (`115.2` → 115,200).
    pub fn people(self) -> i64 {
        self.0 * 100
    }

    /// The value as a float.
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 10.0
    }
}

impl Serialize for Tenths {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.as_f64())
    }
}

/// One occupation's projection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Projection {
    /// The snapshot line it was read from (1-based).
    pub line: usize,
    /// `15-1252`.
    pub code: String,
    /// BLS's title, `Software developers` (without the indentation).
    pub title: String,
    /// `Line item` (an occupation) or `Summary` (a group of them).
    pub kind: String,
    /// Employment in the base year, thousands.
    pub employment_base: Option<Tenths>,
    /// Employment projected for the target year, thousands.
    pub employment_target: Option<Tenths>,
    /// The change, thousands.
    pub change: Option<Tenths>,
    /// The change in percent over the decade (not a yearly rate).
    pub change_pct: Option<Tenths>,
    /// Occupational openings, annual average over the decade, thousands.
    pub openings: Option<Tenths>,
    /// The median annual wage in the base year (from OEWS), dollars:
    /// `133080`, or BLS's bound for a top-coded wage, `>=239200`.
    pub median_wage: Option<String>,
    /// Typical education needed for entry: `Bachelor's degree`.
    pub education: Option<String>,
    /// Work experience in a related occupation.
    pub experience: Option<String>,
    /// Typical on-the-job training.
    pub training: Option<String>,
}

fn number_text(value: Option<Tenths>) -> String {
    value.map_or_else(|| NOT_AVAILABLE.to_owned(), Tenths::text)
}

fn text_of(value: &Option<String>) -> String {
    value.clone().unwrap_or_else(|| NOT_AVAILABLE.to_owned())
}

/// A wage as the snapshot writes it: `133080` (from `133080`, `133,080`,
/// `133080.0`), or `>=239200` for BLS's top-coded `>=$239,200`.
fn wage_text(text: &str) -> Option<String> {
    let (bound, rest) = match text.strip_prefix(">=") {
        Some(rest) => (">=", rest),
        None => ("", text),
    };
    let digits: String = rest
        .trim()
        .trim_start_matches('$')
        .chars()
        .filter(|c| *c != ',')
        .collect();
    let whole = digits.strip_suffix(".0").unwrap_or(&digits);
    (!whole.is_empty() && whole.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("{bound}{whole}"))
}

/// True for BLS's "not available": `—`, `–`, `-`, `(—)` or an empty cell.
pub fn not_available(text: &str) -> bool {
    matches!(
        text.trim(),
        "" | "—" | "–" | "-" | "(—)" | "(-)" | "N/A" | "n/a"
    )
}

impl Projection {
    /// The row's fields in [`COLUMNS`] order.
    pub fn fields(&self) -> [String; 12] {
        [
            self.code.clone(),
            self.title.clone(),
            self.kind.clone(),
            number_text(self.employment_base),
            number_text(self.employment_target),
            number_text(self.change),
            number_text(self.change_pct),
            number_text(self.openings),
            text_of(&self.median_wage),
            text_of(&self.education),
            text_of(&self.experience),
            text_of(&self.training),
        ]
    }

    /// Reads one row; `fields` in [`COLUMNS`] order. `Err` names the column
    /// and value that are wrong.
    pub fn parse<S: AsRef<str>>(fields: &[S], line: usize) -> Result<Self, String> {
        let get = |i: usize| fields.get(i).map_or("", |f| f.as_ref().trim());
        let code = get(0);
        if !crate::data::snapshot::is_soc_code(code) {
            return Err(format!(
                "{} is `{code}`, not a SOC code like 15-1252",
                COLUMNS[0]
            ));
        }
        let title = get(1);
        if title.is_empty() {
            return Err(format!("{} is empty", COLUMNS[1]));
        }
        let number = |i: usize| -> Result<Option<Tenths>, String> {
            let text = get(i);
            if not_available(text) {
                return Ok(None);
            }
            Tenths::parse(text).map(Some).ok_or_else(|| {
                format!(
                    "{} is `{text}`, not a number or `{NOT_AVAILABLE}`",
                    COLUMNS[i]
                )
            })
        };
        let words = |i: usize| (!not_available(get(i))).then(|| get(i).to_owned());
        let wage = get(8);
        let median_wage = if not_available(wage) {
            None
        } else {
            Some(wage_text(wage).ok_or_else(|| {
                format!(
                    "{} is `{wage}`, not a number, a bound like `>=$239,200` or `{NOT_AVAILABLE}`",
                    COLUMNS[8]
                )
            })?)
        };
        Ok(Projection {
            line,
            code: code.to_owned(),
            title: title.to_owned(),
            kind: get(2).to_owned(),
            employment_base: number(3)?,
            employment_target: number(4)?,
            change: number(5)?,
            change_pct: number(6)?,
            openings: number(7)?,
            median_wage,
            education: words(9),
            experience: words(10),
            training: words(11),
        })
    }

    /// True for a summary row (a group of occupations, not one).
    pub fn is_summary(&self) -> bool {
        self.kind.eq_ignore_ascii_case("summary")
    }
}

/// The snapshot text: the header, then one record per projection.
pub fn write(projections: &[Projection]) -> String {
    let mut out = String::with_capacity(projections.len() * 160);
    csv::write_record(&mut out, &COLUMNS);
    for projection in projections {
        csv::write_record(&mut out, &projection.fields());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenths() {
        assert_eq!(Tenths::parse("115.2"), Some(Tenths(1152)));
        assert_eq!(Tenths::parse("309.39999999999998"), Some(Tenths(3094)));
        assert_eq!(Tenths::parse("1,693.8"), Some(Tenths(16938)));
        assert_eq!(Tenths::parse("-0.9"), Some(Tenths(-9)));
        assert_eq!(Tenths::parse("10"), Some(Tenths(100)));
        assert_eq!(Tenths::parse("0.25"), Some(Tenths(3)));
        assert_eq!(Tenths::parse("ten"), None);
        assert_eq!(Tenths(-9).text(), "-0.9");
        assert_eq!(Tenths(100).text(), "10.0");
        assert_eq!(Tenths(1152).people(), 115_200);
    }

    #[test]
    fn a_row_round_trips() {
        let fields = [
            "15-1252",
            "Software developers",
            "Line item",
            "1693.8",
            "1961.4",
            "267.7",
            "15.8",
            "115.2",
            "133080",
            "Bachelor's degree",
            "None",
            "—",
        ];
        let row = Projection::parse(&fields, 3).unwrap();
        assert_eq!(row.training, None);
        assert_eq!(row.fields(), fields.map(String::from));
        let bad = Projection::parse(&["15-1252", "x", "Line item", "lots"], 4).unwrap_err();
        assert_eq!(bad, "EMP_BASE is `lots`, not a number or `—`");
    }
}
