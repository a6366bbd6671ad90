//! `guidepress preview`: guides rendered as the pages readers will see.
//!
//! load (the check pipeline's reading, and with `--annotate` its findings)
//! → [`render`] each guide through the [`templates`] (figures formatted by
//! [`format`], Markdown by [`markdown`], the salary chart laid out by
//! [`chart`], findings placed by [`annotate`]) → [`write_site`] (temporary
//! file and rename) or [`serve`] on loopback with reload on save. The
//! findings come from the same [`pipeline`] run as `check`'s.

pub mod annotate;
pub mod chart;
pub mod format;
pub mod markdown;
pub mod serve;
pub mod templates;
mod write;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use minijinja::context;
use minijinja::value::Value as TemplateValue;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;

use crate::document::LoadedFile;
use crate::file_kind::FileKind;
use crate::load::LoadLimits;
use crate::pipeline::{self, Input, Stages};
use crate::rules::RuleSettings;
use crate::workspace::{Target, Workspace};

pub use annotate::FindingView;
pub use templates::Templates;

/// Why a preview could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PreviewError {
    /// A file or folder could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A page could not be written.
    #[error(transparent)]
    Write(#[from] crate::fsio::WriteError),
    /// A template could not be compiled or rendered.
    #[error("template error: {0}")]
    Template(String),
}

/// What to put on the pages.
#[derive(Debug, Clone, Copy, Default)]
pub struct PreviewOptions<'a> {
    /// Run the checks and mark their findings on the pages.
    pub annotate: bool,
    /// Add the script that reloads the page when the server says so (`--serve`).
    pub live_reload: bool,
    /// The fact rules' settings, for `annotate` (`None`: schema checks only).
    pub rules: Option<&'a RuleSettings>,
}

/// One rendered guide.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    /// The output file name, `<slug>.html`.
    pub file: String,
    /// The guide's slug (or its file name when the slug is unusable).
    pub slug: String,
    /// The guide's title.
    pub title: String,
    /// The guide's editorial status.
    pub status: String,
    /// The YAML file, as given.
    pub source: String,
    /// Error-level findings (with `annotate`).
    pub errors: usize,
    /// Warning-level findings (with `annotate`).
    pub warnings: usize,
    /// The page.
    #[serde(skip)]
    pub html: String,
}

/// Every page and the index.
#[derive(Debug, Clone, Default)]
pub struct Site {
    /// The guides' pages, in file order.
    pub pages: Vec<Page>,
    /// `index.html`.
    pub index: String,
    /// Files that could not be shown, with why (unreadable or not YAML).
    pub skipped: Vec<(String, String)>,
}

impl Site {
    /// The page named `file` (`index.html` or `<slug>.html`).
    pub fn get(&self, file: &str) -> Option<&str> {
        if file == "index.html" {
            return Some(&self.index);
        }
        self.pages
            .iter()
            .find(|page| page.file == file)
            .map(|page| page.html.as_str())
    }
}

/// Reads the guides among `targets` (every target but authors), with the
/// check pipeline's findings when `options.annotate`.
pub fn load(
    targets: &[Target],
    limits: LoadLimits,
    options: &PreviewOptions<'_>,
) -> Vec<LoadedFile> {
    let guides: Vec<Target> = targets
        .iter()
        .filter(|t| t.kind != FileKind::Author)
        .cloned()
        .collect();
    let inputs: Vec<Input> = guides.into_iter().map(Input::from).collect();
    if options.annotate {
        let stages = Stages {
            limits,
            validate: true,
            rules: options.rules,
            links: None,
            keep_values: true,
        };
        // Without the link stage a run cannot fail.
        pipeline::run(&inputs, &stages)
            .map(|run| run.report.files)
            .unwrap_or_default()
    } else {
        inputs
            .par_iter()
            .map(|input| pipeline::load(input, limits, false))
            .collect()
    }
}

/// Every author file in the configured authors folder, by id (the file name).
pub fn authors(workspace: &Workspace) -> HashMap<String, Value> {
    let dir = workspace
        .config
        .root
        .join(&workspace.config.config.content.authors);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return HashMap::new();
    };
    let limits = workspace.limits();
    entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .filter_map(|path| {
            let id = path.file_stem()?.to_str()?.to_owned();
            let file = pipeline::load(&Input::from(workspace.target(path)), limits, false);
            Some((id, file.value?))
        })
        .collect()
}

/// Whether `text` is a slug (`^[a-z0-9]+(-[a-z0-9]+)*$`), safe as a file name.
fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with('-')
        && !text.ends_with('-')
        && !text.contains("--")
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The output names: the slug, else the file name made safe; `-2`, `-3` for
/// repeats; never `index`.
fn page_names(files: &[&LoadedFile]) -> Vec<String> {
    let mut taken: HashSet<String> = HashSet::from(["index".to_owned()]);
    files
        .iter()
        .map(|file| {
            let slug = file
                .get("/slug")
                .and_then(Value::as_str)
                .filter(|s| is_slug(s))
                .map(str::to_owned)
                .unwrap_or_else(|| {
                    let stem: String = file
                        .stem()
                        .unwrap_or("guide")
                        .chars()
                        .map(|c| {
                            if c.is_ascii_alphanumeric() {
                                c.to_ascii_lowercase()
                            } else {
                                '-'
                            }
                        })
                        .collect();
                    let stem = stem.trim_matches('-').to_owned();
                    if stem.is_empty() {
                        "guide".to_owned()
                    } else {
                        stem
                    }
                });
            let mut name = slug.clone();
            let mut n = 1;
            while !taken.insert(name.clone()) {
                n += 1;
                name = format!("{slug}-{n}");
            }
            name
        })
        .collect()
}

/// Renders every loaded guide and the index.
pub fn render(
    files: &[LoadedFile],
    authors: &HashMap<String, Value>,
    templates: &Templates,
    options: &PreviewOptions<'_>,
) -> Result<Site, PreviewError> {
    let mut skipped = Vec::new();
    let usable: Vec<&LoadedFile> = files
        .iter()
        .filter(|file| {
            let ok = file.value.as_ref().is_some_and(Value::is_object);
            if !ok {
                let why = file
                    .diagnostics
                    .first()
                    .map_or_else(|| "not a YAML mapping".to_owned(), |d| d.message.clone());
                skipped.push((file.source.display_path(), why));
            }
            ok
        })
        .collect();
    let names = page_names(&usable);
    let pages = usable
        .par_iter()
        .zip(names.par_iter())
        .map(|(file, name)| render_page(file, name, authors, templates, options))
        .collect::<Result<Vec<_>, _>>()?;
    let index = templates.render(
        "index.html",
        context! {
            pages => TemplateValue::from_serialize(&pages),
            annotate => options.annotate,
            live_reload => options.live_reload,
            skipped => TemplateValue::from_serialize(&skipped),
            generator => GENERATOR,
        },
    )?;
    Ok(Site {
        pages,
        index,
        skipped,
    })
}

/// `guidepress 0.1.0`.
const GENERATOR: &str = concat!("guidepress ", env!("CARGO_PKG_VERSION"));

fn render_page(
    file: &LoadedFile,
    name: &str,
    authors: &HashMap<String, Value>,
    templates: &Templates,
    options: &PreviewOptions<'_>,
) -> Result<Page, PreviewError> {
    let value = file.value.as_ref().unwrap_or(&Value::Null);
    let text = |pointer: &str| {
        value
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let person = |pointer: &str| {
        value
            .pointer(pointer)
            .and_then(Value::as_str)
            .and_then(|id| authors.get(id))
    };
    let reviewers: Vec<&Value> = value
        .pointer("/editorial/reviewers")
        .and_then(Value::as_array)
        .map(|ids| {
            ids.iter()
                .filter_map(|id| id.as_str().and_then(|id| authors.get(id)))
                .collect()
        })
        .unwrap_or_default();
    let sources: BTreeMap<&str, &Value> = value
        .get("sources")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|s| Some((s.get("id")?.as_str()?, s)))
                .collect()
        })
        .unwrap_or_default();
    let mut findings = if options.annotate {
        annotate::findings(file)
    } else {
        Vec::new()
    };
    let page = Page {
        file: format!("{name}.html"),
        slug: name.to_owned(),
        title: text("/title"),
        status: text("/status"),
        source: file.source.display_path(),
        errors: findings.iter().filter(|f| f.severity == "error").count(),
        warnings: findings.iter().filter(|f| f.severity == "warning").count(),
        html: String::new(),
    };
    let guide = TemplateValue::from_serialize(value);
    let chart = TemplateValue::from_serialize(chart::build(value));
    let base = |findings: &[FindingView], annotations: Option<TemplateValue>| {
        context! {
            guide => guide.clone(),
            page => TemplateValue::from_serialize(&page),
            author => person("/editorial/author"),
            approver => person("/editorial/approved_by"),
            reviewers => TemplateValue::from_serialize(&reviewers),
            sources => TemplateValue::from_serialize(&sources),
            chart => chart.clone(),
            annotate => options.annotate,
            findings => TemplateValue::from_serialize(findings),
            live_reload => options.live_reload,
            generator => GENERATOR,
            __annotations => annotations,
        }
    };
    let html = if options.annotate {
        // First pass: learn which nodes the template marks; then place each
        // finding at the closest of them and render for real.
        let recorder = annotate::Annotations::recording();
        templates.render(
            "guide.html",
            base(&findings, Some(annotate::value(&recorder))),
        )?;
        let by_place = annotate::place(&mut findings, &recorder.recorded());
        let drawing = annotate::Annotations::drawing(by_place);
        templates.render(
            "guide.html",
            base(&findings, Some(annotate::value(&drawing))),
        )?
    } else {
        templates.render("guide.html", base(&findings, None))?
    };
    Ok(Page { html, ..page })
}

/// Writes every page and `index.html` into `out` (created if missing), each
/// through a temporary file and a rename, so a reader never sees half a page.
pub fn write_site(site: &Site, out: &Path) -> Result<(), PreviewError> {
    std::fs::create_dir_all(out).map_err(|source| PreviewError::Io {
        path: out.to_owned(),
        source,
    })?;
    site.pages
        .par_iter()
        .map(|page| write::atomic(&out.join(&page.file), page.html.as_bytes()))
        .collect::<Result<Vec<()>, _>>()?;
    Ok(write::atomic(
        &out.join("index.html"),
        site.index.as_bytes(),
    )?)
}
