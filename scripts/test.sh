#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: starts what the tests need,
# runs every test, stops what it started.
#
# The publishing end-to-end tests need the shipped Strapi (cms/strapi): it is
# started here through scripts/strapi.sh with a fresh database of its own
# (.tmp/test.db; `npm ci` on first use) and stopped on exit. Environment:
# STRAPI_PORT (default 1338).
set -euo pipefail
cd "$(dirname "$0")/.."

export STRAPI_PORT="${STRAPI_PORT:-1338}"
export DATABASE_FILENAME="${DATABASE_FILENAME:-.tmp/test.db}"
export STRAPI_API_TOKEN="${STRAPI_API_TOKEN:-gp-test-$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')}"

# The preview browser test (tests/preview_browser.rs) drives Debian's
# Chromium with the npm packages locked in tests/browser/.
if [ ! -x /usr/bin/chromium ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y chromium
fi
(cd tests/browser && npm ci --no-audit --no-fund --silent)

trap 'bash scripts/strapi.sh stop >/dev/null 2>&1 || true' EXIT
bash scripts/strapi.sh start --fresh

export GUIDEPRESS_TEST_CMS_URL="http://127.0.0.1:${STRAPI_PORT}"
export GUIDEPRESS_TEST_CMS_TOKEN="$STRAPI_API_TOKEN"
log="$(mktemp)"
cargo test --locked --all-targets 2>&1 | tee "$log"
# One closing line for the whole suite (cargo prints one per test binary).
awk '/^test result:/ { passed += $4; failed += $6 } END { printf "tests: %d passed, %d failed\n", passed, failed }' "$log"
rm -f "$log"
