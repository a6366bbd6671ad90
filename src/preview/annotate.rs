//! Findings on the page (`--annotate`): each finding of the check pipeline
//! is tied to the JSON Pointer of the node it is about, then placed at the
//! closest node the template marks (its own, or the nearest ancestor the
//! page shows). Templates mark a place with `marks("/facts/...")`; every
//! finding is also listed at the top of the page, with its YAML line.

use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};

use minijinja::value::{Object, Value};
use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::document::LoadedFile;

/// One finding as the page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct FindingView {
    /// 1-based number on the page (ids `finding-N`, `marker-N`).
    pub n: usize,
    /// `GP301`.
    pub code: &'static str,
    /// `error`, `warning`, `info`.
    pub severity: &'static str,
    /// The message.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// The node it is about (`""` for the whole file).
    pub pointer: String,
    /// Line in the YAML file (1-based).
    pub line: usize,
    /// Column in the YAML file (1-based).
    pub column: usize,
    /// Whether a marker for it is on the page (set for the final render).
    pub placed: bool,
}

/// The findings of one file, numbered in file order.
pub fn findings(file: &LoadedFile) -> Vec<FindingView> {
    file.diagnostics
        .iter()
        .enumerate()
        .map(|(i, diagnostic)| {
            let position = file.source.position(diagnostic.span.start);
            FindingView {
                n: i + 1,
                code: diagnostic.code,
                severity: diagnostic.severity.as_str(),
                message: diagnostic.message.clone(),
                help: diagnostic.help.clone(),
                pointer: pointer_of(file, diagnostic),
                line: position.line,
                column: position.column,
                placed: false,
            }
        })
        .collect()
}

/// The node a finding is about: its pointer, or the innermost node whose
/// key or value holds its span.
fn pointer_of(file: &LoadedFile, diagnostic: &Diagnostic) -> String {
    if let Some(pointer) = &diagnostic.pointer {
        return pointer.clone();
    }
    if file.value.is_none() {
        return String::new();
    }
    let span = diagnostic.span;
    let holds = |outer: crate::diagnostic::Span| outer.start <= span.start && span.end <= outer.end;
    file.spans()
        .iter()
        .filter(|(_, node)| holds(node.value) || node.key.is_some_and(holds))
        .min_by_key(|(pointer, node)| (node.value.len(), std::cmp::Reverse(pointer.len())))
        .map(|(pointer, _)| pointer.to_owned())
        .unwrap_or_default()
}

/// Whether `pointer` is `anchor` or inside it.
fn within(pointer: &str, anchor: &str) -> bool {
    pointer == anchor
        || (pointer.starts_with(anchor) && pointer.as_bytes().get(anchor.len()) == Some(&b'/'))
}

/// Places each finding at the longest of `marked` that holds its pointer;
/// returns the findings by place. Findings under no marked place stay unplaced.
pub fn place(
    findings: &mut [FindingView],
    marked: &HashSet<String>,
) -> BTreeMap<String, Vec<FindingView>> {
    let mut by_place: BTreeMap<String, Vec<FindingView>> = BTreeMap::new();
    for finding in findings.iter_mut() {
        let anchor = marked
            .iter()
            .filter(|anchor| !anchor.is_empty() && within(&finding.pointer, anchor))
            .max_by_key(|anchor| anchor.len());
        if let Some(anchor) = anchor {
            finding.placed = true;
            by_place
                .entry(anchor.clone())
                .or_default()
                .push(finding.clone());
        }
    }
    by_place
}

/// The per-render state the `marks`/`flag` template functions read: the
/// findings by place, the places already drawn (each finding's marker is
/// drawn once), and, in the first pass, every place the template marks.
#[derive(Debug, Default)]
pub struct Annotations {
    by_place: BTreeMap<String, Vec<FindingView>>,
    drawn: Mutex<HashSet<String>>,
    recorded: Mutex<HashSet<String>>,
}

impl Object for Annotations {}

impl Annotations {
    /// The first pass: nothing to draw, places recorded.
    pub fn recording() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// The final pass: draws `by_place`.
    pub fn drawing(by_place: BTreeMap<String, Vec<FindingView>>) -> Arc<Self> {
        Arc::new(Annotations {
            by_place,
            ..Self::default()
        })
    }

    /// The places the template marked.
    pub fn recorded(&self) -> HashSet<String> {
        self.recorded
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The findings to draw at `place` (empty after the first time).
    pub fn take(&self, place: &str) -> Vec<FindingView> {
        self.recorded
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(place.to_owned());
        let first = self
            .drawn
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(place.to_owned());
        if first {
            self.by_place.get(place).cloned().unwrap_or_default()
        } else {
            Vec::new()
        }
    }

    /// The most serious severity of the findings at `place` or inside it (`""` when none).
    pub fn worst(&self, place: &str) -> &'static str {
        let mut worst = "";
        for finding in self
            .by_place
            .iter()
            .filter(|(anchor, _)| within(anchor, place))
            .flat_map(|(_, f)| f)
        {
            worst = match (worst, finding.severity) {
                ("error", _) | (_, "error") => "error",
                ("warning", _) | (_, "warning") => "warning",
                (_, other) => other,
            };
        }
        worst
    }
}

/// Wraps the annotations for the template context.
pub fn value(annotations: &Arc<Annotations>) -> Value {
    Value::from_dyn_object(Arc::clone(annotations))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(pointer: &str) -> FindingView {
        FindingView {
            n: 1,
            code: "GP301",
            severity: "error",
            message: String::new(),
            help: None,
            pointer: pointer.into(),
            line: 1,
            column: 1,
            placed: false,
        }
    }

    #[test]
    fn a_finding_goes_to_the_closest_marked_place() {
        let marked: HashSet<String> = [
            "/salary_by_state",
            "/salary_by_state/1",
            "/salary_by_state/10",
        ]
        .into_iter()
        .map(String::from)
        .collect();
        let mut found = vec![
            finding("/salary_by_state/1/vs_national_pct"),
            finding("/salary_by_state/2"),
            finding("/faqs/0"),
        ];
        let placed = place(&mut found, &marked);
        assert_eq!(placed["/salary_by_state/1"].len(), 1);
        assert_eq!(placed["/salary_by_state"].len(), 1);
        assert!(!found[2].placed);
    }
}
