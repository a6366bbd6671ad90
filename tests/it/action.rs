//! The composite action (`action.yml`) as GitHub loads and runs it: the file
//! parses as YAML and fits SchemaStore's schema of action metadata
//! (`tests/schemas/github-action.json`); what the schema cannot see is
//! checked here (expressions name declared inputs and earlier steps, scripts
//! take inputs through `env:`, every flag passed exists); and its steps run
//! with bash as the runner runs them (`bash --noprofile --norc -eo pipefail`,
//! `RUNNER_TEMP`, `GITHUB_OUTPUT`, the step's `env:` evaluated), the install
//! step against a release served on loopback.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};

use crate::common::cli::BIN;
use crate::release_support::{Release, VERSION, dead_base, root};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Parses YAML with the crate's loader (saphyr, YAML 1.2): the value, or the
/// problems found.
fn load_yaml(source: &str) -> Result<Value, Vec<String>> {
    let parsed = guidepress::load::parse(
        source,
        &guidepress::load::ParseOptions {
            track_spans: true,
            single_document: true,
            ..Default::default()
        },
    );
    if !parsed.diagnostics.is_empty() || parsed.documents.len() != 1 {
        return Err(parsed
            .diagnostics
            .iter()
            .map(|d| format!("{}: {} at {:?}", d.code, d.message, d.span))
            .collect());
    }
    Ok(parsed.documents.into_iter().next().unwrap())
}

fn action_source() -> String {
    fs::read_to_string(root().join("action.yml")).expect("action.yml")
}

fn action() -> Value {
    load_yaml(&action_source()).expect("action.yml is YAML")
}

fn validator() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(include_str!("../schemas/github-action.json")).expect("schema");
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .build(&schema)
        .expect("SchemaStore's github-action schema compiles")
}

fn schema_errors(value: &Value) -> Vec<String> {
    validator()
        .iter_errors(value)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

fn steps(action: &Value) -> &Vec<Value> {
    action["runs"]["steps"].as_array().expect("runs.steps")
}

fn step<'a>(action: &'a Value, name: &str) -> &'a Value {
    steps(action)
        .iter()
        .find(|step| step["name"] == name)
        .unwrap_or_else(|| panic!("no step named {name:?}"))
}

#[test]
fn action_yml_loads_and_fits_the_schema_of_action_metadata() {
    let action = action();
    let errors = schema_errors(&action);
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(action["runs"]["using"], "composite");

    // The checks have teeth. The line that once kept GitHub from loading the
    // action (a second `: ` in a plain scalar) is not YAML:
    let broken = action_source().replacen(
        "description: \"What to run: check, links, preview",
        "description: What to run: check, links, preview",
        1,
    );
    assert_ne!(broken, action_source(), "the command description moved");
    assert!(
        load_yaml(&broken).is_err(),
        "the unquoted colon must not load"
    );
    // An unquoted `false` is a boolean, and an input's default is a string:
    let mut unquoted = action.clone();
    unquoted["inputs"]["build-from-source"]["default"] = json!(false);
    assert!(!schema_errors(&unquoted).is_empty());
    // A run step without its shell:
    let mut shell_less = action.clone();
    shell_less["runs"]["steps"][0]
        .as_object_mut()
        .unwrap()
        .remove("shell");
    assert!(!schema_errors(&shell_less).is_empty());
}

/// The `${{ … }}` expressions of a value, and its `if:` conditions (which
/// are expressions without the braces).
fn expressions(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => {
            let mut rest = s.as_str();
            while let Some(start) = rest.find("${{") {
                let end = rest[start..].find("}}").expect("closed expression") + start;
                out.push(rest[start + 3..end].trim().to_owned());
                rest = &rest[end + 2..];
            }
        }
        Value::Array(items) => items.iter().for_each(|v| expressions(v, out)),
        Value::Object(map) => {
            for (key, v) in map {
                if key == "if" {
                    out.push(v.as_str().unwrap_or_default().to_owned());
                }
                expressions(v, out);
            }
        }
        _ => {}
    }
}

/// `prefix.NAME…` occurrences in an expression.
fn names_after<'a>(expression: &'a str, prefix: &str) -> Vec<&'a str> {
    let mut names = Vec::new();
    let mut rest = expression;
    while let Some(at) = rest.find(prefix) {
        let before = expression.len() - rest.len() + at;
        let tail = &rest[at + prefix.len()..];
        let len = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(tail.len());
        // Not the tail of a longer name (`steps.x.outputs.` inside another).
        let boundary = before == 0
            || !expression.as_bytes()[before - 1].is_ascii_alphanumeric()
                && expression.as_bytes()[before - 1] != b'.';
        if boundary {
            names.push(&tail[..len]);
        }
        rest = &tail[len..];
    }
    names
}

/// Outputs a step sets: `echo "NAME=` in its script, or the documented
/// outputs of the actions it uses.
fn outputs_of(step: &Value) -> BTreeSet<String> {
    if let Some(script) = step["run"].as_str() {
        return script
            .split("echo \"")
            .skip(1)
            .filter_map(|rest| rest.split_once('=').map(|(name, _)| name.to_owned()))
            .filter(|name| name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
            .collect();
    }
    let uses = step["uses"].as_str().unwrap_or_default();
    let names: &[&str] = match uses.split('@').next().unwrap() {
        "actions/cache" => &["cache-hit"],
        "actions/upload-artifact" => &["artifact-id", "artifact-url", "artifact-digest"],
        other => panic!("outputs of {other} unknown to this test"),
    };
    names.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn expressions_name_declared_inputs_and_outputs_of_earlier_steps() {
    let action = action();
    let inputs: BTreeSet<&str> = action["inputs"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut used_inputs = BTreeSet::new();
    let mut check = |value: &Value, earlier: &[Value], place: &str| {
        let mut found = Vec::new();
        expressions(value, &mut found);
        for expression in &found {
            for name in names_after(expression, "inputs.") {
                assert!(
                    inputs.contains(name),
                    "{place}: `{expression}` names input {name:?}, not declared"
                );
                used_inputs.insert(name.to_owned());
            }
            for reference in names_after(expression, "steps.") {
                let step = earlier
                    .iter()
                    .find(|s| s["id"] == reference)
                    .unwrap_or_else(|| {
                        panic!(
                            "{place}: `{expression}` names step {reference:?}, not an earlier step"
                        )
                    });
                for output in names_after(expression, &format!("steps.{reference}.outputs.")) {
                    assert!(
                        outputs_of(step).contains(output),
                        "{place}: step {reference:?} sets no output {output:?}"
                    );
                }
            }
        }
    };
    let all = steps(&action);
    for (i, step) in all.iter().enumerate() {
        check(step, &all[..i], &format!("step {:?}", step["name"]));
    }
    check(&action["outputs"], all, "outputs");
    let unused: Vec<_> = inputs
        .iter()
        .filter(|name| !used_inputs.contains(**name))
        .collect();
    assert!(unused.is_empty(), "inputs nothing reads: {unused:?}");
    // Every action used is pinned to a major version.
    for step in all {
        if let Some(uses) = step["uses"].as_str() {
            let (_, version) = uses.split_once('@').expect("pinned");
            assert!(
                version.starts_with('v') && version[1..].parse::<u32>().is_ok(),
                "{uses}"
            );
        }
    }
}

/// Environment variables the runner gives every step.
const RUNNER_VARIABLES: &[&str] = &[
    "RUNNER_TEMP",
    "GITHUB_OUTPUT",
    "GITHUB_PATH",
    "GITHUB_STEP_SUMMARY",
    "PWD",
];

/// Upper-case variables a script reads (`$NAME`, `${NAME…}`).
fn variables_read(script: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let bytes = script.as_bytes();
    for (i, _) in script.match_indices('$') {
        let mut j = i + 1;
        if bytes.get(j) == Some(&b'{') {
            j += 1;
        }
        let len = script[j..]
            .find(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
            .unwrap_or(script.len() - j);
        if len > 0 && bytes[j].is_ascii_uppercase() {
            names.insert(script[j..j + len].to_owned());
        }
    }
    names
}

#[test]
fn run_scripts_take_inputs_through_env_are_bash_and_read_only_what_they_are_given() {
    let action = action();
    for step in steps(&action) {
        let Some(script) = step["run"].as_str() else {
            continue;
        };
        let name = step["name"].as_str().unwrap();
        assert_eq!(
            step["shell"], "bash",
            "{name}: every run step says its shell"
        );
        assert!(
            !script.contains("${{"),
            "{name}: an expression in a script is a script injection; pass it through env:"
        );
        let syntax = Command::new("bash")
            .args(["-n", "-c", script])
            .output()
            .unwrap();
        assert!(syntax.status.success(), "{name}: {}", text(&syntax.stderr));

        let env: BTreeMap<&str, &str> = step["env"]
            .as_object()
            .map(|env| {
                env.iter()
                    .map(|(k, v)| (k.as_str(), v.as_str().unwrap()))
                    .collect()
            })
            .unwrap_or_default();
        for variable in variables_read(script) {
            assert!(
                env.contains_key(variable.as_str())
                    || RUNNER_VARIABLES.contains(&variable.as_str()),
                "{name}: reads ${variable}, which neither env: nor the runner sets"
            );
        }
        // INPUT_FAIL_LEVEL carries inputs.fail-level, and so on.
        for (key, value) in env {
            if let Some(input) = key.strip_prefix("INPUT_") {
                let expected = format!(
                    "${{{{ inputs.{} }}}}",
                    input.to_ascii_lowercase().replace('_', "-")
                );
                assert_eq!(value, expected, "{name}: {key}");
            }
        }
    }
}

// ---- Running the steps as the runner does ----

/// One job's runner folders and files, and a stand-in bin folder.
struct Runner {
    dir: tempfile::TempDir,
}

impl Runner {
    fn new() -> Runner {
        let runner = Runner {
            dir: tempfile::tempdir().unwrap(),
        };
        for folder in ["temp", "bin", "work"] {
            fs::create_dir(runner.dir.path().join(folder)).unwrap();
        }
        runner
    }
    fn temp(&self) -> PathBuf {
        self.dir.path().join("temp")
    }
    fn bin(&self) -> PathBuf {
        self.dir.path().join("bin")
    }
    fn work(&self) -> PathBuf {
        self.dir.path().join("work")
    }
    fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Puts an executable `name` on the step's PATH: a script that logs its
    /// arguments, one per line, to `<name>.args` and runs `body`.
    fn stub(&self, name: &str, body: &str) {
        let path = self.bin().join(name);
        fs::write(
            &path,
            format!(
                "#!/bin/bash\nprintf '%s\\n' \"$@\" > {}\n{body}\n",
                self.file(&format!("{name}.args")).display()
            ),
        )
        .unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    }

    fn stub_args(&self, name: &str) -> Option<Vec<String>> {
        fs::read_to_string(self.file(&format!("{name}.args")))
            .ok()
            .map(|s| s.lines().map(str::to_owned).collect())
    }

    /// The step outputs written to `GITHUB_OUTPUT` so far.
    fn outputs(&self) -> BTreeMap<String, String> {
        fs::read_to_string(self.file("output"))
            .unwrap_or_default()
            .lines()
            .filter_map(|line| line.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }
}

/// What a step's `${{ }}` expressions see.
struct Context<'a> {
    inputs: &'a [(&'a str, &'a str)],
    values: &'a [(&'a str, &'a str)],
}

/// Evaluates an env value: one `${{ name }}` (inputs fall back to their
/// declared defaults) or a literal.
fn evaluate(action: &Value, value: &str, context: &Context) -> String {
    let Some(inner) = value
        .strip_prefix("${{")
        .and_then(|rest| rest.strip_suffix("}}"))
    else {
        assert!(!value.contains("${{"), "unsupported env value {value:?}");
        return value.to_owned();
    };
    let name = inner.trim();
    if let Some(input) = name.strip_prefix("inputs.") {
        if let Some((_, v)) = context.inputs.iter().find(|(k, _)| *k == input) {
            return (*v).to_owned();
        }
        return action["inputs"][input]["default"]
            .as_str()
            .unwrap_or_else(|| panic!("input {input} has no default"))
            .to_owned();
    }
    context
        .values
        .iter()
        .find(|(k, _)| *k == name)
        .map(|(_, v)| (*v).to_owned())
        .unwrap_or_else(|| panic!("the test gives no value for `{name}`"))
}

/// Runs step `name` of the action as the runner does for `shell: bash`.
fn run_step(runner: &Runner, name: &str, context: &Context, extra_env: &[(&str, &str)]) -> Output {
    let action = action();
    let step = step(&action, name);
    let script = runner.file("step.sh");
    fs::write(&script, step["run"].as_str().unwrap()).unwrap();
    let mut command = Command::new("bash");
    command
        .args(["--noprofile", "--norc", "-eo", "pipefail"])
        .arg(&script)
        .env_clear()
        .env(
            "PATH",
            format!("{}:/usr/local/bin:/usr/bin:/bin", runner.bin().display()),
        )
        .env("HOME", runner.dir.path())
        .env("RUNNER_TEMP", runner.temp())
        .env("GITHUB_OUTPUT", runner.file("output"))
        .env("GITHUB_PATH", runner.file("path"))
        .env("GITHUB_STEP_SUMMARY", runner.file("summary"))
        .current_dir(runner.work());
    if let Some(env) = step["env"].as_object() {
        for (key, value) in env {
            command.env(key, evaluate(&action, value.as_str().unwrap(), context));
        }
    }
    if let Some(dir) = step["working-directory"].as_str() {
        command.current_dir(runner.work().join(evaluate(&action, dir, context)));
    }
    command.envs(extra_env.iter().copied());
    command.output().expect("bash runs")
}

fn action_path() -> String {
    root().display().to_string()
}

/// Runs the install step with `version` and `inputs`, downloading from `base`.
fn install(runner: &Runner, version: &str, inputs: &[(&str, &str)], base: &str) -> Output {
    let path = action_path();
    run_step(
        runner,
        "Install guidepress",
        &Context {
            inputs,
            values: &[
                ("steps.version.outputs.version", version),
                ("steps.version.outputs.repository", "guidepress/guidepress"),
                ("github.action_ref", "main"),
                ("github.action_path", &path),
            ],
        },
        &[("GUIDEPRESS_RELEASE_BASE", base)],
    )
}

fn error_lines(output: &Output) -> Vec<String> {
    text(&output.stdout)
        .lines()
        .filter(|line| line.starts_with("::error"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_install_step_installs_the_release_served_on_loopback() {
    let release = Release::of_this_machine();
    let runner = Runner::new();
    runner.stub("cargo", "exit 0");
    let output = install(&runner, &format!("v{VERSION}"), &[], &release.base);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(error_lines(&output).is_empty());
    assert_eq!(runner.stub_args("cargo"), None, "nothing was compiled");
    let binary = runner.temp().join("guidepress/bin/guidepress");
    let version = Command::new(&binary).arg("--version").output().unwrap();
    assert_eq!(
        text(&version.stdout).trim(),
        format!("guidepress {VERSION}")
    );

    // The next step puts it on PATH.
    let output = run_step(
        &runner,
        "Put guidepress on PATH",
        &Context {
            inputs: &[],
            values: &[],
        },
        &[],
    );
    assert!(output.status.success());
    assert_eq!(
        fs::read_to_string(runner.file("path")).unwrap().trim(),
        binary.parent().unwrap().display().to_string()
    );
}

#[test]
fn a_failed_install_fails_the_step_loudly_unless_build_from_source() {
    let tmp_version = format!("v{VERSION}");
    // Each way an install fails: the server down (1), a tampered archive
    // (1), no archive for this machine (3), a branch (no release at all).
    let tampered = {
        let archive = crate::release_support::machine_archive();
        let mut bytes = fs::read(archive).unwrap();
        bytes[100] ^= 0xff;
        Release::serve(
            &tmp_version,
            vec![
                (
                    "SHA256SUMS".into(),
                    crate::release_support::checksum_line(archive).into_bytes(),
                ),
                (
                    archive.file_name().unwrap().to_str().unwrap().to_owned(),
                    bytes,
                ),
            ],
        )
    };
    let elsewhere = Release::serve(
        &tmp_version,
        vec![(
            "SHA256SUMS".into(),
            format!(
                "{}  guidepress-{VERSION}-x86_64-pc-windows-msvc.zip\n",
                "0".repeat(64)
            )
            .into_bytes(),
        )],
    );
    let dead = dead_base();
    let cases: [(&str, &str, &str, &str); 4] = [
        (
            "server down",
            tmp_version.as_str(),
            dead.as_str(),
            "cannot download",
        ),
        (
            "tampered",
            tmp_version.as_str(),
            tampered.base.as_str(),
            "checksum mismatch",
        ),
        (
            "no archive",
            tmp_version.as_str(),
            elsewhere.base.as_str(),
            "has no archive for",
        ),
        ("branch", "source", dead.as_str(), "a branch or commit"),
    ];
    for (case, version, base, reason) in cases {
        let runner = Runner::new();
        runner.stub("cargo", "exit 0");
        let output = install(&runner, version, &[], base);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{case}: {}",
            text(&output.stderr)
        );
        let errors = error_lines(&output);
        assert_eq!(errors.len(), 1, "{case}: {}", text(&output.stdout));
        assert!(
            errors[0].contains(reason) && errors[0].contains("build-from-source: true"),
            "{case}: {}",
            errors[0]
        );
        assert_eq!(runner.stub_args("cargo"), None, "{case}: compiled quietly");
        assert!(!runner.temp().join("guidepress/bin/guidepress").exists());

        // With build-from-source, the step compiles the action's source, and says so.
        let runner = Runner::new();
        runner.stub("cargo", "exit 0");
        let output = install(&runner, version, &[("build-from-source", "true")], base);
        assert!(output.status.success(), "{case}: {}", text(&output.stderr));
        assert!(
            text(&output.stdout).contains("::notice title=guidepress built from source::"),
            "{case}"
        );
        let args = runner.stub_args("cargo").expect("cargo ran");
        let root_dir = runner.temp().join("guidepress").display().to_string();
        let path = action_path();
        assert_eq!(
            args,
            [
                "install", "--locked", "--quiet", "--root", &root_dir, "--path", &path
            ],
            "{case}"
        );
    }

    // A value other than true/false is refused, not read as false.
    let runner = Runner::new();
    let output = install(&runner, "source", &[("build-from-source", "yes")], &dead);
    assert_eq!(output.status.code(), Some(1));
    assert!(error_lines(&output)[0].contains("must be true or false"));
}

/// Runs the version step with the action at `reference` and `inputs`.
fn choose_version(
    reference: &str,
    inputs: &[(&str, &str)],
    api: &str,
) -> (Output, BTreeMap<String, String>) {
    let runner = Runner::new();
    let path = action_path();
    let output = run_step(
        &runner,
        "Choose the version",
        &Context {
            inputs,
            values: &[
                ("github.action_ref", reference),
                ("github.action_path", &path),
                ("github.action_repository", ""),
                ("github.token", ""),
            ],
        },
        &[("GUIDEPRESS_RELEASE_API", api)],
    );
    (output, runner.outputs())
}

#[test]
fn the_version_follows_the_tag_the_action_is_used_at() {
    let api = Release::serve("none", Vec::new());
    api.also(
        "/releases",
        r#"[{"tag_name": "v0.1.0"}, {"tag_name": "v0.3.2"}, {"tag_name": "v0.3.10"}]"#,
    );
    let release = format!("v{VERSION}");
    // At v0.1.0, v0, v0.1 (the tags release.yml makes and moves), or a ref
    // the runner leaves empty: the release of the action's own version.
    for reference in [release.as_str(), "v0", "v0.1", ""] {
        let (output, outputs) = choose_version(reference, &[], &dead_base());
        assert!(
            output.status.success(),
            "{reference}: {}",
            text(&output.stderr)
        );
        assert_eq!(outputs["version"], release, "@{reference}");
        assert_eq!(outputs["repository"], "guidepress/guidepress");
    }
    // At a branch or commit: no release matches the source.
    let (_, outputs) = choose_version("main", &[], &dead_base());
    assert_eq!(outputs["version"], "source");
    // A version input: exact, or the newest release it prefixes.
    for (input, expected) in [
        ("v0.1.0", "v0.1.0"),
        ("0.1.0", "v0.1.0"),
        ("v0.3", "v0.3.10"),
        ("v0", "v0.3.10"),
    ] {
        let (output, outputs) = choose_version("v0", &[("version", input)], &api.base);
        assert!(output.status.success(), "{input}: {}", text(&output.stderr));
        assert_eq!(outputs["version"], expected, "version: {input}");
    }
    // One that matches nothing fails the step, saying so.
    let (output, _) = choose_version("v0", &[("version", "v7")], &api.base);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stdout).contains("::error title=guidepress version::"));
}

/// Runs the Run step with a stand-in guidepress that logs its arguments, in
/// a git repository with one committed guide and one changed since.
fn run_command(inputs: &[(&str, &str)]) -> (Runner, Output) {
    let runner = Runner::new();
    runner.stub("guidepress", "exit 0");
    let work = runner.work();
    let git = |args: &[&str]| {
        let output = Command::new("git")
            .args(args)
            .current_dir(&work)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", runner.dir.path())
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "git {args:?}: {}",
            text(&output.stderr)
        );
    };
    git(&["init", "-q", "-b", "main"]);
    fs::create_dir_all(work.join("content/guides")).unwrap();
    fs::write(work.join("content/guides/old.yaml"), "title: Old\n").unwrap();
    fs::write(work.join("content/guides/kept.yaml"), "title: Kept\n").unwrap();
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "base"]);
    git(&["branch", "base"]);
    fs::write(work.join("content/guides/new.yaml"), "title: New\n").unwrap();
    fs::write(work.join("content/guides/notes.md"), "not YAML\n").unwrap();
    fs::write(work.join("README.yaml"), "outside: content\n").unwrap();
    fs::remove_file(work.join("content/guides/old.yaml")).unwrap();
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "change"]);
    let output = run_step(
        &runner,
        "Run",
        &Context {
            inputs,
            values: &[],
        },
        &[],
    );
    (runner, output)
}

/// `guidepress COMMAND --help` of the real binary names `flag`.
fn takes_flag(command: &str, flag: &str) -> bool {
    let help = Command::new(BIN)
        .args([command, "--help"])
        .output()
        .unwrap();
    text(&help.stdout)
        .split(|c: char| c.is_whitespace() || c == ',' || c == '=' || c == '[' || c == '<')
        .any(|word| word == flag)
}

#[test]
fn each_command_gets_only_flags_it_takes_and_changed_since_where_it_applies() {
    let all = [
        ("format", "concise"),
        ("fail-level", "warning"),
        ("sarif", "out.sarif"),
        ("changed-since", "base"),
        ("out", "pages"),
    ];
    for command in ["check", "links", "preview"] {
        let mut inputs = vec![("command", command)];
        inputs.extend(all);
        let (runner, output) = run_command(&inputs);
        assert!(
            output.status.success(),
            "{command}: {}",
            text(&output.stdout)
        );
        let args = runner.stub_args("guidepress").expect("guidepress ran");
        assert_eq!(args[0], command);
        // Every flag the action passes is one the real command takes.
        for flag in args.iter().filter(|a| a.starts_with("--")) {
            assert!(
                takes_flag(command, flag),
                "`guidepress {command}` has no {flag}"
            );
        }
        let changed_since = args.iter().any(|a| a == "--changed-since");
        assert_eq!(changed_since, command == "check", "{command}: {args:?}");
        if command != "check" {
            // links and preview get the YAML files changed since the reference,
            // under content/: not the deleted one, the untouched one, or others.
            assert_eq!(args.last().unwrap(), "content/guides/new.yaml", "{args:?}");
            assert!(
                !args
                    .iter()
                    .any(|a| a.contains("kept") || a.contains("old") || a.contains("README"))
            );
        }
        if command == "preview" {
            assert_eq!(
                runner.outputs()["preview-dir"],
                runner.work().join("pages").display().to_string()
            );
        } else {
            assert!(!runner.outputs().contains_key("preview-dir"));
        }
    }
    // The real check takes --changed-since; links, preview and publish do not
    // (so the action must not pass it to them).
    assert!(takes_flag("check", "--changed-since"));
    for command in ["links", "preview", "publish"] {
        assert!(!takes_flag(command, "--changed-since"), "{command}");
    }

    // publish with changed-since: refused, loudly.
    let (runner, output) = run_command(&[("command", "publish"), ("changed-since", "base")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stdout).contains("::error title=guidepress changed-since::"));
    assert_eq!(runner.stub_args("guidepress"), None);
    // publish without: `publish` and the extra arguments.
    let (runner, output) = run_command(&[("command", "publish"), ("args", "--dry-run")]);
    assert!(output.status.success());
    assert_eq!(
        runner.stub_args("guidepress").unwrap(),
        ["publish", "--dry-run"]
    );
    // Nothing changed since the reference: nothing to preview, no artifact.
    let (runner, output) = run_command(&[("command", "preview"), ("changed-since", "HEAD")]);
    assert!(output.status.success());
    assert!(text(&output.stdout).contains("nothing to preview"));
    assert_eq!(runner.stub_args("guidepress"), None);
    assert!(!runner.outputs().contains_key("preview-dir"));
    // An unknown command.
    let (_, output) = run_command(&[("command", "lint")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stdout).contains("must be check, links, preview, review or publish"));
}

#[test]
fn review_gets_the_token_as_github_token_and_only_flags_it_takes() {
    let runner = Runner::new();
    runner.stub(
        "guidepress",
        &format!(
            "printf '%s' \"${{GITHUB_TOKEN:-unset}}\" > {}",
            runner.file("token").display()
        ),
    );
    let inputs = [
        ("command", "review"),
        ("token", "t0ken-from-input"),
        ("fail-level", "warning"),
        ("args", "--no-annotations"),
    ];
    let context = Context {
        inputs: &inputs,
        values: &[],
    };
    let output = run_step(&runner, "Run", &context, &[]);
    assert!(output.status.success(), "{}", text(&output.stdout));
    let args = runner.stub_args("guidepress").unwrap();
    assert_eq!(
        args,
        ["review", "--fail-level", "warning", "--no-annotations"]
    );
    for flag in args.iter().filter(|a| a.starts_with("--")) {
        assert!(
            takes_flag("review", flag),
            "`guidepress review` has no {flag}"
        );
    }
    assert_eq!(
        fs::read_to_string(runner.file("token")).unwrap(),
        "t0ken-from-input"
    );
    // Other commands do not get it as GITHUB_TOKEN.
    let inputs = [("command", "publish"), ("token", "t0ken-from-input")];
    let context = Context {
        inputs: &inputs,
        values: &[],
    };
    let output = run_step(&runner, "Run", &context, &[]);
    assert!(output.status.success(), "{}", text(&output.stdout));
    assert_eq!(fs::read_to_string(runner.file("token")).unwrap(), "unset");
    // The token input says what the job needs.
    let action = action();
    let description = action["inputs"]["token"]["description"].as_str().unwrap();
    assert!(
        description.contains("pull-requests: write"),
        "{description}"
    );
    assert_eq!(action["inputs"]["token"]["default"], "${{ github.token }}");
}

#[test]
fn the_command_description_and_the_readme_name_the_commands_the_action_runs() {
    let action = action();
    let description = action["inputs"]["command"]["description"].as_str().unwrap();
    let script = step(&action, "Run")["run"].as_str().unwrap();
    for command in ["check", "links", "preview", "review", "publish"] {
        assert!(description.contains(command), "{description}");
        assert!(
            script.contains(&format!("{command})"))
                || script.contains(&format!("{command} |"))
                || script.contains(&format!("| {command}")),
            "{command}"
        );
    }
    // The examples of the README and the site use the action at the moving
    // major tag and only inputs it declares.
    let inputs = action["inputs"].as_object().unwrap();
    let mut uses = 0;
    for (page, text) in crate::common::documentation() {
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let Some(at) = line.find("uses: guidepress/guidepress@") else {
                continue;
            };
            uses += 1;
            let reference = line[at + "uses: guidepress/guidepress@".len()..].trim();
            assert!(reference == "v0" || reference.starts_with("v0."), "{line}");
            let indent = at;
            let mut j = i + 1;
            while j < lines.len()
                && lines[j].trim() != "with:"
                && lines[j].len() > indent
                && lines[j].starts_with(&" ".repeat(indent))
                && !lines[j].trim_start().starts_with('-')
            {
                j += 1;
            }
            if j < lines.len() && lines[j].trim() == "with:" {
                let with_indent = lines[j].len() - lines[j].trim_start().len();
                for line in &lines[j + 1..] {
                    let indent = line.len() - line.trim_start().len();
                    if line.trim().is_empty() || indent <= with_indent {
                        break;
                    }
                    let key = line.trim().split(':').next().unwrap();
                    assert!(
                        inputs.contains_key(key),
                        "{} uses input {key:?}, not declared",
                        page.display()
                    );
                }
            }
        }
    }
    assert!(uses > 0, "the documentation shows the action");
}

#[test]
fn the_release_workflow_moves_the_major_and_minor_tags_and_only_builds_release_tags() {
    let workflow = fs::read_to_string(root().join(".github/workflows/release.yml")).unwrap();
    let value = load_yaml(&workflow).expect("release.yml is YAML");
    let tags = value["on"]["push"]["tags"][0].as_str().unwrap();
    // GitHub's tag filter: `+` repeats the class before it.
    assert_eq!(tags, "v[0-9]+.[0-9]+.[0-9]+*");
    let job = &value["jobs"]["moving-tags"];
    assert_eq!(job["needs"], "release");
    assert_eq!(job["permissions"]["contents"], "write");
    let script = job["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|s| s["run"].as_str())
        .unwrap();

    // Its script against a repository with tags: v0 and v0.1 move to the
    // newest release, never backwards.
    let tmp = tempfile::tempdir().unwrap();
    let origin = tmp.path().join("origin.git");
    let work = tmp.path().join("work");
    let git = |dir: &Path, args: &[&str]| {
        let output = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", tmp.path())
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "git {args:?}: {}",
            text(&output.stderr)
        );
        text(&output.stdout).trim().to_owned()
    };
    fs::create_dir_all(&work).unwrap();
    git(
        tmp.path(),
        &["init", "-q", "--bare", origin.to_str().unwrap()],
    );
    git(&work, &["init", "-q", "-b", "main"]);
    git(
        &work,
        &["remote", "add", "origin", origin.to_str().unwrap()],
    );
    for tag in ["v0.1.0", "v0.1.1", "v0.2.0"] {
        git(&work, &["commit", "-q", "--allow-empty", "-m", tag]);
        git(&work, &["tag", tag]);
    }
    git(&work, &["push", "-q", "origin", "main", "--tags"]);
    let move_tags = |tag: &str| {
        let output = Command::new("bash")
            .args(["-e", "-c", script])
            .current_dir(&work)
            .env("TAG", tag)
            .env("HOME", tmp.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", text(&output.stderr));
    };
    let at = |tag: &str| git(&origin, &["rev-parse", &format!("{tag}^{{commit}}")]);
    move_tags("v0.2.0");
    assert_eq!(at("v0"), at("v0.2.0"));
    assert_eq!(at("v0.2"), at("v0.2.0"));
    // A patch to the older line moves v0.1 only.
    move_tags("v0.1.1");
    assert_eq!(at("v0.1"), at("v0.1.1"));
    assert_eq!(at("v0"), at("v0.2.0"));
}
