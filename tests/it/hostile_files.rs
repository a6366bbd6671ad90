//! Hostile repositories and odd files, as an attacker would lay them out:
//! links planted where guidepress writes, FIFOs and devices where it reads,
//! oversized input, raised depth limits, missing roots, CR line endings, a
//! byte order mark, control characters, numbers out of range. Each case runs
//! the real binary and asserts it neither overwrites, hangs nor crashes.
#![cfg(unix)]

use crate::common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use crate::common::cli::text;

fn command(dir: &Path, args: &[&str]) -> Command {
    let mut command = common::cli::command(dir, args);
    command
        .env("NO_COLOR", "1")
        // The link cache key, so that no key file is made in the home folder.
        .env("GUIDEPRESS_LINKS_CACHE_KEY", "test key");
    command
}

/// Runs guidepress, failing the test if it has not finished within 60 s (a hang).
fn guidepress(dir: &Path, args: &[&str]) -> Output {
    let child = command(dir, args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("guidepress runs");
    let pid = child.id();
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || sender.send(child.wait_with_output()));
    match receiver.recv_timeout(Duration::from_secs(60)) {
        Ok(output) => output.expect("output"),
        Err(_) => {
            // SAFETY: signals the child this test started.
            unsafe { libc::kill(pid as i32, libc::SIGKILL) };
            panic!("guidepress {args:?} hung");
        }
    }
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success());
}

/// A repository with `config` as guidepress.toml and an empty content folder.
fn repo(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("guidepress.toml"), config).unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    dir
}

const NO_SCHEMAS: &str = "schemas = []\n";

/// A loopback server answering 200 to every request, with its address and
/// how many requests it has had.
fn ok_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::Read;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let hits = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let mut buffer = [0; 4096];
            let _ = stream.read(&mut buffer);
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
    });
    (address, hits)
}

#[test]
fn links_cache_planted_as_a_link_or_fifo_is_never_followed_or_waited_on() {
    let dir = repo(NO_SCHEMAS);
    std::fs::write(
        dir.path().join("content/g.yaml"),
        "url: https://a.example/x\n",
    )
    .unwrap();
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim");
    std::fs::write(&victim, "precious").unwrap();
    std::fs::create_dir_all(dir.path().join(".guidepress")).unwrap();
    let cache = dir.path().join(".guidepress/links-cache.json");

    // A FIFO at the cache path: a warning, no hang.
    mkfifo(&cache);
    let out = guidepress(
        dir.path(),
        &["links", "--offline", "--output-format", "concise"],
    );
    assert!(
        text(&out.stdout).contains("GP407") && text(&out.stdout).contains("FIFO"),
        "{}",
        text(&out.stdout)
    );
    std::fs::remove_file(&cache).unwrap();

    // A link at the cache path, to a file outside: read as foreign or
    // damaged, and never written through by a run that checks a link (and
    // so saves the cache: the same run without the link writes it).
    let (server, hits) = ok_server();
    let checking = format!(
        "{NO_SCHEMAS}[links]\nallow_net = [\"127.0.0.1\"]\nmax_retries = 0\nhost_interval = 0\n"
    );
    let control = repo(&checking);
    std::fs::write(
        control.path().join("content/g.yaml"),
        format!("url: {server}/x\n"),
    )
    .unwrap();
    let out = guidepress(control.path(), &["links"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let saved = control.path().join(".guidepress/links-cache.json");
    assert!(
        std::fs::read_to_string(&saved).is_ok_and(|t| t.contains("/x")),
        "a checking run saves the cache"
    );
    std::fs::write(dir.path().join("guidepress.toml"), &checking).unwrap();
    std::fs::write(
        dir.path().join("content/g.yaml"),
        format!("url: {server}/y\n"),
    )
    .unwrap();
    std::os::unix::fs::symlink(&victim, &cache).unwrap();
    let asked = hits.load(std::sync::atomic::Ordering::SeqCst);
    let out = guidepress(dir.path(), &["links", "--output-format", "concise"]);
    assert!(
        hits.load(std::sync::atomic::Ordering::SeqCst) > asked,
        "the link was checked"
    );
    assert!(text(&out.stdout).contains("GP407"), "{}", text(&out.stdout));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    std::fs::write(dir.path().join("guidepress.toml"), NO_SCHEMAS).unwrap();
    // A link to a device: refused without reading (a link at the cache path
    // leads out of the repository, so it is not even opened).
    std::fs::remove_file(&cache).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &cache).unwrap();
    let out = guidepress(
        dir.path(),
        &["links", "--offline", "--output-format", "concise"],
    );
    assert!(
        text(&out.stdout).contains(
            ".guidepress/links-cache.json:1:1: warning GP407 The link cache was not used: `.guidepress/links-cache.json` is a symbolic link to `/dev/zero`"
        ),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn report_files_replace_a_planted_link_instead_of_writing_through_it() {
    let dir = repo(NO_SCHEMAS);
    std::fs::write(dir.path().join("content/g.yaml"), "a: 1\n").unwrap();
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim");
    std::fs::write(&victim, "precious").unwrap();
    let sarif = dir.path().join("out.sarif");
    let summary = dir.path().join("summary.md");
    std::os::unix::fs::symlink(&victim, &sarif).unwrap();
    std::os::unix::fs::symlink(&victim, &summary).unwrap();
    let out = guidepress(
        dir.path(),
        &["check", "--sarif", "out.sarif", "--summary", "summary.md"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert!(std::fs::symlink_metadata(&sarif).unwrap().is_file());
    assert!(std::fs::read_to_string(&sarif).unwrap().contains("2.1.0"));
    assert!(
        std::fs::read_to_string(&summary)
            .unwrap()
            .contains("guidepress")
    );
    // The step summary is appended to, never through a link.
    let step = dir.path().join("step.md");
    std::os::unix::fs::symlink(&victim, &step).unwrap();
    let out = command(dir.path(), &["check"])
        .env("GITHUB_STEP_SUMMARY", &step)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
}

#[test]
fn fifos_devices_and_oversized_input_get_a_finding_never_a_hang() {
    let dir = repo(NO_SCHEMAS);
    let fifo = dir.path().join("content/pipe.yaml");
    mkfifo(&fifo);
    // Found by the folder walk and named directly, by check and dump.
    for args in [
        &["check", "--output-format", "concise"][..],
        &["check", "--output-format", "concise", "content/pipe.yaml"],
        &["dump", "content/pipe.yaml"],
        &["dump", "/dev/zero"],
    ] {
        let out = guidepress(dir.path(), args);
        let shown = text(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {shown}");
        assert!(shown.contains("GP100"), "{args:?}: {shown}");
        assert!(shown.contains("not a regular file"), "{args:?}: {shown}");
    }
    // Standard input is read up to max_file_size (1 MiB), no further.
    let mut child = command(dir.path(), &["dump", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let chunk = vec![b'a'; 1 << 20];
        for _ in 0..50 {
            if stdin.write_all(&chunk).is_err() {
                break;
            }
        }
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("GP107"), "{}", text(&out.stdout));
    assert!(out.stdout.len() < 10_000, "the input is not echoed");
    // Small input on stdin works.
    let mut child = command(dir.path(), &["dump", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"a: 1\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(text(&out.stdout), "{\n  \"a\": 1\n}\n");
}

fn deep_list(depth: usize) -> String {
    // `extra` holds `depth` nested block lists: the document is depth + 1 deep.
    let mut yaml = String::from("extra:\n");
    for level in 0..depth - 1 {
        yaml.push_str(&" ".repeat(2 * level + 2));
        yaml.push_str("-\n");
    }
    yaml.push_str(&" ".repeat(2 * depth));
    yaml.push_str("- leaf\n");
    yaml
}

#[test]
fn the_depth_limit_is_capped_where_every_stage_survives() {
    // A recursive schema walks every level, and fails at the deepest.
    let schema = r##"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object",
        "properties":{"extra":{"$ref":"#/$defs/n"}},
        "$defs":{"n":{"anyOf":[{"type":"array","items":{"$ref":"#/$defs/n"}},{"type":"integer"}]}}}"##;
    let dir = repo(
        "[limits]\nmax_depth = 1000\n[[schemas]]\nfiles = \"content/*.yaml\"\nschema = \"deep.schema.json\"\n",
    );
    std::fs::write(dir.path().join("deep.schema.json"), schema).unwrap();
    std::fs::write(dir.path().join("content/deep.yaml"), deep_list(999)).unwrap();
    for args in [
        &["check", "--output-format", "concise"][..],
        &["check", "--schema", "deep.schema.json", "content/deep.yaml"],
        &["links", "--offline"],
    ] {
        let out = guidepress(dir.path(), args);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{args:?} crashed: {:?} {}",
            out.status,
            text(&out.stderr)
        );
    }
    let out = guidepress(dir.path(), &["dump", "content/deep.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // One level more is GP108.
    std::fs::write(dir.path().join("content/deep.yaml"), deep_list(1000)).unwrap();
    let out = guidepress(dir.path(), &["check", "--output-format", "concise"]);
    assert!(text(&out.stdout).contains("GP108"), "{}", text(&out.stdout));
    // A limit above the cap is a configuration error.
    std::fs::write(
        dir.path().join("guidepress.toml"),
        "[limits]\nmax_depth = 1000000\n",
    )
    .unwrap();
    let out = guidepress(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("max_depth"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn flow_nesting_past_the_parser_limit_is_gp108_at_the_bracket() {
    let dir = repo(&format!("{NO_SCHEMAS}[limits]\nmax_depth = 1000\n"));
    let yaml = format!("a: {}{}\n", "[".repeat(300), "]".repeat(300));
    std::fs::write(dir.path().join("content/flow.yaml"), yaml).unwrap();
    let out = guidepress(dir.path(), &["check", "--output-format", "concise"]);
    let shown = text(&out.stdout);
    // "a: " then 255 brackets: the 256th is at column 259.
    assert!(
        shown.contains("content/flow.yaml:1:259: error GP108"),
        "{shown}"
    );
}

#[test]
fn a_missing_or_file_content_root_is_an_error() {
    let dir = repo(&format!("{NO_SCHEMAS}[content]\nroots = [\"contnet\"]\n"));
    let out = guidepress(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("contnet"),
        "{}",
        text(&out.stderr)
    );
    std::fs::write(dir.path().join("contnet"), "a file").unwrap();
    let out = guidepress(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn positions_count_cr_line_breaks_and_skip_a_byte_order_mark() {
    let dir = repo(NO_SCHEMAS);
    std::fs::write(dir.path().join("content/cr.yaml"), "a: 1\rb: 2\rc: d: e\r").unwrap();
    std::fs::write(dir.path().join("content/bom.yaml"), "\u{feff}a: b: c\n").unwrap();
    let out = guidepress(dir.path(), &["check", "--output-format", "concise"]);
    let shown = text(&out.stdout);
    assert!(
        shown.contains("content/cr.yaml:3:5: error GP101"),
        "{shown}"
    );
    assert!(
        shown.contains("content/bom.yaml:1:5: error GP101"),
        "{shown}"
    );
}

#[test]
fn numbers_out_of_range_are_reported_as_such() {
    let dir = repo(NO_SCHEMAS);
    std::fs::write(dir.path().join("content/n.yaml"), "a: 1e400\nb: -1e999\n").unwrap();
    let out = guidepress(dir.path(), &["check", "--output-format", "concise"]);
    let shown = text(&out.stdout);
    assert!(
        shown.contains("content/n.yaml:1:4: error GP207 The number `1e400` is out of range"),
        "{shown}"
    );
    assert!(shown.contains("content/n.yaml:2:4: error GP207"), "{shown}");
}

#[test]
fn control_characters_from_files_are_escaped_in_every_human_format() {
    let dir = repo(NO_SCHEMAS);
    std::fs::write(
        dir.path().join("content/ctl.yaml"),
        "k\u{1b}[2J\u{7}: 1\nk\u{1b}[2J\u{7}: 2\r\u{202e}x: 3\n",
    )
    .unwrap();
    for format in ["full", "concise", "github", "markdown"] {
        let out = guidepress(dir.path(), &["check", "--output-format", format]);
        let shown = text(&out.stdout);
        assert!(shown.contains("GP102"), "{format}: {shown}");
        assert!(
            !shown.contains(['\u{1b}', '\u{7}', '\r', '\u{202e}']),
            "{format} printed a control character: {shown:?}"
        );
        assert!(shown.contains("k\\x1B[2J\\x07"), "{format}: {shown}");
    }
}

#[test]
fn symbolic_links_in_the_walk_are_followed_inside_and_reported_outside() {
    let dir = repo(NO_SCHEMAS);
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.yaml"), "token: hunter2\n").unwrap();
    std::fs::create_dir_all(dir.path().join("shared")).unwrap();
    std::fs::write(dir.path().join("shared/real.yaml"), "a: 1\na: 2\n").unwrap();
    std::os::unix::fs::symlink(
        dir.path().join("shared/real.yaml"),
        dir.path().join("content/inside.yaml"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.yaml"),
        dir.path().join("content/outside.yaml"),
    )
    .unwrap();
    std::os::unix::fs::symlink(dir.path().join("content"), dir.path().join("content/loop"))
        .unwrap();
    let out = guidepress(dir.path(), &["check", "--output-format", "concise"]);
    let shown = text(&out.stdout);
    assert!(
        shown.contains("content/inside.yaml:2:1: error GP102"),
        "{shown}"
    );
    assert_eq!(
        shown.matches("content/outside.yaml").count(),
        1,
        "reported once: {shown}"
    );
    assert!(shown.contains("outside the repository"), "{shown}");
    assert!(!shown.contains("hunter2"), "{shown}");
}

#[test]
fn fix_writes_through_a_link_and_never_replaces_it() {
    let dir =
        repo("[[schemas]]\nfiles = \"content/*.yaml\"\nschema = \"any.json\"\nkind = \"guide\"\n");
    std::fs::write(dir.path().join("any.json"), "{}").unwrap();
    std::fs::create_dir_all(dir.path().join("shared")).unwrap();
    // An unused suppression has a safe fix (it deletes the comment).
    let guide = "# guidepress: ignore-file[GP301] not needed\na: 1\n";
    std::fs::write(dir.path().join("shared/real.yaml"), guide).unwrap();
    let link = dir.path().join("content/linked.yaml");
    std::os::unix::fs::symlink(dir.path().join("shared/real.yaml"), &link).unwrap();
    let out = guidepress(dir.path(), &["check", "--fix", "content/linked.yaml"]);
    assert!(
        text(&out.stderr).contains("Fixed 1 finding"),
        "{}",
        text(&out.stderr)
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("shared/real.yaml")).unwrap(),
        "a: 1\n"
    );
    // A link to a file outside the working folder is refused.
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("victim.yaml"), guide).unwrap();
    let link = dir.path().join("content/out.yaml");
    std::os::unix::fs::symlink(outside.path().join("victim.yaml"), &link).unwrap();
    let out = guidepress(dir.path(), &["check", "--fix", "content/out.yaml"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("symbolic link"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(outside.path().join("victim.yaml")).unwrap(),
        guide
    );
    let left: Vec<_> = std::fs::read_dir(dir.path().join("shared"))
        .unwrap()
        .chain(std::fs::read_dir(outside.path()).unwrap())
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

#[test]
fn a_schema_ref_to_a_sibling_file_resolves_and_remote_refs_are_refused() {
    let dir = repo("[[schemas]]\nfiles = \"content/*.yaml\"\nschema = \"schemas/main.json\"\n");
    std::fs::create_dir_all(dir.path().join("schemas")).unwrap();
    std::fs::write(
        dir.path().join("schemas/main.json"),
        r#"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"n":{"$ref":"common.json#/$defs/count"}}}"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("schemas/common.json"),
        r#"{"$defs":{"count":{"type":"integer"}}}"#,
    )
    .unwrap();
    std::fs::write(dir.path().join("content/g.yaml"), "n: many\n").unwrap();
    let out = guidepress(dir.path(), &["check", "--output-format", "concise"]);
    let shown = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{shown}{}", text(&out.stderr));
    assert!(shown.contains("content/g.yaml:1:4: error GP203"), "{shown}");
    // A remote reference is never fetched: the schema is refused.
    std::fs::write(
        dir.path().join("schemas/main.json"),
        r#"{"properties":{"n":{"$ref":"http://127.0.0.1:9/x.json"}}}"#,
    )
    .unwrap();
    let out = guidepress(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("never fetched"),
        "{}",
        text(&out.stderr)
    );
}
