//! `GP301`: each state's `vs_national_pct` agrees with its median and the national median. See [`SalaryVsNational`].

use serde_json::Value;

use super::{Guide, Rule, finding, thousands};
use crate::codes;
use crate::decimal::Decimal;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};

#[doc = include_str!("docs/GP301.md")]
pub struct SalaryVsNational;

impl Rule for SalaryVsNational {
    fn code(&self) -> &'static str {
        codes::SALARY_VS_NATIONAL
    }

    fn doc(&self) -> &'static str {
        include_str!("docs/GP301.md")
    }

    fn check_guide(&self, guide: &Guide<'_>, out: &mut Vec<Diagnostic>) {
        let Some(rows) = guide.list("/salary_by_state") else {
            return;
        };
        // Beyond this, figures are not salaries (and exact arithmetic stays in range).
        const MAX_SALARY: i64 = 1_000_000_000_000;
        if rows.is_empty() {
            return;
        }
        let national = guide.get("/facts/national_median_salary");
        let national = match national.and_then(super::whole) {
            Some(n) if n > 0 && n <= MAX_SALARY => n,
            _ if guide.schema_reported("/facts/national_median_salary") => return,
            other => {
                let (pointer, message) = match (national, other) {
                    (None, _) => (
                        "/salary_by_state",
                        "State percentages cannot be checked: `facts.national_median_salary` is missing.".to_owned(),
                    ),
                    (Some(_), Some(n)) => (
                        "/facts/national_median_salary",
                        format!("State percentages cannot be checked: the national median salary is {n}."),
                    ),
                    (Some(_), None) => (
                        "/facts/national_median_salary",
                        "State percentages cannot be checked: the national median salary is not a whole number of dollars.".to_owned(),
                    ),
                };
                let mut diagnostic = finding(guide, codes::SALARY_VS_NATIONAL, pointer, message);
                diagnostic.span = guide.key_span(pointer);
                out.push(
                    diagnostic
                        .with_help("set `facts.national_median_salary` to the national median, in whole US dollars a year"),
                );
                return;
            }
        };
        let written = written_texts(&guide.file.source.text, rows);
        for (index, row) in rows.iter().enumerate() {
            let Some(median) = row
                .get("median_salary")
                .and_then(super::whole)
                .filter(|m| m.abs() <= MAX_SALARY)
            else {
                continue;
            };
            let Some(pct) = row.get("vs_national_pct").and_then(Value::as_f64) else {
                continue;
            };
            let pointer = format!("/salary_by_state/{index}/vs_national_pct");
            let text = match written
                .as_ref()
                .and_then(|w| w.get(index).copied().flatten())
            {
                Some(text) => text.to_owned(),
                None => {
                    let span = guide.span(&pointer);
                    guide.file.source.text[span.start..span.end].to_owned()
                }
            };
            let Some(decimal) = Decimal::parse(&text) else {
                // Not plain decimal notation (`3.4e1`): the float is checked at its shortest form.
                let Some(decimal) = Decimal::parse(&format!("{pct}")) else {
                    // Beyond any percentage (`1e300`): wrong, and said so.
                    let Some(zero) = Decimal::parse("0") else {
                        continue;
                    };
                    out.push(self.report(guide, index, row, &text, &zero, median, national));
                    continue;
                };
                if decimal.agrees(median, national) {
                    continue;
                }
                out.push(self.report(guide, index, row, &text, &decimal, median, national));
                continue;
            };
            if decimal.agrees(median, national) {
                continue;
            }
            out.push(self.report(guide, index, row, &text, &decimal, median, national));
        }
    }
}

impl SalaryVsNational {
    #[allow(clippy::too_many_arguments)]
    fn report(
        &self,
        guide: &Guide<'_>,
        index: usize,
        row: &Value,
        text: &str,
        written: &Decimal,
        median: i64,
        national: i64,
    ) -> Diagnostic {
        let pointer = format!("/salary_by_state/{index}/vs_national_pct");
        let state = row
            .get("state")
            .and_then(Value::as_str)
            .map_or_else(|| format!("row {}", index + 1), str::to_owned);
        let exact = exact_text(median, national);
        let correct = written.correct(median, national, text.starts_with('+'));
        let precision = match written.decimals {
            0 => "a whole percent".to_owned(),
            1 => "one decimal".to_owned(),
            2 => "two decimals".to_owned(),
            d => format!("{d} decimals"),
        };
        let difference = i128::from(median) - i128::from(national);
        let wrong_sign =
            written.negative != (difference < 0) && written.units != 0 && difference != 0;
        let message = if wrong_sign {
            let (side, sign) = if difference < 0 {
                ("below", "negative")
            } else {
                ("above", "positive")
            };
            format!(
                "{} `vs_national_pct` is {text}, but its median salary ({}) is {side} the national median ({}): the percentage must be {sign}, {correct} to {precision}.",
                crate::text::possessive(&state),
                thousands(median),
                thousands(national),
            )
        } else {
            format!(
                "{} `vs_national_pct` is {text}, but ({} - {}) / {} × 100 = {exact}, which is {correct} to {precision}.",
                crate::text::possessive(&state),
                thousands(median),
                thousands(national),
                thousands(national),
            )
        };
        let span = guide.span(&pointer);
        finding(guide, codes::SALARY_VS_NATIONAL, &pointer, message)
            .with_span_label(format!("should be {correct}"))
            .with_label(
                guide.span(&format!("/salary_by_state/{index}/median_salary")),
                "state median defined here",
            )
            .with_label(
                guide.span("/facts/national_median_salary"),
                "national median defined here",
            )
            .with_help(
                "the page prints this number as the state's difference from the national median",
            )
            .with_fix(Fix {
                message: format!("Replace {text} with {correct}"),
                applicability: Applicability::Safe,
                edits: vec![Edit {
                    span,
                    replacement: correct.clone(),
                }],
            })
    }
}

/// The written text of each row's `vs_national_pct`, found by scanning the
/// source (no span index), or `None` when the scan does not match the rows
/// one to one (then the span index is asked, row by row).
fn written_texts<'t>(text: &'t str, rows: &[Value]) -> Option<Vec<Option<&'t str>>> {
    const KEY: &str = "vs_national_pct";
    let mut found = Vec::new();
    for (at, _) in text.match_indices(KEY) {
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        if text[line_start..at].contains('#') {
            continue;
        }
        let rest = text[at + KEY.len()..].trim_start_matches([' ', '\t']);
        let Some(rest) = rest.strip_prefix(':') else {
            continue;
        };
        let rest = rest.trim_start_matches([' ', '\t']);
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+')))
            .unwrap_or(rest.len());
        found.push(&rest[..end]);
    }
    let with_pct: Vec<&Value> = rows
        .iter()
        .filter(|row| row.get("vs_national_pct").is_some())
        .collect();
    if found.len() != with_pct.len() {
        return None;
    }
    let mut texts = found.into_iter();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let Some(value) = row.get("vs_national_pct") else {
            out.push(None);
            continue;
        };
        let text = texts.next()?;
        if text.parse::<f64>().ok() != value.as_f64() {
            return None;
        }
        out.push(Some(text));
    }
    Some(out)
}

/// GP301's arithmetic on a written percentage.
impl Decimal {
    /// True when the written value is within half a unit of its last digit of
    /// `(median - national) / national * 100` (both neighbours of an exact half).
    pub fn agrees(&self, median: i64, national: i64) -> bool {
        let national = i128::from(national);
        let scale = 10i128.pow(self.decimals);
        let target = (i128::from(median) - national) * 100 * scale;
        2 * (self.signed() * national - target).abs() <= national
    }

    /// The correct value at this precision (halves rounded away from zero).
    pub fn correct(&self, median: i64, national: i64, plus_sign: bool) -> String {
        let national = i128::from(national);
        let scale = 10i128.pow(self.decimals);
        let target = (i128::from(median) - national) * 100 * scale;
        let magnitude = (2 * target.abs() + national) / (2 * national);
        let digits = format!("{:0>width$}", magnitude, width = self.decimals as usize + 1);
        let (whole, fraction) = digits.split_at(digits.len() - self.decimals as usize);
        let mut text = String::new();
        if target < 0 && magnitude != 0 {
            text.push('-');
        } else if plus_sign && magnitude != 0 {
            text.push('+');
        }
        text.push_str(whole);
        if self.decimals > 0 {
            text.push('.');
            text.push_str(fraction);
        }
        text
    }
}

/// `(median - national) / national * 100` written with up to four decimals, `…` when inexact.
fn exact_text(median: i64, national: i64) -> String {
    let national = i128::from(national);
    let target = (i128::from(median) - national) * 100 * 10_000;
    let magnitude = target.abs() / national;
    let exact = target.abs() % national == 0;
    let mut text = format!(
        "{}{}.{:04}",
        if target < 0 { "-" } else { "" },
        magnitude / 10_000,
        magnitude % 10_000
    );
    if exact {
        while text.ends_with('0') {
            text.pop();
        }
        if text.ends_with('.') {
            text.pop();
        }
    } else {
        text.push('…');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agrees(written: &str, median: i64, national: i64) -> bool {
        Decimal::parse(written).unwrap().agrees(median, national)
    }

    #[test]
    fn seed_rows_agree() {
        assert!(agrees("34", 178_000, 133_080));
        assert!(agrees("24", 165_000, 133_080));
        assert!(agrees("16", 155_000, 133_080));
        assert!(agrees("13", 150_000, 133_080));
        assert!(!agrees("35", 178_000, 133_080));
        assert!(agrees("33.8", 178_000, 133_080));
        assert!(agrees("33.75", 178_000, 133_080));
        assert!(!agrees("33.7", 178_000, 133_080));
        assert!(!agrees("34.0", 178_000, 133_080));
    }

    #[test]
    fn exact_halves_accept_both_neighbours() {
        // (100500 - 100000) / 100000 * 100 = 0.5 exactly.
        assert!(agrees("0", 100_500, 100_000));
        assert!(agrees("1", 100_500, 100_000));
        assert!(!agrees("2", 100_500, 100_000));
        assert!(agrees("-0", 99_500, 100_000));
        assert!(agrees("-1", 99_500, 100_000));
        // 12.25 exactly at one decimal.
        assert!(agrees("12.2", 112_250, 100_000));
        assert!(agrees("12.3", 112_250, 100_000));
        assert!(!agrees("12.4", 112_250, 100_000));
    }

    #[test]
    fn negative_and_zero() {
        assert!(agrees("-10", 90_000, 100_000));
        assert!(!agrees("10", 90_000, 100_000));
        assert!(agrees("0", 100_000, 100_000));
        assert!(agrees("0.00", 100_000, 100_000));
        assert_eq!(
            Decimal::parse("10")
                .unwrap()
                .correct(90_000, 100_000, false),
            "-10"
        );
        assert_eq!(
            Decimal::parse("5.0")
                .unwrap()
                .correct(100_000, 100_000, false),
            "0.0"
        );
        assert_eq!(
            Decimal::parse("+35")
                .unwrap()
                .correct(178_000, 133_080, true),
            "+34"
        );
        assert_eq!(
            Decimal::parse("0.71")
                .unwrap()
                .correct(100_001, 200_000, false),
            "-50.00"
        );
        assert_eq!(exact_text(178_000, 133_080), "33.7541…");
        assert_eq!(exact_text(90_000, 100_000), "-10");
    }
}
