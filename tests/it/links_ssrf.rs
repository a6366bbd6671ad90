//! The safety policy, against real servers: with the default settings no
//! request reaches a loopback, private or metadata address, whether cited
//! directly, through a host name, or through a redirect.

use crate::links_support::*;
use guidepress::links::{LinkStatus, LinksConfig};

/// The default settings, made fast (the allow-list stays empty).
fn default_policy() -> LinksConfig {
    LinksConfig {
        allow_net: Vec::new(),
        ..fast_config()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_targets_are_refused_before_any_request() {
    let target = TestServer::start().await;
    let port = target.addr.port();
    let urls = vec![
        target.url("/ok"),
        format!("http://localhost:{port}/ok"),
        format!("http://2130706433:{port}/ok"),
        format!("http://[::ffff:127.0.0.1]:{port}/ok"),
        "http://169.254.169.254/latest/meta-data/".to_owned(),
        "http://[::1]/".to_owned(),
        "http://10.0.0.1/".to_owned(),
    ];
    let report = run_urls(&urls, default_policy()).await;
    for url in &urls {
        let got = result(&report, url);
        assert_eq!(got.status, LinkStatus::Refused, "{url}: {got:?}");
    }
    assert!(
        result(&report, &urls[0])
            .reason
            .contains("127.0.0.1 is a loopback address")
    );
    assert!(
        result(&report, &urls[1])
            .reason
            .contains("localhost resolves to"),
        "{:?}",
        result(&report, &urls[1])
    );
    assert!(result(&report, &urls[4]).reason.contains("cloud metadata"));
    assert_eq!(
        target.total(),
        0,
        "no request reached the target: {:?}",
        target.log()
    );
    assert_eq!(report.summary.requests, 0);
    // `2130706433` is 127.0.0.1 spelled as a number: the same address as the first.
    assert_eq!(report.summary.unique, urls.len() - 1);
    assert_eq!(report.summary.refused, report.summary.unique);
    assert!(
        report.diagnostics[0]
            .iter()
            .all(|d| d.code == "GP405" && d.severity == guidepress::Severity::Error)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_to_a_private_address_is_refused_at_that_hop() {
    // The "public" site: allowed on its own address only.
    let front = TestServer::start_on("127.0.0.2").await;
    let target = TestServer::start().await;
    let port = target.addr.port();
    let to_literal = front.url(&format!("/redirect?to={}", encode(&target.url("/ok"))));
    let to_name = front.url(&format!(
        "/redirect?to={}",
        encode(&format!("http://localhost:{port}/ok"))
    ));
    let to_metadata = front.url("/to-metadata");
    let to_file = front.url(&format!("/redirect?to={}", encode("file:///etc/passwd")));
    let config = LinksConfig {
        allow_net: vec!["127.0.0.2".into()],
        ..fast_config()
    };
    let report = run_urls(
        &[
            to_literal.clone(),
            to_name.clone(),
            to_metadata.clone(),
            to_file.clone(),
        ],
        config,
    )
    .await;
    for url in [&to_literal, &to_name, &to_metadata, &to_file] {
        let got = result(&report, url);
        assert_eq!(got.status, LinkStatus::Refused, "{url}: {got:?}");
        assert_eq!(got.redirects.len(), 1, "{url}");
        assert!(got.reason.starts_with("it redirects to"), "{got:?}");
    }
    assert!(result(&report, &to_file).reason.contains("`file:` scheme"));
    assert_eq!(
        front.total(),
        4,
        "the allowed site was asked once per address"
    );
    assert_eq!(
        target.total(),
        0,
        "no request reached the loopback target: {:?}",
        target.log()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_allow_list_opens_exactly_what_it_names() {
    let target = TestServer::start().await;
    let port = target.addr.port();
    let by_name = format!("http://localhost:{port}/ok");
    let by_address = target.url("/ok2");
    let config = LinksConfig {
        allow_net: vec!["localhost".into()],
        ..fast_config()
    };
    let report = run_urls(&[by_name.clone(), by_address.clone()], config).await;
    assert_eq!(
        result(&report, &by_name).status,
        LinkStatus::Ok,
        "{:?}",
        result(&report, &by_name)
    );
    assert_eq!(
        result(&report, &by_address).status,
        LinkStatus::Refused,
        "the name does not open the address"
    );
    assert_eq!(target.hits("/ok"), 1);
    assert_eq!(target.hits("/ok2"), 0);
}
