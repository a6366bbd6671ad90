#!/usr/bin/env bash
# Benchmark: `guidepress preview --out` (plain and `--annotate`) against
# `guidepress check` on the same corpus of realistic guides
# (benches/gen_corpus.py, shared with benches/check.sh), in one run. Each
# line: wall seconds (median of RUNS), files per second, CPU seconds (user +
# system) and peak RSS (benches/measure.py); the load average is printed
# before and after, as wall times on a shared machine depend on it.
# Usage: bash benches/preview.sh [N] [RUNS]   (default 10000 guides, 3 runs)
# BEFORE=/path/to/guidepress adds the same lines for another build (an older
# one, to show what a change did).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
RUNS=${2:-3}
ROOT=$PWD

cargo build --release --locked --quiet
BIN=$ROOT/target/release/guidepress

DIR=$ROOT/benches/corpus/$N
if [ ! -d "$DIR/content/guides" ] || [ "$(ls "$DIR/content/guides" | wc -l)" != "$N" ]; then
  python3 benches/gen_corpus.py "$N" "$DIR" clean >&2
fi
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

echo "$N guides, $RUNS runs, $(nproc) cores"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf 'command\tfiles\tseconds\tfiles/s\tCPU s\tpeak MiB\texit\n'
measure() { # LABEL BINARY ARGS...
  local label=$1 bin=$2
  shift 2
  (cd "$DIR" && python3 "$ROOT/benches/measure.py" "$label" "$N" "$RUNS" -- "$bin" "$@")
}
for bin in ${BEFORE:+"$BEFORE"} "$BIN"; do
  name=this
  [ "$bin" = "$BIN" ] || name=before
  measure "check ($name)" "$bin" check -q
  rm -rf "$OUT" && mkdir -p "$OUT"
  measure "preview --out ($name)" "$bin" preview -q --out "$OUT"
  pages=$(ls "$OUT" | wc -l)
  [ "$pages" = "$((N + 1))" ] || { echo "preview wrote $pages files, not $((N + 1))" >&2; exit 1; }
  measure "preview --annotate --out ($name)" "$bin" preview -q --annotate --out "$OUT"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
