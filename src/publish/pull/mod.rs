//! `guidepress pull`: guides read from the CMS through the same mapping
//! that publishes them ([`Mapping::reverse`]), written as YAML files, so a
//! publisher with content in the CMS can bring it into the repository.
//! What the mapping does not cover is listed, never silently dropped.
//!
//! Keys follow the guide schema's order, and required lists that the CMS
//! holds empty (`faqs: []`) are written empty, so a complete entry gives a
//! guide valid against the schema; pull → check → publish writes nothing.

pub mod yaml;

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::mapping::check::CmsSchema;
use super::strapi::{CmsError, StrapiClient, Version};

/// One guide read from the CMS.
#[derive(Debug, Clone)]
pub struct Pulled {
    /// Its slug.
    pub slug: String,
    /// The guide, keys in the schema's order.
    pub guide: Value,
    /// What the document holds that the mapping does not cover (`editor_notes`,
    /// `sections.subtitle`).
    pub uncovered: Vec<String>,
}

/// What [`read`] found.
#[derive(Debug, Clone, Default)]
pub struct PullResult {
    /// The guides, by slug order of the CMS.
    pub guides: Vec<Pulled>,
    /// Slugs asked for that the CMS does not have (in the version read).
    pub missing: Vec<String>,
}

/// Reads the documents of `version` (those with `slugs`, or all) and turns
/// each into a guide through the client's mapping.
pub async fn read(
    client: &StrapiClient,
    schema: &CmsSchema,
    guide_schema: Option<&Value>,
    version: Version,
    slugs: &[String],
) -> Result<PullResult, CmsError> {
    let mapping = std::sync::Arc::clone(client.mapping());
    // Components of the type outside the mapping are read too, to list them.
    let extra: Vec<String> = schema
        .attributes
        .iter()
        .filter(|(name, a)| {
            a.get("type").and_then(Value::as_str) == Some("component")
                && !mapping.fields.iter().any(|(n, _)| n == *name)
        })
        .map(|(name, _)| name.clone())
        .collect();
    let documents = client.list_full(version, slugs, &extra).await?;
    let mut result = PullResult::default();
    for document in &documents {
        let slug = document
            .get("slug")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let projected = mapping.project(document);
        let guide = mapping.reverse(&projected);
        let guide = match guide_schema {
            Some(root) => order(&guide, root, root),
            None => guide,
        };
        result.guides.push(Pulled {
            slug,
            guide,
            uncovered: mapping.uncovered(document),
        });
    }
    for slug in slugs {
        if !result.guides.iter().any(|g| &g.slug == slug) {
            result.missing.push(slug.clone());
        }
    }
    Ok(result)
}

fn resolve<'s>(root: &'s Value, mut node: &'s Value) -> &'s Value {
    for _ in 0..32 {
        let Some(target) = node
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|p| root.pointer(p))
        else {
            return node;
        };
        node = target;
    }
    node
}

/// `value` with object keys in the order of the schema's `properties`
/// (others after, as they were), and required lists that are absent
/// written empty.
pub fn order(value: &Value, schema: &Value, root: &Value) -> Value {
    let schema = resolve(root, schema);
    match value {
        Value::Object(map) => {
            let properties = schema.get("properties").and_then(Value::as_object);
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let mut out = Map::new();
            for (name, property) in properties.into_iter().flatten() {
                match map.get(name) {
                    Some(child) => {
                        out.insert(name.clone(), order(child, property, root));
                    }
                    None if required.contains(&name.as_str())
                        && resolve(root, property).get("type").and_then(Value::as_str)
                            == Some("array") =>
                    {
                        out.insert(name.clone(), Value::Array(Vec::new()));
                    }
                    None => {}
                }
            }
            for (name, child) in map {
                if !out.contains_key(name) {
                    out.insert(name.clone(), child.clone());
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => {
            let item_schema = schema.get("items").unwrap_or(&Value::Null);
            Value::Array(items.iter().map(|i| order(i, item_schema, root)).collect())
        }
        other => other.clone(),
    }
}

/// Where pulled guides go by default: the folder of the guide files'
/// glob (`content/guides` for `content/guides/*.yaml`), under `root`.
pub fn default_out(root: &Path, guide_files: Option<&str>) -> PathBuf {
    let folder = guide_files
        .map(|glob| {
            let fixed = &glob[..glob.find(['*', '?', '[', '{']).unwrap_or(glob.len())];
            fixed.rsplit_once('/').map_or("", |(dir, _)| dir).to_owned()
        })
        .filter(|dir| !dir.is_empty())
        .unwrap_or_else(|| "content/guides".into());
    root.join(folder)
}

/// What happened to one pulled guide's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// A new file.
    New(PathBuf),
    /// An existing file replaced (`--force`).
    Replaced(PathBuf),
    /// An existing file left as it was (no `--force`).
    Kept(PathBuf),
    /// Not written: its slug cannot name a file.
    BadSlug,
}

/// Whether `slug` is a guide slug (lowercase words joined by hyphens), so a
/// file name made of it stays in the output folder.
pub fn is_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.split('-').all(|word| {
            !word.is_empty()
                && word
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// Writes `pulled` as `<out>/<slug>.yaml`: new files only, unless `force`.
pub fn write(out: &Path, pulled: &Pulled, force: bool) -> std::io::Result<Written> {
    if !is_slug(&pulled.slug) {
        return Ok(Written::BadSlug);
    }
    std::fs::create_dir_all(out)?;
    let path = out.join(format!("{}.yaml", pulled.slug));
    let text = yaml::to_yaml(&pulled.guide);
    if force {
        let existed = path.exists();
        std::fs::write(&path, text.as_bytes())?;
        return Ok(if existed {
            Written::Replaced(path)
        } else {
            Written::New(path)
        });
    }
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(mut file) => {
            std::io::Write::write_all(&mut file, text.as_bytes())?;
            Ok(Written::New(path))
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(Written::Kept(path)),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_follow_the_schema_and_required_lists_come_back_empty() {
        let root: Value =
            serde_json::from_str(include_str!("../../../schemas/guide.schema.json")).unwrap();
        let guide = json!({"title": "T", "slug": "s", "facts": {"license": "x", "national_median_salary": 1}});
        let ordered = order(&guide, &root, &root);
        let keys: Vec<&str> = ordered
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        // Schema order; the required lists the guide lacks come back empty.
        assert_eq!(
            keys,
            [
                "slug",
                "title",
                "facts",
                "key_takeaways",
                "sections",
                "tools",
                "portfolio_projects",
                "salary_by_state",
                "faqs",
                "sources"
            ]
        );
        assert_eq!(ordered["faqs"], json!([]));
        let facts: Vec<&String> = ordered["facts"].as_object().unwrap().keys().collect();
        assert_eq!(facts, ["national_median_salary", "license"]);
    }

    #[test]
    fn pulled_guides_go_where_the_guide_files_are() {
        let root = Path::new("/repo");
        assert_eq!(
            default_out(root, Some("content/guides/*.yaml")),
            root.join("content/guides")
        );
        assert_eq!(
            default_out(root, Some("guides/**/*.yml")),
            root.join("guides")
        );
        assert_eq!(
            default_out(root, Some("*.yaml")),
            root.join("content/guides")
        );
        assert_eq!(default_out(root, None), root.join("content/guides"));
    }

    #[test]
    fn only_slugs_name_files() {
        assert!(is_slug("backend-engineer") && is_slug("a1"));
        for bad in ["", "../x", "a/b", "A", "a--b", "-a", "a.yaml"] {
            assert!(!is_slug(bad), "{bad}");
        }
    }

    #[test]
    fn existing_files_are_kept_unless_forced() {
        let dir = tempfile::tempdir().unwrap();
        let pulled = Pulled {
            slug: "a".into(),
            guide: json!({"slug": "a"}),
            uncovered: Vec::new(),
        };
        assert!(matches!(
            write(dir.path(), &pulled, false).unwrap(),
            Written::New(_)
        ));
        std::fs::write(dir.path().join("a.yaml"), "slug: mine\n").unwrap();
        assert!(matches!(
            write(dir.path(), &pulled, false).unwrap(),
            Written::Kept(_)
        ));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.yaml")).unwrap(),
            "slug: mine\n"
        );
        assert!(matches!(
            write(dir.path(), &pulled, true).unwrap(),
            Written::Replaced(_)
        ));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.yaml")).unwrap(),
            "slug: a\n"
        );
        let bad = Pulled {
            slug: "../x".into(),
            ..pulled
        };
        assert_eq!(write(dir.path(), &bad, true).unwrap(), Written::BadSlug);
    }
}
