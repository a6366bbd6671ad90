//! The shipped Strapi's admin panel as an editor sees it: a guide published
//! with `guidepress publish` is opened in the real admin panel (Debian's
//! Chromium driven by playwright-core, tests/browser/cms-admin.mjs): log in
//! with the admin user, open the Content Manager's list, click the guide,
//! and find its fields by label with the values the repository holds.
//! The edit view's screenshot goes to target/cms-admin/guide.png
//! (docs/cms-admin.png is one of them).
//!
//! Needs the live CMS of `scripts/test.sh` (`GUIDEPRESS_TEST_CMS_URL`,
//! `GUIDEPRESS_TEST_CMS_TOKEN`) and its admin user
//! (`GUIDEPRESS_TEST_CMS_ADMIN_EMAIL`, `GUIDEPRESS_TEST_CMS_ADMIN_PASSWORD`);
//! without them the test fails, it never passes by skipping.

use crate::common::repo_path;
use crate::publish_support::live::{LiveCms, TOKEN_ENV, required_env};
use crate::publish_support::{self, Workspace, show};

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

const SLUG: &str = "admin-panel-view";
const TITLE: &str = "Backend Engineer, as an editor sees it";

/// One field the edit view must show, found by its label.
enum Field {
    /// A top-level attribute.
    Top { label: &'static str, value: String },
    /// An attribute inside the row of a repeatable component whose header
    /// shows `row` (e.g. `salaryByState`, row `CA`, `medianSalary`).
    #[allow(dead_code)]
    InRow {
        component: &'static str,
        row: &'static str,
        label: &'static str,
        value: String,
    },
}

impl Field {
    fn to_json(&self) -> Value {
        match self {
            Field::Top { label, value } => json!({ "label": label, "value": value }),
            Field::InRow {
                component,
                row,
                label,
                value,
            } => json!({ "component": component, "row": row, "label": label, "value": value }),
        }
    }
}

#[test]
fn published_guide_shown_in_the_admin_panel() {
    let email = required_env("GUIDEPRESS_TEST_CMS_ADMIN_EMAIL");
    let password = required_env("GUIDEPRESS_TEST_CMS_ADMIN_PASSWORD");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        Path::new(&chromium).exists(),
        "{chromium} is missing: `bash scripts/test.sh` installs it (apt-get install chromium)"
    );
    let browser = repo_path("tests/browser");
    assert!(
        browser.join("node_modules/playwright-core").exists(),
        "tests/browser/node_modules is missing: `bash scripts/test.sh` installs it (npm ci)"
    );

    let _lock = publish_support::cms_lock();
    let cms = LiveCms::connect();
    cms.remove(SLUG);

    let ws = Workspace::new(&cms.url, TOKEN_ENV, "");
    ws.write_guide(SLUG, TITLE, "approved");
    let path = ws.guide_path(SLUG);
    let out = ws.run(
        &["publish", path.to_str().unwrap()],
        &[(TOKEN_ENV, cms.token.as_str())],
    );
    assert!(out.status.success(), "{}", show(&out));

    // What the edit view shows. With the structured guide model, add e.g.
    // Field::InRow { component: "salaryByState", row: "CA", label: "medianSalary", value: … }
    // and Field::InRow { component: "careerSteps", row: <a step's title>, label: "title", value: … }.
    let fields = [
        Field::Top {
            label: "title",
            value: TITLE.into(),
        },
        Field::Top {
            label: "slug",
            value: SLUG.into(),
        },
    ];

    let work = repo_path("target/cms-admin");
    std::fs::create_dir_all(&work).unwrap();
    let screenshot = work.join("guide.png");
    let _ = std::fs::remove_file(&screenshot);
    let _ = std::fs::remove_file(work.join("guide-failure.png"));
    let manifest = json!({
        "url": cms.url,
        "contentType": "api::guide.guide",
        "title": TITLE,
        "screenshot": screenshot,
        "fields": fields.iter().map(Field::to_json).collect::<Vec<_>>(),
    });
    let manifest_path = work.join("manifest.json");
    std::fs::write(&manifest_path, manifest.to_string()).unwrap();
    let output = Command::new("node")
        .arg(browser.join("cms-admin.mjs"))
        .arg(&manifest_path)
        .env("CHROMIUM", &chromium)
        .env("CMS_ADMIN_EMAIL", &email)
        .env("CMS_ADMIN_PASSWORD", &password)
        .current_dir(&browser)
        .output()
        .expect("run node (Node.js 20 is needed)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(
        !stdout.contains(&password) && !stderr.contains(&password),
        "the admin password was printed"
    );
    assert!(
        output.status.success(),
        "admin panel checks failed:\n{stdout}\n{stderr}"
    );
    let png = std::fs::read(&screenshot).expect("the edit view's screenshot");
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 10_000,
        "{} is not a screenshot",
        screenshot.display()
    );
    cms.remove(SLUG);
}
