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
    InRow {
        component: &'static str,
        row: String,
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

    // What the edit view shows, read from the guide as the schemas see it:
    // top-level attributes, the CA row of the salary table and the first
    // career step, each a field of its own in the structured model.
    let dumped = ws.run(&["dump", path.to_str().unwrap()], &[]);
    assert!(dumped.status.success(), "{}", show(&dumped));
    let guide: Value = serde_json::from_slice(&dumped.stdout).expect("dump prints JSON");
    let ca = guide["salary_by_state"]
        .as_array()
        .and_then(|rows| rows.iter().find(|row| row["state"] == "CA"))
        .expect("the test guide has a CA row");
    let step_title = guide["career_path"]["steps"][0]["title"]
        .as_str()
        .expect("the test guide has a career step")
        .to_string();
    let fields = [
        Field::Top {
            label: "title",
            value: TITLE.into(),
        },
        Field::Top {
            label: "slug",
            value: SLUG.into(),
        },
        Field::InRow {
            component: "salaryByState",
            row: "CA".into(),
            label: "medianSalary",
            // The admin panel's number input groups digits as en-US does.
            value: grouped(ca["median_salary"].as_u64().expect("a whole number")),
        },
        Field::InRow {
            component: "careerSteps",
            row: step_title.clone(),
            label: "title",
            value: step_title,
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

/// `174410` as the admin panel shows it: `174,410`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
