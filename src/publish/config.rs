//! `[cms]` in `guidepress.toml`: where guides are published and how.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::mapping::FieldSource;

/// The CMS products guidepress can publish to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum CmsKind {
    /// Strapi 5 (REST API, draft & publish).
    #[default]
    Strapi,
}

/// `[cms]`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct CmsConfig {
    /// Which CMS (only `strapi`).
    pub kind: CmsKind,
    /// Base URL of the CMS, without `/api` (default `http://127.0.0.1:1337`).
    pub base_url: String,
    /// The content type: its UID (`api::guide.guide`) or its REST plural
    /// (default `guides`: `/api/guides`); either is looked up in the CMS's
    /// content-type-builder before publishing or pulling.
    pub content_type: String,
    /// Name of the environment variable holding the API token (default `GUIDEPRESS_CMS_TOKEN`).
    pub token_env: String,
    /// Guides written at the same time (default 4).
    pub concurrency: usize,
    /// Seconds to wait for a connection (default 10).
    pub connect_timeout_secs: u64,
    /// Seconds to wait for a whole request (default 30).
    pub request_timeout_secs: u64,
    /// Retries after a failed request (5xx, 429, connection error, timeout; default 4).
    pub retries: u32,
    /// Allow plain `http://` to a host other than loopback (default false).
    pub allow_insecure_http: bool,
    /// Also require the link checks to pass before publishing (default false).
    pub require_links_ok: bool,
    /// The proxy the CMS client uses (`http://proxy.corp:3128`). Unset: no
    /// proxy, whatever `HTTP_PROXY`, `HTTPS_PROXY` or `ALL_PROXY` say. Never
    /// used for a loopback CMS.
    pub proxy: Option<String>,
    /// Bytes of one CMS answer read at most; a longer answer is an error (default 64 MiB).
    pub max_response_bytes: usize,
    /// How a guide's values become the content type's attributes: CMS
    /// attribute = JSON pointer into the guide (`"/title"`), or a component
    /// table `{ from = "/pointer", fields = { ... } }`. Unset: the mapping of
    /// the shipped Strapi's guide type (written out in the bundled
    /// guidepress.toml).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, FieldSource>>,
}

impl Default for CmsConfig {
    fn default() -> Self {
        CmsConfig {
            kind: CmsKind::Strapi,
            base_url: "http://127.0.0.1:1337".into(),
            content_type: "guides".into(),
            token_env: "GUIDEPRESS_CMS_TOKEN".into(),
            concurrency: 4,
            connect_timeout_secs: 10,
            request_timeout_secs: 30,
            retries: 4,
            allow_insecure_http: false,
            require_links_ok: false,
            proxy: None,
            max_response_bytes: 64 * 1024 * 1024,
            fields: None,
        }
    }
}
