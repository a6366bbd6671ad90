//! Which targets a change set asks to check: changed content files, every
//! file when a schema, the configuration or the official data changed, and
//! the guides citing a changed author.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::ChangesError;
use super::git::ChangeSet;
use crate::file_kind::FileKind;
use crate::load::{self, ParseOptions};
use crate::workspace::{Target, Workspace};

/// Which targets to check for a change set, and why.
#[derive(Debug, Default)]
pub struct Selection {
    /// The files to check, in the workspace's order.
    pub targets: Vec<Target>,
    /// True when a schema or the configuration changed, so everything is checked.
    pub everything: bool,
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())
}

/// The targets whose result can change because of `changes`: changed content
/// files; every file when a configured schema, the configuration file or a file
/// of the official data (`[data] dir`) changed; the guides that cite an author whose file changed or was deleted.
/// Deleted files themselves are not checked.
pub fn select(workspace: &Workspace, changes: &ChangeSet) -> Result<Selection, ChangesError> {
    let all = workspace.targets(&[])?;
    let root = canonical(&changes.root);
    let relative = |path: &Path| -> Option<String> {
        let path = canonical(path);
        let rel = path.strip_prefix(&root).ok()?;
        Some(rel.to_string_lossy().replace('\\', "/"))
    };
    let config_root = &workspace.config.root;
    let mut global: Vec<PathBuf> = workspace
        .config
        .config
        .schemas
        .iter()
        .map(|m| config_root.join(&m.schema))
        .collect();
    global.push(
        workspace
            .config
            .path
            .clone()
            .unwrap_or_else(|| config_root.join(crate::config::CONFIG_FILE)),
    );
    // A new or changed snapshot of the official data can change any guide's result.
    let data_dir = workspace.config.config.data.dir.as_deref();
    let data_dir = config_root.join(data_dir.unwrap_or(crate::data::config::DEFAULT_DIR.as_ref()));
    let data_changed = relative(&data_dir).is_some_and(|dir| {
        let prefix = format!("{}/", dir.trim_end_matches('/'));
        changes.files.keys().any(|file| file.starts_with(&prefix))
    });
    let everything = data_changed
        || global
            .iter()
            .filter_map(|p| relative(p))
            .any(|p| changes.files.contains_key(&p));
    if everything {
        return Ok(Selection {
            targets: all,
            everything,
        });
    }
    let authors_dir = config_root.join(&workspace.config.config.content.authors);
    let authors_rel = relative(&authors_dir).map(|p| format!("{p}/"));
    let changed_authors: BTreeSet<String> = changes
        .files
        .keys()
        .filter(|path| {
            authors_rel
                .as_deref()
                .is_some_and(|dir| path.starts_with(dir))
                || all.iter().any(|t| {
                    t.kind == FileKind::Author && relative(&t.path).as_deref() == Some(path)
                })
        })
        .filter_map(|path| {
            Path::new(path)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
        })
        .collect();
    let targets = all
        .into_iter()
        .filter(|target| {
            let Some(rel) = relative(&target.path) else {
                return false;
            };
            changes.touched(&rel)
                || (target.kind == FileKind::Guide
                    && !changed_authors.is_empty()
                    && cites_any(target, &changed_authors, workspace))
        })
        .collect();
    Ok(Selection {
        targets,
        everything: false,
    })
}

/// True when the guide's `editorial` block names one of `authors`.
fn cites_any(target: &Target, authors: &BTreeSet<String>, workspace: &Workspace) -> bool {
    let Ok(bytes) = crate::fsio::read_regular(&target.path, workspace.limits().max_file_size)
    else {
        return false;
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return false;
    };
    let parsed = load::parse(
        &text,
        &ParseOptions {
            limits: workspace.limits(),
            track_spans: false,
            single_document: true,
        },
    );
    let Some(editorial) = parsed
        .documents
        .first()
        .and_then(|value| value.get("editorial"))
    else {
        return false;
    };
    let mut pending = vec![editorial];
    while let Some(value) = pending.pop() {
        match value {
            serde_json::Value::String(id) if authors.contains(id) => return true,
            serde_json::Value::Array(items) => pending.extend(items),
            serde_json::Value::Object(map) => pending.extend(map.values()),
            _ => {}
        }
    }
    false
}
