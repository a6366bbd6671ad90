//! What `guidepress init` writes: a content repository that `guidepress
//! check` passes as is. The schemas and the official data are not copied:
//! the binary carries them ([`crate::builtin`]), and files added to the
//! repository later replace them.
//!
//! `guidepress.toml` starts with a `#:schema` line naming the configuration
//! schema at the released version's tag on GitHub: an editor (Taplo, Even
//! Better TOML) fetches it, it matches the binary that wrote the file, and
//! there is no copy in the repository to fall out of date.

use std::path::PathBuf;

use super::{NewFile, fill};

/// Every file `init` writes, relative to the repository, and its template.
const TEMPLATES: &[(&str, &str)] = &[
    ("guidepress.toml", include_str!("templates/guidepress.toml")),
    ("content/guides/.gitkeep", ""),
    (
        "content/authors/editor.yaml",
        include_str!("templates/authors/editor.yaml"),
    ),
    (
        ".github/workflows/guidepress-check.yml",
        include_str!("templates/workflows/guidepress-check.yml"),
    ),
    (
        ".github/workflows/guidepress-publish.yml",
        include_str!("templates/workflows/guidepress-publish.yml"),
    ),
    (
        ".pre-commit-config.yaml",
        include_str!("templates/pre-commit-config.yaml"),
    ),
    (".gitignore", include_str!("templates/gitignore")),
];

/// The files of a new content repository, for guidepress `version` (`0.1.0`):
/// the workflows install that release and the hooks use its tag.
pub fn files(version: &str) -> Vec<NewFile> {
    TEMPLATES
        .iter()
        .map(|(path, template)| NewFile {
            path: PathBuf::from(path),
            text: fill(template, &[("version", version.to_owned())]),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_placeholder_is_filled() {
        for file in files("9.8.7") {
            assert!(
                !file.text.contains("{{version}}"),
                "{}",
                file.path.display()
            );
        }
        let config = files("9.8.7")
            .into_iter()
            .find(|f| f.path == std::path::Path::new("guidepress.toml"))
            .unwrap();
        assert!(config.text.starts_with(
            "#:schema https://raw.githubusercontent.com/guidepress/guidepress/v9.8.7/schemas/guidepress.schema.json\n"
        ));
        crate::config::Config::parse(&config.text, "guidepress.toml".as_ref()).unwrap();
    }
}
