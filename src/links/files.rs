//! Link checks over loaded content files: the link stage of the pipeline
//! (findings added to each [`crate::document::LoadedFile`] of a report).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::config::LinksConfig;
use super::diagnose;
use super::extract::{Citation, extract};
use super::progress::Progress;
use super::run::{LinksError, LinksReport, RunOptions, check_blocking};
use crate::document::LoadedFile;
use crate::file_kind::FileKind;
use crate::load::{LoadLimits, SpanIndex};
use crate::results::CheckReport;
use crate::source::SourceFile;

/// Every citation in a loaded file (none when it could not be parsed): a
/// Markdown page's links, or a content file's URL fields and prose.
pub fn citations_of(file: &LoadedFile) -> Vec<Citation> {
    if crate::file_kind::is_markdown(&file.source.path) && file.diagnostics.is_empty() {
        return super::markdown::extract(&file.source.text);
    }
    match &file.value {
        Some(value) => extract(value, file.spans(), &file.source.text),
        None => Vec::new(),
    }
}

/// Where the cache file is for `config`, relative paths starting at `root`
/// (the folder of `guidepress.toml`); `None` when caching is off.
pub fn cache_path(config: &LinksConfig, root: &Path) -> Option<PathBuf> {
    config.cache.then(|| root.join(&config.cache_path))
}

/// Checks the links of every file of `report`, adding the findings to each
/// file (and a file entry for the cache file when it has a problem).
pub fn check_report(
    report: &mut CheckReport,
    options: &RunOptions,
    cwd: &Path,
    progress: Arc<dyn Progress>,
) -> Result<LinksReport, LinksError> {
    let citations: Vec<Vec<Citation>> = report.files.iter().map(citations_of).collect();
    let links = check_blocking(&citations, options, progress)?;
    for (file, found) in report.files.iter_mut().zip(&links.diagnostics) {
        let mut found = found.clone();
        diagnose::fit_fixes(file, &mut found);
        file.diagnostics.extend(found);
    }
    // One file entry per file with a problem (the cache, its key).
    let mut paths: Vec<&Path> = links.cache_problems.iter().map(|p| p.path()).collect();
    paths.dedup();
    for path in paths {
        let display = path.strip_prefix(cwd).unwrap_or(path);
        let mut entry = LoadedFile::new(
            SourceFile::new(display, String::new()),
            FileKind::Other,
            None,
            Some(SpanIndex::default()),
            LoadLimits::default(),
        );
        entry.diagnostics = links
            .cache_problems
            .iter()
            .filter(|p| p.path() == path)
            .map(diagnose::for_cache)
            .collect();
        report.files.push(entry);
    }
    report.sort();
    Ok(links)
}
