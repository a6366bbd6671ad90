//! `guidepress preview`: guides rendered as the pages readers will see.
//!
//! [`load`] (the check pipeline's reading, and with `--annotate` its
//! findings; each file then keeps only its slug and findings, as in
//! `check`) → page names → each guide read again and rendered through the
//! [`templates`] (figures formatted by [`format`], Markdown by [`markdown`],
//! the salary chart laid out by [`chart`], findings placed by [`annotate`])
//! → [`write_site`] writes each page as soon as it is rendered (temporary
//! file and rename; memory holds a few pages, not every guide), then the
//! index; or [`render`] keeps them for [`serve`] on loopback with reload on
//! save. The findings come from the same [`pipeline`] run as `check`'s.

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
use crate::load::{self, LoadLimits};
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
    /// A template file may not or cannot be read: it leads outside the
    /// repository, is too large, or is not a UTF-8 text file.
    #[error("template {path}: {reason}; it was not read")]
    TemplateRefused {
        /// The template file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
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

/// Every page and the index, in memory (`--serve`).
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

/// What [`write_site`] wrote: the pages (without their HTML), the files not
/// rendered, and the pages that could not be written.
#[derive(Debug, Clone, Default)]
pub struct Written {
    /// The pages written, in file order (`html` empty).
    pub pages: Vec<Page>,
    /// Files that could not be shown, with why (unreadable or not YAML).
    pub skipped: Vec<(String, String)>,
    /// Pages that could not be written: file name and why. The others and
    /// the index were written all the same; the index lists these as not
    /// rendered.
    pub failed: Vec<(String, String)>,
}

/// The guides to render, as read once: for each, only what names its page
/// and, with `annotate`, its findings. Each page is rendered from the file
/// read again, so memory holds one guide per thread, not every guide.
pub struct Guides {
    /// Each file in file order, with its slug as the file states it.
    entries: Vec<Entry>,
    limits: LoadLimits,
}

struct Entry {
    /// Where to read the file again.
    input: Input,
    /// Its top-level `slug`, when it is a string.
    slug: Option<String>,
    /// With `annotate`: the file as the check pipeline left it (its slug
    /// and findings; no value when it is not usable).
    checked: Option<LoadedFile>,
}

impl Guides {
    /// How many files were read (guides and files that are not).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when no file was read.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Reads the guides among `targets` (every target but authors): with
/// `options.annotate`, through the check pipeline for their findings (each
/// file then keeps only its slug and findings, as in `check`); without, only
/// as far as each one's `slug` (the page is rendered from a full read).
pub fn load(targets: &[Target], limits: LoadLimits, options: &PreviewOptions<'_>) -> Guides {
    let inputs: Vec<Input> = targets
        .iter()
        .filter(|t| t.kind != FileKind::Author)
        .cloned()
        .map(Input::from)
        .collect();
    let entries = if options.annotate {
        let stages = Stages {
            limits,
            validate: true,
            rules: options.rules,
            links: None,
            keep_values: false,
        };
        // Without the link stage a run cannot fail.
        let files = pipeline::run(&inputs, &stages)
            .map(|run| run.report.files)
            .unwrap_or_default();
        let mut inputs: HashMap<PathBuf, Input> = inputs
            .into_iter()
            .map(|input| (input.display.clone(), input))
            .collect();
        files
            .into_iter()
            .filter_map(|file| {
                let input = inputs.remove(&file.source.path)?;
                Some(Entry {
                    input,
                    slug: file.get("/slug").and_then(Value::as_str).map(str::to_owned),
                    checked: Some(file),
                })
            })
            .collect()
    } else {
        inputs
            .into_par_iter()
            .map(|input| {
                let slug = match (&input.skip, &input.text) {
                    (Some(_), _) => None,
                    (None, Some(text)) => load::yaml::top_level_string(text, "slug"),
                    (None, None) => {
                        let read = load::read_file(&input.path, &input.display, &limits);
                        if read.diagnostics.is_empty() {
                            load::yaml::top_level_string(&read.source.text, "slug")
                        } else {
                            None
                        }
                    }
                };
                Entry {
                    input,
                    slug,
                    checked: None,
                }
            })
            .collect()
    };
    Guides { entries, limits }
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

/// The longest page name: `<name>.html` is then 255 bytes, the most a file
/// name may have on common file systems.
const MAX_NAME: usize = 250;

/// The first `max` bytes of an ASCII name, without a trailing hyphen.
fn shorten(name: &str, max: usize) -> String {
    name.get(..max.min(name.len()))
        .unwrap_or(name)
        .trim_end_matches('-')
        .to_owned()
}

/// The output names: the slug, else the file name made safe; `-2`, `-3` for
/// repeats; never `index`. Each file is given as its slug (if a string) and
/// its path.
fn page_names(files: &[(Option<&str>, &Path)]) -> Vec<String> {
    let mut taken: HashSet<String> = HashSet::from(["index".to_owned()]);
    files
        .iter()
        .map(|(slug, path)| {
            let slug = slug
                .filter(|s| is_slug(s))
                .map(str::to_owned)
                .unwrap_or_else(|| {
                    let stem: String = path
                        .file_stem()
                        .and_then(|s| s.to_str())
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
            // `<name>.html` must fit the file system's 255 bytes, with room
            // for `-2`, `-3`, ... (a slug as long as that is valid).
            let slug = if slug.len() > MAX_NAME {
                shorten(&slug, MAX_NAME - 10)
            } else {
                slug
            };
            let mut name = slug.clone();
            let mut n = 1;
            while !taken.insert(name.clone()) {
                n += 1;
                name = format!("{}-{n}", shorten(&slug, MAX_NAME - 10));
            }
            name
        })
        .collect()
}

/// One page rendered, handed to a sink: it keeps the HTML (`Some`) or has
/// written it and keeps nothing (`None`); `Err` is why it could not be
/// written (the other pages go on).
type Sink<'s> = dyn Fn(&Page, String) -> Result<Option<String>, String> + Sync + 's;

/// The pages in file order, the files not rendered, the pages the sink refused (with why).
type Rendered = (Vec<Page>, Vec<(String, String)>, Vec<(Page, String)>);

/// Renders every guide page by page, in parallel, each from its file read
/// again, and hands each page to `sink` as soon as it is made.
fn render_pages(
    guides: Guides,
    authors: &HashMap<String, Value>,
    templates: &Templates,
    options: &PreviewOptions<'_>,
    sink: &Sink<'_>,
) -> Result<Rendered, PreviewError> {
    let Guides { entries, limits } = guides;
    // Files the check found unusable get no name (without `annotate`, the
    // full read below finds them, after the names are given).
    let mut skipped = Vec::new();
    let entries: Vec<Entry> = entries
        .into_iter()
        .filter(|entry| match &entry.checked {
            Some(file) if !file.value.as_ref().is_some_and(Value::is_object) => {
                skipped.push((file.source.display_path(), not_usable(file)));
                false
            }
            _ => true,
        })
        .collect();
    let names = page_names(
        &entries
            .iter()
            .map(|entry| (entry.slug.as_deref(), entry.input.display.as_path()))
            .collect::<Vec<_>>(),
    );
    let done = entries
        .into_par_iter()
        .zip(names.into_par_iter())
        .map(|(entry, name)| {
            let mut file = pipeline::load(&entry.input, limits, false);
            if !file.value.as_ref().is_some_and(Value::is_object) {
                let why = not_usable(&file);
                return Ok(Done::Skipped(file.source.display_path(), why));
            }
            if let Some(checked) = entry.checked {
                // The findings of the whole run (cross-file ones too), at
                // the places of the text read again.
                file.diagnostics = checked.diagnostics;
            }
            let (page, html) = render_page(&file, &name, authors, templates, options)?;
            drop(file);
            Ok(match sink(&page, html) {
                Ok(html) => Done::Page(Page {
                    html: html.unwrap_or_default(),
                    ..page
                }),
                Err(why) => Done::Failed(page, why),
            })
        })
        .collect::<Result<Vec<_>, PreviewError>>()?;
    let mut pages = Vec::with_capacity(done.len());
    let mut failed = Vec::new();
    for outcome in done {
        match outcome {
            Done::Page(page) => pages.push(page),
            Done::Failed(page, why) => failed.push((page, why)),
            Done::Skipped(file, why) => skipped.push((file, why)),
        }
    }
    skipped.sort();
    Ok((pages, skipped, failed))
}

/// What became of one guide.
enum Done {
    Page(Page),
    Failed(Page, String),
    Skipped(String, String),
}

/// Why a file is not rendered: its first finding, else that it is not a mapping.
fn not_usable(file: &LoadedFile) -> String {
    file.diagnostics
        .first()
        .map_or_else(|| "not a YAML mapping".to_owned(), |d| d.message.clone())
}

fn render_index(
    pages: &[Page],
    skipped: &[(String, String)],
    templates: &Templates,
    options: &PreviewOptions<'_>,
) -> Result<String, PreviewError> {
    templates.render(
        "index.html",
        context! {
            pages => TemplateValue::from_serialize(pages),
            annotate => options.annotate,
            live_reload => options.live_reload,
            skipped => TemplateValue::from_serialize(skipped),
            generator => GENERATOR,
        },
    )
}

/// Renders every guide and the index, in memory (what `--serve` shows).
pub fn render(
    guides: Guides,
    authors: &HashMap<String, Value>,
    templates: &Templates,
    options: &PreviewOptions<'_>,
) -> Result<Site, PreviewError> {
    let keep: &Sink<'_> = &|_, html| Ok(Some(html));
    let (pages, skipped, _) = render_pages(guides, authors, templates, options, keep)?;
    let index = render_index(&pages, &skipped, templates, options)?;
    Ok(Site {
        pages,
        index,
        skipped,
    })
}

/// Renders every guide into `out` (created if missing) page by page, then
/// `index.html`: each page is written as soon as it is rendered, through a
/// temporary file and a rename, so a reader never sees half a page and
/// memory holds a few pages at a time, whatever the number of guides. A page
/// that cannot be written is listed in [`Written::failed`] (and on the index
/// as not rendered); the other pages and the index are written all the same.
pub fn write_site(
    guides: Guides,
    authors: &HashMap<String, Value>,
    templates: &Templates,
    options: &PreviewOptions<'_>,
    out: &Path,
) -> Result<Written, PreviewError> {
    std::fs::create_dir_all(out).map_err(|source| PreviewError::Io {
        path: out.to_owned(),
        source,
    })?;
    let write: &Sink<'_> = &|page, html| {
        write::atomic(&out.join(&page.file), html.as_bytes())
            .map(|()| None)
            .map_err(|error| error.to_string())
    };
    let (pages, skipped, failed) = render_pages(guides, authors, templates, options, write)?;
    // The index lists a page not written among the files not rendered.
    let mut listed = skipped.clone();
    listed.extend(failed.iter().map(|(page, why)| {
        (
            page.source.clone(),
            format!("{} was not written: {why}", page.file),
        )
    }));
    let index = render_index(&pages, &listed, templates, options)?;
    write::atomic(&out.join("index.html"), index.as_bytes())?;
    Ok(Written {
        pages,
        skipped,
        failed: failed
            .into_iter()
            .map(|(page, why)| (page.file, why))
            .collect(),
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
) -> Result<(Page, String), PreviewError> {
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
    Ok((page, html))
}
