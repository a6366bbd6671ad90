#!/usr/bin/env bash
# Two Strapi instances on two ports stay apart in scripts/strapi.sh: each has
# its own state, `status` reports its own instance, `--fresh` and `stop` on
# one port leave the other running, and one database is never shared. Then
# one instance on PostgreSQL: its cluster is started with it, on loopback,
# keeps what was written across a restart, and is stopped with it; its admin
# user's password follows STRAPI_ADMIN_PASSWORD.
#
# Needs the shipped Strapi's dependencies (installed on first use). Ports:
# STRAPI_TEST_PORT_A / STRAPI_TEST_PORT_B (default 1391 / 1392).
set -euo pipefail
cd "$(dirname "$0")/../.."

A="${STRAPI_TEST_PORT_A:-1391}"
B="${STRAPI_TEST_PORT_B:-1392}"
DB_A=".tmp/instances-$A.db"
DB_B=".tmp/instances-$B.db"
strapi() { bash scripts/strapi.sh "$@"; }
on_a() { STRAPI_PORT="$A" DATABASE_FILENAME="$DB_A" strapi "$@"; }
on_b() { STRAPI_PORT="$B" DATABASE_FILENAME="$DB_B" strapi "$@"; }
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
trap 'on_a stop >/dev/null 2>&1 || true; on_b stop >/dev/null 2>&1 || true' EXIT

for port in "$A" "$B"; do
  if STRAPI_PORT="$port" strapi status >/dev/null 2>&1; then
    fail "a Strapi already runs on port $port; set STRAPI_TEST_PORT_A/B"
  fi
done

on_a start --fresh
on_b start --fresh
pid_b="$(sed -n 1p cms/strapi/.tmp/run/strapi-"$B".pid)"

out="$(on_a status)" || fail "status on $A: $out"
case "$out" in *"instances-$A.db"*) ;; *) fail "status on $A reports another instance: $out" ;; esac
out="$(on_b status)" || fail "status on $B: $out"
case "$out" in *"instances-$B.db"*) ;; *) fail "status on $B reports another instance: $out" ;; esac

# --fresh on A restarts A only.
on_a start --fresh
on_b status >/dev/null || fail "--fresh on $A stopped the Strapi on $B"
[ "$(sed -n 1p cms/strapi/.tmp/run/strapi-"$B".pid)" = "$pid_b" ] || fail "the Strapi on $B was restarted"

# A database in use on B is not started on A, nor deleted by A.
if out="$(STRAPI_PORT="$A" DATABASE_FILENAME="$DB_B" strapi reset 2>&1)"; then
  fail "reset on $A deleted the database of $B: $out"
fi
case "$out" in *"in use by the Strapi on port $B"*) ;; *) fail "unexpected refusal: $out" ;; esac
[ -f "cms/strapi/$DB_B" ] || fail "the database of $B is gone"

# stop on A leaves B running.
on_a stop
if on_a status >/dev/null; then fail "the Strapi on $A still runs after stop"; fi
on_b status >/dev/null || fail "stop on $A stopped the Strapi on $B"

# test.sh never stops a Strapi it did not start.
if out="$(STRAPI_PORT="$B" bash scripts/test.sh --test it cli:: 2>&1)"; then
  fail "test.sh ran on the port of a running Strapi"
fi
case "$out" in *"not ours to stop"*) ;; *) fail "unexpected test.sh output: $out" ;; esac
on_b status >/dev/null || fail "test.sh stopped the Strapi on $B"

on_b stop
rm -f "cms/strapi/$DB_A" "cms/strapi/$DB_B"

# PostgreSQL: started with the instance, data kept by a plain restart,
# dropped by --fresh, stopped with the instance. The admin user logs in to
# the admin panel, and a restart sets its password from the environment.
on_pg() {
  STRAPI_PORT="$A" DATABASE_PORT="$PG_PORT" STRAPI_ADMIN_EMAIL=editor@example.com \
    STRAPI_ADMIN_PASSWORD="$pg_admin_password" strapi --db postgres "$@"
}
pg_admin_password=First1Password
PG_PORT="${STRAPI_TEST_PG_PORT:-$((A + 4100))}"
trap 'on_a stop >/dev/null 2>&1 || true; on_b stop >/dev/null 2>&1 || true; on_pg stop >/dev/null 2>&1 || true' EXIT
on_pg start --fresh
out="$(on_pg status)" || fail "status on postgres: $out"
case "$out" in *"postgres://127.0.0.1:$PG_PORT/"*) ;; *) fail "status does not name the PostgreSQL database: $out" ;; esac
token="${STRAPI_API_TOKEN:-${GUIDEPRESS_CMS_TOKEN:-guidepress-dev-token}}"
curl -fsS -o /dev/null -H "Authorization: Bearer $token" -H 'content-type: application/json' \
  -d '{"data":{"slug":"pg-kept","title":"Kept"}}' "http://127.0.0.1:$A/api/guides?status=draft" ||
  fail "could not create a guide on PostgreSQL"
count() {
  curl -fsS -H "Authorization: Bearer $token" "http://127.0.0.1:$A/api/guides?status=draft" |
    grep -o '"total":[0-9]*' | cut -d: -f2
}
# The admin user logs in; restarted with another password, only that one works.
login() {
  curl -s -o /dev/null -w '%{http_code}' -H 'content-type: application/json' \
    -d "{\"email\":\"editor@example.com\",\"password\":\"$1\"}" "http://127.0.0.1:$A/admin/login"
}
[ "$(login First1Password)" = "200" ] || fail "the admin user cannot log in to the admin panel"
on_pg stop
if (exec 3<>"/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null; then fail "PostgreSQL still listens on $PG_PORT after stop"; fi
pg_admin_password=Second2Password
on_pg start
[ "$(count)" = "1" ] || fail "the guide written on PostgreSQL is gone after a restart"
[ "$(login Second2Password)" = "200" ] || fail "the admin password from the environment was not set again"
[ "$(login First1Password)" = "400" ] || fail "the admin user's old password still works"
on_pg start --fresh
[ "$(count)" = "0" ] || fail "--fresh did not empty the PostgreSQL database"
on_pg stop
echo "strapi instances: ok"
