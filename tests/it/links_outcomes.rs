//! Every answer a server can give, against a real loopback server: the
//! verdict, the reason, and (from the server's own log) how many requests
//! each address cost.

use std::time::Duration;

use crate::links_support::*;
use guidepress::links::{LinkStatus, LinksConfig};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_kind_of_answer_gets_its_verdict() {
    let server = TestServer::start().await;
    let reset = ResetServer::start().await;
    let closed = format!("http://127.0.0.1:{}/anything", closed_port());
    let paths = [
        "/ok",
        "/missing",
        "/gone",
        "/flaky",
        "/server-error",
        "/rate-limited",
        "/rate-limited-date",
        "/rate-limited-long",
        "/moved",
        "/temporary",
        "/loop-a",
        "/to-metadata",
        "/slow",
        "/linkedin",
        "/challenge",
        "/old-page",
    ];
    let mut urls: Vec<String> = paths.iter().map(|p| server.url(p)).collect();
    urls.push(reset.url("/reset"));
    urls.push(closed.clone());
    let config = fast_config();
    let report = run_urls(&urls, config.clone()).await;
    let retries = config.max_retries as usize;
    let verdict = |path: &str| result(&report, &server.url(path));

    // status, then requests for that exact path as the server logged them.
    let expectations: &[(&str, LinkStatus, usize)] = &[
        ("/ok", LinkStatus::Ok, 1),
        ("/missing", LinkStatus::Broken, 1),
        ("/gone", LinkStatus::Broken, 1),
        ("/flaky", LinkStatus::Ok, 2),
        ("/server-error", LinkStatus::Inconclusive, 1 + retries),
        ("/rate-limited", LinkStatus::Ok, 2),
        ("/rate-limited-date", LinkStatus::Ok, 2),
        ("/rate-limited-long", LinkStatus::Inconclusive, 1),
        ("/moved", LinkStatus::Ok, 1),
        ("/temporary", LinkStatus::Ok, 1),
        ("/loop-a", LinkStatus::Broken, 1),
        ("/to-metadata", LinkStatus::Refused, 1),
        ("/slow", LinkStatus::Inconclusive, 1 + retries),
        ("/linkedin", LinkStatus::Inconclusive, 1),
        ("/challenge", LinkStatus::Inconclusive, 2),
        ("/old-page", LinkStatus::Ok, 1),
    ];
    for (path, status, requests) in expectations {
        let got = verdict(path);
        assert_eq!(got.status, *status, "{path}: {got:?}");
        assert_eq!(server.hits(path), *requests, "requests for {path}");
    }

    // Reasons say what happened.
    assert!(
        verdict("/missing").reason.contains("404 Not Found"),
        "{:?}",
        verdict("/missing")
    );
    assert!(verdict("/gone").reason.contains("410 Gone"));
    assert!(
        verdict("/server-error")
            .reason
            .contains(&format!("{} attempts", 1 + retries))
    );
    assert!(
        verdict("/rate-limited-long").reason.contains("Retry-After"),
        "{:?}",
        verdict("/rate-limited-long")
    );
    assert!(verdict("/loop-a").reason.contains("loop"));
    assert!(
        verdict("/slow").reason.contains("no response within 1 s"),
        "{:?}",
        verdict("/slow")
    );
    assert!(verdict("/linkedin").reason.contains("999"));
    assert_eq!(
        verdict("/challenge").bot_protection.as_deref(),
        Some("a Cloudflare challenge")
    );
    assert!(
        verdict("/old-page")
            .soft_404
            .as_deref()
            .unwrap_or_default()
            .contains("home page")
    );
    assert!(verdict("/to-metadata").reason.contains("169.254.169.254"));

    // Redirects: the permanent chain gives a rewrite target, the temporary one does not.
    assert_eq!(
        verdict("/moved").permanent_target(),
        Some(server.url("/ok").as_str())
    );
    assert_eq!(verdict("/moved").redirects.len(), 2);
    assert_eq!(verdict("/temporary").permanent_target(), None);
    // `/ok` is cited directly and reached by two redirects: still one request.
    assert_eq!(server.hits("/moved-2"), 1);
    assert_eq!(server.hits("/loop-b"), 1);

    // HEAD first; GET only where HEAD was refused.
    let log = server.log();
    let methods = |path: &str| {
        log.iter()
            .filter(|r| r.path == path)
            .map(|r| r.method.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(methods("/ok"), ["HEAD"]);
    assert_eq!(methods("/challenge"), ["HEAD", "GET"]);

    // Retry-After was honoured: the retry came at least a second later.
    let times: Vec<_> = log
        .iter()
        .filter(|r| r.path == "/rate-limited")
        .map(|r| r.at)
        .collect();
    assert!(
        times[1] - times[0] >= Duration::from_millis(950),
        "{:?}",
        times[1] - times[0]
    );

    // Connection resets are retried, refused connections once.
    let reset_result = result(&report, &reset.url("/reset"));
    assert_eq!(
        reset_result.status,
        LinkStatus::Inconclusive,
        "{reset_result:?}"
    );
    assert!(reset_result.reason.contains("reset"), "{reset_result:?}");
    assert_eq!(reset.requests(), 1 + retries);
    let refused = result(&report, &closed);
    assert_eq!(refused.status, LinkStatus::Broken, "{refused:?}");
    assert!(
        refused.reason.contains("refuses connections (2 attempts)"),
        "{refused:?}"
    );

    // Each checked address counted; the summary adds up.
    let summary = &report.summary;
    assert_eq!(summary.unique, urls.len());
    assert_eq!(
        summary.ok + summary.broken + summary.inconclusive + summary.refused,
        urls.len()
    );
    assert_eq!(
        summary.requests as usize,
        server.total() + reset.requests() + 2,
        "the closed port counts its two attempts"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_head_is_followed_by_a_get() {
    // A server of its own: once a host refuses HEAD, the run uses GET for it.
    let server = TestServer::start().await;
    let url = server.url("/head-refused");
    let report = run_urls(&[&url], fast_config()).await;
    assert_eq!(result(&report, &url).status, LinkStatus::Ok);
    let methods: Vec<_> = server.log().into_iter().map(|r| r.method).collect();
    assert_eq!(methods, ["HEAD", "GET"]);
    assert_eq!(report.summary.requests, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_citations_of_one_address_make_one_request() {
    let server = TestServer::start().await;
    let ok = server.url("/ok");
    let missing = server.url("/missing");
    let upper = ok.replace("http://", "HTTP://");
    let mut yaml = String::from("slug: test\nsources:\n");
    for i in 0..25 {
        let spelling = match i % 3 {
            0 => ok.clone(),
            1 => format!("{upper}#part-{i}"),
            _ => format!("{ok}#top"),
        };
        yaml.push_str(&format!("  - id: s{i}\n    url: {spelling}\n"));
    }
    yaml.push_str("body: |\n");
    for i in 0..25 {
        yaml.push_str(&format!(
            "  Paragraph {i} cites [the page]({missing}) and <{ok}>.\n"
        ));
    }
    let second = format!("slug: other\nsummary: See {missing}.\n");
    let report = run_guides(&[&yaml, &second], fast_config(), None).await;

    assert_eq!(server.hits("/ok"), 1, "one request for 50 citations");
    assert_eq!(server.hits("/missing"), 1, "one request for 26 citations");
    assert_eq!(report.summary.unique, 2);
    assert_eq!(report.summary.citations, 76);
    // Every citation of the broken one is reported, each on its own characters.
    let broken: Vec<_> = report.diagnostics[0]
        .iter()
        .filter(|d| d.code == "GP401")
        .collect();
    assert_eq!(broken.len(), 25);
    for diagnostic in &broken {
        assert_eq!(&yaml[diagnostic.span.start..diagnostic.span.end], missing);
    }
    let mut starts: Vec<_> = broken.iter().map(|d| d.span.start).collect();
    starts.dedup();
    assert_eq!(starts.len(), 25);
    assert_eq!(
        report.diagnostics[1].len(),
        1,
        "the other guide's citation is reported in its own file"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_gets_no_more_requests_at_once_than_allowed() {
    let server = TestServer::start().await;
    let urls: Vec<String> = (0..6)
        .map(|i| server.url(&format!("/slowish?i={i}")))
        .collect();
    let config = LinksConfig {
        host_concurrency: 2,
        ..fast_config()
    };
    let report = run_urls(&urls, config).await;
    assert_eq!(report.summary.ok, 6);
    assert_eq!(server.total(), 6);
    // The property is the upper bound: how much overlap a loaded machine
    // gives below it is not the checker's doing.
    let most = server.max_in_flight();
    assert!((1..=2).contains(&most), "{most} at once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn per_host_settings_space_requests_out() {
    let server = TestServer::start().await;
    let urls: Vec<String> = (0..4).map(|i| server.url(&format!("/n/{i}"))).collect();
    let mut config = fast_config();
    config.hosts.insert(
        "127.0.0.1".into(),
        guidepress::links::HostConfig {
            max_concurrency: Some(1),
            interval: Some(Duration::from_millis(400)),
            ..Default::default()
        },
    );
    run_urls(&urls, config).await;
    let times: Vec<_> = server.log().iter().map(|r| r.at).collect();
    assert_eq!(times.len(), 4);
    assert_eq!(server.max_in_flight(), 1, "one at a time");
    // Lower bounds only (a loaded machine makes gaps longer, never shorter
    // than the client's spacing, less what delivery delay can take off one
    // arrival): unspaced requests arrive within milliseconds of each other.
    for pair in times.windows(2) {
        assert!(
            pair[1] - pair[0] >= Duration::from_millis(200),
            "{:?}",
            pair[1] - pair[0]
        );
    }
    assert!(times[3] - times[0] >= Duration::from_millis(1000));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_never_follow_a_redirect_to_another_host() {
    let server = TestServer::start().await;
    let port = server.addr.port();
    let other_host = format!("http://localhost:{port}/echo");
    let start = server.url(&format!("/redirect?to={}", encode(&other_host)));
    let mut config = fast_config();
    config.allow_net.push("localhost".into());
    config.hosts.insert(
        "127.0.0.1".into(),
        guidepress::links::HostConfig {
            headers: [("Authorization".to_owned(), "Bearer secret".to_owned())].into(),
            ..Default::default()
        },
    );
    let report = run_urls(&[&start], config).await;
    assert_eq!(
        result(&report, &start).status,
        LinkStatus::Ok,
        "{:?}",
        result(&report, &start)
    );
    let log = server.log();
    assert_eq!(log.len(), 2, "{log:?}");
    assert_eq!(
        log[0].headers.get("authorization").unwrap(),
        "Bearer secret"
    );
    assert_eq!(log[1].path, "/echo");
    assert!(
        log[1].headers.get("authorization").is_none(),
        "the header stayed with its host"
    );
    let agent = log[0].headers.get("user-agent").unwrap().to_str().unwrap();
    assert!(
        agent.starts_with(&format!("guidepress/{}", env!("CARGO_PKG_VERSION"))),
        "{agent}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirect_chains_stop_at_the_limit() {
    let server = TestServer::start().await;
    let moved = server.url("/moved");
    let config = LinksConfig {
        max_redirects: 1,
        ..fast_config()
    };
    let report = run_urls(&[&moved], config).await;
    let got = result(&report, &moved);
    assert_eq!(got.status, LinkStatus::Inconclusive);
    assert!(got.reason.contains("more than 1 times"), "{got:?}");
    assert_eq!(
        server.hits("/ok"),
        0,
        "the hop past the limit is not requested"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waits_past_the_retry_budget_are_not_made() {
    let server = TestServer::start().await;
    // Retry-After: 3600. Waiting for it would take an hour: the timeout
    // below (generous for a loaded machine) tells a wait from no wait.
    let url = server.url("/rate-limited-long");
    let config = LinksConfig {
        retry_budget: Duration::from_millis(200),
        ..fast_config()
    };
    let report = tokio::time::timeout(Duration::from_secs(60), run_urls(&[&url], config))
        .await
        .expect("it waited for Retry-After");
    let got = result(&report, &url);
    assert_eq!(got.status, LinkStatus::Inconclusive, "{got:?}");
    assert!(
        got.reason.contains("longer than the retry budget"),
        "{got:?}"
    );
    assert_eq!(server.hits("/rate-limited-long"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn include_and_exclude_patterns_choose_what_is_requested() {
    let server = TestServer::start().await;
    let urls = vec![
        server.url("/ok"),
        server.url("/ok2"),
        server.url("/missing"),
    ];
    let config = LinksConfig {
        exclude: vec!["*/missing".into()],
        ..fast_config()
    };
    let report = run_urls(&urls, config).await;
    assert_eq!(report.summary.excluded, 1);
    assert_eq!(server.hits("/missing"), 0);
    assert!(report.diagnostics[0].is_empty());

    let config = LinksConfig {
        include: vec!["*/ok2".into()],
        ..fast_config()
    };
    let server = TestServer::start().await;
    let urls = vec![server.url("/ok"), server.url("/ok2")];
    let report = run_urls(&urls, config).await;
    assert_eq!((report.summary.excluded, report.summary.ok), (1, 1));
    assert_eq!(server.hits("/ok"), 0);
}

/// Counts the events a run sends.
#[derive(Default)]
struct Counting {
    total: std::sync::atomic::AtomicU64,
    advanced: std::sync::atomic::AtomicU64,
    finished: std::sync::atomic::AtomicBool,
}

impl guidepress::links::Progress for Counting {
    fn start(&self, total: u64) {
        self.total.store(total, std::sync::atomic::Ordering::SeqCst);
    }

    fn advance(&self, _url: &str, _status: LinkStatus) {
        self.advanced
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    fn finish(&self) {
        self.finished
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_hears_of_every_address_checked() {
    use std::sync::atomic::Ordering;
    let server = TestServer::start().await;
    let urls = [
        server.url("/ok"),
        server.url("/ok#again"),
        server.url("/missing"),
        "mailto:x@y.example".to_owned(),
    ];
    let files = vec![citations(&guide(&urls))];
    let progress = std::sync::Arc::new(Counting::default());
    let options = guidepress::links::RunOptions {
        config: fast_config(),
        ..Default::default()
    };
    guidepress::links::check(&files, &options, progress.clone())
        .await
        .unwrap();
    assert_eq!(
        progress.total.load(Ordering::SeqCst),
        2,
        "unique, checkable addresses"
    );
    assert_eq!(progress.advanced.load(Ordering::SeqCst), 2);
    assert!(progress.finished.load(Ordering::SeqCst));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn addresses_that_are_not_http_urls_are_reported_without_a_request() {
    let yaml = "slug: x\nsources:\n  - id: a\n    url: ftp://files.example/report.pdf\n  - id: b\n    url: www.bls.gov/ooh\n";
    let report = run_guides(&[yaml], fast_config(), None).await;
    let found = &report.diagnostics[0];
    assert_eq!(found.len(), 2);
    assert!(
        found
            .iter()
            .all(|d| d.code == "GP406" && d.severity == guidepress::Severity::Error)
    );
    assert!(
        found[0].message.contains("`ftp:` scheme"),
        "{}",
        found[0].message
    );
    assert_eq!(
        &yaml[found[1].span.start..found[1].span.end],
        "www.bls.gov/ooh"
    );
    assert_eq!((report.summary.invalid, report.summary.requests), (2, 0));
}

/// `Retry-After` holds the whole host, not only the link that got it: no
/// other request reaches the host until the wait is over (README: "the host
/// as a whole waits"). Lower bounds only: a loaded machine makes them longer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retry_after_holds_the_whole_host() {
    let server = TestServer::start().await;
    let urls = vec![
        server.url("/rate-limited"),
        server.url("/n/1"),
        server.url("/n/2"),
        server.url("/n/3"),
    ];
    let config = LinksConfig {
        host_concurrency: 1,
        ..fast_config()
    };
    let report = run_urls(&urls, config).await;
    assert_eq!(report.summary.ok, 4, "{:?}", report.summary);
    let log = server.log();
    let limited = log
        .iter()
        .find(|r| r.path == "/rate-limited")
        .expect("the rate-limited link was asked")
        .at;
    let after: Vec<_> = log.iter().filter(|r| r.at > limited).collect();
    // The retry of /rate-limited and every other link still to be asked
    // (the order links are asked in is not fixed: those asked before the 429
    // are not held, and every one after it must wait).
    assert!(
        after.iter().any(|r| r.path == "/rate-limited"),
        "the rate-limited link was asked again: {log:?}"
    );
    for request in after {
        assert!(
            request.at - limited >= Duration::from_millis(900),
            "{} reached the host {:?} after the 429",
            request.path,
            request.at - limited
        );
    }
}
