//! OEWS release names. BLS codes its releases `YYYYAnn`: `2025A01` is the
//! first (and so far only) release for reference year 2025, the May 2025
//! estimates. Snapshots are named after them; ordering them as text orders
//! them in time.

use std::fmt;

/// A release name, `2025A01`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Release(String);

impl Release {
    /// The release `text` names, when it has the form `YYYYAnn`.
    pub fn parse(text: &str) -> Option<Self> {
        let b = text.as_bytes();
        let valid = b.len() == 7
            && b[..4].iter().all(u8::is_ascii_digit)
            && b[4] == b'A'
            && b[5..].iter().all(u8::is_ascii_digit);
        valid.then(|| Release(text.to_owned()))
    }

    /// The annual release of `year` (`2025` → `2025A01`).
    pub fn annual(year: u16) -> Self {
        Release(format!("{year:04}A01"))
    }

    /// The release name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// How BLS names it: `May 2025` (the annual estimates' reference month).
    pub fn label(&self) -> String {
        let year = &self.0[..4];
        match &self.0[5..] {
            "01" => format!("May {year}"),
            n => format!("{year} release {}", n.trim_start_matches('0')),
        }
    }

    /// The release a BLS download is for, from its file name:
    /// `national_M2025_dl.xlsx`, `state_M2025_dl.xlsx`, `all_data_M_2025.xlsx`
    /// (an `M`, an optional `_`, four digits).
    pub fn from_file_name(name: &str) -> Option<Self> {
        let b = name.as_bytes();
        (0..b.len()).find_map(|i| {
            if b[i] != b'M' || (i > 0 && b[i - 1].is_ascii_alphanumeric()) {
                return None;
            }
            let start = if b.get(i + 1) == Some(&b'_') {
                i + 2
            } else {
                i + 1
            };
            let digits = b.get(start..start + 4)?;
            let after = b.get(start + 4);
            if !digits.iter().all(u8::is_ascii_digit) || after.is_some_and(u8::is_ascii_digit) {
                return None;
            }
            let year: u16 = std::str::from_utf8(digits).ok()?.parse().ok()?;
            (1990..=2100).contains(&year).then(|| Release::annual(year))
        })
    }
}

impl fmt::Display for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_labels() {
        assert_eq!(Release::parse("2025A01").unwrap().label(), "May 2025");
        assert_eq!(Release::parse("2025A02").unwrap().label(), "2025 release 2");
        assert!(Release::parse("2025").is_none());
        assert!(Release::parse("2025a01").is_none());
        assert!(Release::parse("latest").is_none());
        assert!(Release::parse("2024A01") < Release::parse("2025A01"));
    }

    #[test]
    fn release_from_bls_file_names() {
        for name in [
            "national_M2025_dl.xlsx",
            "state_M2025_dl.xlsx",
            "all_data_M_2025.xlsx",
            "state_M2025_dl.csv",
        ] {
            assert_eq!(
                Release::from_file_name(name),
                Release::parse("2025A01"),
                "{name}"
            );
        }
        assert_eq!(Release::from_file_name("oews.xlsx"), None);
        assert_eq!(Release::from_file_name("national_M20251_dl.xlsx"), None);
        assert_eq!(Release::from_file_name("HUM2025.xlsx"), None);
    }
}
