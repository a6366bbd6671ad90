//! Release packaging: `scripts/dist.sh` builds an archive with the binary,
//! completions and man pages and a checksum; `scripts/install-release.sh`
//! (used by the GitHub Action and the pre-commit hooks) downloads it,
//! verifies the checksum and installs it. Everything runs on local files
//! (`file://`), never the network. The archive packages the test build of
//! the binary (`--binary`), so no release build is needed.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::cli::BIN;

const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The triple the archives are named after in these tests (any would do: the
/// scripts take it as given).
const TRIPLE: &str = "x86_64-unknown-linux-gnu";

fn run(command: &mut Command) -> Output {
    command.output().expect("the command starts")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs dist.sh into `out` for `triple` and returns the archive's path.
fn build_archive_for(out: &Path, triple: &str) -> PathBuf {
    let output = run(Command::new("bash")
        .arg(common::repo_path("scripts/dist.sh"))
        .args(["--binary", BIN, "--target", triple, "--out"])
        .arg(out));
    assert!(
        output.status.success(),
        "dist.sh failed: {}",
        text(&output.stderr)
    );
    let path = PathBuf::from(text(&output.stdout).trim());
    assert!(
        path.is_file(),
        "dist.sh printed {path:?}, which is not a file"
    );
    path
}

fn build_archive(out: &Path) -> PathBuf {
    build_archive_for(out, TRIPLE)
}

/// Lays out `<base>/v<version>/<archive>` and `.sha256` as a release does.
fn release_folder(base: &Path, archive: &Path) {
    let folder = base.join(format!("v{VERSION}"));
    fs::create_dir_all(&folder).unwrap();
    let name = archive.file_name().unwrap();
    fs::copy(archive, folder.join(name)).unwrap();
    let sum = PathBuf::from(format!("{}.sha256", archive.display()));
    fs::copy(&sum, folder.join(sum.file_name().unwrap())).unwrap();
}

fn install(base: &Path, dest: &Path, version: &str) -> Output {
    run(Command::new("bash")
        .arg(common::repo_path("scripts/install-release.sh"))
        .args(["--version", version, "--target", TRIPLE, "--base"])
        .arg(format!("file://{}", base.display()))
        .arg("--dest")
        .arg(dest))
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
fn install_release_exits_3_when_no_binary_fits_so_callers_build_from_source() {
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join("bin");
    // No such release in the folder.
    let output = install(tmp.path(), &dest, "v9.9.9");
    assert_eq!(output.status.code(), Some(3), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("no release archive"));
    // A branch name is not a release.
    let output = install(tmp.path(), &dest, "main");
    assert_eq!(output.status.code(), Some(3), "{}", text(&output.stderr));
    assert!(!dest.join("guidepress").exists());
}

#[test]
fn pre_commit_entry_installs_the_release_once_and_runs_it() {
    let tmp = tempfile::tempdir().unwrap();
    // install-release.sh picks the archive by this machine's triple.
    let machine = match std::env::consts::ARCH {
        "aarch64" => "aarch64-unknown-linux-musl",
        _ => "x86_64-unknown-linux-musl",
    };
    let archive = build_archive_for(&tmp.path().join("dist"), machine);
    let base = tmp.path().join("releases");
    release_folder(&base, &archive);

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
