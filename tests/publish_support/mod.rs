//! A throwaway workspace of guides made from the seed guide (publishing tests).

#![allow(dead_code)]

pub use crate::common::cli;

pub mod live;
pub mod proxy;

use std::path::{Path, PathBuf};
use std::process::Output;

/// A temporary folder with `guidepress.toml`, the schemas and the seed author.
pub struct Workspace {
    pub dir: tempfile::TempDir,
}

impl Workspace {
    /// A workspace whose `[cms]` points at `base_url`, token read from `token_env`.
    pub fn new(base_url: &str, token_env: &str, extra_cms: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let schemas = crate::common::repo_path("schemas");
        let config = format!(
            r#"[[schemas]]
files = "content/guides/*.yaml"
schema = "{guide}"
kind = "guide"

[[schemas]]
files = "content/authors/*.yaml"
schema = "{author}"
kind = "author"

[cms]
base_url = "{base_url}"
token_env = "{token_env}"
{extra_cms}
"#,
            guide = schemas.join("guide.schema.json").display(),
            author = schemas.join("author.schema.json").display(),
        );
        std::fs::write(dir.path().join("guidepress.toml"), config).unwrap();
        std::fs::create_dir_all(dir.path().join("content/guides")).unwrap();
        std::fs::create_dir_all(dir.path().join("content/authors")).unwrap();
        for entry in std::fs::read_dir(crate::common::project_content().join("authors")).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(
                entry.path(),
                dir.path().join("content/authors").join(entry.file_name()),
            )
            .unwrap();
        }
        Workspace { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn guide_path(&self, slug: &str) -> PathBuf {
        self.path().join(format!("content/guides/{slug}.yaml"))
    }

    /// Writes a guide made from the seed with this slug, title and status.
    pub fn write_guide(&self, slug: &str, title: &str, status: &str) {
        std::fs::write(self.guide_path(slug), guide_text(slug, title, status)).unwrap();
    }

    /// Writes a guide with a schema error (a malformed SOC code).
    pub fn write_broken_guide(&self, slug: &str, status: &str) {
        let text = guide_text(slug, "Broken", status)
            .replace("soc_code: \"15-1252\"", "soc_code: \"not-a-code\"");
        assert!(text.contains("not-a-code"));
        std::fs::write(self.guide_path(slug), text).unwrap();
    }

    pub fn remove_guide(&self, slug: &str) {
        std::fs::remove_file(self.guide_path(slug)).unwrap();
    }

    /// Runs `guidepress ARGS` in the workspace with `envs`.
    pub fn run(&self, args: &[&str], envs: &[(&str, &str)]) -> Output {
        let mut command = cli::command(self.path(), args);
        command.env("GUIDEPRESS_LINKS_CACHE_KEY", "publish test key");
        for (key, value) in envs {
            command.env(key, value);
        }
        command.output().unwrap()
    }

    /// The JSON value `guidepress dump` gives for a guide (what is sent as `document`).
    pub fn dump(&self, slug: &str) -> serde_json::Value {
        let out = self.run(&["dump", self.guide_path(slug).to_str().unwrap()], &[]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

/// The seed guide's text with another slug, title and status.
pub fn guide_text(slug: &str, title: &str, status: &str) -> String {
    let seed = std::fs::read_to_string(
        crate::common::project_content().join("guides/backend-engineer.yaml"),
    )
    .unwrap();
    let mut out = String::new();
    for line in seed.lines() {
        if line.starts_with("slug: ") {
            out.push_str(&format!("slug: {slug}"));
        } else if line.starts_with("title: ") {
            out.push_str(&format!("title: \"{title}\""));
        } else if line.starts_with("status: ") {
            out.push_str(&format!("status: {status}"));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// Stdout and stderr, for assertion messages.
pub fn show(out: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Held by every test that writes to the shared live CMS (scripts/test.sh
/// starts one Strapi for the whole test binary), so two such tests never
/// see each other's documents or prune them.
pub fn cms_lock() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
