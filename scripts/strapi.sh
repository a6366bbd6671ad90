#!/usr/bin/env bash
# Control the local Strapi 5 CMS that guidepress publishes to (cms/strapi).
#
# Usage: scripts/strapi.sh [--db sqlite|postgres] start [--fresh] | stop | reset | status | build-admin
#
#   start   install dependencies if needed (npm ci), build the admin panel if
#           missing or out of date, start Strapi in the background on
#           127.0.0.1:$STRAPI_PORT and wait for /_health (204). The admin
#           panel is at http://127.0.0.1:$STRAPI_PORT/admin.
#           --fresh (or STRAPI_FRESH=1) stops this port's instance if it runs
#           and deletes its database first.
#           Exits 0 at once if this port's Strapi is already running and
#           healthy on the same database.
#   stop    stop the Strapi this script started on $STRAPI_PORT (TERM, then
#           KILL after $STRAPI_STOP_TIMEOUT s), and the PostgreSQL cluster it
#           started for it unless another running instance uses that cluster.
#           Exits 0 if it was not running.
#   reset   stop, delete the database, start.
#   status  print running/stopped and health of the Strapi on $STRAPI_PORT;
#           exit 0 if running, 3 if not.
#   build-admin
#           build the admin panel (cms/strapi/build) if missing or out of
#           date, and nothing else.
#
# --db postgres (or DATABASE_CLIENT=postgres) runs Strapi on PostgreSQL
# instead of the default SQLite file: the script initialises a private
# cluster in cms/strapi/.tmp/pg-$DATABASE_PORT/ (Debian's postgresql; as root
# it runs the server as the `postgres` user), listening on 127.0.0.1 only
# with password authentication, starts it, creates the database, and stops
# the cluster with `stop`. --fresh/reset drop and recreate the database.
#
# The admin panel build is cached: cms/strapi/build/.guidepress-admin.stamp
# holds a hash of its inputs (package.json, package-lock.json, the Node.js
# version, config/admin.js, config/plugins.js and src/admin/), and the panel
# is rebuilt only when they change (about a minute on 2 cores).
#
# Every instance is known by its port: its state is cms/strapi/.tmp/run/
# strapi-$STRAPI_PORT.pid (pid, database, PostgreSQL cluster) and its log is
# cms/strapi/.tmp/run/strapi-$STRAPI_PORT.log, so instances on different
# ports never see each other's state. A command only ever stops the instance
# on its own port, and a database in use by the instance on another port is
# neither started on twice nor deleted.
#
# Environment (all optional):
#   STRAPI_PORT            port (default 1337); Strapi binds STRAPI_HOST only
#   STRAPI_HOST            bind address (default 127.0.0.1)
#   STRAPI_API_TOKEN       secret of the full-access API token that Strapi
#                          ensures at boot (default: $GUIDEPRESS_CMS_TOKEN,
#                          else the dev token "guidepress-dev-token")
#   STRAPI_RESTRICTED_API_TOKEN
#                          secret of a content-API-only token (no
#                          content-type-builder permission) for tests; unset:
#                          no such token
#   STRAPI_ADMIN_EMAIL, STRAPI_ADMIN_PASSWORD
#                          the admin panel's user, created (or its password
#                          reset) at boot as a Super Admin. Development
#                          defaults admin@example.com / GuidepressDev1 when
#                          STRAPI_HOST is loopback; otherwise no user is made
#                          unless both are set. Never printed.
#   STRAPI_SERVE_ADMIN=false
#                          neither build nor serve the admin panel (any
#                          value but `true` turns it off, as Strapi reads it)
#   DATABASE_CLIENT        sqlite (default) or postgres (same as --db)
#   DATABASE_FILENAME      SQLite file, relative to cms/strapi or absolute
#                          (default .tmp/data.db)
#   DATABASE_PORT          PostgreSQL port (default STRAPI_PORT + 4100, so
#                          1337 -> 5437); the cluster listens on 127.0.0.1
#   DATABASE_NAME, DATABASE_USERNAME, DATABASE_PASSWORD
#                          PostgreSQL database (default guidepress), its
#                          superuser (default strapi) and password (default
#                          the dev password "guidepress-dev-db-password")
#   PG_DIR                 the cluster's folder (default cms/strapi/.tmp/
#                          pg-$DATABASE_PORT; as root, when the `postgres`
#                          user cannot reach the project, /var/tmp/
#                          guidepress-pg-<checkout hash>-$DATABASE_PORT)
#   PG_BIN                 folder of initdb/pg_ctl (default: the newest
#                          /usr/lib/postgresql/*/bin, else PATH)
#   STRAPI_START_TIMEOUT   seconds to wait for /_health (default 180)
#   STRAPI_STOP_TIMEOUT    seconds to wait after TERM before KILL (default 30)
#   STRAPI_FRESH=1         same as start --fresh
#   APP_KEYS, API_TOKEN_SALT, ADMIN_JWT_SECRET, TRANSFER_TOKEN_SALT,
#   JWT_SECRET, ENCRYPTION_KEY
#                          Strapi secrets; development defaults are used when
#                          unset. Set real values for anything non-local.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
APP="$ROOT/cms/strapi"
RUN_DIR="$APP/.tmp/run"
STAMP_FILE="$APP/node_modules/.guidepress-npm-ci.stamp"
ADMIN_BUILD="$APP/build"
ADMIN_STAMP="$ADMIN_BUILD/.guidepress-admin.stamp"

log() { printf 'strapi.sh: %s\n' "$*" >&2; }

# Options before the command (`--db postgres start`).
DB_CLIENT="${DATABASE_CLIENT:-sqlite}"
while [ $# -gt 0 ]; do
  case "$1" in
    --db)
      [ $# -ge 2 ] || { log "--db needs sqlite or postgres"; exit 2; }
      DB_CLIENT="$2"
      shift 2
      ;;
    --db=*)
      DB_CLIENT="${1#--db=}"
      shift
      ;;
    *) break ;;
  esac
done
case "$DB_CLIENT" in
  sqlite | postgres) ;;
  *)
    log "the database must be sqlite or postgres (--db / DATABASE_CLIENT), got \"$DB_CLIENT\""
    exit 2
    ;;
esac

STRAPI_PORT="${STRAPI_PORT:-1337}"
case "$STRAPI_PORT" in
  '' | *[!0-9]*)
    printf 'strapi.sh: STRAPI_PORT must be a port number, got "%s"\n' "$STRAPI_PORT" >&2
    exit 2
    ;;
esac
PID_FILE="$RUN_DIR/strapi-$STRAPI_PORT.pid"
LOG_FILE="$RUN_DIR/strapi-$STRAPI_PORT.log"
STRAPI_HOST="${STRAPI_HOST:-127.0.0.1}"
START_TIMEOUT="${STRAPI_START_TIMEOUT:-180}"
STOP_TIMEOUT="${STRAPI_STOP_TIMEOUT:-30}"
DATABASE_FILENAME="${DATABASE_FILENAME:-.tmp/data.db}"

# PostgreSQL: a private cluster per port, in the app's .tmp.
DATABASE_PORT="${DATABASE_PORT:-$((STRAPI_PORT + 4100))}"
case "$DATABASE_PORT" in
  '' | *[!0-9]*)
    log "DATABASE_PORT must be a port number, got \"$DATABASE_PORT\""
    exit 2
    ;;
esac
DATABASE_NAME="${DATABASE_NAME:-guidepress}"
DATABASE_USERNAME="${DATABASE_USERNAME:-strapi}"
DATABASE_PASSWORD="${DATABASE_PASSWORD:-guidepress-dev-db-password}"
for name in DATABASE_NAME DATABASE_USERNAME; do
  case "${!name}" in
    '' | *[!a-z0-9_]* | [0-9]*)
      log "$name must be a lowercase SQL identifier (letters, digits, _), got \"${!name}\""
      exit 2
      ;;
  esac
done
PG_ROOT="${PG_DIR:-$APP/.tmp/pg-$DATABASE_PORT}"
if [ -z "${PG_DIR:-}" ] && [ "$DB_CLIENT" = "postgres" ] && [ "$(id -u)" -eq 0 ] &&
  id postgres >/dev/null 2>&1 && ! runuser -u postgres -- test -x "$APP" 2>/dev/null; then
  # As root in a folder the `postgres` user cannot reach (under /root): the
  # cluster lives in /var/tmp instead, named after this checkout and port.
  PG_ROOT="/var/tmp/guidepress-pg-$(printf '%s' "$APP" | sha256sum | cut -c1-12)-$DATABASE_PORT"
  log "the postgres user cannot reach $APP: the PostgreSQL cluster is in $PG_ROOT"
fi
PG_DATA="$PG_ROOT/data"

# What the pid file records as the database: a path, or the postgres URL.
if [ "$DB_CLIENT" = "postgres" ]; then
  DB_PATH="postgres://127.0.0.1:$DATABASE_PORT/$DATABASE_NAME"
else
  case "$DATABASE_FILENAME" in
    /*) DB_PATH="$DATABASE_FILENAME" ;;
    *) DB_PATH="$APP/$DATABASE_FILENAME" ;;
  esac
fi
HEALTH_URL="http://127.0.0.1:${STRAPI_PORT}/_health"
if [ "$STRAPI_HOST" != "127.0.0.1" ] && [ "$STRAPI_HOST" != "0.0.0.0" ]; then
  HEALTH_URL="http://${STRAPI_HOST}:${STRAPI_PORT}/_health"
fi

is_loopback_host() {
  case "$STRAPI_HOST" in
    127.* | localhost | ::1) return 0 ;;
    *) return 1 ;;
  esac
}

export_env() {
  # Strapi reads HOST/PORT; set them explicitly so an ambient HOST (some
  # shells set it to the machine's name) never changes the bind address.
  export HOST="$STRAPI_HOST"
  export PORT="$STRAPI_PORT"
  export DATABASE_CLIENT="$DB_CLIENT"
  export DATABASE_FILENAME
  if [ "$DB_CLIENT" = "postgres" ]; then
    export DATABASE_HOST=127.0.0.1 DATABASE_PORT DATABASE_NAME DATABASE_USERNAME DATABASE_PASSWORD
  fi
  export STRAPI_TELEMETRY_DISABLED=true
  export BROWSER=none
  export NODE_ENV="${NODE_ENV:-development}"
  if [ -z "${STRAPI_API_TOKEN:-}" ]; then
    STRAPI_API_TOKEN="${GUIDEPRESS_CMS_TOKEN:-guidepress-dev-token}"
  fi
  export STRAPI_API_TOKEN
  # The admin panel's user: development defaults on loopback only.
  if is_loopback_host; then
    export STRAPI_ADMIN_EMAIL="${STRAPI_ADMIN_EMAIL:-admin@example.com}"
    export STRAPI_ADMIN_PASSWORD="${STRAPI_ADMIN_PASSWORD:-GuidepressDev1}"
  elif [ -z "${STRAPI_ADMIN_EMAIL:-}" ] || [ -z "${STRAPI_ADMIN_PASSWORD:-}" ]; then
    log "STRAPI_HOST is not loopback: no admin user is created unless STRAPI_ADMIN_EMAIL and STRAPI_ADMIN_PASSWORD are both set"
  fi
  # Development defaults only; never real secrets.
  export APP_KEYS="${APP_KEYS:-guidepressDevKeyA==,guidepressDevKeyB==}"
  export API_TOKEN_SALT="${API_TOKEN_SALT:-guidepress-dev-api-token-salt}"
  export ADMIN_JWT_SECRET="${ADMIN_JWT_SECRET:-guidepress-dev-admin-jwt-secret}"
  export TRANSFER_TOKEN_SALT="${TRANSFER_TOKEN_SALT:-guidepress-dev-transfer-token-salt}"
  export JWT_SECRET="${JWT_SECRET:-guidepress-dev-jwt-secret}"
  export ENCRYPTION_KEY="${ENCRYPTION_KEY:-guidepress-dev-encryption-key}"
}

health_code() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$HEALTH_URL" 2>/dev/null || true
}

is_healthy() { [ "$(health_code)" = "204" ]; }

# A pid file holds up to three lines: the pid, the database (absolute SQLite
# path or postgres URL), and the PostgreSQL data folder this script started.

# PID recorded in pid file $1 (default: this port's) if that process is alive
# and is a Strapi.
running_pid() {
  local file="${1:-$PID_FILE}" pid
  [ -f "$file" ] || return 1
  pid="$(sed -n 1p "$file" | tr -dc '0-9')"
  [ -n "$pid" ] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [ -r "/proc/$pid/cmdline" ] && ! tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'strapi'; then
    return 1 # PID reused by something else
  fi
  printf '%s\n' "$pid"
}

# Database recorded in pid file $1 (default: this port's).
recorded_db() {
  sed -n 2p "${1:-$PID_FILE}" 2>/dev/null || true
}

# PostgreSQL data folder recorded in pid file $1 (default: this port's).
recorded_pg() {
  sed -n 3p "${1:-$PID_FILE}" 2>/dev/null || true
}

# Port of another running instance (by its pid file) whose line $2 (2:
# database, 3: cluster) is $1.
used_elsewhere() {
  local want="$1" line="$2" file port
  for file in "$RUN_DIR"/strapi-*.pid; do
    [ -f "$file" ] || continue
    [ "$file" = "$PID_FILE" ] && continue
    [ "$(sed -n "${line}p" "$file" 2>/dev/null)" = "$want" ] || continue
    running_pid "$file" >/dev/null || continue
    port="${file##*/strapi-}"
    printf '%s\n' "${port%.pid}"
    return 0
  done
  return 1
}

db_used_elsewhere() { used_elsewhere "$DB_PATH" 2; }

lock_hash() {
  # Content only (not the path), so a clone elsewhere reuses an install.
  { sha256sum <"$APP/package-lock.json"; node --version; } | sha256sum | cut -d' ' -f1
}

ensure_installed() {
  local want
  want="$(lock_hash)"
  if [ -d "$APP/node_modules" ] && [ -f "$STAMP_FILE" ] && [ "$(cat "$STAMP_FILE")" = "$want" ]; then
    return 0
  fi
  log "installing dependencies (npm ci in cms/strapi; better-sqlite3 compiles from source, ~4 min)"
  (cd "$APP" && npm ci --no-audit --no-fund --loglevel=error)
  printf '%s\n' "$want" >"$STAMP_FILE"
}

# ---------------------------------------------------------------- admin panel

# As Strapi reads it (config/admin.js, env.bool): on unless set to anything
# but `true`.
admin_enabled() { [ "${STRAPI_SERVE_ADMIN-true}" = "true" ]; }

# The inputs of `strapi build`: the dependencies, Node.js, the admin's
# configuration and its customisations (content types are read at run time).
admin_hash() {
  (
    cd "$APP"
    node --version
    for file in package.json package-lock.json config/admin.js config/plugins.js; do
      [ -f "$file" ] && sha256sum "$file"
    done
    if [ -d src/admin ]; then
      find src/admin -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum
    fi
  ) | sha256sum | cut -d' ' -f1
}

admin_built() {
  [ -f "$ADMIN_BUILD/index.html" ] && [ -f "$ADMIN_STAMP" ] && [ "$(cat "$ADMIN_STAMP")" = "$1" ]
}

ensure_admin_built() {
  admin_enabled || return 0
  local want
  want="$(admin_hash)"
  admin_built "$want" && return 0
  mkdir -p "$RUN_DIR"
  # One build at a time, whichever port asks (the build folder is shared).
  exec 9>"$RUN_DIR/admin-build.lock"
  flock 9
  if admin_built "$want"; then
    exec 9>&-
    return 0
  fi
  local build_log="$RUN_DIR/admin-build.log" started
  started="$(date +%s)"
  log "building the admin panel (strapi build, about a minute; log: $build_log)"
  rm -f "$ADMIN_STAMP"
  if ! (cd "$APP" && NODE_ENV=production STRAPI_TELEMETRY_DISABLED=true \
    node "$APP/node_modules/@strapi/strapi/bin/strapi.js" build </dev/null >"$build_log" 2>&1); then
    log "the admin panel build failed; last lines of $build_log:"
    tail -n 40 "$build_log" >&2
    exit 1
  fi
  printf '%s\n' "$want" >"$ADMIN_STAMP"
  exec 9>&-
  log "admin panel built in $(($(date +%s) - started)) s"
}

# ----------------------------------------------------------------- PostgreSQL

pg_bin() {
  if [ -n "${PG_BIN:-}" ]; then
    printf '%s\n' "$PG_BIN"
    return 0
  fi
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then
    printf '%s\n' "$dir"
    return 0
  fi
  if command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
    return 0
  fi
  log "PostgreSQL's initdb/pg_ctl were not found: install Debian's postgresql (apt-get install postgresql) or set PG_BIN"
  exit 1
}

# The PostgreSQL server refuses to run as root: as root, run it as `postgres`.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_running() { as_pg "$(pg_bin)/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; }

# psql on the cluster's maintenance database, as its superuser, over TCP.
pg_sql() {
  PGPASSWORD="$DATABASE_PASSWORD" PGCONNECT_TIMEOUT=10 "$(pg_bin)/psql" -X -q -v ON_ERROR_STOP=1 \
    -h 127.0.0.1 -p "$DATABASE_PORT" -U "$DATABASE_USERNAME" -d postgres -tA -c "$1"
}

pg_init() {
  [ -f "$PG_DATA/PG_VERSION" ] && return 0
  local bin
  bin="$(pg_bin)"
  mkdir -p "$(dirname "$PG_ROOT")"
  if [ "$(id -u)" -eq 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
      log "running as root needs the \`postgres\` user (Debian's postgresql package creates it) to run the server"
      exit 1
    fi
    if ! runuser -u postgres -- test -x "$(dirname "$PG_ROOT")"; then
      log "the user \`postgres\` cannot reach $(dirname "$PG_ROOT") (a parent folder is not world-searchable): set PG_DIR to a folder it can reach"
      exit 1
    fi
  fi
  log "initialising a PostgreSQL cluster in $PG_DATA (port $DATABASE_PORT)"
  rm -rf "$PG_ROOT"
  mkdir -p "$PG_ROOT"
  chmod 700 "$PG_ROOT"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$PG_ROOT"
  local pwfile="$PG_ROOT/pwfile"
  (umask 077 && printf '%s\n' "$DATABASE_PASSWORD" >"$pwfile")
  [ "$(id -u)" -eq 0 ] && chown postgres: "$pwfile"
  if ! as_pg "$bin/initdb" -D "$PG_DATA" -U "$DATABASE_USERNAME" --pwfile="$pwfile" \
    --auth-host=scram-sha-256 --auth-local=scram-sha-256 -E UTF8 --locale=C.UTF-8 \
    >"$PG_ROOT/initdb.log" 2>&1; then
    rm -f "$pwfile"
    log "initdb failed; $PG_ROOT/initdb.log:"
    tail -n 30 "$PG_ROOT/initdb.log" >&2
    exit 1
  fi
  rm -f "$pwfile"
  # Loopback TCP only, no Unix socket (its default folder may not be ours).
  as_pg tee -a "$PG_DATA/postgresql.conf" >/dev/null <<EOF
# scripts/strapi.sh
listen_addresses = '127.0.0.1'
port = $DATABASE_PORT
unix_socket_directories = ''
max_connections = 50
EOF
}

pg_start() {
  pg_init
  if ! pg_running; then
    local other
    if other="$(used_elsewhere "$PG_DATA" 3)"; then
      log "the PostgreSQL cluster $PG_DATA belongs to the Strapi on port $other but is not running"
    fi
    if (exec 3<>"/dev/tcp/127.0.0.1/$DATABASE_PORT") 2>/dev/null; then
      log "port $DATABASE_PORT already answers, but not from this script's cluster ($PG_DATA); set DATABASE_PORT"
      exit 1
    fi
    log "starting PostgreSQL on 127.0.0.1:$DATABASE_PORT (log: $PG_ROOT/postgres.log)"
    if ! as_pg "$(pg_bin)/pg_ctl" -D "$PG_DATA" -l "$PG_ROOT/postgres.log" -w -t 60 start >/dev/null; then
      log "PostgreSQL did not start; last lines of $PG_ROOT/postgres.log:"
      tail -n 30 "$PG_ROOT/postgres.log" >&2
      exit 1
    fi
  fi
  local have
  if ! have="$(pg_sql "SELECT 1 FROM pg_database WHERE datname = '$DATABASE_NAME'" 2>&1)"; then
    log "cannot connect to PostgreSQL on 127.0.0.1:$DATABASE_PORT as $DATABASE_USERNAME: $have"
    log "(the cluster in $PG_ROOT keeps the password it was made with: use the same DATABASE_PASSWORD, or delete that folder)"
    exit 1
  fi
  if [ "$have" != "1" ]; then
    log "creating database $DATABASE_NAME"
    pg_sql "CREATE DATABASE $DATABASE_NAME" >/dev/null
  fi
}

pg_stop() {
  local data="$1" other
  [ -n "$data" ] && [ -f "$data/PG_VERSION" ] || return 0
  if other="$(used_elsewhere "$data" 3)"; then
    log "PostgreSQL ($data) left running: the Strapi on port $other uses it"
    return 0
  fi
  if as_pg "$(pg_bin)/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    as_pg "$(pg_bin)/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null
    echo "PostgreSQL stopped ($data)"
  fi
}

# ------------------------------------------------------------------ commands

delete_db() {
  if [ "$DB_CLIENT" = "postgres" ]; then
    pg_start
    log "dropping database $DATABASE_NAME on port $DATABASE_PORT"
    pg_sql "DROP DATABASE IF EXISTS $DATABASE_NAME WITH (FORCE)" >/dev/null
    pg_sql "CREATE DATABASE $DATABASE_NAME" >/dev/null
    return 0
  fi
  log "deleting database $DB_PATH"
  rm -f "$DB_PATH" "$DB_PATH-journal" "$DB_PATH-wal" "$DB_PATH-shm"
}

print_log_tail() {
  if [ -f "$LOG_FILE" ]; then
    log "last lines of $LOG_FILE:"
    tail -n 60 "$LOG_FILE" >&2
  fi
}

cmd_start() {
  local fresh="${STRAPI_FRESH:-0}"
  while [ $# -gt 0 ]; do
    case "$1" in
      --fresh) fresh=1 ;;
      *) log "unknown option for start: $1"; exit 2 ;;
    esac
    shift
  done

  local pid other
  if other="$(db_used_elsewhere)"; then
    if [ "$DB_CLIENT" = "postgres" ]; then
      log "database $DB_PATH is in use by the Strapi on port $other; set DATABASE_NAME or DATABASE_PORT to another"
    else
      log "database $DB_PATH is in use by the Strapi on port $other; set DATABASE_FILENAME to another file"
    fi
    exit 1
  fi

  if pid="$(running_pid)"; then
    if [ "$(recorded_db)" != "$DB_PATH" ]; then
      log "the Strapi on port $STRAPI_PORT (pid $pid) runs on database $(recorded_db), not $DB_PATH; stop it first (STRAPI_PORT=$STRAPI_PORT scripts/strapi.sh stop) or choose another STRAPI_PORT"
      exit 1
    fi
    if [ "$fresh" = "1" ]; then
      log "--fresh: stopping the Strapi on port $STRAPI_PORT (pid $pid) first"
      stop_strapi
    elif is_healthy; then
      echo "Strapi already running (pid $pid, $HEALTH_URL -> 204)"
      return 0
    else
      log "Strapi process $pid is alive but not healthy yet; waiting"
      wait_healthy "$pid"
      return 0
    fi
  fi
  rm -f "$PID_FILE"

  if [ "$(health_code)" != "000" ]; then
    log "port $STRAPI_PORT already answers at $HEALTH_URL, but not from a Strapi started by this script; stop it or set STRAPI_PORT"
    exit 1
  fi

  export_env
  ensure_installed
  ensure_admin_built
  mkdir -p "$RUN_DIR" "$APP/public/uploads"
  local pg_data=""
  if [ "$DB_CLIENT" = "postgres" ]; then
    pg_start
    pg_data="$PG_DATA"
  else
    mkdir -p "$(dirname "$DB_PATH")"
  fi
  if [ "$fresh" = "1" ]; then
    delete_db
  fi

  [ -f "$LOG_FILE" ] && mv -f "$LOG_FILE" "$LOG_FILE.1"
  log "starting Strapi on $STRAPI_HOST:$STRAPI_PORT ($DB_CLIENT; log: $LOG_FILE)"
  local started
  started="$(date +%s)"
  (
    cd "$APP"
    # Own session so the terminal's signals do not reach it; stdin closed.
    exec setsid node "$APP/node_modules/@strapi/strapi/bin/strapi.js" start \
      </dev/null >>"$LOG_FILE" 2>&1
  ) &
  pid=$!
  printf '%s\n%s\n%s\n' "$pid" "$DB_PATH" "$pg_data" >"$PID_FILE"
  wait_healthy "$pid"
  local admin=""
  admin_enabled && admin=", admin panel http://127.0.0.1:$STRAPI_PORT/admin"
  echo "Strapi started (pid $pid) in $(($(date +%s) - started)) s: http://127.0.0.1:$STRAPI_PORT/api$admin"
}

wait_healthy() {
  local pid="$1" deadline
  deadline=$(($(date +%s) + START_TIMEOUT))
  while :; do
    if is_healthy; then
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      log "Strapi (pid $pid) exited before becoming healthy"
      local pg_data
      pg_data="$(recorded_pg)"
      rm -f "$PID_FILE"
      print_log_tail
      pg_stop "$pg_data" >/dev/null 2>&1 || true
      exit 1
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      log "Strapi not healthy after ${START_TIMEOUT}s ($HEALTH_URL); stopping it"
      print_log_tail
      cmd_stop >/dev/null 2>&1 || true
      exit 1
    fi
    sleep 1
  done
}

# Stops this port's Strapi; prints the PostgreSQL folder it used, if any.
stop_strapi() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    echo "Strapi not running"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  local waited=0
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$waited" -ge "$STOP_TIMEOUT" ]; then
      log "Strapi (pid $pid) still alive after ${STOP_TIMEOUT}s; sending KILL"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 1
    waited=$((waited + 1))
  done
  rm -f "$PID_FILE"
  echo "Strapi stopped (pid $pid)"
}

cmd_stop() {
  local pg_data
  pg_data="$(recorded_pg)"
  stop_strapi
  if [ -n "$pg_data" ]; then
    pg_stop "$pg_data"
  elif [ "$DB_CLIENT" = "postgres" ]; then
    # A cluster left running by an interrupted start.
    pg_stop "$PG_DATA"
  fi
}

cmd_reset() {
  local other
  if other="$(db_used_elsewhere)"; then
    log "database $DB_PATH is in use by the Strapi on port $other; not deleting it"
    exit 1
  fi
  stop_strapi
  delete_db
  cmd_start "$@"
}

cmd_status() {
  local pid code
  code="$(health_code)"
  if pid="$(running_pid)"; then
    if [ "$code" = "204" ]; then
      echo "running (pid $pid, database $(recorded_db)), health ok ($HEALTH_URL -> 204)"
    else
      echo "running (pid $pid, database $(recorded_db)), health NOT ok ($HEALTH_URL -> $code)"
    fi
    return 0
  fi
  echo "stopped (health: $HEALTH_URL -> $code)"
  return 3
}

cmd_build_admin() {
  if ! admin_enabled; then
    log "STRAPI_SERVE_ADMIN is false: the admin panel is not built"
    return 0
  fi
  ensure_installed
  ensure_admin_built
  echo "admin panel up to date: $ADMIN_BUILD"
}

main() {
  local cmd="${1:-}"
  [ $# -gt 0 ] && shift
  case "$cmd" in
    start) cmd_start "$@" ;;
    stop) cmd_stop ;;
    reset) cmd_reset "$@" ;;
    status) cmd_status ;;
    build-admin) cmd_build_admin ;;
    *)
      echo "usage: $(basename "$0") [--db sqlite|postgres] start [--fresh] | stop | reset | status | build-admin" >&2
      exit 2
      ;;
  esac
}

main "$@"
