//! `guidepress.toml`: where content lives, which schema applies to which
//! files, and limits. Strict: an unknown key is an error with its location.
//! Without a file, the defaults fit the layout `content/guides/*.yaml`,
//! `content/authors/*.yaml`, `schemas/*.schema.json`.

// A configuration error happens at most once per run and carries the file text
// for its diagnostic: its size does not matter.
#![allow(clippy::result_large_err)]

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use crate::file_kind::FileKind;
use crate::links::LinksConfig;
use crate::load::LoadLimits;

/// The file name looked for, walking up from the working directory.
pub const CONFIG_FILE: &str = "guidepress.toml";

/// The whole configuration.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Where content lives.
    pub content: ContentConfig,
    /// Which schema applies to which files; the first matching entry wins.
    pub schemas: Vec<SchemaMapping>,
    /// Limits for reading files.
    pub limits: LimitsConfig,
    /// Source link verification (`guidepress links`, `check --links`).
    pub links: LinksConfig,
    /// Fact rules: severities, editors, ages.
    pub rules: crate::rules::RulesConfig,
    /// Where and how approved guides are published.
    pub cms: crate::publish::config::CmsConfig,
    /// The official data guides are checked against (`GP6xx`).
    pub data: crate::data::DataConfig,
    /// `guidepress preview`: templates and the server's port.
    pub preview: PreviewConfig,
    /// Prose checks (`GP7xx`): prose fields, words file, dictionary, house terms.
    pub prose: crate::prose::ProseConfig,
    /// How findings are reported.
    pub output: OutputConfig,
}

/// `[output]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct OutputConfig {
    /// The documentation link of a code in Markdown, SARIF, rdjson and
    /// language-server output and in `guidepress rule`: a URL template with
    /// `{code}`, `{code_lower}`, `{version}`, `{site}`, `{repository}` and
    /// `{path}`. Unset: the code's page on the documentation site for this
    /// version, `{site}/{version}/rules/{code}/`; `""` for no links.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docs_url: Option<String>,
}

/// `[preview]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PreviewConfig {
    /// Folder of templates (relative to the config's folder) that replace or
    /// add to the built-in ones by file name; none: the built-in ones only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub templates: Option<PathBuf>,
    /// Port of `preview --serve` on 127.0.0.1.
    pub port: u16,
}

impl Default for PreviewConfig {
    fn default() -> Self {
        PreviewConfig {
            templates: None,
            port: 4747,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            content: ContentConfig::default(),
            schemas: vec![
                SchemaMapping {
                    files: "content/guides/*.yaml".into(),
                    schema: "schemas/guide.schema.json".into(),
                    kind: FileKind::Guide,
                },
                SchemaMapping {
                    files: "content/authors/*.yaml".into(),
                    schema: "schemas/author.schema.json".into(),
                    kind: FileKind::Author,
                },
            ],
            limits: LimitsConfig::default(),
            links: LinksConfig::default(),
            rules: crate::rules::RulesConfig::default(),
            cms: Default::default(),
            data: Default::default(),
            preview: PreviewConfig::default(),
            prose: crate::prose::ProseConfig::default(),
            output: OutputConfig::default(),
        }
    }
}

/// `[content]`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ContentConfig {
    /// Folders searched when no paths are given (relative to the config's folder).
    pub roots: Vec<PathBuf>,
    /// Folder of author files, used to resolve author references.
    pub authors: PathBuf,
    /// Glob patterns (relative to the config's folder) of files never checked.
    pub exclude: Vec<String>,
}

impl Default for ContentConfig {
    fn default() -> Self {
        ContentConfig {
            roots: vec![PathBuf::from("content")],
            authors: PathBuf::from("content/authors"),
            exclude: Vec::new(),
        }
    }
}

/// One `[[schemas]]` entry.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SchemaMapping {
    /// Glob of the files (relative to the config's folder), e.g. `content/guides/*.yaml`.
    pub files: String,
    /// The JSON Schema file (relative to the config's folder).
    pub schema: PathBuf,
    /// What the files are, which decides the fact rules that apply.
    #[serde(default)]
    pub kind: FileKind,
}

/// `[limits]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct LimitsConfig {
    /// Largest file read, in bytes (default 1 MiB, at most 64 MiB).
    #[schemars(range(max = 67_108_864))]
    pub max_file_size: u64,
    /// Deepest nesting of mappings and lists (default 64, at most 1000).
    #[schemars(range(min = 1, max = 1000))]
    pub max_depth: usize,
    /// Most nodes aliases may add by expansion in one file (default 10,000, at most 1,000,000).
    #[schemars(range(max = 1_000_000))]
    pub max_alias_nodes: usize,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        let limits = LoadLimits::default();
        LimitsConfig {
            max_file_size: limits.max_file_size,
            max_depth: limits.max_depth,
            max_alias_nodes: limits.max_alias_nodes,
        }
    }
}

impl From<LimitsConfig> for LoadLimits {
    fn from(limits: LimitsConfig) -> Self {
        LoadLimits {
            max_file_size: limits.max_file_size,
            max_depth: limits.max_depth,
            max_alias_nodes: limits.max_alias_nodes,
        }
    }
}

/// A configuration that could not be used. Displayed with its location.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read {path}")]
    #[diagnostic(code(config::read))]
    Read {
        /// The config path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not valid, or has an unknown key or a wrong value.
    #[error("invalid configuration in {path}: {message}")]
    #[diagnostic(
        code(config::invalid),
        help("see the Configuration section of the README for every key")
    )]
    Invalid {
        /// The config path.
        path: PathBuf,
        /// What is wrong.
        message: String,
        /// The file text.
        #[source_code]
        source_code: miette::NamedSource<String>,
        /// Where.
        #[label("here")]
        span: Option<miette::SourceSpan>,
    },
}

/// A configuration and the folder its relative paths start from.
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    /// The settings.
    pub config: Config,
    /// The folder holding `guidepress.toml` (or the working directory without one).
    pub root: PathBuf,
    /// The file read, if any.
    pub path: Option<PathBuf>,
}

impl LoadedConfig {
    /// The fact rules' settings from `[rules]`, with `today` as the date and
    /// the official data of `[data]` (its folder is listed; no snapshot is
    /// read until a guide needs one).
    pub fn rule_settings(
        &self,
        cwd: &Path,
        today: crate::rules::Date,
    ) -> Result<crate::rules::RuleSettings, crate::rules::RulesError> {
        let mut settings = crate::rules::RuleSettings::new(
            &self.config.rules,
            &self.root,
            &self.config.content.authors,
            cwd,
            today,
        )?;
        settings.context.data = crate::data::DataStore::open(&self.config.data, &self.root, cwd)?
            .map(std::sync::Arc::new);
        settings.context.projections =
            crate::data::projections::ProjectionStore::open(&self.config.data, &self.root, cwd)?
                .map(std::sync::Arc::new);
        settings.context.prose = self.prose().map(std::sync::Arc::new);
        Ok(settings)
    }

    /// The prose checks' settings (`[prose]`), with the prose fields the guide
    /// schemas mark (`x-prose`); `None` when `[prose]` is off. A schema that
    /// cannot be read marks nothing here (the schema stage reports it).
    pub fn prose(&self) -> Option<crate::prose::Prose> {
        let schemas: Vec<serde_json::Value> = self
            .config
            .schemas
            .iter()
            .filter(|mapping| mapping.kind == FileKind::Guide)
            .filter_map(|mapping| {
                let path = self.root.join(&mapping.schema);
                let bytes = if path.is_file() {
                    crate::fsio::read_regular(&path, crate::validate::MAX_SCHEMA_SIZE).ok()?
                } else {
                    crate::builtin::read(&mapping.schema.to_string_lossy().replace('\\', "/"))?
                };
                serde_json::from_slice(&bytes).ok()
            })
            .collect();
        crate::prose::Prose::open(&self.config.prose, &self.root, &schemas)
    }
}

impl Config {
    /// Parses TOML text; `path` is used in error messages.
    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|error| ConfigError::Invalid {
            path: path.to_owned(),
            message: error.message().to_owned(),
            source_code: miette::NamedSource::new(path.display().to_string(), text.to_owned()),
            span: error.span().map(|r| (r.start, r.end - r.start).into()),
        })?;
        let limits = &config.limits;
        let caps: [(&str, u64, u64, &str); 3] = [
            (
                "max_depth",
                limits.max_depth as u64,
                crate::load::MAX_DEPTH_CAP as u64,
                "deeper values would exhaust the stack of later stages",
            ),
            (
                "max_file_size",
                limits.max_file_size,
                crate::load::MAX_FILE_SIZE_CAP,
                "larger files would exhaust memory while parsed and checked",
            ),
            (
                "max_alias_nodes",
                limits.max_alias_nodes as u64,
                crate::load::MAX_ALIAS_NODES_CAP as u64,
                "larger alias expansions would exhaust memory",
            ),
        ];
        for (name, value, cap, why) in caps {
            if value <= cap {
                continue;
            }
            let span = text
                .find(name)
                .map(|at| (at, text[at..].find('\n').unwrap_or(text.len() - at)).into());
            return Err(ConfigError::Invalid {
                path: path.to_owned(),
                message: format!(
                    "`limits.{name}` is {value}, above the highest allowed value, {cap} ({why})"
                ),
                source_code: miette::NamedSource::new(path.display().to_string(), text.to_owned()),
                span,
            });
        }
        Ok(config)
    }

    /// Reads the file at `path`.
    pub fn read(path: &Path) -> Result<Self, ConfigError> {
        let read = |source| ConfigError::Read {
            path: path.to_owned(),
            source,
        };
        let bytes = crate::fsio::read_regular(path, MAX_CONFIG_SIZE)
            .map_err(|e| read(std::io::Error::other(e.to_string())))?;
        let text = String::from_utf8(bytes).map_err(|e| read(std::io::Error::other(e)))?;
        Self::parse(&text, path)
    }
}

impl Config {
    /// The JSON Schema of `guidepress.toml`, generated from these types (the
    /// committed `schemas/guidepress.schema.json` is kept equal to it by a test).
    pub fn json_schema() -> serde_json::Value {
        let mut schema =
            serde_json::to_value(schemars::schema_for!(Config)).unwrap_or(serde_json::Value::Null);
        if let Some(object) = schema.as_object_mut() {
            object.insert("title".into(), "guidepress.toml".into());
            object.insert(
                "description".into(),
                "Configuration of guidepress (https://guidepress.github.io/guidepress/latest/reference/configuration/).".into(),
            );
        }
        schema
    }

    /// The configuration as TOML with every default filled in, for
    /// `guidepress config --show`. What may hold a secret is replaced by
    /// `[redacted]`: every per-host link header value (headers exist to carry
    /// credentials) and the user information of the CMS and proxy URLs.
    pub fn to_toml_redacted(&self) -> Result<String, toml::ser::Error> {
        let mut shown = self.clone();
        for host in shown.links.hosts.values_mut() {
            for value in host.headers.values_mut() {
                *value = "[redacted]".into();
            }
        }
        if let Some(proxy) = &shown.cms.proxy {
            shown.cms.proxy = Some(crate::net::redact::redact_url_credentials(proxy).into_owned());
        }
        shown.cms.base_url =
            crate::net::redact::redact_url_credentials(&shown.cms.base_url).into_owned();
        toml::to_string(&shown)
    }
}

/// The largest `guidepress.toml` read, in bytes.
pub const MAX_CONFIG_SIZE: u64 = 1024 * 1024;

/// Finds `guidepress.toml` in `start` or a parent, and reads it; defaults when there is none.
pub fn discover(start: &Path) -> Result<LoadedConfig, ConfigError> {
    for dir in start.ancestors() {
        let candidate = dir.join(CONFIG_FILE);
        if candidate.is_file() {
            return Ok(LoadedConfig {
                config: Config::read(&candidate)?,
                root: dir.to_owned(),
                path: Some(candidate),
            });
        }
    }
    Ok(LoadedConfig {
        config: Config::default(),
        root: start.to_owned(),
        path: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_errors_with_a_location() {
        let text = "[limits]\nmax_file_size = 10\nmax_dpth = 3\n";
        let Err(ConfigError::Invalid { span, message, .. }) =
            Config::parse(text, Path::new("g.toml"))
        else {
            panic!("expected an error");
        };
        assert!(message.contains("max_dpth"), "{message}");
        let span = span.expect("a location");
        assert_eq!(&text[span.offset()..span.offset() + span.len()], "max_dpth");
    }

    #[test]
    fn limits_above_their_caps_are_errors() {
        for (key, value) in [
            ("max_depth", "1001"),
            ("max_file_size", "67108865"),
            ("max_alias_nodes", "1000001"),
        ] {
            let text = format!("[limits]\n{key} = {value}\n");
            let error = Config::parse(&text, Path::new("guidepress.toml")).unwrap_err();
            let message = error.to_string() + &format!("{error:?}");
            assert!(
                message.contains(&format!("`limits.{key}` is {value}")),
                "{message}"
            );
        }
        let at_caps =
            "[limits]\nmax_depth = 1000\nmax_file_size = 67108864\nmax_alias_nodes = 1000000\n";
        let config = Config::parse(at_caps, Path::new("guidepress.toml")).unwrap();
        assert_eq!(config.limits.max_file_size, crate::load::MAX_FILE_SIZE_CAP);
        assert_eq!(
            config.limits.max_alias_nodes,
            crate::load::MAX_ALIAS_NODES_CAP
        );
    }

    #[test]
    fn empty_file_means_defaults() {
        assert_eq!(
            Config::parse("", Path::new("g.toml")).unwrap(),
            Config::default()
        );
    }
}
