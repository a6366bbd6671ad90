//! `data import` on hostile workbooks, generated here as minimal XLSX files
//! (the zip crate writing the XML parts) and imported by the binary under a
//! 1 GiB address-space limit (`ulimit -v`): a sheet whose cells span columns
//! A to XFD, shared strings that unpack to far more than the file, and titles
//! holding formulas and terminal control characters. Each must end in a clear
//! error naming the sheet or the row, never an abort on allocation.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::common::cli::{BIN, clear_env, stderr};

/// Address space the binary may use, in KiB (`ulimit -v`).
const MEMORY_LIMIT_KIB: u64 = 1 << 20;

/// A column's letters: 0 is `A`.
fn column(mut index: usize) -> String {
    let mut letters = Vec::new();
    index += 1;
    while index > 0 {
        letters.push(b'A' + ((index - 1) % 26) as u8);
        index = (index - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One cell: a number, or an inline string.
fn cell(reference: &str, value: &str) -> String {
    if !value.is_empty() && value.parse::<f64>().is_ok() {
        format!(r#"<c r="{reference}"><v>{value}</v></c>"#)
    } else {
        format!(
            r#"<c r="{reference}" t="inlineStr"><is><t xml:space="preserve">{}</t></is></c>"#,
            escape(value)
        )
    }
}

/// A row of values from column A on (1-based row number).
fn row(number: usize, values: &[&str]) -> String {
    let cells: String = values
        .iter()
        .enumerate()
        .map(|(i, v)| cell(&format!("{}{number}", column(i)), v))
        .collect();
    format!(r#"<row r="{number}">{cells}</row>"#)
}

/// A workbook of one sheet named `Sheet1` holding `rows` (`<row>` elements),
/// with `extra` parts added as they are.
fn workbook(rows: impl Iterator<Item = String>, extra: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut part = |name: &str, bytes: &[u8]| {
        zip.start_file(name, options).unwrap();
        zip.write_all(bytes).unwrap();
    };
    part(
        "[Content_Types].xml",
        br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
    );
    part(
        "_rels/.rels",
        br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    part(
        "xl/workbook.xml",
        br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
    );
    part(
        "xl/_rels/workbook.xml.rels",
        br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
    );
    for (name, bytes) in extra {
        part(name, bytes);
    }
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#).unwrap();
    for row in rows {
        zip.write_all(row.as_bytes()).unwrap();
    }
    zip.write_all(b"</sheetData></worksheet>").unwrap();
    zip.finish().unwrap().into_inner()
}

// The columns of BLS's OEWS tables, as the snapshot names them.
use guidepress::data::table::COLUMNS as HEADER;

/// A national row of an OEWS table for `code` titled `title`.
fn national(number: usize, code: &str, title: &str) -> String {
    row(
        number,
        &[
            "99", "U.S.", "1", "US", code, title, "detailed", "1000", "50.5", "105040", "48.1",
            "60000", "80000", "100050", "120000", "150000",
        ],
    )
}

/// `guidepress data import FILE --output out.csv` in `dir` under the memory limit.
fn import_limited(dir: &Path, file: &str) -> Output {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!(
            "ulimit -v {MEMORY_LIMIT_KIB} && exec \"$0\" \"$@\""
        ))
        .arg(BIN)
        .args(["data", "import", file, "--output", "out.csv"])
        .current_dir(dir)
        .stdin(Stdio::null());
    clear_env(&mut command);
    command.output().expect("sh runs")
}

/// Exit 2 with an error, not a signal (SIGABRT, SIGKILL) or a failed allocation.
fn assert_clear_error(output: &Output) -> String {
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(2), "{:?}: {err}", output.status);
    assert!(!err.contains("memory allocation"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn a_sheet_spanning_columns_a_to_xfd_is_refused_under_a_memory_limit() {
    let dir = tempfile::tempdir().unwrap();
    // 300,000 rows, each with a cell in column A and one in XFD (the last):
    // read whole, 300,000 × 16,384 cells.
    let rows = (1..=300_000).map(|n| {
        format!(r#"<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="XFD{n}"><v>1</v></c></row>"#)
    });
    let bytes = workbook(rows, &[]);
    assert!(bytes.len() < 4 << 20, "{} bytes", bytes.len());
    std::fs::write(dir.path().join("national_M2025_dl.xlsx"), bytes).unwrap();
    let output = import_limited(dir.path(), "national_M2025_dl.xlsx");
    let err = assert_clear_error(&output);
    assert!(
        err.contains(
            "national_M2025_dl.xlsx: sheet `Sheet1` has a value in cell XFD1 (column 16384, row 1); guidepress reads at most 1024 columns (to AMJ)"
        ),
        "{err}"
    );
    assert!(!dir.path().join("out.csv").exists());
}

#[test]
fn a_value_past_the_column_limit_below_the_header_is_refused_too() {
    let dir = tempfile::tempdir().unwrap();
    let mut rows = vec![
        row(1, &HEADER),
        national(2, "15-1252", "Software Developers"),
    ];
    rows.push(r#"<row r="3"><c r="AMK3"><v>1</v></c></row>"#.to_owned());
    std::fs::write(
        dir.path().join("national_M2025_dl.xlsx"),
        workbook(rows.into_iter(), &[]),
    )
    .unwrap();
    let err = assert_clear_error(&import_limited(dir.path(), "national_M2025_dl.xlsx"));
    assert!(
        err.contains("sheet `Sheet1` has a value in cell AMK3 (column 1025, row 3)"),
        "{err}"
    );
}

#[test]
fn shared_strings_that_unpack_past_the_limit_are_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    // 100 MB of shared strings, a few hundred KB compressed.
    let mut strings = Vec::with_capacity(100 << 20);
    strings.extend_from_slice(br#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#);
    while strings.len() < 100 << 20 {
        strings.extend_from_slice(b"<si><t>a</t></si>");
    }
    strings.extend_from_slice(b"</sst>");
    let bytes = workbook(
        std::iter::once(row(1, &HEADER)),
        &[("xl/sharedStrings.xml", &strings)],
    );
    assert!(bytes.len() < 2 << 20, "{} bytes", bytes.len());
    std::fs::write(dir.path().join("national_M2025_dl.xlsx"), bytes).unwrap();
    let err = assert_clear_error(&import_limited(dir.path(), "national_M2025_dl.xlsx"));
    assert!(
        err.contains("national_M2025_dl.xlsx: its parts other than the sheets (`xl/sharedStrings.xml` and before it) unpack to more than 67108864 bytes"),
        "{err}"
    );
}

#[test]
fn one_cell_text_past_the_run_limit_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    // One inline string of 64 MB in a file of under 100 KB (a few GB in a
    // file of a few MB is the same): the XML reader would hold it whole.
    let huge = format!(
        r#"<row r="2"><c r="A2" t="inlineStr"><is><t>{}</t></is></c></row>"#,
        "a".repeat(64 << 20)
    );
    let bytes = workbook([row(1, &HEADER), huge].into_iter(), &[]);
    assert!(bytes.len() < 2 << 20, "{} bytes", bytes.len());
    std::fs::write(dir.path().join("national_M2025_dl.xlsx"), bytes).unwrap();
    let err = assert_clear_error(&import_limited(dir.path(), "national_M2025_dl.xlsx"));
    assert!(
        err.contains("national_M2025_dl.xlsx: `xl/worksheets/sheet1.xml` holds a text or tag of more than 1048576 bytes"),
        "{err}"
    );
}

#[test]
fn formulas_are_neutralised_and_control_characters_refused_by_row() {
    let dir = tempfile::tempdir().unwrap();
    let rows = vec![
        row(1, &HEADER),
        national(2, "15-1252", "Software Developers"),
        national(3, "11-1011", "=cmd|' /C calc'!A0"),
        national(4, "11-1021", "+SUM(1)"),
        national(5, "11-2011", "@x"),
        national(6, "11-2021", "-1+1"),
        national(7, "11-3011", "Escape \u{1b}[31m red"),
        national(8, "11-3021", "Override \u{202e}gnp.exe"),
    ];
    std::fs::write(
        dir.path().join("national_M2025_dl.xlsx"),
        workbook(rows.into_iter(), &[]),
    )
    .unwrap();
    let output = import_limited(dir.path(), "national_M2025_dl.xlsx");
    let err = stderr(&output);
    // Rows that cannot be read make the import exit 1, as before.
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "national_M2025_dl.xlsx row 7: OCC_TITLE holds the control character U+001B; titles are plain text"
        ),
        "{err}"
    );
    assert!(
        err.contains("national_M2025_dl.xlsx row 8: OCC_TITLE holds the control character U+202E"),
        "{err}"
    );
    assert!(
        !err.contains('\u{1b}') && !err.contains('\u{202e}'),
        "{err:?}"
    );
    let written = std::fs::read_to_string(dir.path().join("out.csv")).unwrap();
    assert!(!written.contains('\u{1b}') && !written.contains('\u{202e}'));
    let titles: Vec<String> = written
        .lines()
        .skip(1)
        .map(|line| guidepress::data::table::split(line).unwrap()[5].to_string())
        .collect();
    assert_eq!(
        titles,
        [
            "'=cmd|' /C calc'!A0",
            "'+SUM(1)",
            "'@x",
            "'-1+1",
            "Software Developers"
        ]
    );
    // No field of the snapshot starts as a formula would.
    for line in written.lines() {
        for field in guidepress::data::table::split(line).unwrap() {
            assert!(
                !field.starts_with(['=', '+', '-', '@']),
                "{field} in {line}"
            );
        }
    }
}

#[test]
fn other_workbook_formats_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    // An .ods file is a zip with `content.xml` and no `xl/workbook.xml`.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("mimetype", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("content.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(b"<office:document-content/>").unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    std::fs::write(dir.path().join("national_M2025_dl.ods"), bytes).unwrap();
    let err = assert_clear_error(&import_limited(dir.path(), "national_M2025_dl.ods"));
    assert!(
        err.contains(
            "national_M2025_dl.ods: this is an .ods workbook, which guidepress does not read"
        ),
        "{err}"
    );
    assert!(err.contains("save the table as .xlsx or CSV"), "{err}");
}
