//! How figures read on the page: `$133,080`, `+17%`, `140,100`,
//! `$80,000 - $211,450`, `4-6 years`, `November 28, 2026`. The template
//! filters of the same names call these.

use serde_json::Value;

/// Digits grouped by thousands: `140100` → `140,100`; decimals kept (`1234.5` → `1,234.5`).
pub fn number(value: &Value) -> Option<String> {
    let text = plain_number(value)?;
    if text.contains('e') {
        // Beyond exact whole numbers: shown as written, never as a long figure.
        return Some(text);
    }
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (whole, fraction) = match digits.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (digits, None),
    };
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    Some(match fraction {
        Some(fraction) => format!("{sign}{grouped}.{fraction}"),
        None => format!("{sign}{grouped}"),
    })
}

/// US dollars: `133080` → `$133,080`; below zero `-$5`.
pub fn money(value: &Value) -> Option<String> {
    let grouped = number(value)?;
    if grouped.contains('e') {
        return Some(grouped);
    }
    Some(match grouped.strip_prefix('-') {
        Some(rest) => format!("-${rest}"),
        None => format!("${grouped}"),
    })
}

/// A signed percentage: `17` → `+17%`, `-4.5` → `-4.5%`, `0` → `0%`.
pub fn signed_percent(value: &Value) -> Option<String> {
    let text = plain_number(value)?;
    let zero = value.as_f64() == Some(0.0);
    Some(if zero || text.starts_with('-') {
        format!("{text}%")
    } else {
        format!("+{text}%")
    })
}

/// A range of dollars: `{min: 80000, max: 211450}` → `$80,000 - $211,450`.
pub fn money_range(value: &Value) -> Option<String> {
    let min = money(value.get("min")?)?;
    let max = money(value.get("max")?)?;
    Some(if min == max {
        min
    } else {
        format!("{min} - {max}")
    })
}

/// A duration: `{min: 3, max: 6, unit: months}` → `3-6 months`; `{min: 1, max: 1, unit: years}` → `1 year`.
pub fn duration(value: &Value) -> Option<String> {
    let min = plain_number(value.get("min")?)?;
    let max = plain_number(value.get("max")?)?;
    let unit = value.get("unit")?.as_str()?;
    let span = if min == max {
        min.clone()
    } else {
        format!("{min}-{max}")
    };
    let unit = if min == max && min == "1" {
        unit.strip_suffix('s').unwrap_or(unit)
    } else {
        unit
    };
    Some(format!("{span} {unit}"))
}

/// A date `YYYY-MM-DD` as `November 28, 2026`; anything else as written.
pub fn date(text: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let mut parts = text.splitn(3, '-');
    let (Some(year), Some(month), Some(day)) = (parts.next(), parts.next(), parts.next()) else {
        return text.to_owned();
    };
    let (Ok(_), Ok(month), Ok(day)) = (
        year.parse::<u32>(),
        month.parse::<usize>(),
        day.parse::<u32>(),
    ) else {
        return text.to_owned();
    };
    match MONTHS.get(month.wrapping_sub(1)) {
        Some(name) if year.len() == 4 && (1..=31).contains(&day) => format!("{name} {day}, {year}"),
        _ => text.to_owned(),
    }
}

/// A number as written in YAML: integers without a decimal point, others in
/// their shortest form (`12.5`, not `12.500000`).
fn plain_number(value: &Value) -> Option<String> {
    let Value::Number(number) = value else {
        return None;
    };
    if let Some(i) = number.as_i64() {
        return Some(i.to_string());
    }
    if let Some(u) = number.as_u64() {
        return Some(u.to_string());
    }
    let f = number.as_f64()?;
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        // Whole numbers below 10^15 are exact in an f64.
        #[allow(clippy::cast_possible_truncation)]
        return Some((f as i64).to_string());
    }
    if f.is_finite() && f.abs() >= 1e15 {
        // `1e300`, not three hundred digits no one wrote.
        return Some(format!("{f:e}"));
    }
    Some(f.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn huge_floats_are_not_spelled_out_as_figures() {
        assert_eq!(money(&json!(1e300)).as_deref(), Some("1e300"));
        assert_eq!(number(&json!(1e300)).as_deref(), Some("1e300"));
        assert_eq!(number(&json!(-2.5e20)).as_deref(), Some("-2.5e20"));
        assert_eq!(money(&json!(135980.0)).as_deref(), Some("$135,980"));
    }

    #[test]
    fn figures_read_as_on_the_page() {
        assert_eq!(money(&json!(133080)).unwrap(), "$133,080");
        assert_eq!(money(&json!(1000000)).unwrap(), "$1,000,000");
        assert_eq!(money(&json!(999)).unwrap(), "$999");
        assert_eq!(money(&json!(-5000)).unwrap(), "-$5,000");
        assert_eq!(number(&json!(140100)).unwrap(), "140,100");
        assert_eq!(number(&json!(1234.5)).unwrap(), "1,234.5");
        assert_eq!(signed_percent(&json!(17)).unwrap(), "+17%");
        assert_eq!(signed_percent(&json!(12.5)).unwrap(), "+12.5%");
        assert_eq!(signed_percent(&json!(-4)).unwrap(), "-4%");
        assert_eq!(signed_percent(&json!(0)).unwrap(), "0%");
        assert_eq!(
            money_range(&json!({"min": 80000, "max": 211450})).unwrap(),
            "$80,000 - $211,450"
        );
        assert_eq!(
            duration(&json!({"min": 4, "max": 6, "unit": "years"})).unwrap(),
            "4-6 years"
        );
        assert_eq!(
            duration(&json!({"min": 4, "max": 4, "unit": "years"})).unwrap(),
            "4 years"
        );
        assert_eq!(
            duration(&json!({"min": 1, "max": 1, "unit": "months"})).unwrap(),
            "1 month"
        );
        assert_eq!(
            duration(&json!({"min": 0.5, "max": 1.5, "unit": "years"})).unwrap(),
            "0.5-1.5 years"
        );
        assert_eq!(date("2026-11-28"), "November 28, 2026");
        assert_eq!(date("2026-13-01"), "2026-13-01");
        assert_eq!(date("soon"), "soon");
    }

    #[test]
    fn text_where_a_number_belongs_is_not_a_figure() {
        assert_eq!(money(&json!("$133,080")), None);
        assert_eq!(duration(&json!({"min": 1})), None);
    }
}
