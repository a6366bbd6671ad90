//! `guidepress preview`: the HTML of the bundled guide and of edge cases
//! (snapshots), escaping, findings on the page, template overrides, and the
//! files written.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Output;

fn fixtures() -> PathBuf {
    common::repo_path("tests/fixtures/preview")
}

/// Runs `guidepress` in `dir` with a fixed date and no colour.
fn guidepress(dir: &Path, args: &[&str]) -> Output {
    common::cli::command(dir, args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("GUIDEPRESS_TODAY", "2026-11-30")
        .env("NO_COLOR", "1")
        .output()
        .expect("run guidepress")
}

/// Renders `args` in `dir` into a fresh folder and returns it.
fn render(dir: &Path, args: &[&str]) -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("temp dir");
    let out_arg = out.path().to_str().expect("utf-8 temp path").to_owned();
    let mut all: Vec<&str> = vec!["preview"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--out", &out_arg]);
    let output = guidepress(dir, &all);
    assert!(
        output.status.success(),
        "preview failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    out
}

fn read(out: &tempfile::TempDir, name: &str) -> String {
    std::fs::read_to_string(out.path().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The page without its style sheet (snapshotted once, with the bundled guide).
fn without_style(html: &str) -> String {
    match (html.find("<style>"), html.find("</style>")) {
        (Some(start), Some(end)) => {
            format!("{}<style>…</style>{}", &html[..start], &html[end + 8..])
        }
        _ => html.to_owned(),
    }
}

#[test]
fn bundled_guide() {
    let out = render(
        common::project().path(),
        &["content/guides/backend-engineer.yaml"],
    );
    let html = read(&out, "backend-engineer.html");
    for figure in [
        "$135,980",
        "+15%",
        "129,200",
        "$80,000 - $214,670",
        "4-6 years",
        "3-6 months",
        "+28% vs national",
        "Job Growth (10yr)",
    ] {
        assert!(html.contains(figure), "missing {figure}");
    }
    assert_eq!(
        html.matches("<rect class=\"bar ").count(),
        4,
        "one bar per state"
    );
    assert!(!html.contains("<script"), "no script without --serve");
    assert!(
        !html.contains("class=\"gp-marker"),
        "no markers without --annotate"
    );
    insta::assert_snapshot!("bundled", html);
    insta::assert_snapshot!("bundled_index", read(&out, "index.html"));
}

#[test]
fn edge_cases() {
    let out = render(&fixtures(), &[]);
    let mut names: Vec<String> = std::fs::read_dir(out.path())
        .expect("output")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "findings.html",
            "html-in-text.html",
            "index.html",
            "long-title.html",
            "one-state.html",
            "unicode.html",
            "with-faqs.html"
        ],
        "one page per guide, the index, and no temporary file left"
    );
    for name in [
        "html-in-text",
        "long-title",
        "one-state",
        "unicode",
        "with-faqs",
    ] {
        let html = read(&out, &format!("{name}.html"));
        insta::assert_snapshot!(name, without_style(&html));
    }
    insta::assert_snapshot!("fixtures_index", read(&out, "index.html"));

    let one = read(&out, "one-state.html");
    assert_eq!(one.matches("<rect class=\"bar ").count(), 1);

    let faqs = read(&out, "with-faqs.html");
    assert!(
        faqs.contains("<strong>4-6 years</strong>"),
        "FAQ answers are Markdown"
    );
    assert!(!faqs.contains("No questions yet."));

    let unicode = read(&out, "unicode.html");
    assert!(unicode.contains("Devenir ingénieur·e backend — 后端工程师 — مهندس 🚀"));
    assert!(unicode.contains("Rust 🦀"));
}

#[test]
fn html_in_text_is_escaped() {
    let out = render(&fixtures(), &["content/guides/html-in-text.yaml"]);
    let html = read(&out, "html-in-text.html");
    for raw in [
        "<script",
        "<img",
        "<iframe",
        "<marquee",
        "<b onmouseover",
        "<em>Redis",
        "<h2>Injected",
        "<style>body",
        "javascript:",
        "<QA>",
    ] {
        assert!(
            !html.contains(raw),
            "{raw} must not reach the page as markup"
        );
    }
    for escaped in [
        "How to Become a &lt;script&gt;alert(&#x27;title&#x27;)&lt;&#x2f;script&gt; Engineer",
        "&lt;img src=x onerror=alert(1)&gt;",
        "&lt;b onmouseover=",
        "&lt;&#x2f;li&gt;&lt;&#x2f;ul&gt;&lt;h2&gt;Injected",
        "&lt;marquee&gt;",
        "&lt;QA&gt;",
    ] {
        assert!(html.contains(escaped), "expected {escaped}");
    }
}

#[test]
fn findings_are_marked_with_annotate() {
    let out = render(&fixtures(), &["content/guides/findings.yaml", "--annotate"]);
    let html = read(&out, "findings.html");
    insta::assert_snapshot!("findings_annotated", without_style(&html));
    let listed = html.matches("<li id=\"finding-").count();
    let markers = html.matches("class=\"gp-marker ").count();
    assert!(listed >= 4, "GP201, GP301, GP304, GP315 at least: {listed}");
    assert_eq!(listed, markers, "every finding has a marker on the page");
    for code in ["GP201", "GP301", "GP304", "GP315"] {
        assert!(html.contains(&format!(">{code}</a>")), "{code} marked");
    }
    // Each marker stands where its finding is: the wrong percentage in its
    // row of the table, the prose figure in its takeaway.
    let row = html
        .split("<tr data-state=\"CA\">")
        .nth(1)
        .and_then(|rest| rest.split("</tr>").next())
        .expect("CA row");
    assert!(row.contains(">GP301</a>"), "{row}");
    let takeaway = html
        .split("Backend Engineers earn $70,000")
        .nth(1)
        .and_then(|rest| rest.split("</li>").next())
        .expect("first takeaway");
    assert!(takeaway.contains(">GP315</a>"), "{takeaway}");
    // The message is on the page for hover and keyboard focus.
    assert!(html.contains("role=\"tooltip\""));
    assert!(html.contains("aria-describedby=\"tip-1\""));
}

#[test]
fn templates_can_be_replaced_from_a_folder() {
    let templates = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        templates.path().join("guide.html"),
        "{{ guide.title }}|{{ guide.facts.national_median_salary|money }}|{{ guide.facts.job_growth_pct|pct }}|\
         {{ guide.facts.annual_openings|number }}|{{ guide.facts.salary_range|money_range }}|\
         {{ guide.career_path.total_duration|duration }}|{{ chart.rows|length }}|{{ chart.rows[0].name }}|\
         {{ author.name }}|{{ sources[guide.facts.source].short_name }}|{{ \"<b>\" }}|{{ guide.editorial.approved_on|date }}\n",
    )
    .expect("template");
    let folder = templates.path().to_str().expect("utf-8").to_owned();
    let out = render(
        common::project().path(),
        &[
            "content/guides/backend-engineer.yaml",
            "--templates",
            &folder,
        ],
    );
    assert_eq!(
        read(&out, "backend-engineer.html"),
        "How to Become a Backend Engineer|$135,980|+15%|129,200|$80,000 - $214,670|4-6 years|4|California|\
         Taylor Rupe|BLS Data|&lt;b&gt;|November 28, 2026\n"
    );
    // The index was not replaced: the built-in one is used.
    assert!(read(&out, "index.html").contains("<h1>Guide previews</h1>"));
}

#[test]
fn a_broken_template_is_an_error_naming_its_line() {
    let templates = tempfile::tempdir().expect("temp dir");
    std::fs::write(templates.path().join("guide.html"), "ok\n{% if %}\n").expect("template");
    let out = tempfile::tempdir().expect("temp dir");
    let output = guidepress(
        common::project().path(),
        &[
            "preview",
            "content/guides/backend-engineer.yaml",
            "--templates",
            templates.path().to_str().expect("utf-8"),
            "--out",
            out.path().to_str().expect("utf-8"),
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("guide.html:2"), "{stderr}");
    assert_eq!(
        std::fs::read_dir(out.path()).expect("out").count(),
        0,
        "nothing written"
    );
}

#[test]
fn pages_are_replaced_whole_and_other_files_are_left() {
    let out = tempfile::tempdir().expect("temp dir");
    std::fs::write(out.path().join("backend-engineer.html"), "old").expect("old page");
    std::fs::write(out.path().join("notes.txt"), "mine").expect("other file");
    let output = guidepress(
        common::project().path(),
        &[
            "preview",
            "content/guides/backend-engineer.yaml",
            "--out",
            out.path().to_str().expect("utf-8"),
        ],
    );
    assert!(output.status.success());
    let page = std::fs::read_to_string(out.path().join("backend-engineer.html")).expect("page");
    assert!(page.starts_with("<!DOCTYPE html>") && page.ends_with("</html>\n"));
    assert_eq!(
        std::fs::read_to_string(out.path().join("notes.txt")).expect("kept"),
        "mine"
    );
    let leftovers: Vec<_> = std::fs::read_dir(out.path())
        .expect("out")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn out_is_required_without_serve() {
    let output = guidepress(common::project().path(), &["preview"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--out"));
}

#[test]
fn prose_findings_are_marked_with_annotate() {
    let dir = common::project();
    let guide = dir.path().join("content/guides/backend-engineer.yaml");
    let text = std::fs::read_to_string(&guide)
        .unwrap()
        .replacen(
            "infrastructure that power web",
            "infrastucture that power web",
            1,
        )
        .replacen(
            "Explore Software Engineering degree",
            "Explore Software Engineering degre",
            1,
        );
    std::fs::write(&guide, text).unwrap();
    let out = render(
        dir.path(),
        &["content/guides/backend-engineer.yaml", "--annotate"],
    );
    let html = read(&out, "backend-engineer.html");
    let listed = html.matches("<li id=\"finding-").count();
    let markers = html.matches("class=\"gp-marker ").count();
    assert_eq!(
        html.matches(">GP701</a>").count(),
        2,
        "both misspellings are listed"
    );
    assert!(html.contains("&quot;infrastucture&quot; is not in the dictionary."));
    assert!(html.contains("&quot;degre&quot; is not in the dictionary."));
    assert_eq!(listed, markers, "every finding has a marker on the page");
    let plain = render(dir.path(), &["content/guides/backend-engineer.yaml"]);
    assert!(!read(&plain, "backend-engineer.html").contains("GP701"));
}
