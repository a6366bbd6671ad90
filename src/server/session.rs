//! What the server knows: the workspace's configuration and schemas, the rule
//! settings, the open documents, each one's last check, and the slug of
//! every guide on disk (for the cross-file rules). Every check goes through
//! [`crate::pipeline`], exactly as `guidepress check` does.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use lsp_types::Uri;
use serde_json::Value;

use super::documents::{Document, Documents};
use super::position::Encoding;
use crate::config::{self, Config, LoadedConfig};
use crate::document::LoadedFile;
use crate::file_kind::FileKind;
use crate::pipeline::{self, Input, Stages};
use crate::report::ReportContext;
use crate::rules::{Date, RuleSettings};
use crate::workspace::{Target, Workspace};

/// Settings the editor sends (`initializationOptions`, or the `guidepress`
/// section of `workspace/didChangeConfiguration`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ClientSettings {
    /// Check links when a guide is saved, from the link cache only (no
    /// request is made while editing).
    pub links_on_save: bool,
    /// How long the document must be still before it is checked, in
    /// milliseconds; changes arriving within it are checked together.
    pub debounce_ms: u64,
}

impl Default for ClientSettings {
    fn default() -> Self {
        ClientSettings {
            links_on_save: false,
            debounce_ms: 5,
        }
    }
}

impl ClientSettings {
    /// Reads settings from `value` (either the settings themselves or an
    /// object with a `guidepress` member); unknown or mistyped members keep
    /// their defaults.
    pub fn from_value(value: Option<&Value>) -> Self {
        let Some(value) = value else {
            return ClientSettings::default();
        };
        let value = value.get("guidepress").unwrap_or(value);
        serde_json::from_value(value.clone()).unwrap_or_default()
    }
}

/// One document's latest check.
#[derive(Debug)]
pub struct Checked {
    /// The version checked.
    pub version: i32,
    /// The file with its findings (value and spans kept).
    pub file: LoadedFile,
    /// The last version that parsed, when this one does not.
    pub last_good: Option<LoadedFile>,
}

impl Checked {
    /// The latest version that parsed (for hover and completion while the
    /// document is broken).
    pub fn good(&self) -> Option<&LoadedFile> {
        if self.file.value.is_some() {
            Some(&self.file)
        } else {
            self.last_good.as_ref()
        }
    }
}

/// The server's state.
pub struct Session {
    /// How positions count characters.
    pub encoding: Encoding,
    /// The workspace folder.
    pub root: PathBuf,
    /// `--config`, when given.
    config_override: Option<PathBuf>,
    /// The configuration and compiled schemas.
    pub workspace: Workspace,
    /// The fact rules' settings.
    pub settings: RuleSettings,
    /// Open documents.
    pub documents: Documents,
    /// Each open document's latest check.
    pub checked: HashMap<Uri, Checked>,
    /// The slug of every guide on disk.
    slugs: HashMap<PathBuf, String>,
    /// Where documentation links point.
    pub report_context: ReportContext,
}

/// A configuration, schema or data problem the editor should show.
pub type SetupProblem = String;

fn open_workspace(
    root: &Path,
    config_override: Option<&Path>,
) -> Result<(Workspace, RuleSettings), SetupProblem> {
    let loaded = match config_override {
        Some(path) => LoadedConfig {
            config: Config::read(path).map_err(|e| e.to_string())?,
            root: path
                .parent()
                .map_or_else(|| root.to_owned(), Path::to_owned),
            path: Some(path.to_owned()),
        },
        None => config::discover(root).map_err(|e| e.to_string())?,
    };
    let workspace = Workspace::open(loaded, root, None).map_err(|e| e.to_string())?;
    let today = Date::today_from_env()?;
    let mut settings = workspace
        .config
        .rule_settings(root, today)
        .map_err(|e| e.to_string())?;
    settings.context.suggestions = false;
    Ok((workspace, settings))
}

/// A workspace that checks YAML only: what the server falls back on when the
/// configuration cannot be used at start.
fn bare_workspace(root: &Path) -> (Workspace, RuleSettings) {
    let mut config = Config::default();
    config.schemas.clear();
    config.data.enabled = false;
    let loaded = LoadedConfig {
        config,
        root: root.to_owned(),
        path: None,
    };
    let workspace =
        Workspace::open(loaded, root, None).expect("a configuration without schemas compiles");
    let mut settings = workspace
        .config
        .rule_settings(root, Date::today_utc())
        .expect("default rule settings are valid");
    settings.context.suggestions = false;
    (workspace, settings)
}

/// A file URI's path.
pub fn uri_path(uri: &Uri) -> Option<PathBuf> {
    url::Url::parse(uri.as_str()).ok()?.to_file_path().ok()
}

/// A path's file URI.
pub fn path_uri(path: &Path) -> Option<Uri> {
    url::Url::from_file_path(path).ok()?.as_str().parse().ok()
}

impl Session {
    /// Opens the workspace at `root`. A configuration that cannot be used is
    /// returned as a problem to show, and the server checks YAML only until
    /// it is fixed.
    pub fn open(
        root: PathBuf,
        config_override: Option<PathBuf>,
        encoding: Encoding,
    ) -> (Self, Option<SetupProblem>) {
        let (workspace, settings, problem) = match open_workspace(&root, config_override.as_deref())
        {
            Ok((workspace, settings)) => (workspace, settings, None),
            Err(problem) => {
                let (workspace, settings) = bare_workspace(&root);
                (workspace, settings, Some(problem))
            }
        };
        let report_context = ReportContext {
            docs_url: workspace.config.config.output.docs_url.clone(),
            ..ReportContext::default()
        };
        let session = Session {
            encoding,
            root,
            config_override,
            workspace,
            settings,
            documents: Documents::default(),
            checked: HashMap::new(),
            slugs: HashMap::new(),
            report_context,
        };
        (session, problem)
    }

    /// Reads the configuration, schemas and data again. On a problem the
    /// previous ones stay in use and the problem is returned.
    pub fn reload(&mut self) -> Option<SetupProblem> {
        match open_workspace(&self.root, self.config_override.as_deref()) {
            Ok((workspace, settings)) => {
                self.report_context.docs_url = workspace.config.config.output.docs_url.clone();
                self.workspace = workspace;
                self.settings = settings;
                None
            }
            Err(problem) => Some(problem),
        }
    }

    /// Reads the prose settings (`[prose]`: the words file, the dictionary,
    /// the terms) again.
    pub fn reload_prose(&mut self) {
        self.settings.context.prose = self.workspace.config.prose().map(std::sync::Arc::new);
    }

    /// Lists the authors again (an author file was added or removed).
    pub fn refresh_authors(&mut self) {
        if let Ok(today) = Date::today_from_env() {
            if let Ok(mut settings) = self.workspace.config.rule_settings(&self.root, today) {
                // Keep the data store already read.
                settings.context.data = self.settings.context.data.clone();
                settings.context.suggestions = false;
                self.settings = settings;
            }
        }
    }

    /// The guides on disk, for the slug index (read on a background thread).
    pub fn disk_guides(&self) -> Vec<Target> {
        self.workspace
            .targets(&[])
            .unwrap_or_default()
            .into_iter()
            .filter(|t| t.kind == FileKind::Guide && t.skip.is_none())
            .collect()
    }

    /// Replaces the slug index.
    pub fn set_slugs(&mut self, slugs: HashMap<PathBuf, String>) {
        self.slugs = slugs;
    }

    /// Reads one guide's slug from disk again (it changed, appeared or went away).
    pub fn refresh_slug(&mut self, path: &Path) {
        self.slugs.remove(path);
        let target = self.workspace.confined_target(path.to_owned());
        if target.kind == FileKind::Guide && target.skip.is_none() && path.is_file() {
            if let Some(slug) = read_slug(&Input::from(target), self.workspace.limits()) {
                self.slugs.insert(path.to_owned(), slug);
            }
        }
    }

    /// The content file at `uri`, when the workspace checks it: under a
    /// content root, not excluded.
    pub fn target(&self, uri: &Uri) -> Option<Target> {
        let path = uri_path(uri)?;
        let config = &self.workspace.config;
        let under_root = config
            .config
            .content
            .roots
            .iter()
            .any(|r| path.starts_with(config.root.join(r)));
        let yaml = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        );
        if !under_root || !yaml || self.workspace.is_excluded(&path) {
            return None;
        }
        Some(self.workspace.target(path))
    }

    /// The stages every editor check runs: everything but links.
    fn stages(&self) -> Stages<'_> {
        Stages {
            limits: self.workspace.limits(),
            validate: true,
            rules: Some(&self.settings),
            links: None,
            keep_values: true,
        }
    }

    /// The input for an open document.
    pub fn input(&self, uri: &Uri, document: &Document) -> Option<Input> {
        Some(Input::from(self.target(uri)?).with_text(document.text.clone()))
    }

    /// The other guides sharing `slug`: on disk (unless open) and open.
    fn same_slug(&self, uri: &Uri, slug: &str) -> Vec<Input> {
        let own = uri_path(uri);
        let mut out = Vec::new();
        let open: HashMap<PathBuf, (&Uri, &Document)> = self
            .documents
            .iter()
            .filter_map(|(u, d)| Some((uri_path(u)?, (u, d))))
            .collect();
        for (path, other) in &self.slugs {
            if other == slug && Some(path) != own.as_ref() && !open.contains_key(path) {
                out.push(Input::from(self.workspace.confined_target(path.clone())));
            }
        }
        for (path, (other_uri, document)) in &open {
            if Some(path) == own.as_ref() {
                continue;
            }
            let Some(checked) = self.checked.get(*other_uri) else {
                continue;
            };
            if slug_of(&checked.file) == Some(slug) {
                if let Some(input) = self.input(other_uri, document) {
                    out.push(input);
                }
            }
        }
        out
    }

    /// Checks the open document at `uri` through the pipeline and keeps the
    /// result. Returns `false` when the workspace does not check that file.
    pub fn check(&mut self, uri: &Uri) -> bool {
        let Some(document) = self.documents.get(uri) else {
            return false;
        };
        let version = document.version;
        let Some(input) = self.input(uri, document) else {
            return false;
        };
        if let Some(size) = document.too_large {
            let limits = self.workspace.limits();
            let mut file = LoadedFile::new(
                crate::source::SourceFile::new(&input.display, String::new()),
                input.kind,
                None,
                Some(Default::default()),
                limits,
            );
            file.diagnostics = vec![
                crate::diagnostic::Diagnostic::error(
                    crate::codes::FILE_TOO_LARGE,
                    format!(
                        "The document grew to {size} bytes, past the {} bytes the server holds (`limits.max_file_size` is {}); it is no longer followed.",
                        super::transport::frame_bytes(limits.max_file_size),
                        limits.max_file_size
                    ),
                    crate::diagnostic::Span::at(0),
                )
                .with_help("make it smaller, then close and reopen it"),
            ];
            self.checked.remove(uri);
            self.checked.insert(
                uri.clone(),
                Checked {
                    version,
                    file,
                    last_good: None,
                },
            );
            return true;
        }
        let stages = self.stages();
        // Without links nothing can fail; a failure leaves the last result.
        let Ok(mut run) = pipeline::run(std::slice::from_ref(&input), &stages) else {
            return false;
        };
        let slug = run
            .report
            .files
            .first()
            .and_then(slug_of)
            .map(str::to_owned);
        if let Some(slug) = slug {
            let context = self.same_slug(uri, &slug);
            if !context.is_empty() {
                if let Ok(again) =
                    pipeline::run_with_context(std::slice::from_ref(&input), &context, &stages)
                {
                    run = again;
                }
            }
        }
        let Some(file) = run.report.files.pop() else {
            return false;
        };
        let previous = self.checked.remove(uri);
        let last_good = match previous {
            _ if file.value.is_some() => None,
            Some(previous) if previous.file.value.is_some() => Some(previous.file),
            Some(previous) => previous.last_good,
            None => None,
        };
        self.checked.insert(
            uri.clone(),
            Checked {
                version,
                file,
                last_good,
            },
        );
        true
    }

    /// True when another guide (on disk or open) has the slug of `uri`.
    pub fn shares_slug(&self, uri: &Uri) -> bool {
        self.slug(uri)
            .is_some_and(|slug| !self.same_slug(uri, &slug).is_empty())
    }

    /// The slug the latest check of `uri` read.
    pub fn slug(&self, uri: &Uri) -> Option<String> {
        slug_of(&self.checked.get(uri)?.file).map(str::to_owned)
    }

    /// The fixed text of the open document at `uri` with every safe fix
    /// applied (and re-checked until stable), and the number of fixes.
    pub fn fix_all(&self, uri: &Uri) -> Option<(String, usize)> {
        let document = self.documents.get(uri)?;
        let input = self.input(uri, document)?;
        let context = self
            .slug(uri)
            .map(|slug| self.same_slug(uri, &slug))
            .unwrap_or_default();
        pipeline::fix_text(&input, &context, &self.stages(), false)
            .ok()
            .flatten()
    }

    /// The link findings of the open document at `uri`, from the link cache
    /// only (nothing is requested: `--offline`); `None` when links cannot be
    /// checked.
    pub fn link_findings(&self, uri: &Uri) -> Option<Vec<lsp_types::Diagnostic>> {
        use crate::links::{NoProgress, Progress, RunOptions};
        let document = self.documents.get(uri)?;
        let input = self.input(uri, document)?;
        let options = RunOptions::new(
            self.workspace.config.config.links.clone(),
            &self.workspace.config.root,
            true,
        );
        let progress = || -> std::sync::Arc<dyn Progress> { std::sync::Arc::new(NoProgress) };
        let stages = Stages {
            limits: self.workspace.limits(),
            validate: false,
            rules: None,
            links: Some(pipeline::LinkStage {
                options: &options,
                cwd: &self.root,
                progress: &progress,
            }),
            keep_values: true,
        };
        let run = pipeline::run(std::slice::from_ref(&input), &stages).ok()?;
        let file = run
            .report
            .files
            .iter()
            .find(|f| f.source.path == input.display)?;
        Some(
            file.diagnostics
                .iter()
                .filter(|d| d.code.starts_with("GP4"))
                .map(|d| {
                    super::diagnostics::to_lsp(
                        file,
                        d,
                        uri,
                        &self.root,
                        self.encoding,
                        &self.report_context,
                    )
                })
                .collect(),
        )
    }

    /// The release the open guide at `uri` is checked against, and its
    /// occupation there (from the latest version that parsed).
    pub fn occupation(
        &self,
        uri: &Uri,
    ) -> Option<(
        std::sync::Arc<crate::data::Snapshot>,
        Option<std::sync::Arc<crate::data::Occupation>>,
    )> {
        let store = self.settings.context.data.as_deref()?;
        let file = self.checked.get(uri).and_then(Checked::good);
        let field = |pointer| file.and_then(|f| f.get(pointer)).and_then(Value::as_str);
        let snapshot = store.snapshot(field("/occupation/oews_release")).ok()?;
        let occupation =
            field("/occupation/soc_code").and_then(|code| snapshot.occupation(code).ok().flatten());
        Some((snapshot, occupation))
    }

    /// The open document at `uri` with a line index, the byte offset of
    /// `position` in it, and what the cursor is on there.
    pub fn cursor(
        &self,
        uri: &Uri,
        position: lsp_types::Position,
    ) -> Option<(crate::source::SourceFile, usize, super::cursor::Cursor)> {
        let document = self.documents.get(uri)?;
        let source = crate::source::SourceFile::new("", document.text.clone());
        let offset = super::position::offset(&source, position, self.encoding);
        let cursor = super::cursor::at(&source.text, offset);
        Some((source, offset, cursor))
    }

    /// True when `path` may be read or pointed to: inside the repository
    /// (symbolic links followed), as the content walk allows.
    pub fn inside(&self, path: &Path) -> bool {
        self.workspace.outside_reason(path).is_none()
    }

    /// The folder author files are in.
    pub fn authors_dir(&self) -> PathBuf {
        self.workspace
            .config
            .root
            .join(&self.workspace.config.config.content.authors)
    }

    /// The official data folder, when configured.
    pub fn data_dir(&self) -> PathBuf {
        self.workspace.config.root.join(
            self.workspace
                .config
                .config
                .data
                .dir
                .clone()
                .unwrap_or_else(|| PathBuf::from(crate::data::config::DEFAULT_DIR)),
        )
    }
}

/// A guide's slug.
fn slug_of(file: &LoadedFile) -> Option<&str> {
    if file.kind != FileKind::Guide {
        return None;
    }
    file.value.as_ref()?.get("slug")?.as_str()
}

/// Reads the slug of one guide (parsing only).
pub fn read_slug(input: &Input, limits: crate::load::LoadLimits) -> Option<String> {
    let file = pipeline::load(input, limits, false);
    slug_of(&file).map(str::to_owned)
}
