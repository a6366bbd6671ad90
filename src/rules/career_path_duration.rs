//! `GP304`: the steps' durations add up to `career_path.total_duration`. See [`CareerPathDuration`].

use serde_json::Value;

use super::{Guide, Rule, finding, number_text};
use crate::codes;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};

#[doc = include_str!("docs/GP304.md")]
pub struct CareerPathDuration;

/// A duration read from the guide, in months.
#[derive(Debug, Clone, Copy)]
struct Months {
    min: f64,
    max: f64,
}

fn read(value: &Value) -> Option<(f64, f64, &str)> {
    let min = value.get("min")?.as_f64()?;
    let max = value.get("max")?.as_f64()?;
    let unit = value.get("unit")?.as_str()?;
    Some((min, max, unit))
}

fn months(value: &Value) -> Option<Months> {
    let (min, max, unit) = read(value)?;
    let factor = match unit {
        "months" => 1.0,
        "years" => 12.0,
        _ => return None,
    };
    Some(Months {
        min: min * factor,
        max: max * factor,
    })
}

fn same(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

/// "6.5-8 years", "9 months".
fn describe(min: f64, max: f64, unit: &str) -> String {
    if same(min, max) {
        let unit = if same(min, 1.0) {
            unit.trim_end_matches('s')
        } else {
            unit
        };
        format!("{} {unit}", number_text(min))
    } else {
        format!("{}-{} {unit}", number_text(min), number_text(max))
    }
}

impl Rule for CareerPathDuration {
    fn code(&self) -> &'static str {
        codes::CAREER_PATH_DURATION
    }

    fn doc(&self) -> &'static str {
        include_str!("docs/GP304.md")
    }

    fn check_guide(&self, guide: &Guide<'_>, out: &mut Vec<Diagnostic>) {
        let Some(path) = guide.get("/career_path") else {
            return;
        };
        let mut durations: Vec<(String, &Value)> = Vec::new();
        if let Some(total) = path.get("total_duration") {
            durations.push(("/career_path/total_duration".into(), total));
        }
        let steps = path.get("steps").and_then(Value::as_array);
        for (index, step) in steps.into_iter().flatten().enumerate() {
            if let Some(duration) = step.get("duration") {
                durations.push((format!("/career_path/steps/{index}/duration"), duration));
            }
        }
        let mut backwards = false;
        for (pointer, duration) in &durations {
            let Some((min, max, unit)) = read(duration) else {
                continue;
            };
            if min > max {
                backwards = true;
                out.push(
                    finding(
                        guide,
                        codes::CAREER_PATH_DURATION,
                        &format!("{pointer}/min"),
                        format!(
                            "A duration runs backwards: {} {unit} is more than {} {unit}.",
                            number_text(min),
                            number_text(max)
                        ),
                    )
                    .with_span_label("min")
                    .with_label(guide.span(&format!("{pointer}/max")), "max")
                    .with_help("swap `min` and `max`"),
                );
            }
        }
        if backwards {
            return;
        }
        let Some(total) = path.get("total_duration") else {
            return;
        };
        let Some((total_min, total_max, unit)) = read(total) else {
            return;
        };
        let Some(steps) = steps.filter(|s| !s.is_empty()) else {
            return;
        };
        let mut sum = Months { min: 0.0, max: 0.0 };
        for step in steps {
            let Some(m) = step.get("duration").and_then(months) else {
                return;
            };
            sum.min += m.min;
            sum.max += m.max;
        }
        let factor = if unit == "years" { 12.0 } else { 1.0 };
        let (sum_min, sum_max) = (sum.min / factor, sum.max / factor);
        // Agree when equal, or when the total rounds the sum outward to whole units.
        let min_ok = same(total_min, sum_min)
            || (total_min.fract() == 0.0 && same(total_min, sum_min.floor()));
        let max_ok = same(total_max, sum_max)
            || (total_max.fract() == 0.0 && same(total_max, sum_max.ceil()));
        if min_ok && max_ok {
            return;
        }
        let (new_min, new_max) = (round_tenth(sum_min), round_tenth(sum_max));
        let mut edits = Vec::new();
        if !min_ok {
            edits.push(Edit {
                span: guide.span("/career_path/total_duration/min"),
                replacement: number_text(new_min),
            });
        }
        if !max_ok {
            edits.push(Edit {
                span: guide.span("/career_path/total_duration/max"),
                replacement: number_text(new_max),
            });
        }
        let mut diagnostic = finding(
            guide,
            codes::CAREER_PATH_DURATION,
            "/career_path/total_duration",
            format!(
                "The career path's total time is {}, but its {} steps add up to {}.",
                describe(total_min, total_max, unit),
                steps.len(),
                describe(sum_min, sum_max, unit),
            ),
        )
        .with_span_label(format!(
            "steps add up to {}",
            describe(sum_min, sum_max, unit)
        ))
        .with_help("make the total agree with the steps, or the steps with the total");
        for (index, _) in steps.iter().enumerate() {
            let pointer = format!("/career_path/steps/{index}/duration");
            let label = guide
                .get(&pointer)
                .and_then(read)
                .map(|(min, max, unit)| describe(min, max, unit))
                .unwrap_or_default();
            diagnostic =
                diagnostic.with_label(guide.span(&pointer), format!("step {}: {label}", index + 1));
        }
        if edits.iter().all(|e| {
            guide
                .file
                .source
                .text
                .get(e.span.start..e.span.end)
                .is_some_and(|t| t.parse::<f64>().is_ok())
        }) {
            diagnostic = diagnostic.with_fix(Fix {
                message: format!("Set the total to {}", describe(new_min, new_max, unit)),
                applicability: Applicability::Unsafe,
                edits,
            });
        }
        out.push(diagnostic);
    }
}

fn round_tenth(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}
