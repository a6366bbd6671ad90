#!/usr/bin/env bash
# Benchmark: `guidepress check` against check-jsonschema (PyPI) and ajv-cli
# (npm) on the same generated corpora and schema, in one run, plus the floor
# (only reading and parsing the same files): a clean corpus, one where every
# guide carries one warning, and one where every guide carries one error.
# The prose column: the clean corpus checked again with the prose checks
# (GP7xx, on by default) off, `[prose] enabled = false`; the issue's target
# is prose on at most 2x prose off, with peak memory flat. The typo corpus
# (2,000 guides, one misspelling each) adds the cost of suggestions.
# Installs the other tools under benches/out/. Usage: bash benches/check.sh [RUNS]
# Each line: wall seconds (median of RUNS), files per second, CPU seconds
# (user + system) and peak RSS; the load average is printed before and after,
# as wall times on a shared machine depend on it.
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

# Corpora: clean (every guide passes), warning (every guide carries one
# warning, as the bundled guide does), error (one error in every guide).
# BENCH_SIZES and BENCH_LARGE (the 50,000-guide memory run, 600 MB of files)
# choose what runs.
SIZES=${BENCH_SIZES:-"2000 10000"}
corpus() { # N KIND
  local dir=benches/corpus/$2-$1
  [ "$2" = clean ] && dir=benches/corpus/$1
  [ -d "$dir/content/guides" ] && [ "$(ls "$dir/content/guides" | wc -l)" = "$1" ] \
    || python3 benches/gen_corpus.py "$1" "$dir" "$2" >&2
  echo "$PWD/$dir"
}
corpus 500 clean >/dev/null

echo "check-jsonschema $("$CJS" --version 2>&1 | tail -1), ajv-cli $("$AJV" help 2>&1 | head -1 | tr -d '\n' || true), $(nproc) cores"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf 'tool\tfiles\tseconds\tfiles/s\tCPU s\tpeak MiB\texit\n'
for n in $SIZES; do
  for kind in clean warning error; do
    dir=$(corpus "$n" "$kind")
    guides=$dir/content/guides
    if [ "$kind" = clean ]; then
      floor=$(cargo bench --locked --quiet --bench floor -- "$guides" 5 2>/dev/null | awk '/^floor/ {print $3}')
      printf 'floor (read+parse)\t%s\t%s\t%.0f\t-\t-\t-\n' "$n" "$floor" "$(echo "$n / $floor" | bc -l)"
    fi
    (cd "$dir" && python3 "$OLDPWD/benches/measure.py" "guidepress check ($kind)" "$((n + 1))" "$RUNS" -- "$BIN" check -q)
    if [ "$kind" = clean ]; then
      (cd "$dir" && python3 "$OLDPWD/benches/measure.py" "guidepress check (schema only)" "$n" "$RUNS" -- "$BIN" check -q --schema "$SCHEMA" content/guides)
      { cat "$dir/guidepress.toml"; printf '\n[prose]\nenabled = false\n'; } > "$dir/guidepress-noprose.toml"
      (cd "$dir" && python3 "$OLDPWD/benches/measure.py" "guidepress check (clean, prose off)" "$((n + 1))" "$RUNS" -- "$BIN" check -q --config guidepress-noprose.toml)
      if [ "$n" = 2000 ]; then
        # Every guide with one misspelling (161 distinct ones): what suggestions cost.
        typo=$(corpus "$n" typo)
        (cd "$typo" && python3 "$OLDPWD/benches/measure.py" "guidepress check (typo, prose on)" "$((n + 1))" "$RUNS" -- "$BIN" check -q)
      fi
    fi
    if [ "$n" = 2000 ] || [ "$kind" = clean ]; then
      python3 benches/measure.py "ajv-cli ($kind)" "$n" "$RUNS" -- "$AJV" validate --spec=draft2020 --strict=false -c ajv-formats -s "$SCHEMA" -d "$guides/*.yaml"
    fi
  done
  if [ "$n" = 2000 ]; then
    sub=$PWD/benches/corpus/500/content/guides
    # check-jsonschema is slow: a 500-guide subset; compare files per second.
    python3 benches/measure.py "check-jsonschema" 500 1 -- "$CJS" --schemafile "$SCHEMA" $(ls "$sub"/*.yaml)
  fi
done
if [ -n "${BENCH_LARGE:-}" ]; then
  dir=$(corpus 50000 clean)
  (cd "$dir" && python3 "$OLDPWD/benches/measure.py" "guidepress check (clean)" 50001 1 -- "$BIN" check -q)
fi
# Placing a finding: one parse recording the span index, against parsing
# again (up to the finding's node, or the whole file), per file.
for kind in warning:/career_path error:/salary_by_state; do
  dir=$(corpus 2000 "${kind%%:*}")
  echo "spans (${kind%%:*} corpus, 2000 files, one thread):"
  cargo bench --locked --quiet --bench spans -- "$dir/content/guides" "${kind#*:}" 5 2>/dev/null
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
