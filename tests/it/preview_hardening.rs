//! `guidepress preview` (and `check --fix`) against hostile or extreme
//! repositories: templates that lead outside the repository are refused by
//! name, a slug as long as a file name may be is written like any other, and
//! a page that cannot be written does not stop the others or the index.

use crate::common;

use std::path::Path;
use std::process::Output;

use crate::common::cli::{code, stderr};

fn root() -> &'static Path {
    crate::common::crate_root()
}

/// A repository in a temporary folder: the bundled guide (under `slugs`,
/// one copy per slug), its author, and `extra` appended to the configuration.
fn repository(slugs: &[&str], extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let guides = dir.path().join("content/guides");
    let authors = dir.path().join("content/authors");
    std::fs::create_dir_all(&guides).expect("guides");
    std::fs::create_dir_all(&authors).expect("authors");
    let guide = std::fs::read_to_string(
        crate::common::project_content().join("guides/backend-engineer.yaml"),
    )
    .expect("the bundled guide");
    for slug in slugs {
        std::fs::write(
            guides.join(format!("{slug}.yaml")),
            guide.replacen("slug: backend-engineer", &format!("slug: {slug}"), 1),
        )
        .expect("guide");
    }
    std::fs::copy(
        crate::common::project_content().join("authors/taylor-rupe.yaml"),
        authors.join("taylor-rupe.yaml"),
    )
    .expect("author");
    let schemas = root().join("schemas");
    std::fs::write(
        dir.path().join("guidepress.toml"),
        format!(
            "[[schemas]]\nfiles = \"content/guides/*.yaml\"\nschema = {:?}\nkind = \"guide\"\n\n\
             [[schemas]]\nfiles = \"content/authors/*.yaml\"\nschema = {:?}\nkind = \"author\"\n\n{extra}",
            schemas.join("guide.schema.json"),
            schemas.join("author.schema.json"),
        ),
    )
    .expect("config");
    dir
}

fn guidepress(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut all = vec![("GUIDEPRESS_TODAY", "2026-11-30"), ("NO_COLOR", "1")];
    all.extend_from_slice(envs);
    common::cli::run_with(dir, args, &all)
}

/// Every file under `dir`, read as text (lossily), joined.
fn everything_in(dir: &Path) -> String {
    let mut all = String::new();
    for entry in std::fs::read_dir(dir).expect("out").flatten() {
        all.push_str(&String::from_utf8_lossy(
            &std::fs::read(entry.path()).unwrap_or_default(),
        ));
    }
    all
}

fn preview_into(dir: &Path, out: &Path, more: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut args = vec!["preview", "--out", out.to_str().expect("utf-8")];
    args.extend_from_slice(more);
    guidepress(dir, &args, envs)
}

#[cfg(unix)]
#[test]
fn a_template_linking_outside_the_repository_is_refused_by_name() {
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        outside.path().join("secret.html"),
        "SECRET-OUTSIDE-THE-REPOSITORY",
    )
    .expect("secret");
    let dir = repository(
        &["backend-engineer"],
        "[preview]\ntemplates = \"templates\"\n",
    );
    let templates = dir.path().join("templates");
    std::fs::create_dir_all(&templates).expect("templates");
    std::fs::write(
        templates.join("guide.html"),
        "<p>{{ guide.title }}</p>{% include \"secret.html\" %}\n",
    )
    .expect("guide template");
    std::os::unix::fs::symlink(
        outside.path().join("secret.html"),
        templates.join("secret.html"),
    )
    .expect("link");
    let out = tempfile::tempdir().expect("out");
    let output = preview_into(dir.path(), out.path(), &[], &[]);
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    let said = stderr(&output);
    assert!(said.contains("secret.html"), "names the template: {said}");
    assert!(said.contains("outside the repository"), "{said}");
    assert!(
        !everything_in(out.path()).contains("SECRET-OUTSIDE"),
        "nothing of the file reaches a page"
    );

    // A link to a template inside the repository is followed.
    std::fs::remove_file(templates.join("secret.html")).expect("unlink");
    std::fs::create_dir_all(dir.path().join("partials")).expect("partials");
    std::fs::write(dir.path().join("partials/part.html"), "PART-INSIDE").expect("part");
    std::os::unix::fs::symlink("../partials/part.html", templates.join("secret.html"))
        .expect("link inside");
    let output = preview_into(dir.path(), out.path(), &[], &[]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let page = std::fs::read_to_string(out.path().join("backend-engineer.html")).expect("page");
    assert!(page.contains("PART-INSIDE"), "{page}");
}

#[cfg(target_os = "linux")]
#[test]
fn a_template_linking_to_the_process_environment_never_shows_the_token() {
    let dir = repository(
        &["backend-engineer"],
        "[preview]\ntemplates = \"templates\"\n",
    );
    let templates = dir.path().join("templates");
    std::fs::create_dir_all(&templates).expect("templates");
    std::os::unix::fs::symlink("/proc/self/environ", templates.join("env.html")).expect("link");
    std::fs::write(templates.join("index.html"), "{% include \"env.html\" %}\n")
        .expect("index template");
    let out = tempfile::tempdir().expect("out");
    let token = "cms-token-that-must-not-leak-4217";
    let output = preview_into(
        dir.path(),
        out.path(),
        &[],
        &[("GUIDEPRESS_CMS_TOKEN", token)],
    );
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    let said = stderr(&output);
    assert!(said.contains("env.html"), "{said}");
    assert!(said.contains("outside the repository"), "{said}");
    assert!(!said.contains(token));
    assert!(!everything_in(out.path()).contains(token));
}

#[test]
fn a_configured_template_folder_outside_the_repository_is_refused() {
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        outside.path().join("guide.html"),
        "OUTSIDE {{ guide.title }}\n",
    )
    .expect("template");
    let config = format!("[preview]\ntemplates = {:?}\n", outside.path());
    let dir = repository(&["backend-engineer"], &config);
    let out = tempfile::tempdir().expect("out");
    let output = preview_into(dir.path(), out.path(), &[], &[]);
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert!(
        stderr(&output).contains("guide.html"),
        "{}",
        stderr(&output)
    );
    assert!(stderr(&output).contains("outside the repository"));
    // Named on the command line, the same folder is the user's choice.
    let output = preview_into(
        dir.path(),
        out.path(),
        &["--templates", outside.path().to_str().expect("utf-8")],
        &[],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(
        std::fs::read_to_string(out.path().join("backend-engineer.html")).expect("page"),
        "OUTSIDE How to Become a Backend Engineer\n"
    );
}

/// The longest slug whose file name (`<slug>.yaml`) fits in 255 bytes, and
/// the 230 characters.
fn long_slugs() -> [String; 2] {
    let make = |n: usize| {
        let mut slug = "backend-engineer-".to_owned();
        while slug.len() < n {
            slug.push('x');
        }
        slug
    };
    [make(230), make(250)]
}

#[test]
fn a_slug_as_long_as_a_file_name_may_be_is_previewed() {
    let [s230, s250] = long_slugs();
    let dir = repository(&["backend-engineer", &s230, &s250], "");
    let out = tempfile::tempdir().expect("out");
    let output = preview_into(dir.path(), out.path(), &[], &[]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let index = std::fs::read_to_string(out.path().join("index.html")).expect("index");
    for slug in ["backend-engineer", s230.as_str(), s250.as_str()] {
        let page = format!("{slug}.html");
        assert!(out.path().join(&page).is_file(), "{page} written");
        assert!(index.contains(&format!("href=\"{page}\"")), "{page} listed");
    }
    let names: Vec<String> = std::fs::read_dir(out.path())
        .expect("out")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 4, "no temporary file left: {names:?}");
}

#[test]
fn check_fix_writes_a_guide_with_a_slug_as_long_as_a_file_name_may_be() {
    let [s230, s250] = long_slugs();
    let dir = repository(&[&s230, &s250], "");
    for slug in [&s230, &s250] {
        let path = dir.path().join(format!("content/guides/{slug}.yaml"));
        let text = std::fs::read_to_string(&path).expect("guide");
        assert!(text.contains("vs_national_pct: 28"));
        std::fs::write(
            &path,
            text.replacen("vs_national_pct: 28", "vs_national_pct: 29", 1),
        )
        .expect("edit");
    }
    let output = guidepress(dir.path(), &["check", "--fix"], &[]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(
        stderr(&output).contains("Fixed 2 findings in 2 files."),
        "{}",
        stderr(&output)
    );
    for slug in [&s230, &s250] {
        let text = std::fs::read_to_string(dir.path().join(format!("content/guides/{slug}.yaml")))
            .expect("guide");
        assert!(text.contains("vs_national_pct: 28"), "{slug} fixed");
    }
    let left = std::fs::read_dir(dir.path().join("content/guides"))
        .expect("guides")
        .count();
    assert_eq!(left, 2, "no temporary file left");
}

#[cfg(unix)]
#[test]
fn a_page_that_cannot_be_written_leaves_the_others_and_the_index() {
    let dir = repository(&["alpha-engineer", "beta-engineer", "gamma-engineer"], "");
    let out = tempfile::tempdir().expect("out");
    // A folder where a page should go: that page cannot be written.
    std::fs::create_dir(out.path().join("beta-engineer.html")).expect("blocker");
    let output = preview_into(dir.path(), out.path(), &[], &[]);
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    let said = stderr(&output);
    assert!(said.contains("beta-engineer.html"), "{said}");
    assert!(said.contains("1 page not written"), "{said}");
    for page in ["alpha-engineer.html", "gamma-engineer.html"] {
        let html = std::fs::read_to_string(out.path().join(page)).expect(page);
        assert!(html.starts_with("<!DOCTYPE html>"), "{page}");
    }
    let index = std::fs::read_to_string(out.path().join("index.html")).expect("index");
    assert!(index.contains("href=\"alpha-engineer.html\""));
    assert!(index.contains("href=\"gamma-engineer.html\""));
    assert!(
        !index.contains("href=\"beta-engineer.html\""),
        "the page not written is not linked"
    );
    assert!(
        index.contains("beta-engineer.html was not written"),
        "{index}"
    );
}

#[test]
fn repeated_slugs_are_numbered_in_file_order_and_broken_files_listed() {
    let dir = repository(&["alpha-engineer", "beta-engineer"], "");
    let guides = dir.path().join("content/guides");
    // Same slug as alpha, in a file sorted after it; then a file that is not YAML.
    let alpha = std::fs::read_to_string(guides.join("alpha-engineer.yaml")).expect("alpha");
    std::fs::write(guides.join("alpha-later.yaml"), &alpha).expect("copy");
    std::fs::write(guides.join("zeta.yaml"), "slug: zeta\ntitle: [unclosed\n").expect("broken");
    let out = tempfile::tempdir().expect("out");
    for annotate in [false, true] {
        let more: &[&str] = if annotate { &["--annotate"] } else { &[] };
        let output = preview_into(dir.path(), out.path(), more, &[]);
        assert_eq!(code(&output), 0, "{}", stderr(&output));
        let index = std::fs::read_to_string(out.path().join("index.html")).expect("index");
        let first = std::fs::read_to_string(out.path().join("alpha-engineer.html")).expect("a");
        let second = std::fs::read_to_string(out.path().join("alpha-engineer-2.html")).expect("a2");
        assert!(first.contains("alpha-engineer.yaml"), "annotate={annotate}");
        assert!(second.contains("alpha-later.yaml"), "annotate={annotate}");
        assert!(index.contains("href=\"beta-engineer.html\""));
        assert!(
            !out.path().join("zeta.html").exists(),
            "annotate={annotate}"
        );
        assert!(
            index.contains("zeta.yaml"),
            "listed as not rendered: {index}"
        );
        assert!(
            stderr(&output).contains("zeta.yaml: not rendered"),
            "{}",
            stderr(&output)
        );
    }
}
