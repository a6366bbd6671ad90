//! `guidepress review`: the findings and fixes of a check, posted on a pull
//! request as ONE review per push, each fix a suggested change the writer
//! applies with one click.
//!
//! ```text
//! CheckReport (pipeline::run, as `check` makes it)
//!   │ target::resolve      which pull request (event file, flags)
//!   │ github::GitHub       pulls/get: head commit, fork or not
//!   │ github::GitHub       pulls/list-files → diff::DiffLines (commentable lines)
//!   │   fork ─────────────────────────────────────────► every finding to annotations
//!   │ github::GitHub       pulls/list-review-comments (this tool's, by marker)
//!   │ plan::plan           new / kept / edited / deleted comments, cap, body
//!   │                      findings on no line of the diff ──► annotations
//!   │ github::GitHub       pulls/create-review (one), update/delete comments
//!   │   403/404 on create ────────────────────────────► every finding to annotations
//!   ▼
//! Outcome → the command prints the annotations (`report`'s `github` format)
//! ```
//!
//! [`suggestion`] turns a fix's byte edits into the whole lines GitHub
//! replaces. Any fix of any rule goes through the same path, so a new
//! rule's fixes become suggestions without code here.

pub mod diff;
pub mod error;
pub mod github;
pub mod plan;
pub mod suggestion;
pub mod target;
pub mod transport;

use std::collections::BTreeSet;

pub use error::ReviewError;
pub use github::{GitHub, PullRequestId};
pub use plan::{FindingId, MAX_COMMENTS, Plan, PlanOptions};

use crate::changes::ChangedLines;
use crate::report::ReportContext;
use crate::results::CheckReport;

/// How the review went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Posted as a review (or nothing new to post).
    Reviewed {
        /// The review created for this push, if there was anything new.
        review_id: Option<u64>,
    },
    /// Not posted: every finding goes to annotations, for this reason.
    Annotations {
        /// Why (a fork, a token that cannot write).
        reason: String,
    },
}

/// What a review run did.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Posted, or left to annotations.
    pub mode: Mode,
    /// What was decided (empty when the review fell back before planning).
    pub plan: Plan,
    /// The findings to show as annotations.
    pub annotate: BTreeSet<FindingId>,
    /// The lines of the pull request's diff, by repository-relative path
    /// (for ordering annotations: findings on them first).
    pub changed: Option<ChangedLines>,
}

impl Outcome {
    /// Keeps in `report` only the findings to annotate.
    pub fn retain_annotated(&self, report: &mut CheckReport) {
        for (file_index, file) in report.files.iter_mut().enumerate() {
            let mut index = 0;
            file.diagnostics.retain(|_| {
                let keep = self.annotate.contains(&(file_index, index));
                index += 1;
                keep
            });
        }
    }
}

/// Settings of a review run.
#[derive(Debug, Clone)]
pub struct ReviewOptions {
    /// Repository-relative paths and documentation links.
    pub context: ReportContext,
    /// The head commit, when known before asking GitHub (the event's).
    pub head_sha: Option<String>,
    /// Comments per review.
    pub max_comments: usize,
}

fn every_finding(report: &CheckReport) -> BTreeSet<FindingId> {
    report
        .files
        .iter()
        .enumerate()
        .flat_map(|(file, f)| (0..f.diagnostics.len()).map(move |index| (file, index)))
        .collect()
}

/// Reviews the pull request `github` points at with the findings of `report`.
pub async fn run(
    report: &CheckReport,
    github: &GitHub,
    options: &ReviewOptions,
) -> Result<Outcome, ReviewError> {
    let info = github.pull_request().await?;
    let fallback = |reason: String, plan: Plan, changed: Option<ChangedLines>| Outcome {
        mode: Mode::Annotations { reason },
        plan,
        annotate: every_finding(report),
        changed,
    };
    let head_sha = options
        .head_sha
        .clone()
        .unwrap_or_else(|| info.head_sha.clone());
    let mut diff = diff::DiffLines::default();
    let mut changed = ChangedLines::default();
    for file in github.files().await? {
        diff.add_patch(&file.filename, file.patch.as_deref());
        let ranges = diff
            .hunks(&file.filename)
            .iter()
            .filter(|h| h.last >= h.first)
            .map(|h| (h.first, h.last))
            .collect();
        changed.0.insert(file.filename, ranges);
    }
    if info.is_fork() {
        return Ok(fallback(
            format!(
                "the pull request comes from another repository ({}), where the workflow's token cannot write a review",
                info.head_repo.as_deref().unwrap_or("a deleted fork")
            ),
            Plan::default(),
            Some(changed),
        ));
    }
    let existing = github.review_comments().await?;
    let plan = plan::plan(
        report,
        &diff,
        &existing,
        &PlanOptions {
            context: options.context.clone(),
            head_sha: head_sha.clone(),
            max_comments: options.max_comments,
        },
    );
    let mut review_id = None;
    if plan.posts_review() {
        match github
            .create_review(&head_sha, &plan.body, &plan.create)
            .await
        {
            Ok(id) => review_id = Some(id),
            Err(ReviewError::Forbidden {
                status, message, ..
            }) => {
                return Ok(fallback(
                    format!(
                        "GitHub did not let this token write a review ({status} {message}); give the workflow `permissions: pull-requests: write`"
                    ),
                    plan,
                    Some(changed),
                ));
            }
            Err(error) => return Err(error),
        }
    }
    for (id, body) in &plan.update {
        match github.update_comment(*id, body).await {
            // Deleted by hand meanwhile: nothing left to edit.
            Err(ReviewError::Forbidden { status: 404, .. }) | Ok(()) => {}
            Err(error) => return Err(error),
        }
    }
    for id in &plan.delete {
        match github.delete_comment(*id).await {
            // Already gone (deleted by hand): what was wanted.
            Err(ReviewError::Forbidden { status: 404, .. }) | Ok(()) => {}
            Err(error) => return Err(error),
        }
    }
    Ok(Outcome {
        mode: Mode::Reviewed { review_id },
        annotate: plan.annotate.iter().copied().collect(),
        plan,
        changed: Some(changed),
    })
}
