//! `guidepress data import`: BLS's OEWS downloads turned into a snapshot.
//!
//! Reads the tables as BLS publishes them (`national_M<year>_dl.xlsx`,
//! `state_M<year>_dl.xlsx`, `all_data_M_<year>.xlsx`, read a row at a time
//! within the bounds of [`super::sheet`]) or the same tables saved as CSV.
//! Keeps the cross-industry, all-ownership rows of the nation and the states
//! (the rows the data rules read), checks the columns, and reports each row
//! it cannot read by its row number, a title holding a control character
//! included. A title a spreadsheet would run as a formula is written with a
//! leading `'` (see [`table::neutralise_formula`]). The snapshot is written
//! through a temporary file in the destination folder and a rename, so a
//! reader never sees half of it.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use super::Release;
use super::sheet::{SheetError, SheetLimits, Workbook};
use super::snapshot::Record;
use super::table::{self, COLUMNS};

/// Why an import could not be done at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A file could not be opened or read.
    #[error("cannot read {file}: {message}")]
    Open {
        /// The file.
        file: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A workbook that is not read: another format, or a sheet past the
    /// limits of [`SheetLimits::DEFAULT`].
    #[error("{file}: {error}")]
    Sheet {
        /// The file.
        file: PathBuf,
        /// Why, naming the sheet.
        error: SheetError,
    },
    /// No sheet (or no CSV header) names the OEWS columns.
    #[error(
        "{file}: no table with an OCC_CODE column in its first 20 rows; is this an OEWS download?"
    )]
    NoTable {
        /// The file.
        file: PathBuf,
    },
    /// The table lacks columns the snapshot needs.
    #[error("{file}{}: the header (row {row}) lacks {}", sheet_text(.sheet), .missing.join(", "))]
    Columns {
        /// The file.
        file: PathBuf,
        /// The sheet, for a workbook.
        sheet: Option<String>,
        /// The header's row number.
        row: usize,
        /// The columns missing.
        missing: Vec<String>,
    },
    /// The release cannot be told from the file names.
    #[error(
        "cannot tell the release from the file names (BLS names them `national_M2025_dl.xlsx`); pass --release, e.g. --release 2025A01"
    )]
    NoRelease,
    /// The files are for different releases.
    #[error("the files are for different releases ({0}); import one release at a time")]
    MixedReleases(String),
    /// Nothing to keep.
    #[error("no national or state cross-industry rows were found in the files")]
    Empty,
    /// The snapshot could not be written.
    #[error(transparent)]
    Fs(#[from] crate::fsio::WriteError),
    /// The snapshot's folder could not be made.
    #[error("cannot write {path}: {message}")]
    Write {
        /// The destination.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

fn sheet_text(sheet: &Option<String>) -> String {
    sheet
        .as_ref()
        .map_or_else(String::new, |s| format!(", sheet `{s}`"))
}

/// A row that could not be read (it is left out of the snapshot).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// The file.
    pub file: PathBuf,
    /// Its row number (1-based, as a spreadsheet or text editor shows it).
    pub row: usize,
    /// What is wrong.
    pub message: String,
}

/// What one file contributed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSummary {
    /// The file.
    pub file: PathBuf,
    /// The sheet read, for a workbook.
    pub sheet: Option<String>,
    /// Data rows read.
    pub rows: usize,
    /// Rows kept (national and state, cross-industry, all ownerships).
    pub kept: usize,
}

/// The result of reading the downloads.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The release.
    pub release: Release,
    /// The rows kept, sorted by occupation, the nation first, then by state.
    pub records: Vec<Record>,
    /// Rows that could not be read, in file and row order.
    pub problems: Vec<RowProblem>,
    /// One entry per file.
    pub files: Vec<FileSummary>,
    /// The occupations BLS lists twice in an area, at the broad and the
    /// detailed level (`O_GROUP`), with the same figures: kept once, as
    /// `detailed`.
    pub listed_twice: Vec<String>,
}

impl Imported {
    /// The snapshot text (CSV with [`COLUMNS`]).
    pub fn snapshot_text(&self) -> String {
        let mut out = String::with_capacity(self.records.len() * 128);
        table::write_record(&mut out, &COLUMNS);
        for record in &self.records {
            table::write_record(&mut out, &record.fields());
        }
        out
    }

    /// How many distinct occupations the snapshot holds.
    pub fn occupations(&self) -> usize {
        let mut codes: Vec<&str> = self.records.iter().map(|r| r.occ_code.as_str()).collect();
        codes.dedup();
        codes.len()
    }
}

/// What a table gives the importer: its header once, then its rows.
enum Line {
    /// The header row (the first of the first 20 rows naming `OCC_CODE`).
    Header {
        sheet: Option<String>,
        row: usize,
        cells: Vec<String>,
    },
    /// A data row: its cells, or why it cannot be read.
    Row {
        row: usize,
        cells: Result<Vec<String>, String>,
    },
}

/// Reads `files` (one release) into rows for a snapshot; `release` overrides
/// the release told by the file names.
pub fn import(files: &[PathBuf], release: Option<Release>) -> Result<Imported, ImportError> {
    let release = match release {
        Some(release) => release,
        None => release_of(files)?,
    };
    let mut records: Vec<Record> = Vec::new();
    let mut seen: HashMap<(String, String), (usize, PathBuf, usize)> = HashMap::new();
    let mut problems = Vec::new();
    let mut summaries = Vec::new();
    let mut listed_twice = Vec::new();
    for file in files {
        let mut columns: Option<Columns> = None;
        let mut sheet: Option<String> = None;
        let mut rows = 0;
        let mut kept = 0;
        read_table(file, &mut |line| {
            let (row, cells) = match line {
                Line::Header {
                    sheet: name,
                    row,
                    cells,
                } => {
                    columns = Some(Columns::locate(file, name.as_deref(), row, &cells)?);
                    sheet = name;
                    return Ok(());
                }
                Line::Row { row, cells } => (row, cells),
            };
            let Some(columns) = &columns else {
                return Ok(());
            };
            rows += 1;
            let problem = |message: String| RowProblem {
                file: file.clone(),
                row,
                message,
            };
            let cells = match cells {
                Ok(cells) => cells,
                Err(message) => {
                    problems.push(problem(message));
                    return Ok(());
                }
            };
            if cells.iter().all(|c| c.trim().is_empty()) {
                return Ok(());
            }
            match columns.keep(&cells) {
                Ok(false) => return Ok(()),
                Ok(true) => {}
                Err(message) => {
                    problems.push(problem(message));
                    return Ok(());
                }
            }
            let fields: Vec<&str> = columns
                .positions
                .iter()
                .map(|&at| cells.get(at).map_or("", String::as_str))
                .collect();
            let identity: [usize; 16] = std::array::from_fn(|i| i);
            let mut record = match Record::parse(&fields, &identity, row) {
                Ok(record) => record,
                Err(message) => {
                    problems.push(problem(message));
                    return Ok(());
                }
            };
            if let Err(message) = plain_text(&mut record) {
                problems.push(problem(message));
                return Ok(());
            }
            let key = (record.estimates.state.clone(), record.occ_code.clone());
            if let Some((at, first_file, first_row)) = seen.get(&key) {
                let first: &Record = &records[*at];
                if same_figures(first, &record) && first.o_group != record.o_group {
                    // BLS lists an occupation aggregated to the broad level
                    // twice, `broad` and `detailed`: one occupation, kept once.
                    if record.o_group == "detailed" {
                        records[*at].o_group = record.o_group;
                    }
                    listed_twice.push(key.1);
                    return Ok(());
                }
                if !same_figures(first, &record) {
                    problems.push(problem(format!(
                        "{} {} is also in {} row {first_row} with other figures; the first is kept",
                        record.estimates.state,
                        record.occ_code,
                        first_file.display()
                    )));
                }
                return Ok(());
            }
            seen.insert(key, (records.len(), file.clone(), row));
            records.push(record);
            kept += 1;
            Ok(())
        })?;
        summaries.push(FileSummary {
            file: file.clone(),
            sheet,
            rows,
            kept,
        });
    }
    if records.is_empty() {
        return Err(ImportError::Empty);
    }
    records.sort_by(|a, b| {
        (&a.occ_code, !a.estimates.is_national(), &a.estimates.state).cmp(&(
            &b.occ_code,
            !b.estimates.is_national(),
            &b.estimates.state,
        ))
    });
    Ok(Imported {
        release,
        records,
        problems,
        files: summaries,
        listed_twice,
    })
}

/// The same figures, whatever the row and the `O_GROUP` level.
fn same_figures(a: &Record, b: &Record) -> bool {
    let (mut a, mut b) = (a.clone(), b.clone());
    a.estimates.line = 0;
    b.estimates.line = 0;
    b.o_group.clone_from(&a.o_group);
    a.fields() == b.fields()
}

fn release_of(files: &[PathBuf]) -> Result<Release, ImportError> {
    let mut found: Vec<Release> = files
        .iter()
        .filter_map(|f| f.file_name()?.to_str().and_then(Release::from_file_name))
        .collect();
    found.sort();
    found.dedup();
    match found.len() {
        0 => Err(ImportError::NoRelease),
        1 => Ok(found.remove(0)),
        _ => Err(ImportError::MixedReleases(
            found
                .iter()
                .map(Release::as_str)
                .collect::<Vec<_>>()
                .join(", "),
        )),
    }
}

/// Where the snapshot's columns, and the filter columns, are in a table.
struct Columns {
    positions: [usize; 16],
    i_group: Option<usize>,
    own_code: Option<usize>,
    area_type: usize,
}

/// Other names BLS has used for a column.
fn aliases(name: &str) -> &'static [&'static str] {
    match name {
        "O_GROUP" => &["OCC_GROUP"],
        "PRIM_STATE" => &["ST"],
        _ => &[],
    }
}

impl Columns {
    fn locate(
        file: &Path,
        sheet: Option<&str>,
        header_row: usize,
        header: &[String],
    ) -> Result<Self, ImportError> {
        let find = |name: &str| {
            header.iter().position(|h| {
                let h = h.trim().trim_start_matches('\u{feff}');
                h.eq_ignore_ascii_case(name)
                    || aliases(name).iter().any(|a| h.eq_ignore_ascii_case(a))
            })
        };
        let mut positions = [0usize; 16];
        let mut missing = Vec::new();
        for (slot, name) in positions.iter_mut().zip(COLUMNS) {
            match find(name) {
                Some(at) => *slot = at,
                None => missing.push(name.to_owned()),
            }
        }
        if !missing.is_empty() {
            return Err(ImportError::Columns {
                file: file.to_owned(),
                sheet: sheet.map(str::to_owned),
                row: header_row,
                missing,
            });
        }
        Ok(Columns {
            area_type: positions[table::col::AREA_TYPE],
            positions,
            i_group: find("I_GROUP"),
            own_code: find("OWN_CODE"),
        })
    }

    /// Whether a row is one the snapshot keeps: the nation or a state
    /// (`AREA_TYPE` 1, 2 or 3), cross-industry (`I_GROUP`), all ownerships
    /// (`OWN_CODE` 1235), when the table has those columns.
    fn keep(&self, cells: &[String]) -> Result<bool, String> {
        let cell = |at: usize| cells.get(at).map_or("", |c| c.trim());
        if let Some(at) = self.i_group {
            if !cell(at).eq_ignore_ascii_case("cross-industry") {
                return Ok(false);
            }
        }
        if let Some(at) = self.own_code {
            if cell(at).trim_end_matches(".0") != "1235" {
                return Ok(false);
            }
        }
        let area_type = cell(self.area_type);
        match area_type.trim_end_matches(".0") {
            "1" | "2" | "3" => Ok(true),
            other if other.parse::<u8>().is_ok() => Ok(false),
            _ => Err(format!("AREA_TYPE is `{area_type}`, not a number")),
        }
    }
}

/// The largest download read (BLS's all-data workbook is about 80 MB).
const MAX_TABLE_BYTES: u64 = 1 << 30;

/// How many rows of a sheet or CSV file are searched for the header.
const HEADER_ROWS: usize = 20;

fn open_error(file: &Path, message: impl ToString) -> ImportError {
    ImportError::Open {
        file: file.to_owned(),
        message: message.to_string(),
    }
}

/// True for the header's `OCC_CODE` cell.
fn names_occ_code(cell: &str) -> bool {
    cell.trim()
        .trim_start_matches('\u{feff}')
        .eq_ignore_ascii_case("OCC_CODE")
}

/// Reads `file`, giving `sink` its header, then its rows one at a time.
fn read_table(
    file: &Path,
    sink: &mut dyn FnMut(Line) -> Result<(), ImportError>,
) -> Result<(), ImportError> {
    let extension = file
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    // Only a regular file: a FIFO or device would block or never end.
    let bytes =
        crate::fsio::read_regular(file, MAX_TABLE_BYTES).map_err(|e| open_error(file, e))?;
    if extension == "csv" {
        let text = String::from_utf8(bytes)
            .map_err(|e| open_error(file, format!("not UTF-8 text ({e})")))?;
        return csv_table(file, &text, sink);
    }
    let sheet_error = |error: SheetError| ImportError::Sheet {
        file: file.to_owned(),
        error,
    };
    let mut workbook = Workbook::open(bytes, SheetLimits::DEFAULT).map_err(sheet_error)?;
    for sheet in workbook.sheet_names() {
        let mut header = false;
        let mut searched = 0;
        let mut failed = None;
        workbook
            .for_each_row(&sheet, |row, cells| {
                let line = if header {
                    Line::Row {
                        row,
                        cells: Ok(cells),
                    }
                } else if cells.iter().any(|c| names_occ_code(c)) {
                    header = true;
                    Line::Header {
                        sheet: Some(sheet.clone()),
                        row,
                        cells,
                    }
                } else {
                    searched += 1;
                    return match searched < HEADER_ROWS {
                        true => ControlFlow::Continue(()),
                        false => ControlFlow::Break(()),
                    };
                };
                match sink(line) {
                    Ok(()) => ControlFlow::Continue(()),
                    Err(error) => {
                        failed = Some(error);
                        ControlFlow::Break(())
                    }
                }
            })
            .map_err(sheet_error)?;
        if let Some(error) = failed {
            return Err(error);
        }
        if header {
            return Ok(());
        }
    }
    Err(ImportError::NoTable {
        file: file.to_owned(),
    })
}

fn csv_table(
    file: &Path,
    text: &str,
    sink: &mut dyn FnMut(Line) -> Result<(), ImportError>,
) -> Result<(), ImportError> {
    let mut lines = text.lines().enumerate().map(|(i, line)| (i + 1, line));
    let mut header = None;
    for (number, line) in lines.by_ref().take(HEADER_ROWS) {
        let cells = table::split(line).unwrap_or_default();
        if cells.iter().any(|c| names_occ_code(c)) {
            header = Some((number, cells.into_iter().map(|c| c.into_owned()).collect()));
            break;
        }
    }
    let Some((row, cells)) = header else {
        return Err(ImportError::NoTable {
            file: file.to_owned(),
        });
    };
    sink(Line::Header {
        sheet: None,
        row,
        cells,
    })?;
    for (row, line) in lines {
        let cells =
            table::split(line).map(|cells| cells.into_iter().map(|c| c.into_owned()).collect());
        sink(Line::Row { row, cells })?;
    }
    Ok(())
}

/// Checks the text fields of a row for what must not reach a terminal or a
/// spreadsheet: `Err` names a control character (a terminal escape, a
/// right-to-left override) in a title; a title that a spreadsheet would run
/// as a formula (`=…`, `+…`, `-…`, `@…`) gets a leading `'`, which shows
/// it as text.
fn plain_text(record: &mut Record) -> Result<(), String> {
    let fields = [
        ("OCC_TITLE", &mut record.occ_title),
        ("AREA_TITLE", &mut record.estimates.area_title),
        ("O_GROUP", &mut record.o_group),
    ];
    for (name, value) in fields {
        if let Some(c) = value.chars().find(|&c| is_control(c)) {
            return Err(format!(
                "{name} holds the control character U+{:04X}; titles are plain text",
                u32::from(c)
            ));
        }
        if let Cow::Owned(safe) = table::neutralise_formula(value) {
            *value = safe;
        }
    }
    Ok(())
}

/// Control characters (C0, DEL, C1) and the invisible marks that reorder
/// text (bidirectional embeddings, overrides and isolates).
fn is_control(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// Writes `text` to `path` through a temporary file in the same folder and a
/// rename ([`crate::fsio::write_atomic`]): the destination holds the old
/// snapshot or the new one, never part of one. Creates the folder if needed.
pub fn write_atomic(path: &Path, text: &str) -> Result<(), ImportError> {
    let failed = |message: String| ImportError::Write {
        path: path.to_owned(),
        message,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| failed(e.to_string()))?;
    }
    Ok(crate::fsio::write_atomic(
        path,
        text.as_bytes(),
        crate::fsio::SymlinkPolicy::Replace,
    )?)
}
