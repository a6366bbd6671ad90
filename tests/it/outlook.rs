//! BLS's Employment Projections and a release bump, on BLS's own workbooks
//! (`tests/fixtures/bls/`): the EP importer on `occupation.xlsx` and on a
//! generated workbook with the two header rows of older releases, the OEWS
//! importer on the May 2024 national download, the outlook rules (GP611-
//! GP614) flagging and fixing the seed guide's 2023–33 figures, `data show`
//! with the projections, and `data update` bumping a copy of the seed from
//! May 2024 (national only) to May 2025 in a git repository.

use crate::common;
use crate::common::cli::{stderr, stdout};
use crate::common::copy_dir;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use guidepress::data::import;
use guidepress::data::projections::import as ep_import;
use guidepress::data::projections::{EpRelease, ProjectionsSnapshot, Tenths};

fn root() -> &'static Path {
    crate::common::crate_root()
}

fn bls(name: &str) -> PathBuf {
    root().join("tests/fixtures/bls").join(name)
}

fn run(dir: &Path, args: &[&str]) -> Output {
    common::cli::run_with(
        dir,
        args,
        &[("GUIDEPRESS_TODAY", "2026-11-28"), ("NO_COLOR", "1")],
    )
}

// ---- importing BLS's workbooks ----

#[test]
fn the_ep_importer_reads_bls_occupation_workbook() {
    let imported = ep_import::import(&bls("occupation.xlsx"), None).unwrap();
    assert_eq!(imported.release.as_str(), "2024-34");
    assert_eq!(imported.sheet.as_deref(), Some("Table 1.2"));
    assert_eq!(imported.header_rows, [2]);
    assert!(imported.problems.is_empty(), "{:?}", imported.problems);
    assert_eq!(imported.counts(), (832, 281));
    // The shipped snapshot is this import, byte for byte.
    let shipped = std::fs::read_to_string(root().join("data/ep/2024-34.csv")).unwrap();
    assert_eq!(imported.snapshot_text(), shipped);

    let snapshot = ProjectionsSnapshot::parse(
        imported.release.clone(),
        Path::new("data/ep/2024-34.csv"),
        &shipped,
    )
    .unwrap();
    let developers = snapshot.get("15-1252").unwrap();
    assert_eq!(developers.title, "Software developers");
    assert_eq!(developers.employment_base, Some(Tenths(16_938)));
    assert_eq!(developers.employment_target, Some(Tenths(19_614)));
    assert_eq!(developers.change_pct, Some(Tenths(158)));
    assert_eq!(developers.openings, Some(Tenths(1_152)));
    assert_eq!(developers.education.as_deref(), Some("Bachelor's degree"));
    let total = snapshot.get("00-0000").unwrap();
    assert!(total.is_summary());
    assert_eq!(total.education, None);
    // A top-coded wage is kept as BLS's bound.
    assert_eq!(
        snapshot.get("29-1022").unwrap().median_wage.as_deref(),
        Some(">=239200")
    );
    let group = snapshot.outlook(&["15-1252", "15-1253"]).unwrap();
    assert_eq!(group.openings().people(), 129_200);
    assert_eq!(format!("{:.0}", group.change_pct().0), "15");
}

/// A minimal XLSX workbook with one sheet of text and number cells.
fn xlsx(path: &Path, sheet: &str, rows: &[Vec<&str>]) {
    let mut data = String::new();
    for (r, row) in rows.iter().enumerate() {
        data.push_str(&format!("<row r=\"{}\">", r + 1));
        for (c, value) in row.iter().enumerate() {
            let column = (b'A' + c as u8) as char;
            let at = format!("{column}{}", r + 1);
            if value.is_empty() {
                continue;
            }
            if value.parse::<f64>().is_ok() {
                data.push_str(&format!("<c r=\"{at}\"><v>{value}</v></c>"));
            } else {
                let escaped = value
                    .replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;");
                data.push_str(&format!(
                    "<c r=\"{at}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">{escaped}</t></is></c>"
                ));
            }
        }
        data.push_str("</row>");
    }
    let files = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_owned(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_owned(),
        ),
        (
            "xl/workbook.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_owned(),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{data}</sheetData></worksheet>"#
            ),
        ),
    ];
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in files {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

/// Table 1.2 as BLS laid it out for 2014–24: a group heading row above the
/// column names ("Employment" over "2014" and "2024"), no occupation-type
/// column, a footnote, and one row that cannot be read.
#[test]
fn the_ep_importer_reads_two_header_rows() {
    let dir = tempfile::tempdir().unwrap();
    let workbook = dir.path().join("occupation.xlsx");
    xlsx(
        &workbook,
        "Table 1.2",
        &[
            vec!["Table 1.2 Employment by detailed occupation, 2014 and projected 2024"],
            vec![
                "2014 National Employment Matrix title and code",
                "",
                "Employment",
                "",
                "Change, 2014–24",
                "",
                "Occupational openings, 2014–24 annual average",
                "Median annual wage, 2015[1]",
                "Typical education needed for entry",
            ],
            vec![
                "Title", "Code", "2014", "2024", "Number", "Percent", "", "", "",
            ],
            vec![
                "Total, all occupations",
                "00-0000",
                "150539.9",
                "160328.8",
                "9788.9",
                "6.5",
                "—",
                "36200",
                "—",
            ],
            vec![
                "    Software developers, applications",
                "15-1132",
                "831.3",
                "966",
                "135.3",
                "16.3",
                "25.8",
                "98260",
                "Bachelor's degree",
            ],
            vec![
                "    Computer programmers",
                "15-1131",
                "302.2",
                "many",
                "-23.9",
                "-7.9",
                "8.1",
                "79530",
                "Bachelor's degree",
            ],
            vec!["Footnotes:"],
            vec!["[1] Data are from the Occupational Employment Statistics program."],
        ],
    );
    let output = dir.path().join("data/ep/2014-24.csv");
    let first = run(
        dir.path(),
        &[
            "data",
            "import",
            "occupation.xlsx",
            "--output",
            output.to_str().unwrap(),
        ],
    );
    // The unreadable row is reported by its number; the others are kept.
    assert_eq!(first.status.code(), Some(1), "{}", stderr(&first));
    let report = stderr(&first);
    assert!(
        report.contains("occupation.xlsx, sheet `Table 1.2` (header rows 2 and 3): 2 occupations and 0 summary rows read"),
        "{report}"
    );
    assert!(
        report.contains("occupation.xlsx row 6: EMP_TARGET is `many`, not a number or `—`"),
        "{report}"
    );
    assert!(
        report.contains("for BLS Employment Projections 2014–24 (2014-24)"),
        "{report}"
    );
    let written = std::fs::read_to_string(&output).unwrap();
    assert_eq!(
        written,
        "OCC_CODE,OCC_TITLE,OCC_TYPE,EMP_BASE,EMP_TARGET,EMP_CHANGE,EMP_CHANGE_PCT,OPENINGS,A_MEDIAN,EDUCATION,EXPERIENCE,TRAINING\n\
         00-0000,\"Total, all occupations\",,150539.9,160328.8,9788.9,6.5,—,36200,—,—,—\n\
         15-1132,\"Software developers, applications\",,831.3,966.0,135.3,16.3,25.8,98260,Bachelor's degree,—,—\n"
    );
    // Nothing is replaced without --force; with it, the snapshot is rewritten
    // through a temporary file (no other file is left in the folder).
    let again = run(
        dir.path(),
        &[
            "data",
            "import",
            "occupation.xlsx",
            "--output",
            output.to_str().unwrap(),
        ],
    );
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("pass --force"),
        "{}",
        stderr(&again)
    );
    let forced = run(
        dir.path(),
        &[
            "data",
            "import",
            "occupation.xlsx",
            "--force",
            "--output",
            output.to_str().unwrap(),
        ],
    );
    assert_eq!(forced.status.code(), Some(1), "{}", stderr(&forced));
    let names: Vec<_> = std::fs::read_dir(output.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["2014-24.csv"]);
}

#[test]
fn the_ep_importer_refuses_what_it_cannot_use() {
    let dir = tempfile::tempdir().unwrap();
    let workbook = dir.path().join("occupation.xlsx");
    xlsx(
        &workbook,
        "Table 1.2",
        &[
            vec![
                "Matrix title",
                "Matrix code",
                "Employment, 2024",
                "Employment, 2034",
            ],
            vec!["Software developers", "15-1252", "1693.8", "1961.4"],
        ],
    );
    let error = ep_import::import(&workbook, None).unwrap_err().to_string();
    assert!(
        error.ends_with(
            "sheet `Table 1.2`: the header (row 1) has no column for the employment change in percent, occupational openings, typical education needed for entry"
        ),
        "{error}"
    );
    let error = ep_import::import(&bls("national_M2024_dl.xlsx"), None)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("no occupational projections table"),
        "{error}"
    );
    assert!(ep_import::is_projections_file(&bls("occupation.xlsx")));
    assert!(!ep_import::is_projections_file(&bls(
        "national_M2024_dl.xlsx"
    )));
    assert_eq!(
        EpRelease::parse("2024–2034").map(|r| r.label()),
        Some("2024–34".to_owned())
    );
}

/// BLS's May 2024 national download lists seven occupations twice, at the
/// broad and the detailed level, as BLS documents: kept once, not reported
/// as unreadable.
#[test]
fn the_oews_importer_reads_bls_may_2024_national_download() {
    let imported = import::import(&[bls("national_M2024_dl.xlsx")], None).unwrap();
    assert_eq!(imported.release.as_str(), "2024A01");
    assert!(imported.problems.is_empty(), "{:?}", imported.problems);
    assert_eq!(
        imported.listed_twice,
        [
            "13-1020", "13-2020", "29-2010", "31-1120", "39-7010", "47-4090", "51-2090"
        ]
    );
    // 1,403 data rows, seven of them the second listing of an occupation.
    assert_eq!(imported.files[0].rows, 1_403);
    assert_eq!(imported.records.len(), 1_396);
    let buyers = imported
        .records
        .iter()
        .find(|r| r.occ_code == "13-1020")
        .unwrap();
    assert_eq!(buyers.o_group, "detailed");
    let shipped = std::fs::read_to_string(root().join("data/oews/2024A01.csv")).unwrap();
    assert_eq!(imported.snapshot_text(), shipped);

    let output = run(
        root(),
        &[
            "data",
            "show",
            "15-1252",
            "--release",
            "2024A01",
            "--state",
            "CA",
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output)
            .contains("BLS OEWS May 2024 (data/oews/2024A01.csv): this snapshot has no state rows"),
        "{}",
        stderr(&output)
    );
}

// ---- the outlook rules on the seed guide ----

/// The repository's configuration, schemas, data and authors, with `guide`
/// as the only guide.
fn workspace_with(guide: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for folder in ["schemas", "data"] {
        copy_dir(&root().join(folder), &dir.path().join(folder));
    }
    copy_dir(
        &crate::common::project_content().join("authors"),
        &dir.path().join("content/authors"),
    );
    std::fs::copy(
        root().join("guidepress.toml"),
        dir.path().join("guidepress.toml"),
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("content/guides")).unwrap();
    std::fs::write(
        dir.path().join("content/guides/backend-engineer.yaml"),
        guide,
    )
    .unwrap();
    dir
}

fn seed() -> String {
    std::fs::read_to_string(root().join("tests/fixtures/data/seed-backend-engineer.yaml")).unwrap()
}

/// The seed's "+17%" and "140,100" are BLS's 2023–33 figures: flagged
/// against 2024–34, then fixed, with the prose stating the growth following
/// in the same run (GP315).
#[test]
fn the_seed_outlook_is_flagged_then_fixed() {
    let guide = seed().replace(
        "      A Backend Engineer designs, builds, and maintains the server-side\n",
        "      Employment is projected to grow +17% over the decade, with 140,100 openings a year.\n      A Backend Engineer designs, builds, and maintains the server-side\n",
    );
    assert!(guide.contains("+17%"));
    let ws = workspace_with(&guide);
    let before = run(ws.path(), &["check", "--format", "concise"]);
    let findings = stdout(&before);
    assert!(
        findings.contains("GP611 Job growth is 17 %; BLS Employment Projections 2024–34 give 15 % for Software developers and software quality assurance analysts and testers (15-1252, 15-1253)."),
        "{findings}"
    );
    assert!(
        findings.contains("GP612 Annual openings are 140,100; BLS Employment Projections 2024–34 give 129,200 a year for Software developers and software quality assurance analysts and testers (15-1252, 15-1253)."),
        "{findings}"
    );
    assert!(
        !findings.contains("GP613") && !findings.contains("GP614"),
        "{findings}"
    );

    let fixed = run(
        ws.path(),
        &["check", "--fix", "--unsafe-fixes", "--format", "concise"],
    );
    assert!(stderr(&fixed).contains("Fixed "), "{}", stderr(&fixed));
    let text =
        std::fs::read_to_string(ws.path().join("content/guides/backend-engineer.yaml")).unwrap();
    for expected in [
        "  job_growth_pct: 15\n",
        "  annual_openings: 129200\n",
        "Employment is projected to grow +15% over the decade, with 129,200 openings a year.",
    ] {
        assert!(text.contains(expected), "{expected}\n---\n{text}");
    }
    let after = run(ws.path(), &["check", "--format", "concise"]);
    assert!(!stdout(&after).contains("GP61"), "{}", stdout(&after));
    assert!(!stdout(&after).contains("GP315"), "{}", stdout(&after));
}

/// Without `occupation.projections`, the outlook is the guide's own
/// occupation; a figure at another precision is compared at its own.
#[test]
fn the_outlook_defaults_to_the_guides_own_occupation() {
    let guide = seed()
        .replace("  projections: [\"15-1252\", \"15-1253\"]\n", "")
        .replace("  job_growth_pct: 17\n", "  job_growth_pct: 16\n")
        .replace("  annual_openings: 140100\n", "  annual_openings: 120000\n")
        .replace(
            "  education_short: Bachelor's\n",
            "  education_short: Master's\n",
        );
    let ws = workspace_with(&guide);
    let output = stdout(&run(ws.path(), &["check", "--format", "concise"]));
    // 16 is 15.8 rounded; 120,000 stands for 115,000-124,999.
    assert!(
        !output.contains("GP611") && !output.contains("GP612"),
        "{output}"
    );
    assert!(
        output.contains("GP613 The entry education is \"Master's\"; BLS Employment Projections 2024–34 give Bachelor's degree as the typical education needed for entry for Software developers (15-1252)."),
        "{output}"
    );
    run(ws.path(), &["check", "--fix", "--unsafe-fixes"]);
    let text =
        std::fs::read_to_string(ws.path().join("content/guides/backend-engineer.yaml")).unwrap();
    assert!(text.contains("  education_short: Bachelor's\n"), "{text}");

    let decade = seed()
        .replace("  job_growth_pct: 17\n", "  job_growth_pct: 1.5\n")
        .replace(
            "  job_growth_period_years: 10\n",
            "  job_growth_period_years: 1\n",
        );
    let ws = workspace_with(&decade);
    let output = stdout(&run(ws.path(), &["check", "--format", "concise"]));
    assert!(
        output.contains("GP611 Job growth is given over 1 years; BLS Employment Projections 2024–34 project over 10 years (2024 to 2034)"),
        "{output}"
    );
    assert!(
        output.contains(
            "GP611 Job growth is 1.5 %; BLS Employment Projections 2024–34 give 15.2 % for"
        ),
        "{output}"
    );
}

#[test]
fn an_occupation_without_projections_is_reported() {
    let guide = seed().replace(
        "  projections: [\"15-1252\", \"15-1253\"]\n",
        "  projections: [\"15-1252\", \"15-1259\"]\n",
    );
    let ws = workspace_with(&guide);
    let output = stdout(&run(ws.path(), &["check", "--format", "concise"]));
    assert!(
        output.contains("GP614 BLS Employment Projections 2024–34 have no projection for 15-1259, so the guide's outlook was not checked."),
        "{output}"
    );
    assert!(!output.contains("GP611"), "{output}");
}

#[test]
fn the_bundled_guide_agrees_with_2024_34() {
    let output = run(
        root(),
        &[
            "check",
            "--format",
            "concise",
            "content/guides/backend-engineer.yaml",
        ],
    );
    assert!(!stdout(&output).contains("GP61"), "{}", stdout(&output));
}

#[test]
fn data_show_prints_the_projections_and_the_group() {
    let output = run(root(), &["data", "show", "15-1252", "--group", "15-1253"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("BLS Employment Projections 2024–34 (2024-34), data/ep/2024-34.csv"),
        "{text}"
    );
    let line = |start: &str| {
        text.lines()
            .find(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("{start}\n{text}"))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(
        line("15-1252 Software developers"),
        "15-1252 Software developers 1,693,800 1,961,400 +15.8 % 115,200 Bachelor's degree 109"
    );
    assert_eq!(
        line("together"),
        "together (15-1252 + 15-1253) 1,895,500 2,183,300 +15.2 % 129,200 Bachelor's degree"
    );
    let json = run(root(), &["data", "show", "15-1252", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(value["projections"]["occupations"][0]["openings"], 115.2);
    assert_eq!(value["projections"]["group"], serde_json::Value::Null);
    let unknown = run(root(), &["data", "show", "15-1252", "--group", "15-1259"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("have no projection for 15-1259"),
        "{}",
        stderr(&unknown)
    );
}

// ---- a release bump ----

fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.com",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .unwrap();
    assert!(output.status.success(), "git {args:?}: {}", stderr(&output));
    stdout(&output)
}

/// A content repository at May 2024 (BLS's national download) with a copy
/// of the seed following the latest release and one pinning May 2024;
/// `data update` with May 2025 brings the first to May 2025, leaves the
/// second alone, and lists every figure it changed.
#[test]
fn data_update_bumps_may_2024_to_may_2025_in_a_git_repository() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("content-repo");
    copy_dir(&root().join("schemas"), &repo.join("schemas"));
    copy_dir(
        &crate::common::project_content().join("authors"),
        &repo.join("content/authors"),
    );
    std::fs::copy(root().join("guidepress.toml"), repo.join("guidepress.toml")).unwrap();
    for (folder, file) in [("data/oews", "2024A01.csv"), ("data/ep", "2024-34.csv")] {
        std::fs::create_dir_all(repo.join(folder)).unwrap();
        std::fs::copy(root().join(folder).join(file), repo.join(folder).join(file)).unwrap();
    }
    let guides = repo.join("content/guides");
    std::fs::create_dir_all(&guides).unwrap();
    // The outlook is already 2024–34's: the bump is OEWS May 2024 to May 2025.
    let following = seed()
        .replace("  job_growth_pct: 17\n", "  job_growth_pct: 15\n")
        .replace("  annual_openings: 140100\n", "  annual_openings: 129200\n");
    std::fs::write(guides.join("backend-engineer.yaml"), &following).unwrap();
    let pinned = following
        .replace("slug: backend-engineer", "slug: pinned-engineer")
        .replace(
            "  soc_code: \"15-1252\"\n",
            "  soc_code: \"15-1252\"\n  oews_release: \"2024A01\"\n",
        );
    std::fs::write(guides.join("pinned-engineer.yaml"), &pinned).unwrap();
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "May 2024"]);

    // At May 2024 the national figures agree; the state rows cannot be checked.
    let before = stdout(&run(&repo, &["check", "--format", "concise"]));
    assert!(
        !before.contains("GP603") && !before.contains("GP611"),
        "{before}"
    );
    assert!(
        before.contains("content/guides/backend-engineer.yaml:276:20: warning GP607 CA's median salary is 178,000, but BLS OEWS May 2024 cannot check it: this snapshot has no state rows (data/oews/2024A01.csv)."),
        "{before}"
    );

    // BLS's May 2025 estimates, named as BLS names its downloads.
    let download = dir.path().join("national_state_M2025_dl.csv");
    std::fs::copy(root().join("data/oews/2025A01.csv"), &download).unwrap();
    let update = run(
        &repo,
        &[
            "data",
            "update",
            download.to_str().unwrap(),
            "--summary",
            "summary.md",
        ],
    );
    assert_eq!(update.status.code(), Some(0), "{}", stderr(&update));
    let table = stdout(&update);
    let rows: Vec<String> = table
        .lines()
        .filter(|l| l.starts_with("content/"))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let release = "BLS OEWS May 2025 (2025A01)";
    let guide = "content/guides/backend-engineer.yaml";
    let expected: Vec<String> = [
        ("facts.national_median_salary", "133080", "135980", release),
        ("facts.salary_range.max", "211450", "214670", release),
        (
            "key_takeaways[0]",
            "$80,000-$211,000+",
            "$80,000-$214,670",
            "prose: BLS OEWS May 2025 (2025A01); BLS Employment Projections 2024–34 (2024-34)",
        ),
        ("salary_by_state[0].employed", "287500", "284390", release),
        (
            "salary_by_state[0].median_salary",
            "178000",
            "174410",
            release,
        ),
        ("salary_by_state[0].vs_national_pct", "34", "28", release),
        ("salary_by_state[1].employed", "87500", "107030", release),
        (
            "salary_by_state[1].median_salary",
            "165000",
            "166540",
            release,
        ),
        ("salary_by_state[1].vs_national_pct", "24", "22", release),
        ("salary_by_state[2].employed", "212500", "113510", release),
        (
            "salary_by_state[2].median_salary",
            "155000",
            "166180",
            release,
        ),
        ("salary_by_state[2].vs_national_pct", "16", "22", release),
        ("salary_by_state[3].employed", "112500", "48190", release),
        (
            "salary_by_state[3].median_salary",
            "150000",
            "165210",
            release,
        ),
        ("salary_by_state[3].vs_national_pct", "13", "21", release),
    ]
    .iter()
    .map(|(fact, old, new, release)| format!("{guide} {fact} {old} {new} {release}"))
    .collect();
    assert_eq!(rows, expected, "{table}");
    assert!(
        table.starts_with(
            "Imported BLS OEWS May 2025 (2025A01) into data/oews/2025A01.csv (38,512 rows).\n"
        ),
        "{table}"
    );
    assert!(
        table
            .contains("15 figures changed in 1 guide of the 1 guide following the latest release."),
        "{table}"
    );
    assert!(
        table
            .contains("Left alone: content/guides/pinned-engineer.yaml pins OEWS release 2024A01."),
        "{table}"
    );

    // The pull request's body.
    let summary = std::fs::read_to_string(repo.join("summary.md")).unwrap();
    assert!(
        summary.starts_with("## BLS data update: BLS OEWS May 2025 (2025A01)\n"),
        "{summary}"
    );
    assert!(
        summary.contains("| `content/guides/backend-engineer.yaml` | `facts.national_median_salary` | 133080 | 135980 | BLS OEWS May 2025 (2025A01) |\n"),
        "{summary}"
    );
    assert!(
        summary.contains("- `content/guides/pinned-engineer.yaml` pins OEWS release 2024A01\n"),
        "{summary}"
    );
    std::fs::remove_file(repo.join("summary.md")).unwrap();

    // What git sees: the new snapshot and the one guide that follows.
    let status = git(&repo, &["status", "--porcelain"]);
    assert_eq!(
        status, " M content/guides/backend-engineer.yaml\n?? data/oews/2025A01.csv\n",
        "{status}"
    );
    let diff = git(&repo, &["diff", "--stat"]);
    assert!(
        diff.contains("1 file changed, 15 insertions(+), 15 deletions(-)"),
        "{diff}"
    );
    let after = run(
        &repo,
        &[
            "check",
            "--format",
            "concise",
            "content/guides/backend-engineer.yaml",
        ],
    );
    assert_eq!(after.status.code(), Some(0), "{}", stdout(&after));
    assert!(!stdout(&after).contains("GP6"), "{}", stdout(&after));

    // Again: nothing to do.
    let again = run(&repo, &["data", "update", download.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert!(
        stdout(&again).starts_with("Already up to date: BLS OEWS May 2025 (2025A01) in data/oews/2025A01.csv.\nNo figure changed.\n"),
        "{}",
        stdout(&again)
    );
    // The projections workbook the repository already holds: nothing to do either.
    let projections = run(
        &repo,
        &["data", "update", bls("occupation.xlsx").to_str().unwrap()],
    );
    assert_eq!(
        projections.status.code(),
        Some(0),
        "{}",
        stderr(&projections)
    );
    assert!(
        stdout(&projections).starts_with("Already up to date: BLS Employment Projections 2024–34 (2024-34) in data/ep/2024-34.csv.\nNo figure changed.\n"),
        "{}",
        stdout(&projections)
    );
    assert_eq!(git(&repo, &["status", "--porcelain"]), status);
}
