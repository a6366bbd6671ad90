//! Every checksum the data READMEs state is true: each `data/**/README.md`
//! names its files' sha256 (the provenance a reviewer relies on), so a
//! snapshot edited by hand, re-exported or truncated, or a README left behind
//! after a new import, fails here. A checksum belongs to the nearest file name
//! written before it (in backticks); one naming a file of that folder must
//! match it, and every data file of the folder must have its checksum stated.
//! A checksum of a file that is not in the repository (an upstream download)
//! is listed as such and cannot be checked here.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// Every folder under `dir` (itself included) that holds a README.md.
fn readme_folders(dir: &Path, out: &mut Vec<PathBuf>) {
    if dir.join("README.md").is_file() {
        out.push(dir.to_owned());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    entries.sort();
    for sub in entries {
        readme_folders(&sub, out);
    }
}

fn sha256_hex(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Each 64-hex-digit value of `text`, with the nearest file name in backticks
/// before it (a backticked word holding a dot).
fn stated_checksums(text: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut last_file: Option<String> = None;
    let mut rest = text;
    while let Some(open) = rest.find('`') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('`') else { break };
        let word = &after[..close];
        if word.len() == 64 && word.bytes().all(|b| b.is_ascii_hexdigit()) {
            out.push((word.to_ascii_lowercase(), last_file.clone()));
        } else if word.contains('.') && !word.contains(char::is_whitespace) {
            last_file = Some(word.to_owned());
        }
        rest = &after[close + 1..];
    }
    out
}

/// What is wrong with the checksums of `folder`'s README.
fn problems_in(folder: &Path) -> (Vec<String>, usize) {
    let text = std::fs::read_to_string(folder.join("README.md")).unwrap();
    let mut problems = Vec::new();
    let mut checked = 0;
    let stated = stated_checksums(&text);
    for (sum, file) in &stated {
        let Some(file) = file else {
            problems.push(format!("sha256 {sum} names no file before it"));
            continue;
        };
        let path = folder.join(file);
        if path.is_file() {
            checked += 1;
            let actual = sha256_hex(&path);
            if &actual != sum {
                problems.push(format!("{file}: README says {sum}, the file is {actual}"));
            }
        }
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    files.sort();
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !stated
            .iter()
            .any(|(_, file)| file.as_deref() == Some(&name))
        {
            problems.push(format!("{name}: no sha256 stated in the README"));
        }
    }
    (problems, checked)
}

#[test]
fn every_checksum_in_the_data_readmes_is_true() {
    let mut folders = Vec::new();
    readme_folders(&crate::common::repo_path("data"), &mut folders);
    assert!(!folders.is_empty(), "no README under data/");
    let mut problems = Vec::new();
    let mut checked = 0;
    for folder in &folders {
        let (found, count) = problems_in(folder);
        checked += count;
        problems.extend(
            found
                .into_iter()
                .map(|p| format!("{}: {p}", folder.display())),
        );
    }
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(checked >= 1, "no snapshot checksum was checked");
}

#[test]
fn a_changed_or_unlisted_file_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("2030A01.csv"), "AREA\n99\n").unwrap();
    let sum = sha256_hex(&dir.path().join("2030A01.csv"));
    let readme = format!(
        "## `2030A01.csv`\n\nKept as received (sha256\n`{sum}`), from `upstream.sqlite.gz` (sha256 `{}`).\n",
        "a".repeat(64)
    );
    std::fs::write(dir.path().join("README.md"), &readme).unwrap();
    assert_eq!(problems_in(dir.path()), (Vec::new(), 1));

    // One byte changed in the snapshot.
    std::fs::write(dir.path().join("2030A01.csv"), "AREA\n98\n").unwrap();
    let (problems, _) = problems_in(dir.path());
    assert!(problems[0].contains("README says"), "{problems:?}");
    std::fs::write(dir.path().join("2030A01.csv"), "AREA\n99\n").unwrap();

    // A second snapshot the README does not account for.
    std::fs::write(dir.path().join("2031A01.csv"), "AREA\n99\n").unwrap();
    let (problems, _) = problems_in(dir.path());
    assert_eq!(problems, ["2031A01.csv: no sha256 stated in the README"]);
}
