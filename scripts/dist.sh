#!/usr/bin/env bash
# Builds a release archive of guidepress for one platform:
#   guidepress-<version>-<target>.tar.gz (.zip on Windows) holding the
#   binary, shell completions, the man page, README, LICENSE and CHANGELOG,
#   and beside it <archive>.sha256 (`sha256sum` format).
#
# Usage: scripts/dist.sh [--target TRIPLE] [--profile dist] [--binary PATH] [--out DIR]
#
#   --target   Rust target triple (default: the host's). Built with
#              `cargo build --profile <profile> --target <triple>`.
#   --profile  Cargo profile (default: dist: LTO, one codegen unit, stripped).
#   --binary   package this already-built binary instead of building one
#              (the archive is named after the host triple unless --target
#              is given). Used by the tests to check the archive layout
#              without a release build.
#   --out      where the archive goes (default: target/dist).
#
# Prints the archive's path on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."

target=""
profile="dist"
binary=""
out="target/dist"
while [ $# -gt 0 ]; do
  case "$1" in
    --target) target="$2"; shift 2 ;;
    --profile) profile="$2"; shift 2 ;;
    --binary) binary="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "dist.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done

host="$(rustc -vV | sed -n 's/^host: //p')"
triple="${target:-$host}"
# The version lives in Cargo.toml only.
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)"
[ -n "$version" ] || { echo "dist.sh: no version in Cargo.toml" >&2; exit 2; }

exe=""
case "$triple" in *windows*) exe=".exe" ;; esac

if [ -z "$binary" ]; then
  args=(build --locked --profile "$profile")
  target_dir="${CARGO_TARGET_DIR:-target}"
  if [ -n "$target" ]; then
    args+=(--target "$target")
    binary="$target_dir/$target/$profile/guidepress$exe"
  else
    binary="$target_dir/$profile/guidepress$exe"
  fi
  cargo "${args[@]}" >&2
fi
[ -x "$binary" ] || { echo "dist.sh: no executable at $binary" >&2; exit 2; }

name="guidepress-$version-$triple"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
dir="$stage/$name"
mkdir -p "$dir/completions" "$dir/man"
cp "$binary" "$dir/guidepress$exe"
cp README.md LICENSE CHANGELOG.md "$dir/"

# Completions and the man page come from the binary itself, so they always
# match its flags. A cross-compiled binary cannot run here: then the host
# build (same sources) writes them.
gen="$dir/guidepress$exe"
if ! "$gen" --version >/dev/null 2>&1; then
  gen="$(mktemp -d)/guidepress"
  cargo build --locked --quiet >&2
  cp "${CARGO_TARGET_DIR:-target}/debug/guidepress" "$gen"
fi
"$gen" completions bash >"$dir/completions/guidepress.bash"
"$gen" completions zsh >"$dir/completions/_guidepress"
"$gen" completions fish >"$dir/completions/guidepress.fish"
"$gen" completions elvish >"$dir/completions/guidepress.elv"
"$gen" completions powershell >"$dir/completions/_guidepress.ps1"
"$gen" man >"$dir/man/guidepress.1"
for command in $("$gen" man --list); do
  "$gen" man "$command" >"$dir/man/guidepress-$command.1"
done

case "$triple" in
  *windows*)
    archive="$out/$name.zip"
    rm -f "$archive"
    (cd "$stage" && if command -v zip >/dev/null; then zip -qr "$archive" "$name"; else 7z a -bd -bso0 "$archive" "$name"; fi)
    ;;
  *)
    archive="$out/$name.tar.gz"
    rm -f "$archive"
    tar -C "$stage" -czf "$archive" "$name"
    ;;
esac

# Checksum file in `sha256sum -c` form, naming the archive without a folder.
(cd "$out" && if command -v sha256sum >/dev/null; then sha256sum "$(basename "$archive")"; else shasum -a 256 "$(basename "$archive")"; fi) >"$archive.sha256"
echo "$archive"
