#!/usr/bin/env bash
# Benchmark: `guidepress links` against lychee on the same URLs, served on
# loopback with a fixed per-response delay. Prints a table.
#
#   bash benches/links/run.sh                 # defaults: 2000 URLs on 8 hosts, 50 ms, 5 citations each
#   bash benches/links/run.sh --urls 500      # any option of bench.py
#
# lychee is taken from $LYCHEE, the PATH, or benches/out/lychee; failing
# those it is installed there with `cargo install lychee --locked` (this
# compiles for several minutes, once).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=benches/out
mkdir -p "$OUT"

cargo build --release --locked --bin guidepress
GUIDEPRESS="${CARGO_TARGET_DIR:-target}/release/guidepress"

LYCHEE="${LYCHEE:-}"
if [ -z "$LYCHEE" ]; then
  if command -v lychee >/dev/null 2>&1; then
    LYCHEE="$(command -v lychee)"
  elif [ -x "$OUT/lychee/bin/lychee" ]; then
    LYCHEE="$OUT/lychee/bin/lychee"
  else
    echo "Installing lychee into $OUT/lychee (compiles for several minutes)..." >&2
    cargo install lychee --locked --root "$OUT/lychee"
    LYCHEE="$OUT/lychee/bin/lychee"
  fi
fi

exec python3 benches/links/bench.py --guidepress "$GUIDEPRESS" --lychee "$LYCHEE" --out "$OUT" "$@"
