#!/usr/bin/env bash
# Cost of the official-data rules (GP6xx): `guidepress check` of N copies of
# the bundled guide as it is (its figures are BLS's, so every copy looks its
# occupation up and compares every figure), with `[data]` on and off. The
# copies differ only in slug and file name. Usage: bash benches/data.sh [N] [RUNS]
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

config() {
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
}
config true > "$DIR/with-data.toml"
config false > "$DIR/without-data.toml"

echo "$N copies of content/guides/backend-engineer.yaml, $RUNS runs each, $(nproc) cores"
printf 'run\tfiles\tseconds\tfiles/s\tpeak MiB\texit\n'
cd "$DIR"
files=$((N + $(ls content/authors | wc -l)))
# Alternate the two so machine load affects both alike.
: > results.tsv
for _ in 1 2 3; do
  python3 "$ROOT/benches/measure.py" "without data" "$files" "$RUNS" -- "$BIN" check -q --config without-data.toml | tee -a results.tsv
  python3 "$ROOT/benches/measure.py" "with data" "$files" "$RUNS" -- "$BIN" check -q --config with-data.toml | tee -a results.tsv
done
python3 - <<'PY'
import statistics
rows = [line.split("\t") for line in open("results.tsv") if line.strip()]
off = statistics.median(float(r[2]) for r in rows if r[0] == "without data")
on = statistics.median(float(r[2]) for r in rows if r[0] == "with data")
print(f"median without data {off:.3f} s, with data {on:.3f} s: the data rules add {100 * (on - off) / off:+.1f}%")
PY
