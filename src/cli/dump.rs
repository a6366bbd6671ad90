//! `guidepress dump FILE`: what a YAML file turns into.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use guidepress::document::LoadedFile;
use guidepress::file_kind::FileKind;
use guidepress::load::{self, ParseOptions};
use guidepress::report::OutputFormat;
use guidepress::results::CheckReport;

use super::GlobalArgs;

/// Print the JSON value a YAML file turns into (what the schemas see).
#[derive(Debug, Args)]
pub struct DumpArgs {
    /// The YAML file (`-` for standard input); each document is printed as one JSON value.
    pub file: PathBuf,
}

/// Prints one pretty JSON value per document, or the reasons it cannot (exit 1).
pub fn run(global: &GlobalArgs, args: &DumpArgs) -> Result<ExitCode> {
    if args.file.is_dir() {
        anyhow::bail!(
            "`{}` is a folder; `guidepress dump` takes one YAML file (e.g. `guidepress dump {}`)",
            args.file.display(),
            args.file.join("<guide>.yaml").display()
        );
    }
    let (config, _) = global.load_config()?;
    let limits = config.config.limits.into();
    let read = if args.file.as_os_str() == "-" {
        load::read_stream(std::io::stdin().lock(), Path::new("<stdin>"), &limits)
    } else {
        load::read_file(&args.file, &args.file, &limits)
    };
    let parsed = if read.diagnostics.is_empty() {
        load::parse(
            &read.source.text,
            &ParseOptions {
                limits,
                track_spans: true,
                single_document: false,
            },
        )
    } else {
        load::Parsed {
            diagnostics: read.diagnostics,
            failed: true,
            ..Default::default()
        }
    };
    if parsed.is_malformed() || (parsed.documents.is_empty() && !parsed.diagnostics.is_empty()) {
        let mut file = LoadedFile::new(read.source, FileKind::Other, None, None, limits);
        file.diagnostics = parsed.diagnostics;
        let report = CheckReport { files: vec![file] };
        global.print_report(OutputFormat::Full, &report)?;
        return Ok(ExitCode::from(1));
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for document in &parsed.documents {
        serde_json::to_writer_pretty(&mut out, document)?;
        writeln!(out)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
