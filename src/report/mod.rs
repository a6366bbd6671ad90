//! Output formats. One file per format behind [`OutputFormat`]; each takes the
//! whole [`CheckReport`] and writes to any `io::Write`.

mod concise;
pub mod escape;
mod full;
mod github;
mod json;
mod json_lines;
mod junit;
mod markdown;
mod rdjson;
mod sarif;

use std::io::{self, Write};

use crate::changes::ChangedLines;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::LoadedFile;
use crate::results::CheckReport;
use crate::source::Position;

pub use full::summary;
pub use github::{ANNOTATIONS_PER_TYPE, escape_data, escape_property};
pub use markdown::MAX_SUMMARY_BYTES;

/// The formats `--output-format` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Source snippets with labels and help, for people at a terminal.
    Full,
    /// `path:line:col: CODE message`, one line per finding, for editors and grep.
    Concise,
    /// A JSON array of findings, for programs.
    Json,
    /// One JSON object per line per finding, for streaming tools.
    JsonLines,
    /// GitHub Actions workflow commands: annotations on the lines of a pull request.
    Github,
    /// SARIF 2.1.0, for code scanning (GitHub's Security tab) and other SARIF viewers.
    Sarif,
    /// reviewdog's diagnostic format (rdjson), with suggested changes from safe fixes.
    Rdjson,
    /// JUnit XML: one test case per file, a failure per finding.
    Junit,
    /// A Markdown summary (headline and a table per file), e.g. for a job summary.
    Markdown,
}

impl OutputFormat {
    /// The name `--output-format` takes.
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Full => "full",
            OutputFormat::Concise => "concise",
            OutputFormat::Json => "json",
            OutputFormat::JsonLines => "json-lines",
            OutputFormat::Github => "github",
            OutputFormat::Sarif => "sarif",
            OutputFormat::Rdjson => "rdjson",
            OutputFormat::Junit => "junit",
            OutputFormat::Markdown => "markdown",
        }
    }
}

/// Where the findings live, for links and repository-relative paths. Everything
/// is optional: without it, formats use the paths as shown and relative links.
#[derive(Debug, Clone, Default)]
pub struct ReportContext {
    /// Links to files on the forge (GitHub), when known.
    pub repository: Option<RepositoryLinks>,
    /// The working directory relative to the repository root (`""` or `site/`),
    /// put in front of shown paths to make repository-relative ones.
    pub path_prefix: String,
    /// Lines a change touched, to show findings on them first.
    pub changed: Option<ChangedLines>,
    /// Findings left out by `--only-changed-lines` (mentioned in summaries).
    pub hidden: usize,
    /// Where the documentation of a code is: a URL template (`[output]
    /// docs_url`, see [`DEFAULT_DOCS_URL`]); `None` for the default, `""` for
    /// no links.
    pub docs_url: Option<String>,
}

/// The documentation site: built from `docs/` by `scripts/docs.sh` and
/// published on GitHub Pages by `.github/workflows/docs.yml`, a folder per
/// release (`/0.1.0/`) and `/latest/`. A test holds it to the repository
/// named in `Cargo.toml`.
pub const SITE_URL: &str = "https://guidepress.github.io/guidepress";

/// The default documentation link of a code: its page on the documentation
/// site for this version (`{site}/0.1.0/rules/GP301/`), generated from the
/// code's own documentation, so a link keeps pointing at the text of the
/// version that reported the finding. Placeholders: `{code}` (`GP301`),
/// `{code_lower}` (`gp301`), `{version}` (`0.1.0`), `{site}` (the
/// documentation site, [`SITE_URL`]), `{repository}` (guidepress's
/// repository URL) and `{path}` (the file of the code's documentation in
/// that repository: `src/rules/docs/GP301.md`, `src/codes/docs/GP203.md`,
/// or the code table `src/codes.rs` for codes documented by their summary).
pub const DEFAULT_DOCS_URL: &str = "{site}/{version}/rules/{code}/";

/// A repository on GitHub (or GitHub Enterprise) at one commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepositoryLinks {
    /// `https://github.com`.
    pub server: String,
    /// `owner/name`.
    pub repository: String,
    /// The commit the files were checked at.
    pub sha: String,
}

impl RepositoryLinks {
    /// From `GITHUB_SERVER_URL`, `GITHUB_REPOSITORY` and `GITHUB_SHA`, when all are set.
    pub fn from_env() -> Option<Self> {
        let var = |name| std::env::var(name).ok().filter(|v| !v.is_empty());
        Some(RepositoryLinks {
            server: var("GITHUB_SERVER_URL")?.trim_end_matches('/').to_owned(),
            repository: var("GITHUB_REPOSITORY")?,
            sha: var("GITHUB_SHA")?,
        })
    }
}

impl ReportContext {
    /// The repository-relative path of a shown path.
    pub fn repo_path(&self, shown: &str) -> String {
        if shown.starts_with('/') {
            return shown.to_owned();
        }
        format!("{}{shown}", self.path_prefix)
    }

    /// A link to lines `start..=end` of a shown path: on the forge when known,
    /// else relative (`path#L3-L5`).
    pub fn line_link(&self, shown: &str, start: usize, end: usize) -> String {
        let anchor = if end > start {
            format!("#L{start}-L{end}")
        } else {
            format!("#L{start}")
        };
        match &self.repository {
            Some(repo) => format!(
                "{}/{}/blob/{}/{}{anchor}",
                repo.server,
                repo.repository,
                repo.sha,
                self.repo_path(shown)
            ),
            None => format!("{shown}{anchor}"),
        }
    }

    /// A link to a shown path: on the forge when known, else the path itself.
    pub fn file_link(&self, shown: &str) -> String {
        match &self.repository {
            Some(repo) => format!(
                "{}/{}/blob/{}/{}",
                repo.server,
                repo.repository,
                repo.sha,
                self.repo_path(shown)
            ),
            None => shown.to_owned(),
        }
    }

    /// Where `code` is documented (see [`DEFAULT_DOCS_URL`]); `None` when
    /// links are turned off.
    pub fn docs_url(&self, code: &str) -> Option<String> {
        let template = self.docs_url.as_deref().unwrap_or(DEFAULT_DOCS_URL);
        if template.trim().is_empty() {
            return None;
        }
        let path = crate::codes::doc_path(code).unwrap_or_else(|| "src/codes.rs".to_owned());
        Some(
            template
                .replace("{site}", SITE_URL)
                .replace("{repository}", env!("CARGO_PKG_REPOSITORY"))
                .replace("{version}", env!("CARGO_PKG_VERSION"))
                .replace("{path}", &path)
                .replace("{code_lower}", &code.to_ascii_lowercase())
                .replace("{code}", &code.to_ascii_uppercase()),
        )
    }

    /// True when the finding's lines were touched by the change.
    pub fn on_changed_lines(&self, item: &Located<'_>) -> bool {
        self.changed.as_ref().is_some_and(|changed| {
            changed.touches(
                &self.repo_path(&item.file.source.display_path()),
                item.start.line,
                item.end.line,
            )
        })
    }
}

/// Presentation settings shared by the formats.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReportOptions {
    /// Use colour (only on a terminal, never with `NO_COLOR`).
    pub color: bool,
    /// Leave out the closing summary line.
    pub quiet: bool,
    /// Terminal width for wrapping.
    pub width: Option<usize>,
}

/// Writes `report` in `format`, without repository context.
pub fn write_report(
    format: OutputFormat,
    report: &CheckReport,
    options: &ReportOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    write_report_with(format, report, options, &ReportContext::default(), out)
}

/// Writes `report` in `format`, using `context` for links, repository paths and priorities.
pub fn write_report_with(
    format: OutputFormat,
    report: &CheckReport,
    options: &ReportOptions,
    context: &ReportContext,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        OutputFormat::Full => full::write(report, options, out),
        OutputFormat::Concise => concise::write(report, options, out),
        OutputFormat::Json => json::write(report, out),
        OutputFormat::JsonLines => json_lines::write(report, out),
        OutputFormat::Github => github::write(report, options, context, out),
        OutputFormat::Sarif => sarif::write(report, context, out),
        OutputFormat::Rdjson => rdjson::write(report, context, out),
        OutputFormat::Junit => junit::write(report, out),
        OutputFormat::Markdown => markdown::write(report, context, out),
    }
}

/// A finding with its file and resolved positions, as most formats need it.
pub struct Located<'a> {
    /// The file.
    pub file: &'a LoadedFile,
    /// The finding.
    pub diagnostic: &'a Diagnostic,
    /// Start of the primary span.
    pub start: Position,
    /// End of the primary span.
    pub end: Position,
}

/// Every finding of `report` in output order, with positions.
pub fn located(report: &CheckReport) -> impl Iterator<Item = Located<'_>> {
    report.files.iter().flat_map(|file| {
        file.diagnostics.iter().map(move |diagnostic| Located {
            file,
            diagnostic,
            start: file.source.position(diagnostic.span.start),
            end: file.source.position(diagnostic.span.end),
        })
    })
}

/// The name of a code from the code table, when it is there.
pub fn code_name(code: &str) -> Option<&'static str> {
    crate::codes::lookup(code).map(|info| info.name)
}

/// The message and help of a finding as one text (help on its own line).
pub fn message_with_help(diagnostic: &Diagnostic) -> String {
    match &diagnostic.help {
        Some(help) => format!("{}\nhelp: {help}", diagnostic.message),
        None => diagnostic.message.clone(),
    }
}

/// Severity rank for ordering, most serious first.
fn severity_rank(severity: Severity) -> u8 {
    match severity {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

/// A stable 64-bit FNV-1a hash (fingerprints and sharding must not change between runs or builds).
pub fn stable_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

pub use crate::text::plural;
