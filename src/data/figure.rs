//! One published value, or one of BLS's special values in its place.

use serde::{Serialize, Serializer};

use crate::decimal::DecimalParts;

/// The annual wage BLS top-codes at: `#` means "at least this much" (May 2025
/// and the releases before it back to May 2022 use $239,200 a year).
pub const TOP_CODE_ANNUAL: i64 = 239_200;
/// The hourly wage BLS top-codes at, in cents ($115.00).
pub const TOP_CODE_HOURLY_CENTS: i64 = 11_500;

/// A value as BLS publishes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    /// A number: whole dollars or people, or cents for hourly wages.
    Value(i64),
    /// `*`: the wage estimate was not released (or is not published for this
    /// measure, as for occupations paid by the hour only).
    WageNotReleased,
    /// `**`: the employment estimate was not released.
    EmploymentNotReleased,
    /// `#`: the wage is at or above the top-coding bound; only the bound is published.
    TopCoded,
    /// An empty cell.
    Blank,
}

/// The digits before and after the point of an unsigned decimal with at
/// least one digit before the point (`5`, `5.`, `5.25`).
fn unsigned_parts(text: &str) -> Option<(&str, &str)> {
    let parts = DecimalParts::split(text)?;
    (parts.sign.is_none() && !parts.whole.is_empty())
        .then(|| (parts.whole, parts.fraction_digits()))
}

impl Figure {
    /// A whole number (`1687890`, `1,687,890`, `135980.0`) or a special value.
    pub fn parse_whole(text: &str) -> Option<Figure> {
        if let Some(special) = Self::special(text) {
            return Some(special);
        }
        let digits: String = text.trim().chars().filter(|c| *c != ',').collect();
        let (whole, fraction) = unsigned_parts(&digits)?;
        if whole.len() > 15 || !fraction.bytes().all(|b| b == b'0') {
            return None;
        }
        whole.parse().ok().map(Figure::Value)
    }

    /// A money amount with at most two decimals (`71.2`, `71.20`, `1,071.20`)
    /// in cents, or a special value.
    pub fn parse_cents(text: &str) -> Option<Figure> {
        if let Some(special) = Self::special(text) {
            return Some(special);
        }
        let digits: String = text.trim().chars().filter(|c| *c != ',').collect();
        let (whole, fraction) = unsigned_parts(&digits)?;
        // Spreadsheets store 71.2 as 71.2000000001 at times: round to cents.
        if whole.len() > 13 {
            return None;
        }
        let whole: i64 = whole.parse().ok()?;
        let mut cents = 0i64;
        let mut digits = fraction.bytes().map(|b| i64::from(b - b'0'));
        cents += digits.next().unwrap_or(0) * 10;
        cents += digits.next().unwrap_or(0);
        if digits.next().is_some_and(|d| d >= 5) {
            cents += 1;
        }
        Some(Figure::Value(whole * 100 + cents))
    }

    fn special(text: &str) -> Option<Figure> {
        Some(match text.trim() {
            "*" => Figure::WageNotReleased,
            "**" => Figure::EmploymentNotReleased,
            "#" => Figure::TopCoded,
            "" => Figure::Blank,
            _ => return None,
        })
    }

    /// The value, when it is a number.
    pub fn value(self) -> Option<i64> {
        match self {
            Figure::Value(v) => Some(v),
            _ => None,
        }
    }

    /// How the snapshot writes a whole number or special value.
    pub fn whole_text(self) -> String {
        match self {
            Figure::Value(v) => v.to_string(),
            other => other.symbol().to_owned(),
        }
    }

    /// How the snapshot writes cents (`71.20`) or a special value.
    pub fn cents_text(self) -> String {
        match self {
            Figure::Value(v) => format!("{}.{:02}", v / 100, v % 100),
            other => other.symbol().to_owned(),
        }
    }

    /// BLS's symbol for a special value (empty for a number or a blank).
    pub fn symbol(self) -> &'static str {
        match self {
            Figure::WageNotReleased => "*",
            Figure::EmploymentNotReleased => "**",
            Figure::TopCoded => "#",
            Figure::Value(_) | Figure::Blank => "",
        }
    }

    /// Why a value is missing, in BLS's words (for a special value or a blank).
    pub fn reason(self) -> &'static str {
        match self {
            Figure::WageNotReleased => {
                "`*`: the wage estimate was not released; it does not meet BLS's publication standards, or the occupation is paid by the hour only"
            }
            Figure::EmploymentNotReleased => {
                "`**`: the employment estimate was not released; it does not meet BLS's publication standards"
            }
            Figure::TopCoded => {
                "`#`: the wage is at or above $239,200 a year; BLS publishes only that bound"
            }
            Figure::Blank => "the snapshot has no value for it",
            Figure::Value(_) => "",
        }
    }
}

impl Serialize for Figure {
    /// A number, BLS's symbol for a special value, or `null` for a blank.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Figure::Value(v) => serializer.serialize_i64(*v),
            Figure::Blank => serializer.serialize_none(),
            other => serializer.serialize_str(other.symbol()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_and_special_values() {
        assert_eq!(
            Figure::parse_whole("1687890"),
            Some(Figure::Value(1_687_890))
        );
        assert_eq!(
            Figure::parse_whole("1,687,890"),
            Some(Figure::Value(1_687_890))
        );
        assert_eq!(
            Figure::parse_whole("135980.0"),
            Some(Figure::Value(135_980))
        );
        assert_eq!(Figure::parse_whole("*"), Some(Figure::WageNotReleased));
        assert_eq!(
            Figure::parse_whole("**"),
            Some(Figure::EmploymentNotReleased)
        );
        assert_eq!(Figure::parse_whole("#"), Some(Figure::TopCoded));
        assert_eq!(Figure::parse_whole(""), Some(Figure::Blank));
        assert_eq!(Figure::parse_whole("12.5"), None);
        assert_eq!(Figure::parse_whole("n/a"), None);
        assert_eq!(Figure::parse_whole("-5"), None);
    }

    #[test]
    fn cents() {
        assert_eq!(Figure::parse_cents("71.20"), Some(Figure::Value(7120)));
        assert_eq!(Figure::parse_cents("71.2"), Some(Figure::Value(7120)));
        assert_eq!(
            Figure::parse_cents("71.2000000001"),
            Some(Figure::Value(7120))
        );
        assert_eq!(Figure::parse_cents("65.379999"), Some(Figure::Value(6538)));
        assert_eq!(Figure::parse_cents("115"), Some(Figure::Value(11500)));
        assert_eq!(Figure::Value(7120).cents_text(), "71.20");
        assert_eq!(Figure::parse_cents("#"), Some(Figure::TopCoded));
        assert_eq!(Figure::parse_cents("7l.20"), None);
    }
}
