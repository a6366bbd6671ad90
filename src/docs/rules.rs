//! A page per diagnostic code, `rules/GPxxx.md`, and their index
//! `rules/index.md`: the code's documentation as `guidepress rule CODE`
//! prints it (the `src/rules/docs/GPxxx.md` or `src/codes/docs/GPxxx.md` the
//! binary embeds) with its row of the code table ([`crate::codes`]): name,
//! default severity and the kind of fix its findings carry.

use std::fmt::Write as _;

use super::{Page, escape_text};
use crate::codes::{self, CodeInfo};
use crate::diagnostic::Applicability;

/// The documentation of `code` (Markdown, opening with `# GPxxx `name``):
/// the rule's own for a fact rule, the code's for a core code, `None` for a
/// code documented only by its summary (link checks, suppression comments).
pub fn documentation(code: &str) -> Option<&'static str> {
    crate::rules::rule(code)
        .map(|rule| rule.doc())
        .or_else(|| codes::doc(code))
}

/// `"safe"` or `"unsafe"` when the code's findings carry a fix of that kind
/// (the code table's `fix` column), else `None`.
pub fn fix_kind(info: &CodeInfo) -> Option<&'static str> {
    info.fix.map(|kind| match kind {
        Applicability::Safe => "safe",
        Applicability::Unsafe => "unsafe",
    })
}

/// The site path of `code`'s page (`rules/GP604.md`; served at `rules/GP604/`).
pub fn page_path(code: &str) -> String {
    format!("rules/{}.md", code.to_ascii_uppercase())
}

/// Where the text of `code`'s page comes from, for the note at its top.
fn sources(info: &CodeInfo) -> String {
    match codes::doc_path(info.code) {
        Some(path) => format!("`{path}` and `src/codes.rs`"),
        None => "`src/codes.rs`".to_owned(),
    }
}

/// The page of one code.
pub fn page(info: &CodeInfo) -> Page {
    let mut text = String::new();
    let doc = documentation(info.code);
    // The documentation opens with the page's title; keep it, then the table row.
    let heading = format!("# {} `{}`", info.code, info.name);
    let body = match doc {
        Some(doc) => doc
            .trim_start()
            .strip_prefix(&heading)
            .unwrap_or(doc)
            .trim(),
        None => "",
    };
    let _ = writeln!(text, "{heading}\n");
    let _ = writeln!(
        text,
        "<!-- Generated from {} by `guidepress docs generate`: edit those, not this page. -->\n",
        sources(info)
    );
    let _ = writeln!(text, "| Code | Name | Default severity | Fix |");
    let _ = writeln!(text, "| --- | --- | --- | --- |");
    let _ = writeln!(
        text,
        "| `{}` | `{}` | {} | {} |\n",
        info.code,
        info.name,
        info.default_severity.as_str(),
        fix_kind(info).unwrap_or("none")
    );
    let _ = writeln!(text, "{}\n", escape_text(info.summary));
    match fix_kind(info) {
        Some("safe") => {
            let _ = writeln!(
                text,
                "Its findings carry a **safe** fix: `guidepress check --fix` applies it.\n"
            );
        }
        Some(_) => {
            let _ = writeln!(
                text,
                "Its findings carry an **unsafe** fix: applied only with `guidepress check --unsafe-fixes`, after a look at the diff (`--diff`).\n"
            );
        }
        None => {}
    }
    if !body.is_empty() {
        let _ = writeln!(text, "{body}\n");
    } else if let Some((page, what)) = described_in(info.code) {
        let _ = writeln!(text, "How guidepress decides: [{what}]({page}).\n");
    }
    if codes::RULE_CODES.iter().any(|rule| rule.code == info.code) {
        let _ = writeln!(
            text,
            "Set its severity with `[rules.severity]` (`{} = \"warning\"`, or `\"off\"`) or silence one finding with a `# guidepress: ignore[{}] reason` comment: see the [configuration reference](../reference/configuration.md).\n",
            info.code, info.code
        );
    }
    let _ = writeln!(
        text,
        "`guidepress rule {}` prints this page in a terminal.",
        info.code
    );
    Page {
        path: page_path(info.code),
        text,
    }
}

/// The page that describes the codes documented only by their summary: the
/// link checker's outcomes, the suppression comments.
fn described_in(code: &str) -> Option<(&'static str, &'static str)> {
    if code.starts_with("GP4") {
        Some((
            "../links.md#outcomes-and-codes",
            "Link checking, outcomes and codes",
        ))
    } else if code == codes::UNUSED_SUPPRESSION || code == codes::INVALID_SUPPRESSION {
        Some(("../fact-rules.md", "Fact rules, suppressions"))
    } else {
        None
    }
}

/// The groups of codes, by their first digit.
const GROUPS: &[(char, &str)] = &[
    ('1', "Reading YAML (`GP1xx`)"),
    ('2', "Schema (`GP2xx`)"),
    ('3', "Fact rules (`GP3xx`)"),
    ('4', "Source links (`GP4xx`)"),
    ('5', "Publishing (`GP5xx`)"),
    ('6', "Official data (`GP6xx`)"),
    ('7', "Prose (`GP7xx`)"),
];

/// The index of every code, by group.
pub fn index() -> Page {
    let mut text = String::from("# Diagnostic codes\n\n");
    text.push_str(
        "<!-- Generated from `src/codes.rs` by `guidepress docs generate`: edit that, not this page. -->\n\n",
    );
    text.push_str(
        "Every finding carries a stable code. Codes are never reused. `guidepress rules` prints this table (`--json` for tools) and `guidepress rule CODE` a code's page. **Fix**: `safe` fixes are applied by `check --fix`, `unsafe` ones only with `--unsafe-fixes`.\n",
    );
    // A code of a block without a title of its own is listed under "Other
    // codes" rather than left out of the index.
    let grouped = |info: &CodeInfo| {
        GROUPS
            .iter()
            .any(|(digit, _)| info.code.chars().nth(2) == Some(*digit))
    };
    let groups = GROUPS
        .iter()
        .map(|(digit, title)| (Some(*digit), *title))
        .chain([(None, "Other codes")]);
    for (digit, title) in groups {
        let rows: Vec<&CodeInfo> = codes::all_codes()
            .filter(|info| match digit {
                Some(digit) => info.code.chars().nth(2) == Some(digit),
                None => !grouped(info),
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(text, "\n## {title}\n");
        let _ = writeln!(text, "| Code | Name | Severity | Fix | Summary |");
        let _ = writeln!(text, "| --- | --- | --- | --- | --- |");
        for info in rows {
            let _ = writeln!(
                text,
                "| [{code}]({code}.md) | `{}` | {} | {} | {} |",
                info.name,
                info.default_severity.as_str(),
                fix_kind(info).unwrap_or(""),
                escape_text(info.summary),
                code = info.code,
            );
        }
    }
    Page {
        path: "rules/index.md".to_owned(),
        text,
    }
}

/// The index and a page per code, in code-table order.
pub fn pages() -> Vec<Page> {
    let mut pages = vec![index()];
    pages.extend(codes::all_codes().map(page));
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_one_page_and_the_index_links_it() {
        let pages = pages();
        let index = &pages[0].text;
        for info in codes::all_codes() {
            let path = page_path(info.code);
            assert_eq!(pages.iter().filter(|p| p.path == path).count(), 1, "{path}");
            assert!(
                index.contains(&format!("[{0}]({0}.md)", info.code)),
                "{}",
                info.code
            );
        }
        assert_eq!(pages.len(), codes::all_codes().count() + 1);
    }

    #[test]
    fn a_page_keeps_the_documentation_once_under_its_own_title() {
        let info = codes::lookup("GP604").unwrap();
        let page = page(info);
        assert!(page.text.starts_with("# GP604 `salary-range-official`\n"));
        assert_eq!(
            page.text.matches("# GP604 `salary-range-official`").count(),
            1
        );
        assert!(
            page.text
                .contains("| `GP604` | `salary-range-official` | error | unsafe |")
        );
        assert!(page.text.contains("## What it checks"));
        assert!(page.text.contains("src/rules/docs/GP604.md"));
    }

    #[test]
    fn a_code_without_documentation_gets_its_summary() {
        let info = codes::lookup("GP401").unwrap();
        let page = page(info);
        assert!(
            page.text
                .contains("| `GP401` | `broken-link` | error | none |")
        );
        assert!(page.text.contains("A cited link is broken"));
        assert!(page.text.contains("(../links.md#outcomes-and-codes)"));
    }
}
