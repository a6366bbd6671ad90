//! The gate: which guides may be published. Only `status: approved` guides
//! without error-level findings from `check` pass; everything else is listed
//! with the reason and never reaches the CMS.

use std::collections::HashMap;

use serde_json::Value;

use super::mapping::Mapping;
use super::payload::Payload;
use super::plan::{Blocked, LocalGuide};
use crate::diagnostic::Severity;
use crate::document::LoadedFile;
use crate::file_kind::FileKind;
use crate::results::CheckReport;

/// The status that publishes.
pub const APPROVED: &str = "approved";
/// The status that takes a guide down (with `--prune` or `--unpublish-archived`).
pub const ARCHIVED: &str = "archived";

/// Turns checked guide files into [`LocalGuide`]s, their payloads built
/// through `mapping`. `source_path` gives a
/// file's path relative to the configuration's folder (stored in the CMS).
pub fn gate(
    report: &CheckReport,
    mapping: &Mapping,
    source_path: impl Fn(&LoadedFile) -> String,
) -> Vec<LocalGuide> {
    let mut guides: Vec<LocalGuide> = report
        .files
        .iter()
        .filter(|file| file.kind == FileKind::Guide)
        .map(|file| one(file, mapping, source_path(file)))
        .collect();

    // Two files with one slug would fight over one CMS document.
    let mut by_slug: HashMap<String, usize> = HashMap::new();
    for guide in &guides {
        *by_slug.entry(guide.slug.clone()).or_insert(0) += 1;
    }
    for guide in &mut guides {
        if by_slug[&guide.slug] > 1 && guide.blocked.is_none() {
            guide.blocked = Some(Blocked {
                reason: format!(
                    "another file has the slug `{}`: a slug names one CMS document",
                    guide.slug
                ),
                fails: true,
            });
            guide.payload = None;
        }
    }
    guides
}

fn one(file: &LoadedFile, mapping: &Mapping, path: String) -> LocalGuide {
    let value = file.value.as_ref();
    let slug = value
        .and_then(|v| v.get("slug"))
        .and_then(Value::as_str)
        .or_else(|| file.stem())
        .unwrap_or_default()
        .to_owned();
    let status = value
        .and_then(|v| v.get("status"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let errors: Vec<_> = file
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    let approved = status.as_deref() == Some(APPROVED);
    let archived = status.as_deref() == Some(ARCHIVED);
    let blocked = if !errors.is_empty() {
        let first = errors[0];
        let at = file.source.position(first.span.start);
        Some(Blocked {
            reason: format!(
                "{} from check, first: {}:{}: {} [{}]",
                crate::text::plural(errors.len(), "error"),
                at.line,
                at.column,
                first.message,
                first.code
            ),
            // A draft with errors simply waits; an approved guide that cannot go out fails.
            fails: approved || status.is_none(),
        })
    } else if value.is_none() {
        Some(Blocked {
            reason: "the file could not be read".into(),
            fails: true,
        })
    } else if !approved && !archived {
        Some(Blocked {
            reason: format!(
                "status is `{}`: only approved guides are published",
                status.as_deref().unwrap_or("unset")
            ),
            fails: false,
        })
    } else {
        None
    };
    let payload = if errors.is_empty() {
        value.and_then(|v| Payload::mapped(v, &path, mapping))
    } else {
        None
    };
    LocalGuide {
        slug,
        path,
        status,
        blocked,
        payload,
    }
}
