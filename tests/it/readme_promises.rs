//! What the documentation promises (the README's manual, now the site's pages
//! under docs/: publishing, official data, link checking, security) and nothing
//! else tested, each against the real
//! binary or client on loopback: the CMS client follows no redirect; the
//! check before each batch of writes catches an edit made after the plan
//! (and a document not edited is written without a re-read); a new
//! data release leaves pinned guides alone; the link checker reads at most
//! 16 KiB of a body; a refused connection is GP401 after one retry; exit 2
//! despite `--exit-zero`; the size limits of the configuration, schemas and
//! the link cache. (`Retry-After` holding the host: links_outcomes.rs;
//! `require_links_ok` with inconclusive links: publish_faults.rs; a same-slug
//! document adopted by `--force`: publish_e2e.rs, against the real Strapi.)

use crate::common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::common::cli::{code, stderr, stdout};
use guidepress::publish::payload::Payload;
use guidepress::publish::plan::{LocalGuide, Outcome, PlanOptions};
use guidepress::publish::{CmsConfig, PublishJob, Secret, StrapiClient, Version};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "tok-readme-promises";

// ---- the CMS client ----

fn client(server: &MockServer) -> StrapiClient {
    let config = CmsConfig {
        base_url: server.uri(),
        request_timeout_secs: 5,
        retries: 1,
        ..CmsConfig::default()
    };
    StrapiClient::new(&config, &Secret::new(TOKEN), None)
        .unwrap()
        .with_backoff_base(Duration::from_millis(5))
}

fn page(items: Vec<Value>) -> Value {
    json!({"data": items, "meta": {"pagination": {"page": 1, "pageSize": 100, "pageCount": 1, "total": items.len()}}})
}

fn local(slug: &str, title: &str) -> LocalGuide {
    let value = json!({"slug": slug, "title": title, "status": "approved"});
    let path = format!("content/guides/{slug}.yaml");
    LocalGuide {
        slug: slug.into(),
        payload: Payload::from_guide(&value, &path),
        path,
        status: Some("approved".into()),
        blocked: None,
    }
}

/// The document as guidepress wrote it (hash and marker), published.
fn stored(guide: &LocalGuide, document_id: &str) -> Value {
    let mut data = guide.payload.as_ref().unwrap().to_data();
    data["documentId"] = json!(document_id);
    data["id"] = json!(1);
    data["updatedAt"] = json!("2026-11-28T00:00:00.000Z");
    data["publishedAt"] = json!("2026-11-28T00:00:00.000Z");
    data
}

#[tokio::test]
async fn the_cms_client_follows_no_redirect() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/guides"))
        .respond_with(ResponseTemplate::new(307).insert_header("Location", "/elsewhere/api/guides"))
        .mount(&server)
        .await;
    Mock::given(path("/elsewhere/api/guides"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(Vec::new())))
        .mount(&server)
        .await;
    let error = client(&server)
        .list(Version::Published, true)
        .await
        .expect_err("a redirect is not an answer");
    assert!(error.to_string().contains("307"), "{error}");
    let seen = server.received_requests().await.unwrap();
    assert!(!seen.is_empty());
    assert!(
        seen.iter().all(|r| r.url.path() == "/api/guides"),
        "the redirect was followed: {:?}",
        seen.iter().map(|r| r.url.path()).collect::<Vec<_>>()
    );
}

/// The plan sees the document as guidepress left it (an update is due);
/// between the plan and the write an editor changes it in the CMS: the
/// check just before the batch sees its `updatedAt` move, the full re-read
/// finds the edit and the write is not made. With no edit, the same run
/// writes, without reading the document again.
#[tokio::test]
async fn the_check_before_a_write_catches_an_edit_made_after_the_plan() {
    for edited in [true, false] {
        let server = MockServer::start().await;
        let before = local("a", "Before");
        let after = local("a", "After");
        let planned = stored(&before, "d-a");
        Mock::given(method("GET"))
            .and(path("/api/guides"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(vec![planned.clone()])))
            .mount(&server)
            .await;
        let mut now = planned.clone();
        if edited {
            now["title"] = json!("Before, edited in the CMS");
            now["updatedAt"] = json!("2026-11-28T00:05:00.000Z");
        }
        // The check before the batch: the document by `documentId`, light.
        Mock::given(method("GET"))
            .and(path("/api/guides"))
            .and(query_param("filters[documentId][$in][0]", "d-a"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(vec![json!({
                "documentId": "d-a",
                "slug": "a",
                "contentHash": now["contentHash"],
                "managedBy": now["managedBy"],
                "updatedAt": now["updatedAt"],
                "publishedAt": now["publishedAt"],
            })])))
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/api/guides/d-a"))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(json!({"data": now, "meta": {}})),
            )
            .mount(&server)
            .await;
        Mock::given(method("PUT"))
            .and(path("/api/guides/d-a"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"data": stored(&after, "d-a"), "meta": {}})),
            )
            .mount(&server)
            .await;
        let job = PublishJob {
            client: Arc::new(client(&server)),
            local: vec![after],
            plan: PlanOptions::default(),
            dry_run: false,
            concurrency: 1,
            pause_after_writes: None,
            show_requests: false,
            cms: "mock".into(),
            published: None,
        };
        let report = job.run(|_| {}, None).await.unwrap();
        let entry = &report.entries[0];
        let seen = server.received_requests().await.unwrap();
        let checks = seen
            .iter()
            .filter(|r| r.url.query().is_some_and(|q| q.contains("documentId")))
            .count();
        let reads = seen
            .iter()
            .filter(|r| r.method.as_str() == "GET" && r.url.path() == "/api/guides/d-a")
            .count();
        let puts = seen.iter().filter(|r| r.method.as_str() == "PUT").count();
        assert_eq!(checks, 2, "draft and published checked in one request each");
        if edited {
            assert!(reads >= 1, "the changed document was read again");
            assert_eq!(puts, 0, "the edit was overwritten: {entry:?}");
            assert_eq!(entry.outcome, Some(Outcome::Conflict), "{entry:?}");
            assert!(report.failed(), "a conflict fails the run");
        } else {
            assert_eq!(reads, 0, "an unchanged document is not read again");
            assert_eq!(puts, 1, "{entry:?}");
            assert_eq!(entry.outcome, Some(Outcome::Done), "{entry:?}");
        }
    }
}

// ---- official data ----

/// Importing a new release moves the guides that do not pin one; a guide
/// pinning `oews_release: "2025A01"` is still checked against May 2025.
#[test]
fn a_new_release_leaves_pinned_guides_alone() {
    let project = common::project();
    let data = project.path().join("data/oews");
    let may_2025 = std::fs::read_to_string(data.join("2025A01.csv")).unwrap();
    let row = "99,U.S.,1,US,15-1252,Software Developers,detailed,1687890,71.20,148100,65.38,82460,105210,135980,171980,214670";
    assert!(may_2025.contains(row));
    // "May 2026": the national median of 15-1252 moves.
    let may_2026 = may_2025.replace(
        row,
        "99,U.S.,1,US,15-1252,Software Developers,detailed,1687890,71.20,148100,65.38,82460,105210,140000,171980,214670",
    );
    std::fs::write(data.join("2026A01.csv"), may_2026).unwrap();
    let guide = project.path().join("content/guides/backend-engineer.yaml");
    let pinned = std::fs::read_to_string(&guide).unwrap();
    assert!(pinned.contains("  oews_release: \"2025A01\"\n"));
    let check = || {
        common::cli::run(
            project.path(),
            &["check", "--output-format", "concise", "content/guides"],
        )
    };
    let out = check();
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(!stdout(&out).contains("GP6"), "{}", stdout(&out));

    // Unpinned, the same guide meets the new release's figure.
    std::fs::write(&guide, pinned.replace("  oews_release: \"2025A01\"\n", "")).unwrap();
    let out = check();
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    assert!(
        stdout(&out).contains("GP603") && stdout(&out).contains("140,000"),
        "{}",
        stdout(&out)
    );
}

// ---- the link checker ----

/// A loopback server answering every `GET` with `body` (and 405 to `HEAD`),
/// with the number of requests it has had.
fn body_server(body: Vec<u8>) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let count = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            count.fetch_add(1, Ordering::SeqCst);
            let mut buffer = [0; 4096];
            let read = stream.read(&mut buffer).unwrap_or(0);
            let head = if buffer[..read].starts_with(b"HEAD") {
                "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .to_owned()
            } else {
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                )
            };
            let _ = stream.write_all(head.as_bytes());
            if !buffer[..read].starts_with(b"HEAD") {
                let _ = stream.write_all(&body);
            }
        }
    });
    (address, hits)
}

fn links_in(dir: &Path, url: &str) -> String {
    links_with(dir, url, "max_retries = 0\n")
}

fn links_with(dir: &Path, url: &str, settings: &str) -> String {
    std::fs::write(
        dir.join("guidepress.toml"),
        format!("schemas = []\n[links]\nallow_net = [\"127.0.0.1\"]\nhost_interval = 0\ncache = false\n{settings}"),
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("content/guides")).unwrap();
    std::fs::write(
        dir.join("content/guides/pay.yaml"),
        format!("slug: pay\nsources:\n  - id: wages\n    url: {url}/page\n"),
    )
    .unwrap();
    let out = common::cli::run(dir, &["links", "--output-format", "concise"]);
    format!("{}{}", stdout(&out), stderr(&out))
}

/// "reading at most 16 KiB of a body": a "Page not found" title within the
/// first 16 KiB is seen (GP404); the same title after 20 KiB of markup is not.
#[test]
fn the_link_checker_reads_at_most_16_kib_of_a_body() {
    let title = b"<title>Page not found</title>";
    let padding = vec![b' '; 20 * 1024];
    let early: Vec<u8> = [&b"<html><head>"[..], title, &padding, b"</head></html>"].concat();
    let late: Vec<u8> = [&b"<html><head>"[..], &padding, title, b"</head></html>"].concat();
    let (early_url, early_hits) = body_server(early);
    let (late_url, late_hits) = body_server(late);
    let dir = tempfile::tempdir().unwrap();
    let seen = links_in(dir.path(), &early_url);
    assert!(seen.contains("GP404"), "{seen}");
    let dir = tempfile::tempdir().unwrap();
    let seen = links_in(dir.path(), &late_url);
    assert!(!seen.contains("GP404"), "read past 16 KiB: {seen}");
    assert!(early_hits.load(Ordering::SeqCst) >= 2 && late_hits.load(Ordering::SeqCst) >= 2);
}

/// "Refused connections … are retried once": with three retries allowed, a
/// port nobody listens on is asked twice, then reported broken (GP401).
#[test]
fn a_refused_connection_is_gp401_after_one_retry() {
    // A port with nothing listening.
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let dir = tempfile::tempdir().unwrap();
    let seen = links_with(
        dir.path(),
        &format!("http://127.0.0.1:{port}"),
        "max_retries = 3\nretry_backoff = \"10ms\"\n",
    );
    assert!(seen.contains("GP401"), "{seen}");
    assert!(seen.contains("refuses connections"), "{seen}");
    assert!(seen.contains("2 attempts"), "{seen}");
}

// ---- exit codes and limits ----

#[test]
fn exit_2_despite_exit_zero() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("guidepress.toml"), "[nonsense\n").unwrap();
    let out = common::cli::run(dir.path(), &["check", "--exit-zero"]);
    assert_eq!(code(&out), 2, "a broken configuration: {}", stderr(&out));
    std::fs::write(dir.path().join("guidepress.toml"), "schemas = []\n").unwrap();
    let out = common::cli::run(dir.path(), &["check", "--exit-zero", "no/such/file.yaml"]);
    assert_eq!(code(&out), 2, "a missing path: {}", stderr(&out));
    // And findings alone exit 0 with it (the flag is not simply broken).
    std::fs::write(dir.path().join("bad.yaml"), "a: [\n").unwrap();
    let out = common::cli::run(dir.path(), &["check", "--exit-zero", "bad.yaml"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(stdout(&out).contains("GP101"), "{}", stdout(&out));
}

#[test]
fn the_configuration_is_read_up_to_its_limit() {
    let limit = guidepress::config::MAX_CONFIG_SIZE as usize;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("guidepress.toml");
    let mut text = String::from("schemas = []\n");
    while text.len() + 80 < limit {
        text.push_str(&format!("# {}\n", "x".repeat(76)));
    }
    std::fs::write(&config, &text).unwrap();
    let out = common::cli::run(dir.path(), &["config", "--show"]);
    assert_eq!(code(&out), 0, "at the limit: {}", stderr(&out));
    text.push_str(&"#".repeat(limit + 1 - text.len()));
    text.push('\n');
    std::fs::write(&config, &text).unwrap();
    let out = common::cli::run(dir.path(), &["config", "--show"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("guidepress.toml") && stderr(&out).contains("larger than the limit"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_schema_is_read_up_to_its_limit() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.yaml"), "a: 1\n").unwrap();
    let schema = dir.path().join("big.schema.json");
    // Sparse: no disk is used for the zeros.
    let file = std::fs::File::create(&schema).unwrap();
    file.set_len(guidepress::validate::MAX_SCHEMA_SIZE + 1)
        .unwrap();
    drop(file);
    let out = common::cli::run(
        dir.path(),
        &["check", "--schema", "big.schema.json", "a.yaml"],
    );
    assert_eq!(code(&out), 2, "{}{}", stdout(&out), stderr(&out));
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        all.contains("big.schema.json") && all.contains("larger than the limit"),
        "{all}"
    );
}

#[test]
fn the_link_cache_is_read_up_to_its_limit() {
    let (url, _) = body_server(b"<title>Fine</title>".to_vec());
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".guidepress")).unwrap();
    let cache = dir.path().join(".guidepress/links-cache.json");
    let file = std::fs::File::create(&cache).unwrap();
    file.set_len(guidepress::links::cache::MAX_FILE_SIZE + 1)
        .unwrap();
    drop(file);
    std::fs::write(
        dir.path().join("guidepress.toml"),
        "schemas = []\n[links]\nallow_net = [\"127.0.0.1\"]\nhost_interval = 0\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("content/guides")).unwrap();
    std::fs::write(
        dir.path().join("content/guides/pay.yaml"),
        format!("slug: pay\nsources:\n  - id: wages\n    url: {url}/page\n"),
    )
    .unwrap();
    let out = common::cli::run_with(
        dir.path(),
        &["links", "--output-format", "concise"],
        &[("GUIDEPRESS_LINKS_CACHE_KEY", "limits test key")],
    );
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert_eq!(code(&out), 0, "the run goes on: {all}");
    assert!(
        all.contains("GP407") && all.contains("larger than the limit"),
        "{all}"
    );
    // The oversized file is not ours to replace: it is left as it was.
    assert_eq!(
        std::fs::metadata(&cache).unwrap().len(),
        guidepress::links::cache::MAX_FILE_SIZE + 1
    );
}
