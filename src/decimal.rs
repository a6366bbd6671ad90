//! Numbers written in plain decimal notation (`-12.70`, `+34`, `133080`),
//! read one way everywhere: [`DecimalParts`] splits the text, [`Decimal`]
//! keeps the value exactly with the number of decimals it was written with.

/// A number as written, split into sign, digits before the point and digits
/// after it, without computing anything. Either side of the point may be
/// empty (`.5`, `5.`), not both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecimalParts<'a> {
    /// Written with a sign (`-` or `+`).
    pub sign: Option<char>,
    /// The digits before the point (may be empty).
    pub whole: &'a str,
    /// The digits after the point, when there is a point (may be empty).
    pub fraction: Option<&'a str>,
}

impl<'a> DecimalParts<'a> {
    /// Splits `[+-]digits[.digits]`; `None` for anything else (exponents,
    /// separators, spaces, no digit at all).
    pub fn split(text: &'a str) -> Option<Self> {
        let (sign, digits) = match text.chars().next() {
            Some(c @ ('-' | '+')) => (Some(c), &text[1..]),
            _ => (None, text),
        };
        let (whole, fraction) = match digits.split_once('.') {
            Some((whole, fraction)) => (whole, Some(fraction)),
            None => (digits, None),
        };
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        let any_digit = !whole.is_empty() || fraction.is_some_and(|f| !f.is_empty());
        (any_digit && all_digits(whole) && fraction.is_none_or(all_digits)).then_some(
            DecimalParts {
                sign,
                whole,
                fraction,
            },
        )
    }

    /// True when written with a minus sign.
    pub fn negative(&self) -> bool {
        self.sign == Some('-')
    }

    /// The digits after the point, or `""` without a point.
    pub fn fraction_digits(&self) -> &'a str {
        self.fraction.unwrap_or("")
    }
}

/// A number as written in decimal notation: sign, digits without the point, digits after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decimal {
    /// Written with a minus sign.
    pub negative: bool,
    /// The digits as a whole number (`12.70` → 1270).
    pub units: i128,
    /// Digits after the point (`12.70` → 2).
    pub decimals: u32,
}

impl Decimal {
    /// Parses `-12.70`, `+34`, `0`; `None` for anything else (exponents, `.5`,
    /// `5.`, more than 12 digits before the point or 9 after it).
    pub fn parse(text: &str) -> Option<Self> {
        let parts = DecimalParts::split(text)?;
        let fraction = parts.fraction_digits();
        if parts.whole.is_empty()
            || parts.fraction == Some("")
            || parts.whole.len() > 12
            || fraction.len() > 9
        {
            return None;
        }
        let decimals = u32::try_from(fraction.len()).ok()?;
        let units = format!("{}{fraction}", parts.whole).parse::<i128>().ok()?;
        Some(Decimal {
            negative: parts.negative(),
            units,
            decimals,
        })
    }

    /// The value in units of its last written digit, with its sign (`-12.70` → -1270).
    pub fn signed(&self) -> i128 {
        self.scaled(self.decimals)
    }

    /// The value with its sign in units of `decimals` digits after the point
    /// (`-12.7` at 2 → -1270); `decimals` is at least [`Decimal::decimals`].
    pub fn scaled(&self, decimals: u32) -> i128 {
        let value = self.units * 10i128.pow(decimals.saturating_sub(self.decimals));
        if self.negative { -value } else { value }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_plain_decimals() {
        assert_eq!(
            Decimal::parse("-12.70"),
            Some(Decimal {
                negative: true,
                units: 1270,
                decimals: 2
            })
        );
        assert!(Decimal::parse("1e3").is_none());
        assert!(Decimal::parse(".5").is_none());
        assert!(Decimal::parse("5.").is_none());
        assert!(Decimal::parse("").is_none());
    }

    #[test]
    fn parts_split_sign_whole_and_fraction() {
        let parts = DecimalParts::split("+1.50").unwrap();
        assert_eq!(
            (parts.sign, parts.whole, parts.fraction),
            (Some('+'), "1", Some("50"))
        );
        assert_eq!(DecimalParts::split(".5").unwrap().whole, "");
        assert_eq!(DecimalParts::split("5.").unwrap().fraction, Some(""));
        for bad in ["", ".", "-", "1.2.3", "1,000", "1e3", " 1", "--1"] {
            assert!(DecimalParts::split(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn scaling_keeps_the_sign() {
        let d = Decimal::parse("-12.7").unwrap();
        assert_eq!(d.signed(), -127);
        assert_eq!(d.scaled(3), -12_700);
    }
}
