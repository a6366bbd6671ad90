//! `GP311`: an approved guide names its approver and approval date; the approver is an editor. See [`ApprovalIncomplete`].

use super::{Guide, Rule, finding};
use crate::codes;
use crate::diagnostic::Diagnostic;

#[doc = include_str!("docs/GP311.md")]
pub struct ApprovalIncomplete;

impl Rule for ApprovalIncomplete {
    fn code(&self) -> &'static str {
        codes::APPROVAL_INCOMPLETE
    }

    fn doc(&self) -> &'static str {
        include_str!("docs/GP311.md")
    }

    fn check_guide(&self, guide: &Guide<'_>, out: &mut Vec<Diagnostic>) {
        let approver = guide.str("/editorial/approved_by");
        if let (Some(id), Some(editors)) = (approver, &guide.context.editors) {
            if !editors.iter().any(|e| e == id) {
                out.push(
                    finding(
                        guide,
                        codes::APPROVAL_INCOMPLETE,
                        "/editorial/approved_by",
                        format!("`{id}` approved the guide but is not an editor."),
                    )
                    .with_span_label("not in `rules.editors`")
                    .with_help(format!(
                        "editors are: {}; have one of them approve it, or add `{id}` to `editors` in `[rules]` of guidepress.toml",
                        editors.join(", ")
                    )),
                );
            }
        }
        if guide.str("/status") != Some("approved") {
            return;
        }
        for (key, what) in [
            ("approved_by", "who approved it"),
            ("approved_on", "when it was approved"),
        ] {
            if guide.get(&format!("/editorial/{key}")).is_some() {
                continue;
            }
            let pointer = if guide.get("/editorial").is_some() {
                "/editorial"
            } else {
                "/status"
            };
            out.push(
                Diagnostic::new(
                    codes::APPROVAL_INCOMPLETE,
                    super::info(codes::APPROVAL_INCOMPLETE).default_severity,
                    format!("The guide is approved but `editorial.{key}` does not say {what}."),
                    guide.key_span(pointer),
                )
                .with_pointer(pointer)
                .with_label(guide.span("/status"), "status set to approved here")
                .with_help(format!(
                    "add `{key}` under `editorial`, or set `status` back to `in-review`"
                )),
            );
        }
    }
}
