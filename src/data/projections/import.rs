//! BLS's Employment Projections workbook turned into a snapshot.
//!
//! BLS publishes the projections as `occupation.xlsx`; its sheet "Table 1.2"
//! ("Occupational projections, 2024–2034, and worker characteristics") has
//! a title row, a header row (older releases used two, a group heading such
//! as "Employment" over "2014" and "2024"), one row per occupation (titles
//! indented, `—` for not available, employment and openings in thousands,
//! `Line item` and `Summary` rows), then footnotes. The columns are found by
//! their names, not their positions, and the release by the years the
//! employment columns name. The same table saved as CSV is read too.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::EpRelease;
use super::table::{self, Projection};
use crate::data::import::{ImportError, RowProblem};
use crate::data::sheet::{SheetLimits, Workbook};

/// Why an EP import could not be done at all.
#[derive(Debug, thiserror::Error)]
pub enum ProjectionsImportError {
    /// The file could not be opened or read.
    #[error("cannot read {file}: {message}")]
    Open {
        /// The file.
        file: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// No sheet holds an occupational projections table.
    #[error(
        "{file}: no occupational projections table (a header naming the matrix code, employment and openings above rows of SOC codes) in the first {HEADER_ROWS} rows of any sheet; is this BLS's occupation.xlsx?"
    )]
    NoTable {
        /// The file.
        file: PathBuf,
    },
    /// The table lacks columns the snapshot needs.
    #[error("{file}{}: the header (row {row}) has no column for {}", .sheet.as_ref().map_or_else(String::new, |s| format!(", sheet `{s}`")), .missing.join(", "))]
    Columns {
        /// The file.
        file: PathBuf,
        /// The sheet, for a workbook.
        sheet: Option<String>,
        /// The header's (last) row number.
        row: usize,
        /// What is missing, in words.
        missing: Vec<String>,
    },
    /// The projection period cannot be told from the header.
    #[error(
        "{file}: cannot tell the projection period from the header (no two `Employment, YYYY` columns); pass --projections-release, e.g. 2024-34"
    )]
    NoRelease {
        /// The file.
        file: PathBuf,
    },
    /// No occupation row was read.
    #[error("{file}: the table has no occupation rows it can read{first_problem}")]
    Empty {
        /// The file.
        file: PathBuf,
        /// The first row that could not be read, if any.
        first_problem: String,
    },
    /// The snapshot could not be written.
    #[error(transparent)]
    Write(#[from] ImportError),
}

/// How many rows a header may be from the top of a sheet.
const HEADER_ROWS: usize = 30;

/// The largest workbook read (BLS's is about 0.4 MB).
const MAX_BYTES: u64 = 64 << 20;

/// The result of reading BLS's table.
#[derive(Debug, Clone)]
pub struct ImportedProjections {
    /// The release, `2024-34`.
    pub release: EpRelease,
    /// Every occupation and summary row, in the table's order.
    pub projections: Vec<Projection>,
    /// Rows that could not be read (left out), by row number.
    pub problems: Vec<RowProblem>,
    /// The file.
    pub file: PathBuf,
    /// The sheet read, for a workbook.
    pub sheet: Option<String>,
    /// The header rows, 1-based (two for older releases).
    pub header_rows: Vec<usize>,
}

impl ImportedProjections {
    /// The snapshot text (CSV with [`COLUMNS`]).
    pub fn snapshot_text(&self) -> String {
        table::write(&self.projections)
    }

    /// How many rows are occupations (line items), and how many summaries.
    pub fn counts(&self) -> (usize, usize) {
        let summaries = self.projections.iter().filter(|p| p.is_summary()).count();
        (self.projections.len() - summaries, summaries)
    }
}

/// A sheet (or CSV) as text cells with 1-based row numbers.
type Grid = Vec<(usize, Result<Vec<String>, String>)>;

fn open_error(file: &Path, message: impl ToString) -> ProjectionsImportError {
    ProjectionsImportError::Open {
        file: file.to_owned(),
        message: message.to_string(),
    }
}

fn extension(file: &Path) -> String {
    file.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default()
}

/// True when `file` looks like BLS's projections rather than an OEWS table:
/// a workbook with a sheet named `Table 1.2`, or a CSV whose first rows name
/// openings and no `OCC_CODE`. A file named as BLS names its OEWS downloads
/// (`national_M2025_dl.xlsx`) is not opened.
pub fn is_projections_file(file: &Path) -> bool {
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    if crate::data::Release::from_file_name(name).is_some() {
        return false;
    }
    let Ok(bytes) = crate::fsio::read_regular(file, 1 << 30) else {
        return false;
    };
    if extension(file) == "csv" {
        let head: String = String::from_utf8_lossy(&bytes[..bytes.len().min(16 << 10)])
            .lines()
            .take(HEADER_ROWS)
            .collect::<Vec<_>>()
            .join("\n")
            .to_lowercase();
        return head.contains("openings") && !head.contains("occ_code");
    }
    Workbook::open(bytes, SheetLimits::DEFAULT)
        .map(|workbook| {
            workbook
                .sheet_names()
                .iter()
                .any(|name| name.trim().eq_ignore_ascii_case("Table 1.2"))
        })
        .unwrap_or(false)
}

/// Reads BLS's projections table from `file`; `release` overrides the
/// period told by the header.
pub fn import(
    file: &Path,
    release: Option<EpRelease>,
) -> Result<ImportedProjections, ProjectionsImportError> {
    let bytes = crate::fsio::read_regular(file, MAX_BYTES).map_err(|e| open_error(file, e))?;
    let mut candidates: Vec<(Option<String>, Grid)> = Vec::new();
    if extension(file) == "csv" {
        let text = String::from_utf8(bytes)
            .map_err(|e| open_error(file, format!("not UTF-8 text ({e})")))?;
        let grid = text
            .lines()
            .enumerate()
            .map(|(i, line)| {
                let cells = crate::data::table::split(line)
                    .map(|cells| cells.into_iter().map(|c| c.into_owned()).collect());
                (i + 1, cells)
            })
            .collect();
        candidates.push((None, grid));
    } else {
        // Read within the bounds every workbook import keeps (sheet.rs).
        let mut workbook =
            Workbook::open(bytes, SheetLimits::DEFAULT).map_err(|e| open_error(file, e))?;
        let mut names = workbook.sheet_names();
        // BLS's table first; the others only if it is not there.
        names.sort_by_key(|name| !name.trim().eq_ignore_ascii_case("Table 1.2"));
        for name in names {
            let grid = workbook
                .rows(&name)
                .map_err(|e| open_error(file, e))?
                .into_iter()
                .map(|(number, cells)| (number, Ok(cells)))
                .collect();
            candidates.push((Some(name), grid));
        }
    }
    let mut columns_error = None;
    for (sheet, grid) in candidates {
        let Some(layout) = Layout::find(&grid) else {
            continue;
        };
        match layout.columns() {
            Ok(columns) => return read_rows(file, sheet, &grid, &layout, &columns, release),
            // Neither employment nor openings: another kind of table.
            Err(missing) if missing.len() >= 4 => {}
            Err(missing) => {
                columns_error.get_or_insert(ProjectionsImportError::Columns {
                    file: file.to_owned(),
                    sheet,
                    row: *layout.header_rows.last().unwrap_or(&0),
                    missing,
                });
            }
        }
    }
    Err(
        columns_error.unwrap_or_else(|| ProjectionsImportError::NoTable {
            file: file.to_owned(),
        }),
    )
}

/// Where the header is, and each column's name (the header rows joined).
struct Layout {
    header_rows: Vec<usize>,
    /// Index in the grid of the first row after the header.
    body: usize,
    /// Per column: its full name (header rows joined with `, `) and its last part.
    names: Vec<(String, String)>,
}

/// Lower case, dashes as `-`, footnote marks (`[1]`) and extra spaces removed.
fn normalize(text: &str) -> String {
    let mut out = String::new();
    let mut in_mark = false;
    for c in text.chars() {
        match c {
            '[' => in_mark = true,
            ']' => in_mark = false,
            _ if in_mark => {}
            '–' | '—' | '‑' => out.push('-'),
            c if c.is_whitespace() => {
                if !out.ends_with(' ') && !out.is_empty() {
                    out.push(' ');
                }
            }
            c => out.extend(c.to_lowercase()),
        }
    }
    out.trim().to_owned()
}

fn is_code(cell: &str) -> bool {
    crate::data::snapshot::is_soc_code(cell.trim())
}

impl Layout {
    /// The header above the first row holding a SOC code and a number.
    fn find(grid: &Grid) -> Option<Self> {
        let body = grid.iter().take(HEADER_ROWS).position(|(_, cells)| {
            cells.as_ref().is_ok_and(|cells| {
                cells.iter().any(|c| is_code(c))
                    && cells.iter().any(|c| table::Tenths::parse(c).is_some())
            })
        })?;
        // Header rows: those above with several cells (the title row has one).
        let header: Vec<(usize, &Vec<String>)> = grid[..body]
            .iter()
            .filter_map(|(n, cells)| Some((*n, cells.as_ref().ok()?)))
            .filter(|(_, cells)| cells.iter().filter(|c| !c.trim().is_empty()).count() >= 2)
            .collect();
        if header.is_empty() {
            return None;
        }
        let width = header.iter().map(|(_, c)| c.len()).max().unwrap_or(0);
        let last = header.len() - 1;
        let mut parts: Vec<Vec<String>> = vec![Vec::new(); width];
        for (index, (_, cells)) in header.iter().enumerate() {
            let mut carried = String::new();
            for (column, slot) in parts.iter_mut().enumerate() {
                let cell = cells.get(column).map_or("", |c| c.trim());
                let text = if !cell.is_empty() {
                    carried = cell.to_owned();
                    cell.to_owned()
                } else if index < last {
                    // A heading merged across the columns below it is in
                    // its first cell only: it covers each column with a name
                    // of its own in a lower header row.
                    let named_below = header[index + 1..]
                        .iter()
                        .any(|(_, lower)| lower.get(column).is_some_and(|c| !c.trim().is_empty()));
                    if named_below {
                        carried.clone()
                    } else {
                        carried.clear();
                        String::new()
                    }
                } else {
                    String::new()
                };
                if !text.is_empty() {
                    slot.push(normalize(&text));
                }
            }
        }
        let names = parts
            .into_iter()
            .map(|p| (p.join(", "), p.last().cloned().unwrap_or_default()))
            .collect();
        Some(Layout {
            header_rows: header.iter().map(|(n, _)| *n).collect(),
            body,
            names,
        })
    }

    /// The position of each snapshot column; `Err` names what is missing.
    fn columns(&self) -> Result<Columns, Vec<String>> {
        let find = |test: &dyn Fn(&str, &str) -> bool| {
            self.names
                .iter()
                .position(|(full, last)| !full.is_empty() && test(full, last))
        };
        let has = |text: &str, words: &[&str]| words.iter().all(|w| text.contains(w));
        let employment: Vec<(usize, u16)> = self
            .names
            .iter()
            .enumerate()
            .filter(|(_, (full, _))| {
                full.contains("employment")
                    && ![
                        "distribution",
                        "change",
                        "self",
                        "percent",
                        "openings",
                        "matrix",
                        "title",
                        "code",
                    ]
                    .iter()
                    .any(|w| full.contains(w))
            })
            .filter_map(|(at, (full, _))| Some((at, year_in(full)?)))
            .collect();
        let code = find(&|_, last| last.contains("code"));
        let title = find(&|_, last| last.contains("title") && !last.contains("code"));
        let change_pct = find(&|full, _| has(full, &["change", "percent"]));
        let openings = find(&|full, _| full.contains("openings"));
        let education = find(&|full, _| full.contains("education"));
        let mut missing = Vec::new();
        for (found, name) in [
            (code, "the occupation code"),
            (title, "the occupation title"),
            (change_pct, "the employment change in percent"),
            (openings, "occupational openings"),
            (education, "typical education needed for entry"),
        ] {
            if found.is_none() {
                missing.push(name.to_owned());
            }
        }
        if employment.len() < 2 {
            missing.push("employment in the base and target years".to_owned());
        }
        if !missing.is_empty() {
            return Err(missing);
        }
        let base = *employment
            .iter()
            .min_by_key(|(_, year)| *year)
            .expect("two");
        let target = *employment
            .iter()
            .max_by_key(|(_, year)| *year)
            .expect("two");
        Ok(Columns {
            positions: [
                code,
                title,
                find(&|full, _| full.contains("occupation type")),
                Some(base.0),
                Some(target.0),
                find(&|full, _| {
                    full.contains("change") && (full.contains("numeric") || full.contains("number"))
                }),
                change_pct,
                openings,
                find(&|full, _| has(full, &["median", "wage"])),
                education,
                find(&|full, _| full.contains("experience")),
                find(&|full, _| full.contains("training")),
            ],
            years: (base.1, target.1),
        })
    }
}

/// The first four-digit year (1990-2100) in `text`.
fn year_in(text: &str) -> Option<u16> {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(3)).find_map(|i| {
        let digits = &bytes[i..i + 4];
        let alone = (i == 0 || !bytes[i - 1].is_ascii_digit())
            && bytes.get(i + 4).is_none_or(|b| !b.is_ascii_digit());
        if !alone || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let year: u16 = std::str::from_utf8(digits).ok()?.parse().ok()?;
        (1990..=2100).contains(&year).then_some(year)
    })
}

/// Where each of [`COLUMNS`] is (`None`: the table has no such column).
struct Columns {
    positions: [Option<usize>; 12],
    years: (u16, u16),
}

fn read_rows(
    file: &Path,
    sheet: Option<String>,
    grid: &Grid,
    layout: &Layout,
    columns: &Columns,
    release: Option<EpRelease>,
) -> Result<ImportedProjections, ProjectionsImportError> {
    let release = match release {
        Some(release) => release,
        None => EpRelease::from_years(columns.years.0, columns.years.1).ok_or_else(|| {
            ProjectionsImportError::NoRelease {
                file: file.to_owned(),
            }
        })?,
    };
    let code_at = columns.positions[0].expect("a code column");
    let mut projections: Vec<Projection> = Vec::new();
    let mut seen: HashMap<String, (usize, usize)> = HashMap::new();
    let mut problems = Vec::new();
    for (row, cells) in &grid[layout.body..] {
        let problem = |message: String| RowProblem {
            file: file.to_owned(),
            row: *row,
            message,
        };
        let cells = match cells {
            Ok(cells) => cells,
            Err(message) => {
                problems.push(problem(message.clone()));
                continue;
            }
        };
        let code = cells.get(code_at).map_or("", |c| c.trim());
        if code.is_empty() {
            // A blank row, or a footnote ("Footnotes:", "[1] Data are from …").
            continue;
        }
        let fields: Vec<String> = columns
            .positions
            .iter()
            .map(|at| at.and_then(|at| cells.get(at)).map_or("", |c| c.trim()))
            .map(str::to_owned)
            .collect();
        // The next line of the snapshot: the header is line 1.
        let line = projections.len() + 2;
        let projection = match Projection::parse(&fields, line) {
            Ok(projection) => projection,
            Err(message) => {
                problems.push(problem(message));
                continue;
            }
        };
        if let Some((at, first_row)) = seen.get(&projection.code) {
            let mut first = projections[*at].clone();
            first.line = projection.line;
            if first != projection {
                problems.push(problem(format!(
                    "{} is also in row {first_row} with other figures; the first is kept",
                    projection.code
                )));
            }
            continue;
        }
        seen.insert(projection.code.clone(), (projections.len(), *row));
        projections.push(projection);
    }
    if projections.is_empty() {
        return Err(ProjectionsImportError::Empty {
            file: file.to_owned(),
            first_problem: problems
                .first()
                .map(|p| format!(" (row {}: {})", p.row, p.message))
                .unwrap_or_default(),
        });
    }
    Ok(ImportedProjections {
        release,
        projections,
        problems,
        file: file.to_owned(),
        sheet,
        header_rows: layout.header_rows.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[&[&str]]) -> Grid {
        rows.iter()
            .enumerate()
            .map(|(i, r)| (i + 1, Ok(r.iter().map(|c| (*c).to_owned()).collect())))
            .collect()
    }

    #[test]
    fn two_header_rows_are_joined() {
        let grid = grid(&[
            &["Table 1.2 Occupational projections, 2014-24"],
            &[
                "2014 National Employment Matrix title and code",
                "",
                "Employment",
                "",
                "Employment change, 2014–24",
                "",
                "Occupational openings, 2014–24 annual average",
                "Typical education needed for entry",
            ],
            &["Title", "Code", "2014", "2024", "Number", "Percent", "", ""],
            &[
                "Software developers, applications",
                "15-1132",
                "831.3",
                "966.0",
                "135.3",
                "16.3",
                "25.8",
                "Bachelor's degree",
            ],
        ]);
        let layout = Layout::find(&grid).unwrap();
        assert_eq!(layout.header_rows, [2, 3]);
        assert_eq!(layout.names[2].0, "employment, 2014");
        assert_eq!(layout.names[5].0, "employment change, 2014-24, percent");
        assert_eq!(
            layout.names[6].0,
            "occupational openings, 2014-24 annual average"
        );
        let columns = layout.columns().unwrap();
        assert_eq!(columns.years, (2014, 2024));
        assert_eq!(
            columns.positions,
            [
                Some(1),
                Some(0),
                None,
                Some(2),
                Some(3),
                Some(4),
                Some(5),
                Some(6),
                None,
                Some(7),
                None,
                None
            ]
        );
    }

    #[test]
    fn years() {
        assert_eq!(year_in("employment, 2024"), Some(2024));
        assert_eq!(year_in("employment change, numeric, 2024-34"), Some(2024));
        assert_eq!(year_in("12345"), None);
    }
}
