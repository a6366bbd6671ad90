//! Release archives for the install tests (`tests/it/dist.rs`,
//! `tests/it/action.rs`): `scripts/dist.sh` packages the test build of the
//! binary as a release would, and [`Release::serve`] serves a release folder
//! (`<tag>/SHA256SUMS` and the archives) from a real HTTP server on
//! loopback, as GitHub's release downloads are served.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::cli::BIN;

/// The crate's version, as the release tag names it (without the `v`).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The repository root.
pub fn root() -> &'static Path {
    crate::common::crate_root()
}

/// The triple `install-release.sh` picks on this machine (Linux, where the tests run).
pub fn machine_triple() -> &'static str {
    match std::env::consts::ARCH {
        "aarch64" => "aarch64-unknown-linux-musl",
        _ => "x86_64-unknown-linux-musl",
    }
}

/// Runs dist.sh into `out` for `triple` and returns the archive's path.
pub fn build_archive_for(out: &Path, triple: &str) -> PathBuf {
    let output = Command::new("bash")
        .arg(root().join("scripts/dist.sh"))
        .args(["--binary", BIN, "--target", triple, "--out"])
        .arg(out)
        .output()
        .expect("bash runs");
    assert!(
        output.status.success(),
        "dist.sh failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let path = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    assert!(
        path.is_file(),
        "dist.sh printed {path:?}, which is not a file"
    );
    path
}

/// The archive for this machine, built once per test run (dist.sh compresses
/// the whole debug binary: seconds each time).
pub fn machine_archive() -> &'static Path {
    static ARCHIVE: OnceLock<PathBuf> = OnceLock::new();
    ARCHIVE.get_or_init(|| {
        // One folder, emptied first: runs do not pile up archives.
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("release-archive");
        let _ = std::fs::remove_dir_all(&out);
        build_archive_for(&out, machine_triple())
    })
}

/// The SHA-256 line `sha256sum` writes for `archive` (from dist.sh's `.sha256`).
pub fn checksum_line(archive: &Path) -> String {
    std::fs::read_to_string(format!("{}.sha256", archive.display())).expect("dist.sh's checksum")
}

/// A release served over HTTP on loopback: `/<tag>/<file>` for each file
/// given; anything else is a 404, as on GitHub.
pub struct Release {
    /// The base URL (what `--base` / `GUIDEPRESS_RELEASE_BASE` take).
    pub base: String,
    server: MockServer,
    runtime: tokio::runtime::Runtime,
}

impl Release {
    /// Serves `files` (name, bytes) under `/<tag>/`.
    pub fn serve(tag: &str, files: Vec<(String, Vec<u8>)>) -> Release {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        // The server runs on its own thread: scripts run while this one waits.
        let server = runtime.block_on(MockServer::start());
        for (name, body) in files {
            runtime.block_on(
                Mock::given(method("GET"))
                    .and(path(format!("/{tag}/{name}")))
                    .respond_with(ResponseTemplate::new(200).set_body_bytes(body))
                    .mount(&server),
            );
        }
        Release {
            base: server.uri(),
            server,
            runtime,
        }
    }

    /// Also answers `GET <path>` with `body` (e.g. the releases API).
    pub fn also(&self, at: &str, body: &str) {
        self.runtime.block_on(
            Mock::given(method("GET"))
                .and(path(at.to_owned()))
                .respond_with(
                    ResponseTemplate::new(200)
                        .insert_header("content-type", "application/json")
                        .set_body_string(body.to_owned()),
                )
                .mount(&self.server),
        );
    }

    /// The paths requested so far, in order.
    pub fn requested(&self) -> Vec<String> {
        self.runtime
            .block_on(self.server.received_requests())
            .unwrap_or_default()
            .iter()
            .map(|request| request.url.path().to_owned())
            .collect()
    }

    /// The release of this crate's version for this machine: SHA256SUMS
    /// listing the archive, and the archive.
    pub fn of_this_machine() -> Release {
        let archive = machine_archive();
        let name = archive.file_name().unwrap().to_str().unwrap().to_owned();
        Release::serve(
            &format!("v{VERSION}"),
            vec![
                ("SHA256SUMS".into(), checksum_line(archive).into_bytes()),
                (name, std::fs::read(archive).unwrap()),
            ],
        )
    }
}

/// An address on loopback where nothing listens (a server that is down).
pub fn dead_base() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}
