//! `GP303`: state rows sorted by median salary, highest first; no state twice. See [`StateRankOrder`].

use std::collections::HashMap;

use serde_json::Value;

use super::{Guide, Rule, finding, thousands};
use crate::codes;
use crate::diagnostic::Diagnostic;

#[doc = include_str!("docs/GP303.md")]
pub struct StateRankOrder;

impl Rule for StateRankOrder {
    fn code(&self) -> &'static str {
        codes::STATE_RANK_ORDER
    }

    fn doc(&self) -> &'static str {
        include_str!("docs/GP303.md")
    }

    fn check_guide(&self, guide: &Guide<'_>, out: &mut Vec<Diagnostic>) {
        let Some(rows) = guide.list("/salary_by_state") else {
            return;
        };
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (index, row) in rows.iter().enumerate() {
            let Some(state) = row.get("state").and_then(Value::as_str) else {
                continue;
            };
            if let Some(first) = seen.insert(state, index) {
                seen.insert(state, first);
                let pointer = format!("/salary_by_state/{index}/state");
                out.push(
                    finding(
                        guide,
                        codes::STATE_RANK_ORDER,
                        &pointer,
                        format!("{state} is listed twice in `salary_by_state`."),
                    )
                    .with_span_label("listed again here")
                    .with_label(
                        guide.span(&format!("/salary_by_state/{first}/state")),
                        "first listed here",
                    )
                    .with_help("keep one row per state"),
                );
            }
        }
        let medians: Vec<Option<i64>> = rows
            .iter()
            .map(|row| row.get("median_salary").and_then(super::whole))
            .collect();
        let mut previous: Option<(usize, i64)> = None;
        for (index, median) in medians.iter().enumerate() {
            let Some(median) = *median else {
                continue;
            };
            if let Some((before, before_median)) = previous {
                if median > before_median {
                    let name = |i: usize| {
                        rows[i]
                            .get("state")
                            .and_then(Value::as_str)
                            .map_or_else(|| format!("row {}", i + 1), str::to_owned)
                    };
                    out.push(
                        finding(
                            guide,
                            codes::STATE_RANK_ORDER,
                            &format!("/salary_by_state/{index}/median_salary"),
                            format!(
                                "State rows are not in rank order: {} ({}) comes after {} ({}).",
                                name(index),
                                thousands(median),
                                name(before),
                                thousands(before_median)
                            ),
                        )
                        .with_span_label("higher median listed later")
                        .with_label(
                            guide.span(&format!("/salary_by_state/{before}/median_salary")),
                            "lower median listed earlier",
                        )
                        .with_help("list states by median salary, highest first"),
                    );
                }
            }
            previous = Some((index, median));
        }
    }
}
