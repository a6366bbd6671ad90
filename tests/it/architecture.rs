//! The library's modules form layers in pipeline order: a module uses only
//! modules of lower layers, so there are no import cycles and no stage reaches
//! up into a later one. Read from the sources (`crate::…` paths outside
//! comments and test modules).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Bottom to top. A module may use modules of lower rows only.
const LAYERS: &[&[&str]] = &[
    &[
        "diagnostic",
        "source",
        "text",
        "file_kind",
        "retry",
        "net",
        "fsio",
        "states",
        "glob",
        "decimal",
        "escape",
        "builtin",
    ],
    &["codes"],
    &["load"],
    &["document"],
    &["results", "validate", "data", "prose"],
    &["rules", "fix"],
    &["links", "publish"],
    &["config"],
    &["workspace", "scaffold"],
    &["changes"],
    &["pipeline"],
    &["report", "preview", "update", "docs"],
    &["server", "review"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|row| row.contains(&module))
}

/// The code of a source file without comments and without its test module.
fn code_of(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    text.lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

fn identifier(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

/// The top-level modules a file names through `crate::`.
fn used_modules(code: &str) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // `crate::{a, b::{c}}`: the names at the group's first level.
            let mut depth = 0;
            let mut start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if start && depth == 0 && (c.is_alphanumeric() || c == '_') => {
                        used.insert(identifier(&group[i..]).to_owned());
                        start = false;
                    }
                    _ => {}
                }
            }
        } else {
            used.insert(identifier(rest).to_owned());
        }
    }
    used
}

fn visit(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            visit(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// Top-level module → the top-level modules it uses.
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = crate::common::repo_path("src");
    let mut files = Vec::new();
    visit(&src, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let relative = file.strip_prefix(&src).unwrap();
        let first = relative.components().next().unwrap();
        let module = first
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_owned();
        // The binary (`main.rs`, `cli/`) sits on top of everything; `lib.rs` only declares.
        if matches!(module.as_str(), "main" | "cli" | "lib") {
            continue;
        }
        let code = code_of(&std::fs::read_to_string(&file).unwrap());
        let entry = graph.entry(module.clone()).or_default();
        for used in used_modules(&code) {
            if used != module {
                entry.insert(used);
            }
        }
    }
    graph
}

#[test]
fn every_module_has_a_layer() {
    let graph = module_graph();
    let missing: Vec<&String> = graph.keys().filter(|m| layer_of(m).is_none()).collect();
    assert!(
        missing.is_empty(),
        "modules without a layer in tests/it/architecture.rs: {missing:?}"
    );
}

#[test]
fn modules_use_only_lower_layers() {
    let graph = module_graph();
    let mut upward = Vec::new();
    for (module, uses) in &graph {
        let Some(own) = layer_of(module) else {
            continue;
        };
        for used in uses {
            match layer_of(used) {
                Some(layer) if layer < own => {}
                _ => upward.push(format!("{module} → {used}")),
            }
        }
    }
    assert!(
        upward.is_empty(),
        "modules using a module of their own or a higher layer: {upward:?}"
    );
}

#[test]
fn the_reader_sees_paths_in_groups_and_ignores_comments() {
    let code = code_of(
        "use crate::{load::{self, X}, source::Y};\n// crate::report\nfn f() { crate::codes::A; }",
    );
    let used: Vec<String> = used_modules(&code).into_iter().collect();
    assert_eq!(used, ["codes", "load", "source"]);
}

// ---- tests never read the live `content/` ----
//
// `content/` holds the guides a publisher ships; adding or editing one must
// not break the suite. Tests use the frozen copy under
// tests/fixtures/project/content (`common::project_content`, `common::project`)
// and reach repository files only through `common::repo_path`, which refuses
// `content/`. What is checked here, on the sources:
// - `CARGO_MANIFEST_DIR` appears under tests/ only in tests/common/mod.rs;
// - `common::crate_root()` (the root itself) only where a test needs the crate
//   as a whole (`cargo package`) or as the base of library paths;
// - no function that reaches the root (`CARGO_MANIFEST_DIR`, `crate_root()`),
//   in tests/, src/ or benches/, names a path under `content`.

/// Where a test may use the crate root itself, and why.
const CRATE_ROOT_USERS: &[&str] = &[
    // Defines it.
    "tests/common/mod.rs",
    // `cargo package --list` runs in the crate.
    "tests/it/package.rs",
    // The data store and rule settings resolve `data/oews` against it.
    "tests/it/official_data.rs",
    // The rule settings resolve `data/oews` against it; fixtures beside it.
    "tests/it/fix_applicability.rs",
    "tests/it/outlook.rs",
    "tests/it/preview_hardening.rs",
    // The project must be outside it.
    "tests/it/content_repo.rs",
    // The scripts and the action run from the repository, as GitHub runs them.
    "tests/release_support/mod.rs",
];

/// The body of the function around byte `at` of `code` (from its `fn` to its
/// closing brace), or the whole file when `at` is outside any function.
fn enclosing_fn(code: &str, at: usize) -> &str {
    let Some(start) = code[..at].rfind("fn ") else {
        return code;
    };
    let Some(open) = code[start..].find('{').map(|i| start + i) else {
        return code;
    };
    let mut depth = 0usize;
    for (i, c) in code[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return &code[start..open + i + 1];
                }
            }
            _ => {}
        }
    }
    &code[start..]
}

/// Lines of `body` naming a path under `content` (assertions that refuse it excepted).
fn content_paths(body: &str) -> Vec<String> {
    body.lines()
        .filter(|line| !line.contains("assert") && !line.contains("!= \"content\""))
        .filter(|line| line.contains("\"content/") || line.contains("\"content\""))
        .map(|line| line.trim().to_owned())
        .collect()
}

/// Every place in `code` that reaches the crate root and names `content/`,
/// or embeds a file of it (`include_str!("../../content/…")`).
fn live_content_reads(code: &str) -> Vec<String> {
    let mut found: Vec<String> = code
        .lines()
        .filter(|line| line.contains("include_str!(") || line.contains("include_bytes!("))
        .filter(|line| {
            line.split('"').nth(1).is_some_and(|path| {
                std::path::Path::new(path)
                    .components()
                    .find(|c| !matches!(c, std::path::Component::ParentDir))
                    .is_some_and(|first| first.as_os_str() == "content")
                    && path.starts_with("..")
            })
        })
        .map(|line| line.trim().to_owned())
        .collect();
    for marker in ["CARGO_MANIFEST_DIR", "crate_root()"] {
        for (at, _) in code.match_indices(marker) {
            found.extend(content_paths(enclosing_fn(code, at)));
        }
    }
    found.sort();
    found.dedup();
    found
}

fn rust_files(folder: &str) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let dir = crate::common::repo_path(folder);
    if dir.is_dir() {
        visit(&dir, &mut files);
    }
    files
}

#[test]
fn no_test_reads_the_live_content() {
    let mut problems = Vec::new();
    for folder in ["tests", "src", "benches"] {
        for file in rust_files(folder) {
            let code = std::fs::read_to_string(&file).unwrap();
            let name = format!(
                "{folder}/{}",
                file.strip_prefix(crate::common::repo_path(folder))
                    .unwrap()
                    .display()
            );
            // Benchmarks build their corpus from the bundled guide; they are
            // not tests and CI does not run them.
            // This file holds the cases the check itself is tested on.
            if folder == "benches" || name == "tests/it/architecture.rs" {
                continue;
            }
            for line in live_content_reads(&code) {
                problems.push(format!("{name}: reads the live content: {line}"));
            }
            if folder == "tests" {
                if code.contains("CARGO_MANIFEST_DIR") && name != "tests/common/mod.rs" {
                    problems.push(format!(
                        "{name}: uses CARGO_MANIFEST_DIR (use common::repo_path)"
                    ));
                }
                if code.contains("crate_root()") && !CRATE_ROOT_USERS.contains(&name.as_str()) {
                    problems.push(format!(
                        "{name}: uses the crate root (use common::project or repo_path)"
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_content_check_sees_a_read_of_the_live_content() {
    // What the suite did before: each of these is caught.
    for code in [
        "fn a() { let root = Path::new(env!(\"CARGO_MANIFEST_DIR\"));\n copy_dir(&root.join(\"content\"), &to); }",
        "fn b() -> String {\n    std::fs::read_to_string(\n        Path::new(env!(\"CARGO_MANIFEST_DIR\")).join(\"content/guides/backend-engineer.yaml\"),\n    ).unwrap()\n}",
        "fn c() { let out = guidepress(common::crate_root(), &[\"check\", \"content/guides\"]); }",
        "const GUIDE: &str = include_str!(\"../../content/guides/backend-engineer.yaml\");",
    ] {
        assert!(!live_content_reads(code).is_empty(), "{code}");
    }
    // A temporary project's own `content/` is not the live one.
    let fine = "fn d() { let dir = common::project(); run(dir.path(), &[\"check\", \"content/guides\"]); }\nfn e() -> PathBuf { Path::new(env!(\"CARGO_MANIFEST_DIR\")).join(\"schemas\") }";
    assert_eq!(live_content_reads(fine), Vec::<String>::new());
    // And the helper every test uses refuses it at run time.
    for path in ["content", "content/guides/backend-engineer.yaml", "", "."] {
        let refused = std::panic::catch_unwind(|| crate::common::repo_path(path));
        assert!(refused.is_err(), "repo_path({path:?}) was allowed");
    }
}
