//! Which files to check and which schema applies to each.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::GlobMatcher;

use crate::config::LoadedConfig;
use crate::file_kind::FileKind;
use crate::load::LoadLimits;
use crate::validate::{Schema, SchemaLoadError};

/// Why the set of files or schemas could not be made.
#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    /// A schema failed to load or compile.
    #[error(transparent)]
    Schema(#[from] SchemaLoadError),
    /// A glob in the configuration is invalid.
    #[error("invalid glob `{glob}` in the configuration: {message}")]
    Glob {
        /// The pattern.
        glob: String,
        /// What is wrong.
        message: String,
    },
    /// A path given on the command line does not exist.
    #[error("no such file or folder: {0}")]
    Missing(PathBuf),
    /// A configured content root does not exist or is not a folder.
    #[error(
        "the content root {0} does not exist or is not a folder (check `[content] roots` in guidepress.toml)"
    )]
    MissingRoot(PathBuf),
    /// A folder could not be listed.
    #[error("cannot list {path}")]
    List {
        /// The folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// A file to check.
#[derive(Debug, Clone)]
pub struct Target {
    /// Where to read it.
    pub path: PathBuf,
    /// How to show it (relative to the working directory when possible).
    pub display: PathBuf,
    /// The schema that applies, if any.
    pub schema: Option<Arc<Schema>>,
    /// What the file is.
    pub kind: FileKind,
    /// Why the file is listed but must not be read (a symbolic link leading
    /// outside the repository, or to nothing); reported once, as a finding.
    pub skip: Option<String>,
}

struct SchemaRule {
    matcher: GlobMatcher,
    schema: Arc<Schema>,
    kind: FileKind,
}

/// The configuration with its schemas compiled.
pub struct Workspace {
    /// The loaded configuration.
    pub config: LoadedConfig,
    /// The working directory, for display paths.
    pub cwd: PathBuf,
    rules: Vec<SchemaRule>,
    exclude: Vec<GlobMatcher>,
    schema_override: Option<Arc<Schema>>,
}

fn glob(pattern: &str) -> Result<GlobMatcher, WorkspaceError> {
    crate::glob::matcher(pattern).map_err(|e| WorkspaceError::Glob {
        glob: e.pattern,
        message: e.message,
    })
}

/// The embedded schema that stands in for `schema` (a configured path,
/// relative to the configuration's folder): when the repository has no such
/// file and the binary embeds one at that path (`schemas/guide.schema.json`,
/// `schemas/author.schema.json`). A file in the repository always wins.
fn builtin_stand_in(config: &LoadedConfig, schema: &Path) -> Option<String> {
    let relative = schema.to_str()?.replace('\\', "/");
    let relative = relative.trim_start_matches("./").to_owned();
    (!config.root.join(schema).exists() && crate::builtin::contains(&relative)).then_some(relative)
}

/// Where each configured schema comes from, without compiling any: the
/// `[[schemas]]` glob and the file (relative to the configuration's folder)
/// or `schemas/guide.schema.json (built in)`. For `config --show` and `check -v`.
pub fn schema_origins(config: &LoadedConfig) -> Vec<(String, String)> {
    config
        .config
        .schemas
        .iter()
        .map(|mapping| {
            let origin = match builtin_stand_in(config, &mapping.schema) {
                Some(relative) => format!("{relative} ({})", crate::builtin::ORIGIN),
                None => mapping.schema.display().to_string(),
            };
            (mapping.files.clone(), origin)
        })
        .collect()
}

impl Workspace {
    /// Compiles every configured schema (once per run), or only `schema_override` when given.
    pub fn open(
        config: LoadedConfig,
        cwd: &Path,
        schema_override: Option<&Path>,
    ) -> Result<Self, WorkspaceError> {
        let schema_override = schema_override
            .map(|path| Schema::load(path).map(Arc::new))
            .transpose()?;
        let mut rules = Vec::new();
        if schema_override.is_none() {
            let mut compiled: Vec<(PathBuf, Arc<Schema>)> = Vec::new();
            for mapping in &config.config.schemas {
                let path = config.root.join(&mapping.schema);
                let schema = match compiled.iter().find(|(p, _)| *p == path) {
                    Some((_, schema)) => Arc::clone(schema),
                    None => {
                        let schema = match builtin_stand_in(&config, &mapping.schema) {
                            Some(relative) => {
                                Schema::built_in(&relative).expect("the stand-in is embedded")?
                            }
                            None => Schema::load(&path)?,
                        };
                        let schema = Arc::new(schema);
                        compiled.push((path, Arc::clone(&schema)));
                        schema
                    }
                };
                rules.push(SchemaRule {
                    matcher: glob(&mapping.files)?,
                    schema,
                    kind: mapping.kind,
                });
            }
        }
        let exclude = config
            .config
            .content
            .exclude
            .iter()
            .map(|p| glob(p))
            .collect::<Result<_, _>>()?;
        Ok(Workspace {
            config,
            cwd: cwd.to_owned(),
            rules,
            exclude,
            schema_override,
        })
    }

    /// The reading limits.
    pub fn limits(&self) -> LoadLimits {
        self.config.config.limits.into()
    }

    /// The files named by `paths` (folders searched for `.yaml`/`.yml`), or every
    /// content file under the configured roots when `paths` is empty. Sorted, no duplicates.
    pub fn targets(&self, paths: &[PathBuf]) -> Result<Vec<Target>, WorkspaceError> {
        let mut files = Vec::new();
        let mut walk = Walk::new(&self.config.root);
        if paths.is_empty() {
            for root in &self.config.config.content.roots {
                let dir = self.config.root.join(root);
                if !dir.is_dir() {
                    return Err(WorkspaceError::MissingRoot(dir));
                }
                walk.collect_yaml(&dir, &mut files)?;
            }
        } else {
            for path in paths {
                let path = if path.is_absolute() {
                    path.clone()
                } else {
                    self.cwd.join(path)
                };
                if path.is_dir() {
                    walk.collect_yaml(&path, &mut files)?;
                } else if path.exists() {
                    // A regular file, or a FIFO or device: reading it says why not.
                    files.push(path);
                } else {
                    return Err(WorkspaceError::Missing(path));
                }
            }
        }
        files.sort();
        files.dedup();
        let mut skipped = walk.skipped;
        Ok(files
            .into_iter()
            .filter(|path| !self.is_excluded(path))
            .map(|path| {
                let skip = skipped.remove(&path);
                Target {
                    skip,
                    ..self.target(path)
                }
            })
            .collect())
    }

    fn relative_to_root<'p>(&self, path: &'p Path) -> &'p Path {
        path.strip_prefix(&self.config.root).unwrap_or(path)
    }

    /// True when `[content] exclude` leaves `path` out.
    pub fn is_excluded(&self, path: &Path) -> bool {
        let relative = self.relative_to_root(path);
        self.exclude.iter().any(|m| m.is_match(relative))
    }

    /// Why `path` must not be read, as the content walk says it: it leads
    /// (through a symbolic link, or `..`) outside the repository, or it is a
    /// link to nothing. `None` for a path inside, or one that does not exist.
    pub fn outside_reason(&self, path: &Path) -> Option<String> {
        let root =
            std::fs::canonicalize(&self.config.root).unwrap_or_else(|_| self.config.root.clone());
        match std::fs::canonicalize(path) {
            Ok(real) if real.starts_with(&root) => None,
            Ok(real) if path.is_symlink() => Some(format!(
                "a symbolic link to {}, outside the repository",
                real.display()
            )),
            Ok(real) => Some(format!("{}, outside the repository", real.display())),
            Err(_) if path.is_symlink() => Some("a symbolic link to nothing".to_owned()),
            Err(_) => None,
        }
    }

    /// The target for one file, marked not to be read (see
    /// [`Target::skip`]) when it leads outside the repository: what a file
    /// named by an editor or a watcher gets, so that nothing outside is read.
    pub fn confined_target(&self, path: PathBuf) -> Target {
        let skip = self.outside_reason(&path);
        Target {
            skip,
            ..self.target(path)
        }
    }

    /// The target for one file: its schema and kind from the first matching `[[schemas]]` entry.
    pub fn target(&self, path: PathBuf) -> Target {
        let display = path
            .strip_prefix(&self.cwd)
            .map_or_else(|_| path.clone(), Path::to_path_buf);
        if let Some(schema) = &self.schema_override {
            return Target {
                path,
                display,
                schema: Some(Arc::clone(schema)),
                kind: FileKind::Other,
                skip: None,
            };
        }
        let relative = self.relative_to_root(&path);
        let rule = self.rules.iter().find(|r| r.matcher.is_match(relative));
        Target {
            display,
            schema: rule.map(|r| Arc::clone(&r.schema)),
            kind: rule.map_or(FileKind::Other, |r| r.kind),
            path,
            skip: None,
        }
    }
}

/// Why a path may not be read: what it really is lies outside every allowed
/// folder, or it leads nowhere (a dangling symbolic link).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Escape {
    /// Its real path (links followed) is outside the allowed folders.
    Outside {
        /// The real path.
        target: PathBuf,
        /// Whether it is a folder.
        is_dir: bool,
    },
    /// It cannot be resolved (a link to nothing, or a loop).
    Nothing,
}

impl Escape {
    /// Why a symbolic link is not followed, as findings and errors say it:
    /// "a symbolic link to /etc, outside the repository".
    pub fn link_reason(&self) -> String {
        match self {
            Escape::Outside { target, .. } => format!(
                "a symbolic link to {}, outside the repository",
                target.display()
            ),
            Escape::Nothing => "a symbolic link to nothing".to_owned(),
        }
    }
}

/// The containment rule for everything read from a repository: `path`'s
/// real location (every symbolic link followed) and its metadata, when that
/// lies inside one of `roots` (canonical paths, such as the repository's
/// root); else why not. The content walk follows a link only when this
/// allows it; preview templates are read only when it does.
pub fn contained(path: &Path, roots: &[&Path]) -> Result<(PathBuf, std::fs::Metadata), Escape> {
    let (Ok(target), Ok(meta)) = (std::fs::canonicalize(path), std::fs::metadata(path)) else {
        return Err(Escape::Nothing);
    };
    if roots.iter().any(|root| target.starts_with(root)) {
        Ok((target, meta))
    } else {
        Err(Escape::Outside {
            target,
            is_dir: meta.is_dir(),
        })
    }
}

/// A folder walk: follows symbolic links that stay inside the repository
/// (each folder once, so a link cycle ends), and lists every other link to a
/// YAML file (or folder) with the reason it is not read.
struct Walk {
    root: PathBuf,
    seen: std::collections::HashSet<PathBuf>,
    skipped: std::collections::HashMap<PathBuf, String>,
}

fn is_yaml(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}

impl Walk {
    fn new(root: &Path) -> Self {
        Walk {
            root: std::fs::canonicalize(root).unwrap_or_else(|_| root.to_owned()),
            seen: std::collections::HashSet::new(),
            skipped: std::collections::HashMap::new(),
        }
    }

    fn skip(&mut self, path: PathBuf, reason: String, out: &mut Vec<PathBuf>) {
        self.skipped.insert(path.clone(), reason);
        out.push(path);
    }

    fn collect_yaml(&mut self, dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), WorkspaceError> {
        let mut pending = vec![dir.to_owned()];
        while let Some(dir) = pending.pop() {
            if let Ok(real) = std::fs::canonicalize(&dir) {
                if !self.seen.insert(real) {
                    continue;
                }
            }
            let entries = std::fs::read_dir(&dir).map_err(|source| WorkspaceError::List {
                path: dir.clone(),
                source,
            })?;
            for entry in entries.flatten() {
                let path = entry.path();
                let hidden = entry.file_name().to_string_lossy().starts_with('.');
                let Ok(file_type) = entry.file_type() else {
                    continue;
                };
                if file_type.is_symlink() {
                    if hidden {
                        continue;
                    }
                    match contained(&path, &[&self.root]) {
                        Ok((_, meta)) => {
                            if meta.is_dir() {
                                pending.push(path);
                            } else if is_yaml(&path) {
                                // Not a regular file: listed, so reading it says why not.
                                out.push(path);
                            }
                        }
                        Err(escape @ Escape::Outside { is_dir, .. })
                            if is_dir || is_yaml(&path) =>
                        {
                            self.skip(path, escape.link_reason(), out);
                        }
                        Err(escape @ Escape::Nothing) if is_yaml(&path) => {
                            self.skip(path, escape.link_reason(), out);
                        }
                        Err(_) => {}
                    }
                } else if file_type.is_dir() && !hidden {
                    pending.push(path);
                } else if !file_type.is_dir() && is_yaml(&path) {
                    // A FIFO, device or socket too: reading it reports it.
                    out.push(path);
                }
            }
        }
        Ok(())
    }
}
