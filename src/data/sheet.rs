//! Reading a workbook within bounds, for the importers of official data.
//!
//! A spreadsheet's size on disk says little about what reading it costs: an
//! XLSX file is a zip of XML, and a 2 MB file whose rows hold cells in
//! columns A and XFD spans 300,000 × 16,384 cells. `calamine`'s
//! `worksheet_range` allocates that whole rectangle before returning; here a
//! sheet is read cell by cell with its streaming reader
//! (`worksheet_cells_reader`) and handed over one row at a time, and a value
//! outside [`SheetLimits`] (a column past the limit, a row past Excel's last,
//! more cells than the limit) stops the read with [`SheetError::TooLarge`],
//! naming the sheet and the cell. The parts `calamine` reads whole when it
//! opens a workbook (shared strings, styles, the workbook itself) are
//! unpacked once first and counted, so a zip bomb among them is refused
//! before anything is kept; each sheet's XML is unpacked once too, without
//! keeping it, to bound what the XML reader holds at once (a cell's text, a
//! tag) and the sheet's size.
//!
//! Only XLSX (and XLSM) workbooks are read: `calamine` reads `.xls` and `.ods`
//! files whole as it opens them, sized by what the file declares, so their
//! cost cannot be bounded beforehand; they are refused with a hint to save the
//! table as XLSX or CSV.
//!
//! [`Workbook::open`] then [`Workbook::for_each_row`] (or [`Workbook::rows`]
//! for a small table) is what every importer calls.

use std::io::{Cursor, Read};
use std::ops::ControlFlow;

use calamine::{DataRef, Reader, Xlsx};

/// How much of a workbook is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SheetLimits {
    /// Columns read (a value in a later column is an error).
    pub max_columns: u32,
    /// Rows read (a value in a later row is an error).
    pub max_rows: u32,
    /// Cells (`<c>` elements, empty ones included) read from one sheet.
    pub max_cells: u64,
    /// Bytes the parts read whole when the workbook opens (shared strings,
    /// styles, workbook, relationships) may unpack to, together.
    pub max_part_bytes: u64,
    /// Bytes one sheet's XML may unpack to.
    pub max_sheet_bytes: u64,
    /// Bytes from one `<` of a sheet's XML to the next: the most the XML
    /// reader holds at once (a cell's text, a tag with its attributes).
    pub max_run_bytes: u64,
}

impl SheetLimits {
    /// The defaults: 1,024 columns (BLS's tables have about 32), Excel's
    /// 1,048,576 rows, 50 million cells (BLS's all-data table has about 13
    /// million), 64 MiB of shared strings and styles, 4 GiB of XML in a
    /// sheet (the all-data table's is about 700 MB) and 1 MiB from one `<`
    /// to the next (Excel holds at most 32,767 characters in a cell).
    pub const DEFAULT: SheetLimits = SheetLimits {
        max_columns: 1024,
        max_rows: 1 << 20,
        max_cells: 50_000_000,
        max_part_bytes: 64 << 20,
        max_sheet_bytes: 4 << 30,
        max_run_bytes: 1 << 20,
    };
}

impl Default for SheetLimits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Why a workbook, or one of its sheets, was not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    /// Not a workbook that could be opened.
    #[error("not a readable XLSX workbook ({0})")]
    Open(String),
    /// A workbook format whose reading cannot be bounded.
    #[error(
        "this is an {kind} workbook, which guidepress does not read (its size cannot be checked before it is read whole); save the table as .xlsx or CSV"
    )]
    Unsupported {
        /// `.xls`, `.ods`, `.xlsb`.
        kind: &'static str,
    },
    /// A part read whole on opening unpacks to too much.
    #[error(
        "its parts other than the sheets (`{part}` and before it) unpack to more than {limit} bytes; is this an OEWS download?"
    )]
    PartTooLarge {
        /// The part that passed the limit.
        part: String,
        /// The limit.
        limit: u64,
    },
    /// A sheet's XML is larger than the limits, or holds what a
    /// spreadsheet program never writes there.
    #[error("`{part}` {what}; is this an OEWS download?")]
    SheetXml {
        /// The part (`xl/worksheets/sheet1.xml`).
        part: String,
        /// What is wrong.
        what: String,
    },
    /// A sheet is larger than the limits.
    #[error("sheet `{sheet}` {what}; is this an OEWS download?")]
    TooLarge {
        /// The sheet.
        sheet: String,
        /// What is too large, and the limit.
        what: String,
    },
    /// A sheet could not be read.
    #[error("sheet `{sheet}` cannot be read: {message}")]
    Read {
        /// The sheet.
        sheet: String,
        /// What went wrong.
        message: String,
    },
}

/// An open XLSX workbook whose sheets are read within [`SheetLimits`].
pub struct Workbook {
    inner: Xlsx<Cursor<Vec<u8>>>,
    limits: SheetLimits,
}

impl std::fmt::Debug for Workbook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workbook")
            .field("sheets", &self.inner.sheet_names())
            .field("limits", &self.limits)
            .finish()
    }
}

impl Workbook {
    /// Opens the workbook in `bytes` (the whole file), refusing other
    /// formats and parts that unpack past `limits.max_part_bytes`.
    pub fn open(bytes: Vec<u8>, limits: SheetLimits) -> Result<Self, SheetError> {
        if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            return Err(SheetError::Unsupported { kind: ".xls" });
        }
        check_parts(&bytes, limits)?;
        let inner = Xlsx::new(Cursor::new(bytes)).map_err(|e| SheetError::Open(e.to_string()))?;
        Ok(Workbook { inner, limits })
    }

    /// The sheets' names, in workbook order.
    pub fn sheet_names(&self) -> Vec<String> {
        self.inner.sheet_names()
    }

    /// Calls `visit` with each row of `sheet` that holds a cell: its 1-based
    /// number and its cells as text (see [`cell_text`]), from column A to its
    /// last cell. Stops early when `visit` breaks; `Err` when the sheet
    /// passes the limits or cannot be read.
    pub fn for_each_row(
        &mut self,
        sheet: &str,
        mut visit: impl FnMut(usize, Vec<String>) -> ControlFlow<()>,
    ) -> Result<(), SheetError> {
        let limits = self.limits;
        let read_error = |message: String| SheetError::Read {
            sheet: sheet.to_owned(),
            message,
        };
        let too_large = |what: String| SheetError::TooLarge {
            sheet: sheet.to_owned(),
            what,
        };
        let mut reader = self
            .inner
            .worksheet_cells_reader(sheet)
            .map_err(|e| read_error(e.to_string()))?;
        let mut current: Option<(u32, Vec<String>)> = None;
        let mut cells: u64 = 0;
        while let Some(cell) = reader.next_cell().map_err(|e| read_error(e.to_string()))? {
            cells += 1;
            if cells > limits.max_cells {
                return Err(too_large(format!(
                    "has more than {} cells, the most guidepress reads",
                    limits.max_cells
                )));
            }
            let (row, column) = cell.get_position();
            let value = cell.get_value();
            if matches!(value, DataRef::Empty) {
                continue;
            }
            if column >= limits.max_columns || row >= limits.max_rows {
                return Err(too_large(format!(
                    "has a value in cell {}{} (column {}, row {}); guidepress reads at most {} columns (to {}) and {} rows",
                    column_name(column),
                    u64::from(row) + 1,
                    u64::from(column) + 1,
                    u64::from(row) + 1,
                    limits.max_columns,
                    column_name(limits.max_columns - 1),
                    limits.max_rows
                )));
            }
            if current.as_ref().is_some_and(|(r, _)| *r != row) {
                if let Some((r, text)) = current.take() {
                    if visit(r as usize + 1, text).is_break() {
                        return Ok(());
                    }
                }
            }
            let (_, text) = current.get_or_insert_with(|| (row, Vec::new()));
            let column = column as usize;
            if text.len() <= column {
                text.resize(column + 1, String::new());
            }
            text[column] = cell_text(value);
        }
        if let Some((r, text)) = current {
            let _ = visit(r as usize + 1, text);
        }
        Ok(())
    }

    /// Every row of `sheet` with a cell, as [`Workbook::for_each_row`] gives
    /// them: for small tables, read whole.
    pub fn rows(&mut self, sheet: &str) -> Result<Vec<(usize, Vec<String>)>, SheetError> {
        let mut rows = Vec::new();
        self.for_each_row(sheet, |number, cells| {
            rows.push((number, cells));
            ControlFlow::Continue(())
        })?;
        Ok(rows)
    }
}

/// Unpacks, counting, every part but the sheets: `calamine` reads them whole
/// when it opens the workbook. Refuses `.ods` and `.xlsb` workbooks.
fn check_parts(bytes: &[u8], limits: SheetLimits) -> Result<(), SheetError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| SheetError::Open(format!("not a zip file: {e}")))?;
    let names: Vec<String> = zip.file_names().map(str::to_owned).collect();
    if names.iter().any(|n| n == "xl/workbook.bin") {
        return Err(SheetError::Unsupported { kind: ".xlsb" });
    }
    if names.iter().any(|n| n == "content.xml") && !names.iter().any(|n| n == "xl/workbook.xml") {
        return Err(SheetError::Unsupported { kind: ".ods" });
    }
    let mut total: u64 = 0;
    for name in names {
        let part = zip
            .by_name(&name)
            .map_err(|e| SheetError::Open(format!("`{name}`: {e}")))?;
        if name.starts_with("xl/worksheets/") && !name.starts_with("xl/worksheets/_rels/") {
            scan_sheet(&name, part, limits)?;
            continue;
        }
        let left = limits.max_part_bytes.saturating_sub(total);
        let read = std::io::copy(&mut part.take(left + 1), &mut std::io::sink())
            .map_err(|e| SheetError::Open(format!("`{name}`: {e}")))?;
        total += read;
        if total > limits.max_part_bytes {
            return Err(SheetError::PartTooLarge {
                part: name,
                limit: limits.max_part_bytes,
            });
        }
    }
    Ok(())
}

/// Unpacks a sheet's XML once, without keeping it, and checks what the XML
/// reader would hold at once: no more than `limits.max_run_bytes` from one
/// `<` to the next, no comment, CDATA section or document type (`<!`, which
/// may hold `<` inside one event, and which spreadsheet programs never
/// write in a sheet), and no more than `limits.max_sheet_bytes` in all.
fn scan_sheet(name: &str, mut part: impl Read, limits: SheetLimits) -> Result<(), SheetError> {
    let bad = |what: String| SheetError::SheetXml {
        part: name.to_owned(),
        what,
    };
    let mut buffer = vec![0u8; 64 << 10];
    let mut total: u64 = 0;
    let mut run: u64 = 0;
    let mut after_lt = false;
    loop {
        let read = match part.read(&mut buffer) {
            Ok(0) => return Ok(()),
            Ok(read) => read,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(SheetError::Open(format!("`{name}`: {error}"))),
        };
        total += read as u64;
        if total > limits.max_sheet_bytes {
            return Err(bad(format!(
                "unpacks to more than {} bytes",
                limits.max_sheet_bytes
            )));
        }
        for &byte in &buffer[..read] {
            if after_lt && byte == b'!' {
                return Err(bad(
                    "holds a comment, CDATA section or document type, which guidepress does not read in a sheet".into(),
                ));
            }
            after_lt = byte == b'<';
            if after_lt {
                run = 0;
            } else {
                run += 1;
                if run > limits.max_run_bytes {
                    return Err(bad(format!(
                        "holds a text or tag of more than {} bytes",
                        limits.max_run_bytes
                    )));
                }
            }
        }
    }
}

/// A column's letters: 0 is `A`, 16383 is `XFD`.
pub fn column_name(column: u32) -> String {
    let mut n = u64::from(column) + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        letters.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// A cell as text: whole floats without a fraction (`1687890.0` → `1687890`).
pub fn cell_text(cell: &DataRef<'_>) -> String {
    match cell {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => format!("{f}"),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) => d.as_f64().to_string(),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(1023), "AMJ");
        assert_eq!(column_name(16383), "XFD");
    }

    #[test]
    fn other_formats_are_refused_by_name() {
        let xls = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
        let error = Workbook::open(xls.to_vec(), SheetLimits::DEFAULT).unwrap_err();
        assert_eq!(error, SheetError::Unsupported { kind: ".xls" });
        let error = Workbook::open(b"a,b\n".to_vec(), SheetLimits::DEFAULT).unwrap_err();
        assert!(matches!(error, SheetError::Open(_)), "{error}");
    }
}
