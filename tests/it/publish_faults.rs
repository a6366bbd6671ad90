//! Faults the real CMS will not produce on demand, played by a mock server:
//! 5xx then success, 429 with Retry-After, a create whose answer is lost
//! although the write happened, malformed JSON, 401, 413.

use crate::publish_support as common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use guidepress::publish::payload::Payload;
use guidepress::publish::plan::{Action, LocalGuide, Outcome, PlanOptions};
use guidepress::publish::{CmsConfig, CmsError, PublishJob, Secret, StrapiClient, Version};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "tok-3f9a-very-secret";

fn client(server: &MockServer, timeout_secs: u64) -> StrapiClient {
    let config = CmsConfig {
        base_url: server.uri(),
        request_timeout_secs: timeout_secs,
        retries: 3,
        ..CmsConfig::default()
    };
    StrapiClient::new(&config, &Secret::new(TOKEN), None)
        .unwrap()
        .with_backoff_base(Duration::from_millis(5))
}

fn page(items: Vec<Value>) -> Value {
    json!({"data": items, "meta": {"pagination": {"page": 1, "pageSize": 100, "pageCount": 1, "total": 0}}})
}

fn guide(slug: &str) -> LocalGuide {
    let value = json!({"slug": slug, "title": format!("Guide {slug}"), "status": "approved"});
    let path = format!("content/guides/{slug}.yaml");
    LocalGuide {
        slug: slug.into(),
        payload: Payload::from_guide(&value, &path),
        path,
        status: Some("approved".into()),
        blocked: None,
    }
}

fn stored(guide: &LocalGuide, document_id: &str, published: bool) -> Value {
    let mut data = guide.payload.as_ref().unwrap().to_data();
    data["documentId"] = json!(document_id);
    data["id"] = json!(1);
    data["updatedAt"] = json!("2026-11-28T00:00:00.000Z");
    data["publishedAt"] = if published {
        json!("2026-11-28T00:00:00.000Z")
    } else {
        Value::Null
    };
    data
}

async fn received(server: &MockServer, verb: &str) -> usize {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.method.as_str() == verb)
        .count()
}

fn job(client: StrapiClient, local: Vec<LocalGuide>) -> PublishJob {
    PublishJob {
        client: Arc::new(client),
        local,
        plan: PlanOptions::default(),
        dry_run: false,
        concurrency: 2,
        pause_after_writes: None,
        show_requests: false,
        cms: "mock".into(),
        published: None,
    }
}

#[tokio::test]
async fn a_500_is_retried_until_it_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/guides"))
        .respond_with(ResponseTemplate::new(500).set_body_json(
            json!({"data": null, "error": {"status": 500, "name": "InternalServerError", "message": "boom", "details": {}}}),
        ))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/guides"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(vec![stored(
            &guide("a"),
            "d-a",
            true,
        )])))
        .mount(&server)
        .await;
    let client = client(&server, 5);
    let docs = client.list(Version::Published, true).await.unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].slug(), "a");
    assert_eq!(received(&server, "GET").await, 3);
}

#[tokio::test]
async fn a_429_waits_for_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(Vec::new())))
        .mount(&server)
        .await;
    let started = Instant::now();
    let docs = client(&server, 5)
        .list(Version::Draft, false)
        .await
        .unwrap();
    assert!(docs.is_empty());
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(received(&server, "GET").await, 2);
}

#[tokio::test]
async fn a_create_whose_answer_is_lost_is_found_not_repeated() {
    let server = MockServer::start().await;
    let a = guide("a");
    // The listing: nothing yet.
    Mock::given(method("GET"))
        .and(path("/api/guides"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(Vec::new())))
        .with_priority(5)
        .mount(&server)
        .await;
    // The check before the batch (`$in`) finds nothing, as the listing did;
    // the lookup by slug after the lost create finds the document.
    Mock::given(method("GET"))
        .and(path("/api/guides"))
        .and(query_param("filters[slug][$eq]", "a"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(page(vec![stored(&a, "d-a", false)])),
        )
        .with_priority(2)
        .mount(&server)
        .await;
    // The create is written, but its answer comes after the client gave up.
    Mock::given(method("POST"))
        .and(path("/api/guides"))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"data": stored(&a, "d-a", true), "meta": {}}))
                .set_delay(Duration::from_secs(3)),
        )
        .mount(&server)
        .await;
    // The re-read by documentId.
    Mock::given(method("GET"))
        .and(path("/api/guides/d-a"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"data": stored(&a, "d-a", true), "meta": {}})),
        )
        .mount(&server)
        .await;

    let report = job(client(&server, 1), vec![a])
        .run(|_| {}, None)
        .await
        .unwrap();
    let entry = &report.entries[0];
    assert_eq!(entry.action, Action::Create);
    assert_eq!(entry.outcome, Some(Outcome::Done), "{entry:?}");
    assert_eq!(entry.document_id.as_deref(), Some("d-a"));
    assert_eq!(
        received(&server, "POST").await,
        1,
        "the create was repeated"
    );
    assert_eq!(received(&server, "PUT").await, 0);
    assert!(!report.failed());
}

#[tokio::test]
async fn malformed_json_fails_that_guide_and_the_rest_continue() {
    let server = MockServer::start().await;
    let (a, b) = (guide("a"), guide("b"));
    Mock::given(method("GET"))
        .and(path("/api/guides"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(Vec::new())))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/guides"))
        .and(wiremock::matchers::body_string_contains("\"slug\":\"a\""))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"data\": {oops"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/guides"))
        .and(wiremock::matchers::body_string_contains("\"slug\":\"b\""))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"data": stored(&b, "d-b", true), "meta": {}})),
        )
        .mount(&server)
        .await;
    let report = job(client(&server, 5), vec![a, b])
        .run(|_| {}, None)
        .await
        .unwrap();
    let outcome = |slug: &str| {
        report
            .entries
            .iter()
            .find(|e| e.slug == slug)
            .unwrap()
            .clone()
    };
    let failed = outcome("a");
    assert_eq!(failed.outcome, Some(Outcome::Failed));
    assert!(failed.message.unwrap().contains("unexpected content"));
    assert_eq!(outcome("b").outcome, Some(Outcome::Done));
    assert!(report.failed());

    // A malformed listing stops the run before anything is written.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>proxy error</html>"))
        .mount(&server)
        .await;
    let error = client(&server, 5)
        .list(Version::Published, true)
        .await
        .unwrap_err();
    assert!(matches!(error, CmsError::Malformed { .. }), "{error}");
}

#[tokio::test]
async fn a_401_is_clear_and_never_shows_the_token() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            json!({"data": null, "error": {"status": 401, "name": "UnauthorizedError", "message": "Missing or invalid credentials", "details": {}}}),
        ))
        .mount(&server)
        .await;
    let error = client(&server, 5)
        .list(Version::Published, true)
        .await
        .unwrap_err();
    assert!(matches!(error, CmsError::Unauthorized { status: 401, .. }));
    assert!(error.is_fatal());
    let text = error.to_string();
    assert!(text.contains("GUIDEPRESS_CMS_TOKEN"), "{text}");
    assert!(!text.contains(TOKEN));
    assert_eq!(received(&server, "GET").await, 1, "a 401 is not retried");

    // Through the binary, with --verbose: exit 2, the message, no token anywhere.
    let workspace = common::Workspace::new(&server.uri(), "GP_FAULT_TOKEN", "");
    workspace.write_guide("a", "A", "approved");
    let out = workspace.run(&["publish", "--verbose"], &[("GP_FAULT_TOKEN", TOKEN)]);
    let all = common::show(&out);
    assert_eq!(out.status.code(), Some(2), "{all}");
    assert!(all.contains("refused the API token (HTTP 401)"), "{all}");
    assert!(all.contains("GP_FAULT_TOKEN"), "{all}");
    assert!(!all.contains(TOKEN), "the token leaked: {all}");
    let seen = server.received_requests().await.unwrap();
    let sent = seen.last().unwrap().headers.get("authorization").unwrap();
    assert_eq!(sent.to_str().unwrap(), format!("Bearer {TOKEN}"));
}

#[tokio::test]
async fn a_413_says_what_to_change_and_is_not_retried() {
    let server = MockServer::start().await;
    let a = guide("a");
    Mock::given(method("GET"))
        .and(path("/api/guides"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(Vec::new())))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(413).set_body_string("request entity too large"))
        .mount(&server)
        .await;
    let report = job(client(&server, 5), vec![a])
        .run(|_| {}, None)
        .await
        .unwrap();
    let entry = &report.entries[0];
    assert_eq!(entry.outcome, Some(Outcome::Failed));
    assert!(
        entry.message.as_deref().unwrap().contains("HTTP 413"),
        "{entry:?}"
    );
    assert_eq!(received(&server, "POST").await, 1);
}

#[test]
fn plain_http_to_a_remote_host_is_refused() {
    let workspace = common::Workspace::new("http://cms.example.com", "GP_FAULT_TOKEN", "");
    workspace.write_guide("a", "A", "approved");
    let out = workspace.run(&["publish", "--dry-run"], &[("GP_FAULT_TOKEN", TOKEN)]);
    let all = common::show(&out);
    assert_eq!(out.status.code(), Some(2), "{all}");
    assert!(
        all.contains("refusing to send the API token over plain http://"),
        "{all}"
    );
}

/// With `require_links_ok`, a broken source link blocks its guide (no write
/// for it), while a guide whose links are all fine and one whose link is only
/// inconclusive (a warning) are written: a real run, not a dry run.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_require_links_ok_a_broken_source_link_blocks_the_guide() {
    let server = MockServer::start().await;
    common::mount_builder(&server).await;
    Mock::given(method("GET"))
        .and(path("/api/guides"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(Vec::new())))
        .mount(&server)
        .await;
    for slug in ["a", "b", "c"] {
        Mock::given(method("POST"))
            .and(path("/api/guides"))
            .and(wiremock::matchers::body_string_contains(format!(
                "\"slug\":\"{slug}\""
            )))
            .respond_with(ResponseTemplate::new(201).set_body_json(json!({
                "data": {"documentId": format!("d-{slug}"), "id": 1, "slug": slug},
                "meta": {}
            })))
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path("/fine-source"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    Mock::given(method("HEAD"))
        .and(path("/fine-source"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    // A source behind a login: GP402, inconclusive.
    Mock::given(path("/login-source"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    // Any other path (the cited source of `a`) is a 404 from the same loopback server.
    let links = "require_links_ok = true\n\n[links]\nallow_net = [\"127.0.0.1\"]\ntimeout = \"5s\"\nmax_retries = 0\nhost_interval = 0\n";
    let workspace = common::Workspace::new(&server.uri(), "GP_FAULT_TOKEN", links);
    let ooh = "https://www.bls.gov/ooh/computer-and-information-technology/software-developers.htm";
    let oews = "https://www.bls.gov/oes/current/oes151252.htm";
    let fine = format!("{}/fine-source", server.uri());
    for (slug, first) in [
        ("a", format!("{}/gone-source", server.uri())),
        ("b", fine.clone()),
        ("c", format!("{}/login-source", server.uri())),
    ] {
        let text = common::guide_text(slug, slug, "approved")
            .replace(ooh, &first)
            .replace(oews, &fine);
        assert!(!text.contains("https://"), "only loopback links");
        std::fs::write(workspace.guide_path(slug), text).unwrap();
    }
    let out = tokio::task::spawn_blocking(move || {
        let out = workspace.run(
            &["publish", "--output-format", "json"],
            &[("GP_FAULT_TOKEN", TOKEN)],
        );
        drop(workspace);
        out
    })
    .await
    .unwrap();
    let all = common::show(&out);
    assert_eq!(out.status.code(), Some(1), "{all}");
    let report: Value = serde_json::from_slice(&out.stdout).expect(&all);
    let entry = |slug: &str| {
        report["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["slug"] == slug)
            .unwrap_or_else(|| panic!("{slug}: {all}"))
            .clone()
    };
    assert_eq!(entry("a")["action"], "blocked", "{all}");
    assert!(
        entry("a")["reason"].as_str().unwrap().contains("GP401"),
        "{all}"
    );
    assert_eq!(entry("b")["action"], "create", "{all}");
    assert_eq!(
        entry("c")["action"],
        "create",
        "inconclusive does not block: {all}"
    );
    let seen = server.received_requests().await.unwrap();
    for checked in ["/gone-source", "/fine-source", "/login-source"] {
        assert!(
            seen.iter().any(|r| r.url.path() == checked),
            "{checked} was checked"
        );
    }
    let posted: Vec<String> = seen
        .iter()
        .filter(|r| r.method.as_str() == "POST")
        .map(|r| String::from_utf8_lossy(&r.body).into_owned())
        .collect();
    let posted_slug = |slug: &str| {
        posted
            .iter()
            .any(|b| b.contains(&format!("\"slug\":\"{slug}\"")))
    };
    assert!(posted_slug("b") && posted_slug("c"), "{posted:?}");
    assert!(
        !posted_slug("a"),
        "the blocked guide was written: {posted:?}"
    );
}
