//! The VS Code extension as users install it: `scripts/vsix.sh` packages
//! editors/vscode/ with the @vscode/vsce locked in its package-lock.json
//! (`npm ci` on first use; Node.js with npm is needed), and the .vsix (a zip)
//! holds the manifest, the file it names as `main`, and the runtime
//! dependencies that file loads, but none of the build tools.
//!
//! Then the unpacked extension runs in Node.js under tests/vscode_host/ (a
//! stand-in for the editor's `vscode` module: settings, documents, the
//! diagnostics view) and starts the real `guidepress server` through
//! vscode-languageclient over stdio: the bundled guide's finding arrives at
//! its line, and an executable that does not exist is reported to the user
//! with the setting to change.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::common;
use crate::common::repo_path;

fn entry(archive: &mut zip::ZipArchive<std::fs::File>, name: &str) -> String {
    let mut file = archive
        .by_name(name)
        .unwrap_or_else(|e| panic!("{name} is not in the .vsix: {e}"));
    let mut text = String::new();
    file.read_to_string(&mut text).expect("utf-8 entry");
    text
}

/// The .vsix, built once for every test here, and where it is unpacked.
struct Packaged {
    _dir: tempfile::TempDir,
    vsix: PathBuf,
    unpacked: PathBuf,
}

fn packaged() -> &'static Packaged {
    static PACKAGED: OnceLock<Packaged> = OnceLock::new();
    PACKAGED.get_or_init(package)
}

fn package() -> Packaged {
    let out = tempfile::tempdir().expect("tempdir");
    let output = Command::new("bash")
        .arg(repo_path("scripts/vsix.sh"))
        .arg(out.path())
        .output()
        .expect("run bash scripts/vsix.sh");
    assert!(
        output.status.success(),
        "scripts/vsix.sh failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    let vsix = out
        .path()
        .join(format!("guidepress-{}.vsix", env!("CARGO_PKG_VERSION")));
    assert_eq!(
        printed,
        vsix.display().to_string(),
        "the script prints the .vsix path"
    );
    let unpacked = out.path().join("unpacked");
    zip::ZipArchive::new(std::fs::File::open(&vsix).expect("open .vsix"))
        .expect("the .vsix is a zip")
        .extract(&unpacked)
        .expect("unzip");
    Packaged {
        _dir: out,
        vsix,
        unpacked,
    }
}

#[test]
fn the_vsix_holds_the_extension_its_main_file_and_its_dependencies() {
    let vsix = &packaged().vsix;
    let mut archive = zip::ZipArchive::new(std::fs::File::open(vsix).expect("open .vsix"))
        .expect("the .vsix is a zip");
    let names: Vec<String> = archive.file_names().map(str::to_owned).collect();

    let manifest: serde_json::Value =
        serde_json::from_str(&entry(&mut archive, "extension/package.json")).expect("json");
    assert_eq!(manifest["name"], "guidepress");
    assert_eq!(
        manifest["version"],
        env!("CARGO_PKG_VERSION"),
        "in step with the crate"
    );
    assert_eq!(manifest["license"], "MIT");
    assert_eq!(manifest["main"], "./extension.js");
    assert_eq!(
        manifest["activationEvents"],
        serde_json::json!(["workspaceContains:guidepress.toml"])
    );
    let settings = &manifest["contributes"]["configuration"]["properties"];
    assert_eq!(settings["guidepress.path"]["default"], "guidepress");
    assert_eq!(settings["guidepress.linksOnSave"]["default"], false);
    assert_eq!(settings["guidepress.debounceMs"]["default"], 5);
    assert_eq!(settings["guidepress.trace.server"]["default"], "off");

    // The main file, and what it says it runs.
    let main = entry(&mut archive, "extension/extension.js");
    assert!(main.contains("args: ['server']"), "{main}");
    assert!(main.contains("language: 'yaml'"), "{main}");
    for glob in ["**/guidepress.toml", "**/*.schema.json", "**/data/**/*.csv"] {
        assert!(main.contains(&format!("'{glob}'")), "{glob} is not watched");
    }
    assert!(
        names.iter().any(|n| n == "extension/LICENSE.txt"),
        "{names:?}"
    );
    assert!(
        names.iter().any(|n| n == "extension/readme.md"),
        "{names:?}"
    );

    // The runtime dependency at the version the lockfile pins; no build tool.
    let client: serde_json::Value = serde_json::from_str(&entry(
        &mut archive,
        "extension/node_modules/vscode-languageclient/package.json",
    ))
    .expect("json");
    assert_eq!(
        client["version"],
        manifest["dependencies"]["vscode-languageclient"]
    );
    let tools: Vec<&String> = names
        .iter()
        .filter(|n| n.starts_with("extension/node_modules/@vscode/") || n.contains("/.bin/"))
        .collect();
    assert!(tools.is_empty(), "build tools packed: {tools:?}");
}

/// Runs the unpacked extension in the stand-in editor with `settings` and the
/// workspace folder `workspace`, opens `document` and returns what
/// tests/vscode_host/run.js prints. The server it starts inherits the test
/// fixture's environment (a fixed `GUIDEPRESS_TODAY`).
fn run_extension(
    settings: serde_json::Value,
    workspace: &Path,
    document: &Path,
) -> serde_json::Value {
    let mut node = Command::new("node");
    common::cli::clear_env(&mut node);
    let output = node
        .arg(repo_path("tests/vscode_host/run.js"))
        .arg(packaged().unpacked.join("extension"))
        .arg(document)
        .env("GUIDEPRESS_TEST_WORKSPACE", workspace)
        .env("GUIDEPRESS_TEST_SETTINGS", settings.to_string())
        .output()
        .expect("run node");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

#[test]
fn the_packaged_extension_starts_guidepress_server_and_shows_its_findings() {
    // `guidepress.path` relative to the workspace folder, as a writer who
    // builds guidepress in the repository sets it: here a link in a copy of
    // the project to the binary under test.
    let project = common::project();
    let bin = project.path().join("target/debug");
    std::fs::create_dir_all(&bin).expect("mkdir");
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_guidepress"), bin.join("guidepress"))
        .expect("link the binary");
    let guide = project.path().join("content/guides/backend-engineer.yaml");
    let result = run_extension(
        serde_json::json!({ "guidepress.path": "./target/debug/guidepress" }),
        project.path(),
        &guide,
    );
    assert_eq!(result["errors"], serde_json::json!([]), "{result:#}");
    // The bundled guide's one finding (GP304, a warning) on the line of
    // `total_duration`, as VS Code would show it.
    let text = std::fs::read_to_string(&guide).expect("read the bundled guide");
    let line = text
        .lines()
        .position(|l| l.trim_start().starts_with("total_duration:"))
        .expect("the bundled guide states a total duration");
    let diagnostics = result["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diagnostics.len(), 1, "{result:#}");
    assert_eq!(diagnostics[0]["code"], "GP304", "{result:#}");
    assert_eq!(diagnostics[0]["line"], line, "{result:#}");
    assert_eq!(diagnostics[0]["severity"], 1, "a warning: {result:#}");
    let message = diagnostics[0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("6.5-8 years"), "{message}");
}

#[test]
fn a_missing_executable_is_reported_with_the_setting_to_change() {
    let missing = packaged().unpacked.join("no-such-guidepress");
    let project = common::project();
    let guide = project.path().join("content/guides/backend-engineer.yaml");
    let result = run_extension(
        serde_json::json!({ "guidepress.path": missing.display().to_string() }),
        project.path(),
        &guide,
    );
    let errors = result["errors"].as_array().expect("errors");
    assert!(
        errors.iter().any(|e| {
            let e = e.as_str().unwrap_or_default();
            e.contains("could not start") && e.contains("guidepress.path") && e.contains("ENOENT")
        }),
        "{result:#}"
    );
    assert_eq!(result["diagnostics"], serde_json::json!([]));
}
