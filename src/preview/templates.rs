//! The page templates: the defaults under `templates/` are compiled into the
//! binary; a configured folder (`[preview] templates`, `--templates`)
//! replaces any of them by name and may add its own. Templates are Jinja
//! (minijinja): text is HTML-escaped unless marked safe, and figures go
//! through the filters below, so a publisher restyles without Rust.
//!
//! Filters: `money` (`$133,080`), `number` (`140,100`), `pct` (`+17%`),
//! `money_range` (`$80,000 - $211,450`), `duration` (`4-6 years`), `date`
//! (`November 28, 2026`), `markdown` (safe HTML), `cta` (a call-to-action
//! line with its link phrases), `link_target` (the address when it is safe to
//! link: http(s), mailto, in-page; else empty), `state_name` (`California`).
//! Functions: `mark(pointer)` (the findings to draw at a node, once) and
//! `flag(pointer)` (`error`/`warning`/`""`, the worst finding at or under it).

use std::path::{Path, PathBuf};

use minijinja::value::Value;
use minijinja::{Environment, Error, State};

use super::annotate::Annotations;
use super::{PreviewError, format, markdown};
use crate::fsio::ReadError;
use crate::workspace::Escape;

/// The templates compiled in: name and text.
pub const DEFAULTS: &[(&str, &str)] = &[
    ("guide.html", include_str!("../../templates/guide.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("style.css", include_str!("../../templates/style.css")),
];

/// Largest template file read from a folder.
const MAX_TEMPLATE_BYTES: u64 = 1 << 20;

/// The context variable holding the per-render annotations.
pub const ANNOTATIONS: &str = "__annotations";

/// A template environment ready to render pages.
#[derive(Debug)]
pub struct Templates {
    env: Environment<'static>,
    /// The folder the templates were read from, if any.
    pub folder: Option<PathBuf>,
}

fn json(value: &Value) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

/// Shows a figure with `format`, or the value as written when it is not a number.
fn figure(value: &Value, format: fn(&serde_json::Value) -> Option<String>) -> String {
    if value.is_undefined() || value.is_none() {
        return String::new();
    }
    format(&json(value)).unwrap_or_else(|| value.to_string())
}

fn annotations(state: &State) -> Option<std::sync::Arc<Annotations>> {
    state.lookup(ANNOTATIONS)?.downcast_object::<Annotations>()
}

impl Templates {
    /// The defaults, with every file of `folder` (when given) replacing or
    /// adding to them. A template is read only when it really lies (every
    /// symbolic link followed) inside one of `within` (the repository, and
    /// the folder named on the command line): the content walk's rule
    /// ([`crate::workspace::contained`]), so a link to `/proc/self/environ`
    /// or a configured folder outside the repository is an error naming the
    /// template, never a page holding what it points at.
    pub fn load(folder: Option<&Path>, within: &[&Path]) -> Result<Self, PreviewError> {
        let mut env = Environment::new();
        env.set_keep_trailing_newline(true);
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        for (name, text) in DEFAULTS {
            env.add_template(name, text)
                .map_err(|error| PreviewError::Template(describe(&error)))?;
        }
        if let Some(folder) = folder {
            let within: Vec<PathBuf> = within
                .iter()
                .map(|dir| std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf()))
                .collect();
            let within: Vec<&Path> = within.iter().map(PathBuf::as_path).collect();
            let entries = std::fs::read_dir(folder).map_err(|source| PreviewError::Io {
                path: folder.to_owned(),
                source,
            })?;
            let mut files: Vec<(String, PathBuf)> = Vec::new();
            for entry in entries.filter_map(Result::ok) {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.starts_with('.') || entry.file_type().is_ok_and(|t| t.is_dir()) {
                    continue;
                }
                files.push((name, entry.path()));
            }
            files.sort();
            for (name, path) in files {
                let Some(text) = read_template(&path, &within)? else {
                    continue;
                };
                env.add_template_owned(name, text)
                    .map_err(|error| PreviewError::Template(describe(&error)))?;
            }
        }
        register(&mut env);
        Ok(Templates {
            env,
            folder: folder.map(Path::to_path_buf),
        })
    }

    /// Renders template `name` with `context`.
    pub fn render(&self, name: &str, context: Value) -> Result<String, PreviewError> {
        self.env
            .get_template(name)
            .and_then(|template| template.render(context))
            .map_err(|error| PreviewError::Template(describe(&error)))
    }
}

/// The text of the template file at `path`, if it is inside `within`;
/// `None` for a link to a folder (not a template).
fn read_template(path: &Path, within: &[&Path]) -> Result<Option<String>, PreviewError> {
    let refused = |reason: String| PreviewError::TemplateRefused {
        path: path.to_owned(),
        reason,
    };
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let real = match crate::workspace::contained(path, within) {
        Ok((_, meta)) if meta.is_dir() => return Ok(None),
        Ok((real, _)) => real,
        Err(escape) if is_link => return Err(refused(escape.link_reason())),
        Err(Escape::Outside { target, .. }) => {
            return Err(refused(format!(
                "it lies at {}, outside the repository",
                target.display()
            )));
        }
        Err(Escape::Nothing) => return Err(refused("it cannot be resolved".to_owned())),
    };
    let bytes =
        crate::fsio::read_regular(&real, MAX_TEMPLATE_BYTES).map_err(|error| match error {
            ReadError::TooLarge { .. } => refused("it is larger than 1 MiB".to_owned()),
            other => refused(other.to_string()),
        })?;
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| refused("it is not UTF-8 text".to_owned()))
}

/// A template error with its template, line and cause.
fn describe(error: &Error) -> String {
    let mut text = match (error.name(), error.line()) {
        (Some(name), Some(line)) => format!("{name}:{line}: {error}"),
        (Some(name), None) => format!("{name}: {error}"),
        _ => error.to_string(),
    };
    let mut cause = std::error::Error::source(error);
    while let Some(inner) = cause {
        text.push_str(&format!(": {inner}"));
        cause = inner.source();
    }
    text
}

fn register(env: &mut Environment<'static>) {
    env.add_filter("money", |v: Value| figure(&v, format::money));
    env.add_filter("number", |v: Value| figure(&v, format::number));
    env.add_filter("pct", |v: Value| figure(&v, format::signed_percent));
    env.add_filter("money_range", |v: Value| {
        if v.is_undefined() || v.is_none() {
            return String::new();
        }
        format::money_range(&json(&v)).unwrap_or_default()
    });
    env.add_filter("duration", |v: Value| {
        if v.is_undefined() || v.is_none() {
            return String::new();
        }
        format::duration(&json(&v)).unwrap_or_default()
    });
    env.add_filter("date", |v: Value| match v.as_str() {
        Some(text) => format::date(text),
        None if v.is_undefined() || v.is_none() => String::new(),
        None => v.to_string(),
    });
    env.add_filter("markdown", |v: Value| {
        let html = match v.as_str() {
            Some(text) => markdown::to_html(text),
            None => String::new(),
        };
        Value::from_safe_string(html)
    });
    env.add_filter("link_target", |v: Value| match v.as_str() {
        Some(url) if markdown::safe_link(url) => url.to_owned(),
        _ => String::new(),
    });
    env.add_filter("cta", |v: Value| {
        Value::from_safe_string(call_to_action(&json(&v)))
    });
    env.add_filter("state_name", |v: Value| {
        let code = v.as_str().unwrap_or_default();
        crate::states::name(code).map_or_else(|| code.to_owned(), str::to_owned)
    });
    env.add_function(
        "mark",
        |state: &State, place: String| -> Result<Value, Error> {
            Ok(match annotations(state) {
                Some(annotations) => Value::from_serialize(annotations.take(&place)),
                None => Value::from(Vec::<Value>::new()),
            })
        },
    );
    env.add_function("flag", |state: &State, place: String| -> Value {
        Value::from(annotations(state).map_or("", |a| a.worst(&place)))
    });
    // A field a guide leaves out renders as nothing; the check reports it.
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Lenient);
}

/// A call-to-action line with its link phrases: a phrase with an http(s)
/// address becomes a link, one without (not known yet) is marked as pending.
/// Everything else is escaped text.
fn call_to_action(value: &serde_json::Value) -> String {
    let text = value
        .get("text")
        .and_then(|t| t.as_str())
        .unwrap_or_default();
    let mut found: Vec<(usize, usize, Option<&str>)> = Vec::new();
    for link in value
        .get("links")
        .and_then(|l| l.as_array())
        .into_iter()
        .flatten()
    {
        let Some(label) = link
            .get("label")
            .and_then(|l| l.as_str())
            .filter(|l| !l.is_empty())
        else {
            continue;
        };
        let url = link
            .get("url")
            .and_then(|u| u.as_str())
            .filter(|u| u.starts_with("https://") || u.starts_with("http://"));
        let mut from = 0;
        while let Some(at) = text[from..].find(label) {
            let start = from + at;
            let end = start + label.len();
            if found.iter().all(|(s, e, _)| end <= *s || start >= *e) {
                found.push((start, end, url));
                break;
            }
            from = end;
        }
    }
    found.sort_by_key(|(start, _, _)| *start);
    let mut html = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for (start, end, url) in found {
        html.push_str(&escape(&text[at..start]));
        let label = escape(&text[start..end]);
        match url {
            Some(url) => html.push_str(&format!("<a href=\"{}\">{label}</a>", escape(url))),
            None => html.push_str(&format!("<span class=\"link-pending\">{label}</span>")),
        }
        at = end;
    }
    html.push_str(&escape(&text[at..]));
    html
}

/// HTML-escapes text for element content and quoted attributes.
pub fn escape(text: &str) -> String {
    minijinja::HtmlEscape(text).to_string()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn call_to_action_links_its_phrases_and_escapes_the_rest() {
        let html = super::call_to_action(&json!({
            "text": "Explore <b>Software</b> programs or CS programs & more.",
            "links": [
                {"label": "CS programs", "url": "https://example.org/cs?a=1&b=2"},
                {"label": "<b>Software</b> programs"},
                {"label": "absent"},
                {"label": "more", "url": "javascript:alert(1)"}
            ]
        }));
        assert_eq!(
            html,
            "Explore <span class=\"link-pending\">&lt;b&gt;Software&lt;&#x2f;b&gt; programs</span> or \
             <a href=\"https:&#x2f;&#x2f;example.org&#x2f;cs?a=1&amp;b=2\">CS programs</a> &amp; \
             <span class=\"link-pending\">more</span>."
        );
    }
}
