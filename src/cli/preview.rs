//! `guidepress preview`: guides rendered as pages, written to a folder or served live.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::Args;
use std::collections::HashMap;

use guidepress::preview::{self, Guides, PreviewOptions, Site, Templates};
use guidepress::report::{escape, plural};
use guidepress::workspace::Workspace;

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

/// The templates folder: `--templates` (resolved against the working
/// directory), else `[preview] templates` (against the configuration's folder).
fn templates_folder(workspace: &Workspace, args: &PreviewArgs) -> Option<PathBuf> {
    match &args.templates {
        Some(dir) => Some(workspace.cwd.join(dir)),
        None => workspace
            .config
            .config
            .preview
            .templates
            .as_ref()
            .map(|dir| workspace.config.root.join(dir)),
    }
}

/// What one render reads afresh each time (`--serve` renders again on
/// changes): the templates, the guides (their slugs and, with `annotate`,
/// findings) and the authors.
fn read(
    global: &GlobalArgs,
    args: &PreviewArgs,
    annotate: bool,
) -> Result<(
    Workspace,
    Templates,
    Guides,
    HashMap<String, serde_json::Value>,
)> {
    let workspace = global.open_workspace(None)?;
    let folder = templates_folder(&workspace, args);
    // Templates lie in the repository, or in the folder named on the command line.
    let mut within: Vec<&Path> = vec![&workspace.config.root];
    if let (Some(folder), Some(_)) = (&folder, &args.templates) {
        within.push(folder);
    }
    let templates = Templates::load(folder.as_deref(), &within)?;
    let settings = super::rule::settings(&workspace)?;
    let options = PreviewOptions {
        annotate,
        live_reload: false,
        rules: Some(&settings),
    };
    let targets = workspace.targets(&args.paths)?;
    let guides = preview::load(&targets, workspace.limits(), &options);
    let authors = preview::authors(&workspace);
    Ok((workspace, templates, guides, authors))
}

/// Renders every page in memory, for `--serve` (findings always shown).
fn render(global: &GlobalArgs, args: &PreviewArgs) -> Result<Site> {
    let (_, templates, guides, authors) = read(global, args, true)?;
    let options = PreviewOptions {
        annotate: true,
        live_reload: true,
        rules: None,
    };
    Ok(preview::render(guides, &authors, &templates, &options)?)
}

fn report_skipped(global: &GlobalArgs, skipped: &[(String, String)]) {
    if global.quiet {
        return;
    }
    for (file, why) in skipped {
        eprintln!(
            "guidepress: {}: not rendered: {}",
            escape::line(file),
            escape::line(why)
        );
    }
}

/// Renders once into `--out`, or serves with `--serve`.
pub fn run(global: &GlobalArgs, args: PreviewArgs) -> Result<ExitCode> {
    if args.serve {
        return serve(global, args);
    }
    let (workspace, templates, guides, authors) = read(global, &args, args.annotate)?;
    let options = PreviewOptions {
        annotate: args.annotate,
        live_reload: false,
        rules: None,
    };
    let out = args.out.as_deref().unwrap_or(Path::new("."));
    let written = preview::write_site(
        guides,
        &authors,
        &templates,
        &options,
        &workspace.cwd.join(out),
    )
    .with_context(|| format!("cannot write the preview to {}", out.display()))?;
    // Pages not written are errors: said even with --quiet.
    for (file, why) in &written.failed {
        eprintln!(
            "guidepress: error: {} was not written: {}",
            escape::line(&out.join(file).display().to_string()),
            escape::line(why)
        );
    }
    report_skipped(global, &written.skipped);
    if !global.quiet {
        let findings: usize = written.pages.iter().map(|p| p.errors + p.warnings).sum();
        eprintln!(
            "Rendered {} to {}{}",
            plural(written.pages.len(), "guide"),
            escape::line(&out.join("index.html").display().to_string()),
            if args.annotate {
                format!(" ({} marked)", plural(findings, "finding"))
            } else {
                String::new()
            }
        );
    }
    if written.failed.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "guidepress: error: {} not written",
            plural(written.failed.len(), "page")
        );
        Ok(ExitCode::from(2))
    }
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
    let first = render(&global, &args).map_err(|e| format!("{e:#}"));
    match &first {
        Ok(site) => {
            report_skipped(&global, &site.skipped);
            eprintln!(
                "Serving {} at http://{address}/ (rendered again on save; Ctrl-C to stop)",
                plural(site.pages.len(), "guide")
            );
        }
        Err(error) => eprintln!(
            "guidepress: {}\nServing the error at http://{address}/",
            escape::text(error)
        ),
    }
    let rebuild = move || render(&global, &args).map_err(|e| format!("{e:#}"));
    let log = move |line: &str| {
        if !quiet {
            eprintln!("guidepress: {}", escape::text(line));
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
