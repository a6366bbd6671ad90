//! `guidepress data import` and `guidepress data show`: the official data.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use guidepress::data::config::DEFAULT_DIR;
use guidepress::data::import;
use guidepress::data::show::Shown;
use guidepress::data::snapshot::{is_soc_code, same_title};
use guidepress::data::{DataStore, Release};
use guidepress::escape;
use guidepress::report::plural;

use super::GlobalArgs;

/// `guidepress data`.
#[derive(Debug, Args)]
pub struct DataArgs {
    #[command(subcommand)]
    command: DataCommand,
}

#[derive(Debug, Subcommand)]
enum DataCommand {
    /// Turn BLS's OEWS downloads (XLSX or CSV) into a snapshot under the data folder.
    Import(ImportArgs),
    /// Print the official figures for an occupation, nationally and by state.
    Show(ShowArgs),
}

/// `guidepress data import`.
#[derive(Debug, Args)]
struct ImportArgs {
    /// BLS's tables: `national_M<year>_dl.xlsx`, `state_M<year>_dl.xlsx`,
    /// `all_data_M_<year>.xlsx`, or the same tables saved as CSV.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// The release, e.g. `2025A01` (default: told by the file names).
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
    }
}

fn run_import(global: &GlobalArgs, args: ImportArgs) -> Result<ExitCode> {
    let (config, cwd) = global.load_config()?;
    let release =
        match &args.release {
            Some(text) => Some(Release::parse(text).with_context(|| {
                format!("`--release {text}` is not a release name like 2025A01")
            })?),
            None => None,
        };
    let files: Vec<PathBuf> = args.files.clone();
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
    if !imported.problems.is_empty() {
        eprintln!(
            "{} could not be read and {} left out; see above.",
            plural(imported.problems.len(), "row"),
            if imported.problems.len() == 1 {
                "was"
            } else {
                "were"
            }
        );
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
    let text = match args.format {
        ShowFormat::Text => shown.text(),
        ShowFormat::Json => shown.json(),
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
