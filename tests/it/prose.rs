//! Prose checks (`GP701` spelling, `GP702` house terms, `GP703`) as a user
//! runs them: findings at exact lines and character columns with non-ASCII
//! text before the word (LSP positions in UTF-8 and UTF-16 are in
//! `server_lsp`), `--fix` byte for byte, Markdown exclusions, the words file and
//! `guidepress words add`, and no finding on the bundled guide.

use crate::common;
use crate::common::cli::{code, run, stderr, stdout};

const GUIDE: &str = "content/guides/backend-engineer.yaml";

fn guide() -> String {
    std::fs::read_to_string(common::project_content().join("guides/backend-engineer.yaml")).unwrap()
}

/// The repository's project with the bundled guide replaced by `text` and
/// `extra` appended to its guidepress.toml.
fn project(text: &str, extra: &str) -> tempfile::TempDir {
    let dir = common::project();
    std::fs::write(dir.path().join(GUIDE), text).unwrap();
    let config = dir.path().join("guidepress.toml");
    let mut toml = std::fs::read_to_string(&config).unwrap();
    toml.push_str(extra);
    std::fs::write(config, toml).unwrap();
    dir
}

/// The concise lines of `codes` findings, without the file's path.
fn lines_of(output: &std::process::Output, codes: &[&str]) -> Vec<String> {
    stdout(output)
        .lines()
        .filter(|line| codes.iter().any(|c| line.contains(&format!(" {c} "))))
        .map(|line| {
            line.split_once(".yaml:")
                .map_or(line, |(_, rest)| rest)
                .to_owned()
        })
        .collect()
}

fn check(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["check", "--output-format", "concise"];
    all.extend_from_slice(args);
    run(dir, &all)
}

/// 1-based line and character column of the `nth` `needle` in `text`.
fn at(text: &str, needle: &str) -> (usize, usize) {
    let offset = text.find(needle).unwrap_or_else(|| panic!("{needle}"));
    let line = text[..offset].matches('\n').count() + 1;
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    (line, text[start..offset].chars().count() + 1)
}

#[test]
fn the_bundled_guide_has_no_prose_finding() {
    let dir = common::project();
    let output = check(dir.path(), &[]);
    let prose = lines_of(&output, &["GP701", "GP702", "GP703"]);
    assert!(prose.is_empty(), "{prose:#?}\n{}", stderr(&output));
    // The guide is checked at all: one slip is found.
    let slipped = guide().replacen("infrastructure that power", "infrastucture that power", 1);
    let dir = project(&slipped, "");
    assert_eq!(lines_of(&check(dir.path(), &[]), &["GP701"]).len(), 1);
}

#[test]
fn spelling_and_terms_at_exact_lines_and_character_columns() {
    let text = guide().replacen(
        "  Backend Engineers build the server-side logic, APIs, databases, and\n",
        "  Backend Engineers — é😀 — build the back-end infrastucture, APIs, and\n",
        1,
    );
    let dir = project(&text, "\n[prose.terms]\n\"back-end\" = \"backend\"\n");
    let output = check(dir.path(), &[]);
    let (line, column) = at(&text, "infrastucture");
    let (term_line, term_column) = at(&text, "back-end infra");
    assert_eq!(
        lines_of(&output, &["GP701", "GP702"]),
        [
            format!(
                "{term_line}:{term_column}: warning GP702 The house style writes \"backend\", not \"back-end\"."
            ),
            format!("{line}:{column}: warning GP701 \"infrastucture\" is not in the dictionary."),
        ]
    );
}

#[test]
fn fixes_are_byte_exact_terms_safe_suggestions_unsafe() {
    let text = guide()
        .replacen(
            "infrastructure that power web",
            "infrastucture that power web",
            1,
        )
        .replacen(
            "Backend Engineers build the server-side logic",
            "Back-end Engineers build the server-side logic",
            1,
        )
        .replacen(
            "title: How to Become a Backend Engineer",
            "title: \"HOW TO BECOME A BACK-END ENGINEER\"",
            1,
        );
    // GP304's unsafe fix would change the career path too: it is off here.
    let dir = project(
        &text,
        "\n[prose.terms]\n\"back-end\" = \"backend\"\n[rules.severity]\nGP304 = \"off\"\n",
    );
    // --fix applies the safe term fixes only, keeping the capitalization.
    let fixed = check(dir.path(), &["--fix"]);
    assert_eq!(code(&fixed), 0, "{}{}", stdout(&fixed), stderr(&fixed));
    let after = std::fs::read_to_string(dir.path().join(GUIDE)).unwrap();
    let expected = text
        .replacen("Back-end Engineers build", "Backend Engineers build", 1)
        .replacen("BACK-END ENGINEER", "BACKEND ENGINEER", 1);
    assert_eq!(after, expected);
    assert_eq!(lines_of(&fixed, &["GP701"]).len(), 1, "{}", stdout(&fixed));
    // --unsafe-fixes writes the first suggestion.
    let unsafe_fixed = check(dir.path(), &["--unsafe-fixes"]);
    assert_eq!(code(&unsafe_fixed), 0, "{}", stdout(&unsafe_fixed));
    let after = std::fs::read_to_string(dir.path().join(GUIDE)).unwrap();
    assert_eq!(
        after,
        expected.replacen("infrastucture", "infrastructure", 1)
    );
    assert!(lines_of(&unsafe_fixed, &["GP701", "GP702"]).is_empty());
}

#[test]
fn markdown_code_links_and_addresses_are_not_prose() {
    let body = "      A Backend Engineer designs, builds, and maintains the server-side\n";
    let text = guide().replacen(
        body,
        "      Run `cargo biuld` and read [the mannual](https://exmaple.org/pgae) or\n      <https://auto.exmaple.org/lnik> and www.exmaple.org/pgae too.\n\n      ```\n      let wrogn = 1;\n      ```\n\n      A Backend Engineer designs, builds, and maintains the server-side\n",
        1,
    );
    let dir = project(&text, "");
    let output = check(dir.path(), &[]);
    let found = lines_of(&output, &["GP701"]);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].contains("\"mannual\""), "{found:#?}");
}

#[test]
fn the_words_file_and_words_add() {
    let text = guide().replacen(
        "Backend Engineers build the server-side logic",
        "Hakia Engineers build the server-side logic",
        1,
    );
    let dir = project(&text, "");
    assert_eq!(lines_of(&check(dir.path(), &[]), &["GP701"]).len(), 1);
    let words = dir.path().join(".guidepress/words.txt");
    std::fs::create_dir_all(words.parent().unwrap()).unwrap();
    std::fs::write(&words, "# Our words\nzeta # last\n").unwrap();
    let added = run(dir.path(), &["words", "add", "Hakia", "Alpha", "Hakia"]);
    assert_eq!(code(&added), 0, "{}", stderr(&added));
    assert!(
        stdout(&added).contains("Added 2 words"),
        "{}",
        stdout(&added)
    );
    assert_eq!(
        std::fs::read_to_string(&words).unwrap(),
        "# Our words\nAlpha\nHakia\nzeta # last\n"
    );
    assert!(lines_of(&check(dir.path(), &[]), &["GP701"]).is_empty());
    // Not a word: refused, the file untouched.
    let refused = run(dir.path(), &["words", "add", "two words"]);
    assert_eq!(code(&refused), 2);
    assert!(
        stderr(&refused).contains("not a word"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(
        std::fs::read_to_string(&words).unwrap(),
        "# Our words\nAlpha\nHakia\nzeta # last\n"
    );
    // A configured path is created, folders and all.
    let dir = project(&text, "\n[prose]\nwords = \"style/words.txt\"\n");
    let added = run(dir.path(), &["words", "add", "Hakia"]);
    assert_eq!(code(&added), 0, "{}", stderr(&added));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("style/words.txt")).unwrap(),
        "Hakia\n"
    );
    assert!(lines_of(&check(dir.path(), &[]), &["GP701"]).is_empty());
}

#[test]
fn severity_suppression_and_an_unreadable_dictionary() {
    let text = guide().replacen(
        "summary: >-\n",
        "# guidepress: ignore[GP701] the company's name\nsummary: >-\n",
        1,
    );
    let text = text.replacen(
        "Backend Engineers build the server",
        "Hakia Engineers build the server",
        1,
    );
    let dir = project(&text, "");
    assert!(lines_of(&check(dir.path(), &[]), &["GP701", "GP390"]).is_empty());
    let slipped = guide().replacen("infrastructure that power", "infrastucture that power", 1);
    let dir = project(&slipped, "\n[rules.severity]\nGP701 = \"error\"\n");
    let output = check(dir.path(), &[]);
    assert_eq!(code(&output), 1);
    assert!(lines_of(&output, &["GP701"])[0].contains("error GP701"));
    let dir = project(&slipped, "\n[prose]\ndictionary = \"dictionaries/en_XX\"\n");
    let output = check(dir.path(), &[]);
    let said = lines_of(&output, &["GP703"]);
    assert_eq!(said.len(), 1, "{}", stdout(&output));
    assert!(
        said[0].contains("dictionaries/en_XX.aff") && said[0].contains("spelling was not checked"),
        "{said:?}"
    );
    assert!(lines_of(&output, &["GP701"]).is_empty());
}
