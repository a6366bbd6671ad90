//! Code actions: every finding's fix as a quick fix (unsafe ones labelled),
//! "suppress this code on this line", and fix-all as `source.fixAll.guidepress`.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, Command, Position, Range,
    TextEdit, Uri, WorkspaceEdit,
};

use super::diagnostics;
use super::position;
use super::session::Session;
use crate::codes;
use crate::diagnostic::{Applicability, Diagnostic};
use crate::source::SourceFile;

/// The kind of the fix-all action.
pub fn fix_all_kind() -> CodeActionKind {
    CodeActionKind::new("source.fixAll.guidepress")
}

/// The command that puts the cursor where the reason of a new suppression goes.
pub const PLACE_CURSOR: &str = "guidepress.placeCursor";

/// The command that adds a word to the repository's words file (arguments:
/// the document's URI and the word), then checks the open documents again.
pub const ADD_WORD: &str = "guidepress.addWord";

fn overlaps(a: Range, b: Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

fn wants(only: Option<&Vec<CodeActionKind>>, kind: &CodeActionKind) -> bool {
    only.is_none_or(|only| {
        only.iter().any(|o| {
            kind.as_str() == o.as_str() || kind.as_str().starts_with(&format!("{}.", o.as_str()))
        })
    })
}

fn edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}

/// Whether a suppression comment may name `code` (rule codes only; not the
/// suppression codes themselves).
fn suppressible(code: &str) -> bool {
    codes::RULE_CODES.iter().any(|info| info.code == code)
        && code != codes::UNUSED_SUPPRESSION
        && code != codes::INVALID_SUPPRESSION
}

/// The insertion of `# guidepress: ignore[CODE] ` on its own line above the
/// finding's line, at that line's indentation, and where the reason goes.
fn suppression(
    source: &SourceFile,
    diagnostic: &Diagnostic,
    encoding: position::Encoding,
) -> (TextEdit, Position) {
    let line = source.line_index(source.clamp(diagnostic.span.start));
    let text = source.line_text(line);
    let indent = &text[..text.len() - text.trim_start_matches([' ', '-']).len()];
    // Above a list item's first line, the comment stands at the dash.
    let indent: String = indent.chars().take_while(|c| *c == ' ').collect();
    let break_ = if source.text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let comment = format!("# guidepress: ignore[{}] ", diagnostic.code);
    let start = position::position(source, source.line_start(line), encoding);
    let reason = Position::new(
        start.line,
        u32::try_from(indent.len() + comment.len()).unwrap_or(u32::MAX),
    );
    (
        TextEdit::new(
            Range::new(start, start),
            format!("{indent}{comment}{break_}"),
        ),
        reason,
    )
}

/// The code actions for `params`.
pub fn code_actions(session: &Session, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
    let uri = &params.text_document.uri;
    let Some(checked) = session.checked.get(uri) else {
        return Vec::new();
    };
    let file = &checked.file;
    let encoding = session.encoding;
    let only = params.context.only.as_ref();
    let mut out = Vec::new();
    for diagnostic in &file.diagnostics {
        let shown = diagnostics::to_lsp(
            file,
            diagnostic,
            uri,
            &session.root,
            encoding,
            &session.report_context,
        );
        if !overlaps(shown.range, params.range) {
            continue;
        }
        if let Some(fix) = &diagnostic.fix {
            if wants(only, &CodeActionKind::QUICKFIX) && !fix.edits.is_empty() {
                let unsafe_fix = fix.applicability == Applicability::Unsafe;
                let title = if unsafe_fix {
                    format!("{} (unsafe fix: check the result)", fix.message)
                } else {
                    fix.message.clone()
                };
                let edits = fix
                    .edits
                    .iter()
                    .map(|e| {
                        TextEdit::new(
                            position::range(&file.source, e.span, encoding),
                            e.replacement.clone(),
                        )
                    })
                    .collect();
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![shown.clone()]),
                    edit: Some(edit(uri, edits)),
                    is_preferred: Some(!unsafe_fix),
                    ..CodeAction::default()
                }));
            }
        }
        if diagnostic.code == codes::SPELLING && wants(only, &CodeActionKind::QUICKFIX) {
            spelling_actions(session, file, diagnostic, &shown, uri, &mut out);
        }
        if suppressible(diagnostic.code) && wants(only, &CodeActionKind::QUICKFIX) {
            let (insert, reason) = suppression(&file.source, diagnostic, encoding);
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("Suppress {} on this line", diagnostic.code),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![shown]),
                edit: Some(edit(uri, vec![insert])),
                command: Some(Command::new(
                    "Type the reason".into(),
                    PLACE_CURSOR.into(),
                    Some(vec![
                        serde_json::json!(uri.as_str()),
                        serde_json::to_value(reason).unwrap_or_default(),
                    ]),
                )),
                ..CodeAction::default()
            }));
        }
    }
    let fix_all = fix_all_kind();
    if only.is_some_and(|_| wants(only, &fix_all))
        || (only.is_none() && file.diagnostics.iter().any(|d| d.fix.is_some()))
    {
        if let Some((fixed, count)) = session.fix_all(uri) {
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("Fix all safely fixable guidepress findings ({count})"),
                kind: Some(fix_all),
                edit: Some(edit(
                    uri,
                    vec![whole_change(&file.source, &fixed, encoding)],
                )),
                ..CodeAction::default()
            }));
        }
    }
    out
}

/// A misspelled word's suggestions as unsafe quick fixes (computed here: the
/// server's checks leave them out, see `RuleContext::suggestions`), and "Add
/// 'word' to words" ([`ADD_WORD`]).
fn spelling_actions(
    session: &Session,
    file: &crate::document::LoadedFile,
    diagnostic: &Diagnostic,
    shown: &lsp_types::Diagnostic,
    uri: &Uri,
    out: &mut Vec<CodeActionOrCommand>,
) {
    let Some(prose) = session.settings.context.prose.as_deref() else {
        return;
    };
    let Some(word) = file
        .source
        .text
        .get(diagnostic.span.start..diagnostic.span.end)
    else {
        return;
    };
    if let (Some(speller), Some(pointer)) = (&prose.speller, diagnostic.pointer.as_deref()) {
        let scalar = file.value_span(pointer);
        let first = diagnostic.fix.as_ref().and_then(|f| f.edits.first());
        for suggestion in speller.suggest(word).iter() {
            let Some(edit) =
                crate::prose::word_edit(&file.source.text, scalar, diagnostic.span, suggestion)
            else {
                continue;
            };
            if first.is_some_and(|f| f.replacement == edit.replacement) {
                continue;
            }
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!(
                    "Replace \"{word}\" with \"{suggestion}\" (unsafe fix: check the result)"
                ),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![shown.clone()]),
                edit: Some(edit_of(uri, &file.source, &edit, session.encoding)),
                is_preferred: Some(false),
                ..CodeAction::default()
            }));
        }
    }
    out.push(CodeActionOrCommand::CodeAction(CodeAction {
        title: format!("Add '{word}' to words ({})", prose.words_shown),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![shown.clone()]),
        command: Some(Command::new(
            format!("Add '{word}' to words"),
            ADD_WORD.into(),
            Some(vec![
                serde_json::json!(uri.as_str()),
                serde_json::json!(word),
            ]),
        )),
        ..CodeAction::default()
    }));
}

fn edit_of(
    uri: &Uri,
    source: &SourceFile,
    edit_: &crate::diagnostic::Edit,
    encoding: position::Encoding,
) -> WorkspaceEdit {
    edit(
        uri,
        vec![TextEdit::new(
            position::range(source, edit_.span, encoding),
            edit_.replacement.clone(),
        )],
    )
}

/// One edit turning `source`'s text into `fixed`: the differing middle only,
/// so the cursor and folds outside it stay where they are.
pub fn whole_change(source: &SourceFile, fixed: &str, encoding: position::Encoding) -> TextEdit {
    let old = source.text.as_bytes();
    let new = fixed.as_bytes();
    let mut prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    while !source.text.is_char_boundary(prefix) || !fixed.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = old.len().min(new.len()) - prefix;
    let mut suffix = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    while !source.text.is_char_boundary(old.len() - suffix)
        || !fixed.is_char_boundary(new.len() - suffix)
    {
        suffix -= 1;
    }
    let span = crate::diagnostic::Span::new(prefix, old.len() - suffix);
    TextEdit::new(
        position::range(source, span, encoding),
        fixed[prefix..new.len() - suffix].to_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_whole_change_is_the_differing_middle() {
        let source = SourceFile::new("g.yaml", "a: 1\nb: é2\nc: 3\n".into());
        let edit = whole_change(&source, "a: 1\nb: é5\nc: 3\n", position::Encoding::Utf16);
        assert_eq!(edit.new_text, "5");
        assert_eq!(edit.range.start, Position::new(1, 4));
        assert_eq!(edit.range.end, Position::new(1, 5));
    }
}
