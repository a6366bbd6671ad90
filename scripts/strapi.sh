#!/usr/bin/env bash
# Control the local Strapi 5 CMS that guidepress publishes to (cms/strapi).
#
# Usage: scripts/strapi.sh start [--fresh] | stop | reset | status
#
#   start   install dependencies if needed (npm ci), start Strapi in the
#           background on 127.0.0.1:$STRAPI_PORT and wait for /_health (204).
#           --fresh (or STRAPI_FRESH=1) stops this port's instance if it runs
#           and deletes its database first.
#           Exits 0 at once if this port's Strapi is already running and
#           healthy on the same database.
#   stop    stop the Strapi this script started on $STRAPI_PORT (TERM, then
#           KILL after $STRAPI_STOP_TIMEOUT s). Exits 0 if it was not running.
#   reset   stop, delete the database, start.
#   status  print running/stopped and health of the Strapi on $STRAPI_PORT;
#           exit 0 if running, 3 if not.
#
# Every instance is known by its port: its state is cms/strapi/.tmp/run/
# strapi-$STRAPI_PORT.pid (pid and database) and its log is
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
#   DATABASE_FILENAME      SQLite file, relative to cms/strapi or absolute
#                          (default .tmp/data.db)
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
case "$DATABASE_FILENAME" in
  /*) DB_PATH="$DATABASE_FILENAME" ;;
  *) DB_PATH="$APP/$DATABASE_FILENAME" ;;
esac
HEALTH_URL="http://127.0.0.1:${STRAPI_PORT}/_health"
if [ "$STRAPI_HOST" != "127.0.0.1" ] && [ "$STRAPI_HOST" != "0.0.0.0" ]; then
  HEALTH_URL="http://${STRAPI_HOST}:${STRAPI_PORT}/_health"
fi

log() { printf 'strapi.sh: %s\n' "$*" >&2; }

export_env() {
  # Strapi reads HOST/PORT; set them explicitly so an ambient HOST (some
  # shells set it to the machine's name) never changes the bind address.
  export HOST="$STRAPI_HOST"
  export PORT="$STRAPI_PORT"
  export DATABASE_FILENAME
  export STRAPI_TELEMETRY_DISABLED=true
  export BROWSER=none
  export NODE_ENV="${NODE_ENV:-development}"
  if [ -z "${STRAPI_API_TOKEN:-}" ]; then
    STRAPI_API_TOKEN="${GUIDEPRESS_CMS_TOKEN:-guidepress-dev-token}"
  fi
  export STRAPI_API_TOKEN
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

# A pid file holds two lines: the pid, then the absolute database path.

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

# Database path recorded in pid file $1 (default: this port's).
recorded_db() {
  sed -n 2p "${1:-$PID_FILE}" 2>/dev/null || true
}

# Port of another running instance (by its pid file) that uses $DB_PATH.
db_used_elsewhere() {
  local file port
  for file in "$RUN_DIR"/strapi-*.pid; do
    [ -f "$file" ] || continue
    [ "$file" = "$PID_FILE" ] && continue
    [ "$(recorded_db "$file")" = "$DB_PATH" ] || continue
    running_pid "$file" >/dev/null || continue
    port="${file##*/strapi-}"
    printf '%s\n' "${port%.pid}"
    return 0
  done
  return 1
}

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

delete_db() {
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
    log "database $DB_PATH is in use by the Strapi on port $other; set DATABASE_FILENAME to another file"
    exit 1
  fi

  if pid="$(running_pid)"; then
    if [ "$(recorded_db)" != "$DB_PATH" ]; then
      log "the Strapi on port $STRAPI_PORT (pid $pid) runs on database $(recorded_db), not $DB_PATH; stop it first (STRAPI_PORT=$STRAPI_PORT scripts/strapi.sh stop) or choose another STRAPI_PORT"
      exit 1
    fi
    if [ "$fresh" = "1" ]; then
      log "--fresh: stopping the Strapi on port $STRAPI_PORT (pid $pid) first"
      cmd_stop
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
  mkdir -p "$RUN_DIR" "$APP/public/uploads" "$(dirname "$DB_PATH")"
  if [ "$fresh" = "1" ]; then
    delete_db
  fi

  [ -f "$LOG_FILE" ] && mv -f "$LOG_FILE" "$LOG_FILE.1"
  log "starting Strapi on $STRAPI_HOST:$STRAPI_PORT (log: $LOG_FILE)"
  local started
  started="$(date +%s)"
  (
    cd "$APP"
    # Own session so the terminal's signals do not reach it; stdin closed.
    exec setsid node "$APP/node_modules/@strapi/strapi/bin/strapi.js" start \
      </dev/null >>"$LOG_FILE" 2>&1
  ) &
  pid=$!
  printf '%s\n%s\n' "$pid" "$DB_PATH" >"$PID_FILE"
  wait_healthy "$pid"
  echo "Strapi started (pid $pid) in $(($(date +%s) - started)) s: http://127.0.0.1:$STRAPI_PORT/api"
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
      rm -f "$PID_FILE"
      print_log_tail
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

cmd_stop() {
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

cmd_reset() {
  local other
  if other="$(db_used_elsewhere)"; then
    log "database $DB_PATH is in use by the Strapi on port $other; not deleting it"
    exit 1
  fi
  cmd_stop
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

main() {
  local cmd="${1:-}"
  [ $# -gt 0 ] && shift
  case "$cmd" in
    start) cmd_start "$@" ;;
    stop) cmd_stop ;;
    reset) cmd_reset "$@" ;;
    status) cmd_status ;;
    *)
      echo "usage: $(basename "$0") start [--fresh] | stop | reset | status" >&2
      exit 2
      ;;
  esac
}

main "$@"
