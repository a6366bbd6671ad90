//! `guidepress preview`: guides rendered as pages, written to a folder or served live.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::Args;
use guidepress::preview::{self, PreviewOptions, Site, Templates};
use guidepress::report::plural;

use super::GlobalArgs;

/// Render guides as the pages readers will see.
#[derive(Debug, Args)]
pub struct PreviewArgs {
    /// Guides or folders (default: every guide under the content roots).
    pub paths: Vec<PathBuf>,
    /// Write `<slug>.html` for each guide and `index.html` into this folder.
    #[arg(long, value_name = "DIR", required_unless_present = "serve")]
    pub out: Option<PathBuf>,
    /// Run the checks and mark every finding on the pages.
    #[arg(long)]
    pub annotate: bool,
    /// Serve the pages on 127.0.0.1, render again on every save and reload
    /// open pages; findings are shown.
    #[arg(long)]
    pub serve: bool,
    /// Port for `--serve` (0: any free port). Default: `[preview] port` (4747).
    #[arg(long, requires = "serve")]
    pub port: Option<u16>,
    /// Folder of templates replacing the built-in ones. Default: `[preview] templates`.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
}

/// Everything one render needs, read afresh each time (`--serve` renders again on changes).
fn render(global: &GlobalArgs, args: &PreviewArgs, annotate: bool, live: bool) -> Result<Site> {
    let workspace = global.open_workspace(None)?;
    let folder = match &args.templates {
        Some(dir) => Some(workspace.cwd.join(dir)),
        None => workspace
            .config
            .config
            .preview
            .templates
            .as_ref()
            .map(|dir| workspace.config.root.join(dir)),
    };
    let templates = Templates::load(folder.as_deref())?;
    let settings = super::rule::settings(&workspace)?;
    let options = PreviewOptions {
        annotate,
        live_reload: live,
        rules: Some(&settings),
    };
    let targets = workspace.targets(&args.paths)?;
    let files = preview::load(&targets, workspace.limits(), &options);
    let authors = preview::authors(&workspace);
    let site = preview::render(&files, &authors, &templates, &options)?;
    if let Some(out) = &args.out {
        preview::write_site(&site, &workspace.cwd.join(out))
            .with_context(|| format!("cannot write the preview to {}", out.display()))?;
    }
    Ok(site)
}

fn report_skipped(global: &GlobalArgs, site: &Site) {
    if global.quiet {
        return;
    }
    for (file, why) in &site.skipped {
        eprintln!("guidepress: {file}: not rendered: {why}");
    }
}

/// Renders once into `--out`, or serves with `--serve`.
pub fn run(global: &GlobalArgs, args: PreviewArgs) -> Result<ExitCode> {
    if args.serve {
        return serve(global, args);
    }
    let site = render(global, &args, args.annotate, false)?;
    report_skipped(global, &site);
    if !global.quiet {
        let out = args.out.as_deref().unwrap_or(Path::new("."));
        let findings: usize = site.pages.iter().map(|p| p.errors + p.warnings).sum();
        eprintln!(
            "Rendered {} to {}{}",
            plural(site.pages.len(), "guide"),
            out.join("index.html").display(),
            if args.annotate {
                format!(" ({} marked)", plural(findings, "finding"))
            } else {
                String::new()
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn serve(global: &GlobalArgs, args: PreviewArgs) -> Result<ExitCode> {
    let workspace = global.open_workspace(None)?;
    let port = args.port.unwrap_or(workspace.config.config.preview.port);
    let listener = std::net::TcpListener::bind(("127.0.0.1", port))
        .with_context(|| format!("cannot listen on 127.0.0.1:{port}"))?;
    let address = listener.local_addr()?;
    // The files whose change renders again: the guides (listed afresh, so a
    // new file shows up), authors, templates, schemas and the configuration.
    let mut fixed: Vec<PathBuf> = workspace
        .config
        .config
        .schemas
        .iter()
        .map(|m| workspace.config.root.join(&m.schema))
        .collect();
    fixed.extend(workspace.config.path.clone());
    let folders: Vec<PathBuf> = [
        Some(
            workspace
                .config
                .root
                .join(&workspace.config.config.content.authors),
        ),
        args.templates
            .as_ref()
            .map(|d| workspace.cwd.join(d))
            .or_else(|| {
                workspace
                    .config
                    .config
                    .preview
                    .templates
                    .as_ref()
                    .map(|d| workspace.config.root.join(d))
            }),
    ]
    .into_iter()
    .flatten()
    .collect();
    let paths = args.paths.clone();
    let watched = move || {
        let mut files = fixed.clone();
        if let Ok(targets) = workspace.targets(&paths) {
            files.extend(targets.into_iter().map(|t| t.path));
        }
        for folder in &folders {
            if let Ok(entries) = std::fs::read_dir(folder) {
                files.extend(entries.filter_map(Result::ok).map(|e| e.path()));
            }
        }
        files
    };
    let quiet = global.quiet;
    let global = GlobalArgs {
        verbose: global.verbose,
        quiet: global.quiet,
        config: global.config.clone(),
        color: global.color,
    };
    let first = render(&global, &args, true, true).map_err(|e| format!("{e:#}"));
    match &first {
        Ok(site) => {
            report_skipped(&global, site);
            eprintln!(
                "Serving {} at http://{address}/ (rendered again on save; Ctrl-C to stop)",
                plural(site.pages.len(), "guide")
            );
        }
        Err(error) => eprintln!("guidepress: {error}\nServing the error at http://{address}/"),
    }
    let rebuild = move || render(&global, &args, true, true).map_err(|e| format!("{e:#}"));
    let log = move |line: &str| {
        if !quiet {
            eprintln!("guidepress: {line}");
        }
    };
    preview::serve::run(
        listener,
        first,
        Arc::new(rebuild),
        Arc::new(watched),
        preview::serve::POLL_INTERVAL,
        Arc::new(log),
    )?;
    Ok(ExitCode::SUCCESS)
}
