//! The listing read once per run and the checks before each batch of
//! writes, against a mock CMS: the requests a first publish sends (one check
//! per batch, no lookup or re-read per guide), `--show-requests` naming
//! exactly what is sent, and listings whose pagination does not follow the
//! request, which stop the run with a clear error instead of missing
//! documents.

use std::sync::Arc;
use std::time::Duration;

use guidepress::publish::payload::Payload;
use guidepress::publish::plan::{Action, LocalGuide, Outcome, PlanOptions};
use guidepress::publish::strapi::{BATCH, MAX_LISTED};
use guidepress::publish::{CmsConfig, CmsError, PublishJob, Secret, StrapiClient, Version};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn client(server: &MockServer) -> StrapiClient {
    let config = CmsConfig {
        base_url: server.uri(),
        request_timeout_secs: 5,
        retries: 1,
        ..CmsConfig::default()
    };
    StrapiClient::new(&config, &Secret::new("tok-batches"), None)
        .unwrap()
        .with_backoff_base(Duration::from_millis(5))
}

fn guide(slug: &str) -> LocalGuide {
    let value =
        json!({"slug": slug, "title": format!("Guide {slug}"), "status": "approved", "n": 0.5});
    let path = format!("content/guides/{slug}.yaml");
    LocalGuide {
        slug: slug.into(),
        payload: Payload::from_guide(&value, &path),
        path,
        status: Some("approved".into()),
        blocked: None,
    }
}

fn doc(slug: &str, id: &str) -> Value {
    json!({"documentId": id, "slug": slug, "updatedAt": "2026-11-28T00:00:00.000Z"})
}

fn page(items: Vec<Value>, page: u64, page_size: u64, page_count: u64) -> Value {
    json!({"data": items, "meta": {"pagination": {"page": page, "pageSize": page_size, "pageCount": page_count, "total": 0}}})
}

fn query(request: &Request, name: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// Answers a create with the document it was given, as Strapi does.
struct Echo;

impl wiremock::Respond for Echo {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        let mut data = body["data"].clone();
        data["documentId"] = json!(format!("d-{}", data["slug"].as_str().unwrap()));
        data["updatedAt"] = json!("2026-11-28T00:00:00.000Z");
        data["publishedAt"] = json!("2026-11-28T00:00:00.000Z");
        ResponseTemplate::new(201).set_body_json(json!({"data": data, "meta": {}}))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_publish_checks_each_batch_once_and_sends_what_it_shows() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/guides"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(Vec::new(), 1, 100, 0)))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/guides"))
        .respond_with(Echo)
        .mount(&server)
        .await;
    let count = 2 * BATCH + 7;
    let local: Vec<LocalGuide> = (0..count).map(|i| guide(&format!("g-{i:03}"))).collect();
    let job = PublishJob {
        client: Arc::new(client(&server)),
        local,
        plan: PlanOptions::default(),
        dry_run: false,
        concurrency: 4,
        pause_after_writes: None,
        show_requests: true,
        cms: "mock".into(),
        published: None,
    };
    let report = job.run(|_| {}, None).await.unwrap();
    assert!(!report.failed(), "{:?}", report.fatal);
    assert!(
        report
            .entries
            .iter()
            .all(|e| e.action == Action::Create && e.outcome == Some(Outcome::Done))
    );
    let seen = server.received_requests().await.unwrap();
    let gets: Vec<&Request> = seen.iter().filter(|r| r.method.as_str() == "GET").collect();
    let listings = gets
        .iter()
        .filter(|r| query(r, "filters[slug][$in][0]").is_none())
        .count();
    let checks = gets.len() - listings;
    // The published versions and the drafts, once each; one check per batch.
    assert_eq!(listings, 2, "{gets:?}");
    assert_eq!(checks, count.div_ceil(BATCH));
    assert!(
        gets.iter()
            .all(|r| query(r, "filters[slug][$eq]").is_none())
    );
    assert_eq!(report.reads, listings + checks);
    // Each check asks for its batch's slugs, and only those.
    for check in gets
        .iter()
        .filter(|r| query(r, "filters[slug][$in][0]").is_some())
    {
        let asked = check
            .url
            .query_pairs()
            .filter(|(k, _)| k.starts_with("filters[slug][$in]"))
            .count();
        assert!(asked <= BATCH && asked > 0, "{asked}");
        assert_eq!(query(check, "status").as_deref(), Some("draft"));
    }
    // --show-requests shows exactly what is sent.
    let posts: Vec<&Request> = seen
        .iter()
        .filter(|r| r.method.as_str() == "POST")
        .collect();
    assert_eq!(posts.len(), count);
    for post in posts {
        let body: Value = serde_json::from_slice(&post.body).unwrap();
        let slug = body["data"]["slug"].as_str().unwrap();
        let entry = report.entries.iter().find(|e| e.slug == slug).unwrap();
        let shown = entry.request.as_ref().expect("a create shows its request");
        assert_eq!(shown.method, "POST");
        assert_eq!(shown.path, post.url.path());
        assert_eq!(shown.query, Vec::<(String, String)>::new());
        assert_eq!(post.url.query(), None);
        assert_eq!(shown.body, body);
        assert_eq!(serde_json::to_vec(&shown.body).unwrap(), post.body);
    }
}

/// The answer to a listing request, by the page asked for.
type Answer = Box<dyn Fn(u64) -> Value + Send + Sync>;

/// A listing whose answers do not follow the request: each is
/// [`CmsError::Unexpected`], saying what is wrong.
#[tokio::test]
async fn odd_pagination_is_a_clear_error() {
    let full: Vec<Value> = (0..100)
        .map(|i| doc(&format!("s{i}"), &format!("d{i}")))
        .collect();
    let cases: Vec<(&str, Answer)> = vec![
        ("no `meta.pagination`", Box::new(|_| json!({"data": []}))),
        (
            "asked for page 2, got page 1",
            Box::new({
                let full = full.clone();
                move |_| page(full.clone(), 1, 100, 3)
            }),
        ),
        (
            "only documents already listed",
            Box::new({
                let full = full.clone();
                move |asked| page(full.clone(), asked, 100, 3)
            }),
        ),
        (
            "on a page of size 1000",
            Box::new({
                let full = full.clone();
                move |asked| page(full.clone(), asked, 1000, 1)
            }),
        ),
        (
            "101 documents on a page of size 100",
            Box::new(move |asked| {
                let items = (0..101)
                    .map(|i| doc(&format!("x{i}"), &format!("x{i}")))
                    .collect();
                page(items, asked, 100, 1)
            }),
        ),
        (
            "more than guidepress reads",
            Box::new(|asked| page(Vec::new(), asked, 100, 1 + MAX_LISTED as u64 / 100)),
        ),
    ];
    for (expected, answer) in cases {
        let server = MockServer::start().await;
        let answer = Arc::new(answer);
        Mock::given(method("GET"))
            .and(path("/api/guides"))
            .respond_with(move |request: &Request| {
                let asked = query(request, "pagination[page]").unwrap().parse().unwrap();
                ResponseTemplate::new(200).set_body_json(answer(asked))
            })
            .mount(&server)
            .await;
        let error = client(&server)
            .list(Version::Published, true)
            .await
            .expect_err(expected);
        assert!(matches!(error, CmsError::Unexpected { .. }), "{error}");
        assert!(error.to_string().contains(expected), "{expected}: {error}");
        let gets = server.received_requests().await.unwrap().len();
        assert!(gets <= 3, "{expected}: {gets} requests");
    }
}

/// After the first page, the others are asked for a few at a time: a
/// listing of five slow pages takes about two pages' time, not five, and
/// still holds every document once, in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pages_after_the_first_are_asked_for_together() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/guides"))
        .respond_with(|request: &Request| {
            let asked: u64 = query(request, "pagination[page]").unwrap().parse().unwrap();
            let items = (0..100)
                .map(|i| {
                    let n = (asked - 1) * 100 + i;
                    doc(&format!("s{n:03}"), &format!("d{n:03}"))
                })
                .collect();
            ResponseTemplate::new(200)
                .set_body_json(page(items, asked, 100, 5))
                .set_delay(Duration::from_millis(400))
        })
        .mount(&server)
        .await;
    let started = std::time::Instant::now();
    let docs = client(&server)
        .list(Version::Published, true)
        .await
        .unwrap();
    let took = started.elapsed();
    let ids: Vec<String> = docs.iter().map(|d| d.document_id.clone()).collect();
    let expected: Vec<String> = (0..500).map(|n| format!("d{n:03}")).collect();
    assert_eq!(ids, expected);
    assert_eq!(server.received_requests().await.unwrap().len(), 5);
    // One after the other: 2 s; the first, then four together: 0.8 s.
    assert!(took < Duration::from_millis(1600), "took {took:?}");
}

/// A listing that grows while it is read (the last page announces one
/// more) is read on to its new end.
#[tokio::test]
async fn a_listing_that_grows_while_read_is_read_to_its_end() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/guides"))
        .respond_with(|request: &Request| {
            let asked: u64 = query(request, "pagination[page]").unwrap().parse().unwrap();
            let items = (0..100)
                .map(|i| {
                    let n = (asked - 1) * 100 + i;
                    doc(&format!("s{n:03}"), &format!("d{n:03}"))
                })
                .collect();
            // Two pages at first; a third from the second page on.
            let count = if asked == 1 { 2 } else { 3 };
            ResponseTemplate::new(200).set_body_json(page(items, asked, 100, count))
        })
        .mount(&server)
        .await;
    let docs = client(&server)
        .list(Version::Published, true)
        .await
        .unwrap();
    assert_eq!(docs.len(), 300);
    assert_eq!(docs[299].document_id, "d299");
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

/// A check whose filter the CMS did not apply (a document not asked for)
/// stops the run before any write; an honest one pages like a listing.
#[tokio::test]
async fn a_check_must_return_only_what_it_asked_for() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/guides"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(
            vec![doc("a", "d-a"), doc("other", "d-o")],
            1,
            100,
            1,
        )))
        .mount(&server)
        .await;
    let client = client(&server);
    let error = client.find_slugs(&["a"]).await.unwrap_err();
    assert!(
        error.to_string().contains("the filter was not applied"),
        "{error}"
    );
    let error = client.get_many(&["d-a"], Version::Draft).await.unwrap_err();
    assert!(
        error.to_string().contains("the filter was not applied"),
        "{error}"
    );
    let found = client.find_slugs(&["a", "other"]).await.unwrap();
    assert_eq!(found.len(), 2);
    assert!(client.find_slugs(&[]).await.unwrap().is_empty());

    // Through a whole run: nothing is written.
    let job = PublishJob {
        client: Arc::new(client),
        local: vec![guide("new")],
        plan: PlanOptions::default(),
        dry_run: false,
        concurrency: 2,
        pause_after_writes: None,
        show_requests: false,
        cms: "mock".into(),
        published: None,
    };
    let report = job.run(|_| {}, None).await.unwrap();
    let fatal = report.fatal.as_deref().unwrap();
    assert!(fatal.contains("the filter was not applied"), "{fatal}");
    assert_eq!(report.entries[0].outcome, Some(Outcome::Skipped));
    assert_eq!(report.writes, 0);
}
