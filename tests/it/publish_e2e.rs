//! End to end against the real Strapi of `cms/strapi` (started by
//! `scripts/test.sh` through `scripts/strapi.sh start --fresh`).
//!
//! The CMS comes from `GUIDEPRESS_TEST_CMS_URL` and `GUIDEPRESS_TEST_CMS_TOKEN`.
//! Without them, or with the CMS down, the test fails (it never passes by
//! skipping): run it through `scripts/test.sh`, which starts the CMS. The
//! cases share one CMS, so they run as steps of one test, in order, each
//! asserting on what the CMS holds: read with a plain HTTP client of the
//! test's own (Strapi's REST API as documented), never through the
//! `StrapiClient` under test.

use crate::publish_support as common;

use std::collections::BTreeMap;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{Workspace, show};
use serde_json::{Map, Value, json};

const TOKEN_ENV: &str = "GUIDEPRESS_TEST_CMS_TOKEN";

/// `draft` or `published`: which version of each document a read returns.
#[derive(Clone, Copy)]
enum Version {
    Draft,
    Published,
}

impl Version {
    fn as_str(self) -> &'static str {
        match self {
            Version::Draft => "draft",
            Version::Published => "published",
        }
    }
}

/// A guide document as Strapi's REST API returns it.
struct Doc {
    document_id: String,
    fields: Map<String, Value>,
}

impl Doc {
    fn slug(&self) -> &str {
        self.fields["slug"].as_str().unwrap_or("")
    }

    fn text(&self, name: &str) -> Option<String> {
        self.fields
            .get(name)
            .and_then(Value::as_str)
            .map(str::to_owned)
    }
}

struct Cms {
    url: String,
    token: String,
    rt: tokio::runtime::Runtime,
}

impl Cms {
    fn connect() -> Cms {
        let how = "run the suite with `bash scripts/test.sh`, which starts the CMS (cms/strapi) and sets them";
        let url = std::env::var("GUIDEPRESS_TEST_CMS_URL")
            .unwrap_or_else(|_| panic!("GUIDEPRESS_TEST_CMS_URL is not set: {how}"));
        let token =
            std::env::var(TOKEN_ENV).unwrap_or_else(|_| panic!("{TOKEN_ENV} is not set: {how}"));
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let cms = Cms { url, token, rt };
        if let Err(error) = cms.rt.block_on(
            http_client()
                .get(format!("{}/api/guides", cms.url))
                .bearer_auth(&cms.token)
                .send(),
        ) {
            panic!("the CMS at {} is not reachable ({error}): {how}", cms.url);
        }
        cms
    }

    /// Every guide document of `version`, page by page. A listing whose
    /// count disagrees with its items is read again (a write landing between
    /// Strapi's two queries, which PostgreSQL, unlike SQLite, lets happen
    /// while a publisher runs, as in step 7); the fifth disagreement fails.
    fn list(&self, version: Version) -> Vec<Doc> {
        for _ in 0..4 {
            let (out, total) = self.list_once(version);
            if out.len() as u64 == total {
                return out;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        let (out, total) = self.list_once(version);
        assert_eq!(out.len() as u64, total, "every page read");
        out
    }

    /// One listing of `version`, page by page, and the total it gave.
    fn list_once(&self, version: Version) -> (Vec<Doc>, u64) {
        self.rt.block_on(async {
            let mut out = Vec::new();
            for page in 1.. {
                let response = http_client()
                    .get(format!(
                        "{}/api/guides?status={}&sort[0]=id:asc&pagination[page]={page}&pagination[pageSize]=25&populate=*",
                        self.url,
                        version.as_str()
                    ))
                    .bearer_auth(&self.token)
                    .send()
                    .await
                    .unwrap();
                assert!(response.status().is_success(), "{}", response.status());
                let body: Value = response.json().await.unwrap();
                for item in body["data"].as_array().expect("a data list") {
                    let mut fields = item.as_object().expect("an object").clone();
                    let document_id = fields
                        .remove("documentId")
                        .and_then(|id| id.as_str().map(str::to_owned))
                        .expect("a documentId");
                    out.push(Doc {
                        document_id,
                        fields,
                    });
                }
                let pages = body["meta"]["pagination"]["pageCount"]
                    .as_u64()
                    .expect("a page count");
                if page >= pages {
                    let total = body["meta"]["pagination"]["total"].as_u64().unwrap();
                    return (out, total);
                }
            }
            unreachable!("the pages end")
        })
    }

    fn by_slug(&self, version: Version) -> BTreeMap<String, Doc> {
        self.list(version)
            .into_iter()
            .map(|d| (d.slug().to_owned(), d))
            .collect()
    }

    /// Deletes every guide document.
    fn wipe(&self) {
        for doc in self.list(Version::Draft) {
            self.rt.block_on(async {
                let response = http_client()
                    .delete(format!("{}/api/guides/{}", self.url, doc.document_id))
                    .bearer_auth(&self.token)
                    .send()
                    .await
                    .unwrap();
                assert!(response.status().is_success(), "{}", response.status());
            });
        }
        assert!(self.list(Version::Draft).is_empty());
    }

    /// What an editor does in the CMS: change a field of a document (publishes it).
    fn edit(&self, document_id: &str, data: Value) -> Value {
        self.rt.block_on(async {
            let response = http_client()
                .put(format!("{}/api/guides/{document_id}", self.url))
                .bearer_auth(&self.token)
                .json(&json!({ "data": data }))
                .send()
                .await
                .unwrap();
            assert!(response.status().is_success(), "{}", response.status());
            response.json().await.unwrap()
        })
    }

    fn workspace(&self) -> Workspace {
        Workspace::new(&self.url, TOKEN_ENV, "concurrency = 4\nretries = 2\n")
    }

    fn publish(&self, ws: &Workspace, flags: &[&str]) -> (Option<i32>, Value, String) {
        let mut args = vec!["publish", "--output-format", "json"];
        args.extend_from_slice(flags);
        let out = ws.run(&args, &[(TOKEN_ENV, &self.token)]);
        let text = show(&out);
        let report: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("no JSON report ({e}):\n{text}"));
        (out.status.code(), report, text)
    }
}

fn entry<'a>(report: &'a Value, slug: &str) -> &'a Value {
    report["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["slug"] == slug)
        .unwrap_or_else(|| panic!("no entry for {slug} in {report:#}"))
}

fn stamps(docs: &BTreeMap<String, Doc>) -> BTreeMap<String, (Option<String>, Option<String>)> {
    docs.iter()
        .map(|(slug, d)| (slug.clone(), (d.text("updatedAt"), d.text("publishedAt"))))
        .collect()
}

#[test]
fn publishing_to_the_real_cms() {
    // The resilience tests prune and rewrite the same CMS: one at a time.
    let _lock = common::cms_lock();
    let cms = Cms::connect();
    cms.wipe();
    let ws = cms.workspace();
    ws.write_guide("e2e-alpha", "Alpha", "approved");
    ws.write_guide("e2e-beta", "Beta", "approved");
    ws.write_guide("e2e-gamma", "Gamma (draft)", "draft");
    ws.write_broken_guide("e2e-broken", "approved");

    // 0. The plan table: a blocked guide names its file; -q prints no plan.
    let out = ws.run(&["publish", "--dry-run"], &[(TOKEN_ENV, &cms.token)]);
    let table = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(table.starts_with("ACTION"), "{table}");
    assert!(
        table.contains("content/guides/e2e-broken.yaml: "),
        "{table}"
    );
    assert!(
        table.contains("dry run: 0 written, 0 failed, 0 conflicts; "),
        "{table}"
    );
    let out = ws.run(&["publish", "--dry-run", "-q"], &[(TOKEN_ENV, &cms.token)]);
    let quiet = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(!quiet.contains("ACTION"), "{quiet}");
    assert!(
        quiet.starts_with("dry run: 0 written, 0 failed, 0 conflicts; "),
        "{quiet}"
    );

    // 1. The first run creates exactly the approved, error-free guides, published.
    let (code, report, text) = cms.publish(&ws, &[]);
    assert_eq!(
        code,
        Some(1),
        "the approved broken guide fails the run:\n{text}"
    );
    assert_eq!(entry(&report, "e2e-alpha")["action"], "create");
    assert_eq!(entry(&report, "e2e-alpha")["outcome"], "done");
    assert_eq!(entry(&report, "e2e-broken")["action"], "blocked");
    assert!(
        entry(&report, "e2e-broken")["reason"]
            .as_str()
            .unwrap()
            .contains("error")
    );
    assert_eq!(entry(&report, "e2e-gamma")["action"], "blocked");
    let published = cms.by_slug(Version::Published);
    let drafts = cms.by_slug(Version::Draft);
    assert_eq!(
        published.keys().collect::<Vec<_>>(),
        ["e2e-alpha", "e2e-beta"],
        "{text}"
    );
    assert_eq!(drafts.keys().collect::<Vec<_>>(), ["e2e-alpha", "e2e-beta"]);
    for slug in ["e2e-alpha", "e2e-beta"] {
        let doc = &published[slug];
        assert!(doc.text("publishedAt").is_some());
        // Field by field: no attribute holds the whole guide.
        let guide = ws.dump(slug);
        assert!(!doc.fields.contains_key("document"));
        assert_eq!(
            doc.fields["facts"]["nationalMedianSalary"],
            guide["facts"]["national_median_salary"]
        );
        assert_eq!(
            doc.fields["facts"]["salaryMax"],
            guide["facts"]["salary_range"]["max"]
        );
        let ca = doc.fields["salaryByState"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["state"] == "CA")
            .expect("a CA row");
        let ca_guide = guide["salary_by_state"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["state"] == "CA")
            .unwrap();
        assert_eq!(ca["medianSalary"], ca_guide["median_salary"]);
        assert_eq!(ca["vsNationalPct"], ca_guide["vs_national_pct"]);
        assert_eq!(
            doc.fields["careerSteps"][1]["title"],
            guide["career_path"]["steps"][1]["title"]
        );
        assert_eq!(
            doc.fields["careerSteps"].as_array().unwrap().len(),
            guide["career_path"]["steps"].as_array().unwrap().len()
        );
        assert_eq!(doc.fields["summary"], guide["summary"]);
        assert_eq!(doc.fields["slug"], slug);
        assert_eq!(doc.fields["guideStatus"], "approved");
        assert_eq!(
            doc.fields["sourcePath"],
            format!("content/guides/{slug}.yaml")
        );
        assert_eq!(doc.text("managedBy").as_deref(), Some("guidepress"));
        assert!(doc.text("contentHash").unwrap().starts_with("sha256:"));
    }
    assert_eq!(published["e2e-alpha"].fields["title"], "Alpha");
    ws.remove_guide("e2e-broken");

    // 2. A second run writes nothing: the CMS's timestamps do not move.
    let before = stamps(&cms.by_slug(Version::Published));
    let (code, report, text) = cms.publish(&ws, &[]);
    assert_eq!(code, Some(0), "{text}");
    assert_eq!(report["writes"], 0, "{text}");
    assert_eq!(entry(&report, "e2e-alpha")["action"], "unchanged");
    assert_eq!(stamps(&cms.by_slug(Version::Published)), before);
    assert_eq!(stamps(&cms.by_slug(Version::Draft)).len(), 2);

    // 3. Editing one guide updates exactly that document.
    ws.write_guide("e2e-alpha", "Alpha, revised", "approved");
    let (code, report, text) = cms.publish(&ws, &["--diff"]);
    assert_eq!(code, Some(0), "{text}");
    assert_eq!(entry(&report, "e2e-alpha")["action"], "update");
    assert_eq!(entry(&report, "e2e-beta")["action"], "unchanged");
    assert!(
        entry(&report, "e2e-alpha")["fields"]
            .as_array()
            .unwrap()
            .contains(&json!("title"))
    );
    // --diff lists the differing leaves, not whole fields.
    let leaves: Vec<&str> = entry(&report, "e2e-alpha")["diff"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["field"].as_str())
        .collect();
    assert_eq!(leaves, ["title"], "only the title differs");
    let after = cms.by_slug(Version::Published);
    assert_ne!(stamps(&after)["e2e-alpha"], before["e2e-alpha"]);
    assert_eq!(stamps(&after)["e2e-beta"], before["e2e-beta"]);
    assert_eq!(after["e2e-alpha"].fields["title"], "Alpha, revised");
    assert_eq!(
        after["e2e-alpha"].document_id,
        published["e2e-alpha"].document_id
    );

    // 4. An edit made in the CMS is a conflict and is left alone; --force overwrites it.
    let beta_id = after["e2e-beta"].document_id.clone();
    cms.edit(&beta_id, json!({"title": "Beta, edited in the CMS"}));
    let (code, report, text) = cms.publish(&ws, &[]);
    assert_eq!(code, Some(1), "{text}");
    let conflict = entry(&report, "e2e-beta");
    assert_eq!(conflict["action"], "conflict");
    assert_eq!(conflict["fields"], json!(["title"]));
    assert_eq!(report["writes"], 0);
    assert_eq!(
        cms.by_slug(Version::Published)["e2e-beta"].fields["title"],
        "Beta, edited in the CMS"
    );
    let (code, report, text) = cms.publish(&ws, &["--force"]);
    assert_eq!(code, Some(0), "{text}");
    assert_eq!(entry(&report, "e2e-beta")["forced"], true);
    let forced = cms.by_slug(Version::Published);
    assert_eq!(forced["e2e-beta"].fields["title"], "Beta");
    assert_eq!(forced["e2e-beta"].document_id, beta_id);

    // 5. --draft stages the draft and leaves the published version untouched.
    let before = stamps(&cms.by_slug(Version::Published));
    ws.write_guide("e2e-alpha", "Alpha, staged", "approved");
    let (code, report, text) = cms.publish(&ws, &["--draft"]);
    assert_eq!(code, Some(0), "{text}");
    assert_eq!(entry(&report, "e2e-alpha")["action"], "update");
    let published = cms.by_slug(Version::Published);
    assert_eq!(stamps(&published), before);
    assert_eq!(published["e2e-alpha"].fields["title"], "Alpha, revised");
    assert_eq!(
        cms.by_slug(Version::Draft)["e2e-alpha"].fields["title"],
        "Alpha, staged"
    );
    let (code, _, text) = cms.publish(&ws, &[]);
    assert_eq!(code, Some(0), "{text}");
    assert_eq!(
        cms.by_slug(Version::Published)["e2e-alpha"].fields["title"],
        "Alpha, staged"
    );

    // 6. --prune: the archived guide is unpublished, the removed one deleted,
    //    a document guidepress did not create is never touched.
    let foreign = cms.rt.block_on(async {
        let response = http_client()
            .post(format!("{}/api/guides", cms.url))
            .bearer_auth(&cms.token)
            .json(&json!({"data": {"slug": "e2e-editor-made", "title": "Made in the CMS"}}))
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success());
        response.json::<Value>().await.unwrap()
    });
    assert!(foreign["data"]["documentId"].is_string());
    ws.write_guide("e2e-beta", "Beta", "archived");
    ws.remove_guide("e2e-alpha");
    let (code, report, text) = cms.publish(&ws, &["--prune", "--dry-run"]);
    assert_eq!(code, Some(0), "{text}");
    assert_eq!(entry(&report, "e2e-alpha")["action"], "delete");
    assert_eq!(entry(&report, "e2e-beta")["action"], "unpublish");
    assert_eq!(report["writes"], 0);
    assert!(
        report["entries"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["slug"] != "e2e-editor-made")
    );
    let (code, _, text) = cms.publish(&ws, &[]);
    assert_eq!(code, Some(0), "without --prune nothing is removed:\n{text}");
    assert_eq!(cms.by_slug(Version::Published).len(), 3);
    let (code, report, text) = cms.publish(&ws, &["--prune"]);
    assert_eq!(code, Some(0), "{text}");
    assert_eq!(entry(&report, "e2e-alpha")["outcome"], "done");
    let published = cms.by_slug(Version::Published);
    let drafts = cms.by_slug(Version::Draft);
    assert_eq!(published.keys().collect::<Vec<_>>(), ["e2e-editor-made"]);
    assert_eq!(
        drafts.keys().collect::<Vec<_>>(),
        ["e2e-beta", "e2e-editor-made"]
    );

    // 7. A publisher killed after its first write, then run again, ends with
    //    every guide published once.
    cms.wipe();
    let ws = cms.workspace();
    let slugs: Vec<String> = (1..=6).map(|i| format!("e2e-crash-{i}")).collect();
    for slug in &slugs {
        ws.write_guide(slug, &format!("Crash {slug}"), "approved");
    }
    let mut child = common::cli::command(ws.path(), &["publish", "--quiet"])
        .env(TOKEN_ENV, &cms.token)
        .env("GUIDEPRESS_TEST_PAUSE_AFTER_WRITES", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while cms.list(Version::Draft).is_empty() {
        assert!(
            Instant::now() < deadline,
            "the publisher wrote nothing in 60 s"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the publisher exited before pausing"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let partial = cms.list(Version::Draft).len();
    assert!(
        partial >= 1 && partial < slugs.len(),
        "{partial} written before the kill"
    );
    let (code, report, text) = cms.publish(&ws, &[]);
    assert_eq!(code, Some(0), "{text}");
    let drafts = cms.list(Version::Draft);
    let mut seen: Vec<&str> = drafts.iter().map(Doc::slug).collect();
    seen.sort_unstable();
    assert_eq!(
        seen,
        slugs.iter().map(String::as_str).collect::<Vec<_>>(),
        "duplicates or gaps"
    );
    assert_eq!(cms.list(Version::Published).len(), slugs.len());
    let (code, report2, text) = cms.publish(&ws, &[]);
    assert_eq!(code, Some(0), "{text}");
    assert_eq!(report2["writes"], 0, "{report:#}");

    // 8. A document with a guide's slug that guidepress did not create is a
    //    conflict, left alone; `--force` adopts it (same document, now
    //    carrying guidepress's content, hash and marker).
    cms.wipe();
    let ws = cms.workspace();
    let made = cms.rt.block_on(async {
        let response = http_client()
            .post(format!("{}/api/guides", cms.url))
            .bearer_auth(&cms.token)
            .json(&json!({"data": {"slug": "e2e-adopted", "title": "Written by an editor"}}))
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success(), "{}", response.status());
        response.json::<Value>().await.unwrap()
    });
    let made_id = made["data"]["documentId"].as_str().unwrap().to_owned();
    ws.write_guide("e2e-adopted", "Adopted", "approved");
    let (code, report, text) = cms.publish(&ws, &[]);
    assert_eq!(code, Some(1), "{text}");
    assert_eq!(
        entry(&report, "e2e-adopted")["action"],
        "conflict",
        "{text}"
    );
    assert_eq!(report["writes"], 0, "{text}");
    let drafts = cms.by_slug(Version::Draft);
    assert_eq!(drafts.len(), 1, "no second document with the slug");
    assert_eq!(
        drafts["e2e-adopted"].fields["title"],
        "Written by an editor"
    );
    assert_eq!(drafts["e2e-adopted"].text("managedBy"), None);
    let (code, report, text) = cms.publish(&ws, &["--force"]);
    assert_eq!(code, Some(0), "{text}");
    assert_eq!(entry(&report, "e2e-adopted")["forced"], true, "{text}");
    let published = cms.by_slug(Version::Published);
    let adopted = &published["e2e-adopted"];
    assert_eq!(adopted.document_id, made_id, "adopted, not created anew");
    assert_eq!(adopted.fields["title"], "Adopted");
    assert_eq!(adopted.text("managedBy").as_deref(), Some("guidepress"));
    let guide = ws.dump("e2e-adopted");
    assert_eq!(adopted.fields["eyebrow"], guide["eyebrow"]);
    assert_eq!(
        adopted.fields["facts"]["annualOpenings"],
        guide["facts"]["annual_openings"]
    );
    assert_eq!(cms.list(Version::Draft).len(), 1);
    // Adopted, it is guidepress's from now on: the next run writes nothing.
    let (code, report, text) = cms.publish(&ws, &[]);
    assert_eq!(code, Some(0), "{text}");
    assert_eq!(report["writes"], 0, "{text}");
    cms.wipe();
}

/// A plain HTTP client for playing the editor in the CMS (with the TLS
/// provider guidepress uses installed, as reqwest requires).
fn http_client() -> reqwest::Client {
    guidepress::net::tls::install_crypto_provider();
    reqwest::Client::new()
}
