//! The previews in a real browser: Debian's Chromium driven by
//! playwright-core, with axe-core (tests/browser/). Renders the bundled guide
//! and the edge-case fixtures (annotated), then runs
//! tests/browser/check-pages.mjs over them: console, network, overflow at
//! 390 and 1280 px, headings, chart marks, figures, accessibility, markers.
//! Screenshots go to target/preview-screenshots/.
//!
//! Needs /usr/bin/chromium (scripts/test.sh installs it) and Node.js; the
//! npm packages are installed from tests/browser/package-lock.json on first use.

use crate::common;

use std::path::Path;
use std::process::Command;

use common::repo_path;

fn render(dir: &Path, args: &[&str], out: &Path) {
    let mut all = vec!["preview"];
    all.extend_from_slice(args);
    let out = out.to_str().expect("utf-8 path");
    all.extend_from_slice(&["--out", out]);
    let output = common::cli::command(dir, &all)
        .env("GUIDEPRESS_TODAY", "2026-11-30")
        .output()
        .expect("run guidepress");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn pages_in_chromium() {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        Path::new(&chromium).exists(),
        "{chromium} is missing: `bash scripts/test.sh` installs it (apt-get install chromium)"
    );
    let browser = repo_path("tests/browser");
    if !browser.join("node_modules/playwright-core").exists()
        || !browser.join("node_modules/axe-core").exists()
    {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--silent"])
            .current_dir(&browser)
            .status()
            .expect("run npm ci in tests/browser (Node.js with npm is needed)");
        assert!(status.success(), "npm ci in tests/browser failed");
    }
    let work = repo_path("target/preview-browser");
    let _ = std::fs::remove_dir_all(&work);
    let bundled = work.join("bundled");
    let fixtures = work.join("fixtures");
    let project = common::project();
    render(
        project.path(),
        &["content/guides/backend-engineer.yaml"],
        &bundled,
    );
    render(
        &repo_path("tests/fixtures/preview"),
        &["--annotate"],
        &fixtures,
    );
    let page = |dir: &Path, file: &str, states: usize, annotated: bool, figures: &[&str]| {
        serde_json::json!({
            "dir": dir, "file": file, "states": states, "annotated": annotated, "figures": figures,
        })
    };
    let seed_figures = [
        "$135,980",
        "+15%",
        "129,200",
        "$80,000 - $214,670",
        "4-6 years",
        "+28% vs national",
    ];
    let manifest = serde_json::json!({
        "screenshots": repo_path("target/preview-screenshots"),
        "pages": [
            page(&bundled, "backend-engineer.html", 4, false, &seed_figures),
            page(&fixtures, "findings.html", 4, true, &["$133,080", "+35%"]),
            page(&fixtures, "html-in-text.html", 4, false, &["<script>alert('title')</script>"]),
            page(&fixtures, "long-title.html", 4, false, &[]),
            page(&fixtures, "one-state.html", 1, false, &["+34% vs national"]),
            page(&fixtures, "unicode.html", 4, false, &["后端工程师"]),
            page(&fixtures, "with-faqs.html", 4, false, &["$80,000 - $211,450"]),
        ],
    });
    let manifest_path = work.join("manifest.json");
    std::fs::write(&manifest_path, manifest.to_string()).expect("manifest");
    let output = Command::new("node")
        .arg(browser.join("check-pages.mjs"))
        .arg(&manifest_path)
        .env("CHROMIUM", &chromium)
        .current_dir(&browser)
        .output()
        .expect("run node (Node.js 20 is needed)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    println!("{stdout}");
    assert!(
        output.status.success(),
        "browser checks failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for width in [390, 1280] {
        let shot = repo_path(&format!(
            "target/preview-screenshots/backend-engineer-{width}.png"
        ));
        assert!(shot.exists(), "{} missing", shot.display());
    }
}
