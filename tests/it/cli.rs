//! The `guidepress` binary as users run it: exit codes, flags, outputs.

use crate::common;

use crate::common::cli::{run as guidepress, text};

/// A temporary repository with the bundled schemas and the fixture copy of
/// the bundled content (no configuration: the defaults).
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    common::copy_dir(&common::repo_path("schemas"), &dir.path().join("schemas"));
    common::copy_dir(&common::project_content(), &dir.path().join("content"));
    dir
}

/// A temporary project like the repository (configuration, schemas, data,
/// the fixture content) with `tests/fixtures/check` at its usual place.
fn project() -> tempfile::TempDir {
    let dir = common::project();
    common::copy_dir(
        &common::repo_path("tests/fixtures/check"),
        &dir.path().join("tests/fixtures/check"),
    );
    dir
}

/// What the project's check says, as of `today`.
fn check_project_as_of(today: &str) -> std::process::Output {
    let dir = project();
    common::cli::run_with(dir.path(), &["check"], &[("GUIDEPRESS_TODAY", today)])
}

#[test]
fn bundled_content_passes_with_exit_0() {
    let out = check_project_as_of(common::cli::TODAY);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    // The seed's career path total ("4-6 years") disagrees with its steps
    // (6.5-8 years): kept as printed, reported as a warning (GP304).
    assert!(
        text(&out.stdout).contains("Found 0 errors, 1 warning"),
        "{}",
        text(&out.stdout)
    );
    // The review date goes stale after a year (GP313): one more warning,
    // which is why every run is checked as of a fixed day.
    let later = check_project_as_of("2027-12-01");
    assert!(
        text(&later.stdout).contains("GP313"),
        "{}",
        text(&later.stdout)
    );
}

#[test]
fn errors_exit_1_and_output_has_no_colour_off_a_terminal() {
    let dir = project();
    let out = guidepress(
        dir.path(),
        &[
            "check",
            "--schema",
            "schemas/guide.schema.json",
            "tests/fixtures/check/wrong-type.yaml",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("GP203"), "{stdout}");
    assert!(stdout.contains("wrong-type.yaml:23:27"), "{stdout}");
    assert!(!stdout.contains('\u{1b}'), "ANSI escapes in piped output");
}

#[test]
fn json_output_is_an_array_in_stable_order() {
    let dir = project();
    let args = [
        "check",
        "--format",
        "json",
        "--schema",
        "schemas/guide.schema.json",
        "tests/fixtures/check/wrong-type.yaml",
        "tests/fixtures/check/bad-length.yaml",
        "tests/fixtures/check/unknown-field.yaml",
    ];
    let first = guidepress(dir.path(), &args);
    assert_eq!(first.status.code(), Some(1));
    let findings: serde_json::Value = serde_json::from_slice(&first.stdout).expect("JSON");
    let files: Vec<&str> = findings
        .as_array()
        .expect("array")
        .iter()
        .map(|f| f["file"].as_str().expect("file"))
        .collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted, "findings ordered by path");
    let mut distinct = files.clone();
    distinct.dedup();
    assert_eq!(distinct.len(), 3);
    for _ in 0..3 {
        assert_eq!(
            guidepress(dir.path(), &args).stdout,
            first.stdout,
            "same output every run"
        );
    }
}

#[test]
fn unknown_config_key_exits_2_with_its_location() {
    let dir = repo();
    std::fs::write(
        dir.path().join("guidepress.toml"),
        "[limits]\nmax_depht = 10\n",
    )
    .expect("write");
    let out = guidepress(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("max_depht"), "{stderr}");
    assert!(stderr.contains("guidepress.toml:2:1"), "{stderr}");
}

#[test]
fn config_limits_apply() {
    let dir = repo();
    std::fs::write(
        dir.path().join("guidepress.toml"),
        "[limits]\nmax_file_size = 100\n",
    )
    .expect("write");
    let out = guidepress(dir.path(), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("GP107"));
}

#[test]
fn missing_path_and_bad_usage_exit_2() {
    let dir = project();
    let out = guidepress(dir.path(), &["check", "no/such/guide.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("no such file"),
        "{}",
        text(&out.stderr)
    );
    let out = guidepress(dir.path(), &["check", "--output-format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn warnings_fail_only_with_deny_warnings() {
    let dir = repo();
    std::fs::create_dir_all(dir.path().join("content/misc")).expect("mkdir");
    std::fs::write(
        dir.path().join("content/misc/notes.yaml"),
        "note: no schema covers this file\n",
    )
    .expect("write");
    let out = guidepress(dir.path(), &["check", "content/misc"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("GP211"));
    let out = guidepress(dir.path(), &["check", "--deny-warnings", "content/misc"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn any_yaml_and_schema_pair_can_be_checked() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("schema.json"),
        r#"{"type":"object","properties":{"port":{"type":"integer","maximum":65535}},"required":["port"]}"#,
    )
    .expect("write");
    std::fs::write(dir.path().join("ok.yaml"), "port: 8080\n").expect("write");
    std::fs::write(dir.path().join("bad.yaml"), "port: 70000\n").expect("write");
    let out = guidepress(dir.path(), &["check", "--schema", "schema.json", "ok.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let out = guidepress(
        dir.path(),
        &["check", "--schema", "schema.json", "bad.yaml"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("must be at most 65535"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn dump_prints_one_json_value_per_document() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("two.yaml"),
        "a: yes\nb: 012\n---\n- NO\n- 1.5\n",
    )
    .expect("write");
    let out = guidepress(dir.path(), &["dump", "two.yaml"]);
    assert_eq!(out.status.code(), Some(0));
    let values: Vec<serde_json::Value> = serde_json::Deserializer::from_slice(&out.stdout)
        .into_iter()
        .collect::<Result<_, _>>()
        .expect("JSON stream");
    assert_eq!(
        values,
        vec![
            serde_json::json!({"a": "yes", "b": 12}),
            serde_json::json!(["NO", 1.5])
        ]
    );
    let fixtures = project();
    let out = guidepress(
        fixtures.path(),
        &["dump", "tests/fixtures/check/yaml-syntax.yaml"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("GP101"));
}

#[test]
fn help_version_and_completions() {
    let dir = project();
    let out = guidepress(dir.path(), &["--version"]);
    assert!(text(&out.stdout).starts_with("guidepress "));
    let out = guidepress(dir.path(), &["check", "--help"]);
    assert!(text(&out.stdout).contains("--output-format"));
    let out = guidepress(dir.path(), &["completions", "bash"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("_guidepress"));
}

#[test]
fn the_test_fixture_runs_the_binary_in_a_cleared_environment() {
    use std::ffi::OsStr;
    for name in [
        "GITHUB_ACTIONS",
        "GITHUB_STEP_SUMMARY",
        "NO_COLOR",
        "CLICOLOR_FORCE",
        "HTTPS_PROXY",
        "https_proxy",
        "no_proxy",
        "GUIDEPRESS_CMS_TOKEN",
        "GUIDEPRESS_TODAY",
        "GUIDEPRESS_LINKS_CACHE_KEY",
    ] {
        assert!(common::cli::is_cleared(OsStr::new(name)), "{name}");
    }
    for name in ["PATH", "HOME", "XDG_CACHE_HOME", "GUIDEPRESS"] {
        assert!(!common::cli::is_cleared(OsStr::new(name)), "{name}");
    }
    // Every such variable this test process has is removed from the child's,
    // and today is a fixed day.
    let dir = tempfile::tempdir().expect("tempdir");
    let command = common::cli::command(dir.path(), &["--version"]);
    let removed: Vec<&OsStr> = command
        .get_envs()
        .filter(|(_, value)| value.is_none())
        .map(|(name, _)| name)
        .collect();
    let today = command
        .get_envs()
        .find(|(name, _)| *name == "GUIDEPRESS_TODAY")
        .and_then(|(_, value)| value);
    assert_eq!(today, Some(OsStr::new(common::cli::TODAY)));
    for (name, _) in std::env::vars_os() {
        if name == "GUIDEPRESS_TODAY" {
            continue;
        }
        assert_eq!(
            common::cli::is_cleared(&name),
            removed.contains(&name.as_os_str()),
            "{name:?}"
        );
    }
}
