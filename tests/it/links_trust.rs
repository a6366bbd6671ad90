//! What the link checker trusts, against real loopback servers: the cache
//! never overrides the safety policy nor vouches for what it did not see,
//! per-host headers stay with their origin, and secrets never come back out.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::links_support::*;
use guidepress::links::cache::{Binding, Cache, Ttl, settings_fingerprint};
use guidepress::links::{
    self, HostConfig, LinkResult, LinkStatus, LinksConfig, NoProgress, RunOptions, Verdict,
};

const TTL: Ttl = Ttl {
    ok: Duration::from_secs(86_400),
    inconclusive: Duration::from_secs(3600),
};

fn cached_config() -> LinksConfig {
    LinksConfig {
        cache: true,
        ..fast_config()
    }
}

fn verdict<'r>(report: &'r links::LinksReport, url: &str) -> (&'r LinkResult, bool) {
    let key = url::Url::parse(url).unwrap().to_string();
    match &report.urls.iter().find(|u| u.key == key).unwrap().verdict {
        Verdict::Checked { result, cached } => (result, *cached),
        other => panic!("{key}: {other:?}"),
    }
}

/// Writes a cache entry as anyone can: sealed without the run's key.
fn forge(path: &std::path::Path, config: &LinksConfig, url: &str, result: &LinkResult) {
    let binding = Binding::new(None, &settings_fingerprint(config));
    let (mut cache, _) = Cache::load(path, binding);
    let key = url::Url::parse(url).unwrap().to_string();
    cache.put(&key, result, SystemTime::now(), TTL);
    cache.save(SystemTime::now()).unwrap();
}

async fn run_with(
    urls: &[String],
    config: LinksConfig,
    cache: &std::path::Path,
    key: bool,
) -> links::LinksReport {
    let files = vec![citations(&guide(urls))];
    let options = RunOptions {
        config,
        cache_path: Some(cache.to_owned()),
        offline: false,
        cache_key: key.then(test_key),
        cache_problems: Vec::new(),
    };
    links::check(&files, &options, Arc::new(NoProgress))
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_verdict_cached_under_allow_net_is_refused_without_it() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache.json");
    let urls = [server.url("/ok")];

    let first = run_with(&urls, cached_config(), &cache, true).await;
    assert_eq!(verdict(&first, &urls[0]).0.status, LinkStatus::Ok);
    let asked = server.total();

    let strict = LinksConfig {
        allow_net: Vec::new(),
        ..cached_config()
    };
    let second = run_with(&urls, strict, &cache, true).await;
    let (result, cached) = verdict(&second, &urls[0]);
    assert_eq!(
        (result.status, cached),
        (LinkStatus::Refused, false),
        "{result:?}"
    );
    assert!(
        result.reason.contains("127.0.0.1 is a loopback address"),
        "{result:?}"
    );
    assert_eq!(server.total(), asked, "refused: no request");

    // With the policy as it was, the entry is used again.
    let third = run_with(&urls, cached_config(), &cache, true).await;
    let (result, cached) = verdict(&third, &urls[0]);
    assert_eq!((result.status, cached), (LinkStatus::Ok, true));
    assert_eq!(server.total(), asked);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hand_written_ok_is_checked_and_the_truth_reported() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache.json");
    let urls = [server.url("/missing")];
    let config = cached_config();
    forge(
        &cache,
        &config,
        &urls[0],
        &LinkResult::without_response(LinkStatus::Ok, "forged"),
    );

    let report = run_with(&urls, config, &cache, true).await;
    let (result, cached) = verdict(&report, &urls[0]);
    assert_eq!((result.status, cached), (LinkStatus::Broken, false));
    assert_eq!(server.hits("/missing"), 1, "it was asked");
    assert_eq!(report.diagnostics[0][0].code, "GP401");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_key_the_policy_still_comes_before_the_cache() {
    // A caller that trusts its cache file (no key) still never gets "ok"
    // for an address the policy refuses: literal, by name, or on a redirect.
    let server = TestServer::start().await;
    let port = server.addr.port();
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache.json");
    let forged_ok = LinkResult::without_response(LinkStatus::Ok, "forged");

    // A literal loopback address, under the default policy.
    let strict = LinksConfig {
        allow_net: Vec::new(),
        ..cached_config()
    };
    let literal = server.url("/ok");
    forge(&cache, &strict, &literal, &forged_ok);
    let report = run_with(
        std::slice::from_ref(&literal),
        strict.clone(),
        &cache,
        false,
    )
    .await;
    assert_eq!(
        verdict(&report, &literal),
        (&refused(&report, &literal), false)
    );

    // A name that resolves to loopback: resolved through the policy first.
    let by_name = format!("http://localhost:{port}/ok");
    forge(&cache, &strict, &by_name, &forged_ok);
    let report = run_with(std::slice::from_ref(&by_name), strict, &cache, false).await;
    let (result, cached) = verdict(&report, &by_name);
    assert_eq!(
        (result.status, cached),
        (LinkStatus::Refused, false),
        "{result:?}"
    );
    assert!(
        result.reason.contains("localhost resolves to"),
        "{result:?}"
    );

    // An allowed name whose cached redirect went to the metadata address.
    let allowed = LinksConfig {
        allow_net: vec!["localhost".into()],
        ..cached_config()
    };
    let via = format!("http://localhost:{port}/to-metadata");
    let mut through_metadata = forged_ok.clone();
    through_metadata.redirects = vec![links::outcome::Redirect {
        from: via.clone(),
        to: "http://169.254.169.254/latest/meta-data/".into(),
        status: 302,
    }];
    forge(&cache, &allowed, &via, &through_metadata);
    let report = run_with(std::slice::from_ref(&via), allowed, &cache, false).await;
    let (result, cached) = verdict(&report, &via);
    assert_eq!(
        (result.status, cached),
        (LinkStatus::Refused, false),
        "{result:?}"
    );
    assert_eq!(server.hits("/ok"), 0, "no request to a refused address");
    assert_eq!(
        server.hits("/to-metadata"),
        1,
        "checked again, refused at the hop"
    );
}

fn refused(report: &links::LinksReport, url: &str) -> LinkResult {
    let (result, _) = verdict(report, url);
    assert_eq!(result.status, LinkStatus::Refused, "{result:?}");
    result.clone()
}

fn with_headers(headers: &[(&str, &str)]) -> LinksConfig {
    let headers: BTreeMap<String, String> = headers
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect();
    LinksConfig {
        hosts: BTreeMap::from([(
            "127.0.0.1".to_owned(),
            HostConfig {
                headers,
                ..HostConfig::default()
            },
        )]),
        ..fast_config()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn host_headers_stay_with_the_origin_of_the_cited_address() {
    let a = TestServer::start().await;
    let b = TestServer::start().await;
    let config = with_headers(&[
        ("Authorization", "Bearer hdr-s3cret-value"),
        ("X-Team", "guides"),
    ]);
    let to_b = a.url(&format!("/redirect?to={}", encode(&b.url("/ok2"))));
    let within_a = a.url("/temporary");
    let report = run_urls(&[to_b.clone(), within_a.clone()], config).await;
    assert_eq!(result(&report, &to_b).status, LinkStatus::Ok);
    assert_eq!(result(&report, &within_a).status, LinkStatus::Ok);

    for request in a.log() {
        assert_eq!(
            request
                .headers
                .get("authorization")
                .map(|v| v.to_str().unwrap()),
            Some("Bearer hdr-s3cret-value"),
            "the cited origin gets its headers: {request:?}"
        );
        assert!(request.headers.contains_key("x-team"));
    }
    let at_b = b.log();
    assert!(!at_b.is_empty());
    for request in at_b {
        assert!(
            !request.headers.contains_key("authorization")
                && !request.headers.contains_key("x-team"),
            "another port of the same host gets none: {request:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secret_header_values_never_come_back_in_results() {
    let server = TestServer::start().await;
    let config = with_headers(&[("X-Api-Key", "k3y-s3cret-value")]);
    // The server redirects to an address holding the key, and with credentials.
    let echo = server.url(&format!(
        "/redirect?to={}",
        encode(&server.url("/missing?key=k3y-s3cret-value"))
    ));
    let creds = server.url(&format!(
        "/redirect-permanent?to={}",
        encode(&format!("http://user:pa55word@{}/moved", server.addr))
    ));
    let report = run_urls(&[echo.clone(), creds.clone()], config).await;
    // What came back from the server: results and findings (the cited
    // addresses themselves are the guide's text, quoted as written).
    let mut shown = String::new();
    for url in [&echo, &creds] {
        let result = result(&report, url);
        shown.push_str(&result.reason);
        for hop in &result.redirects {
            shown.push_str(&hop.to);
        }
    }
    for diagnostic in &report.diagnostics[0] {
        let message = diagnostic.message.replace(&echo, "").replace(&creds, "");
        shown.push_str(&format!("{message}{:?}", diagnostic.fix));
    }
    for secret in ["k3y-s3cret-value", "pa55word"] {
        assert!(!shown.contains(secret), "{secret} leaked: {shown}");
    }
    assert!(result(&report, &echo).reason.contains("key=[redacted]"));
    assert_eq!(result(&report, &echo).status, LinkStatus::Broken);
    // A permanent redirect whose target was redacted is reported without a fix.
    let moved = report.diagnostics[0]
        .iter()
        .find(|d| d.code == "GP403")
        .expect("the credentials hop ends in a permanent redirect");
    assert!(moved.fix.is_none(), "{moved:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_900_kb_address_is_invalid_not_inconclusive() {
    let server = TestServer::start().await;
    let long = server.url(&format!("/n/{}", "x".repeat(900 * 1024)));
    let report = run_urls(&[long], fast_config()).await;
    let diagnostic = &report.diagnostics[0][0];
    assert_eq!(diagnostic.code, "GP406", "{}", diagnostic.message);
    assert!(
        diagnostic.message.len() < 400,
        "the address is not quoted whole"
    );
    assert_eq!(server.total(), 0);
}
