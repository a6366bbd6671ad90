//! `guidepress data import` and `guidepress data show`: the official data.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use guidepress::data::config::DEFAULT_DIR;
use guidepress::data::import;
use guidepress::data::projections::show::ShownProjections;
use guidepress::data::projections::{
    self, EpRelease, ProjectionStore, import as projections_import,
};
use guidepress::data::show::Shown;
use guidepress::data::snapshot::{is_soc_code, same_title};
use guidepress::data::{DataStore, Release};
use guidepress::escape;
use guidepress::report::plural;
use guidepress::update;

use super::GlobalArgs;

/// `guidepress data`.
#[derive(Debug, Args)]
pub struct DataArgs {
    #[command(subcommand)]
    command: DataCommand,
}

#[derive(Debug, Subcommand)]
enum DataCommand {
    /// Turn BLS's OEWS downloads or its Employment Projections workbook
    /// (`occupation.xlsx`) into a snapshot under the data folder.
    Import(ImportArgs),
    /// Print the official figures for an occupation, nationally and by state.
    Show(ShowArgs),
    /// Import a new BLS release and bring every guide that follows the
    /// latest release up to date, listing every figure changed.
    Update(UpdateArgs),
}

/// `guidepress data update`.
#[derive(Debug, Args)]
struct UpdateArgs {
    /// BLS's downloads: OEWS tables and/or the Employment Projections'
    /// `occupation.xlsx` (XLSX or CSV), as `data import` reads them.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// The release, when the file names do not tell it (`2025A01`, `2024-34`).
    #[arg(long)]
    release: Option<String>,
    /// Replace a snapshot of the same release that holds other figures
    /// (BLS revises its files in place now and then).
    #[arg(long)]
    force: bool,
    /// Also write the change table as Markdown (a pull request's body) to PATH.
    #[arg(long, value_name = "PATH")]
    summary: Option<PathBuf>,
}

/// `guidepress data import`.
#[derive(Debug, Args)]
struct ImportArgs {
    /// BLS's tables: `national_M<year>_dl.xlsx`, `state_M<year>_dl.xlsx`,
    /// `all_data_M_<year>.xlsx`, the Employment Projections' `occupation.xlsx`,
    /// or the same tables saved as CSV.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// The release, e.g. `2025A01` for OEWS or `2024-34` for the projections
    /// (default: told by the file names, or the projections' header).
    #[arg(long)]
    release: Option<String>,
    /// Where to write the snapshot (default: `<data dir>/<release>.csv`).
    #[arg(long, short, value_name = "PATH")]
    output: Option<PathBuf>,
    /// Replace an existing snapshot of the same release.
    #[arg(long)]
    force: bool,
}

/// `guidepress data show`.
#[derive(Debug, Args)]
struct ShowArgs {
    /// A SOC code (`15-1252`) or BLS's occupation title.
    occupation: String,
    /// Only this state (USPS code, `CA`).
    #[arg(long, value_name = "XX")]
    state: Option<String>,
    /// The release (default: `[data] release`, the latest).
    #[arg(long)]
    release: Option<String>,
    /// How to print it.
    #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
    format: ShowFormat,
    /// Also the sum of this occupation's projections with these others, as
    /// the Occupational Outlook Handbook groups them (`--group 15-1253`).
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    group: Vec<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ShowFormat {
    /// A table.
    Text,
    /// JSON.
    Json,
}

/// Runs `guidepress data …`.
pub fn run(global: &GlobalArgs, args: DataArgs) -> Result<ExitCode> {
    match args.command {
        DataCommand::Import(args) => run_import(global, args),
        DataCommand::Show(args) => run_show(global, args),
        DataCommand::Update(args) => run_update(global, args),
    }
}

fn run_update(global: &GlobalArgs, args: UpdateArgs) -> Result<ExitCode> {
    let workspace = global.open_workspace(None)?;
    let today = guidepress::rules::Date::today_from_env().map_err(anyhow::Error::msg)?;
    let options = update::UpdateOptions {
        files: args.files.clone(),
        release: args.release.clone(),
        force: args.force,
    };
    let report = update::update(&workspace, &options, today)?;
    if let Some(path) = &args.summary {
        std::fs::write(workspace.cwd.join(path), report.markdown())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let mut out = std::io::stdout().lock();
    out.write_all(report.text().as_bytes())?;
    out.flush()?;
    let problems = report.imported.iter().any(|i| !i.problems.is_empty());
    Ok(if problems {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn run_import(global: &GlobalArgs, args: ImportArgs) -> Result<ExitCode> {
    let (config, cwd) = global.load_config()?;
    let (projections, files): (Vec<PathBuf>, Vec<PathBuf>) = args
        .files
        .iter()
        .cloned()
        .partition(|file| projections_import::is_projections_file(file));
    let mut status = ExitCode::SUCCESS;
    if !projections.is_empty() {
        status = import_projections(global, &args, &config, &cwd, &projections, files.is_empty())?;
        if files.is_empty() {
            return Ok(status);
        }
    }
    let release =
        match args
            .release
            .as_ref()
            .filter(|t| EpRelease::parse(t).is_none())
        {
            Some(text) => Some(Release::parse(text).with_context(|| {
                format!("`--release {text}` is not a release name like 2025A01")
            })?),
            None => None,
        };
    let imported = import::import(&files, release)?;
    let output = match &args.output {
        Some(path) => cwd.join(path),
        None => config
            .root
            .join(
                config
                    .config
                    .data
                    .dir
                    .as_deref()
                    .unwrap_or(DEFAULT_DIR.as_ref()),
            )
            .join(format!("{}.csv", imported.release)),
    };
    let shown = output.strip_prefix(&cwd).unwrap_or(&output).to_path_buf();
    if output.exists() && !args.force {
        bail!(
            "{} exists; pass --force to replace it with this import",
            shown.display()
        );
    }
    import::write_atomic(&output, &imported.snapshot_text())?;
    if !global.quiet {
        let mut twice = imported.listed_twice.clone();
        twice.sort();
        twice.dedup();
        if !twice.is_empty() {
            eprintln!(
                "{} listed at both the broad and the detailed level with the same figures, as BLS lists them, kept once: {}",
                plural(twice.len(), "occupation"),
                twice.join(", ")
            );
        }
        for file in &imported.files {
            eprintln!(
                "{}{}: {} read, {} kept (national and state, cross-industry)",
                file.file.display(),
                file.sheet
                    .as_ref()
                    .map_or_else(String::new, |s| format!(" (sheet `{s}`)")),
                plural(file.rows, "row"),
                file.kept
            );
        }
    }
    for problem in &imported.problems {
        eprintln!(
            "{} row {}: {}",
            problem.file.display(),
            problem.row,
            problem.message
        );
    }
    eprintln!(
        "Wrote {} ({}, {}) for BLS OEWS {} ({}).",
        shown.display(),
        plural(imported.records.len(), "row"),
        plural(imported.occupations(), "occupation"),
        imported.release.label(),
        imported.release
    );
    if rows_left_out(imported.problems.len()) {
        return Ok(ExitCode::from(1));
    }
    Ok(status)
}

/// Imports BLS's Employment Projections workbook (one) into
/// `<projections dir>/<release>.csv` (or `--output` when it is the only file).
fn import_projections(
    global: &GlobalArgs,
    args: &ImportArgs,
    config: &guidepress::config::LoadedConfig,
    cwd: &std::path::Path,
    files: &[PathBuf],
    only: bool,
) -> Result<ExitCode> {
    let [file] = files else {
        bail!(
            "{} Employment Projections workbooks given; import one at a time",
            files.len()
        );
    };
    // `--release` names the projections' period when it is one.
    let release = match &args.release {
        Some(text) if only => Some(EpRelease::parse(text).with_context(|| {
            format!("`--release {text}` is not a projection period like 2024-34")
        })?),
        Some(text) => EpRelease::parse(text),
        None => None,
    };
    let imported = projections_import::import(file, release)?;
    let output = match &args.output {
        Some(path) if only => cwd.join(path),
        _ => config
            .root
            .join(
                config
                    .config
                    .data
                    .projections_dir
                    .as_deref()
                    .unwrap_or(projections::DEFAULT_DIR.as_ref()),
            )
            .join(format!("{}.csv", imported.release)),
    };
    let shown = output.strip_prefix(cwd).unwrap_or(&output).to_path_buf();
    if output.exists() && !args.force {
        bail!(
            "{} exists; pass --force to replace it with this import",
            shown.display()
        );
    }
    import::write_atomic(&output, &imported.snapshot_text())?;
    let (lines, summaries) = imported.counts();
    if !global.quiet {
        eprintln!(
            "{}{} (header row{} {}): {} and {} summary rows read",
            file.display(),
            imported
                .sheet
                .as_ref()
                .map_or_else(String::new, |s| format!(", sheet `{s}`")),
            if imported.header_rows.len() == 1 {
                ""
            } else {
                "s"
            },
            imported
                .header_rows
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" and "),
            plural(lines, "occupation"),
            summaries
        );
    }
    for problem in &imported.problems {
        eprintln!(
            "{} row {}: {}",
            problem.file.display(),
            problem.row,
            problem.message
        );
    }
    eprintln!(
        "Wrote {} ({}) for BLS Employment Projections {} ({}).",
        shown.display(),
        plural(imported.projections.len(), "row"),
        imported.release.label(),
        imported.release
    );
    if rows_left_out(imported.problems.len()) {
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// How many occupations "did you mean" names.
const SUGGESTIONS: usize = 5;

/// `15-1252 (Software Developers)`, or `one of 29-1141 (Registered Nurses), …`.
fn one_of(found: &[(String, String)]) -> String {
    let listed: Vec<String> = found
        .iter()
        .map(|(code, title)| format!("{} ({})", escape::line(code), escape::line(title)))
        .collect();
    match listed.len() {
        1 => listed.concat(),
        _ => format!("one of {}", listed.join(", ")),
    }
}

fn run_show(global: &GlobalArgs, args: ShowArgs) -> Result<ExitCode> {
    let (config, cwd) = global.load_config()?;
    let Some(store) = DataStore::open(&config.config.data, &config.root, &cwd)? else {
        bail!(
            "no official data: `[data]` is off, or {} does not exist (`guidepress data import` makes a snapshot)",
            config.root.join(DEFAULT_DIR).display()
        );
    };
    let snapshot = store.snapshot(args.release.as_deref())?;
    let wanted = args.occupation.trim();
    let code = if is_soc_code(wanted) {
        wanted.to_owned()
    } else {
        match snapshot
            .titles()
            .iter()
            .find(|(_, t)| same_title(t, wanted))
        {
            Some((code, _)) => code.clone(),
            None => {
                let found = snapshot.suggestions("", Some(wanted), SUGGESTIONS);
                if found.is_empty() {
                    bail!(
                        "no occupation titled \"{}\" in BLS OEWS {} ({})",
                        escape::line(wanted),
                        snapshot.release.label(),
                        escape::line(&snapshot.path.display().to_string())
                    );
                }
                bail!(
                    "no occupation titled \"{}\" in BLS OEWS {}; did you mean {}?",
                    escape::line(wanted),
                    snapshot.release.label(),
                    one_of(&found)
                )
            }
        }
    };
    let Some(occupation) = snapshot.occupation(&code)? else {
        let found = snapshot.suggestions(&code, None, SUGGESTIONS);
        let hint = if found.is_empty() {
            String::new()
        } else {
            format!("; did you mean {}?", one_of(&found))
        };
        bail!(
            "SOC code {} is not in BLS OEWS {}{hint}",
            escape::line(&code),
            snapshot.release.label()
        );
    };
    if let Some(state) = &args.state {
        if occupation.state(state).is_none() && !snapshot.has_state_rows() {
            bail!(
                "BLS OEWS {} ({}): this snapshot has no state rows (it was made from BLS's national download); import the release's state table to see `{state}`",
                snapshot.release.label(),
                snapshot.path.display()
            );
        }
        if occupation.state(state).is_none() {
            bail!(
                "BLS OEWS {} has no estimate for {} ({}) in `{}`; states with one: {}",
                snapshot.release.label(),
                escape::line(&occupation.title),
                escape::line(&code),
                escape::line(state),
                escape::line(
                    &occupation
                        .states
                        .iter()
                        .map(|s| s.state.as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                )
            );
        }
    }
    let shown = Shown::new(&snapshot, &occupation, args.state.as_deref());
    let mut text = match args.format {
        ShowFormat::Text => shown.text(),
        ShowFormat::Json => shown.json(),
    };
    let store = ProjectionStore::open(&config.config.data, &config.root, &cwd)?;
    if let Some(store) = store {
        let projections = store.snapshot()?;
        let mut codes: Vec<&str> = vec![code.as_str()];
        codes.extend(args.group.iter().map(|c| c.trim()));
        let outlook = match projections.outlook(&codes) {
            Ok(outlook) => Some(outlook),
            Err(missing) if !args.group.is_empty() => bail!(
                "BLS Employment Projections {} have no projection for {}",
                projections.release.label(),
                missing.join(", ")
            ),
            Err(_) => None,
        };
        let shown = ShownProjections::new(&projections, &codes, outlook.as_ref());
        match args.format {
            ShowFormat::Text => {
                text.push('\n');
                text.push_str(&shown.text());
            }
            ShowFormat::Json => {
                let mut value: serde_json::Value = serde_json::from_str(&text)?;
                value["projections"] = serde_json::to_value(&shown)?;
                text = serde_json::to_string_pretty(&value)? + "\n";
            }
        }
    }
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Says how many rows an import left out; true when there were any (exit 1).
fn rows_left_out(count: usize) -> bool {
    if count > 0 {
        eprintln!(
            "{} could not be read and {} left out; see above.",
            plural(count, "row"),
            if count == 1 { "was" } else { "were" }
        );
    }
    count > 0
}
