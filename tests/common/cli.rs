//! The one way tests run the `guidepress` binary: in a folder, with an
//! environment cleared of everything that changes what it does or prints
//! (CI detection and job summaries, colours, proxies, and every
//! `GUIDEPRESS_*` token and setting), so a test sees only what it sets.

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_guidepress");

/// Variables removed from every run, besides every `GUIDEPRESS_*` one.
pub const CLEARED: &[&str] = &[
    "GITHUB_ACTIONS",
    "GITHUB_STEP_SUMMARY",
    "GITHUB_SERVER_URL",
    "GITHUB_REPOSITORY",
    "GITHUB_SHA",
    "GITHUB_TOKEN",
    "GITHUB_EVENT_PATH",
    "GITHUB_API_URL",
    "NO_COLOR",
    "CLICOLOR",
    "CLICOLOR_FORCE",
    "FORCE_COLOR",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
];

/// True for a variable the fixture removes.
pub fn is_cleared(name: &OsStr) -> bool {
    let name = name.to_string_lossy();
    CLEARED.contains(&name.as_ref()) || name.to_ascii_uppercase().starts_with("GUIDEPRESS_")
}

/// Removes from `command`'s environment every variable of this process
/// that [`is_cleared`] (for a script that runs the binary in turn), and sets
/// `GUIDEPRESS_TODAY` to [`TODAY`].
pub fn clear_env(command: &mut Command) -> &mut Command {
    for (name, _) in std::env::vars_os() {
        if is_cleared(&name) {
            command.env_remove(name);
        }
    }
    command.env("GUIDEPRESS_TODAY", TODAY)
}

/// The day every run is checked as of (`GUIDEPRESS_TODAY`) unless a test
/// sets another: what a test sees never depends on the calendar.
pub const TODAY: &str = "2026-11-30";

/// `guidepress ARGS` in `dir`, with the environment cleared (see [`CLEARED`]),
/// `GUIDEPRESS_TODAY` set to [`TODAY`] and stdin closed; set what the test
/// needs with `.env(…)` on it.
pub fn command(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command.args(args).current_dir(dir).stdin(Stdio::null());
    clear_env(&mut command);
    command
}

/// Runs `guidepress ARGS` in `dir` to the end.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    run_with(dir, args, &[])
}

/// Runs `guidepress ARGS` in `dir` to the end with `envs` set.
pub fn run_with(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Output {
    command(dir, args)
        .envs(envs.iter().copied())
        .output()
        .expect("guidepress runs")
}

/// Bytes as text (invalid UTF-8 replaced).
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// What the run printed on stdout.
pub fn stdout(output: &Output) -> String {
    text(&output.stdout)
}

/// What the run printed on stderr.
pub fn stderr(output: &Output) -> String {
    text(&output.stderr)
}

/// The exit code (the run must not have been killed by a signal).
pub fn code(output: &Output) -> i32 {
    output.status.code().expect("guidepress exited by itself")
}
