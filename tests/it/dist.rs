//! Release packaging: `scripts/dist.sh` builds an archive with the binary,
//! completions and man pages and a checksum; `scripts/install-release.sh`
//! (used by the GitHub Action and the pre-commit hooks) downloads it,
//! verifies the checksum and installs it, from local files (`file://`) or a
//! real HTTP server on loopback, never the network. The archive packages the
//! test build of the binary (`--binary`), so no release build is needed.

use crate::common;
use crate::release_support::{self, Release, VERSION, dead_base, machine_archive, root};

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The triple the archives are named after in these tests (any would do: the
/// scripts take it as given).
const TRIPLE: &str = "x86_64-unknown-linux-gnu";

fn run(command: &mut Command) -> Output {
    command.output().expect("the command starts")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn build_archive(out: &Path) -> PathBuf {
    release_support::build_archive_for(out, TRIPLE)
}

/// Lays out `<base>/v<version>/` as a release does: the archive, its
/// `.sha256`, and `SHA256SUMS` listing it.
fn release_folder(base: &Path, archive: &Path) {
    let folder = base.join(format!("v{VERSION}"));
    fs::create_dir_all(&folder).unwrap();
    let name = archive.file_name().unwrap();
    fs::copy(archive, folder.join(name)).unwrap();
    let sum = PathBuf::from(format!("{}.sha256", archive.display()));
    fs::copy(&sum, folder.join(sum.file_name().unwrap())).unwrap();
    fs::copy(&sum, folder.join("SHA256SUMS")).unwrap();
}

fn install(base: &Path, dest: &Path, version: &str) -> Output {
    run(Command::new("bash")
        .arg(common::repo_path("scripts/install-release.sh"))
        .args(["--version", version, "--target", TRIPLE, "--base"])
        .arg(format!("file://{}", base.display()))
        .arg("--dest")
        .arg(dest))
}

/// install-release.sh for this machine's triple from `base` (any URL).
fn install_from(base: &str, dest: &Path, version: &str) -> Output {
    run(Command::new("bash")
        .arg(root().join("scripts/install-release.sh"))
        .args(["--version", version, "--dest"])
        .arg(dest)
        .env("GUIDEPRESS_RELEASE_BASE", base)
        .env_remove("GUIDEPRESS_REPOSITORY"))
}

#[test]
fn dist_archive_holds_the_binary_completions_man_pages_and_a_matching_checksum() {
    let tmp = tempfile::tempdir().unwrap();
    let archive = build_archive(tmp.path());
    let name = format!("guidepress-{VERSION}-{TRIPLE}");
    assert_eq!(
        archive.file_name().unwrap().to_str().unwrap(),
        format!("{name}.tar.gz")
    );

    let listing = run(Command::new("tar").arg("-tzf").arg(&archive));
    assert!(listing.status.success());
    let listing = text(&listing.stdout);
    for member in [
        "guidepress",
        "README.md",
        "LICENSE",
        "CHANGELOG.md",
        "completions/guidepress.bash",
        "completions/_guidepress",
        "completions/guidepress.fish",
        "completions/guidepress.elv",
        "completions/_guidepress.ps1",
        "man/guidepress.1",
        "man/guidepress-check.1",
        "man/guidepress-publish.1",
    ] {
        let path = format!("{name}/{member}");
        assert!(
            listing.lines().any(|line| line == path),
            "{path} missing from the archive:\n{listing}"
        );
    }

    // The checksum file verifies the archive, in `sha256sum -c` form.
    let check = run(Command::new("sha256sum")
        .arg("-c")
        .arg(format!("{name}.tar.gz.sha256"))
        .current_dir(tmp.path()));
    assert!(check.status.success(), "{}", text(&check.stdout));

    // The packaged binary runs and is this version; the man page documents
    // the command's flags and the completions name its subcommands.
    let unpack = tmp.path().join("unpacked");
    fs::create_dir(&unpack).unwrap();
    let untar = run(Command::new("tar")
        .arg("-xzf")
        .arg(&archive)
        .arg("-C")
        .arg(&unpack));
    assert!(untar.status.success());
    let packaged = unpack.join(&name);
    let version = run(Command::new(packaged.join("guidepress")).arg("--version"));
    assert_eq!(
        text(&version.stdout).trim(),
        format!("guidepress {VERSION}")
    );
    let man = fs::read_to_string(packaged.join("man/guidepress-check.1")).unwrap();
    assert!(
        man.starts_with(".ie"),
        "not roff: {}",
        &man[..80.min(man.len())]
    );
    assert!(man.contains(".TH guidepress-check"), "{man}");
    assert!(
        man.contains("unsafe\\-fixes"),
        "check's flags are on its page"
    );
    let bash = fs::read_to_string(packaged.join("completions/guidepress.bash")).unwrap();
    assert!(
        bash.contains("publish"),
        "completions cover the subcommands"
    );
}

#[test]
fn install_release_verifies_the_checksum_before_installing() {
    let tmp = tempfile::tempdir().unwrap();
    let archive = build_archive(&tmp.path().join("dist"));
    let base = tmp.path().join("releases");
    release_folder(&base, &archive);

    let dest = tmp.path().join("bin");
    let output = install(&base, &dest, &format!("v{VERSION}"));
    assert!(output.status.success(), "{}", text(&output.stderr));
    let version = run(Command::new(dest.join("guidepress")).arg("--version"));
    assert_eq!(
        text(&version.stdout).trim(),
        format!("guidepress {VERSION}")
    );

    // A tampered archive is refused (exit 1) and nothing is installed.
    let tampered_dest = tmp.path().join("bin-tampered");
    let released = base
        .join(format!("v{VERSION}"))
        .join(archive.file_name().unwrap());
    let mut bytes = fs::read(&released).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    fs::write(&released, bytes).unwrap();
    let output = install(&base, &tampered_dest, &format!("v{VERSION}"));
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert!(
        text(&output.stderr).contains("checksum mismatch"),
        "{}",
        text(&output.stderr)
    );
    assert!(!tampered_dest.join("guidepress").exists());
}

#[test]
fn install_release_exits_3_only_when_the_release_has_no_archive_for_the_machine() {
    let tmp = tempfile::tempdir().unwrap();
    let archive = build_archive(&tmp.path().join("dist"));
    let base = tmp.path().join("releases");
    release_folder(&base, &archive);
    let dest = tmp.path().join("bin");

    // The release exists but lists no archive for this triple: 3, the one
    // status on which a caller may build from source.
    let output = run(Command::new("bash")
        .arg(root().join("scripts/install-release.sh"))
        .args(["--version", &format!("v{VERSION}")])
        .args(["--target", "riscv64gc-unknown-linux-gnu", "--base"])
        .arg(format!("file://{}", base.display()))
        .arg("--dest")
        .arg(&dest));
    assert_eq!(output.status.code(), Some(3), "{}", text(&output.stderr));
    assert!(
        text(&output.stderr).contains("has no archive for riscv64gc-unknown-linux-gnu"),
        "{}",
        text(&output.stderr)
    );

    // No such release: 1 (nothing to build from source for).
    let output = install(&base, &dest, "v9.9.9");
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert!(
        text(&output.stderr).contains("no release v9.9.9"),
        "{}",
        text(&output.stderr)
    );
    // A branch name is not a release: 1.
    let output = install(&base, &dest, "main");
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert!(!dest.join("guidepress").exists());
}

#[test]
fn install_release_over_http_verifies_the_checksum_and_installs() {
    let release = Release::of_this_machine();
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join("bin");
    let output = install_from(&release.base, &dest, &format!("v{VERSION}"));
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let version = run(Command::new(dest.join("guidepress")).arg("--version"));
    assert_eq!(
        text(&version.stdout).trim(),
        format!("guidepress {VERSION}")
    );
    // The list of checksums was read before the archive.
    let name = machine_archive().file_name().unwrap().to_str().unwrap();
    assert_eq!(
        release.requested(),
        [
            format!("/v{VERSION}/SHA256SUMS"),
            format!("/v{VERSION}/{name}")
        ]
    );
    // A bare version (no `v`) names the same release.
    let dest = tmp.path().join("bin-bare");
    let output = install_from(&release.base, &dest, VERSION);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(dest.join("guidepress").is_file());
}

#[test]
fn install_release_over_http_refuses_an_archive_whose_checksum_differs() {
    let archive = machine_archive();
    let name = archive.file_name().unwrap().to_str().unwrap().to_owned();
    let mut bytes = fs::read(archive).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    let release = Release::serve(
        &format!("v{VERSION}"),
        vec![
            (
                "SHA256SUMS".into(),
                release_support::checksum_line(archive).into_bytes(),
            ),
            (name, bytes),
        ],
    );
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join("bin");
    let output = install_from(&release.base, &dest, &format!("v{VERSION}"));
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert!(
        text(&output.stderr).contains("checksum mismatch"),
        "{}",
        text(&output.stderr)
    );
    assert!(!dest.exists(), "nothing is installed, not even the folder");
}

#[test]
fn install_release_exits_1_when_the_server_is_down_or_the_release_is_missing() {
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join("bin");
    let output = install_from(&dead_base(), &dest, &format!("v{VERSION}"));
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert!(
        text(&output.stderr).contains("cannot download"),
        "{}",
        text(&output.stderr)
    );

    // The server answers, but has no such release (404).
    let release = Release::serve("v0.0.1", Vec::new());
    let output = install_from(&release.base, &dest, &format!("v{VERSION}"));
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert!(
        text(&output.stderr).contains(&format!("no release v{VERSION}")),
        "{}",
        text(&output.stderr)
    );
    assert!(!dest.exists());
}

#[test]
fn install_release_exits_3_over_http_when_no_archive_fits_this_machine() {
    // A release built for other machines only.
    let release = Release::serve(
        &format!("v{VERSION}"),
        vec![(
            "SHA256SUMS".into(),
            format!(
                "{}  guidepress-{VERSION}-x86_64-pc-windows-msvc.zip\n",
                "0".repeat(64)
            )
            .into_bytes(),
        )],
    );
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join("bin");
    let output = install_from(&release.base, &dest, &format!("v{VERSION}"));
    assert_eq!(output.status.code(), Some(3), "{}", text(&output.stderr));
    assert!(!dest.exists());
}

#[test]
fn install_release_resolves_a_version_prefix_to_the_newest_release() {
    let api = Release::serve("none", Vec::new());
    // As api.github.com lists releases: in no promised order, pre-releases
    // with a suffix.
    api.also(
        "/releases",
        r#"[{"tag_name": "v0.1.9"}, {"tag_name": "v0.1.10"}, {"tag_name": "v0.1.0"},
            {"tag_name": "v0.10.1"}, {"tag_name": "v0.9.0"}, {"tag_name": "v1.0.0-rc.1"}]"#,
    );
    let resolve = |prefix: &str| {
        run(Command::new("bash")
            .arg(root().join("scripts/install-release.sh"))
            .args(["--version", prefix, "--resolve"])
            .env("GUIDEPRESS_RELEASE_API", &api.base))
    };
    for (prefix, newest) in [
        ("v0.1", "v0.1.10"),
        ("v0", "v0.10.1"),
        ("0.9", "v0.9.0"),
        ("v0.1.9", "v0.1.9"),
    ] {
        let output = resolve(prefix);
        assert!(
            output.status.success(),
            "{prefix}: {}",
            text(&output.stderr)
        );
        assert_eq!(text(&output.stdout).trim(), newest, "{prefix}");
    }
    // Only a pre-release starts with v1: no release matches (1).
    let output = resolve("v1");
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert!(
        text(&output.stderr).contains("no release matches v1"),
        "{}",
        text(&output.stderr)
    );
    // The API down: 1, saying so.
    let output = run(Command::new("bash")
        .arg(root().join("scripts/install-release.sh"))
        .args(["--version", "v0", "--resolve"])
        .env("GUIDEPRESS_RELEASE_API", dead_base()));
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("cannot download"));

    // Installing by prefix installs the newest matching release.
    let release = Release::of_this_machine();
    release.also("/releases", &format!(r#"[{{"tag_name": "v{VERSION}"}}]"#));
    let major = VERSION.split('.').next().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let output = run(Command::new("bash")
        .arg(root().join("scripts/install-release.sh"))
        .args(["--version", &format!("v{major}"), "--dest"])
        .arg(tmp.path())
        .env("GUIDEPRESS_RELEASE_API", &release.base)
        .env("GUIDEPRESS_RELEASE_BASE", &release.base));
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(tmp.path().join("guidepress").is_file());
}

#[test]
fn pre_commit_entry_installs_the_release_once_and_runs_it() {
    let tmp = tempfile::tempdir().unwrap();
    // install-release.sh picks the archive by this machine's triple.
    let base = tmp.path().join("releases");
    release_folder(&base, machine_archive());

    let cache = tmp.path().join("cache");
    let entry = || {
        let mut command = Command::new("bash");
        command
            .arg(common::repo_path("scripts/pre-commit.sh"))
            .arg("--version")
            .env("XDG_CACHE_HOME", &cache)
            .env(
                "GUIDEPRESS_RELEASE_BASE",
                format!("file://{}", base.display()),
            )
            // No guidepress on PATH: the hook must bring its own.
            .env("PATH", "/usr/bin:/bin");
        command
    };
    let output = run(&mut entry());
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout).trim(), format!("guidepress {VERSION}"));
    let installed = cache.join(format!("guidepress/{VERSION}/bin/guidepress"));
    assert!(installed.is_file());

    // The second run uses the cached binary: the release folder may be gone.
    fs::remove_dir_all(&base).unwrap();
    let output = run(&mut entry());
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout).trim(), format!("guidepress {VERSION}"));
}

#[test]
fn man_lists_the_commands_and_refuses_an_unknown_one() {
    let output = run(&mut common::cli::command(
        common::project().path(),
        &["man", "--list"],
    ));
    assert!(output.status.success());
    let list = text(&output.stdout);
    for command in ["check", "links", "publish", "completions", "man"] {
        assert!(list.lines().any(|line| line == command), "{list}");
    }
    let output = run(&mut common::cli::command(
        common::project().path(),
        &["man", "no-such-command"],
    ));
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("guidepress man --list"));
}
