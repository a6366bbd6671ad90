#!/usr/bin/env bash
# Publishing benchmark: 500 generated approved guides to the shipped Strapi,
# side by side with a bare client making the same creates.
#
# Usage: benches/publish/run.sh
#
# Generates BENCH_GUIDES approved guides from the seed guide, then, each
# measured on a fresh database of the shipped Strapi (scripts/strapi.sh):
#   1. bare: the requests guidepress would send first for each create, taken
#      from `publish --dry-run --show-requests` (whatever their shape), sent
#      as they are by benches/publish/bare.py at the same concurrency on
#      persistent connections, nothing else (no listing, no checks);
#   2. first: `guidepress publish` of them all (wall time of the whole
#      command: loading and checking the guides, listing the CMS, writing);
#   3. second: `guidepress publish` again, unchanged (target: under 1 s,
#      zero writes).
# Prints guides/s, wall time and requests of each, and the ratio of
# guidepress's first run to the bare client (target: at most 1.2).
# Stops the Strapi it started.
#
# Environment: BENCH_GUIDES (500), BENCH_CONCURRENCY (4), BENCH_ROUNDS (1:
# repeat the three measurements), BENCH_PROFILE (release; `dev` reuses the
# test build), BENCH_BIN (use this guidepress binary instead of building
# one), BENCH_PLAN_BIN (the binary asked for the requests; default
# BENCH_BIN: set it when measuring a build without --show-requests),
# STRAPI_PORT (1340).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"

GUIDES="${BENCH_GUIDES:-500}"
CONCURRENCY="${BENCH_CONCURRENCY:-4}"
PROFILE="${BENCH_PROFILE:-release}"
export STRAPI_PORT="${STRAPI_PORT:-1340}"
export DATABASE_FILENAME="${DATABASE_FILENAME:-.tmp/bench.db}"
export STRAPI_API_TOKEN="${STRAPI_API_TOKEN:-gp-bench-$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')}"
export GUIDEPRESS_CMS_TOKEN="$STRAPI_API_TOKEN"

WORK="$(mktemp -d)"
cleanup() {
  bash scripts/strapi.sh stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ -n "${BENCH_BIN:-}" ]; then
  BIN="$BENCH_BIN"
else
  cargo build --locked --profile "$PROFILE" --bin guidepress >&2
  case "$PROFILE" in dev) BIN="$ROOT/target/debug/guidepress" ;; *) BIN="$ROOT/target/$PROFILE/guidepress" ;; esac
fi

PLAN_BIN="${BENCH_PLAN_BIN:-$BIN}"

mkdir -p "$WORK/content/guides" "$WORK/content/authors"
cp content/authors/*.yaml "$WORK/content/authors/"
cat >"$WORK/guidepress.toml" <<TOML
[[schemas]]
files = "content/guides/*.yaml"
schema = "$ROOT/schemas/guide.schema.json"
kind = "guide"

[[schemas]]
files = "content/authors/*.yaml"
schema = "$ROOT/schemas/author.schema.json"
kind = "author"

[cms]
base_url = "http://127.0.0.1:$STRAPI_PORT"
concurrency = $CONCURRENCY
TOML
for i in $(seq -w 1 "$GUIDES"); do
  sed -e "s/^slug: .*/slug: bench-guide-$i/" \
      -e "s/^title: .*/title: \"Benchmark guide $i\"/" \
      -e "s/^status: .*/status: approved/" \
      content/guides/backend-engineer.yaml >"$WORK/content/guides/bench-guide-$i.yaml"
done

fresh() {
  bash scripts/strapi.sh start --fresh >&2
}

# guidepress publish NAME: one JSON report per run, timed as a whole.
publish() {
  local name="$1" out="$WORK/$1.json" start end
  start=$(date +%s.%N)
  (cd "$WORK" && "$BIN" publish --quiet --output-format json >"$out") || {
    echo "run $name failed" >&2
    head -c 2000 "$out" >&2
    exit 1
  }
  end=$(date +%s.%N)
  echo "$start $end" >"$WORK/$name.time"
}

bare() {
  (cd "$WORK" && "$PLAN_BIN" publish --dry-run --show-requests --quiet --output-format json >"$WORK/plan.json") || {
    echo "the dry run for the bare client failed" >&2
    head -c 2000 "$WORK/plan.json" >&2
    exit 1
  }
  python3 "$ROOT/benches/publish/bare.py" "$WORK/plan.json" "http://127.0.0.1:$STRAPI_PORT" "$CONCURRENCY" >"$WORK/bare.json"
}

report() {
  python3 - "$WORK" "$GUIDES" "$CONCURRENCY" "$1" <<'PY'
import json, sys
work, guides, conc, round_ = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
bare = json.load(open(f"{work}/bare.json"))
if bare["failures"]:
    sys.exit(f"the bare client failed {bare['failures']} requests: {bare['first_failure']}")
def run(name):
    r = json.load(open(f"{work}/{name}.json"))
    start, end = map(float, open(f"{work}/{name}.time").read().split())
    acts = {}
    for e in r["entries"]:
        acts[e["action"]] = acts.get(e["action"], 0) + 1
    fails = sum(1 for e in r["entries"] if e.get("outcome") in ("failed", "conflict", "skipped"))
    return r, end - start, acts, fails
first, first_wall, first_acts, first_fails = run("first")
second, second_wall, second_acts, second_fails = run("second")
print(f"round {round_}:")
print(f"  bare client:       {bare['seconds']:6.2f} s, {guides / bare['seconds']:6.1f} guides/s, {bare['requests']} requests (POST only)")
print(f"  guidepress first:  {first_wall:6.2f} s, {guides / first_wall:6.1f} guides/s, {first['reads']} reads + {first['writes']} writes"
      f" ({first['seconds']:.2f} s planning and writing after the check), actions {first_acts}, failures {first_fails}")
print(f"  ratio first/bare:  {first_wall / bare['seconds']:.2f} (whole command; {first['seconds'] / bare['seconds']:.2f} counting only planning and writing)")
print(f"  guidepress second: {second_wall:6.2f} s, {second['reads']} reads + {second['writes']} writes"
      f" ({second['seconds']:.2f} s after the check), actions {second_acts}, failures {second_fails}")
if first_fails or second_fails or second["writes"]:
    sys.exit("failures, or writes in the unchanged rerun")
PY
}

echo "publishing $GUIDES guides to Strapi on 127.0.0.1:$STRAPI_PORT (concurrency $CONCURRENCY, $PROFILE build, $BIN)"
for round in $(seq 1 "${BENCH_ROUNDS:-1}"); do
  fresh
  bare
  fresh
  publish first
  publish second
  report "$round"
done
