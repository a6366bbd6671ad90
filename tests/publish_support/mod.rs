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

/// What the shipped Strapi's content-type-builder answers for `uid`, its
/// list of content types and its components, built from the model files of
/// `cms/strapi/src` the way Strapi 5.54 shapes them (`{data: {uid, schema:
/// {pluralName, attributes, ...}}}`): `(path, answer)` pairs for a mock CMS.
pub fn builder_answers() -> Vec<(String, serde_json::Value)> {
    use serde_json::{Value, json};
    let root = crate::common::repo_path("cms/strapi/src");
    let read = |path: &Path| -> Value {
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    };
    let mut types = Vec::new();
    for entry in std::fs::read_dir(root.join("api")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let schema = read(&root.join(format!("api/{name}/content-types/{name}/schema.json")));
        let mut described = schema["info"].clone();
        for (key, value) in schema.as_object().unwrap() {
            if key != "info" {
                described[key] = value.clone();
            }
        }
        types.push(
            json!({"uid": format!("api::{name}.{name}"), "apiID": name, "schema": described}),
        );
    }
    let mut components = Vec::new();
    for category in std::fs::read_dir(root.join("components")).unwrap() {
        let category = category.unwrap();
        let category_name = category.file_name().to_string_lossy().into_owned();
        for file in std::fs::read_dir(category.path()).unwrap() {
            let path = file.unwrap().path();
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            let schema = read(&path);
            components.push(json!({
                "uid": format!("{category_name}.{name}"),
                "category": category_name,
                "apiId": name,
                "schema": {"displayName": schema["info"]["displayName"], "attributes": schema["attributes"]}
            }));
        }
    }
    let mut answers = vec![
        (
            "/api/content-type-builder/content-types".to_owned(),
            json!({"data": types}),
        ),
        (
            "/api/content-type-builder/components".to_owned(),
            json!({"data": components}),
        ),
    ];
    for described in &types {
        answers.push((
            format!(
                "/api/content-type-builder/content-types/{}",
                described["uid"].as_str().unwrap()
            ),
            json!({"data": described}),
        ));
    }
    answers
}

/// Mounts [`builder_answers`] on a mock CMS.
pub async fn mount_builder(server: &wiremock::MockServer) {
    for (at, answer) in builder_answers() {
        wiremock::Mock::given(wiremock::matchers::method("GET"))
            .and(wiremock::matchers::path(at))
            .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(answer))
            .mount(server)
            .await;
    }
}
