//! Findings as the editor shows them: ranges in the negotiated encoding, the
//! code linked to its documentation, labels as related information.

use std::path::Path;

use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag, Location,
    NumberOrString, Position, Range, Uri,
};

use super::position::{self, Encoding};
use super::session::path_uri;
use crate::codes;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::LoadedFile;
use crate::report::ReportContext;

/// The `source` every diagnostic carries.
pub const SOURCE: &str = "guidepress";

fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// One finding of `file` (open at `uri`) for the editor.
pub fn to_lsp(
    file: &LoadedFile,
    diagnostic: &Diagnostic,
    uri: &Uri,
    root: &Path,
    encoding: Encoding,
    report: &ReportContext,
) -> lsp_types::Diagnostic {
    let source = &file.source;
    let mut message = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let mut related = Vec::new();
    for label in &diagnostic.labels {
        related.push(DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), position::range(source, label.span, encoding)),
            message: label.message.clone(),
        });
    }
    for external in &diagnostic.external {
        if let Some(target) = path_uri(&root.join(&external.path)) {
            let line = u32::try_from(external.line.saturating_sub(1)).unwrap_or(u32::MAX);
            related.push(DiagnosticRelatedInformation {
                location: Location::new(
                    target,
                    Range::new(Position::new(line, 0), Position::new(line, 0)),
                ),
                message: external.message.clone(),
            });
        }
    }
    let code_description = report
        .docs_url(diagnostic.code)
        .and_then(|url| url.parse::<Uri>().ok())
        .map(|href| CodeDescription { href });
    let tags =
        (diagnostic.code == codes::UNUSED_SUPPRESSION).then(|| vec![DiagnosticTag::UNNECESSARY]);
    lsp_types::Diagnostic {
        range: position::range(source, diagnostic.span, encoding),
        severity: Some(severity(diagnostic.severity)),
        code: Some(NumberOrString::String(diagnostic.code.to_owned())),
        code_description,
        source: Some(SOURCE.to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags,
        data: None,
    }
}

/// Every finding of `file`.
pub fn all(
    file: &LoadedFile,
    uri: &Uri,
    root: &Path,
    encoding: Encoding,
    report: &ReportContext,
) -> Vec<lsp_types::Diagnostic> {
    file.diagnostics
        .iter()
        .map(|d| to_lsp(file, d, uri, root, encoding, report))
        .collect()
}
