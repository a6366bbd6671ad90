//! `guidepress review` against a stand-in for GitHub's REST API
//! (`tests/review_support/`) that keeps the pull request's comments and
//! reviews and holds every request to GitHub's published OpenAPI
//! description: suggestions on single and multi-line fixes, lines outside
//! the diff, deleted lines, a second push, the comment cap, forks, tokens
//! that cannot write or are wrong, rate limits; and the command end to end.

use std::time::Duration;

use crate::common::cli;
use crate::review_support::{File, GitHubStandIn, TOKEN, openapi::Description};
use guidepress::document::LoadedFile;
use guidepress::file_kind::FileKind;
use guidepress::load::LoadLimits;
use guidepress::report::ReportContext;
use guidepress::results::CheckReport;
use guidepress::retry::RetryPolicy;
use guidepress::review::{self, GitHub, Mode, Outcome, PullRequestId, ReviewError, ReviewOptions};
use guidepress::{Applicability, Diagnostic, Edit, Fix, SourceFile, Span};

const GUIDE: &str = "content/guides/a.yaml";
const TEXT: &str = "\
title: Backend Engineer
salary:
  median: 35
  range: [10, 20]
summary: >
  A line with a typo teh.
  Second line.
growth: 17
outlook: good
openings: 3
education: Master's
notes: none
";

/// Lines 1-5 and 11-12 are in the diff; line 11 of the old file was removed.
const PATCH: &str = "@@ -1,3 +1,5 @@\n title: Backend Engineer\n-salary: {}\n+salary:\n+  median: 35\n   range: [10, 20]\n+summary: >\n@@ -10,3 +11,2 @@\n education: Master's\n-removed: yes\n notes: none";

fn files(patch: &str) -> Vec<File> {
    vec![File {
        filename: GUIDE.into(),
        status: "modified".into(),
        patch: Some(patch.into()),
    }]
}

fn at(text: &str, needle: &str) -> Span {
    let start = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} in the text"));
    Span::new(start, start + needle.len())
}

/// A finding on `needle`, with a fix replacing it when `replacement` is given.
fn finding(
    code: &'static str,
    message: &str,
    needle: &str,
    replacement: Option<&str>,
) -> Diagnostic {
    let span = at(TEXT, needle);
    let mut diagnostic =
        Diagnostic::warning(code, message, span).with_pointer(format!("/{needle}"));
    if let Some(replacement) = replacement {
        diagnostic = diagnostic.with_fix(Fix {
            message: format!("Replace with {replacement}"),
            applicability: Applicability::Safe,
            edits: vec![Edit {
                span,
                replacement: replacement.into(),
            }],
        });
    }
    diagnostic
}

fn report(text: &str, diagnostics: Vec<Diagnostic>) -> CheckReport {
    let mut file = LoadedFile::new(
        SourceFile::new(GUIDE, text.to_owned()),
        FileKind::Guide,
        None,
        None,
        LoadLimits::default(),
    );
    file.diagnostics = diagnostics;
    CheckReport { files: vec![file] }
}

fn client(server: &GitHubStandIn, token: &str) -> GitHub {
    let pull = PullRequestId {
        api_url: server.url.parse().unwrap(),
        owner: "owner".into(),
        repo: "repo".into(),
        number: 7,
    };
    GitHub::new(pull, &guidepress::publish::Secret::new(token))
        .unwrap()
        .with_retry_policy(RetryPolicy {
            max_retries: 2,
            base: Duration::from_millis(5),
            max_wait: Some(Duration::from_millis(50)),
            budget: None,
        })
}

fn options(max_comments: usize) -> ReviewOptions {
    ReviewOptions {
        context: ReportContext {
            docs_url: Some(String::new()),
            ..ReportContext::default()
        },
        head_sha: None,
        max_comments,
    }
}

fn review_with(
    server: &GitHubStandIn,
    report: &CheckReport,
    max: usize,
) -> Result<Outcome, ReviewError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(review::run(report, &client(server, TOKEN), &options(max)))
}

fn review(server: &GitHubStandIn, report: &CheckReport) -> Outcome {
    let outcome = review_with(server, report, review::MAX_COMMENTS).expect("the review is posted");
    server.assert_clean();
    outcome
}

fn writes(server: &GitHubStandIn) -> Vec<String> {
    server
        .state()
        .requests
        .iter()
        .filter(|r| !r.starts_with("GET "))
        .cloned()
        .collect()
}

#[test]
fn a_fix_becomes_a_one_click_suggestion_of_its_whole_line() {
    let server = GitHubStandIn::start("head1", files(PATCH));
    let report = report(
        TEXT,
        vec![finding(
            "GP603",
            "The median is 35; BLS gives 34.",
            "35",
            Some("34"),
        )],
    );
    let outcome = review(&server, &report);
    assert!(matches!(
        outcome.mode,
        Mode::Reviewed { review_id: Some(_) }
    ));
    let threads = server.threads();
    assert_eq!(threads.len(), 1);
    let comment = &threads[0];
    assert_eq!(
        (comment.path.as_str(), comment.line, comment.start_line),
        (GUIDE, Some(3), None)
    );
    assert!(
        comment
            .body
            .contains("\n```suggestion\n  median: 34\n```\n"),
        "{}",
        comment.body
    );
    assert!(
        comment
            .body
            .contains("**warning** GP603: The median is 35; BLS gives 34.")
    );
    assert!(comment.body.contains("<!-- guidepress-review key="));
    let reviews = server.state().reviews.clone();
    assert_eq!(reviews.len(), 1);
    assert_eq!(
        (reviews[0].event.as_str(), reviews[0].commit_id.as_str()),
        ("COMMENT", "head1")
    );
    // The token went in the Authorization header of every request, nowhere else.
    let state = server.state();
    assert!(
        state
            .authorizations
            .iter()
            .all(|a| a == &format!("Bearer {TOKEN}"))
    );
    assert!(state.requests.iter().all(|r| !r.contains(TOKEN)));
}

#[test]
fn a_multi_line_fix_is_one_suggestion_from_start_line_to_line() {
    let server = GitHubStandIn::start("head1", files(PATCH));
    let span = Span::new(at(TEXT, "35").start, at(TEXT, "20]").end);
    let fix = Fix {
        message: "Write the salary on one line".into(),
        applicability: Applicability::Unsafe,
        edits: vec![
            Edit {
                span: at(TEXT, "35"),
                replacement: "34".into(),
            },
            Edit {
                span: at(TEXT, "20]"),
                replacement: "30]".into(),
            },
        ],
    };
    let diagnostic =
        Diagnostic::warning("GP304", "The range and median disagree.", span).with_fix(fix);
    review(&server, &report(TEXT, vec![diagnostic]));
    let threads = server.threads();
    assert_eq!(threads.len(), 1);
    assert_eq!((threads[0].start_line, threads[0].line), (Some(3), Some(4)));
    assert!(
        threads[0]
            .body
            .contains("```suggestion\n  median: 34\n  range: [10, 30]\n```"),
        "{}",
        threads[0].body
    );
    assert!(
        threads[0].body.contains("may change the meaning"),
        "an unsafe fix says so"
    );
}

#[test]
fn findings_outside_the_diff_and_fixes_leaving_a_hunk_fall_back() {
    let server = GitHubStandIn::start("head1", files(PATCH));
    // Line 8: in no hunk. Lines 5-6: the fix's lines leave the first hunk,
    // the finding's own line (5) is in it.
    let outside = finding("GP611", "Growth is 17 %; BLS gives 15 %.", "17", Some("15"));
    let span = Span::new(at(TEXT, "summary").start, at(TEXT, "teh").end);
    let leaving = Diagnostic::warning(
        "GP701",
        "`teh` is misspelled.",
        Span::new(span.start, span.start + 7),
    )
    .with_fix(Fix {
        message: "Replace teh with the".into(),
        applicability: Applicability::Safe,
        edits: vec![Edit {
            span: at(TEXT, "teh"),
            replacement: "the".into(),
        }],
    });
    let report = report(TEXT, vec![leaving, outside]);
    let outcome = review(&server, &report);
    assert_eq!(
        outcome.annotate.iter().copied().collect::<Vec<_>>(),
        vec![(0, 1)]
    );
    let threads = server.threads();
    assert_eq!(threads.len(), 1);
    assert_eq!((threads[0].line, threads[0].start_line), (Some(5), None));
    assert!(
        !threads[0].body.contains("```suggestion"),
        "{}",
        threads[0].body
    );
    assert!(threads[0].body.contains("fix: Replace teh with the"));
    let body = &server.state().reviews[0].body;
    assert!(
        body.contains("1 finding on lines this pull request does not change"),
        "{body}"
    );
    // What the command prints for them: only the annotated findings stay.
    let mut shown = report;
    outcome.retain_annotated(&mut shown);
    let codes: Vec<&str> = shown.diagnostics().map(|d| d.code).collect();
    assert_eq!(codes, vec!["GP611"]);
}

#[test]
fn a_removed_line_takes_no_comment_and_lines_after_it_keep_their_numbers() {
    let server = GitHubStandIn::start("head1", files(PATCH));
    // Right-hand lines 11-12 follow a removed line; line 10 (`openings`) is
    // not in the diff although the old file's line 10 is in the hunk.
    let report = report(
        TEXT,
        vec![
            finding("GP610", "Openings are 3.", "openings: 3", None),
            finding(
                "GP613",
                "Education is Master's; BLS gives Bachelor's.",
                "Master's",
                Some("Bachelor's"),
            ),
            finding(
                "GP399",
                "Notes say none.",
                "notes: none",
                Some("notes: some"),
            ),
        ],
    );
    let outcome = review(&server, &report);
    assert_eq!(
        outcome.annotate.iter().copied().collect::<Vec<_>>(),
        vec![(0, 0)]
    );
    let mut lines: Vec<Option<u64>> = server.threads().iter().map(|c| c.line).collect();
    lines.sort();
    assert_eq!(lines, vec![Some(11), Some(12)]);
    assert!(server.threads().iter().all(|c| c.side == "RIGHT"));
}

#[test]
fn a_second_push_keeps_edits_and_retires_instead_of_repeating() {
    let server = GitHubStandIn::start("head1", files(PATCH));
    let first = report(
        TEXT,
        vec![
            finding("GP301", "Title is long.", "Backend Engineer", None),
            finding("GP603", "The median is 35; BLS gives 34.", "35", Some("34")),
            finding(
                "GP604",
                "The range ends at 20; BLS gives 30.",
                "20]",
                Some("30]"),
            ),
            finding(
                "GP605",
                "The range starts at 10; BLS gives 12.",
                "10,",
                Some("12,"),
            ),
        ],
    );
    review(&server, &first);
    let before = server.threads();
    assert_eq!(before.len(), 4);
    let id_of = |code: &str| {
        before
            .iter()
            .find(|c| c.body.contains(&format!(" {code}: ")))
            .unwrap()
            .id
    };
    // Someone answers the GP604 comment; GP604 and GP605 are then fixed.
    server.reply(id_of("GP604"), "Good catch, fixing.");

    // The push: GP301's text changes, GP603 stays, GP604 and GP605 are
    // fixed, a new finding appears.
    server.push("head2", files(PATCH));
    let second = report(
        TEXT,
        vec![
            finding(
                "GP301",
                "Title is longer than 10 characters.",
                "Backend Engineer",
                None,
            ),
            finding("GP603", "The median is 35; BLS gives 34.", "35", Some("34")),
            finding("GP700", "`summary` is folded.", "summary: >", None),
        ],
    );
    let requests_before = server.state().requests.len();
    let outcome = review(&server, &second);
    let plan = &outcome.plan;
    assert_eq!(plan.keep, 1, "GP603 is unchanged: left alone");
    assert_eq!(plan.create.len(), 1, "only the new finding is posted");
    assert_eq!(
        plan.delete,
        vec![id_of("GP605")],
        "fixed, unanswered: deleted"
    );
    let after = server.threads();
    let by_id = |id: u64| after.iter().find(|c| c.id == id).cloned();
    assert_eq!(
        by_id(id_of("GP603")).unwrap().body,
        before.iter().find(|c| c.id == id_of("GP603")).unwrap().body
    );
    assert!(
        by_id(id_of("GP301"))
            .unwrap()
            .body
            .contains("longer than 10 characters"),
        "edited in place"
    );
    let answered = by_id(id_of("GP604")).unwrap();
    assert!(
        answered.body.starts_with("**Fixed** in head2"),
        "{}",
        answered.body
    );
    assert!(by_id(id_of("GP605")).is_none());
    assert_eq!(
        after.len(),
        4,
        "GP301, GP603, GP604 (fixed), GP700: {after:#?}"
    );
    assert_eq!(server.state().reviews.len(), 2, "one review per push");
    let writes_second: Vec<String> = server.state().requests[requests_before..]
        .iter()
        .filter(|r| !r.starts_with("GET "))
        .cloned()
        .collect();
    assert_eq!(writes_second.len(), 4, "{writes_second:?}");

    // A third run on the same push changes nothing and posts no review.
    let count = writes(&server).len();
    let outcome = review(&server, &second);
    assert_eq!((outcome.plan.keep, outcome.plan.create.len()), (3, 0));
    assert_eq!(writes(&server).len(), count, "{:?}", writes(&server));
    assert!(matches!(outcome.mode, Mode::Reviewed { review_id: None }));
}

#[test]
fn a_finding_that_moves_is_posted_on_its_new_line() {
    let server = GitHubStandIn::start("head1", files(PATCH));
    review(
        &server,
        &report(
            TEXT,
            vec![finding("GP603", "The median is 35.", "35", Some("34"))],
        ),
    );
    let old = server.threads()[0].id;
    // A line is inserted above: the finding is now on line 4.
    let moved_text = TEXT.replacen("salary:\n", "salary:\n  currency: USD\n", 1);
    let patch = "@@ -1,3 +1,6 @@\n title: Backend Engineer\n-salary: {}\n+salary:\n+  currency: USD\n+  median: 35\n   range: [10, 20]\n+summary: >";
    server.push("head2", files(patch));
    let start = moved_text.find("35").unwrap();
    let moved = Diagnostic::warning("GP603", "The median is 35.", Span::new(start, start + 2))
        .with_pointer("/35")
        .with_fix(Fix {
            message: "Replace with 34".into(),
            applicability: Applicability::Safe,
            edits: vec![Edit {
                span: Span::new(start, start + 2),
                replacement: "34".into(),
            }],
        });
    let outcome = review(&server, &report(&moved_text, vec![moved]));
    assert_eq!(outcome.plan.delete, vec![old]);
    let threads = server.threads();
    assert_eq!(threads.len(), 1);
    assert_eq!(threads[0].line, Some(4));
}

#[test]
fn a_finding_that_leaves_the_diff_is_not_called_fixed() {
    let server = GitHubStandIn::start("head1", files(PATCH));
    let report = report(
        TEXT,
        vec![finding("GP603", "The median is 35.", "35", Some("34"))],
    );
    review(&server, &report);
    let id = server.threads()[0].id;
    server.reply(id, "Why 34?");
    // The next push's diff no longer has line 3: the finding is an annotation now.
    server.push(
        "head2",
        files("@@ -10,3 +11,2 @@\n education: Master's\n-removed: yes\n notes: none"),
    );
    let outcome = review(&server, &report);
    assert_eq!(outcome.annotate.len(), 1);
    let thread = server.threads().into_iter().find(|c| c.id == id).unwrap();
    assert!(
        thread.body.starts_with("**Moved** in head2"),
        "{}",
        thread.body
    );
}

#[test]
fn a_comment_deleted_by_hand_before_its_edit_is_no_error() {
    let server = GitHubStandIn::start("head1", files(PATCH));
    review(
        &server,
        &report(
            TEXT,
            vec![finding("GP603", "The median is 35.", "35", Some("34"))],
        ),
    );
    server.state().vanish_on_edit = true;
    let changed = report(
        TEXT,
        vec![finding(
            "GP603",
            "The median is 35, not 34.",
            "35",
            Some("34"),
        )],
    );
    let outcome = review(&server, &changed);
    assert_eq!(outcome.plan.update.len(), 1);
    assert!(server.threads().is_empty());
}

#[test]
fn past_the_cap_findings_are_listed_in_the_review_body() {
    let server = GitHubStandIn::start("head1", files(PATCH));
    let many: Vec<Diagnostic> = (0..35)
        .map(|n| {
            let mut d = finding(
                "GP301",
                &format!("Finding number {n}."),
                "Backend Engineer",
                None,
            );
            d.pointer = Some(format!("/title/{n}"));
            d
        })
        .collect();
    let outcome = review_with(&server, &report(TEXT, many), 30).unwrap();
    server.assert_clean();
    assert_eq!(server.threads().len(), 30);
    assert_eq!(outcome.plan.summarised.len(), 5);
    let body = server.state().reviews[0].body.clone();
    assert!(
        body.contains("5 more findings not posted as comments (30 per review at most"),
        "{body}"
    );
    assert!(body.contains("Finding number 34."), "{body}");
    // The next push posts the rest, without repeating the first 30.
    let many: Vec<Diagnostic> = (0..35)
        .map(|n| {
            let mut d = finding(
                "GP301",
                &format!("Finding number {n}."),
                "Backend Engineer",
                None,
            );
            d.pointer = Some(format!("/title/{n}"));
            d
        })
        .collect();
    let outcome = review_with(&server, &report(TEXT, many), 30).unwrap();
    assert_eq!((outcome.plan.keep, outcome.plan.create.len()), (30, 5));
    assert_eq!(server.threads().len(), 35);
}

#[test]
fn a_fork_gets_annotations_and_no_write() {
    let server = GitHubStandIn::start("head1", files(PATCH));
    server.state().head_repo = Some("someone/repo".into());
    let report = report(
        TEXT,
        vec![finding("GP603", "The median is 35.", "35", Some("34"))],
    );
    let outcome = review(&server, &report);
    match &outcome.mode {
        Mode::Annotations { reason } => assert!(reason.contains("someone/repo"), "{reason}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(outcome.annotate.len(), 1);
    assert!(writes(&server).is_empty(), "{:?}", writes(&server));
    // The diff is still read, to show the findings on its lines first.
    let changed = outcome.changed.expect("the diff was read");
    assert!(changed.touches(GUIDE, 3, 3) && !changed.touches(GUIDE, 8, 8));
}

#[test]
fn a_second_comment_for_one_finding_is_removed() {
    let server = GitHubStandIn::start("head1", files(PATCH));
    let report = report(
        TEXT,
        vec![finding("GP603", "The median is 35.", "35", Some("34"))],
    );
    review(&server, &report);
    // A run cut short and run again left the same comment twice.
    let copy = {
        let mut state = server.state();
        let mut copy = state.comments[0].clone();
        copy.id = 9999;
        state.comments.push(copy.clone());
        copy
    };
    let outcome = review(&server, &report);
    assert_eq!(outcome.plan.delete, vec![copy.id]);
    assert_eq!((outcome.plan.keep, outcome.plan.create.len()), (1, 0));
    assert_eq!(server.threads().len(), 1);
}

#[test]
fn a_token_that_cannot_write_falls_back_to_annotations() {
    let server = GitHubStandIn::start("head1", files(PATCH));
    server.state().forbid_writes = true;
    let report = report(
        TEXT,
        vec![finding("GP603", "The median is 35.", "35", Some("34"))],
    );
    let outcome = review(&server, &report);
    match &outcome.mode {
        Mode::Annotations { reason } => {
            assert!(
                reason.contains("403 Resource not accessible by integration"),
                "{reason}"
            );
            assert!(reason.contains("pull-requests: write"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    assert!(server.threads().is_empty());
}

#[test]
fn a_wrong_token_is_a_clear_error_that_does_not_show_it() {
    let server = GitHubStandIn::start("head1", files(PATCH));
    let report = report(TEXT, vec![]);
    let secret = "ghp_wrongTokenThatMustNotLeak42";
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let error = runtime
        .block_on(review::run(&report, &client(&server, secret), &options(30)))
        .unwrap_err();
    let message = error.to_string();
    assert!(
        matches!(error, ReviewError::Unauthorized { .. }),
        "{error:?}"
    );
    assert!(message.contains("401 Bad credentials"), "{message}");
    assert!(!message.contains(secret) && !format!("{error:?}").contains(secret));
    server.assert_clean();
}

#[test]
fn rate_limits_are_waited_out_then_reported() {
    let server = GitHubStandIn::start("head1", files(PATCH));
    server.state().rate_limited = 2;
    let report = report(
        TEXT,
        vec![finding("GP603", "The median is 35.", "35", Some("34"))],
    );
    review(&server, &report);
    assert_eq!(server.threads().len(), 1, "posted after two 429s");
    // GitHub's secondary limit: 403 with Retry-After is a rate limit, not a refusal.
    server.state().rate_limit_status = 403;
    server.state().rate_limited = 1;
    let outcome = review(&server, &report);
    assert!(
        matches!(outcome.mode, Mode::Reviewed { .. }),
        "{:?}",
        outcome.mode
    );
    server.state().rate_limit_status = 429;
    server.state().rate_limited = 10;
    let error = review_with(&server, &report, 30).unwrap_err();
    assert!(
        matches!(error, ReviewError::RateLimited { status: 429, .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("rate limit"), "{error}");
}

#[test]
fn odd_answers_and_a_dead_server_are_clear_errors() {
    let server = GitHubStandIn::start("head1", files(PATCH));
    server.state().garbled = true;
    let report = report(TEXT, vec![]);
    let error = review_with(&server, &report, 30).unwrap_err();
    assert!(matches!(error, ReviewError::BadAnswer { .. }), "{error:?}");
    assert!(error.to_string().contains("not JSON"), "{error}");
    // Nothing listens: retried, then a network error naming the call.
    let url = server.url.clone();
    drop(server);
    std::thread::sleep(Duration::from_millis(50));
    let pull = PullRequestId {
        api_url: url.parse().unwrap(),
        owner: "owner".into(),
        repo: "repo".into(),
        number: 7,
    };
    let github = GitHub::new(pull, &guidepress::publish::Secret::new(TOKEN))
        .unwrap()
        .with_retry_policy(RetryPolicy {
            max_retries: 1,
            base: Duration::from_millis(5),
            max_wait: None,
            budget: None,
        });
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let error = runtime
        .block_on(review::run(&report, &github, &options(30)))
        .unwrap_err();
    assert!(matches!(error, ReviewError::Network { .. }), "{error:?}");
    assert!(
        error.to_string().contains("GET /repos/owner/repo/pulls/7"),
        "{error}"
    );
    assert!(!error.to_string().contains(TOKEN));
}

#[test]
fn the_stand_in_holds_requests_to_githubs_description() {
    let description = Description::load();
    let ok = description.check(
        "POST",
        "/repos/o/r/pulls/7/reviews",
        &[],
        br#"{"commit_id":"a","event":"COMMENT","body":"x","comments":[{"path":"a","line":2,"side":"RIGHT","body":"b"}]}"#,
        Some("application/json"),
    );
    assert_eq!(ok, Vec::<String>::new());
    type Case<'a> = (&'a str, &'a str, Vec<(String, String)>, &'a [u8]);
    let cases: [Case; 6] = [
        (
            "POST",
            "/repos/o/r/pulls/7/reviews",
            vec![],
            br#"{"event":"SHIP"}"#,
        ),
        (
            "POST",
            "/repos/o/r/pulls/7/reviews",
            vec![],
            br#"{"comments":[{"line":2}]}"#,
        ),
        (
            "GET",
            "/repos/o/r/pulls/7/files",
            vec![("per_page".into(), "many".into())],
            b"",
        ),
        (
            "GET",
            "/repos/o/r/pulls/7/files",
            vec![("direction".into(), "asc".into())],
            b"",
        ),
        ("GET", "/repos/o/r/pulls/seven", vec![], b""),
        ("PUT", "/repos/o/r/pulls/7/reviews", vec![], b""),
    ];
    for (method, path, query, body) in cases {
        let problems = description.check(method, path, &query, body, Some("application/json"));
        assert!(!problems.is_empty(), "{method} {path} {query:?} passed");
    }
    assert!(
        !description
            .check(
                "PATCH",
                "/repos/o/r/pulls/comments/1",
                &[],
                b"{}",
                Some("application/json")
            )
            .is_empty(),
        "body is required"
    );
}

/// The command end to end: a content repository's guide with BLS fixes,
/// checked and reviewed; what has no line in the diff is printed as annotations.
#[test]
fn the_command_reviews_a_checked_guide() {
    let dir = tempfile::tempdir().unwrap();
    let init = cli::run(dir.path(), &["init"]);
    assert!(init.status.success(), "{}", cli::text(&init.stderr));
    let guide = std::fs::read_to_string(crate::common::repo_path(
        "tests/fixtures/fix_kinds/outlook-and-sources.yaml",
    ))
    .unwrap();
    let path = "content/guides/backend-engineer.yaml";
    std::fs::write(dir.path().join(path), &guide).unwrap();
    let line_of = |needle: &str| guide.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let median = line_of("national_median");
    // The diff touches the lines around the national median only.
    let patch = format!(
        "@@ -{a},3 +{a},3 @@\n{}\n-old\n+{}\n{}",
        format_args!(" {}", guide.lines().nth(median - 2).unwrap()),
        guide.lines().nth(median - 1).unwrap(),
        format_args!(" {}", guide.lines().nth(median).unwrap()),
        a = median - 1,
    );
    let server = GitHubStandIn::start(
        "abc123",
        vec![File {
            filename: path.into(),
            status: "modified".into(),
            patch: Some(patch),
        }],
    );
    let event = dir.path().join("event.json");
    std::fs::write(
        &event,
        r#"{"pull_request":{"number":7,"head":{"sha":"abc123"}},"repository":{"full_name":"owner/repo"}}"#,
    )
    .unwrap();
    let envs = [
        ("GITHUB_TOKEN", TOKEN),
        ("GITHUB_REPOSITORY", "owner/repo"),
        ("GITHUB_API_URL", server.url.as_str()),
        ("GITHUB_EVENT_PATH", event.to_str().unwrap()),
    ];
    let output = cli::run_with(dir.path(), &["review"], &envs);
    let (stdout, stderr) = (cli::text(&output.stdout), cli::text(&output.stderr));
    server.assert_clean();
    assert!(!stdout.contains(TOKEN) && !stderr.contains(TOKEN));
    let threads = server.threads();
    assert_eq!(threads.len(), 1, "{stderr}\n{threads:#?}");
    assert_eq!(threads[0].line, Some(median as u64));
    assert!(threads[0].body.contains("GP603"), "{}", threads[0].body);
    let fixed_line = guide
        .lines()
        .nth(median - 1)
        .unwrap()
        .replace("133080", "135980");
    assert!(
        threads[0]
            .body
            .contains(&format!("```suggestion\n{fixed_line}\n```")),
        "{}",
        threads[0].body
    );
    assert!(stderr.contains("guidepress: review #"), "{stderr}");
    assert!(
        stdout.contains("::warning file=content/guides/backend-engineer.yaml"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("GP603"),
        "posted findings are not annotated too: {stdout}"
    );
    assert_eq!(
        output.status.code(),
        Some(1),
        "errors fail the run: {stderr}"
    );

    // The same pull request from a fork: nothing posted, every finding annotated.
    server.state().head_repo = Some("someone/fork".into());
    let writes_before = writes(&server).len();
    let output = cli::run_with(dir.path(), &["review"], &envs);
    let (stdout, stderr) = (cli::text(&output.stdout), cli::text(&output.stderr));
    assert!(stderr.contains("annotations, not a review"), "{stderr}");
    assert!(stderr.contains("someone/fork"), "{stderr}");
    assert!(stdout.contains("title=GP603"), "{stdout}");
    assert_eq!(writes(&server).len(), writes_before);
    assert_eq!(output.status.code(), Some(1));
    // With --no-annotations (another step annotates): nothing printed.
    let output = cli::run_with(dir.path(), &["review", "--no-annotations"], &envs);
    assert!(
        !cli::text(&output.stdout).contains("::"),
        "{}",
        cli::text(&output.stdout)
    );
    server.state().head_repo = Some("owner/repo".into());

    // A wrong token: exit 2, a clear message, the token nowhere.
    let wrong = "ghp_notTheRightOne123";
    let envs = [
        ("GITHUB_TOKEN", wrong),
        ("GITHUB_REPOSITORY", "owner/repo"),
        ("GITHUB_API_URL", server.url.as_str()),
        ("GITHUB_EVENT_PATH", event.to_str().unwrap()),
    ];
    let output = cli::run_with(dir.path(), &["review"], &envs);
    let stderr = cli::text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("401 Bad credentials"), "{stderr}");
    assert!(!stderr.contains(wrong) && !cli::text(&output.stdout).contains(wrong));

    // No token at all.
    let output = cli::run_with(
        dir.path(),
        &["review", "--repo", "owner/repo", "--pr", "7"],
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(cli::text(&output.stderr).contains("set GITHUB_TOKEN"));
}
