//! `guidepress links` and `guidepress check --links` as users run them,
//! against a real loopback server: output, exit codes, flags, config.

use crate::common;

use std::path::Path;
use std::process::Output;

use crate::common::cli::text;
use crate::links_support::TestServer;

fn guidepress(dir: &Path, args: &[&str]) -> Output {
    common::cli::run_with(
        dir,
        args,
        &[
            ("NO_COLOR", "1"),
            ("GUIDEPRESS_LINKS_CACHE_KEY", "links cli test key"),
        ],
    )
}

/// A repository with a `guidepress.toml` (extra `[links]` lines appended) and one guide.
fn repo(links: &str, guide: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("guidepress.toml"),
        format!("schemas = []\n[links]\ntimeout = 2\nmax_retries = 1\nretry_backoff = \"10ms\"\nhost_interval = 0\n{links}"),
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("content/guides")).unwrap();
    std::fs::write(dir.path().join("content/guides/pay.yaml"), guide).unwrap();
    dir
}

fn guide(server: &TestServer) -> String {
    format!(
        "slug: pay\nsources:\n  - id: wages\n    url: {ok}\n  - id: outlook\n    url: {missing}\n  - id: moved\n    url: {moved}\n",
        ok = server.url("/ok"),
        missing = server.url("/missing"),
        moved = server.url("/moved"),
    )
}

/// A runtime that keeps the test server running while the binary runs.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn a_broken_link_is_an_error_on_the_line_that_cites_it() {
    let rt = runtime();
    let server = rt.block_on(TestServer::start());
    let dir = repo("allow_net = [\"127.0.0.1\"]\n", &guide(&server));
    let out = guidepress(dir.path(), &["links"]);
    let stdout = text(&out.stdout).replace(&server.base(), "{base}");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    let summary_line = stderr.lines().find(|l| l.starts_with("Links:")).unwrap();
    assert!(
        summary_line.contains("2 ok, 1 broken, 0 inconclusive"),
        "{summary_line}"
    );
    // The address is shown as `{base}`; underlines keep the real address's
    // width (ports are drawn from the 5-digit ephemeral range).
    insta::assert_snapshot!("links_full_output", stdout);
    assert_eq!(
        server.hits("/ok"),
        1,
        "the moved page's target is shared with the direct citation"
    );
}

#[test]
fn json_output_carries_the_fix() {
    let rt = runtime();
    let server = rt.block_on(TestServer::start());
    let dir = repo("allow_net = [\"127.0.0.1\"]\n", &guide(&server));
    let out = guidepress(dir.path(), &["links", "--output-format", "json", "--quiet"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stderr.is_empty(), "quiet: {}", text(&out.stderr));
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = findings.as_array().unwrap();
    let codes: Vec<_> = findings
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["GP401", "GP403"]);
    assert_eq!(findings[0]["start"]["line"], 6);
    assert_eq!(findings[0]["pointer"], "/sources/1/url");
    let fix = &findings[1]["fix"];
    assert_eq!(fix["applicability"], "safe");
    assert_eq!(fix["edits"][0]["content"], server.url("/ok"));
    assert_eq!(
        fix["edits"][0]["start"],
        serde_json::json!({"line": 8, "column": 10})
    );
}

#[test]
fn the_safety_policy_holds_unless_the_command_line_opens_it() {
    let rt = runtime();
    let server = rt.block_on(TestServer::start());
    let dir = repo("", &guide(&server));
    let out = guidepress(
        dir.path(),
        &["links", "--output-format", "json", "--no-cache"],
    );
    assert_eq!(out.status.code(), Some(1));
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(findings.as_array().unwrap().len(), 3);
    assert!(
        findings
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["code"] == "GP405"),
        "{findings}"
    );
    assert_eq!(server.total(), 0, "no request reached loopback");

    let out = guidepress(
        dir.path(),
        &["links", "--allow-net", "127.0.0.0/8", "--no-cache"],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "the broken link still fails: {}",
        text(&out.stdout)
    );
    assert!(text(&out.stdout).contains("GP401"));
    assert!(
        !dir.path().join(".guidepress").exists(),
        "--no-cache writes nothing"
    );
}

#[test]
fn a_warm_cache_makes_no_request_and_offline_makes_none_at_all() {
    let rt = runtime();
    let server = rt.block_on(TestServer::start());
    let page = format!(
        "slug: pay\nsources:\n  - id: wages\n    url: {}\n",
        server.url("/ok")
    );
    let dir = repo("allow_net = [\"127.0.0.1\"]\n", &page);
    let first = guidepress(dir.path(), &["links"]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    assert!(dir.path().join(".guidepress/links-cache.json").is_file());
    let second = guidepress(dir.path(), &["links"]);
    assert_eq!(second.status.code(), Some(0));
    assert!(
        text(&second.stderr).contains("(1 cached, 0 requests"),
        "{}",
        text(&second.stderr)
    );
    assert_eq!(server.total(), 1);

    let other = format!(
        "slug: pay\nsources:\n  - id: new\n    url: {}\n",
        server.url("/ok2")
    );
    std::fs::write(dir.path().join("content/guides/pay.yaml"), other).unwrap();
    let offline = guidepress(dir.path(), &["links", "--offline"]);
    assert_eq!(offline.status.code(), Some(0));
    assert!(
        text(&offline.stderr).contains("1 skipped offline"),
        "{}",
        text(&offline.stderr)
    );
    assert_eq!(server.total(), 1);
}

#[test]
fn check_with_links_adds_link_findings_to_the_check() {
    let rt = runtime();
    let server = rt.block_on(TestServer::start());
    let dir = repo("", &guide(&server));
    let out = guidepress(
        dir.path(),
        &[
            "check",
            "--links",
            "--allow-net",
            "127.0.0.1",
            "--output-format",
            "json",
            "-v",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<_> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        codes.contains(&"GP211".to_owned()),
        "the check's own findings stay: {codes:?}"
    );
    assert!(
        codes.contains(&"GP401".to_owned()) && codes.contains(&"GP403".to_owned()),
        "{codes:?}"
    );
    let stderr = text(&out.stderr);
    // -v: per-host figures (/ok, /missing, /moved; /moved-2 and /ok again are hops, not URLs).
    assert!(
        stderr.contains("  127.0.0.1: 3 URLs, 4 requests"),
        "{stderr}"
    );

    let without = guidepress(dir.path(), &["check", "--output-format", "json"]);
    let findings: serde_json::Value = serde_json::from_slice(&without.stdout).unwrap();
    assert!(
        findings
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["code"] != "GP401")
    );
}

#[test]
fn bad_link_settings_exit_2() {
    let dir = repo("max_retrys = 3\n", "slug: x\n");
    let out = guidepress(dir.path(), &["links"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("max_retrys"),
        "{}",
        text(&out.stderr)
    );

    let dir = repo("", "slug: x\n");
    let out = guidepress(dir.path(), &["links", "--allow-net", "not a host"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("allow_net"),
        "{}",
        text(&out.stderr)
    );
    let out = guidepress(dir.path(), &["links", "--timeout", "soon"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_damaged_cache_is_a_warning_on_the_cache_file() {
    let rt = runtime();
    let server = rt.block_on(TestServer::start());
    let page = format!(
        "slug: pay\nsources:\n  - id: wages\n    url: {}\n",
        server.url("/ok")
    );
    let dir = repo("allow_net = [\"127.0.0.1\"]\n", &page);
    std::fs::create_dir_all(dir.path().join(".guidepress")).unwrap();
    std::fs::write(
        dir.path().join(".guidepress/links-cache.json"),
        "{\"format\": \"guidepress-links-cache\", \"ver",
    )
    .unwrap();
    let out = guidepress(dir.path(), &["links", "--output-format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "a warning does not fail the run"
    );
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(findings[0]["code"], "GP407");
    assert_eq!(findings[0]["file"], ".guidepress/links-cache.json");
    let out = guidepress(
        dir.path(),
        &["links", "--deny-warnings", "--output-format", "json"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "the damaged file was rewritten: {}",
        text(&out.stdout)
    );
}

#[test]
fn fix_rewrites_a_permanently_redirected_link() {
    let rt = runtime();
    let server = rt.block_on(TestServer::start());
    let dir = repo("allow_net = [\"127.0.0.1\"]\n", &guide(&server));
    let out = guidepress(dir.path(), &["links", "--diff"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a diff to show: {}",
        text(&out.stderr)
    );
    let diff = text(&out.stdout);
    assert!(
        diff.contains(&format!("-    url: {}", server.url("/moved"))),
        "{diff}"
    );
    assert!(
        diff.contains(&format!("+    url: {}", server.url("/ok"))),
        "{diff}"
    );

    let out = guidepress(dir.path(), &["links", "--fix", "--output-format", "json"]);
    assert_eq!(out.status.code(), Some(1), "the broken link remains");
    let written = std::fs::read_to_string(dir.path().join("content/guides/pay.yaml")).unwrap();
    assert!(!written.contains("/moved"), "{written}");
    assert_eq!(written.matches(&server.url("/ok")).count(), 2, "{written}");
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<_> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(codes, ["GP401"], "only the broken link is left");
    assert!(
        text(&out.stderr).contains("Fixed 1 finding in 1 file."),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn check_with_links_reads_every_field_of_a_clean_file() {
    // A permissive schema makes the guide clean, so `check` alone would keep
    // only the fields its cross-file rules read; `--links` needs them all.
    let rt = runtime();
    let server = rt.block_on(TestServer::start());
    let dir = repo("", &guide(&server));
    std::fs::create_dir_all(dir.path().join("schemas")).unwrap();
    std::fs::write(dir.path().join("schemas/any.schema.json"), "{}").unwrap();
    let config = std::fs::read_to_string(dir.path().join("guidepress.toml")).unwrap().replace(
        "schemas = []\n",
        "[[schemas]]\nfiles = \"content/guides/*.yaml\"\nschema = \"schemas/any.schema.json\"\nkind = \"other\"\n",
    );
    std::fs::write(dir.path().join("guidepress.toml"), config).unwrap();
    let clean = guidepress(dir.path(), &["check", "--output-format", "json"]);
    assert_eq!(clean.status.code(), Some(0), "{}", text(&clean.stdout));
    let out = guidepress(
        dir.path(),
        &[
            "check",
            "--links",
            "--allow-net",
            "127.0.0.1",
            "--output-format",
            "json",
        ],
    );
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<_> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(codes, ["GP401", "GP403"], "{}", text(&out.stderr));
}

#[test]
fn the_cache_is_used_only_by_runs_holding_its_key() {
    let rt = runtime();
    let server = rt.block_on(TestServer::start());
    let page = format!(
        "slug: pay\nsources:\n  - id: wages\n    url: {}\n",
        server.url("/ok")
    );
    let dir = repo("allow_net = [\"127.0.0.1\"]\n", &page);
    let user = tempfile::tempdir().unwrap();
    let other_user = tempfile::tempdir().unwrap();
    let run = |key: Option<&str>, cache_home: &Path| {
        let mut command = common::cli::command(dir.path(), &["links"]);
        command
            .env("NO_COLOR", "1")
            .env("XDG_CACHE_HOME", cache_home);
        if let Some(key) = key {
            command.env("GUIDEPRESS_LINKS_CACHE_KEY", key);
        }
        let out = command.output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        server.total()
    };
    // This user's key file: made on first use, readable by the user only.
    assert_eq!(run(None, user.path()), 1);
    let key_file = user.path().join("guidepress/links-cache.key");
    assert!(key_file.is_file());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert_eq!(run(None, user.path()), 1, "the same user: cached");
    assert_eq!(
        run(None, other_user.path()),
        2,
        "another user's key: asked again"
    );
    // A key from the environment (a CI secret) wins over the file.
    assert_eq!(run(Some("ci secret one"), user.path()), 3);
    assert_eq!(
        run(Some("ci secret one"), other_user.path()),
        3,
        "same secret: cached"
    );
    assert_eq!(run(Some("ci secret two"), user.path()), 4);
}

#[test]
fn a_timeout_of_zero_is_a_usage_error() {
    let dir = repo("", "slug: pay\n");
    let out = guidepress(dir.path(), &["links", "--timeout", "0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("a timeout of 0 would leave every link unverified"),
        "{}",
        text(&out.stderr)
    );
    std::fs::write(
        dir.path().join("guidepress.toml"),
        "schemas = []\n[links]\ntimeout = 0\n",
    )
    .unwrap();
    let out = guidepress(dir.path(), &["links"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("a timeout of 0"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn proxy_variables_are_ignored_by_the_link_checker() {
    // The safety policy judges the addresses the checker connects to; a
    // proxy would connect instead, so none is used, whatever the environment says.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy = format!("http://{}", listener.local_addr().unwrap());
    listener.set_nonblocking(true).unwrap();
    let rt = runtime();
    let server = rt.block_on(TestServer::start());
    let page = format!(
        "slug: pay\nsources:\n  - id: wages\n    url: {}\n",
        server.url("/ok")
    );
    let dir = repo("allow_net = [\"127.0.0.1\"]\n", &page);
    let out = common::cli::command(dir.path(), &["links", "--no-cache"])
        .env("NO_COLOR", "1")
        .envs(
            [
                "HTTP_PROXY",
                "HTTPS_PROXY",
                "ALL_PROXY",
                "http_proxy",
                "https_proxy",
                "all_proxy",
            ]
            .map(|name| (name, proxy.as_str())),
        )
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(server.hits("/ok"), 1, "asked directly");
    assert!(listener.accept().is_err(), "the proxy saw a connection");
}

#[test]
fn a_secret_header_echoed_by_a_server_is_redacted_in_every_format() {
    let rt = runtime();
    let server = rt.block_on(TestServer::start());
    let page = format!(
        "slug: pay\nsources:\n  - id: wages\n    url: {}\n",
        server.url("/echo-key")
    );
    let secret = "k3y-9d2f-never-print";
    let dir = repo(
        &format!(
            "allow_net = [\"127.0.0.1\"]\n[links.hosts.\"127.0.0.1\"]\nheaders = {{ X-Api-Key = \"{secret}\" }}\n"
        ),
        &page,
    );
    for format in [
        "full",
        "concise",
        "json",
        "json-lines",
        "github",
        "sarif",
        "rdjson",
        "junit",
        "markdown",
    ] {
        let out = guidepress(
            dir.path(),
            &["links", "--no-cache", "-v", "--output-format", format],
        );
        let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert_eq!(out.status.code(), Some(1), "{format}: {all}");
        assert!(all.contains("k=[redacted]"), "{format}: {all}");
        assert!(!all.contains(secret), "{format} leaked the key: {all}");
    }
    assert!(
        server
            .log()
            .iter()
            .all(|r| r.headers.get("x-api-key").is_some_and(|v| v == secret)),
        "the key was sent to its origin"
    );
}

#[test]
fn markdown_pages_get_their_links_checked_and_their_code_left_alone() {
    let rt = runtime();
    let server = rt.block_on(TestServer::start());
    let dir = repo("allow_net = [\"127.0.0.1\"]\n", &guide(&server));
    let page = format!(
        "# Docs\n\nThe [wages]({ok}) and <{missing}>.\n\n```toml\nbase_url = \"{never}\"\n```\n\nInline `{inline}` too.\n",
        ok = server.url("/ok"),
        missing = server.url("/missing"),
        never = server.url("/never"),
        inline = server.url("/inline"),
    );
    std::fs::write(dir.path().join("README.md"), &page).unwrap();
    let out = guidepress(
        dir.path(),
        &["links", "--output-format", "concise", "README.md"],
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    // The broken address is reported where the page cites it: line 3, after `<`.
    let column = page
        .lines()
        .nth(2)
        .unwrap()
        .find(&server.url("/missing"))
        .unwrap()
        + 1;
    assert!(
        stdout.contains(&format!("README.md:3:{column}: error GP401")),
        "{stdout}"
    );
    assert_eq!(
        stdout.lines().filter(|l| l.contains("GP4")).count(),
        1,
        "{stdout}"
    );
    assert_eq!(server.hits("/ok"), 1);
    // Examples in code are not citations: never requested.
    assert_eq!(server.hits("/never") + server.hits("/inline"), 0);

    // Offline, nothing is requested and the links are counted as skipped.
    let before = server.total();
    let out = guidepress(
        dir.path(),
        &["links", "--offline", "--no-cache", "README.md"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("2 skipped offline"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(server.total(), before);
}
