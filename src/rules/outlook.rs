//! What the outlook rules (`GP611`-`GP614`) share: the occupations a guide's
//! outlook covers (`occupation.projections`, else its own `soc_code`), their
//! projections in the newest EP release, the precision rule, and the finding
//! with its unsafe fix written at the guide's precision.

use std::sync::Arc;

use serde_json::Value;

use super::{Guide, finding, number_text};
use crate::data::DataError;
use crate::data::projections::{Outlook, ProjectionsSnapshot};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};

/// The facts the outlook rules compare.
pub(super) const FACTS: &[&str] = &[
    "/facts/job_growth_pct",
    "/facts/annual_openings",
    "/facts/education",
    "/facts/education_short",
];

/// What looking the guide's outlook up gave.
pub(super) enum Lookup<'g> {
    /// No projections configured, or nothing to compare.
    Off,
    /// The snapshot cannot be read.
    Unavailable(DataError),
    /// The snapshot, and the codes the outlook covers (some may be missing).
    Found(Arc<ProjectionsSnapshot>, Vec<(&'g str, String)>),
}

/// The occupations the outlook covers, each with where the guide names it:
/// `occupation.projections`, else `occupation.soc_code`.
pub(super) fn covered<'g>(guide: &Guide<'g>) -> Vec<(&'g str, String)> {
    if let Some(list) = guide.list("/occupation/projections") {
        return list
            .iter()
            .enumerate()
            .filter_map(|(i, v)| Some((v.as_str()?, format!("/occupation/projections/{i}"))))
            .filter(|(code, _)| crate::data::snapshot::is_soc_code(code))
            .collect();
    }
    guide
        .str("/occupation/soc_code")
        .filter(|code| crate::data::snapshot::is_soc_code(code))
        .map(|code| vec![(code, "/occupation/soc_code".to_owned())])
        .unwrap_or_default()
}

/// Looks the guide's outlook up when it states one of [`FACTS`].
pub(super) fn lookup<'g>(guide: &Guide<'g>) -> Lookup<'g> {
    let Some(store) = guide.context.projections.as_deref() else {
        return Lookup::Off;
    };
    if !FACTS.iter().any(|f| guide.get(f).is_some()) {
        return Lookup::Off;
    }
    let codes = covered(guide);
    if codes.is_empty() {
        return Lookup::Off;
    }
    match store.snapshot() {
        Ok(snapshot) => Lookup::Found(snapshot, codes),
        Err(error) => Lookup::Unavailable(error),
    }
}

/// The snapshot and codes when every occupation is in it (else `GP614` says so).
pub(super) fn found<'g>(guide: &Guide<'g>) -> Option<(Arc<ProjectionsSnapshot>, Vec<&'g str>)> {
    match lookup(guide) {
        Lookup::Found(snapshot, codes) => {
            let codes: Vec<&str> = codes.iter().map(|(c, _)| *c).collect();
            snapshot.outlook(&codes).ok()?;
            Some((snapshot, codes))
        }
        _ => None,
    }
}

/// The digits after the point of a written number, read from the source
/// (`15.0` has one) when it is there, else from the value.
pub(super) fn decimals(guide: &Guide<'_>, pointer: &str, value: f64) -> usize {
    let span = guide.span(pointer);
    let written = guide
        .file
        .source
        .text
        .get(span.start..span.end)
        .map(str::trim)
        .filter(|t| crate::decimal::Decimal::parse(t).is_some())
        .map(str::to_owned)
        .unwrap_or_else(|| number_text(value));
    written.split_once('.').map_or(0, |(_, f)| f.len())
}

/// `value` rounded to `decimals` digits after the point, as YAML writes it.
pub(super) fn rounded(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    if text.starts_with('-') && text.trim_start_matches(['-', '0', '.']).is_empty() {
        text[1..].to_owned()
    } else {
        text
    }
}

/// The digits after the point of a number as JSON holds it (`17` → 0, `15.5` → 1).
pub(super) fn value_decimals(value: f64) -> usize {
    number_text(value)
        .split_once('.')
        .map_or(0, |(_, f)| f.len())
}

/// What a finding of an outlook rule says.
pub(super) struct Said {
    /// Where the figure is.
    pub pointer: &'static str,
    /// The message.
    pub message: String,
    /// The label on the figure.
    pub label: String,
    /// The help line.
    pub help: String,
    /// What the unsafe fix writes there, if anything.
    pub replacement: Option<String>,
}

/// A finding of rule `code` naming BLS's rows, with an unsafe fix writing
/// the replacement when there is one.
pub(super) fn report(
    guide: &Guide<'_>,
    code: &'static str,
    outlook: &Outlook<'_>,
    said: Said,
) -> Diagnostic {
    let Said {
        pointer,
        message,
        label,
        help,
        replacement,
    } = said;
    let first = outlook.members[0];
    let mut diagnostic = finding(guide, code, pointer, message)
        .with_span_label(label)
        .with_external_label(
            outlook.snapshot.path.display().to_string(),
            first.line,
            format!(
                "{}: {}",
                outlook.source(),
                outlook
                    .members
                    .iter()
                    .map(|m| m.code.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
        .with_help(help);
    if let Some(replacement) = replacement {
        let span = guide.span(pointer);
        let old = guide
            .file
            .source
            .text
            .get(span.start..span.end)
            .unwrap_or_default()
            .trim()
            .to_owned();
        diagnostic = diagnostic.with_fix(Fix {
            message: format!("Replace {old} with {replacement} ({})", outlook.source()),
            applicability: Applicability::Unsafe,
            edits: vec![Edit { span, replacement }],
        });
    }
    diagnostic
}

/// The number at `pointer`, when it is one.
pub(super) fn number(guide: &Guide<'_>, pointer: &str) -> Option<f64> {
    guide.get(pointer).and_then(Value::as_f64)
}
