//! `.github/workflows/publish.yml` run as GitHub runs it, against the live
//! CMS of `scripts/test.sh`: its own `run:` scripts (read from the YAML) in
//! a real git repository, with the built binary as `bin/guidepress`.
//!
//! - A push to main publishes the changed approved guides, and takes an
//!   archived guide down (unpublished, its draft kept) without deleting the
//!   guide whose file was removed.
//! - Pruning on demand shows the plan, deletes nothing without `prune`
//!   typed in `confirm-prune`, and with it deletes the removed guide.

use crate::common::{self, cli};
use crate::publish_support::live::LiveCms;
use crate::publish_support::{Workspace, cms_lock};

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const PREFIX: &str = "wf-";

fn workflow() -> Value {
    let source = std::fs::read_to_string(common::repo_path(".github/workflows/publish.yml"))
        .expect("publish.yml");
    let parsed = guidepress::load::parse(
        &source,
        &guidepress::load::ParseOptions {
            single_document: true,
            ..Default::default()
        },
    );
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    parsed.documents.into_iter().next().expect("one document")
}

/// The `run:` script of the step of `job` whose `key` is `value`.
fn script(workflow: &Value, job: &str, key: &str, value: &str) -> String {
    let steps = workflow["jobs"][job]["steps"].as_array().expect("steps");
    let step = steps
        .iter()
        .find(|s| s[key] == value)
        .unwrap_or_else(|| panic!("no step with {key} {value} in job {job}"));
    let run = step["run"].as_str().expect("a run script").to_owned();
    assert!(
        !run.contains("${{"),
        "the script takes its inputs through env: {run}"
    );
    run
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "core.hooksPath=/dev/null",
        ])
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {out:?}");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// The repository a workflow runs in, and the files GitHub gives a step.
struct Run<'a> {
    ws: &'a Workspace,
    token: &'a str,
    github: tempfile::TempDir,
}

impl Run<'_> {
    /// Runs `script` as a step with `env` (the step's `env:`), returning its
    /// output, its `$GITHUB_OUTPUT` and its `$GITHUB_STEP_SUMMARY`.
    fn step(&self, script: &str, env: &[(&str, &str)]) -> (Output, String, String) {
        let dir = self.ws.path();
        let outputs = self.github.path().join("output");
        let summary = self.github.path().join("summary");
        std::fs::write(&outputs, "").unwrap();
        std::fs::write(&summary, "").unwrap();
        let mut command = Command::new("bash");
        cli::clear_env(&mut command)
            .args(["-e", "-c", script])
            .current_dir(dir)
            .env("GITHUB_OUTPUT", &outputs)
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("GITHUB_SHA", git(dir, &["rev-parse", "HEAD"]))
            .env("GUIDEPRESS_CMS_TOKEN", self.token)
            .env("GUIDEPRESS_LINKS_CACHE_KEY", "publish test key")
            .envs(env.iter().copied());
        let out = command.output().expect("bash runs");
        (
            out,
            std::fs::read_to_string(outputs).unwrap(),
            std::fs::read_to_string(summary).unwrap(),
        )
    }
}

fn output_value(outputs: &str, name: &str) -> String {
    outputs
        .lines()
        .find_map(|line| line.strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no output {name} in {outputs:?}"))
        .to_owned()
}

fn show(out: &Output) -> String {
    crate::publish_support::show(out)
}

#[test]
fn a_push_takes_archived_guides_down_and_pruning_needs_its_confirmation() {
    let workflow = workflow();
    let select = script(&workflow, "select", "id", "select");
    let publish = script(&workflow, "publish", "name", "Publish");
    let _lock = cms_lock();
    let cms = LiveCms::connect();
    cms.remove(PREFIX);

    // The repository: the workspace (the CMS's token is read from
    // GUIDEPRESS_CMS_TOKEN, as in the workflow), the selection script, and
    // the binary where the workflow's artifact is downloaded.
    let ws = Workspace::new(&cms.url, "GUIDEPRESS_CMS_TOKEN", "");
    let dir = ws.path();
    std::fs::create_dir_all(dir.join("scripts")).unwrap();
    std::fs::copy(
        common::repo_path("scripts/publish-select.sh"),
        dir.join("scripts/publish-select.sh"),
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("bin")).unwrap();
    std::os::unix::fs::symlink(cli::BIN, dir.join("bin/guidepress")).unwrap();
    let guidepress = dir.join("bin/guidepress");
    let guidepress = guidepress.to_str().unwrap();
    let run = Run {
        ws: &ws,
        token: &cms.token,
        github: tempfile::tempdir().unwrap(),
    };
    git(dir, &["init", "-q", "-b", "main"]);
    for slug in ["wf-archived", "wf-kept", "wf-removed"] {
        ws.write_guide(slug, &format!("Guide {slug}"), "approved");
    }
    ws.write_guide("wf-draft", "A draft", "draft");
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "first"]);
    let first = git(dir, &["rev-parse", "HEAD"]);

    let push = |before: &str| {
        let (out, outputs, summary) = run.step(
            &select,
            &[
                ("EVENT", "push"),
                ("BEFORE", before),
                ("GUIDEPRESS", guidepress),
            ],
        );
        assert!(out.status.success(), "{}", show(&out));
        assert_eq!(output_value(&outputs, "run"), "true", "{summary}");
        let paths = output_value(&outputs, "paths");
        let (out, _, _) = run.step(&publish, &[("EVENT", "push"), ("PATHS", &paths)]);
        (paths, out)
    };

    // The first push: every approved guide goes out, the draft does not.
    let (paths, out) = push("0000000000000000000000000000000000000000");
    assert_eq!(
        paths,
        "content/guides/wf-archived.yaml content/guides/wf-kept.yaml content/guides/wf-removed.yaml"
    );
    assert!(out.status.success(), "{}", show(&out));
    assert_eq!(
        cms.slugs("published", PREFIX),
        ["wf-archived", "wf-kept", "wf-removed"]
    );

    // A merge that archives one guide and removes another: the archived one
    // is unpublished (its draft stays for editors), nothing is deleted.
    ws.write_guide("wf-archived", "Guide wf-archived", "archived");
    ws.remove_guide("wf-removed");
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "archive one, remove one"]);
    let (paths, out) = push(&first);
    assert_eq!(paths, "content/guides/wf-archived.yaml");
    assert!(out.status.success(), "{}", show(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("unpublish"), "{}", show(&out));
    assert_eq!(cms.slugs("published", PREFIX), ["wf-kept", "wf-removed"]);
    assert_eq!(
        cms.slugs("draft", PREFIX),
        ["wf-archived", "wf-kept", "wf-removed"]
    );
    // Pushed again (a rerun of the same push): nothing left to take down.
    let (_, out) = push(&first);
    assert!(out.status.success(), "{}", show(&out));
    assert_eq!(cms.slugs("published", PREFIX), ["wf-kept", "wf-removed"]);

    // Pruning on demand with guides chosen is refused before the CMS job.
    let (out, _, _) = run.step(
        &select,
        &[
            ("EVENT", "workflow_dispatch"),
            ("PRUNE", "true"),
            ("GUIDES", "content/guides/wf-kept.yaml"),
        ],
    );
    assert!(!out.status.success(), "{}", show(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("::error::prune works on every guide"),
        "{}",
        show(&out)
    );

    let dispatch = |dry_run: &str, confirm: &str| {
        let (out, outputs, _) = run.step(
            &select,
            &[
                ("EVENT", "workflow_dispatch"),
                ("PRUNE", "true"),
                ("GUIDES", ""),
            ],
        );
        assert!(out.status.success(), "{}", show(&out));
        assert_eq!(output_value(&outputs, "run"), "true");
        run.step(
            &publish,
            &[
                ("EVENT", "workflow_dispatch"),
                ("PATHS", &output_value(&outputs, "paths")),
                ("DRY_RUN", dry_run),
                ("DRAFT", "false"),
                ("PRUNE", "true"),
                ("CONFIRM_PRUNE", confirm),
            ],
        )
    };
    let plan_deletes_removed = |text: &str| {
        text.lines()
            .any(|line| line.contains("delete") && line.contains("wf-removed"))
    };

    // A dry run shows the plan (in the log and the job summary), deletes nothing.
    let (out, _, summary) = dispatch("true", "");
    assert!(out.status.success(), "{}", show(&out));
    assert!(
        plan_deletes_removed(&String::from_utf8_lossy(&out.stdout)),
        "{}",
        show(&out)
    );
    assert!(plan_deletes_removed(&summary), "{summary}");
    assert_eq!(
        cms.slugs("draft", PREFIX),
        ["wf-archived", "wf-kept", "wf-removed"]
    );

    // Not a dry run, but the confirmation is not typed: the plan, an error,
    // nothing deleted.
    for confirm in ["", "yes", "Prune"] {
        let (out, _, _) = dispatch("false", confirm);
        assert_eq!(out.status.code(), Some(1), "{}", show(&out));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(plan_deletes_removed(&stdout), "{}", show(&out));
        assert!(
            stdout.contains("::error::Nothing was pruned"),
            "{}",
            show(&out)
        );
        assert_eq!(
            cms.slugs("draft", PREFIX),
            ["wf-archived", "wf-kept", "wf-removed"]
        );
    }

    // Confirmed: the removed guide is deleted; the others stay as they were.
    let (out, _, _) = dispatch("false", "prune");
    assert!(out.status.success(), "{}", show(&out));
    assert_eq!(cms.slugs("draft", PREFIX), ["wf-archived", "wf-kept"]);
    assert_eq!(cms.slugs("published", PREFIX), ["wf-kept"]);
    cms.remove(PREFIX);
}
