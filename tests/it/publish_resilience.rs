//! Faults of a real publishing run, played by a fault-injecting proxy
//! (`publish_support::proxy`) between the guidepress binary and the real
//! Strapi of `cms/strapi`: answers lost after the write landed, answers of
//! unexpected shapes, the CMS dying mid-run, and `--prune` next to guides
//! whose files are still in the repository.
//!
//! The CMS comes from `GUIDEPRESS_TEST_CMS_URL` and `GUIDEPRESS_TEST_CMS_TOKEN`
//! (`scripts/test.sh` starts one). These tests fail, never skip, when it is
//! not there. Each holds `cms_lock()` and uses slugs of its own (`res-…`),
//! deleting them before and after.

use crate::publish_support as common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::proxy::{Fault, FaultProxy, Rule};
use common::{Workspace, show};
use guidepress::publish::strapi::RemoteDoc;
use guidepress::publish::{CmsConfig, Secret, StrapiClient, Version};
use serde_json::{Value, json};

const TOKEN_ENV: &str = "GUIDEPRESS_TEST_CMS_TOKEN";

/// The live CMS, reached directly (to set up and to look at what it holds).
struct Cms {
    url: String,
    token: String,
    client: StrapiClient,
    rt: tokio::runtime::Runtime,
}

impl Cms {
    fn connect() -> Cms {
        let url = std::env::var("GUIDEPRESS_TEST_CMS_URL").unwrap_or_else(|_| {
            panic!("GUIDEPRESS_TEST_CMS_URL is not set: run these tests with scripts/test.sh")
        });
        let token = std::env::var(TOKEN_ENV)
            .unwrap_or_else(|_| panic!("{TOKEN_ENV} is not set: run scripts/test.sh"));
        let config = CmsConfig {
            base_url: url.clone(),
            token_env: TOKEN_ENV.into(),
            retries: 1,
            ..CmsConfig::default()
        };
        let client = StrapiClient::new(&config, &Secret::new(token.clone()), None).unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        if let Err(error) = rt.block_on(client.list(Version::Draft, false)) {
            panic!("the CMS at {url} is not reachable: {error}");
        }
        Cms {
            url,
            token,
            client,
            rt,
        }
    }

    fn list(&self, version: Version) -> Vec<RemoteDoc> {
        self.rt.block_on(self.client.list(version, true)).unwrap()
    }

    /// This test's documents (slug starts with `prefix`), by slug.
    fn mine(&self, version: Version, prefix: &str) -> Vec<(String, RemoteDoc)> {
        let mut docs: Vec<(String, RemoteDoc)> = self
            .list(version)
            .into_iter()
            .filter(|d| d.slug().starts_with(prefix))
            .map(|d| (d.slug().to_owned(), d))
            .collect();
        docs.sort_by(|a, b| a.0.cmp(&b.0));
        docs
    }

    fn slugs(&self, version: Version, prefix: &str) -> Vec<String> {
        self.mine(version, prefix)
            .into_iter()
            .map(|(s, _)| s)
            .collect()
    }

    fn clean(&self, prefix: &str) {
        for (_, doc) in self.mine(Version::Draft, prefix) {
            self.rt
                .block_on(self.client.delete(&doc.document_id))
                .unwrap();
        }
    }

    fn workspace(&self, base_url: &str, extra: &str) -> Workspace {
        Workspace::new(base_url, TOKEN_ENV, extra)
    }

    /// `publish --output-format json FLAGS` in `ws`: exit code, the report
    /// (`Null` when there is none: the run stopped before planning), all output.
    fn publish(&self, ws: &Workspace, flags: &[&str]) -> (Option<i32>, Value, String) {
        let mut args = vec!["publish", "--output-format", "json"];
        args.extend_from_slice(flags);
        let out = ws.run(&args, &[(TOKEN_ENV, &self.token)]);
        let report = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
        (out.status.code(), report, show(&out))
    }

    /// `publish FLAGS` with the table output.
    fn publish_table(&self, ws: &Workspace, flags: &[&str]) -> (Option<i32>, String) {
        let mut args = vec!["publish"];
        args.extend_from_slice(flags);
        let out = ws.run(&args, &[(TOKEN_ENV, &self.token)]);
        (out.status.code(), show(&out))
    }
}

fn entry<'a>(report: &'a Value, slug: &str) -> &'a Value {
    report["entries"]
        .as_array()
        .unwrap_or_else(|| panic!("no entries in {report:#}"))
        .iter()
        .find(|e| e["slug"] == slug)
        .unwrap_or_else(|| panic!("no entry for {slug} in {report:#}"))
}

fn rewrite(f: impl Fn(Value) -> Value + Send + Sync + 'static) -> Fault {
    Fault::Rewrite(Arc::new(f))
}

/// Applies `f` to every document of a listing answer (`data` list).
fn each_listed(mut body: Value, f: impl Fn(&mut serde_json::Map<String, Value>)) -> Value {
    if let Some(items) = body["data"].as_array_mut() {
        for item in items {
            if let Some(object) = item.as_object_mut() {
                f(object);
            }
        }
    }
    body
}

#[test]
fn prune_never_deletes_a_guide_whose_file_is_still_there() {
    let _lock = common::cms_lock();
    let cms = Cms::connect();
    let prefix = "res-prune-";
    cms.clean("res-");
    let proxy = FaultProxy::start(&cms.url, Vec::new());
    let ws = cms.workspace(&proxy.url, "retries = 1\n");
    ws.write_guide("res-prune-a", "A", "approved");
    ws.write_guide("res-prune-b", "B", "approved");
    let (code, _, text) = cms.publish(&ws, &[]);
    assert_eq!(code, Some(0), "{text}");

    // The file keeps its name, its `slug:` changes: GP309 blocks it.
    let renamed = common::guide_text("res-prune-a2", "A", "approved");
    std::fs::write(ws.guide_path("res-prune-a"), renamed).unwrap();
    let (code, report, text) = cms.publish(&ws, &["--prune", "--dry-run"]);
    assert_eq!(code, Some(1), "the blocked approved guide fails:\n{text}");
    let blocked = entry(&report, "res-prune-a2");
    assert_eq!(blocked["action"], "blocked", "{text}");
    assert!(
        blocked["reason"]
            .as_str()
            .unwrap()
            .contains("the CMS document `res-prune-a` is not pruned"),
        "{text}"
    );
    assert!(
        report["entries"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["action"] != "delete"),
        "nothing is planned for deletion:\n{text}"
    );
    let (code, report, text) = cms.publish(&ws, &["--prune"]);
    assert_eq!(code, Some(1), "{text}");
    assert_eq!(report["writes"], 0, "{text}");
    assert_eq!(proxy.reached("DELETE", "/api/guides"), 0);
    assert_eq!(
        cms.slugs(Version::Published, prefix),
        ["res-prune-a", "res-prune-b"]
    );

    // With GP309 switched off the guide goes out under its new slug; the
    // old document, published from the same file, is still kept.
    std::fs::write(
        ws.path().join("guidepress.toml"),
        std::fs::read_to_string(ws.path().join("guidepress.toml")).unwrap()
            + "\n[rules]\nseverity = { GP309 = \"off\" }\n",
    )
    .unwrap();
    let (code, report, text) = cms.publish(&ws, &["--prune"]);
    assert_eq!(code, Some(0), "{text}");
    assert_eq!(entry(&report, "res-prune-a2")["outcome"], "done", "{text}");
    assert_eq!(proxy.reached("DELETE", "/api/guides"), 0, "{text}");
    assert_eq!(
        cms.slugs(Version::Draft, prefix),
        ["res-prune-a", "res-prune-a2", "res-prune-b"]
    );

    // Removing the file is what deletes.
    ws.remove_guide("res-prune-a");
    let (code, report, text) = cms.publish(&ws, &["--prune"]);
    assert_eq!(code, Some(0), "{text}");
    assert_eq!(entry(&report, "res-prune-a")["action"], "delete", "{text}");
    assert_eq!(entry(&report, "res-prune-a2")["action"], "delete", "{text}");
    assert_eq!(cms.slugs(Version::Draft, prefix), ["res-prune-b"]);
    cms.clean(prefix);
}

#[test]
fn a_listing_without_slugs_stops_prune_force_before_any_write() {
    let _lock = common::cms_lock();
    let cms = Cms::connect();
    let prefix = "res-slugless-";
    cms.clean("res-");
    let direct = cms.workspace(&cms.url, "retries = 1\n");
    direct.write_guide("res-slugless-a", "A", "approved");
    direct.write_guide("res-slugless-b", "B", "approved");
    let (code, _, text) = cms.publish(&direct, &[]);
    assert_eq!(code, Some(0), "{text}");

    // The CMS list omits `slug` (a field the token cannot read, a changed
    // model): every entry would collapse into one empty slug.
    let listing = Rule::new(
        "GET",
        &["/api/guides?", "pagination[page]"],
        rewrite(|body| each_listed(body, |doc| drop(doc.remove("slug")))),
    );
    let proxy = FaultProxy::start(&cms.url, vec![listing]);
    let ws = cms.workspace(&proxy.url, "retries = 1\n");
    ws.write_guide("res-slugless-a", "A", "approved");
    ws.write_guide("res-slugless-b", "B", "approved");
    let (code, report, text) = cms.publish(&ws, &["--prune", "--force"]);
    assert_eq!(code, Some(2), "{text}");
    assert_eq!(report, Value::Null, "no plan is made:\n{text}");
    assert!(text.contains("has no `slug`"), "{text}");
    assert_eq!(proxy.reached("DELETE", ""), 0, "{text}");
    assert_eq!(proxy.reached("PUT", ""), 0, "{text}");
    assert_eq!(proxy.reached("POST", ""), 0, "{text}");
    drop(proxy);

    // The list names the document with a slug and file the repository does
    // not have; the re-read just before the DELETE shows its real ones.
    // (Only the full listing lies here: the checks before each batch of
    // writes filter by slug or documentId.)
    let listing = Rule::new(
        "GET",
        &["/api/guides?", "pagination[page]"],
        rewrite(|body| {
            each_listed(body, |doc| {
                if doc["slug"] == "res-slugless-a" {
                    doc.insert("slug".into(), json!("res-slugless-ghost"));
                    doc.insert(
                        "sourcePath".into(),
                        json!("content/guides/res-slugless-ghost.yaml"),
                    );
                }
            })
        }),
    )
    .excluding("filters[");
    let proxy = FaultProxy::start(&cms.url, vec![listing]);
    let ws = cms.workspace(&proxy.url, "retries = 1\n");
    ws.write_guide("res-slugless-a", "A", "approved");
    ws.write_guide("res-slugless-b", "B", "approved");
    let (code, report, text) = cms.publish(&ws, &["--prune", "--force"]);
    assert_eq!(code, Some(1), "{text}");
    assert_eq!(
        entry(&report, "res-slugless-ghost")["action"],
        "delete",
        "{text}"
    );
    assert_eq!(entry(&report, "res-slugless-ghost")["outcome"], "failed");
    assert!(
        report["fatal"]
            .as_str()
            .unwrap()
            .contains("reads back with slug `res-slugless-a`"),
        "{text}"
    );
    assert_eq!(proxy.reached("DELETE", ""), 0, "{text}");
    assert_eq!(
        cms.slugs(Version::Published, prefix),
        ["res-slugless-a", "res-slugless-b"]
    );
    cms.clean(prefix);
}

#[test]
fn answers_of_unexpected_shape_stop_the_run_before_any_write() {
    let _lock = common::cms_lock();
    let cms = Cms::connect();
    let prefix = "res-shape-";
    cms.clean("res-");
    let direct = cms.workspace(&cms.url, "retries = 1\n");
    for slug in ["res-shape-a", "res-shape-b", "res-shape-c"] {
        direct.write_guide(slug, "Old", "approved");
    }
    let (code, _, text) = cms.publish(&direct, &[]);
    assert_eq!(code, Some(0), "{text}");
    let before: Vec<_> = cms
        .mine(Version::Published, prefix)
        .into_iter()
        .map(|(s, d)| (s, d.updated_at))
        .collect();

    let updated_at = |slugs: &[&str]| -> Vec<(String, Option<String>)> {
        cms.mine(Version::Published, prefix)
            .into_iter()
            .filter(|(s, _)| slugs.contains(&s.as_str()))
            .map(|(s, d)| (s, d.updated_at))
            .collect()
    };

    // The check before a batch of updates answers without `data`.
    let check = Rule::new(
        "GET",
        &["/api/guides?", "filters[documentId]"],
        rewrite(|_| json!({"meta": {}})),
    );
    let proxy = FaultProxy::start(&cms.url, vec![check]);
    let ws = cms.workspace(&proxy.url, "retries = 1\nconcurrency = 1\n");
    for slug in ["res-shape-a", "res-shape-b", "res-shape-c"] {
        ws.write_guide(slug, "New", "approved");
    }
    let (code, report, text) = cms.publish(&ws, &[]);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        report["fatal"].as_str().unwrap().contains("no `data` list"),
        "{text}"
    );
    assert_eq!(
        entry(&report, "res-shape-a")["outcome"],
        "skipped",
        "{text}"
    );
    assert_eq!(proxy.reached("POST", ""), 0, "{text}");
    assert_eq!(proxy.reached("PUT", ""), 0, "{text}");
    let after: Vec<_> = cms
        .mine(Version::Published, prefix)
        .into_iter()
        .map(|(s, d)| (s, d.updated_at))
        .collect();
    assert_eq!(after, before, "nothing was written");
    drop(proxy);

    // The re-read by documentId after a lost answer answers without `data`:
    // never taken as "deleted" (which would create the guide again).
    let proxy = FaultProxy::start(
        &cms.url,
        vec![
            Rule::new("PUT", &["/api/guides/"], Fault::LoseAnswer),
            Rule::new("GET", &["/api/guides/"], rewrite(|_| json!({"meta": {}}))),
        ],
    );
    let ws = cms.workspace(&proxy.url, "retries = 1\nconcurrency = 1\n");
    for slug in ["res-shape-a", "res-shape-b", "res-shape-c"] {
        ws.write_guide(slug, "New", "approved");
    }
    let untouched = updated_at(&["res-shape-b", "res-shape-c"]);
    let (code, report, text) = cms.publish(&ws, &[]);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        report["fatal"]
            .as_str()
            .unwrap()
            .contains("no `data` in the answer"),
        "{text}"
    );
    assert_eq!(proxy.reached("PUT", ""), 1, "{text}");
    assert_eq!(proxy.reached("POST", ""), 0, "{text}");
    assert_eq!(updated_at(&["res-shape-b", "res-shape-c"]), untouched);
    drop(proxy);

    // The check before a batch of creates answers `documentId: null`.
    let lookup = Rule::new(
        "GET",
        &["filters[slug][$in][0]=res-shape-new"],
        rewrite(|mut body| {
            body["data"] = json!([{"documentId": null, "slug": "res-shape-new"}]);
            body
        }),
    );
    let proxy = FaultProxy::start(&cms.url, vec![lookup]);
    let ws = cms.workspace(&proxy.url, "retries = 1\n");
    ws.write_guide("res-shape-new", "New", "approved");
    let (code, report, text) = cms.publish(&ws, &[]);
    assert_eq!(code, Some(1), "{text}");
    assert_eq!(entry(&report, "res-shape-new")["outcome"], "skipped");
    assert!(
        report["fatal"]
            .as_str()
            .unwrap()
            .contains("a document without a `documentId`"),
        "{text}"
    );
    assert_eq!(proxy.reached("POST", ""), 0, "no create was sent:\n{text}");
    assert!(
        !cms.slugs(Version::Draft, prefix)
            .contains(&"res-shape-new".to_owned())
    );
    drop(proxy);

    // The lookup by slug after a create whose answer was lost answers
    // `documentId: null`: never "not found" (which would create it again).
    let proxy = FaultProxy::start(
        &cms.url,
        vec![
            Rule::new("POST", &["/api/guides"], Fault::LoseAnswer),
            Rule::new(
                "GET",
                &["filters[slug][$eq]=res-shape-new"],
                rewrite(
                    |_| json!({"data": [{"documentId": null, "slug": "res-shape-new"}], "meta": {}}),
                ),
            ),
        ],
    );
    let ws = cms.workspace(&proxy.url, "retries = 1\n");
    ws.write_guide("res-shape-new", "New", "approved");
    let (code, report, text) = cms.publish(&ws, &[]);
    assert_eq!(code, Some(1), "{text}");
    assert_eq!(entry(&report, "res-shape-new")["outcome"], "failed");
    assert!(
        report["fatal"]
            .as_str()
            .unwrap()
            .contains("a document without a `documentId`"),
        "{text}"
    );
    assert_eq!(
        proxy.reached("POST", ""),
        1,
        "the create was repeated:\n{text}"
    );
    assert_eq!(
        cms.slugs(Version::Draft, prefix)
            .iter()
            .filter(|s| *s == "res-shape-new")
            .count(),
        1
    );
    cms.clean(prefix);
}

#[test]
fn written_counts_only_what_this_run_wrote() {
    let _lock = common::cms_lock();
    let cms = Cms::connect();
    let prefix = "res-count-";
    cms.clean("res-");
    let direct = cms.workspace(&cms.url, "retries = 1\n");
    for slug in ["res-count-a", "res-count-b"] {
        direct.write_guide(slug, "Same", "approved");
    }
    let (code, _, text) = cms.publish(&direct, &[]);
    assert_eq!(code, Some(0), "{text}");

    // A stale listing (another publisher wrote them since): both are planned
    // as creates and found already in place by the check before the batch.
    let stale = Rule::new(
        "GET",
        &["/api/guides?", "pagination[page]"],
        rewrite(|mut body| {
            body["data"] = json!([]);
            body
        }),
    )
    .excluding("filters[");
    let proxy = FaultProxy::start(&cms.url, vec![stale]);
    let ws = cms.workspace(&proxy.url, "retries = 1\n");
    for slug in ["res-count-a", "res-count-b"] {
        ws.write_guide(slug, "Same", "approved");
    }
    let (code, text) = cms.publish_table(&ws, &[]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("create "), "planned as creates:\n{text}");
    assert!(text.contains("published: 0 written, 0 failed"), "{text}");
    assert_eq!(proxy.reached("POST", ""), 0);
    assert_eq!(proxy.reached("PUT", ""), 0);
    drop(proxy);

    // The check is stale too: the creates are refused (the slug is taken),
    // the documents found in place, nothing written, nothing duplicated.
    let stale = Rule::new(
        "GET",
        &["/api/guides?", "pagination[page]"],
        rewrite(|mut body| {
            body["data"] = json!([]);
            body
        }),
    );
    let proxy = FaultProxy::start(&cms.url, vec![stale]);
    let ws = cms.workspace(&proxy.url, "retries = 1\n");
    for slug in ["res-count-a", "res-count-b"] {
        ws.write_guide(slug, "Same", "approved");
    }
    let (code, text) = cms.publish_table(&ws, &[]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("published: 0 written, 0 failed"), "{text}");
    assert_eq!(proxy.reached("POST", ""), 2, "{text}");
    assert_eq!(proxy.reached("PUT", ""), 0, "{text}");
    assert_eq!(
        cms.slugs(Version::Draft, prefix),
        ["res-count-a", "res-count-b"]
    );
    drop(proxy);

    // A create whose answer is lost did write: it counts.
    let lost = Rule::new("POST", &["/api/guides"], Fault::LoseAnswer);
    let proxy = FaultProxy::start(&cms.url, vec![lost]);
    let ws = cms.workspace(&proxy.url, "retries = 1\n");
    ws.write_guide("res-count-c", "New", "approved");
    let (code, text) = cms.publish_table(&ws, &[]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("published: 1 written, 0 failed"), "{text}");
    assert_eq!(proxy.reached("POST", ""), 1, "not repeated:\n{text}");
    assert_eq!(
        cms.slugs(Version::Published, prefix),
        ["res-count-a", "res-count-b", "res-count-c"]
    );
    cms.clean(prefix);
}

#[test]
fn lost_answers_to_update_unpublish_and_delete_are_checked_not_failed() {
    let _lock = common::cms_lock();
    let cms = Cms::connect();
    let prefix = "res-lost-";
    cms.clean("res-");
    let direct = cms.workspace(&cms.url, "retries = 2\n");
    for slug in ["res-lost-edit", "res-lost-archive", "res-lost-gone"] {
        direct.write_guide(slug, "First", "approved");
    }
    let (code, _, text) = cms.publish(&direct, &[]);
    assert_eq!(code, Some(0), "{text}");

    // Every answer to a PUT, an unpublish and a DELETE is lost after the
    // CMS carried it out.
    let proxy = FaultProxy::start(
        &cms.url,
        vec![
            Rule::new("PUT", &["/api/guides/"], Fault::LoseAnswer),
            Rule::new("POST", &["/unpublish"], Fault::LoseAnswer),
            Rule::new("DELETE", &["/api/guides/"], Fault::LoseAnswer),
        ],
    );
    let ws = cms.workspace(&proxy.url, "retries = 2\n");
    ws.write_guide("res-lost-edit", "Second", "approved");
    ws.write_guide("res-lost-archive", "First", "archived");
    let (code, report, text) = cms.publish(&ws, &["--prune"]);
    assert_eq!(code, Some(0), "{text}");
    for (slug, action) in [
        ("res-lost-edit", "update"),
        ("res-lost-archive", "unpublish"),
        ("res-lost-gone", "delete"),
    ] {
        assert_eq!(entry(&report, slug)["action"], action, "{text}");
        assert_eq!(entry(&report, slug)["outcome"], "done", "{text}");
    }
    // Each write was sent once: the re-read found it landed.
    assert_eq!(proxy.reached("PUT", ""), 1, "{text}");
    assert_eq!(proxy.reached("POST", "/unpublish"), 1, "{text}");
    assert_eq!(proxy.reached("DELETE", ""), 1, "{text}");
    let published = cms.mine(Version::Published, prefix);
    assert_eq!(published.len(), 1, "{published:?}");
    assert_eq!(published[0].0, "res-lost-edit");
    assert_eq!(published[0].1.fields["title"], "Second");
    assert_eq!(
        cms.slugs(Version::Draft, prefix),
        ["res-lost-archive", "res-lost-edit"]
    );
    cms.clean(prefix);
}

#[test]
fn a_cms_dying_mid_run_stops_the_run_early_and_says_how_far_it_got() {
    let _lock = common::cms_lock();
    let cms = Cms::connect();
    let prefix = "res-dying-";
    cms.clean("res-");
    let slugs: Vec<String> = (1..=16).map(|i| format!("res-dying-{i:02}")).collect();
    // The CMS dies on the 4th create: from then on, connections are refused.
    let die = Rule::new("POST", &["/api/guides"], Fault::Die).after(3);
    let proxy = FaultProxy::start(&cms.url, vec![die]);
    // The defaults: 4 retries per request, 4 guides at a time.
    let ws = cms.workspace(&proxy.url, "");
    for slug in &slugs {
        ws.write_guide(slug, "Dying", "approved");
    }
    let started = Instant::now();
    let (code, report, text) = cms.publish(&ws, &[]);
    let took = started.elapsed();
    assert!(proxy.is_dead(), "{text}");
    assert_eq!(code, Some(1), "{text}");
    let fatal = report["fatal"].as_str().unwrap_or_else(|| panic!("{text}"));
    assert!(fatal.contains("stopped accepting connections"), "{fatal}");
    assert!(fatal.contains("of 16 writes were carried out"), "{fatal}");
    let outcomes: Vec<&str> = report["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["outcome"].as_str().unwrap_or(""))
        .collect();
    let count = |what: &str| outcomes.iter().filter(|o| **o == what).count();
    // The guides in flight when it died (their answers cut, whether or not
    // the CMS wrote them), and those started before the third refusal in a
    // row, fail; the rest are not attempted.
    assert!(
        count("failed") <= 4 + guidepress::publish::execute::REFUSED_IN_A_ROW,
        "{text}"
    );
    assert!(count("skipped") >= 5, "{text}");
    assert_eq!(count("done") + count("failed") + count("skipped"), 16);
    assert!(
        fatal.contains(&format!("{} not attempted", count("skipped"))),
        "{fatal}"
    );
    // Stopping early takes about 8 s (the guides in flight look their slugs
    // up through the retry policy); trying every guide takes minutes.
    assert!(
        took < Duration::from_secs(30),
        "took {took:?}: the remaining guides were tried"
    );

    // With the CMS back, a rerun converges: every guide once.
    let direct = cms.workspace(&cms.url, "");
    for slug in &slugs {
        direct.write_guide(slug, "Dying", "approved");
    }
    let (code, _, text) = cms.publish(&direct, &[]);
    assert_eq!(code, Some(0), "{text}");
    assert_eq!(cms.slugs(Version::Draft, prefix), slugs);
    assert_eq!(cms.slugs(Version::Published, prefix), slugs);
    cms.clean(prefix);
}
