//! Publishing approved guides to the CMS (Strapi 5).
//!
//! 1. **Gate** ([`gate`]): only `status: approved` guides without error-level
//!    findings from `check` go out; the rest are listed with the reason.
//! 0. **Model** ([`resolve_model`]): the content type and its components as
//!    the CMS describes them (content-type-builder); the `[cms.fields]`
//!    mapping ([`mapping`]) is checked against them and the guide schema.
//!    A mapping that does not fit stops here, before any write.
//! 2. **Remote state** ([`fetch_remote`]): the CMS's documents, read once
//!    per run, 100 per request, selecting only the managed fields (the
//!    command lists the published versions with [`list_published`] while
//!    it checks the guides).
//! 3. **Plan** ([`plan::plan`]): create / update / unchanged / conflict /
//!    blocked / unpublish / delete, compared by content hash
//!    ([`payload`]). `--dry-run` stops here.
//! 4. **Execute** ([`execute`]): writes go in batches, each checked just
//!    before against the listing in one light request (a document changed
//!    since is re-read in full; prune writes always are), creates are
//!    find-or-create by slug, a write whose answer is lost is re-read before
//!    it is sent again, failures are per guide. An answer of unexpected
//!    shape, or a CMS refusing connections guide after guide, stops the run.
//!
//! `--prune` never deletes what a repository file may own ([`Claims`]).

pub mod config;
pub mod execute;
pub mod gate;
pub mod mapping;
pub mod payload;
pub mod plan;
pub mod proxy;
pub mod pull;
pub mod render;
pub mod secret;
pub mod strapi;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde::Serialize;

pub use config::CmsConfig;
pub use plan::{Action, Claims, LocalGuide, Outcome, PlanEntry, PlanOptions, RemoteState};
pub use secret::Secret;
pub use strapi::{CmsError, RemoteDoc, StrapiClient, Version};

/// Reads the API token from the variable named in `[cms] token_env`.
///
/// Blanks around the value are dropped (a secret filled from a file often
/// ends with a line break); an unset, blank or multi-line value is an error
/// that says which of these it is, without printing the value.
pub fn token_from_env(config: &CmsConfig) -> Result<Secret, CmsError> {
    let name = &config.token_env;
    let invalid = |problem: &str| CmsError::InvalidToken {
        name: name.clone(),
        problem: problem.to_owned(),
    };
    let value = match std::env::var(name) {
        Ok(value) => value,
        Err(std::env::VarError::NotPresent) => return Err(CmsError::MissingToken(name.clone())),
        Err(std::env::VarError::NotUnicode(_)) => return Err(invalid("is not valid UTF-8")),
    };
    let value = value.trim();
    if value.is_empty() {
        return Err(CmsError::BlankToken(name.clone()));
    }
    if value.contains(['\n', '\r']) {
        return Err(invalid("holds a line break"));
    }
    if value.chars().any(char::is_control) {
        return Err(invalid("holds a control character"));
    }
    Ok(Secret::new(value))
}

/// The content type's schema from the CMS, with `mapping` checked against
/// it and the guide schema: the client to use (reading and comparing
/// through the mapping, at the type's REST plural) and the schema. A mapping
/// that does not fit is [`CmsError::Mapping`] with every problem.
pub async fn resolve_model(
    client: StrapiClient,
    config: &CmsConfig,
    mut mapping: mapping::Mapping,
    guide_schema: Option<&serde_json::Value>,
) -> Result<(StrapiClient, mapping::check::CmsSchema), CmsError> {
    let schema = client.content_type_schema(&config.content_type).await?;
    let problems = mapping::check::check(&mapping, &schema, guide_schema);
    if !problems.is_empty() {
        return Err(CmsError::Mapping {
            uid: schema.uid.clone(),
            problems: problems.iter().map(ToString::to_string).collect(),
        });
    }
    mapping.learn_empty_values(&schema.attributes);
    let client = client.with_model(std::sync::Arc::new(mapping), &schema.plural);
    Ok((client, schema))
}

/// The guide JSON Schema at `schema` (relative to `root`, or built in when
/// the file is missing), for the mapping check; `None` when it cannot be read.
pub fn guide_schema(root: &std::path::Path, schema: &std::path::Path) -> Option<serde_json::Value> {
    let bytes = std::fs::read(root.join(schema))
        .ok()
        .or_else(|| crate::builtin::read(&schema.to_string_lossy().replace('\\', "/")))?;
    serde_json::from_slice(&bytes).ok()
}

/// Lists what the plan needs, once: the versions this run writes, with
/// their managed fields, and the drafts whenever anything is to be written
/// or pruned (a guide may exist only as a draft, so a create never
/// duplicates one, and an update is guarded on the draft too). A rerun with
/// nothing changed reads only the published versions.
///
/// `published`: the published versions when they were listed already
/// ([`list_published`], run while the guides were being checked).
pub async fn fetch_remote(
    client: &StrapiClient,
    local: &[LocalGuide],
    options: PlanOptions,
    published: Option<Vec<RemoteDoc>>,
) -> Result<RemoteState, CmsError> {
    if options.draft {
        let drafts = client.list(Version::Draft, true).await?;
        return Ok(RemoteState::from_lists(Vec::new(), Some(drafts)));
    }
    let published = match published {
        Some(published) => published,
        None => list_published(client).await?,
    };
    let listed: HashMap<&str, Option<&str>> = published
        .iter()
        .map(|d| (d.slug(), d.content_hash.as_deref()))
        .collect();
    let writes = local.iter().any(|g| {
        let Some(payload) = g.payload.as_ref().filter(|_| g.blocked.is_none()) else {
            return false;
        };
        listed.get(g.slug.as_str()).copied().flatten() != Some(payload.hash())
    });
    let drafts = if options.prune || writes {
        Some(client.list(Version::Draft, true).await?)
    } else {
        None
    };
    Ok(RemoteState::from_lists(published, drafts))
}

/// The published versions with their managed fields, as [`fetch_remote`]
/// lists them: what every run but `--draft` reads first, whatever the
/// guides are, so the command can list them while it checks the guides.
pub async fn list_published(client: &StrapiClient) -> Result<Vec<RemoteDoc>, CmsError> {
    client.list(Version::Published, true).await
}

/// A whole run, as reported.
#[derive(Debug, Clone, Serialize)]
pub struct PublishReport {
    /// The CMS's base URL.
    pub cms: String,
    /// `--dry-run`: nothing was written.
    pub dry_run: bool,
    /// `--draft`: drafts only.
    pub draft: bool,
    /// Every guide and CMS document considered, by slug.
    pub entries: Vec<PlanEntry>,
    /// GET requests sent.
    pub reads: usize,
    /// POST/PUT/DELETE requests sent.
    pub writes: usize,
    /// Wall time in seconds.
    pub seconds: f64,
    /// A failure that stopped the run (bad token), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fatal: Option<String>,
}

impl PublishReport {
    /// Whether anything failed: exit 1.
    pub fn failed(&self) -> bool {
        self.fatal.is_some() || self.entries.iter().any(PlanEntry::is_failure)
    }
}

/// Everything `guidepress publish` does after the gate.
pub struct PublishJob {
    /// The client.
    pub client: std::sync::Arc<StrapiClient>,
    /// The guides, after the gate.
    pub local: Vec<LocalGuide>,
    /// Planning options.
    pub plan: PlanOptions,
    /// Stop after planning.
    pub dry_run: bool,
    /// Entries written at once.
    pub concurrency: usize,
    /// Testing aid (see [`execute::ExecuteOptions`]).
    pub pause_after_writes: Option<usize>,
    /// Fill each create's and update's [`PlanEntry::request`] (the request
    /// it sends first), for `publish --dry-run --show-requests`.
    pub show_requests: bool,
    /// The CMS's base URL, for the report.
    pub cms: String,
    /// The published versions, when listed already ([`list_published`]).
    pub published: Option<Vec<RemoteDoc>>,
}

impl PublishJob {
    /// Lists the CMS, plans, calls `on_plan` with the plan, then (unless a
    /// dry run) carries it out. `Err` only when the CMS could not be listed.
    pub async fn run(
        self,
        on_plan: impl FnOnce(&[PlanEntry]),
        events: Option<execute::EventFn>,
    ) -> Result<PublishReport, CmsError> {
        let started = Instant::now();
        let published = if self.plan.draft {
            None
        } else {
            self.published
        };
        let remote = fetch_remote(&self.client, &self.local, self.plan, published).await?;
        let mut entries = plan::plan(&self.local, &remote, self.plan);
        let options = execute::ExecuteOptions {
            draft: self.plan.draft,
            force: self.plan.force,
            concurrency: self.concurrency,
            pause_after_writes: self.pause_after_writes,
        };
        if self.show_requests {
            for entry in &mut entries {
                entry.request = execute::first_request(&self.client, entry, &options);
            }
        }
        on_plan(&entries);
        let mut fatal = None;
        if !self.dry_run {
            fatal = execute::execute(
                std::sync::Arc::clone(&self.client),
                &mut entries,
                &remote,
                plan::Claims::of(&self.local),
                options,
                events,
            )
            .await;
        }
        let counts = self.client.counts();
        Ok(PublishReport {
            cms: self.cms,
            dry_run: self.dry_run,
            draft: self.plan.draft,
            entries,
            reads: counts.reads(),
            writes: counts.writes(),
            seconds: round_ms(started.elapsed()),
            fatal: fatal.map(|e| e.to_string()),
        })
    }
}

fn round_ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1000.0).round() / 1000.0
}
