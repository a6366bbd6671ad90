//! What `publish` and `pull` share: the CMS client of the configuration,
//! its `[cms.fields]` mapping located in `guidepress.toml`, and the guide
//! schema the mapping is checked against.

use std::sync::Arc;

use anyhow::Result;
use guidepress::config::{FileKind, LoadedConfig};
use guidepress::publish::mapping::{Mapping, Origin};
use guidepress::publish::{self, CmsConfig, StrapiClient};

use super::GlobalArgs;

/// A client for `cms` with the token of its `token_env`; `-v` logs requests.
pub fn client(global: &GlobalArgs, cms: &CmsConfig) -> Result<StrapiClient> {
    let token = publish::token_from_env(cms)?;
    let log: Option<publish::strapi::LogFn> =
        (global.verbose > 0).then(|| Arc::new(|line: &str| eprintln!("guidepress: {line}")) as _);
    Ok(StrapiClient::new(cms, &token, log)?)
}

/// The mapping of the configuration's `[cms]` (the built-in one without
/// `[cms.fields]`), with its file's text for line numbers in errors.
pub fn mapping(config: &LoadedConfig) -> Mapping {
    let fields = config.config.cms.fields.as_ref();
    let origin = match (&config.path, fields) {
        (Some(path), Some(_)) => match std::fs::read_to_string(path) {
            Ok(text) => Origin::Config {
                path: path.file_name().map_or_else(
                    || path.display().to_string(),
                    |name| name.to_string_lossy().into_owned(),
                ),
                text,
            },
            Err(_) => Origin::Unlocated,
        },
        _ => Origin::Unlocated,
    };
    Mapping::of_config(fields, origin)
}

/// The first `kind = "guide"` schema entry's glob and schema.
fn guide_entry(config: &LoadedConfig) -> Option<&guidepress::config::SchemaMapping> {
    config
        .config
        .schemas
        .iter()
        .find(|s| s.kind == FileKind::Guide)
}

/// The guide JSON Schema (on disk or built in), if it can be read.
pub fn guide_schema(config: &LoadedConfig) -> Option<serde_json::Value> {
    publish::guide_schema(&config.root, &guide_entry(config)?.schema)
}

/// The glob of the guide files (`content/guides/*.yaml`).
pub fn guide_files(config: &LoadedConfig) -> Option<&str> {
    guide_entry(config).map(|entry| entry.files.as_str())
}
