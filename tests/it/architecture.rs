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
        "builtin",
    ],
    &["codes"],
    &["load"],
    &["document"],
    &["results", "validate", "data"],
    &["rules", "fix"],
    &["links", "publish"],
    &["config"],
    &["workspace", "scaffold"],
    &["changes"],
    &["pipeline"],
    &["report", "preview"],
    &["server"],
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
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
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
