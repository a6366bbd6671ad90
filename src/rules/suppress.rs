//! Suppression comments in the YAML itself:
//!
//! ```yaml
//! # guidepress: ignore-file[GP314] the BLS page is only republished every two years
//! salary_by_state:
//!   # guidepress: ignore[GP301] the page rounds this state differently on purpose
//!   - state: CA
//!     vs_national_pct: 35 # guidepress: ignore[GP301] same, at the end of the line
//! ```
//!
//! `ignore[CODES] reason` applies to the next line that is not blank or a
//! comment (or, at the end of a line, to that line); a finding is on a line
//! when its span starts, ends or has its key there. `ignore-file[CODES]
//! reason` applies to the whole file and belongs in the comments at its top.
//! Codes are rule codes or names, separated by commas. A reason is required:
//! a suppression without one, with an unknown code, or misplaced is reported
//! (`GP391`) and suppresses nothing; one that suppresses nothing is reported
//! too (`GP390`, with a safe fix that deletes it).

use crate::codes;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity, Span};
use crate::document::LoadedFile;

/// The marker every suppression comment starts with (after `#`).
const MARKER: &str = "guidepress:";

/// True when `text` may hold suppression comments ([`apply`] reads it again).
pub fn present(text: &str) -> bool {
    text.contains(MARKER)
}

#[derive(Debug)]
struct Suppression {
    /// The whole comment, from `#` to the end of the line.
    comment: Span,
    /// What a deletion of the whole comment removes.
    removal: Span,
    /// 0-based line it applies to; `None` for the whole file.
    target_line: Option<usize>,
    /// The codes, with their spans.
    codes: Vec<(&'static str, Span)>,
    used: Vec<bool>,
}

/// Parsed suppressions and the problems with them.
struct Parsed {
    suppressions: Vec<Suppression>,
    problems: Vec<Diagnostic>,
}

fn invalid(message: String, span: Span) -> Diagnostic {
    Diagnostic::error(codes::INVALID_SUPPRESSION, message, span)
}

/// Finds the `#` that starts a comment in `line` (at the start or after white space).
fn comment_start(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut in_single = false;
    let mut in_double = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\'' if !in_double => in_single = !in_single,
            b'"' if !in_single && (i == 0 || bytes[i - 1] != b'\\') => in_double = !in_double,
            b'#' if !in_single && !in_double && (i == 0 || bytes[i - 1].is_ascii_whitespace()) => {
                return Some(i);
            }
            _ => {}
        }
    }
    None
}

fn parse(text: &str) -> Parsed {
    let mut parsed = Parsed {
        suppressions: Vec::new(),
        problems: Vec::new(),
    };
    let mut pending: Vec<usize> = Vec::new();
    let mut in_header = true;
    let mut offset = 0;
    for (index, raw_line) in text.split_inclusive('\n').enumerate() {
        let line_start = offset;
        offset += raw_line.len();
        let line = raw_line.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start();
        let is_comment_line = trimmed.starts_with('#');
        let is_blank = trimmed.is_empty();
        if !is_comment_line && !is_blank {
            // Content: standalone suppressions above apply here.
            for i in pending.drain(..) {
                parsed.suppressions[i].target_line = Some(index);
            }
            if trimmed != "---" {
                in_header = false;
            }
        }
        if !line.contains(MARKER) {
            continue;
        }
        let Some(hash) = comment_start(line) else {
            continue;
        };
        let after_hash = &line[hash + 1..];
        let body = after_hash.trim_start();
        let Some(rest) = body.strip_prefix(MARKER) else {
            continue;
        };
        let comment = Span::new(line_start + hash, line_start + line.len());
        let rest_offset = line_start + hash + 1 + (after_hash.len() - body.len()) + MARKER.len();
        let rest_trimmed = rest.trim_start();
        let directive_offset = rest_offset + (rest.len() - rest_trimmed.len());
        let (file_level, after_kind) = if let Some(r) = rest_trimmed.strip_prefix("ignore-file") {
            (true, r)
        } else if let Some(r) = rest_trimmed.strip_prefix("ignore") {
            (false, r)
        } else {
            parsed.problems.push(invalid(
                "This `guidepress:` comment is not a suppression; write `# guidepress: ignore[CODE] reason`.".into(),
                comment,
            ));
            continue;
        };
        let list_offset = directive_offset + (rest_trimmed.len() - after_kind.len());
        let Some(list) = after_kind.strip_prefix('[') else {
            parsed.problems.push(invalid(
                "A suppression names no code; write `ignore[CODE] reason`.".into(),
                comment,
            ));
            continue;
        };
        let Some(close) = list.find(']') else {
            parsed.problems.push(invalid(
                "A suppression's code list is not closed with `]`.".into(),
                comment,
            ));
            continue;
        };
        let reason = list[close + 1..].trim();
        let mut found_codes = Vec::new();
        let mut ok = true;
        let mut position = list_offset + 1;
        for part in list[..close].split(',') {
            let name = part.trim();
            let start = position + (part.len() - part.trim_start().len());
            let span = Span::new(start, start + name.len());
            position += part.len() + 1;
            match codes::lookup(name)
                .filter(|info| super::RULES.iter().any(|r| r.code() == info.code))
            {
                Some(info) => found_codes.push((info.code, span)),
                None => {
                    ok = false;
                    parsed.problems.push(invalid(
                        format!("`{name}` is not a rule code; only fact rules (`GP301`…) can be suppressed."),
                        span,
                    ).with_help("`guidepress rules` lists every rule code"));
                }
            }
        }
        if found_codes.is_empty() && ok {
            ok = false;
            parsed.problems.push(invalid(
                "A suppression names no code; write `ignore[CODE] reason`.".into(),
                comment,
            ));
        }
        if reason.is_empty() {
            ok = false;
            parsed.problems.push(
                invalid(
                    "A suppression has no reason, so it suppresses nothing.".into(),
                    comment,
                )
                .with_help("say why after the codes: `# guidepress: ignore[GP301] the page rounds this on purpose`"),
            );
        }
        let standalone = is_comment_line;
        if file_level && !(standalone && in_header) {
            ok = false;
            parsed.problems.push(
                invalid(
                    "An `ignore-file` suppression must be in the comments at the top of the file."
                        .into(),
                    comment,
                )
                .with_help("move it above the first key"),
            );
        }
        if !ok {
            continue;
        }
        let removal = if standalone {
            Span::new(line_start, line_start + raw_line.len())
        } else {
            let before = line[..hash].trim_end().len();
            Span::new(line_start + before, line_start + line.len())
        };
        let used = vec![false; found_codes.len()];
        parsed.suppressions.push(Suppression {
            comment,
            removal,
            // A standalone `ignore` applies to the next content line (set when it comes);
            // with none after it, it applies to nothing.
            target_line: if file_level {
                None
            } else if standalone {
                Some(usize::MAX)
            } else {
                Some(index)
            },
            codes: found_codes,
            used,
        });
        if standalone && !file_level {
            pending.push(parsed.suppressions.len() - 1);
        }
    }
    parsed
}

/// Removes the findings suppressed by comments in `file` and adds findings about
/// the comments themselves. `level` gives the configured severity of a code
/// (`None`: off) for this file.
pub fn apply(
    file: &LoadedFile,
    found: &mut Vec<Diagnostic>,
    level: impl Fn(&str) -> Option<Severity>,
) {
    let text = &file.source.text;
    if !present(text) {
        return;
    }
    let mut parsed = parse(text);
    if !found.is_empty() && !parsed.suppressions.is_empty() {
        found.retain(|diagnostic| {
            let lines = lines_of(file, diagnostic);
            let mut suppressed = false;
            for suppression in &mut parsed.suppressions {
                let applies = match suppression.target_line {
                    None => true,
                    Some(line) => lines.contains(&line),
                };
                if !applies {
                    continue;
                }
                for (i, (code, _)) in suppression.codes.iter().enumerate() {
                    if *code == diagnostic.code {
                        suppression.used[i] = true;
                        suppressed = true;
                    }
                }
            }
            !suppressed
        });
    }
    for suppression in &parsed.suppressions {
        let all_unused = suppression.used.iter().all(|u| !u);
        for (i, (code, span)) in suppression.codes.iter().enumerate() {
            if suppression.used[i] || level(code).is_none() {
                continue;
            }
            let mut diagnostic = Diagnostic::warning(
                codes::UNUSED_SUPPRESSION,
                format!("This suppression of {code} suppresses nothing."),
                *span,
            )
            .with_label(suppression.comment, "in this comment")
            .with_help("remove it, or move it to the line before the finding");
            if all_unused && suppression.codes.len() == 1 {
                diagnostic = diagnostic.with_fix(Fix {
                    message: "Remove the unused suppression".into(),
                    applicability: Applicability::Safe,
                    edits: vec![Edit {
                        span: suppression.removal,
                        replacement: String::new(),
                    }],
                });
            }
            found.push(diagnostic);
        }
    }
    found.extend(parsed.problems);
    found.retain_mut(|d| {
        if d.code == codes::UNUSED_SUPPRESSION || d.code == codes::INVALID_SUPPRESSION {
            match level(d.code) {
                Some(severity) => {
                    d.severity = severity;
                    true
                }
                None => false,
            }
        } else {
            true
        }
    });
}

/// The 0-based lines a finding is "on": where its span starts and ends, and its key's line.
fn lines_of(file: &LoadedFile, diagnostic: &Diagnostic) -> [usize; 3] {
    let source = &file.source;
    let start = source.line_index(source.clamp(diagnostic.span.start));
    let end = source.line_index(source.clamp(diagnostic.span.end));
    let key = diagnostic.pointer.as_deref().map_or(start, |p| {
        source.line_index(source.clamp(file.key_span(p).start))
    });
    [start, end, key]
}
