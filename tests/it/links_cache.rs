//! The on-disk cache, across runs against a real loopback server.

use std::sync::Arc;

use crate::links_support::*;
use guidepress::links::{self, LinkStatus, LinksConfig, NoProgress, RunOptions, Verdict};

fn cached_config() -> LinksConfig {
    LinksConfig {
        cache: true,
        ..fast_config()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_run_asks_nothing_about_cached_successes() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join(".guidepress/links-cache.json");
    let urls = vec![
        server.url("/ok"),
        server.url("/moved"),
        server.url("/missing"),
        server.url("/linkedin"),
    ];
    let text = guide(&urls);

    let first = run_guides(&[&text], cached_config(), Some(cache.clone())).await;
    assert!(cache.exists(), "the cache was written");
    assert!(first.cache_problems.is_empty());
    let after_first = server.total();

    let second = run_guides(&[&text], cached_config(), Some(cache.clone())).await;
    assert_eq!(server.hits("/missing"), 2, "broken links are never cached");
    assert_eq!(
        server.total(),
        after_first + 1,
        "only the broken link was asked again"
    );
    assert_eq!(second.summary.cached, 3);
    assert_eq!(second.summary.requests, 1);
    assert_eq!(
        first.diagnostics, second.diagnostics,
        "cached verdicts report the same findings"
    );
    let moved = second
        .urls
        .iter()
        .find(|u| u.key.ends_with("/moved"))
        .unwrap();
    assert!(
        matches!(&moved.verdict, Verdict::Checked { cached: true, result } if result.permanent_target().is_some())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_entries_are_checked_again() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache.json");
    let urls = vec![server.url("/ok"), server.url("/linkedin")];
    let text = guide(&urls);
    // Inconclusive results expire at once here; successes stay.
    let config = LinksConfig {
        cache_inconclusive_ttl: std::time::Duration::ZERO,
        ..cached_config()
    };
    run_guides(&[&text], config.clone(), Some(cache.clone())).await;
    run_guides(&[&text], config.clone(), Some(cache.clone())).await;
    assert_eq!(server.hits("/ok"), 1);
    assert_eq!(server.hits("/linkedin"), 2);

    // Age every entry past its expiry, as the next week would.
    let raw = std::fs::read_to_string(&cache).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&raw).unwrap();
    for entry in json["entries"].as_object_mut().unwrap().values_mut() {
        entry["expires_at"] = serde_json::json!(1);
    }
    std::fs::write(&cache, json.to_string()).unwrap();
    let report = run_guides(&[&text], config, Some(cache.clone())).await;
    assert_eq!(server.hits("/ok"), 2);
    assert_eq!(report.summary.cached, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_cache_is_reported_and_replaced() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache.json");
    std::fs::write(
        &cache,
        "{\"format\": \"guidepress-links-cache\", \"version\": 1, \"entries\": {\"http://",
    )
    .unwrap();
    let text = guide(&[server.url("/ok")]);
    let report = run_guides(&[&text], cached_config(), Some(cache.clone())).await;
    assert_eq!(report.summary.ok, 1, "the run went on");
    assert_eq!(report.cache_problems.len(), 1);
    let warning = links::diagnose::for_cache(&report.cache_problems[0]);
    assert_eq!(warning.code, "GP407");
    assert!(
        warning.message.starts_with("The link cache"),
        "{}",
        warning.message
    );
    let again = run_guides(&[&text], cached_config(), Some(cache)).await;
    assert!(
        again.cache_problems.is_empty(),
        "the damaged file was rewritten"
    );
    assert_eq!(again.summary.cached, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_foreign_file_is_left_alone() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache.json");
    std::fs::write(&cache, "precious: notes\n").unwrap();
    let report = run_guides(
        &[&guide(&[server.url("/ok")])],
        cached_config(),
        Some(cache.clone()),
    )
    .await;
    assert_eq!(report.summary.ok, 1);
    assert_eq!(report.cache_problems.len(), 1);
    assert_eq!(
        std::fs::read_to_string(&cache).unwrap(),
        "precious: notes\n"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_runs_use_the_cache_and_count_the_rest() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache.json");
    run_guides(
        &[&guide(&[server.url("/ok")])],
        cached_config(),
        Some(cache.clone()),
    )
    .await;
    let before = server.total();

    let files = vec![citations(&guide(&[
        server.url("/ok"),
        server.url("/ok2"),
        server.url("/missing"),
    ]))];
    let options = RunOptions {
        config: cached_config(),
        cache_path: Some(cache),
        offline: true,
        cache_key: Some(test_key()),
        cache_problems: Vec::new(),
    };
    let report = links::check(&files, &options, Arc::new(NoProgress))
        .await
        .unwrap();
    assert_eq!(server.total(), before, "offline: no request");
    assert_eq!(report.summary.skipped_offline, 2);
    assert_eq!((report.summary.cached, report.summary.ok), (1, 1));
    assert!(report.diagnostics[0].is_empty());
    let ok = report.urls.iter().find(|u| u.key.ends_with("/ok")).unwrap();
    assert!(
        matches!(&ok.verdict, Verdict::Checked { result, cached: true } if result.status == LinkStatus::Ok)
    );
}

/// The files under `dir`, relative to it.
fn files_under(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(
                    path.strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    out.sort();
    out
}

/// With the cache turned off (`--no-cache`, or `cache = false`), a run that
/// checks a link writes nothing into the repository and the next run asks
/// again; the same run with the cache on writes `.guidepress/links-cache.json`.
#[test]
fn without_a_cache_nothing_is_written() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let server = rt.block_on(TestServer::start());
    let repo = |extra: &str| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("guidepress.toml"),
            format!(
                "schemas = []\n[links]\nallow_net = [\"127.0.0.1\"]\nhost_interval = 0\n{extra}"
            ),
        )
        .unwrap();
        std::fs::create_dir_all(dir.path().join("content/guides")).unwrap();
        std::fs::write(
            dir.path().join("content/guides/pay.yaml"),
            format!(
                "slug: pay\nsources:\n  - id: wages\n    url: {}\n",
                server.url("/ok")
            ),
        )
        .unwrap();
        dir
    };
    let links = |dir: &std::path::Path, flags: &[&str]| {
        let mut args = vec!["links"];
        args.extend_from_slice(flags);
        let out = crate::common::cli::run_with(
            dir,
            &args,
            &[("GUIDEPRESS_LINKS_CACHE_KEY", "links cache test key")],
        );
        assert_eq!(out.status.code(), Some(0), "{out:?}");
    };
    let source = ["content/guides/pay.yaml", "guidepress.toml"];

    let on = repo("");
    links(on.path(), &[]);
    assert_eq!(
        files_under(on.path()),
        [
            ".guidepress/links-cache.json",
            "content/guides/pay.yaml",
            "guidepress.toml"
        ]
    );

    for (extra, flags) in [("", &["--no-cache"][..]), ("cache = false\n", &[][..])] {
        let dir = repo(extra);
        let before = server.hits("/ok");
        links(dir.path(), flags);
        links(dir.path(), flags);
        assert_eq!(
            server.hits("/ok"),
            before + 2,
            "{extra}{flags:?}: asked each time"
        );
        assert_eq!(files_under(dir.path()), source, "{extra}{flags:?}");
    }
}

/// A committed `.guidepress` that links out of the repository: the run goes
/// on without a cache, says why (GP407), and writes nothing through the link.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cache_folder_linked_out_of_the_repository_is_not_used() {
    let server = TestServer::start().await;
    let repo = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), repo.path().join(".guidepress")).unwrap();
    let options = RunOptions::new(cached_config(), repo.path(), false);
    assert_eq!(options.cache_path, None);
    let files = vec![citations(&guide(&[server.url("/ok")]))];
    let report = links::check(&files, &options, Arc::new(NoProgress))
        .await
        .unwrap();
    assert_eq!(report.summary.ok, 1, "the link is still checked");
    let problems: Vec<String> = report
        .cache_problems
        .iter()
        .map(|p| p.to_string())
        .collect();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains(&format!(
            "was not used: `.guidepress` is a symbolic link to `{}`, which would put it outside the repository",
            outside.path().display()
        )),
        "{problems:?}"
    );
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
}
