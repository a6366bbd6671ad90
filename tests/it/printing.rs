//! What reaches the terminal from files: control characters and line breaks
//! in file names and snapshot titles are printed escaped, on one line, by
//! `preview` and `data show` (the publish plan's tables are held to the same
//! in `src/publish/render.rs`'s tests).

use crate::common;

use std::path::Path;

use crate::common::cli::{code, stderr, stdout};

/// No raw control character (but line breaks) and no line that a CI log
/// reads as a workflow command.
fn assert_printable(text: &str) {
    for line in text.lines() {
        assert!(!line.trim_start().starts_with("::"), "{line:?} in {text:?}");
    }
    assert!(
        !text
            .chars()
            .any(|c| guidepress::escape::is_unsafe(c) || c == '\r'),
        "{text:?}"
    );
}

#[cfg(unix)]
#[test]
fn preview_prints_hostile_file_names_escaped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let guides = dir.path().join("content/guides");
    std::fs::create_dir_all(&guides).expect("guides");
    std::fs::write(dir.path().join("guidepress.toml"), "").expect("config");
    common::copy_dir(&common::repo_path("schemas"), &dir.path().join("schemas"));
    let name = "bad\n::error title=Injected::owned\u{1b}[2J.yaml";
    std::fs::write(guides.join(name), "title: [unclosed\n").expect("guide");
    let out = tempfile::tempdir().expect("out");
    let output = common::cli::run_with(
        dir.path(),
        &["preview", "--out", out.path().to_str().expect("utf-8")],
        &[("NO_COLOR", "1")],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let said = stderr(&output);
    assert!(said.contains("not rendered"), "{said}");
    assert!(
        said.contains("bad\\x0A::error title=Injected::owned\\x1B[2J.yaml"),
        "{said}"
    );
    assert_printable(&said);
}

/// A repository whose snapshot has an occupation whose title holds terminal
/// escapes (a snapshot line cannot hold a line break).
fn hostile_snapshot() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("guidepress.toml"), "").expect("config");
    let data = dir.path().join("data/oews");
    std::fs::create_dir_all(&data).expect("data");
    let header = "AREA,AREA_TITLE,AREA_TYPE,PRIM_STATE,OCC_CODE,OCC_TITLE,O_GROUP,TOT_EMP,H_MEAN,A_MEAN,H_MEDIAN,A_PCT10,A_PCT25,A_MEDIAN,A_PCT75,A_PCT90";
    let title = "\"Evil\u{1b}]0;pwned\u{7}\u{9b}2J Developers\"";
    let rows = [
        format!(
            "99,U.S.,1,US,15-9999,{title},detailed,1000,50.00,104000,48.00,60000,80000,99840,120000,150000"
        ),
        format!(
            "06,\"Cali\u{202e}fornia\",2,CA,15-9999,{title},detailed,100,55.00,114400,52.00,70000,90000,108160,130000,160000"
        ),
    ];
    std::fs::write(
        data.join("2025A01.csv"),
        format!("{header}\n{}\n{}\n", rows[0], rows[1]),
    )
    .expect("snapshot");
    dir
}

fn data_show(dir: &Path, occupation: &str) -> std::process::Output {
    common::cli::run_with(dir, &["data", "show", occupation], &[("NO_COLOR", "1")])
}

#[test]
fn data_show_prints_snapshot_titles_escaped() {
    let dir = hostile_snapshot();
    let table = data_show(dir.path(), "15-9999");
    assert_eq!(code(&table), 0, "{}", stderr(&table));
    let shown = stdout(&table);
    assert!(
        shown.starts_with("Evil\\x1B]0;pwned\\x07\\u{9B}2J Developers (15-9999)"),
        "{shown}"
    );
    assert!(shown.contains("CA Cali\\u{202E}fornia"), "{shown}");
    assert_printable(&shown);

    // "Did you mean" names the title the same way.
    let guess = data_show(dir.path(), "evil developers");
    assert_eq!(code(&guess), 2, "{}", stderr(&guess));
    let said = stderr(&guess);
    assert!(
        said.contains("did you mean 15-9999 (Evil\\x1B]0;pwned"),
        "{said}"
    );
    assert_printable(&said);
}
