//! The one way content goes from file to finding. Every command (`check`,
//! `links`, `publish`, `--fix`) and the tests run it:
//!
//! ```text
//! Input (a path on disk, or a path + text in memory, held to the same size limit)
//!   │ read        document::LoadedFile::read   size, UTF-8        GP100 GP106 GP107
//!   │ parse       document::LoadedFile::parse  YAML + span index  GP1xx
//!   │ validate    validate::check_file         JSON Schema        GP2xx
//!   │ file rules  rules::guide_findings        one guide at once  GP3xx
//!   │ compact     LoadedFile::compact          the lines findings show, the slug
//!   ▼   (in parallel, file by file; `compact` unless `Stages::keep_values`)
//! cross-file rules  rules::finish              slugs, suppressions GP3xx
//!   │ links (optional) links::files::check_report                 GP4xx
//!   ▼
//! results::CheckReport → report::write_report (one file per format)
//! ```
//!
//! A stage imports only stages below it; the command line only parses its
//! arguments, builds the [`Stages`] and calls [`run`].

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::codes;
use crate::diagnostic::{Diagnostic, Span};
use crate::document::LoadedFile;
use crate::file_kind::FileKind;
use crate::fix::{self, FixError, FixedFile};
use crate::links::files::check_report;
use crate::links::{LinksError, LinksReport, Progress, RunOptions};
use crate::load::LoadLimits;
use crate::results::CheckReport;
use crate::rules::{self, RuleSettings};
use crate::source::SourceFile;
use crate::validate::{self, Schema};
use crate::workspace::Target;

/// One file to check: read from disk, or a text already in memory (an
/// editor's unsaved buffer, a test's fixture).
#[derive(Debug, Clone)]
pub struct Input {
    /// Where to read it (unused for a text in memory).
    pub path: PathBuf,
    /// How to show it (relative to the working directory when possible).
    pub display: PathBuf,
    /// What the file is.
    pub kind: FileKind,
    /// The schema that applies, if any.
    pub schema: Option<Arc<Schema>>,
    /// The text, when it is not to be read from `path`.
    pub text: Option<String>,
    /// Why the file is listed but must not be read (a symbolic link leading
    /// outside the repository, or to nothing); reported once, as a finding.
    pub skip: Option<String>,
}

impl Input {
    /// A text in memory, shown as `display`.
    pub fn memory(
        display: impl Into<PathBuf>,
        text: impl Into<String>,
        kind: FileKind,
        schema: Option<Arc<Schema>>,
    ) -> Self {
        let display = display.into();
        Input {
            path: display.clone(),
            display,
            kind,
            schema,
            text: Some(text.into()),
            skip: None,
        }
    }

    /// The same file with `text` in place of what is on disk (an editor's buffer).
    pub fn with_text(mut self, text: impl Into<String>) -> Self {
        self.text = Some(text.into());
        self
    }
}

impl From<Target> for Input {
    fn from(target: Target) -> Self {
        Input {
            path: target.path,
            display: target.display,
            kind: target.kind,
            schema: target.schema,
            text: None,
            skip: target.skip,
        }
    }
}

impl From<&Target> for Input {
    fn from(target: &Target) -> Self {
        Input::from(target.clone())
    }
}

/// Makes the progress display of one link check run.
pub type ProgressFactory<'a> = &'a (dyn Fn() -> Arc<dyn Progress> + Sync);

/// The link stage's settings.
#[derive(Clone, Copy)]
pub struct LinkStage<'a> {
    /// The `[links]` settings with the command line applied.
    pub options: &'a RunOptions,
    /// The working directory (the cache file is shown relative to it).
    pub cwd: &'a Path,
    /// A fresh progress display for each run.
    pub progress: ProgressFactory<'a>,
}

/// Which stages run, and with what.
#[derive(Clone, Copy)]
pub struct Stages<'a> {
    /// Reading limits.
    pub limits: LoadLimits,
    /// Validate against the schemas (`false`: read and parse only).
    pub validate: bool,
    /// The fact rules' settings (`None`: no fact rules).
    pub rules: Option<&'a RuleSettings>,
    /// Check the links the files cite.
    pub links: Option<LinkStage<'a>>,
    /// Keep every file whole: its text, value and span index (fixes,
    /// publishing and editors read them; links keep them anyway). Without
    /// it, once a file's own checks are done it keeps only the source lines
    /// its findings show and the fields cross-file rules read (see
    /// [`LoadedFile::compact`]), so memory does not grow with the files or
    /// their findings; such a report can be shown in any format, not fixed.
    pub keep_values: bool,
}

impl<'a> Stages<'a> {
    /// Read, parse and validate only.
    pub fn validate_only(limits: LoadLimits) -> Self {
        Stages {
            limits,
            validate: true,
            rules: None,
            links: None,
            keep_values: true,
        }
    }
}

/// Why a run could not finish (content problems are findings, not this).
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// The link check could not run (bad settings, no TLS).
    #[error(transparent)]
    Links(#[from] LinksError),
    /// Fixes could not be written.
    #[error(transparent)]
    Fix(#[from] FixError),
}

/// What a run found.
#[derive(Debug, Default)]
pub struct Run {
    /// Every file with its findings, sorted.
    pub report: CheckReport,
    /// The link check's figures, when links were checked.
    pub links: Option<LinksReport>,
}

/// Reads (or takes from memory) and parses one input; validates it too
/// when `validate` is set.
pub fn load(input: &Input, limits: LoadLimits, validate: bool) -> LoadedFile {
    if let Some(reason) = &input.skip {
        let mut file = LoadedFile::new(
            SourceFile::new(&input.display, String::new()),
            input.kind,
            None,
            Some(Default::default()),
            limits,
        );
        file.diagnostics = vec![
            Diagnostic::warning(
                codes::UNREADABLE_FILE,
                format!("The path is {reason}; it was not read."),
                Span::at(0),
            )
            .with_help(
                "link only to files inside the repository, or check the file where it lives",
            ),
        ];
        return file;
    }
    if let Some(too_large) = input
        .text
        .as_deref()
        .and_then(|text| crate::load::text_too_large(text, &limits))
    {
        let mut file = LoadedFile::new(
            SourceFile::new(&input.display, String::new()),
            input.kind,
            None,
            Some(Default::default()),
            limits,
        );
        file.diagnostics = vec![too_large];
        return file;
    }
    if crate::file_kind::is_markdown(&input.display) {
        return load_markdown(input, limits);
    }
    let mut file = match &input.text {
        Some(text) => LoadedFile::parse(
            SourceFile::new(&input.display, text.clone()),
            input.kind,
            limits,
        ),
        None => LoadedFile::read(&input.path, &input.display, input.kind, limits),
    };
    if validate {
        validate::check_file(&mut file, input.schema.as_deref());
    }
    file
}

/// Reads a Markdown page (size and UTF-8 checked as for YAML): no value, no
/// schema; the link stage reads its text ([`crate::links::markdown`]).
fn load_markdown(input: &Input, limits: LoadLimits) -> LoadedFile {
    let (source, diagnostics) = match &input.text {
        Some(text) => (SourceFile::new(&input.display, text.clone()), Vec::new()),
        None => {
            let read = crate::load::read_file(&input.path, &input.display, &limits);
            (read.source, read.diagnostics)
        }
    };
    let mut file = LoadedFile::new(source, input.kind, None, Some(Default::default()), limits);
    file.diagnostics = diagnostics;
    file
}

/// Runs the stages over every input: each file's own checks in parallel,
/// then the cross-file rules, then the links.
pub fn run(inputs: &[Input], stages: &Stages<'_>) -> Result<Run, PipelineError> {
    run_with_context(inputs, &[], stages)
}

/// [`run`] over `inputs`, with the guides of `context` seen by the
/// cross-file rules (two guides sharing a slug) but not reported on: a run
/// over the files a change touched still compares them with every other
/// guide in the repository. Context files are only read and parsed.
pub fn run_with_context(
    inputs: &[Input],
    context: &[Input],
    stages: &Stages<'_>,
) -> Result<Run, PipelineError> {
    let keep_values = stages.keep_values || stages.links.is_some();
    let mut staged: Vec<(LoadedFile, Vec<Diagnostic>)> = if stages.rules.is_some() {
        context
            .par_iter()
            .filter(|input| input.kind == FileKind::Guide)
            .map(|input| {
                let mut file = load(input, stages.limits, false);
                own_checks_done(&mut file, &[]);
                (file, Vec::new())
            })
            .collect()
    } else {
        Vec::new()
    };
    // Context guides come first: a cross-file finding lands on the later of
    // two guides, so it lands on a target whenever one of the two is.
    let first_input = staged.len();
    let checked: Vec<(LoadedFile, Vec<Diagnostic>)> = inputs
        .par_iter()
        .map(|input| {
            let mut file = load(input, stages.limits, stages.validate);
            let found = stages
                .rules
                .map(|settings| rules::guide_findings(&file, settings))
                .unwrap_or_default();
            if !keep_values {
                own_checks_done(&mut file, &found);
            }
            (file, found)
        })
        .collect();
    staged.extend(checked);
    if let Some(settings) = stages.rules {
        rules::finish(&mut staged, settings);
    }
    let files = staged
        .into_iter()
        .skip(first_input)
        .map(|(mut file, found)| {
            file.diagnostics.extend(found);
            file
        })
        .collect();
    let mut report = CheckReport { files };
    report.sort();
    let links = match &stages.links {
        Some(stage) => Some(check_report(
            &mut report,
            stage.options,
            stage.cwd,
            (stage.progress)(),
        )?),
        None => None,
    };
    Ok(Run { report, links })
}

/// A file's own checks are done (`found`: its rule findings so far): it
/// keeps the lines its findings show and what the cross-file rules read,
/// nothing more. A file with suppression comments keeps its text until the
/// cross-file rules are done (suppressions are applied with their findings).
fn own_checks_done(file: &mut LoadedFile, found: &[Diagnostic]) {
    if rules::reads_text_when_finishing(file) {
        file.keep_only(rules::WORKSPACE_FIELDS);
        file.drop_spans();
    } else {
        file.compact(found, rules::WORKSPACE_FIELDS);
    }
}

/// Reads, parses and validates every input (no rules, no links).
pub fn load_and_validate(inputs: &[Input], limits: LoadLimits) -> CheckReport {
    // Without rules or links nothing can fail.
    run(inputs, &Stages::validate_only(limits))
        .map(|run| run.report)
        .unwrap_or_default()
}

/// What a fix loop did.
#[derive(Debug, Default)]
pub struct FixRun {
    /// The last run, after the last round of fixes.
    pub run: Run,
    /// Findings fixed, over every round.
    pub fixed: usize,
    /// The files written.
    pub files: BTreeSet<PathBuf>,
}

/// The most rounds of fixes: a fix that keeps making another is given up on.
const FIX_ROUNDS: usize = 10;

/// Applies the fixes of `first` (unsafe ones too with `unsafe_fixes`) to the
/// files on disk, runs the stages again (with `context`, as
/// [`run_with_context`]) and repeats until nothing more applies
/// (fixes that overlapped wait for the next round). `on_fixed` hears of every
/// file written.
pub fn fix_until_stable(
    inputs: &[Input],
    context: &[Input],
    stages: &Stages<'_>,
    first: Run,
    unsafe_fixes: bool,
    cwd: &Path,
    mut on_fixed: impl FnMut(&FixedFile),
) -> Result<FixRun, PipelineError> {
    let mut outcome = FixRun {
        run: first,
        ..FixRun::default()
    };
    for _round in 0..FIX_ROUNDS {
        let planned = fix::plan(&outcome.run.report, unsafe_fixes);
        if planned.is_empty() {
            break;
        }
        for file in &planned {
            fix::write(cwd, file)?;
            outcome.fixed += file.fixes;
            outcome.files.insert(file.display.clone());
            on_fixed(file);
        }
        outcome.run = run_with_context(inputs, context, stages)?;
    }
    Ok(outcome)
}

/// Applies the fixes of `input`'s text in memory (unsafe ones too with
/// `unsafe_fixes`), checking again after each round as [`fix_until_stable`]
/// does on disk, and returns the fixed text and how many findings were fixed;
/// `None` when nothing applies. Nothing is written (an editor's "fix all").
pub fn fix_text(
    input: &Input,
    context: &[Input],
    stages: &Stages<'_>,
    unsafe_fixes: bool,
) -> Result<Option<(String, usize)>, PipelineError> {
    let Some(mut text) = input.text.clone() else {
        return Ok(None);
    };
    let mut fixed = 0;
    for _round in 0..FIX_ROUNDS {
        let current = input.clone().with_text(text.clone());
        let run = run_with_context(std::slice::from_ref(&current), context, stages)?;
        let Some(planned) = run
            .report
            .files
            .first()
            .and_then(|file| fix::plan_file(file, unsafe_fixes))
        else {
            break;
        };
        fixed += planned.fixes;
        text = planned.fixed;
    }
    Ok((fixed > 0).then_some((text, fixed)))
}
