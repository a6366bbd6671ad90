//! The VS Code extension as users install it: `scripts/vsix.sh` packages
//! editors/vscode/ with the @vscode/vsce locked in its package-lock.json
//! (`npm ci` on first use; Node.js with npm is needed), and the .vsix (a zip)
//! holds the manifest, the file it names as `main`, and the runtime
//! dependencies that file loads, but none of the build tools.

use std::io::Read;
use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn entry(archive: &mut zip::ZipArchive<std::fs::File>, name: &str) -> String {
    let mut file = archive
        .by_name(name)
        .unwrap_or_else(|e| panic!("{name} is not in the .vsix: {e}"));
    let mut text = String::new();
    file.read_to_string(&mut text).expect("utf-8 entry");
    text
}

#[test]
fn the_vsix_holds_the_extension_its_main_file_and_its_dependencies() {
    let out = tempfile::tempdir().expect("tempdir");
    let output = Command::new("bash")
        .arg(root().join("scripts/vsix.sh"))
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

    let mut archive = zip::ZipArchive::new(std::fs::File::open(&vsix).expect("open .vsix"))
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

    // Every module the main file loads resolves inside the unpacked
    // extension: Node loads it with an empty stand-in for the `vscode` module
    // (which only the editor provides) and finds activate/deactivate.
    let unpacked = out.path().join("unpacked");
    archive.extract(&unpacked).expect("unzip");
    let host = out.path().join("host/vscode");
    std::fs::create_dir_all(&host).expect("mkdir");
    std::fs::write(
        host.join("index.js"),
        "const h = { get: (t, k) => (k in t ? t[k] : (t[k] = new Proxy(function () {}, h))) };\n\
         module.exports = new Proxy({}, h);\n",
    )
    .expect("write stand-in");
    let loaded = Command::new("node")
        .arg("-e")
        .arg(
            "const e = require(process.argv[1]); \
             console.log(typeof e.activate, typeof e.deactivate)",
        )
        .arg(unpacked.join("extension/extension.js"))
        .env("NODE_PATH", out.path().join("host"))
        .output()
        .expect("run node");
    assert!(
        loaded.status.success(),
        "{}",
        String::from_utf8_lossy(&loaded.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&loaded.stdout).trim(),
        "function function"
    );
}
