//! What one push's review does, decided before anything is sent: which
//! findings become new comments (with a suggested change when they have a
//! fix), which earlier comments of this tool stay, are edited, or go, and
//! which findings are left to annotations. Pure: the check's report, the
//! pull request's diff and its comments in, a [`Plan`] out.
//!
//! Each comment carries a hidden marker, `<!-- guidepress-review key=… -->`,
//! where the key names the finding (file, code, the node it is about, and
//! its rank among equal ones), not its line, so a finding that moves keeps
//! its key. An earlier comment whose finding is still there with the same
//! text at the same lines stays; with another text it is edited; at other
//! lines it is replaced. An earlier comment whose finding is gone was fixed:
//! it is deleted, or, when someone answered it, edited to say it was fixed
//! (GitHub's REST API cannot resolve a thread). Comments by others are
//! never touched.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use sha2::{Digest, Sha256};

use super::diff::DiffLines;
use super::github::{DraftComment, ExistingComment};
use super::suggestion::{Suggestion, block, suggestion};
use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::report::ReportContext;
use crate::results::CheckReport;
use crate::source::SourceFile;

/// Comments one review posts at most (reviewdog's cap, which keeps clear
/// of GitHub's secondary rate limits); the rest are listed in the review's body.
pub const MAX_COMMENTS: usize = 30;
/// The largest body GitHub takes for a comment or a review (characters).
pub const MAX_BODY_CHARS: usize = 65_536;
/// What the marker of this tool's comments starts with.
pub const MARKER: &str = "<!-- guidepress-review key=";

/// A finding, by its place in the report: (file index, finding index).
pub type FindingId = (usize, usize);

/// Settings of a plan.
#[derive(Debug, Clone)]
pub struct PlanOptions {
    /// Repository-relative paths (`path_prefix`) and documentation links.
    pub context: ReportContext,
    /// The head commit the review is for.
    pub head_sha: String,
    /// Comments per review.
    pub max_comments: usize,
}

/// What one push's review does.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Plan {
    /// New comments, for the one review of this push.
    pub create: Vec<DraftComment>,
    /// The findings behind `create`, in the same order.
    pub created: Vec<FindingId>,
    /// Earlier comments whose text changes: (id, new body).
    pub update: Vec<(u64, String)>,
    /// Earlier comments removed (fixed, or replaced at other lines).
    pub delete: Vec<u64>,
    /// Earlier comments that stay as they are.
    pub keep: usize,
    /// Findings over the cap: listed in the review's body instead.
    pub summarised: Vec<FindingId>,
    /// Findings on no line of the diff: left to annotations.
    pub annotate: Vec<FindingId>,
    /// The review's body (empty when there is nothing to say).
    pub body: String,
}

impl Plan {
    /// True when a review is to be posted (new comments, or findings to list).
    pub fn posts_review(&self) -> bool {
        !self.create.is_empty() || !self.summarised.is_empty()
    }
}

/// Where a finding goes on the diff.
struct Placed {
    id: FindingId,
    key: String,
    comment: DraftComment,
    severity: Severity,
}

/// Decides the review of `report` on a pull request with `diff` and `existing` comments.
pub fn plan(
    report: &CheckReport,
    diff: &DiffLines,
    existing: &[ExistingComment],
    options: &PlanOptions,
) -> Plan {
    let mut plan = Plan::default();
    let mut placed = Vec::new();
    // Keys of findings with no line on the diff (an earlier comment of one moved away).
    let mut off_diff = BTreeSet::new();
    for (file_index, file) in report.files.iter().enumerate() {
        let path = options.context.repo_path(&file.source.display_path());
        let mut ranks: HashMap<String, usize> = HashMap::new();
        for (index, diagnostic) in file.diagnostics.iter().enumerate() {
            let id = (file_index, index);
            let identity = identity(&path, &file.source, diagnostic);
            let rank = ranks.entry(identity.clone()).or_default();
            let key = key(&identity, *rank);
            *rank += 1;
            match place(&path, &file.source, diagnostic, diff, &key, options) {
                Some(comment) => placed.push(Placed {
                    id,
                    key,
                    comment,
                    severity: diagnostic.severity,
                }),
                None => {
                    off_diff.insert(key);
                    plan.annotate.push(id);
                }
            }
        }
    }

    // Earlier comments of this tool, by key; replies, by the comment answered.
    let answered: BTreeSet<u64> = existing.iter().filter_map(|c| c.in_reply_to_id).collect();
    let mut earlier: BTreeMap<String, &ExistingComment> = BTreeMap::new();
    for comment in existing.iter().filter(|c| c.in_reply_to_id.is_none()) {
        let Some(key) = marker_key(&comment.body) else {
            continue;
        };
        if earlier.contains_key(key) {
            // A second comment for one finding (a run cut short and run
            // again): one is enough.
            retire(&mut plan, comment, &answered, "fixed", &options.head_sha);
        } else {
            earlier.insert(key.to_owned(), comment);
        }
    }

    // The most serious first, then by file and line (the report's order).
    placed.sort_by_key(|p| (std::cmp::Reverse(p.severity), p.id));
    let mut still_reported = BTreeSet::new();
    for item in placed {
        still_reported.insert(item.key.clone());
        if let Some(old) = earlier.get(item.key.as_str()) {
            let same_lines = old.path == item.comment.path
                && old.line == Some(item.comment.line as u64)
                && old.start_line.map(|l| l as usize) == item.comment.start_line;
            if same_lines {
                if old.body != item.comment.body {
                    plan.update.push((old.id, item.comment.body));
                } else {
                    plan.keep += 1;
                }
                continue;
            }
            // The finding moved: the old comment goes (or says so), a new one comes.
            retire(&mut plan, old, &answered, "moved", &options.head_sha);
        }
        if plan.create.len() < options.max_comments {
            plan.created.push(item.id);
            plan.create.push(item.comment);
        } else {
            plan.summarised.push(item.id);
        }
    }
    for (key, old) in &earlier {
        if still_reported.contains(key) || is_retired(&old.body) {
            continue;
        }
        let why = if off_diff.contains(key) {
            "moved"
        } else {
            "fixed"
        };
        retire(&mut plan, old, &answered, why, &options.head_sha);
    }
    plan.body = review_body(report, &plan, options);
    plan
}

/// Takes an earlier comment down: deleted, or, when answered, marked.
fn retire(
    plan: &mut Plan,
    old: &ExistingComment,
    answered: &BTreeSet<u64>,
    why: &str,
    head_sha: &str,
) {
    if !answered.contains(&old.id) {
        plan.delete.push(old.id);
        return;
    }
    if is_retired(&old.body) {
        return;
    }
    let short = &head_sha[..head_sha.len().min(12)];
    let kept: String = old
        .body
        .lines()
        .filter(|line| !line.starts_with(MARKER))
        .collect::<Vec<_>>()
        .join("\n");
    let note = if why == "fixed" {
        format!("**Fixed** in {short}: guidepress no longer reports this.")
    } else {
        format!(
            "**Moved** in {short}: guidepress reports this on other lines now (or outside this pull request's diff, as an annotation)."
        )
    };
    let key = marker_key(&old.body).unwrap_or_default();
    let body = format!(
        "{note}\n\n<details><summary>What it said</summary>\n\n{kept}\n\n</details>\n{MARKER}{key} state=retired -->"
    );
    plan.update.push((old.id, truncate_body(body)));
}

/// True for a comment this tool already marked fixed or moved.
fn is_retired(body: &str) -> bool {
    body.lines()
        .any(|line| line.starts_with(MARKER) && line.contains(" state=retired"))
}

/// The key in a comment's marker, if it has one.
pub fn marker_key(body: &str) -> Option<&str> {
    body.lines().find_map(|line| {
        let rest = line.strip_prefix(MARKER)?;
        let end = rest.find([' ', '-'])?;
        Some(&rest[..end]).filter(|key| !key.is_empty())
    })
}

/// What names a finding across pushes: its file, code, and the node it is
/// about (its JSON Pointer), or else its text.
fn identity(path: &str, source: &SourceFile, diagnostic: &Diagnostic) -> String {
    let about = match &diagnostic.pointer {
        Some(pointer) => pointer.clone(),
        None => source
            .span_text(diagnostic.span.start, diagnostic.span.end)
            .to_owned(),
    };
    format!("{path}\0{}\0{about}", diagnostic.code)
}

fn key(identity: &str, rank: usize) -> String {
    let digest = Sha256::digest(format!("{identity}\0{rank}").as_bytes());
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// The comment of a finding, when it has a line on the diff: on the lines
/// its fix replaces (with the suggested change) when those are all in one
/// hunk, else on the finding's own lines.
fn place(
    path: &str,
    source: &SourceFile,
    diagnostic: &Diagnostic,
    diff: &DiffLines,
    key: &str,
    options: &PlanOptions,
) -> Option<DraftComment> {
    let suggested = diagnostic
        .fix
        .as_ref()
        .and_then(|fix| suggestion(source, fix))
        .filter(|s| diff.commentable(path, s.start_line, s.end_line));
    let (start, end) = match &suggested {
        Some(s) => (s.start_line, s.end_line),
        None => {
            let start = source.position(diagnostic.span.start).line;
            let end = source.position(diagnostic.span.end).line.max(start);
            if diff.commentable(path, start, end) {
                (start, end)
            } else if diff.commentable(path, start, start) {
                (start, start)
            } else {
                return None;
            }
        }
    };
    let body = comment_body(diagnostic, suggested.as_ref(), key, options);
    Some(DraftComment {
        path: path.to_owned(),
        start_line: (start < end).then_some(start),
        line: end,
        body,
    })
}

/// The Markdown of a finding's comment.
fn comment_body(
    diagnostic: &Diagnostic,
    suggested: Option<&Suggestion>,
    key: &str,
    options: &PlanOptions,
) -> String {
    let code = match options.context.docs_url(diagnostic.code) {
        Some(url) => format!("[{}]({url})", diagnostic.code),
        None => diagnostic.code.to_owned(),
    };
    let mut body = format!(
        "**{}** {code}: {}",
        diagnostic.severity.as_str(),
        markdown_text(&diagnostic.message)
    );
    if let Some(help) = &diagnostic.help {
        body.push_str(&format!("\n\nhelp: {}", markdown_text(help)));
    }
    let marker = format!("\n{MARKER}{key} -->");
    if let Some(fix) = &diagnostic.fix {
        let caution = match fix.applicability {
            Applicability::Safe => "",
            Applicability::Unsafe => " (may change the meaning: read before you apply it)",
        };
        let fix_line = format!("\n\nfix: {}{caution}", markdown_text(&fix.message));
        match suggested {
            Some(s) => {
                let with_block = format!("{body}{fix_line}\n\n{}{marker}", block(s));
                if with_block.chars().count() <= MAX_BODY_CHARS {
                    return with_block;
                }
                body.push_str(&fix_line);
                body.push_str(
                    "\n\nThe suggested text is too long for a comment: run `guidepress check --fix`.",
                );
            }
            None => {
                body.push_str(&fix_line);
                body.push_str(" (run `guidepress check --fix`)");
            }
        }
    }
    body.push_str(&marker);
    truncate_body(body)
}

/// Text from a finding, safe in Markdown on one line: control characters
/// visible, HTML comments and tags unable to open.
fn markdown_text(text: &str) -> String {
    crate::escape::text(text).replace('<', "&lt;")
}

/// The review's body: what this push changed, the findings over the cap
/// and how many are left to annotations.
fn review_body(report: &CheckReport, plan: &Plan, options: &PlanOptions) -> String {
    let mut body = String::from("**guidepress**");
    let mut parts = Vec::new();
    if !plan.create.is_empty() {
        parts.push(count(plan.create.len(), "new comment"));
    }
    if !plan.annotate.is_empty() {
        parts.push(format!(
            "{} on lines this pull request does not change (see the check's annotations)",
            count(plan.annotate.len(), "finding")
        ));
    }
    if !parts.is_empty() {
        body.push_str(": ");
        body.push_str(&parts.join("; "));
        body.push('.');
    }
    if plan.summarised.is_empty() {
        return body;
    }
    body.push_str(&format!(
        "\n\n{} not posted as comments ({} per review at most, to stay within GitHub's rate limits):\n",
        count(plan.summarised.len(), "more finding"),
        options.max_comments
    ));
    let reserve = 200;
    for (shown, &(file_index, index)) in plan.summarised.iter().enumerate() {
        let file = &report.files[file_index];
        let diagnostic = &file.diagnostics[index];
        let path = options.context.repo_path(&file.source.display_path());
        let line = file.source.position(diagnostic.span.start).line;
        let item = format!(
            "\n- `{}` line {line}: **{}** {}: {}",
            path.replace('`', "'"),
            diagnostic.severity.as_str(),
            diagnostic.code,
            markdown_text(&diagnostic.message)
        );
        if body.chars().count() + item.chars().count() + reserve > MAX_BODY_CHARS {
            body.push_str(&format!(
                "\n- … and {} more: run `guidepress check` to see them all.",
                plan.summarised.len() - shown
            ));
            break;
        }
        body.push_str(&item);
    }
    body
}

fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// `body` cut to GitHub's limit, keeping its marker (the last line).
fn truncate_body(body: String) -> String {
    if body.chars().count() <= MAX_BODY_CHARS {
        return body;
    }
    let (text, marker) = body.rsplit_once('\n').unwrap_or((&body, ""));
    let room = MAX_BODY_CHARS - marker.chars().count() - 8;
    let cut: String = text.chars().take(room).collect();
    format!("{cut} …\n{marker}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_marker_names_the_key_whatever_follows() {
        assert_eq!(
            marker_key("text\n<!-- guidepress-review key=ab12 -->"),
            Some("ab12")
        );
        assert_eq!(
            marker_key("<!-- guidepress-review key=ab12 state=retired -->"),
            Some("ab12")
        );
        assert_eq!(marker_key("<!-- guidepress-review key= -->"), None);
        assert_eq!(marker_key("<!-- other-tool key=ab12 -->"), None);
        assert!(is_retired(
            "x\n<!-- guidepress-review key=ab12 state=retired -->"
        ));
        assert!(!is_retired("x\n<!-- guidepress-review key=ab12 -->"));
    }

    #[test]
    fn long_bodies_are_cut_to_githubs_limit_keeping_the_marker() {
        let marker = format!("{MARKER}ab12 -->");
        let body = format!("{}\n{marker}", "é".repeat(MAX_BODY_CHARS));
        let cut = truncate_body(body);
        assert!(cut.chars().count() <= MAX_BODY_CHARS);
        assert!(cut.ends_with(&marker));
        assert_eq!(marker_key(&cut), Some("ab12"));
        assert_eq!(truncate_body("short".into()), "short");
    }

    #[test]
    fn finding_text_cannot_open_html_in_a_comment() {
        assert_eq!(
            markdown_text("a <!-- b --> \u{1b}[31m"),
            "a &lt;!-- b --> \\x1B[31m"
        );
    }
}
