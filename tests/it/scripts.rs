//! `scripts/test.sh` as CI runs it: every test binary runs, the closing line
//! `tests: N passed, N failed, N ignored` is printed even when tests fail, and cargo's
//! exit status is kept. A stand-in `cargo` on `PATH` prints what cargo prints.

use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Output};

/// Runs `scripts/test.sh ARGS` with a `cargo` that echoes its arguments, prints
/// `results` and exits with `status`.
fn run_test_script(results: &str, status: i32, args: &[&str]) -> Output {
    let bin = tempfile::tempdir().expect("tempdir");
    let cargo = bin.path().join("cargo");
    std::fs::write(
        &cargo,
        format!("#!/bin/sh\necho \"cargo $*\" >&2\ncat <<'OUT'\n{results}OUT\nexit {status}\n"),
    )
    .expect("write cargo");
    std::fs::set_permissions(&cargo, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new("bash")
        .arg(crate::common::repo_path("scripts/test.sh"))
        .args(args)
        .env("PATH", path)
        // A CMS given from outside: the script starts no Strapi.
        .env("GUIDEPRESS_TEST_CMS_URL", "http://127.0.0.1:9")
        .env("GUIDEPRESS_TEST_CMS_TOKEN", "unused")
        .output()
        .expect("bash runs")
}

fn last_line(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .lines()
        .last()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn failing_tests_still_get_the_closing_line_and_keep_the_exit_status() {
    let out = run_test_script(
        "test result: ok. 5 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s\n\
         test result: FAILED. 2 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.02s\n\
         error: 1 target failed:\n",
        101,
        &[],
    );
    assert_eq!(out.status.code(), Some(101), "{out:?}");
    assert_eq!(
        last_line(&out.stdout),
        "tests: 7 passed, 1 failed, 0 ignored"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("cargo test --locked --all-targets --no-fail-fast"),
        "{stdout}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cargo test exited with status 101"),
        "{stderr}"
    );
}

#[test]
fn passing_tests_exit_zero_with_the_closing_line() {
    let out = run_test_script(
        "test result: ok. 3 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s\n\
         test result: ok. 4 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s\n",
        0,
        &["--test", "cli"],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        last_line(&out.stdout),
        "tests: 7 passed, 0 failed, 1 ignored"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("cargo test --locked --no-fail-fast --test cli"),
        "{stdout}"
    );
}

#[test]
fn a_build_failure_is_not_reported_as_success() {
    let out = run_test_script(
        "error[E0425]: cannot find value `x` in this scope\n",
        101,
        &[],
    );
    assert_eq!(out.status.code(), Some(101), "{out:?}");
    assert_eq!(
        last_line(&out.stdout),
        "tests: 0 passed, 0 failed, 0 ignored"
    );
}

#[test]
fn the_live_cms_tests_run_again_on_the_postgresql_backed_cms() {
    let bin = tempfile::tempdir().expect("tempdir");
    let cargo = bin.path().join("cargo");
    std::fs::write(
        &cargo,
        "#!/bin/sh\necho \"cargo $* on $GUIDEPRESS_TEST_CMS_URL\" >&2\n\
         echo 'test result: ok. 2 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s'\n",
    )
    .expect("write cargo");
    std::fs::set_permissions(&cargo, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = |pg: Option<&str>, args: &[&str]| {
        let mut command = Command::new("bash");
        command
            .arg(crate::common::repo_path("scripts/test.sh"))
            .args(args)
            .env("PATH", &path)
            .env_remove("GUIDEPRESS_TEST_DB")
            .env("GUIDEPRESS_TEST_CMS_URL", "http://127.0.0.1:9")
            .env("GUIDEPRESS_TEST_CMS_TOKEN", "unused");
        match pg {
            Some(url) => command.env("GUIDEPRESS_TEST_PG_CMS_URL", url),
            None => command.env_remove("GUIDEPRESS_TEST_PG_CMS_URL"),
        };
        command.output().expect("bash runs")
    };

    // The whole suite on the first CMS, then the live modules on PostgreSQL;
    // both passes are counted.
    let out = run(Some("http://127.0.0.1:10"), &[]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let calls: Vec<&str> = stdout.lines().filter(|l| l.starts_with("cargo ")).collect();
    assert_eq!(
        calls,
        [
            "cargo test --locked --all-targets --no-fail-fast on http://127.0.0.1:9",
            "cargo test --locked --test it --no-fail-fast -- publish_ cms_admin_browser:: on http://127.0.0.1:10",
        ],
        "{stdout}"
    );
    assert_eq!(
        last_line(&out.stdout),
        "tests: 4 passed, 0 failed, 2 ignored"
    );

    // No PostgreSQL-backed CMS given: one pass, and the script says so.
    let out = run(None, &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("cargo ")).count(),
        1,
        "{stdout}"
    );
    assert!(
        stderr.contains("not on a PostgreSQL-backed CMS"),
        "{stderr}"
    );

    // A selection runs once, on SQLite.
    let out = run(Some("http://127.0.0.1:10"), &["--test", "it", "cli::"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let calls: Vec<&str> = stdout.lines().filter(|l| l.starts_with("cargo ")).collect();
    assert_eq!(
        calls,
        ["cargo test --locked --no-fail-fast --test it cli:: on http://127.0.0.1:9"],
        "{stdout}"
    );
}
