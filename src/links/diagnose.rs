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

/// Where an address stands in its text, which decides what must be encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressContext {
    /// The whole value of a URL field.
    Field,
    /// A Markdown link target: `[text](…)`.
    MarkdownLink,
    /// A Markdown autolink: `<…>`.
    Autolink,
    /// A bare address in prose.
    Bare,
}

impl AddressContext {
    /// The context of the address at `span` of `text` (the file's source).
    pub fn of(text: &str, span: Span, kind: CitationKind) -> Self {
        let before = &text[..span.start.min(text.len())];
        match kind {
            CitationKind::Field => AddressContext::Field,
            CitationKind::Prose if before.ends_with("](") => AddressContext::MarkdownLink,
            CitationKind::Prose if before.ends_with('<') => AddressContext::Autolink,
            CitationKind::Prose => AddressContext::Bare,
        }
    }
}

/// `address` with what its context cannot hold percent-encoded: always spaces,
/// controls, non-ASCII and the characters URLs never hold unencoded (`"<>\^`{|}`);
/// in a Markdown link also `(` and `)`; in bare prose the trailing punctuation
/// a reader (and the link finder) would take as the sentence's.
pub fn encode_address(address: &str, context: AddressContext) -> String {
    let mut out = String::with_capacity(address.len());
    let mut buffer = [0u8; 4];
    for c in address.chars() {
        let encode = !c.is_ascii()
            || c.is_ascii_control()
            || matches!(
                c,
                ' ' | '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}'
            )
            || (context == AddressContext::MarkdownLink && matches!(c, '(' | ')'));
        if encode {
            for byte in c.encode_utf8(&mut buffer).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    if context == AddressContext::Bare {
        let kept = out.trim_end_matches(['.', ',', ';', ':', '!', '\'', '*', ')', ']']);
        let tail: String = out[kept.len()..]
            .bytes()
            .map(|b| format!("%{b:02X}"))
            .collect();
        out = format!("{kept}{tail}");
    }
    out
}

/// Makes every permanent-redirect fix in `diagnostics` (findings on `file`)
/// write an address that loads back exactly: percent-encoded for its context,
/// escaped or re-quoted for its scalar's style. A fix that cannot be made so
/// is dropped (the finding stays, without a fix).
pub fn fit_fixes(file: &crate::document::LoadedFile, diagnostics: &mut [Diagnostic]) {
    let text = &file.source.text;
    for diagnostic in diagnostics.iter_mut() {
        if diagnostic.code != codes::LINK_PERMANENT_REDIRECT {
            continue;
        }
        let Some(fix) = diagnostic.fix.take() else {
            continue;
        };
        let (Some(pointer), [edit]) = (diagnostic.pointer.as_deref(), fix.edits.as_slice()) else {
            continue;
        };
        let kind = if crate::links::extract::is_url_field(
            &crate::load::span_index::tokens(pointer)
                .last()
                .unwrap_or_default(),
        ) {
            CitationKind::Field
        } else {
            CitationKind::Prose
        };
        let address = encode_address(&edit.replacement, AddressContext::of(text, edit.span, kind));
        let Some(edit) = crate::fix::scalar::replace_in_string(
            text,
            file.limits(),
            pointer,
            edit.span,
            &address,
        ) else {
            continue;
        };
        diagnostic.fix = Some(Fix {
            message: format!("Replace with `{address}`"),
            applicability: fix.applicability,
            edits: vec![edit],
        });
    }
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
    let help = match problem {
        CacheProblem::OutsideRepository { .. } => {
            "remove the link (the cache is made as a plain file), or set an absolute `cache_path` under `[links]` to choose a place outside on purpose; `--no-cache` skips it"
        }
        CacheProblem::KeyNotPrivate { .. } => {
            "`chmod 600` the key file, or delete it to have a new one made; in CI set GUIDEPRESS_LINKS_CACHE_KEY from a secret"
        }
        _ => {
            "delete the file to start a fresh cache, or point `cache_path` under `[links]` elsewhere; `--no-cache` skips it"
        }
    };
    Diagnostic::warning(codes::LINK_CACHE, message, Span::at(0)).with_help(help)
}
