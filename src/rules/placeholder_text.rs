//! `GP316`: no text of the guide is still a placeholder. See [`PlaceholderText`].

use serde_json::Value;

use super::{Guide, Rule, Step, finding, pointer_of, walk};
use crate::codes;
use crate::diagnostic::{Diagnostic, Severity, Span};

#[doc = include_str!("docs/GP316.md")]
pub struct PlaceholderText;

/// What a placeholder starts with: `TODO:` (`guidepress new` writes them).
pub const MARKER: &str = "TODO:";

/// True when `text` is a placeholder: its first word is `TODO:` (or it is `TODO`).
pub fn is_placeholder(text: &str) -> bool {
    let text = text.trim_start();
    text.starts_with(MARKER) || text.trim_end() == "TODO"
}

/// Statuses at which a placeholder is an error: the guide is meant for readers.
const FINAL_STATUSES: &[&str] = &["in-review", "approved"];

impl Rule for PlaceholderText {
    fn code(&self) -> &'static str {
        codes::PLACEHOLDER_TEXT
    }

    fn doc(&self) -> &'static str {
        include_str!("docs/GP316.md")
    }

    fn keeps_errors(&self) -> bool {
        true
    }

    fn check_guide(&self, guide: &Guide<'_>, out: &mut Vec<Diagnostic>) {
        // Most guides hold no placeholder: nothing more to look at.
        if !guide.file.source.text.contains("TODO") {
            return;
        }
        let status = guide.str("/status");
        let severity = match status {
            Some(s) if FINAL_STATUSES.contains(&s) => Severity::Error,
            _ => Severity::Warning,
        };
        let help = match status {
            Some(s) if severity == Severity::Error => format!(
                "write this text before the guide goes further; its status is `{s}`, so a placeholder fails the check"
            ),
            _ => "write this text; while the guide is a draft this is a warning, and an error once its status is `in-review` or `approved`".to_owned(),
        };
        let mut paths: Vec<(String, String)> = Vec::new();
        for (key, value) in guide.root {
            walk(
                value,
                &mut vec![Step::Key(key.as_str())],
                &|_, _| false,
                &mut |path: &[Step<'_>], value| {
                    if let Value::String(text) = value {
                        if is_placeholder(text) {
                            paths.push((pointer_of(path), text.clone()));
                        }
                    }
                },
            );
        }
        for (pointer, text) in paths {
            let mut diagnostic = finding(
                guide,
                codes::PLACEHOLDER_TEXT,
                &pointer,
                format!(
                    "`{}` is still a placeholder: \"{}\".",
                    field(&pointer),
                    shorten(text.trim())
                ),
            )
            .with_span_label("placeholder")
            .with_help(help.clone());
            diagnostic.severity = severity;
            out.push(diagnostic);
        }
        // A number cannot hold `TODO:`; `guidepress new` marks the ones it
        // could not know with a `# TODO:` comment on their line.
        let text = &guide.file.source.text;
        let mut at = 0;
        for line in text.split_inclusive('\n') {
            if let Some(column) = todo_comment(line) {
                let start = at + column;
                let end = at + line.trim_end_matches(['\n', '\r']).len();
                let comment = line[column..].trim_end();
                let mut diagnostic = Diagnostic::new(
                    codes::PLACEHOLDER_TEXT,
                    severity,
                    format!(
                        "This line is marked as a placeholder: \"{}\".",
                        shorten(comment.trim_start_matches('#').trim())
                    ),
                    Span { start, end },
                )
                .with_span_label("placeholder")
                .with_help(format!("{help}; then remove the `# TODO:` comment"));
                diagnostic.pointer = None;
                out.push(diagnostic);
            }
            at += line.len();
        }
    }
}

/// The byte column of a `# TODO:` comment on `line` (outside quotes), if any.
fn todo_comment(line: &str) -> Option<usize> {
    let (mut single, mut double) = (false, false);
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\'' if !double => single = !single,
            b'"' if !single => double = !double,
            b'#' if !single && !double && (i == 0 || matches!(bytes[i - 1], b' ' | b'\t')) => {
                let comment = line[i + 1..].trim_start();
                return comment.starts_with(MARKER).then_some(i);
            }
            _ => {}
        }
    }
    None
}

/// The field a pointer names, dotted: `/sections/0/body` → `sections[0].body`.
fn field(pointer: &str) -> String {
    let mut out = String::new();
    for token in pointer.split('/').skip(1) {
        if token.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{token}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&token.replace("~1", "/").replace("~0", "~"));
        }
    }
    out
}

/// At most 80 characters of `text`, on one line.
fn shorten(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(80) {
        Some((at, _)) => format!("{}…", &one_line[..at]),
        None => one_line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_and_comments() {
        assert!(is_placeholder("TODO: write the summary"));
        assert!(is_placeholder("  TODO"));
        assert!(!is_placeholder("Todo lists help"));
        assert!(!is_placeholder("Keep a TODO: list"));
        assert_eq!(todo_comment("  pct: 0  # TODO: from BLS\n"), Some(10));
        assert_eq!(todo_comment("# TODO: whole line\n"), Some(0));
        assert_eq!(todo_comment("  a: \"x # TODO: in quotes\"\n"), None);
        assert_eq!(todo_comment("  a: b#TODO: not a comment\n"), None);
        assert_eq!(todo_comment("  # a comment\n"), None);
        assert_eq!(field("/sections/0/body"), "sections[0].body");
    }
}
