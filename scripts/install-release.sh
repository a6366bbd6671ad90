#!/usr/bin/env bash
# Installs a released guidepress binary: downloads the archive for this
# machine, verifies its SHA-256 against the release's checksum file, and
# unpacks the binary into a folder. Used by the GitHub Action (action.yml)
# and the pre-commit hooks; works for anyone with bash, curl and tar.
#
# Usage: scripts/install-release.sh --version vX.Y.Z --dest DIR [--base URL] [--target TRIPLE]
#
#   --version  the release tag (v-prefixed) to install.
#   --dest     folder that receives `guidepress` (created if missing).
#   --base     where releases live; the archive is fetched from
#              <base>/<version>/guidepress-<X.Y.Z>-<target>.tar.gz
#              (default https://github.com/$GUIDEPRESS_REPOSITORY/releases/download;
#              any URL curl reads, file:// included).
#   --target   Rust target triple (default: detected from uname).
#
# Exit status: 0 installed; 3 no release binary fits this machine or the
# release has none (callers may build from source); 1 anything else,
# including a checksum mismatch (never installed).
set -euo pipefail

version=""
dest=""
base=""
target=""
while [ $# -gt 0 ]; do
  case "$1" in
    --version) version="$2"; shift 2 ;;
    --dest) dest="$2"; shift 2 ;;
    --base) base="$2"; shift 2 ;;
    --target) target="$2"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "install-release.sh: unknown argument: $1" >&2; exit 1 ;;
  esac
done
[ -n "$version" ] && [ -n "$dest" ] || { echo "install-release.sh: --version and --dest are required" >&2; exit 1; }
case "$version" in
  v[0-9]*) ;;
  *) echo "install-release.sh: '$version' is not a release tag (vX.Y.Z)" >&2; exit 3 ;;
esac
if [ -z "$base" ]; then
  repo="${GUIDEPRESS_REPOSITORY:-}"
  [ -n "$repo" ] || { echo "install-release.sh: set --base or GUIDEPRESS_REPOSITORY (owner/name)" >&2; exit 1; }
  base="https://github.com/$repo/releases/download"
fi

if [ -z "$target" ]; then
  os="$(uname -s)"
  arch="$(uname -m)"
  case "$os/$arch" in
    Linux/x86_64) target="x86_64-unknown-linux-musl" ;;
    Linux/aarch64 | Linux/arm64) target="aarch64-unknown-linux-musl" ;;
    Darwin/x86_64) target="x86_64-apple-darwin" ;;
    Darwin/arm64) target="aarch64-apple-darwin" ;;
    MINGW*/x86_64 | MSYS*/x86_64 | CYGWIN*/x86_64) target="x86_64-pc-windows-msvc" ;;
    *) echo "install-release.sh: no release binary for $os/$arch" >&2; exit 3 ;;
  esac
fi

ext="tar.gz"
exe=""
case "$target" in *windows*) ext="zip"; exe=".exe" ;; esac
name="guidepress-${version#v}-$target"
url="$base/$version/$name.$ext"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fetch() {
  # --fail: an HTTP error is a failure, not a saved error page.
  curl --fail --silent --show-error --location --proto '=https,file' --max-time 300 --retry 3 -o "$2" "$1"
}
if ! fetch "$url.sha256" "$work/$name.$ext.sha256" 2>"$work/err"; then
  echo "install-release.sh: no release archive at $url ($(tr -d '\n' <"$work/err"))" >&2
  exit 3
fi
fetch "$url" "$work/$name.$ext"

expected="$(awk 'NR == 1 { print $1 }' "$work/$name.$ext.sha256")"
if command -v sha256sum >/dev/null; then
  actual="$(sha256sum "$work/$name.$ext" | awk '{ print $1 }')"
else
  actual="$(shasum -a 256 "$work/$name.$ext" | awk '{ print $1 }')"
fi
case "$expected" in
  [0-9a-f][0-9a-f][0-9a-f][0-9a-f]*) ;;
  *) echo "install-release.sh: the checksum file for $name.$ext is malformed" >&2; exit 1 ;;
esac
if [ "$expected" != "$actual" ]; then
  echo "install-release.sh: checksum mismatch for $name.$ext: expected $expected, got $actual; not installed" >&2
  exit 1
fi

case "$ext" in
  zip) (cd "$work" && unzip -q "$name.$ext") ;;
  *) tar -C "$work" -xzf "$work/$name.$ext" "$name/guidepress$exe" ;;
esac
mkdir -p "$dest"
# Into place through a temporary name, so a half-copied binary is never run.
cp "$work/$name/guidepress$exe" "$dest/.guidepress$exe.partial"
chmod +x "$dest/.guidepress$exe.partial"
mv -f "$dest/.guidepress$exe.partial" "$dest/guidepress$exe"
echo "installed guidepress $version ($target) in $dest" >&2
