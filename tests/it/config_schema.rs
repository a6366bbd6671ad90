//! The JSON Schema of `guidepress.toml` (`schemas/guidepress.schema.json`):
//! generated from the configuration types, kept in step with them, and
//! agreeing with what guidepress itself accepts. `guidepress config --show`
//! prints a configuration that guidepress and the schema both accept.

use crate::common;

use std::path::Path;

use guidepress::config::Config;
use serde_json::Value;

fn committed_schema() -> Value {
    let text =
        std::fs::read_to_string(common::repo_path("schemas/guidepress.schema.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&committed_schema()).expect("the committed schema compiles")
}

fn toml_as_json(text: &str) -> Value {
    toml::from_str::<Value>(text).expect("valid TOML")
}

#[test]
fn committed_schema_is_the_generated_one() {
    let generated = Config::json_schema();
    assert!(
        committed_schema() == generated,
        "schemas/guidepress.schema.json is out of date with the configuration types; \
         regenerate it with `cargo run -- config --schema > schemas/guidepress.schema.json`"
    );
}

#[test]
fn bundled_config_declares_and_passes_the_schema() {
    let text = std::fs::read_to_string(common::repo_path("guidepress.toml")).unwrap();
    // The taplo directive that lets editors complete and validate the file.
    let directive = text.lines().next().unwrap_or_default();
    assert_eq!(directive, "#:schema ./schemas/guidepress.schema.json");
    assert!(validator().is_valid(&toml_as_json(&text)));
    // And guidepress reads it.
    Config::parse(&text, Path::new("guidepress.toml")).unwrap();
}

#[test]
fn schema_rejects_what_guidepress_rejects() {
    let validator = validator();
    for (text, why) in [
        ("[links]\ntimeot = 3\n", "a misspelled key"),
        (
            "[content]\nroots = \"content\"\n",
            "a string where a list belongs",
        ),
        (
            "[rules.severity]\nGP301 = \"loud\"\n",
            "an unknown severity",
        ),
        ("[limits]\nmax_depth = 1000000\n", "max_depth above the cap"),
        (
            "[links]\ntimeout = \"soon\"\n",
            "a duration without a number",
        ),
        (
            "[[schemas]]\nfiles = \"x/*.yaml\"\nschema = \"s.json\"\nkind = \"page\"\n",
            "an unknown kind",
        ),
    ] {
        assert!(
            !validator.is_valid(&toml_as_json(text)),
            "the schema accepts {why}"
        );
        assert!(
            Config::parse(text, Path::new("guidepress.toml")).is_err(),
            "guidepress accepts {why}"
        );
    }
    for text in [
        "[links]\ntimeout = \"500ms\"\nretry_budget = 90\n",
        "[links.hosts.\"bls.gov\"]\ninterval = \"2s\"\nheaders = { Authorization = \"x\" }\n",
        "[rules]\neditors = [\"a\"]\n[[rules.per_file]]\nfiles = \"content/*.yaml\"\nseverity = { GP313 = \"off\" }\n",
    ] {
        assert!(
            validator.is_valid(&toml_as_json(text)),
            "the schema refuses {text}"
        );
        Config::parse(text, Path::new("guidepress.toml")).unwrap();
    }
}

#[test]
fn config_show_prints_every_default_round_trips_and_redacts_secrets() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("guidepress.toml"),
        "[links.hosts.\"example.org\"]\nheaders = { Authorization = \"Bearer s3cr3t-value\", X-Plain = \"also-hidden\" }\n\
         [cms]\nproxy = \"http://user:pr0xy-pw@proxy.example:3128\"\n",
    )
    .unwrap();
    let output = common::cli::command(dir.path(), &["config", "--show"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let shown = String::from_utf8(output.stdout).unwrap();
    for secret in ["s3cr3t-value", "also-hidden", "pr0xy-pw"] {
        assert!(!shown.contains(secret), "{secret} printed:\n{shown}");
    }
    assert!(shown.contains("[redacted]"));
    // Defaults are filled in.
    for key in [
        "max_concurrency = 128",
        "review_max_age_days = 365",
        "content_type = \"guides\"",
    ] {
        assert!(shown.contains(key), "{key} missing:\n{shown}");
    }
    // What it prints is a configuration both guidepress and the schema accept.
    let reparsed = Config::parse(&shown, Path::new("shown.toml")).unwrap();
    assert_eq!(reparsed.links.max_concurrency, 128);
    assert!(validator().is_valid(&toml_as_json(&shown)));
}

#[test]
fn config_needs_show_or_schema() {
    let output = common::cli::run(common::project().path(), &["config"]);
    assert_eq!(output.status.code(), Some(2));
}
