#!/usr/bin/env bash
# Benchmark: `guidepress check` against check-jsonschema (PyPI) and ajv-cli
# (npm) on the same generated corpus and schema, in one run, plus the floor
# (only reading and parsing the same files). Installs the other tools under
# benches/out/. Usage: bash benches/check.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
OUT=benches/out
mkdir -p "$OUT"

cargo build --release --locked --quiet
cargo bench --locked --bench floor --no-run --quiet 2>/dev/null || cargo bench --locked --bench floor --no-run
BIN=$PWD/target/release/guidepress

if [ ! -x "$OUT/venv/bin/check-jsonschema" ]; then
  python3 -m venv "$OUT/venv"
  "$OUT/venv/bin/pip" install --quiet check-jsonschema
fi
if [ ! -x "$OUT/node/node_modules/.bin/ajv" ]; then
  mkdir -p "$OUT/node"
  (cd "$OUT/node" && echo '{"private":true}' > package.json && npm install --silent --no-audit --no-fund ajv-cli@5 ajv-formats@3)
fi
AJV=$PWD/$OUT/node/node_modules/.bin/ajv
CJS=$PWD/$OUT/venv/bin/check-jsonschema
SCHEMA=$PWD/schemas/guide.schema.json

for n in 500 2000 10000; do
  [ -d "benches/corpus/$n/content/guides" ] && [ "$(ls "benches/corpus/$n/content/guides" | wc -l)" = "$n" ] \
    || python3 benches/gen_corpus.py "$n" "benches/corpus/$n"
done

echo "check-jsonschema $("$CJS" --version 2>&1 | tail -1), ajv-cli $("$AJV" help 2>&1 | head -1 | tr -d '\n' || true), $(nproc) cores"
printf 'tool\tfiles\tseconds\tfiles/s\tpeak MiB\texit\n'
for n in 2000 10000; do
  dir=$PWD/benches/corpus/$n
  guides=$dir/content/guides
  floor=$(cargo bench --locked --quiet --bench floor -- "$guides" 5 2>/dev/null | awk '/^floor/ {print $3}')
  printf 'floor (read+parse)\t%s\t%s\t%.0f\t-\t-\n' "$n" "$floor" "$(echo "$n / $floor" | bc -l)"
  (cd "$dir" && python3 "$OLDPWD/benches/measure.py" "guidepress check" "$((n + 1))" "$RUNS" -- "$BIN" check -q)
  (cd "$dir" && python3 "$OLDPWD/benches/measure.py" "guidepress check (schema only)" "$n" "$RUNS" -- "$BIN" check -q --schema "$SCHEMA" content/guides)
  python3 benches/measure.py "ajv-cli" "$n" "$RUNS" -- "$AJV" validate --spec=draft2020 --strict=false -c ajv-formats -s "$SCHEMA" -d "$guides/*.yaml"
  if [ "$n" = 2000 ]; then
    sub=$PWD/benches/corpus/500/content/guides
    # check-jsonschema is slow: a 500-guide subset; compare files per second.
    python3 benches/measure.py "check-jsonschema" 500 1 -- "$CJS" --schemafile "$SCHEMA" $(ls "$sub"/*.yaml)
  fi
done
