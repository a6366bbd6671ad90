//! The documentation site's generated pages: written at build time from the
//! code they describe, so they cannot drift from it (`scripts/docs.sh` runs
//! `guidepress docs generate OUTDIR` before MkDocs builds the site).
//!
//! - [`rules`]: a page per diagnostic code (`rules/GP604.md`), from the
//!   code's own documentation (what `guidepress rule CODE` prints) and its
//!   row of the code table, plus the index of every code;
//! - [`config`]: the configuration reference, from the JSON Schema of
//!   `guidepress.toml`;
//! - [`cli`]: the command-line reference, from the clap definition of the
//!   binary (as `guidepress man` is).

pub mod cli;
pub mod config;
pub mod rules;

use std::path::{Path, PathBuf};

/// Why the pages could not be written.
#[derive(Debug, thiserror::Error)]
pub enum DocsError {
    /// A page or its folder could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The page.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// One generated page: where it goes under the site's source folder, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The path under the site's source folder, `/`-separated (`rules/GP604.md`).
    pub path: String,
    /// The Markdown text.
    pub text: String,
}

/// Every generated page: the code pages and their index, the configuration
/// reference and the command-line reference of `command` (the binary's clap
/// definition).
pub fn pages(command: &clap::Command) -> Vec<Page> {
    let mut pages = rules::pages();
    pages.push(config::page(&crate::config::Config::json_schema()));
    pages.push(cli::page(command));
    pages
}

/// Writes [`pages`] under `out_dir` (creating folders as needed) and returns
/// the paths written.
pub fn write(out_dir: &Path, command: &clap::Command) -> Result<Vec<PathBuf>, DocsError> {
    let mut written = Vec::new();
    for page in pages(command) {
        let path = out_dir.join(&page.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| DocsError::Write {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        std::fs::write(&path, page.text).map_err(|source| DocsError::Write {
            path: path.clone(),
            source,
        })?;
        written.push(path);
    }
    Ok(written)
}

/// Markdown-safe text outside code spans: `<` and `>` would otherwise be read
/// as HTML (`<FILE>`), `|` would end a table cell. Code spans are kept as
/// written, except that a `|` in them is escaped for tables.
pub(crate) fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    for c in text.chars() {
        match c {
            '`' => {
                in_code = !in_code;
                out.push(c);
            }
            '|' => out.push_str("\\|"),
            '<' if !in_code => out.push_str("&lt;"),
            '>' if !in_code => out.push_str("&gt;"),
            '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_outside_code_is_escaped_and_code_kept() {
        assert_eq!(
            escape_text("a <FILE> `<x>` | b\nc"),
            "a &lt;FILE&gt; `<x>` \\| b c"
        );
    }
}
