//! The documentation site's generated pages and the links of the
//! documentation, against the binary: a page per code and none extra, each
//! agreeing with `rules --json` and holding the text `rule CODE` prints;
//! every configuration key of the schema in the configuration reference;
//! every command and flag of `--help` in the command-line reference; every
//! code's documentation link leading to a page the site builds; every
//! relative link of the README and the site resolving; the README short.
//! (`scripts/docs.sh` builds the site with `mkdocs build --strict`, which
//! checks the anchors, and then that `rules/<CODE>/` exists for every code.)

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Options, Parser, Tag};
use serde_json::Value;

use crate::common::cli::{code, run, stdout};
use crate::common::{self, documentation, repo_path};

/// The generated pages, written by the binary into a fresh folder.
fn generate() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let output = run(dir.path(), &["docs", "generate", out.to_str().unwrap()]);
    assert_eq!(code(&output), 0, "{output:?}");
    dir
}

fn rules_json() -> Vec<Value> {
    let dir = tempfile::tempdir().unwrap();
    let output = run(dir.path(), &["rules", "--json"]);
    assert_eq!(code(&output), 0);
    serde_json::from_str::<Value>(&stdout(&output))
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn one_page_per_code_and_none_extra_each_agreeing_with_rules_json() {
    let dir = generate();
    let rules = dir.path().join("site/rules");
    let pages: BTreeSet<String> = std::fs::read_dir(&rules)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "index.md")
        .collect();
    let rows = rules_json();
    let codes: BTreeSet<String> = rows
        .iter()
        .map(|row| format!("{}.md", row["code"].as_str().unwrap()))
        .collect();
    assert_eq!(pages, codes);
    let index = std::fs::read_to_string(rules.join("index.md")).unwrap();
    for row in &rows {
        let code = row["code"].as_str().unwrap();
        let name = row["name"].as_str().unwrap();
        let severity = row["severity"].as_str().unwrap();
        let fix = row["fix"].as_str().unwrap_or("none");
        let page = std::fs::read_to_string(rules.join(format!("{code}.md"))).unwrap();
        assert!(
            page.starts_with(&format!("# {code} `{name}`\n")),
            "{code}:\n{page}"
        );
        let table: Vec<&str> = page
            .lines()
            .filter(|line| line.starts_with(&format!("| `{code}` |")))
            .collect();
        assert_eq!(
            table,
            [format!("| `{code}` | `{name}` | {severity} | {fix} |")],
            "{code}"
        );
        assert!(index.contains(&format!("| [{code}]({code}.md) | `{name}` | {severity} |")));
        // The page holds the documentation `rule CODE` prints, every line of it.
        let output = run(dir.path(), &["rule", code]);
        let printed = stdout(&output);
        for line in printed
            .lines()
            .filter(|line| !line.trim().is_empty())
            .filter(|line| {
                !line.starts_with("Default severity:") && !line.starts_with("Documentation:")
            })
        {
            assert!(
                page.contains(line.trim()),
                "{code}: the page lacks {line:?}"
            );
        }
    }
}

/// Every key of the schema, named as the reference names it: `links.timeout`,
/// `schemas[].files`, `links.hosts.<name>.headers`.
fn schema_keys(schema: &Value, root: &Value, prefix: &str, keys: &mut Vec<(String, Value)>) {
    let resolve = |s: &Value| -> Value {
        match s.get("$ref").and_then(Value::as_str) {
            Some(r) => root["$defs"][r.trim_start_matches("#/$defs/")].clone(),
            None => s.clone(),
        }
    };
    let schema = resolve(schema);
    let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
        return;
    };
    for (name, property) in properties {
        let full = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        let target = resolve(property);
        let items = target.get("items").map(&resolve);
        let values = target
            .get("additionalProperties")
            .filter(|v| v.is_object())
            .map(&resolve);
        if target.get("properties").is_some() {
            schema_keys(&target, root, &full, keys);
        } else if let Some(items) = items.filter(|i| i.get("properties").is_some()) {
            schema_keys(&items, root, &format!("{full}[]"), keys);
        } else if let Some(values) = values.filter(|v| v.get("properties").is_some()) {
            schema_keys(&values, root, &format!("{full}.<name>"), keys);
        } else {
            keys.push((
                full,
                property.get("default").cloned().unwrap_or(Value::Null),
            ));
        }
    }
}

#[test]
fn the_configuration_reference_has_every_key_with_its_default() {
    let dir = generate();
    let page = std::fs::read_to_string(dir.path().join("site/reference/configuration.md")).unwrap();
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(common::repo_path("schemas/guidepress.schema.json")).unwrap(),
    )
    .unwrap();
    let mut keys = Vec::new();
    schema_keys(&schema, &schema, "", &mut keys);
    assert!(keys.len() > 40, "{keys:?}");
    let rows: Vec<&str> = page.lines().filter(|l| l.starts_with("| `")).collect();
    assert_eq!(rows.len(), keys.len(), "one row per key:\n{page}");
    for (key, default) in &keys {
        let row = rows
            .iter()
            .find(|row| row.starts_with(&format!("| `{key}` |")))
            .unwrap_or_else(|| panic!("no row for {key}:\n{page}"));
        let cells: Vec<&str> = row.split(" | ").collect();
        assert!(cells.len() >= 4, "{row}");
        // A description for every key, and the schema's default where it has one.
        assert!(!cells[3].trim_end_matches(" |").trim().is_empty(), "{row}");
        match default {
            Value::Null | Value::Object(_) => {}
            other => assert!(
                row.contains(&format!("`{}`", other.to_string().replace('|', "\\|"))),
                "{key}: default {other} not in {row}"
            ),
        }
    }
}

/// The subcommands and long flags `guidepress ARGS --help` lists.
fn help_of(args: &[&str]) -> (Vec<String>, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let mut with_help: Vec<&str> = args.to_vec();
    with_help.push("--help");
    let output = run(dir.path(), &with_help);
    assert_eq!(code(&output), 0, "{args:?}");
    let text = stdout(&output);
    let mut commands = Vec::new();
    let mut flags = Vec::new();
    let mut in_commands = false;
    for line in text.lines() {
        if !line.starts_with(' ') {
            in_commands = line.starts_with("Commands:");
            continue;
        }
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if in_commands && indent == 2 {
            let name = trimmed.split_whitespace().next().unwrap();
            if name != "help" {
                commands.push(name.to_owned());
            }
        } else if trimmed.starts_with('-') && indent <= 6 {
            if let Some(at) = trimmed.find("--") {
                let flag: String = trimmed[at..]
                    .chars()
                    .take_while(|c| *c == '-' || c.is_ascii_alphanumeric())
                    .collect();
                if flag != "--help" && flag != "--version" {
                    flags.push(flag);
                }
            }
        }
    }
    (commands, flags)
}

#[test]
fn the_cli_reference_lists_every_command_and_flag_of_help() {
    let dir = generate();
    let page = std::fs::read_to_string(dir.path().join("site/reference/cli.md")).unwrap();
    let section = |name: &str| -> String {
        let heading = format!("# `{name}`\n");
        let at = page
            .find(&heading)
            .unwrap_or_else(|| panic!("no section for {name}"));
        let rest = &page[at + heading.len()..];
        let end = rest.find("\n#").unwrap_or(rest.len());
        rest[..end].to_owned()
    };
    let mut queue: Vec<Vec<String>> = vec![Vec::new()];
    let mut seen = 0;
    while let Some(path) = queue.pop() {
        let args: Vec<&str> = path.iter().map(String::as_str).collect();
        let (commands, flags) = help_of(&args);
        let name = std::iter::once("guidepress")
            .chain(args.iter().copied())
            .collect::<Vec<_>>()
            .join(" ");
        let text = section(&name);
        for flag in &flags {
            // The global flags are listed once, under `guidepress`.
            let global = ["--verbose", "--quiet", "--config", "--color"].contains(&flag.as_str());
            if path.is_empty() || !global {
                assert!(
                    text.contains(&format!("{flag}`")) || text.contains(&format!("{flag} <")),
                    "{name}: {flag}\n{text}"
                );
            }
        }
        for command in commands {
            let mut sub = path.clone();
            sub.push(command);
            queue.push(sub);
        }
        seen += 1;
    }
    assert!(seen > 15, "{seen} commands");
    // Hidden commands stay out.
    assert!(!page.contains("# `guidepress docs"), "{page}");
    assert!(!page.contains("| `guidepress docs"), "{page}");
}

#[test]
fn every_code_links_to_a_page_the_site_builds() {
    let dir = generate();
    let version = env!("CARGO_PKG_VERSION");
    let config = std::fs::read_to_string(repo_path("mkdocs.yml")).unwrap();
    // `use_directory_urls` (default true) serves `rules/GP604.md` at `rules/GP604/`.
    assert!(!config.contains("use_directory_urls"), "{config}");
    assert!(config.contains("site_url: https://guidepress.github.io/guidepress/"));
    for row in rules_json() {
        let code = row["code"].as_str().unwrap();
        let printed = stdout(&run(dir.path(), &["rule", code]));
        let url = printed
            .lines()
            .find_map(|line| line.strip_prefix("Documentation: "))
            .unwrap_or_else(|| panic!("{code}: no link\n{printed}"));
        let path = url
            .strip_prefix(&format!(
                "https://guidepress.github.io/guidepress/{version}/"
            ))
            .unwrap_or_else(|| panic!("{code}: {url}"));
        assert_eq!(path, format!("rules/{code}/"));
        let source = dir
            .path()
            .join("site")
            .join(format!("{}.md", path.trim_end_matches('/')));
        assert!(source.is_file(), "{code}: {}", source.display());
    }
}

#[test]
fn the_site_is_on_the_pages_of_the_repository_cargo_names() {
    // `https://github.com/OWNER/NAME` publishes its Pages at `https://OWNER.github.io/NAME`.
    let repository = env!("CARGO_PKG_REPOSITORY");
    let (owner, name) = repository
        .strip_prefix("https://github.com/")
        .and_then(|rest| rest.split_once('/'))
        .unwrap();
    assert_eq!(
        guidepress::report::SITE_URL,
        format!("https://{owner}.github.io/{name}")
    );
}

/// GitHub's anchor of a heading: lowercase, punctuation dropped, spaces as `-`.
fn github_anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// Every link target of a Markdown text, and the anchors of its headings.
fn links_and_anchors(text: &str) -> (Vec<String>, BTreeSet<String>) {
    let mut links = Vec::new();
    let mut anchors = BTreeSet::new();
    let mut heading: Option<String> = None;
    for event in Parser::new_ext(text, Options::all()) {
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                links.push(dest_url.to_string());
            }
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::End(pulldown_cmark::TagEnd::Heading(_)) => {
                if let Some(h) = heading.take() {
                    anchors.insert(github_anchor(&h));
                }
            }
            _ => {}
        }
    }
    (links, anchors)
}

/// `a/b/../c` as `a/c`, without reading the disk.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Where a relative `target` of the page `page` (a path in the repository)
/// leads: a file of the repository, or for a site page a file of `docs/` or
/// of the generated pages.
fn resolves(page: &Path, target: &str, generated: &Path) -> bool {
    let file = target.split('#').next().unwrap_or_default();
    if file.is_empty() {
        return true;
    }
    let joined = normalize(&page.parent().unwrap_or(Path::new("")).join(file));
    // Never the live content, never outside the repository.
    if joined.as_os_str().is_empty() || joined.starts_with("content") {
        return false;
    }
    if repo_path(joined.to_str().unwrap()).exists() {
        return true;
    }
    // A site page may link to a generated page (`rules/GP604.md`).
    joined
        .strip_prefix("docs")
        .is_ok_and(|inside| generated.join(inside).exists())
}

#[test]
fn every_relative_link_in_the_readme_and_the_site_resolves() {
    let dir = generate();
    let generated = dir.path().join("site");
    let mut checked = 0;
    let mut broken = Vec::new();
    for (page, text) in documentation() {
        let (links, anchors) = links_and_anchors(&text);
        for target in links {
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            checked += 1;
            if let Some(anchor) = target.strip_prefix('#') {
                // Anchors within a site page are checked by `mkdocs build --strict`;
                // the README's own, rendered by GitHub, here.
                if page == Path::new("README.md") && !anchors.contains(anchor) {
                    broken.push(format!("{}: {target}", page.display()));
                }
                continue;
            }
            if page.starts_with("docs") && target.starts_with('/') {
                broken.push(format!("{}: {target} (absolute)", page.display()));
            } else if !resolves(&page, &target, &generated) {
                broken.push(format!("{}: {target}", page.display()));
            }
        }
    }
    // The generated pages link among themselves and into docs/ too.
    for entry in walk(&generated) {
        let text = std::fs::read_to_string(&entry).unwrap();
        let inside = entry.strip_prefix(&generated).unwrap();
        let page = Path::new("docs").join(inside);
        for target in links_and_anchors(&text).0 {
            if target.contains("://") || target.starts_with('#') {
                continue;
            }
            checked += 1;
            if !resolves(&page, &target, &generated) {
                broken.push(format!("{} (generated): {target}", page.display()));
            }
        }
    }
    assert!(checked > 100, "{checked} links");
    assert!(
        broken.is_empty(),
        "links that lead nowhere:\n{}",
        broken.join("\n")
    );
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else {
            found.push(path);
        }
    }
    found
}

#[test]
fn the_readme_is_read_in_five_minutes() {
    let readme = std::fs::read_to_string(repo_path("README.md")).unwrap();
    let lines = readme.lines().count();
    assert!(
        lines <= 300,
        "README.md has {lines} lines; move the rest into docs/"
    );
    // It says what the tool is, shows the preview, and how to install, run and test it.
    for needle in [
        "docs/preview-",
        "## Install",
        "guidepress init",
        "guidepress new",
        "guidepress check",
        "scripts/test.sh",
    ] {
        assert!(readme.contains(needle), "README lacks {needle}");
    }
}

#[test]
fn the_staged_nav_names_only_pages_that_exist_and_a_missing_one_is_named() {
    // `scripts/docs.sh --stage` writes the sources MkDocs builds, without
    // installing anything.
    let dir = tempfile::tempdir().unwrap();
    let stage = dir.path().join("stage");
    let mut command = std::process::Command::new("bash");
    command.arg(repo_path("scripts/docs.sh")).arg("--stage");
    crate::common::cli::clear_env(&mut command);
    let output = command
        .env("GUIDEPRESS_BIN", crate::common::cli::BIN)
        .env("GUIDEPRESS_DOCS_STAGE", &stage)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        stdout(&output).trim(),
        stage.join("mkdocs.yml").to_str().unwrap()
    );
    let staged = std::fs::read_to_string(stage.join("mkdocs.yml")).unwrap();
    assert_eq!(
        staged,
        std::fs::read_to_string(repo_path("mkdocs.yml")).unwrap()
    );
    // Every page the nav names is in the stage: written or generated.
    let mut named = 0;
    let nav = staged.split("\nnav:\n").nth(1).expect("a nav");
    for line in nav.lines() {
        let line = line.split(" #").next().unwrap().trim_end();
        if let Some(page) = line.strip_suffix(".md").and_then(|l| l.rsplit(": ").next()) {
            assert!(
                stage.join("docs").join(format!("{page}.md")).is_file(),
                "{line}"
            );
            named += 1;
        }
    }
    assert!(named > 20, "{staged}");
    assert!(stage.join("docs/rules/GP604.md").is_file());

    // A page the nav names that is missing stops the build, by name.
    let source = dir.path().join("docs");
    common::copy_dir(&repo_path("docs"), &source);
    std::fs::remove_file(source.join("review.md")).unwrap();
    let output = command
        .env("GUIDEPRESS_DOCS_SOURCE", &source)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("mkdocs.yml's nav names review.md, which is neither in docs/ nor generated"),
        "{output:?}"
    );
}
