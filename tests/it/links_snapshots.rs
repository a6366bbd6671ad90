//! What the link checker says about a fixture guide: a broken link and a
//! permanent redirect (with its fix), snapshotted.

use crate::links_support::*;
use guidepress::Diagnostic;

const FIXTURE: &str = include_str!("../fixtures/links/broken-and-moved.yaml");

/// Applies the fixes of `diagnostics` to `text` (edits do not overlap).
fn apply_fixes(text: &str, diagnostics: &[Diagnostic]) -> String {
    let mut edits: Vec<_> = diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .flat_map(|f| f.edits.iter())
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.span.start));
    let mut out = text.to_owned();
    for edit in edits {
        out.replace_range(edit.span.start..edit.span.end, &edit.replacement);
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_link_and_permanent_redirect() {
    let server = TestServer::start().await;
    let base = server.base();
    let text = FIXTURE.replace("{base}", &base);
    let report = run_guides(&[&text], fast_config(), None).await;
    let diagnostics = &report.diagnostics[0];

    let json = serde_json::to_string_pretty(diagnostics)
        .unwrap()
        .replace(&base, "{base}");
    let stable: serde_json::Value = serde_json::from_str(&json).unwrap();
    // Spans depend on the length of the server's address; show the text they cover instead.
    let covered: Vec<_> = diagnostics
        .iter()
        .map(|d| text[d.span.start..d.span.end].replace(&base, "{base}"))
        .collect();
    insta::assert_json_snapshot!(
        "diagnostics",
        serde_json::json!({
            "covered": covered,
            "diagnostics": strip_spans(stable),
        })
    );

    let fixed = apply_fixes(&text, diagnostics);
    assert_eq!(
        fixed.matches(&format!("{base}/ok#wages")).count(),
        2,
        "both citations of the moved page are rewritten, keeping their fragment:\n{fixed}"
    );
    assert_eq!(
        fixed.matches("/missing").count(),
        2,
        "a broken link has no automatic fix"
    );
    assert_eq!(server.hits("/moved"), 1);
    assert_eq!(server.hits("/missing"), 1);
}

/// Replaces byte offsets (which depend on the server's port) by `"…"`.
fn strip_spans(mut value: serde_json::Value) -> serde_json::Value {
    match &mut value {
        serde_json::Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key == "start" || key == "end" {
                    *child = serde_json::json!("…");
                } else {
                    *child = strip_spans(child.take());
                }
            }
        }
        serde_json::Value::Array(items) => {
            for item in items.iter_mut() {
                *item = strip_spans(item.take());
            }
        }
        _ => {}
    }
    value
}
