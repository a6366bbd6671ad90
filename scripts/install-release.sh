#!/usr/bin/env bash
# Installs a released guidepress binary: reads the release's SHA256SUMS,
# downloads the archive for this machine, verifies its SHA-256 and unpacks
# the binary into a folder. Used by the GitHub Action (action.yml) and the
# pre-commit hooks; works for anyone with bash, curl and tar.
#
# Usage: scripts/install-release.sh --version VERSION --dest DIR [--base URL] [--target TRIPLE]
#        scripts/install-release.sh --version VERSION --resolve
#
#   --version  the release: a tag (v0.1.0), or a prefix of one (v0, v0.1)
#              meaning the newest release X.Y.Z that starts with it, found
#              through the GitHub API (<api>/releases; pre-releases and
#              drafts are never picked).
#   --dest     folder that receives `guidepress` (created if missing).
#   --resolve  print the release tag VERSION stands for, install nothing.
#   --base     where releases live: <base>/<tag>/SHA256SUMS and
#              <base>/<tag>/guidepress-<X.Y.Z>-<target>.tar.gz.
#              Default $GUIDEPRESS_RELEASE_BASE, else
#              https://github.com/$GUIDEPRESS_REPOSITORY/releases/download.
#              https:// or file://; http:// only on loopback (tests, mirrors
#              on the machine itself).
#   --target   Rust target triple (default: detected from uname).
#
# Environment: GUIDEPRESS_REPOSITORY (owner/name), GUIDEPRESS_RELEASE_BASE,
# GUIDEPRESS_RELEASE_API (default https://api.github.com/repos/<owner/name>),
# GITHUB_TOKEN (sent to api.github.com only, against its rate limit).
#
# Exit status:
#   0  installed (or, with --resolve, printed);
#   3  the release has no archive for this machine (or no release is built
#      for this OS/architecture): only then may a caller build from source;
#   1  anything else: no such release, the network or server failed, the
#      checksum did not match (nothing is installed), bad arguments.
set -euo pipefail

version=""
dest=""
base="${GUIDEPRESS_RELEASE_BASE:-}"
target=""
resolve_only=false
usage() { echo "install-release.sh: $1 (see --help)" >&2; exit 1; }
while [ $# -gt 0 ]; do
  case "$1" in
    --version) [ $# -ge 2 ] || usage "--version needs a value"; version="$2"; shift 2 ;;
    --dest) [ $# -ge 2 ] || usage "--dest needs a value"; dest="$2"; shift 2 ;;
    --base) [ $# -ge 2 ] || usage "--base needs a value"; base="$2"; shift 2 ;;
    --target) [ $# -ge 2 ] || usage "--target needs a value"; target="$2"; shift 2 ;;
    --resolve) resolve_only=true; shift ;;
    -h|--help) sed -n '2,33p' "$0"; exit 0 ;;
    *) usage "unknown argument: $1" ;;
  esac
done
[ -n "$version" ] || usage "--version is required"
[ -n "$dest" ] || $resolve_only || usage "--dest is required"
case "$version" in
  [0-9]*) version="v$version" ;;
esac
if ! [[ "$version" =~ ^v[0-9]+(\.[0-9]+){0,2}$ ]]; then
  echo "install-release.sh: '$version' is not a release (vX.Y.Z, or a prefix such as v0 or v0.1)" >&2
  exit 1
fi
repo="${GUIDEPRESS_REPOSITORY:-}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Which protocols curl may use for URL: http only on loopback.
protocols() {
  case "$1" in
    http://127.0.0.1[:/]* | http://localhost[:/]* | "http://[::1]"[:/]*) echo "=http" ;;
    *) echo "=https,file" ;;
  esac
}

# An archive over plain http could be swapped on the way, checksum and all.
for url in "$base" "${GUIDEPRESS_RELEASE_API:-}"; do
  case "$url" in
    http://*) [ "$(protocols "$url")" = "=http" ] || { echo "install-release.sh: $url: plain http is allowed only on loopback; use https" >&2; exit 1; } ;;
  esac
done

# fetch URL FILE [curl options]: 0 fetched; 4 not found (HTTP 404/410, or
# no such file); 1 any other failure, explained on stderr.
fetch() {
  local url="$1" out="$2" code=0 http
  shift 2
  http="$(curl --fail --silent --show-error --location --proto "$(protocols "$url")" \
    --proto-redir '=https' --connect-timeout 30 --max-time 300 --retry 3 \
    --write-out '%{http_code}' -o "$out" "$@" "$url" 2>"$work/err")" || code=$?
  case "$code/$http" in
    0/*) return 0 ;;
    22/404 | 22/410 | 37/*) return 4 ;;
  esac
  echo "install-release.sh: cannot download $url: $(tr '\n' ' ' <"$work/err")(curl exit $code${http:+, HTTP $http})" >&2
  return 1
}

# A prefix (v0, v0.1) becomes the newest release tag vX.Y.Z that starts with it.
if ! [[ "$version" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  api="${GUIDEPRESS_RELEASE_API:-}"
  if [ -z "$api" ]; then
    [ -n "$repo" ] || usage "set GUIDEPRESS_REPOSITORY (owner/name) or GUIDEPRESS_RELEASE_API to resolve $version"
    api="https://api.github.com/repos/$repo"
  fi
  auth=()
  case "$api" in
    https://api.github.com/*) if [ -n "${GITHUB_TOKEN:-}" ]; then auth=(--header "Authorization: Bearer $GITHUB_TOKEN"); fi ;;
  esac
  status=0
  fetch "$api/releases?per_page=100" "$work/releases.json" \
    --header 'Accept: application/vnd.github+json' ${auth[@]+"${auth[@]}"} || status=$?
  if [ "$status" = 4 ]; then
    echo "install-release.sh: no releases at $api/releases" >&2
    exit 1
  elif [ "$status" != 0 ]; then
    exit 1
  fi
  # The API lists `"tag_name": "vX.Y.Z"` per release, drafts only to their
  # owners; pre-releases carry a suffix (v0.2.0-rc.1) and are left out.
  prefix="${version#v}."
  found="$({ grep -o '"tag_name": *"v[0-9][0-9]*\.[0-9][0-9]*\.[0-9][0-9]*"' "$work/releases.json" || true; } |
    sed 's/.*"v\([0-9.]*\)"$/\1/' |
    awk -v p="$prefix" 'index($0 ".", p) == 1' |
    sort -t. -k1,1n -k2,2n -k3,3n | tail -n 1)"
  if [ -z "$found" ]; then
    echo "install-release.sh: no release matches $version at $api/releases" >&2
    exit 1
  fi
  version="v$found"
fi
if $resolve_only; then
  echo "$version"
  exit 0
fi

if [ -z "$base" ]; then
  [ -n "$repo" ] || usage "set --base, GUIDEPRESS_RELEASE_BASE or GUIDEPRESS_REPOSITORY (owner/name)"
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
    *) echo "install-release.sh: no release binary is built for $os/$arch" >&2; exit 3 ;;
  esac
fi

ext="tar.gz"
exe=""
case "$target" in *windows*) ext="zip"; exe=".exe" ;; esac
name="guidepress-${version#v}-$target"
release="$base/$version"

# The release's list of archives and their checksums.
status=0
fetch "$release/SHA256SUMS" "$work/SHA256SUMS" || status=$?
if [ "$status" = 4 ]; then
  echo "install-release.sh: no release $version at $base (no $release/SHA256SUMS)" >&2
  exit 1
elif [ "$status" != 0 ]; then
  exit 1
fi
expected="$(awk -v f="$name.$ext" '$2 == f || $2 == "*" f { print $1; exit }' "$work/SHA256SUMS")"
if [ -z "$expected" ]; then
  echo "install-release.sh: release $version has no archive for $target ($name.$ext is not in its SHA256SUMS)" >&2
  exit 3
fi
if ! [[ "$expected" =~ ^[0-9a-f]{64}$ ]]; then
  echo "install-release.sh: the checksum of $name.$ext in SHA256SUMS is malformed" >&2
  exit 1
fi

status=0
fetch "$release/$name.$ext" "$work/$name.$ext" || status=$?
if [ "$status" = 4 ]; then
  echo "install-release.sh: $release/$name.$ext is listed in SHA256SUMS but missing" >&2
  exit 1
elif [ "$status" != 0 ]; then
  exit 1
fi

if command -v sha256sum >/dev/null; then
  actual="$(sha256sum "$work/$name.$ext" | awk '{ print $1 }')"
else
  actual="$(shasum -a 256 "$work/$name.$ext" | awk '{ print $1 }')"
fi
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
