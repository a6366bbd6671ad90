//! What the CMS client trusts, against loopback servers: proxies only when
//! configured, secrets never in any output, answers read up to a limit, and
//! token problems told as what they are.

use crate::publish_support as common;

use std::io::Read;
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use guidepress::publish::{CmsConfig, CmsError, Secret, StrapiClient, Version};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const TOKEN: &str = "tok-7c1e-never-print-me";
const PROXY_VARS: [&str; 6] = [
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
];

/// A loopback listener standing in for a proxy: counts connections and
/// keeps the first bytes of each, then closes.
struct Proxy {
    port: u16,
    connections: Arc<AtomicUsize>,
    received: Arc<Mutex<Vec<String>>>,
}

impl Proxy {
    fn start() -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let connections = Arc::new(AtomicUsize::new(0));
        let received = Arc::new(Mutex::new(Vec::new()));
        let (count, log) = (connections.clone(), received.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                count.fetch_add(1, Ordering::SeqCst);
                let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
                let mut buffer = [0u8; 4096];
                let n = stream.read(&mut buffer).unwrap_or(0);
                log.lock()
                    .unwrap()
                    .push(String::from_utf8_lossy(&buffer[..n]).into_owned());
            }
        });
        Proxy {
            port,
            connections,
            received,
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

fn page() -> serde_json::Value {
    json!({"data": [], "meta": {"pagination": {"page": 1, "pageSize": 100, "pageCount": 1, "total": 0}}})
}

async fn empty_cms() -> MockServer {
    let server = MockServer::start().await;
    common::mount_builder(&server).await;
    Mock::given(method("GET"))
        .and(path("/api/guides"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page()))
        .mount(&server)
        .await;
    server
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proxy_variables_in_the_environment_receive_nothing() {
    let proxy = Proxy::start();
    let with_proxies: Vec<(&str, String)> = PROXY_VARS.iter().map(|v| (*v, proxy.url())).collect();
    let mut envs: Vec<(&str, &str)> = with_proxies.iter().map(|(k, v)| (*k, v.as_str())).collect();
    envs.push(("GP_TRUST_TOKEN", TOKEN));

    // A remote CMS (a name that does not resolve): straight to it, so it fails.
    let remote = common::Workspace::new(
        "http://cms.invalid:9",
        "GP_TRUST_TOKEN",
        "allow_insecure_http = true\nretries = 0\n",
    );
    remote.write_guide("a", "A", "approved");
    let out = remote.run(&["publish", "--dry-run"], &envs);
    let all = common::show(&out);
    assert_eq!(out.status.code(), Some(2), "{all}");
    // The first request: the mapping is checked against the CMS's schema.
    assert!(
        all.contains("GET /api/content-type-builder/content-types"),
        "{all}"
    );

    // A CMS on loopback: reached directly.
    let cms = empty_cms().await;
    let local = common::Workspace::new(&cms.uri(), "GP_TRUST_TOKEN", "");
    local.write_guide("a", "A", "approved");
    let out = local.run(&["publish", "--dry-run"], &envs);
    assert!(out.status.success(), "{}", common::show(&out));
    assert!(!cms.received_requests().await.unwrap().is_empty());

    assert_eq!(
        proxy.connections(),
        0,
        "{:?}",
        proxy.received.lock().unwrap()
    );
}

fn client(config: CmsConfig) -> StrapiClient {
    StrapiClient::new(&config, &Secret::new(TOKEN), None)
        .unwrap()
        .with_backoff_base(Duration::from_millis(5))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_configured_proxy_is_used_for_a_remote_cms_never_for_loopback() {
    let proxy = Proxy::start();
    let remote = CmsConfig {
        base_url: "http://cms.invalid:9".into(),
        allow_insecure_http: true,
        retries: 0,
        proxy: Some(proxy.url()),
        ..CmsConfig::default()
    };
    // The stand-in proxy closes without answering: the request fails, after reaching it.
    let error = client(remote)
        .list(Version::Published, false)
        .await
        .unwrap_err();
    assert!(matches!(error, CmsError::Transport { .. }), "{error}");
    assert_eq!(proxy.connections(), 1);
    assert!(
        proxy.received.lock().unwrap()[0].starts_with("GET http://cms.invalid:9/api/guides"),
        "{:?}",
        proxy.received.lock().unwrap()
    );

    let cms = empty_cms().await;
    let local = CmsConfig {
        base_url: cms.uri(),
        proxy: Some(proxy.url()),
        ..CmsConfig::default()
    };
    client(local).list(Version::Published, false).await.unwrap();
    assert_eq!(proxy.connections(), 1, "loopback is reached directly");

    let bad = CmsConfig {
        proxy: Some("socks4://user:hunter2@proxy.example".into()),
        ..CmsConfig::default()
    };
    let error = StrapiClient::new(&bad, &Secret::new(TOKEN), None).unwrap_err();
    assert!(error.to_string().contains("invalid [cms] proxy"), "{error}");
    assert!(!error.to_string().contains("hunter2"), "{error}");
}

/// A CMS that puts the request's `Authorization` header everywhere in its error.
struct Echo(u16);

impl Respond for Echo {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let auth = request
            .headers
            .get("authorization")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        ResponseTemplate::new(self.0).set_body_json(json!({
            "data": null,
            "error": {
                "status": self.0,
                "name": format!("ValidationError for {auth}"),
                "message": format!("Invalid request; you sent {auth}"),
                "details": {"authorization": auth}
            }
        }))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_echoed_token_is_redacted_in_every_output() {
    let cms = MockServer::start().await;
    common::mount_builder(&cms).await;
    Mock::given(method("GET"))
        .and(path("/api/guides"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page()))
        .mount(&cms)
        .await;
    Mock::given(method("POST"))
        .respond_with(Echo(400))
        .mount(&cms)
        .await;
    let workspace = common::Workspace::new(&cms.uri(), "GP_TRUST_TOKEN", "retries = 1\n");
    workspace.write_guide("a", "A", "approved");
    for format in ["table", "json", "markdown"] {
        let summary = workspace.path().join(format!("summary-{format}.md"));
        let out = workspace.run(
            &[
                "publish",
                "-v",
                "--output-format",
                format,
                "--summary",
                summary.to_str().unwrap(),
            ],
            &[("GP_TRUST_TOKEN", TOKEN)],
        );
        let all = format!(
            "{}\n--- summary\n{}",
            common::show(&out),
            std::fs::read_to_string(&summary).unwrap_or_default()
        );
        assert_eq!(out.status.code(), Some(1), "{all}");
        assert!(
            all.contains("Invalid request; you sent Bearer [redacted]"),
            "{all}"
        );
        assert!(!all.contains(TOKEN), "the token leaked ({format}): {all}");
    }

    // A listing that fails the same way ends the run: the error and the
    // `-v` retry lines are redacted too.
    let failing = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(Echo(503))
        .mount(&failing)
        .await;
    let workspace = common::Workspace::new(&failing.uri(), "GP_TRUST_TOKEN", "retries = 1\n");
    workspace.write_guide("a", "A", "approved");
    let out = workspace.run(&["publish", "-v"], &[("GP_TRUST_TOKEN", TOKEN)]);
    let all = common::show(&out);
    assert_eq!(out.status.code(), Some(2), "{all}");
    assert!(all.contains("retrying"), "{all}");
    assert!(all.contains("[redacted]"), "{all}");
    assert!(!all.contains(TOKEN), "the token leaked: {all}");
}

#[test]
fn a_password_in_the_cms_url_is_never_printed() {
    let workspace = common::Workspace::new("http://127.0.0.1:9", "GP_TRUST_TOKEN", "");
    workspace.write_guide("a", "A", "approved");
    let url = "http://editor:pa55-w0rd@127.0.0.1:9";
    for (args, envs) in [
        (vec!["publish", "-v", "--dry-run", "--cms-url", url], vec![]),
        (
            vec!["publish", "-v", "--dry-run", "--output-format", "json"],
            vec![("GUIDEPRESS_CMS_URL", url)],
        ),
    ] {
        let mut envs = envs;
        envs.push(("GP_TRUST_TOKEN", TOKEN));
        let out = workspace.run(&args, &envs);
        let all = common::show(&out);
        assert_eq!(out.status.code(), Some(2), "{all}");
        assert!(
            all.contains("credentials belong in the token variable"),
            "{all}"
        );
        assert!(all.contains("http://[redacted]@127.0.0.1:9"), "{all}");
        assert!(!all.contains("pa55-w0rd"), "{all}");
    }
}

/// A loopback server answering every request with `head` and then `chunk`
/// again and again, until the client hangs up.
async fn endless(head: &'static str, chunk: &'static [u8]) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buffer = [0u8; 8192];
                let _ = stream.read(&mut buffer).await;
                if stream.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                while stream.write_all(chunk).await.is_ok() {}
            });
        }
    });
    format!("http://{addr}")
}

const CHUNK: &[u8] = b"1000\r\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cms_answers_are_read_up_to_a_limit() {
    static ZEROS: [u8; 65536] = [b'0'; 65536];
    static CHUNKED: std::sync::LazyLock<Vec<u8>> = std::sync::LazyLock::new(|| {
        let mut chunk = CHUNK.to_vec();
        chunk.extend(std::iter::repeat_n(b' ', 0x1000));
        chunk.extend_from_slice(b"\r\n");
        chunk
    });
    let announced = endless(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 4000000000\r\n\r\n",
        &ZEROS,
    )
    .await;
    let never_ending = endless(
        "HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
        &CHUNKED,
    )
    .await;
    let limited = |base_url: &str, limit: usize| CmsConfig {
        base_url: base_url.into(),
        retries: 0,
        max_response_bytes: limit,
        ..CmsConfig::default()
    };

    let started = Instant::now();
    let error = client(limited(&announced, 1 << 20))
        .list(Version::Published, false)
        .await
        .unwrap_err();
    assert!(
        matches!(error, CmsError::ResponseTooLarge { .. }),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .contains("larger than 1048576 bytes (it announces 4000000000 bytes)"),
        "{error}"
    );

    let error = client(limited(&never_ending, 1 << 20))
        .list(Version::Published, false)
        .await
        .unwrap_err();
    assert!(
        matches!(error, CmsError::ResponseTooLarge { .. }),
        "{error}"
    );
    assert!(!error.is_retryable());

    // The default limit holds too.
    let error = client(CmsConfig {
        base_url: never_ending.clone(),
        retries: 0,
        ..CmsConfig::default()
    })
    .list(Version::Published, false)
    .await
    .unwrap_err();
    assert!(
        error.to_string().contains("larger than 67108864 bytes"),
        "{error}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn token_problems_are_told_as_what_they_are() {
    let workspace = common::Workspace::new("http://127.0.0.1:9", "GP_TRUST_TOKEN", "");
    workspace.write_guide("a", "A", "approved");
    for (value, expected) in [
        (None, "GP_TRUST_TOKEN is not set"),
        (Some(""), "GP_TRUST_TOKEN is set but blank"),
        (Some("  \t "), "GP_TRUST_TOKEN is set but blank"),
        (
            Some("tok-first\ntok-second"),
            "GP_TRUST_TOKEN holds a line break",
        ),
        (
            Some("tok\u{1b}[31m"),
            "GP_TRUST_TOKEN holds a control character",
        ),
    ] {
        let out = match value {
            Some(value) => workspace.run(&["publish", "--dry-run"], &[("GP_TRUST_TOKEN", value)]),
            None => workspace.run(&["publish", "--dry-run"], &[]),
        };
        let all = common::show(&out);
        assert_eq!(out.status.code(), Some(2), "{all}");
        assert!(all.contains(expected), "{value:?}: {all}");
        assert!(
            !all.contains("tok-first") && !all.contains("tok\u{1b}"),
            "{all}"
        );
    }
}

/// Every request of a run goes out once and is answered at once: a pooled
/// connection left to a runtime that no longer runs would make a request
/// wait out its timeout (`request_timeout_secs`) and be sent again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_sends_each_request_once_without_waiting_out_a_timeout() {
    let cms = empty_cms().await;
    let ws = common::Workspace::new(&cms.uri(), "GP_TRUST_TOKEN", "request_timeout_secs = 8\n");
    ws.write_guide("a", "A", "approved");
    let started = Instant::now();
    let out = ws.run(
        &["publish", "--dry-run", "--output-format", "json"],
        &[("GP_TRUST_TOKEN", TOKEN)],
    );
    let elapsed = started.elapsed();
    assert!(out.status.success(), "{}", common::show(&out));
    assert!(
        elapsed < Duration::from_secs(8),
        "the run took {elapsed:?}, as long as a request timeout"
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let received = cms.received_requests().await.unwrap();
    assert_eq!(
        report["reads"].as_u64(),
        Some(received.len() as u64),
        "the report counts what the CMS received: {:?}",
        received
            .iter()
            .map(|r| format!("{} {}", r.method, r.url.path()))
            .collect::<Vec<_>>()
    );
}
