#!/usr/bin/env bash
# Benchmark: diagnostics latency and memory of `guidepress server` against
# yaml-language-server (npm, locked in benches/lsp/package-lock.json), through
# a real LSP exchange over stdio driven by benches/lsp/drive.py: open a guide,
# type EDITS edits into it, time each edit to its diagnostics.
#
#   1. the bundled guide, in a copy of this repository's guidepress.toml,
#      content, schemas and official data;
#   2. one guide of a workspace of 2,000 guides (benches/gen_corpus.py, plus
#      the schemas and official data), for the server's memory;
#   3. the bundled guide again with the prose checks (GP7xx, on by default)
#      off (`[prose] enabled = false`): what spelling and house terms cost.
#
# Usage: bash benches/lsp.sh [EDITS]   (default 200)
# GUIDEPRESS=path/to/guidepress skips the release build and uses that binary.
set -euo pipefail
cd "$(dirname "$0")/.."
EDITS=${1:-200}
root=$PWD

if [ -z "${GUIDEPRESS:-}" ]; then
  cargo build --release --locked --quiet
  GUIDEPRESS=$root/target/release/guidepress
fi
(
  cd benches/lsp
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --prefer-offline --loglevel=error >&2
  fi
)
YAMLLS=(node "$root/benches/lsp/node_modules/yaml-language-server/bin/yaml-language-server" --stdio)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bundled"
cp -r guidepress.toml content schemas data "$work/bundled/"
cp -r "$work/bundled" "$work/bundled-noprose"
printf '\n[prose]\nenabled = false\n' >> "$work/bundled-noprose/guidepress.toml"
python3 benches/gen_corpus.py 2000 "$work/corpus" >&2
cp -r schemas data "$work/corpus/"
guides=("$work"/corpus/content/guides/*.yaml)
corpus_guide=content/guides/$(basename "${guides[0]}")

echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$("$GUIDEPRESS" --version | head -1), yaml-language-server $(node -p "require('$root/benches/lsp/node_modules/yaml-language-server/package.json').version"), node $(node --version), $EDITS edits"
printf '| server | workspace | edits | matched by | open ms | median ms | p95 ms | max ms | peak RSS MiB | timed out | diagnostics at end |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|\n'
run() { # LABEL WORKSPACE GUIDE COMMAND...
  local label=$1 workspace=$2 guide=$3
  shift 3
  python3 benches/lsp/drive.py --label "$label" --edits "$EDITS" --workspace "$workspace" \
    --guide "$guide" --schema "$workspace/schemas/guide.schema.json" -- "$@" |
    awk -F'\t' -v ws="$(basename "$workspace")" \
      '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, ws, $2, $3, $4, $5, $6, $7, $8, $9, $10 }'
}
run "guidepress server" "$work/bundled" content/guides/backend-engineer.yaml "$GUIDEPRESS" server
run "guidepress server (prose off)" "$work/bundled-noprose" content/guides/backend-engineer.yaml "$GUIDEPRESS" server
run "yaml-language-server" "$work/bundled" content/guides/backend-engineer.yaml "${YAMLLS[@]}"
run "guidepress server" "$work/corpus" "$corpus_guide" "$GUIDEPRESS" server
run "yaml-language-server" "$work/corpus" "$corpus_guide" "${YAMLLS[@]}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
