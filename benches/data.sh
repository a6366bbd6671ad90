#!/usr/bin/env bash
# Cost of the official-data rules (GP6xx): `guidepress check` of N copies of
# the bundled guide as it is (its figures are BLS's, so every copy looks its
# occupation up and compares every figure), with `[data]` off, with the OEWS
# snapshots only, and with the Employment Projections too (the outlook rules
# GP611-GP614: every copy sums its OOH group's projections). The copies
# differ only in slug and file name. Usage: bash benches/data.sh [N] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-2000}
RUNS=${2:-7}
ROOT=$PWD
DIR=$ROOT/benches/corpus/data-$N

cargo build --release --locked --quiet
BIN=$ROOT/target/release/guidepress

if [ ! -d "$DIR/content/guides" ] || [ "$(ls "$DIR/content/guides" | wc -l)" != "$N" ]; then
  rm -rf "$DIR"
  mkdir -p "$DIR/content/guides"
  cp -r content/authors "$DIR/content/authors"
  python3 - "$N" "$DIR/content/guides" <<'PY'
import sys
n, out = int(sys.argv[1]), sys.argv[2]
with open("content/guides/backend-engineer.yaml", encoding="utf-8") as f:
    template = f.read()
for i in range(n):
    slug = f"backend-engineer-{i:05d}"
    with open(f"{out}/{slug}.yaml", "w", encoding="utf-8") as f:
        f.write(template.replace("slug: backend-engineer", f"slug: {slug}", 1))
PY
fi

config() { # ENABLED WITH_PROJECTIONS
  cat <<TOML
[[schemas]]
files = "content/guides/*.yaml"
schema = "$ROOT/schemas/guide.schema.json"
kind = "guide"

[[schemas]]
files = "content/authors/*.yaml"
schema = "$ROOT/schemas/author.schema.json"
kind = "author"

[data]
enabled = $1
dir = "$ROOT/data/oews"
TOML
  # Without it, `data/ep` beside the configuration (absent here): no outlook rules.
  [ "$2" = yes ] && echo "projections_dir = \"$ROOT/data/ep\""
  true
}
config true yes > "$DIR/with-data.toml"
config true no > "$DIR/oews-only.toml"
config false no > "$DIR/without-data.toml"

echo "$N copies of content/guides/backend-engineer.yaml, $RUNS runs each, alternating, $(nproc) cores"
cd "$DIR"
# Wall time, and CPU time (user + system), which machine load disturbs less.
python3 - "$BIN" "$RUNS" <<'PY'
import os, statistics, subprocess, sys, time
binary, runs = sys.argv[1], int(sys.argv[2])
configs = {
    "without data": "without-data.toml",
    "OEWS only": "oews-only.toml",
    "OEWS + projections": "with-data.toml",
}
wall = {k: [] for k in configs}
cpu = {k: [] for k in configs}
peak = {k: 0 for k in configs}
for _ in range(runs):
    for label, config in configs.items():
        start = time.perf_counter()
        proc = subprocess.Popen([binary, "check", "-q", "--config", config],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        wall[label].append(time.perf_counter() - start)
        cpu[label].append(usage.ru_utime + usage.ru_stime)
        peak[label] = max(peak[label], usage.ru_maxrss)
        assert os.waitstatus_to_exitcode(status) == 0, f"{label}: exit {status}"
print("run\twall s (median)\tCPU s (median)\tpeak MiB")
for label in configs:
    print(f"{label}\t{statistics.median(wall[label]):.3f}\t{statistics.median(cpu[label]):.3f}\t{peak[label] / 1024:.0f}")
def overhead(series, base, label):
    off, on = statistics.median(series[base]), statistics.median(series[label])
    return 100 * (on - off) / off
print(f"the OEWS rules (GP601-GP608) add {overhead(cpu, 'without data', 'OEWS only'):+.1f}% CPU time, {overhead(wall, 'without data', 'OEWS only'):+.1f}% wall time")
print(f"the outlook rules (GP611-GP614) add {overhead(cpu, 'OEWS only', 'OEWS + projections'):+.1f}% CPU time, {overhead(wall, 'OEWS only', 'OEWS + projections'):+.1f}% wall time")
print(f"all data rules add {overhead(cpu, 'without data', 'OEWS + projections'):+.1f}% CPU time, {overhead(wall, 'without data', 'OEWS + projections'):+.1f}% wall time")
PY
