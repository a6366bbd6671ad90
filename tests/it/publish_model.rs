//! The structured CMS model, live against the real Strapi of `cms/strapi`
//! (started by `scripts/test.sh`, like `publish_e2e`): a `[cms.fields]`
//! mapping onto another content type (`api::career-page.career-page`), the
//! mapping checked against the CMS's schema (each mismatch kind, with its
//! `guidepress.toml` line), a token without the schema permission, drafts,
//! and `guidepress pull` round trips. The CMS is read with a plain HTTP
//! client of the test's own, never through the code under test.

use crate::publish_support as common;

use common::{Workspace, show};
use serde_json::{Value, json};

const TOKEN_ENV: &str = "GUIDEPRESS_TEST_CMS_TOKEN";

struct Cms {
    url: String,
    token: String,
    rt: tokio::runtime::Runtime,
}

fn http_client() -> reqwest::Client {
    guidepress::net::tls::install_crypto_provider();
    reqwest::Client::new()
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
        Cms { url, token, rt }
    }

    fn get(&self, path_and_query: &str) -> Value {
        self.rt.block_on(async {
            let response = http_client()
                .get(format!("{}{path_and_query}", self.url))
                .bearer_auth(&self.token)
                .send()
                .await
                .unwrap();
            assert!(response.status().is_success(), "{}", response.status());
            response.json().await.unwrap()
        })
    }

    fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        self.rt.block_on(async {
            let mut request = http_client()
                .request(method, format!("{}{path}", self.url))
                .bearer_auth(&self.token);
            if let Some(body) = body {
                request = request.json(&body);
            }
            let response = request.send().await.unwrap();
            assert!(response.status().is_success(), "{}", response.status());
            response.json().await.unwrap_or(Value::Null)
        })
    }

    /// Every document of a collection (`guides`, `career-pages`) in `status`.
    fn list(&self, plural: &str, status: &str) -> Vec<Value> {
        let body = self.get(&format!(
            "/api/{plural}?status={status}&pagination[pageSize]=100&populate=*"
        ));
        body["data"].as_array().unwrap().clone()
    }

    fn wipe(&self, plural: &str) {
        for doc in self.list(plural, "draft") {
            let id = doc["documentId"].as_str().unwrap();
            self.send(
                reqwest::Method::DELETE,
                &format!("/api/{plural}/{id}"),
                None,
            );
        }
        assert!(self.list(plural, "draft").is_empty());
    }
}

const CAREER_PAGE: &str = r#"content_type = "api::career-page.career-page"

[cms.fields]
slug = "/slug"
headline = "/title"
median_pay = "/facts/national_median_salary"
growth = "/facts/job_growth_pct"
takeaways = "/key_takeaways"
state_pay = { from = "/salary_by_state", fields = { code = "/state", median = "/median_salary" } }
"#;

fn run(ws: &Workspace, args: &[&str], token: &str) -> std::process::Output {
    ws.run(args, &[(TOKEN_ENV, token)])
}

/// The 1-based line of the first line of the workspace's guidepress.toml starting with `start`.
fn line_of(ws: &Workspace, start: &str) -> usize {
    let text = std::fs::read_to_string(ws.path().join("guidepress.toml")).unwrap();
    text.lines()
        .position(|line| line.starts_with(start))
        .unwrap_or_else(|| panic!("no line starting with {start:?} in\n{text}"))
        + 1
}

#[test]
fn a_mapping_onto_another_content_type_is_checked_published_and_pulled() {
    let _lock = common::cms_lock();
    let cms = Cms::connect();
    cms.wipe("career-pages");
    let ws = Workspace::new(&cms.url, TOKEN_ENV, CAREER_PAGE);
    ws.write_guide("cp-alpha", "Alpha", "approved");

    // Published through the mapping: the CMS's own attribute names.
    let out = run(&ws, &["publish", "--output-format", "json"], &cms.token);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let guide = ws.dump("cp-alpha");
    let pages = cms.list("career-pages", "published");
    assert_eq!(pages.len(), 1, "{pages:#?}");
    let page = &pages[0];
    assert_eq!(page["slug"], "cp-alpha");
    assert_eq!(page["headline"], "Alpha");
    assert_eq!(page["median_pay"], guide["facts"]["national_median_salary"]);
    assert_eq!(page["takeaways"], guide["key_takeaways"]);
    assert_eq!(page["managedBy"], "guidepress");
    let rows = page["state_pay"].as_array().unwrap();
    assert_eq!(
        rows.len(),
        guide["salary_by_state"].as_array().unwrap().len()
    );
    assert_eq!(rows[0]["code"], guide["salary_by_state"][0]["state"]);
    assert_eq!(
        rows[0]["median"],
        guide["salary_by_state"][0]["median_salary"]
    );
    assert!(
        cms.list("guides", "draft")
            .iter()
            .all(|d| d["slug"] != "cp-alpha")
    );

    // A rerun writes nothing.
    let out = run(&ws, &["publish", "--output-format", "json"], &cms.token);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["writes"], 0, "{}", show(&out));

    // An edit in the CMS to a component field is a conflict until --force.
    let id = page["documentId"].as_str().unwrap().to_owned();
    let mut edited_rows: Vec<Value> = rows
        .iter()
        .map(|r| json!({"code": r["code"], "median": r["median"]}))
        .collect();
    edited_rows[0]["median"] = json!(1);
    cms.send(
        reqwest::Method::PUT,
        &format!("/api/career-pages/{id}"),
        Some(json!({"data": {"state_pay": edited_rows, "editor_notes": "kept by the editor"}})),
    );
    let out = run(&ws, &["publish", "--output-format", "json"], &cms.token);
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["entries"][0]["action"], "conflict", "{report:#}");
    assert_eq!(report["entries"][0]["fields"], json!(["state_pay"]));
    assert_eq!(report["writes"], 0);

    // pull lists what the mapping does not cover; the mapped part comes back.
    let pulled = tempfile::tempdir().unwrap();
    let out = run(
        &ws,
        &["pull", "--out", pulled.path().to_str().unwrap(), "cp-alpha"],
        &cms.token,
    );
    let text = show(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("cp-alpha: not covered by the mapping, not written: editor_notes"),
        "{text}"
    );
    let back: Value = {
        let out = ws.run(
            &[
                "dump",
                pulled.path().join("cp-alpha.yaml").to_str().unwrap(),
            ],
            &[],
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    assert_eq!(back["title"], "Alpha");
    assert_eq!(back["salary_by_state"][0]["median_salary"], 1);
    assert_eq!(back["key_takeaways"], guide["key_takeaways"]);

    let out = run(
        &ws,
        &["publish", "--force", "--output-format", "json"],
        &cms.token,
    );
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let page = &cms.list("career-pages", "published")[0];
    assert_eq!(
        page["state_pay"][0]["median"],
        guide["salary_by_state"][0]["median_salary"]
    );
    assert_eq!(page["documentId"], id.as_str(), "updated in place");
    cms.wipe("career-pages");
}

#[test]
fn each_mapping_mismatch_is_named_with_its_line_and_nothing_is_written() {
    let _lock = common::cms_lock();
    let cms = Cms::connect();
    cms.wipe("career-pages");
    let cases: [(&str, &str, &str, &str); 6] = [
        (
            "headline = \"/title\"",
            "headlne = \"/title\"",
            "headlne =",
            "`headlne`: the content type `api::career-page.career-page` has no attribute `headlne`",
        ),
        (
            "median_pay = \"/facts/national_median_salary\"",
            "median_pay = \"/facts/education\"",
            "median_pay =",
            "`median_pay`: has type `integer` in the CMS, but `/facts/education` is a string in the guide schema",
        ),
        (
            "headline = \"/title\"",
            "headline = \"/facts/annual_openings\"",
            "headline =",
            "`headline`: has type `string` in the CMS, but `/facts/annual_openings` is an integer in the guide schema",
        ),
        (
            "state_pay = { from = \"/salary_by_state\", fields = { code = \"/state\", median = \"/median_salary\" } }",
            "state_pay = \"/salary_by_state\"",
            "state_pay =",
            "`state_pay`: is a repeatable component (`career-page.state-pay`) in the CMS, not a scalar",
        ),
        (
            "from = \"/salary_by_state\"",
            "from = \"/facts\"",
            "state_pay =",
            "`state_pay`: is a repeatable component in the CMS, but `/facts` is an object in the guide schema, not a list",
        ),
        (
            "median = \"/median_salary\"",
            "medain = \"/median_salary\"",
            "state_pay =",
            "`state_pay.medain`: the component of `state_pay` has no attribute `medain`",
        ),
    ];
    for (from, to, line_start, expected) in cases {
        let mapping = CAREER_PAGE.replace(from, to);
        assert_ne!(mapping, CAREER_PAGE);
        let ws = Workspace::new(&cms.url, TOKEN_ENV, &mapping);
        ws.write_guide("cp-bad", "Bad", "approved");
        let line = line_of(&ws, line_start);
        for args in [&["publish", "--dry-run"][..], &["publish"][..]] {
            let out = run(&ws, args, &cms.token);
            let text = show(&out);
            assert_eq!(out.status.code(), Some(2), "{text}");
            assert!(
                text.contains(&format!("guidepress.toml:{line}:")) && text.contains(expected),
                "expected line {line} and {expected:?}:\n{text}"
            );
            assert!(text.contains("nothing was written"), "{text}");
        }
    }
    // A required attribute left unmapped (and a required component field).
    let ws = Workspace::new(
        &cms.url,
        TOKEN_ENV,
        &CAREER_PAGE
            .replace("median_pay = \"/facts/national_median_salary\"\n", "")
            .replace("code = \"/state\", ", ""),
    );
    ws.write_guide("cp-bad", "Bad", "approved");
    let out = run(&ws, &["publish"], &cms.token);
    let text = show(&out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    let fields_line = line_of(&ws, "[cms.fields]");
    let state_line = line_of(&ws, "state_pay =");
    assert!(
        text.contains(&format!("guidepress.toml:{fields_line}:"))
            && text.contains("`median_pay`: the content type `api::career-page.career-page` requires `median_pay`, which the mapping leaves unmapped"),
        "{text}"
    );
    assert!(
        text.contains(&format!("guidepress.toml:{state_line}:1: `state_pay.code`: the component of `state_pay` requires `code`")),
        "{text}"
    );
    assert!(
        cms.list("career-pages", "draft").is_empty(),
        "nothing written"
    );
}

#[test]
fn a_token_that_may_not_read_the_schema_is_told_which_permission_to_grant() {
    let _lock = common::cms_lock();
    let cms = Cms::connect();
    let restricted = std::env::var("GUIDEPRESS_TEST_CMS_RESTRICTED_TOKEN").unwrap_or_else(|_| {
        panic!("GUIDEPRESS_TEST_CMS_RESTRICTED_TOKEN is not set: run the suite with `bash scripts/test.sh`")
    });
    // The token works for the content API itself...
    let status = cms.rt.block_on(async {
        http_client()
            .get(format!("{}/api/guides", cms.url))
            .bearer_auth(&restricted)
            .send()
            .await
            .unwrap()
            .status()
    });
    assert!(status.is_success(), "{status}");
    // ...but guidepress checks the mapping first, and says what to grant.
    let ws = Workspace::new(&cms.url, TOKEN_ENV, "");
    ws.write_guide("perm-a", "A", "approved");
    for args in [
        &["publish", "--dry-run"][..],
        &["publish"][..],
        &["pull"][..],
    ] {
        let out = run(&ws, args, &restricted);
        let text = show(&out);
        assert_eq!(out.status.code(), Some(2), "{text}");
        assert!(
            text.contains("may not read the CMS's schema (HTTP 403"),
            "{text}"
        );
        assert!(
            text.contains("Content-type-builder permissions `getContentTypes`, `getContentType`, `getComponents` and `getComponent`"),
            "{text}"
        );
        assert!(!text.contains(&restricted), "the token leaked: {text}");
    }
    assert!(
        cms.list("guides", "draft")
            .iter()
            .all(|d| d["slug"] != "perm-a")
    );
}

#[test]
fn pull_round_trips_published_guides_exactly_and_publish_then_writes_nothing() {
    let _lock = common::cms_lock();
    let cms = Cms::connect();
    cms.wipe("guides");
    let ws = Workspace::new(&cms.url, TOKEN_ENV, "");
    ws.write_guide("pull-alpha", "Alpha", "approved");
    ws.write_guide("pull-beta", "Beta: a colon # and a hash", "approved");
    let out = run(&ws, &["publish"], &cms.token);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let originals: Vec<Value> = ["pull-alpha", "pull-beta"]
        .iter()
        .map(|slug| ws.dump(slug))
        .collect();

    // A draft is written with ?status=draft: a draft only, nothing published.
    ws.write_guide("pull-draft", "Staged", "approved");
    let out = run(&ws, &["publish", "--draft"], &cms.token);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    assert!(
        cms.list("guides", "published")
            .iter()
            .all(|d| d["slug"] != "pull-draft")
    );
    assert!(
        cms.list("guides", "draft")
            .iter()
            .any(|d| d["slug"] == "pull-draft")
    );

    // A repository without the files pulls them back: the same data.
    let other = Workspace::new(&cms.url, TOKEN_ENV, "");
    let out = run(&other, &["pull"], &cms.token);
    let text = show(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("2 new, 0 replaced, 0 kept"), "{text}");
    assert!(!text.contains("not covered"), "{text}");
    for (slug, original) in ["pull-alpha", "pull-beta"].iter().zip(&originals) {
        let back = other.dump(slug);
        assert_eq!(&back, original, "{slug} changed on the round trip");
        // Key order follows the schema, as in the original file.
        assert_eq!(
            back.as_object().unwrap().keys().collect::<Vec<_>>(),
            original.as_object().unwrap().keys().collect::<Vec<_>>()
        );
    }
    // The pulled guides pass check, and publishing them writes nothing.
    let out = other.run(&["check"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let out = run(&other, &["publish", "--output-format", "json"], &cms.token);
    let report: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", show(&out)));
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    assert_eq!(report["writes"], 0, "{report:#}");

    // Existing files are kept unless --force; --draft reads the drafts.
    std::fs::write(other.guide_path("pull-alpha"), "slug: pull-alpha\n").unwrap();
    let out = run(&other, &["pull", "pull-alpha", "pull-missing"], &cms.token);
    let text = show(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("kept      pull-alpha"), "{text}");
    assert!(text.contains("missing   pull-missing"), "{text}");
    assert_eq!(
        std::fs::read_to_string(other.guide_path("pull-alpha")).unwrap(),
        "slug: pull-alpha\n"
    );
    let out = run(
        &other,
        &["pull", "--force", "--draft", "pull-alpha", "pull-draft"],
        &cms.token,
    );
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    assert_eq!(other.dump("pull-alpha"), originals[0]);
    assert_eq!(other.dump("pull-draft")["title"], "Staged");
    cms.wipe("guides");
}

/// Every component of the shipped guide type, nested ones included
/// (Strapi's `populate` syntax, as an editor's client would write it).
const DEEP: &str = "populate[editorial]=true&populate[occupation]=true&populate[facts]=true\
&populate[keyTakeaways]=true&populate[sections][populate][callToAction][populate][links]=true\
&populate[dayInTheLife][populate][coreTasks]=true&populate[careerTotalDuration]=true\
&populate[careerSteps][populate][duration]=true&populate[careerSteps][populate][bullets]=true\
&populate[tools][populate][items]=true&populate[technicalSkills]=true&populate[softSkills]=true\
&populate[certifications]=true&populate[portfolioProjects]=true&populate[portfolioTip]=true\
&populate[interview][populate][technicalQuestions]=true&populate[challenges]=true\
&populate[salaryByState]=true&populate[faqs]=true&populate[sources]=true&populate[headings]=true";

/// `value` without Strapi's own keys (`id`, `documentId`, timestamps), as
/// an editor's client would send it back.
fn without_ids(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| {
                    ![
                        "id",
                        "documentId",
                        "createdAt",
                        "updatedAt",
                        "publishedAt",
                        "locale",
                    ]
                    .contains(&k.as_str())
                })
                .map(|(k, v)| (k.clone(), without_ids(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_ids).collect()),
        other => other.clone(),
    }
}

#[test]
fn content_made_in_the_cms_is_adopted_by_pull_then_publish_writes_nothing() {
    let _lock = common::cms_lock();
    let cms = Cms::connect();
    cms.wipe("guides");
    // A complete guide document, made in the CMS by an editor (no
    // contentHash, managedBy or sourcePath): its content comes from a
    // guide published once and read back whole.
    let seed = Workspace::new(&cms.url, TOKEN_ENV, "");
    seed.write_guide("adopt-me", "Made in the CMS", "approved");
    let out = run(&seed, &["publish"], &cms.token);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let read = cms.get(&format!("/api/guides?filters[slug][$eq]=adopt-me&{DEEP}"));
    let mut data = without_ids(&read["data"][0]);
    for bookkeeping in ["contentHash", "managedBy", "sourcePath"] {
        data.as_object_mut().unwrap().remove(bookkeeping);
    }
    cms.wipe("guides");
    cms.send(
        reqwest::Method::POST,
        "/api/guides",
        Some(json!({ "data": data })),
    );
    let made = &cms.list("guides", "published")[0];
    assert!(made["managedBy"].is_null() && made["contentHash"].is_null());

    // pull → check → publish: nothing is written, nothing is a conflict.
    let ws = Workspace::new(&cms.url, TOKEN_ENV, "");
    let out = run(&ws, &["pull"], &cms.token);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    assert_eq!(ws.dump("adopt-me"), seed.dump("adopt-me"));
    let out = ws.run(&["check"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let out = run(&ws, &["publish", "--output-format", "json"], &cms.token);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["writes"], 0, "{report:#}");
    assert_eq!(report["entries"][0]["action"], "unchanged", "{report:#}");

    // The first change is a conflict (not guidepress's document) until
    // --force adopts it; then it is guidepress's and a rerun writes nothing.
    ws.write_guide("adopt-me", "Changed in the repository", "approved");
    let out = run(&ws, &["publish", "--output-format", "json"], &cms.token);
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    let out = run(
        &ws,
        &["publish", "--force", "--output-format", "json"],
        &cms.token,
    );
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let adopted = &cms.list("guides", "published")[0];
    assert_eq!(adopted["managedBy"], "guidepress");
    assert_eq!(adopted["title"], "Changed in the repository");
    let out = run(&ws, &["publish", "--output-format", "json"], &cms.token);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["writes"], 0, "{report:#}");
    cms.wipe("guides");
}
