//! Turning results into diagnostics on the citing characters.

use super::cache::CacheProblem;
use super::extract::{Citation, CitationKind};
use super::normalize::{UrlProblem, fragment};
use super::outcome::{LinkResult, LinkStatus};
use crate::codes;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Span};
use crate::net::redact::REDACTED;

/// The finding for one citation of an address with `result`, if any.
pub fn for_result(citation: &Citation, result: &LinkResult) -> Option<Diagnostic> {
    let text = &citation.text;
    let diagnostic = match result.status {
        LinkStatus::Broken => Diagnostic::error(codes::LINK_BROKEN, format!("The link `{text}` is broken: {}.", result.reason), citation.span)
            .with_span_label("broken link")
            .with_help(broken_help(result)),
        LinkStatus::Inconclusive => Diagnostic::warning(
            codes::LINK_INCONCLUSIVE,
            format!("The link `{text}` could not be verified: {}.", result.reason),
            citation.span,
        )
        .with_span_label("not verified")
        .with_help(inconclusive_help(result)),
        LinkStatus::Refused => Diagnostic::error(
            codes::LINK_REFUSED,
            format!("The link `{text}` was not checked because the safety policy refuses it: {}.", result.reason),
            citation.span,
        )
        .with_span_label("refused")
        .with_help(
            "cite a public address; to check a host on your own network, add it to `allow_net` under `[links]` or pass `--allow-net HOST`",
        ),
        LinkStatus::Ok => {
            if let Some(why) = &result.soft_404 {
                Diagnostic::warning(codes::LINK_SOFT_404, format!("The link `{text}` is likely a soft 404: {why}."), citation.span)
                    .with_span_label("probably gone")
                    .with_help("the page was probably removed or moved; find its new address, or cite another source")
            } else {
                let target = result.permanent_target()?;
                return Some(permanent_redirect(citation, target));
            }
        }
    };
    Some(diagnostic.with_pointer(citation.pointer.clone()))
}

fn permanent_redirect(citation: &Citation, target: &str) -> Diagnostic {
    let text = &citation.text;
    // Keep the writer's fragment: the server never saw it.
    let replacement = match fragment(text) {
        Some(f) if !target.contains('#') => format!("{target}#{f}"),
        _ => target.to_owned(),
    };
    let mut diagnostic = Diagnostic::warning(
        codes::LINK_PERMANENT_REDIRECT,
        format!("The link `{text}` permanently redirects to `{replacement}`."),
        citation.span,
    )
    .with_pointer(citation.pointer.clone())
    .with_span_label("moved permanently")
    .with_help("cite the new address; the safe fix rewrites it");
    // A target with a redacted secret is not an address to write into a guide.
    if citation.exact && !replacement.contains(REDACTED) {
        diagnostic = diagnostic.with_fix(Fix {
            message: format!("Replace with `{replacement}`"),
            applicability: Applicability::Safe,
            edits: vec![Edit {
                span: citation.span,
                replacement,
            }],
        });
    }
    diagnostic
}

fn broken_help(result: &LinkResult) -> &'static str {
    if result.reason.contains("does not resolve") {
        "check the domain for a typo; if the site is gone, cite another source"
    } else if result.reason.contains("refuses connections") {
        "the site may be down for good; check it in a browser, then update or remove the citation"
    } else if result.reason.contains("loop") {
        "the site sends clients round in circles; check it in a browser and cite the page it should reach"
    } else {
        "find where the page moved (the publisher's site search, or an archived copy) and update the address, or cite another source"
    }
}

fn inconclusive_help(result: &LinkResult) -> &'static str {
    if result.bot_protection.is_some()
        || result.http_status == Some(999)
        || result.http_status == Some(403)
    {
        "the site turns away automated checks; open the link in a browser to confirm it, and add it to `exclude` under `[links]` if this keeps happening"
    } else if result.http_status == Some(429) {
        "the site limits request rates; lower its `max_concurrency` or raise its `interval` under `[links.hosts]`, or raise `retry_budget`"
    } else if result.reason.contains("no response within") {
        "the server may be slow or down; open the link in a browser, or raise `timeout` under `[links]`"
    } else {
        "open the link in a browser to confirm it; inconclusive results are cached briefly, so the next run asks again"
    }
}

/// The finding for a citation that is not a checkable address.
pub fn for_invalid(citation: &Citation, problem: &UrlProblem) -> Diagnostic {
    let help = match (problem, citation.kind) {
        (UrlProblem::TooLong { .. }, _) => "cite a shorter address for the same page",
        (UrlProblem::UnsupportedScheme { .. }, _) => {
            "link to an http:// or https:// page; other schemes are not checked"
        }
        (_, CitationKind::Field) => "write an absolute address starting with https:// (or http://)",
        (_, CitationKind::Prose) => {
            "fix the address, or write it as a Markdown link with an absolute https:// address"
        }
    };
    let message = match problem {
        // Its start is in the problem; the whole text is too long to quote.
        UrlProblem::TooLong { .. } => format!("The address cannot be checked: {problem}."),
        _ => format!(
            "The address `{}` cannot be checked: {problem}.",
            citation.text
        ),
    };
    Diagnostic::error(codes::LINK_INVALID, message, citation.span)
        .with_pointer(citation.pointer.clone())
        .with_span_label("not a checkable address")
        .with_help(help)
}

/// The finding for a cache problem, placed at the start of the cache file.
pub fn for_cache(problem: &CacheProblem) -> Diagnostic {
    let first = problem.to_string();
    let mut message = first[..1].to_uppercase();
    message.push_str(&first[1..]);
    message.push('.');
    Diagnostic::warning(codes::LINK_CACHE, message, Span::at(0)).with_help(
        "delete the file to start a fresh cache, or point `cache_path` under `[links]` elsewhere; `--no-cache` skips it",
    )
}
