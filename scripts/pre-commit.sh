#!/usr/bin/env bash
# Entry point of the pre-commit hooks (.pre-commit-hooks.yaml): runs the
# guidepress release whose version is in this checkout's Cargo.toml (the
# hook's `rev`), installing it on first use into a per-user cache with
# scripts/install-release.sh (download + SHA-256 check). Builds from this
# checkout with `cargo install`, saying so, only when the release has no
# binary for this machine (install-release.sh exit 3); a network or checksum
# failure fails the hook.
#
# Environment: GUIDEPRESS_REPOSITORY (owner/name of the releases; default
# read from this checkout's Cargo.toml `repository`), GUIDEPRESS_RELEASE_BASE
# (another place to download from, read by install-release.sh), XDG_CACHE_HOME.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' "$here/Cargo.toml" | head -n 1)"

if command -v guidepress >/dev/null 2>&1 && [ "$(guidepress --version 2>/dev/null)" = "guidepress $version" ]; then
  exec guidepress "$@"
fi

cache="${XDG_CACHE_HOME:-$HOME/.cache}/guidepress/$version"
bin="$cache/bin/guidepress"
case "$(uname -s)" in MINGW* | MSYS* | CYGWIN*) bin="$bin.exe" ;; esac
if [ ! -x "$bin" ]; then
  repo="${GUIDEPRESS_REPOSITORY:-$(sed -n 's|^repository = "https://github.com/\(.*\)"$|\1|p' "$here/Cargo.toml" | head -n 1)}"
  status=0
  GUIDEPRESS_REPOSITORY="$repo" bash "$here/scripts/install-release.sh" \
    --version "v$version" --dest "$cache/bin" || status=$?
  if [ "$status" = 3 ]; then
    echo "guidepress: no release binary for this machine; building from source (once)" >&2
    cargo install --locked --quiet --root "$cache" --path "$here"
  elif [ "$status" != 0 ]; then
    echo "guidepress: cannot install release v$version (see above); the hook did not run" >&2
    exit "$status"
  fi
fi
exec "$bin" "$@"
