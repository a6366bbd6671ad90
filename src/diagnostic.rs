//! The one shape every finding takes, whatever produced it (loader, schema, rules, links).

use serde::Serialize;

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; never fails a run.
    Info,
    /// Fails a run only with `--deny-warnings` / `--fail-level warning`.
    Warning,
    /// Fails the run.
    Error,
}

impl Severity {
    /// The lowercase name used in output and configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A byte range `[start, end)` in a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (bytes).
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// An empty span at `offset`.
    pub fn at(offset: usize) -> Self {
        Span {
            start: offset,
            end: offset,
        }
    }

    /// Number of bytes covered.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True when the span covers no byte.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// A secondary place a finding points at ("national median defined here").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    /// Where, in the same file as the finding.
    pub span: Span,
    /// What this place has to do with the finding.
    pub message: String,
}

/// A place in another file that a finding points at: a line of a data file
/// ("BLS's figure, data/oews/2025A01.csv line 3914"). Formats that can show a
/// location in another file (SARIF, JSON) do; the others rely on the help line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExternalLabel {
    /// The file, as shown in reports (relative to the working directory).
    pub path: String,
    /// Its 1-based line.
    pub line: usize,
    /// What this place has to do with the finding.
    pub message: String,
}

/// Whether a fix may be applied without a human looking at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Keeps the meaning the writer intended; applied by `--fix`.
    Safe,
    /// May change meaning; applied only with `--unsafe-fixes`.
    Unsafe,
}

/// Replace the bytes of `span` with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    /// The bytes replaced.
    pub span: Span,
    /// What they become.
    pub replacement: String,
}

/// A set of edits that resolves a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// What the fix does, in one line ("Replace 35 with 34").
    pub message: String,
    /// Safe or unsafe.
    pub applicability: Applicability,
    /// Non-overlapping byte edits in one file.
    pub edits: Vec<Edit>,
}

/// One finding about one file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Stable code, such as `GP201`. See [`crate::codes`].
    pub code: &'static str,
    /// How serious it is.
    pub severity: Severity,
    /// What is wrong; the first sentence stands on its own.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// JSON Pointer of the node concerned, when there is one.
    pub pointer: Option<String>,
    /// The primary place.
    pub span: Span,
    /// Text shown under the primary place in graphical output.
    pub span_label: Option<String>,
    /// Secondary places.
    pub labels: Vec<Label>,
    /// Places in other files (a data row the figure is compared with).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub external: Vec<ExternalLabel>,
    /// An automatic fix, when one is known.
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// A finding with the given code, severity, message and primary span.
    pub fn new(
        code: &'static str,
        severity: Severity,
        message: impl Into<String>,
        span: Span,
    ) -> Self {
        Diagnostic {
            code,
            severity,
            message: message.into(),
            help: None,
            pointer: None,
            span,
            span_label: None,
            labels: Vec::new(),
            external: Vec::new(),
            fix: None,
        }
    }

    /// An error-level finding.
    pub fn error(code: &'static str, message: impl Into<String>, span: Span) -> Self {
        Self::new(code, Severity::Error, message, span)
    }

    /// A warning-level finding.
    pub fn warning(code: &'static str, message: impl Into<String>, span: Span) -> Self {
        Self::new(code, Severity::Warning, message, span)
    }

    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Records the JSON Pointer of the node concerned.
    pub fn with_pointer(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = Some(pointer.into());
        self
    }

    /// Sets the text shown under the primary span.
    pub fn with_span_label(mut self, label: impl Into<String>) -> Self {
        self.span_label = Some(label.into());
        self
    }

    /// Adds a secondary label.
    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Adds a place in another file.
    pub fn with_external_label(
        mut self,
        path: impl Into<String>,
        line: usize,
        message: impl Into<String>,
    ) -> Self {
        self.external.push(ExternalLabel {
            path: path.into(),
            line,
            message: message.into(),
        });
        self
    }

    /// Attaches a fix.
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// Every place in its file the finding points at: its span, its labels'
    /// and its fix's edits' (what a report may show of the file).
    pub fn spans(&self) -> impl Iterator<Item = Span> + '_ {
        std::iter::once(self.span)
            .chain(self.labels.iter().map(|label| label.span))
            .chain(
                self.fix
                    .iter()
                    .flat_map(|fix| fix.edits.iter().map(|edit| edit.span)),
            )
    }
}
