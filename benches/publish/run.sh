#!/usr/bin/env bash
# Publishing benchmark: 500 generated approved guides to the local Strapi.
#
# Usage: benches/publish/run.sh
#
# Starts the shipped Strapi (scripts/strapi.sh, fresh database of its own),
# generates BENCH_GUIDES approved guides from the seed guide, then
#   1. publishes them all (reports guides per second at the configured concurrency);
#   2. publishes again, unchanged (reports requests and time: the target is zero
#      writes and at most one read per 100 guides).
# Stops the Strapi it started.
#
# Environment: BENCH_GUIDES (500), BENCH_CONCURRENCY (4), BENCH_PROFILE
# (release; `dev` reuses the test build), BENCH_BIN (use this guidepress
# binary instead of building one), STRAPI_PORT (1340).
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

bash scripts/strapi.sh start --fresh >&2

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

run() {
  local name="$1" out="$WORK/$1.json" start end
  start=$(date +%s.%N)
  (cd "$WORK" && "$BIN" publish --quiet --output-format json >"$out") || {
    echo "run $name failed" >&2
    head -c 2000 "$out" >&2
    exit 1
  }
  end=$(date +%s.%N)
  python3 - "$out" "$start" "$end" "$name" "$GUIDES" "$CONCURRENCY" <<'PY'
import json, sys
path, start, end, name, guides, conc = sys.argv[1:]
r = json.load(open(path))
secs = float(end) - float(start)
acts = {}
for e in r["entries"]:
    acts[e["action"]] = acts.get(e["action"], 0) + 1
fails = sum(1 for e in r["entries"] if e.get("outcome") in ("failed", "conflict", "skipped"))
line = f"{name}: {secs:.2f} s wall ({r['seconds']:.2f} s talking to the CMS, the rest loading and checking), {r['reads']} reads, {r['writes']} writes, actions {acts}, failures {fails}"
if name == "first":
    line += f"; {int(guides) / secs:.1f} guides/s at concurrency {conc}"
else:
    line += f"; {r['reads'] / (int(guides) / 100):.2f} reads per 100 guides"
print(line)
PY
}

echo "publishing $GUIDES guides to Strapi on 127.0.0.1:$STRAPI_PORT (concurrency $CONCURRENCY, $PROFILE build)"
run first
run second
