//! `guidepress pull`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use guidepress::escape;
use guidepress::net::redact::redact_url_credentials;
use guidepress::publish::pull::{self, Written};
use guidepress::publish::{self, Version};

use super::GlobalArgs;

/// Read guides from the CMS through the `[cms.fields]` mapping and write them as YAML files.
#[derive(Debug, Args)]
pub struct PullArgs {
    /// Slugs of the guides to pull (default: every document of the content type).
    pub slugs: Vec<String>,
    /// Folder the guides are written to (default: the folder of the guide
    /// files, `content/guides`).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Replace files that already exist (default: only new files are written).
    #[arg(long)]
    pub force: bool,
    /// Read the draft versions instead of the published ones.
    #[arg(long)]
    pub draft: bool,
    /// The CMS base URL, overriding `[cms] base_url`.
    #[arg(long, env = "GUIDEPRESS_CMS_URL", value_name = "URL")]
    pub cms_url: Option<String>,
}

/// Check the mapping, read, write; exit 1 when a slug was not found, a file
/// was kept or a document could not be written.
pub fn run(global: &GlobalArgs, args: PullArgs) -> Result<ExitCode> {
    let workspace = global.open_workspace(None)?;
    let mut cms = workspace.config.config.cms.clone();
    if let Some(url) = &args.cms_url {
        cms.base_url = url.clone();
    }
    let client = super::cms::client(global, &cms)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let guide_schema = super::cms::guide_schema(&workspace.config);
    let result = runtime.block_on(async {
        let (client, schema) = publish::resolve_model(
            client,
            &cms,
            super::cms::mapping(&workspace.config),
            guide_schema.as_ref(),
        )
        .await?;
        let version = if args.draft {
            Version::Draft
        } else {
            Version::Published
        };
        pull::read(
            &client,
            &schema,
            guide_schema.as_ref(),
            version,
            &args.slugs,
        )
        .await
    })?;
    let out = args.out.clone().unwrap_or_else(|| {
        pull::default_out(
            &workspace.config.root,
            super::cms::guide_files(&workspace.config),
        )
    });
    let shown = |path: &std::path::Path| {
        path.strip_prefix(&workspace.cwd)
            .unwrap_or(path)
            .display()
            .to_string()
    };
    let mut failed = false;
    let (mut new, mut replaced, mut kept) = (0, 0, 0);
    for guide in &result.guides {
        let slug = escape::line(&guide.slug);
        match pull::write(&out, guide, args.force)
            .with_context(|| format!("cannot write `{slug}` in {}", out.display()))?
        {
            Written::New(path) => {
                new += 1;
                println!("wrote     {slug}  {}", shown(&path));
            }
            Written::Replaced(path) => {
                replaced += 1;
                println!("replaced  {slug}  {}", shown(&path));
            }
            Written::Kept(path) => {
                kept += 1;
                failed = true;
                println!(
                    "kept      {slug}  {} exists (use --force to replace it)",
                    shown(&path)
                );
            }
            Written::BadSlug => {
                failed = true;
                println!(
                    "skipped   {slug}  not a guide slug (lowercase words joined by hyphens): not written"
                );
            }
        }
        if !guide.uncovered.is_empty() {
            println!(
                "          {slug}: not covered by the mapping, not written: {}",
                escape::line(&guide.uncovered.join(", "))
            );
        }
    }
    for slug in &result.missing {
        failed = true;
        println!(
            "missing   {}  no such document in the CMS",
            escape::line(slug)
        );
    }
    println!(
        "pulled from {}: {new} new, {replaced} replaced, {kept} kept",
        redact_url_credentials(&cms.base_url)
    );
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
