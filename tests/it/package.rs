//! What `cargo package` ships for `cargo install guidepress`: the sources,
//! the schemas and the documents the crate needs, and none of the CMS,
//! fixtures, benchmarks or CI files. (`cargo package` itself, which also
//! builds the packaged crate, is run before a release.)

use std::process::Command;

/// What `cargo package --list` lists, one file a line.
fn package_listing() -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "package",
            "--list",
            "--allow-dirty",
            "--offline",
            "--locked",
        ])
        .current_dir(crate::common::crate_root())
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn the_packaged_crate_holds_the_sources_and_leaves_the_rest_out() {
    let listing = package_listing();
    let files: Vec<&str> = listing.lines().collect();
    for needed in [
        "Cargo.toml",
        "Cargo.lock",
        "README.md",
        "LICENSE",
        "CHANGELOG.md",
        "src/main.rs",
        "src/lib.rs",
        "schemas/guide.schema.json",
        "schemas/author.schema.json",
        "schemas/guidepress.schema.json",
        // build.rs embeds the schemas and every data snapshot.
        "build.rs",
        "data/oews/2025A01.csv",
    ] {
        assert!(
            files.contains(&needed),
            "{needed} is not packaged:\n{listing}"
        );
    }
    for left_out in [
        "cms/", "tests/", "benches/", "content/", "fuzz/", ".github/", "scripts/",
    ] {
        assert!(
            !files.iter().any(|file| file.starts_with(left_out)),
            "{left_out} is packaged:\n{listing}"
        );
    }
    // Every file the sources embed with include_str! is packaged with them.
    for file in files.iter().filter(|file| file.ends_with(".rs")) {
        let text = std::fs::read_to_string(crate::common::repo_path(file)).unwrap_or_default();
        for (at, _) in text.match_indices("include_str!(\"") {
            let rest = &text[at + "include_str!(\"".len()..];
            let Some(end) = rest.find('"') else { continue };
            let relative = &rest[..end];
            let folder = std::path::Path::new(file).parent().unwrap();
            let embedded = folder.join(relative);
            let embedded = embedded.to_string_lossy().replace("/./", "/");
            let normalised = normalise(&embedded);
            assert!(
                files.contains(&normalised.as_str()),
                "{file} embeds {normalised}, which is not packaged"
            );
        }
    }
}

/// `a/b/../c` → `a/c`.
fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            other => parts.push(other),
        }
    }
    parts.join("/")
}
