//! The salary-by-state chart: each state's median as a bar against the
//! national median, in SVG user units the template draws with. Rows whose
//! numbers are missing or not numbers stay in the table and get no bar.

use serde::Serialize;
use serde_json::Value;

use super::format;

/// Width of the chart in SVG units.
const WIDTH: f64 = 640.0;
/// Height of one state's row.
const ROW: f64 = 84.0;
/// Room above the first row for the national median's label.
const TOP: f64 = 34.0;

/// One state row, for the chart and the table.
#[derive(Debug, Serialize)]
pub struct StateRow {
    /// 1-based rank, as listed.
    pub rank: usize,
    /// JSON Pointer of the row (`/salary_by_state/0`).
    pub pointer: String,
    /// USPS code as written.
    pub code: String,
    /// Full name, or the code when unknown.
    pub name: String,
    /// `287,500`.
    pub employed: String,
    /// `$178,000`.
    pub median: String,
    /// `+34%`.
    pub vs_national: String,
    /// The bar, when the median is a number.
    pub bar: Option<Bar>,
    /// Top of the row in the chart.
    pub y: f64,
}

/// A bar's geometry.
#[derive(Debug, Serialize)]
pub struct Bar {
    /// Bar width (the bar starts at 0).
    pub width: f64,
    /// Top of the bar.
    pub y: f64,
    /// Height of the bar.
    pub height: f64,
    /// Baseline of the name and median line.
    pub label_y: f64,
    /// Baseline of the employed and "vs national" line.
    pub note_y: f64,
    /// Whether the state is above the national median.
    pub above: bool,
}

/// The whole chart.
#[derive(Debug, Serialize)]
pub struct Chart {
    /// SVG width.
    pub width: f64,
    /// SVG height.
    pub height: f64,
    /// Where the national median's line stands, when there is one.
    pub national_x: Option<f64>,
    /// `$133,080`.
    pub national: String,
    /// Every row, in the guide's order.
    pub rows: Vec<StateRow>,
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Builds the rows and the chart from a guide's value.
pub fn build(guide: &Value) -> Chart {
    let national = guide.pointer("/facts/national_median_salary");
    let national_value = national.and_then(Value::as_f64).filter(|v| *v > 0.0);
    let rows_value = guide
        .get("salary_by_state")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let largest = rows_value
        .iter()
        .filter_map(|row| row.get("median_salary").and_then(Value::as_f64))
        .chain(national_value)
        .fold(0.0_f64, f64::max);
    let scale = |v: f64| {
        if largest > 0.0 {
            round1(v.max(0.0) / largest * WIDTH)
        } else {
            0.0
        }
    };
    let text = |row: &Value, key: &str| -> String {
        match row.get(key) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        }
    };
    let rows = rows_value
        .iter()
        .enumerate()
        .map(|(i, row)| {
            #[allow(clippy::cast_precision_loss)]
            let y = TOP + ROW * i as f64;
            let code = text(row, "state");
            let median = row.get("median_salary");
            let bar = median.and_then(Value::as_f64).map(|m| Bar {
                width: scale(m),
                y: y + 34.0,
                height: 16.0,
                label_y: y + 26.0,
                note_y: y + 74.0,
                above: national_value.is_none_or(|n| m >= n),
            });
            StateRow {
                rank: i + 1,
                pointer: format!("/salary_by_state/{i}"),
                name: crate::states::name(&code).map_or_else(|| code.clone(), str::to_owned),
                code,
                employed: row
                    .get("employed")
                    .and_then(format::number)
                    .unwrap_or_else(|| text(row, "employed")),
                median: median
                    .and_then(format::money)
                    .unwrap_or_else(|| text(row, "median_salary")),
                vs_national: row
                    .get("vs_national_pct")
                    .and_then(format::signed_percent)
                    .unwrap_or_else(|| text(row, "vs_national_pct")),
                bar,
                y,
            }
        })
        .collect::<Vec<_>>();
    #[allow(clippy::cast_precision_loss)]
    let height = TOP + ROW * rows.len() as f64 + 6.0;
    Chart {
        width: WIDTH,
        height,
        national_x: national_value.map(scale),
        national: national.and_then(format::money).unwrap_or_default(),
        rows,
    }
}
