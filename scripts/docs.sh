#!/usr/bin/env bash
# Builds the documentation site into OUTDIR:
#   bash scripts/docs.sh OUTDIR          the site, `mkdocs build --strict`, and
#                                        its links and the README's checked offline
#   bash scripts/docs.sh --stage         only the sources (target/docs-stage),
#                                        for `mike deploy -F target/docs-stage/mkdocs.yml`
#   bash scripts/docs.sh --links         the sources, and every external link of
#                                        them and of the README checked live
#
# 1. Copies docs/ and mkdocs.yml to $GUIDEPRESS_DOCS_STAGE (default
#    target/docs-stage/), and writes the generated pages into it with
#    `guidepress docs generate` (the binary is built, or $GUIDEPRESS_BIN): a
#    page per diagnostic code, the configuration and command-line references.
#    Generated pages are never committed. A page the nav names that is neither
#    written nor generated stops the script, naming it.
# 2. Checks the external links of README.md and every page with `guidepress
#    links` itself: offline when building (every address read and validated,
#    nothing requested), live with --links (the weekly docs-links workflow).
# 3. Installs the pinned MkDocs, Material and mike (scripts/docs-requirements.txt)
#    into a virtual environment, $GUIDEPRESS_DOCS_VENV (default
#    target/docs-venv), when it is missing or its pins changed.
# 4. Builds, then checks that every code `guidepress rules --json` lists has its
#    page at rules/<CODE>/ (the path of `[output] docs_url`'s default).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

usage() {
  echo "usage: bash scripts/docs.sh OUTDIR | --stage | --links" >&2
  exit 2
}
[ $# -eq 1 ] || usage
mode=build
case "$1" in
  --stage) mode=stage ;;
  --links) mode=links ;;
  -*) usage ;;
  *) out=$1 ;;
esac

if [ -n "${GUIDEPRESS_BIN:-}" ]; then
  bin=$GUIDEPRESS_BIN
else
  cargo build --quiet --locked --bin guidepress
  bin=$root/target/debug/guidepress
fi

stage=${GUIDEPRESS_DOCS_STAGE:-$root/target/docs-stage}
case "$stage" in
  /?*) ;;
  *) echo "docs: GUIDEPRESS_DOCS_STAGE must be an absolute folder" >&2; exit 2 ;;
esac
rm -rf "$stage"
mkdir -p "$stage"
# The written pages: docs/, or $GUIDEPRESS_DOCS_SOURCE (a test's copy).
cp -R "${GUIDEPRESS_DOCS_SOURCE:-docs}" "$stage/docs"
cp mkdocs.yml "$stage/mkdocs.yml"
"$bin" --quiet docs generate "$stage/docs"
# Every page of the nav, written or generated, is in the stage.
missing=0
while IFS= read -r page; do
  if [ ! -f "$stage/docs/$page" ]; then
    echo "docs: mkdocs.yml's nav names $page, which is neither in docs/ nor generated" >&2
    missing=1
  fi
done < <(sed -n '/^nav:/,/^[^ ]/s/^ *- [^:]*: \([^ ]*\.md\)$/\1/p' mkdocs.yml)
[ "$missing" = 0 ] || exit 1

if [ "$mode" = stage ]; then
  echo "$stage/mkdocs.yml"
  exit 0
fi

# The links of the README and of every page, generated ones included.
pages=(README.md)
while IFS= read -r -d '' page; do
  pages+=("$page")
done < <(find "$stage/docs" -name '*.md' -print0 | sort -z)
if [ "$mode" = links ]; then
  "$bin" links --output-format concise "${pages[@]}"
  exit 0
fi
"$bin" links --offline --no-cache --output-format concise "${pages[@]}"

venv=${GUIDEPRESS_DOCS_VENV:-$root/target/docs-venv}
requirements=$root/scripts/docs-requirements.txt
stamp=$venv/.requirements.sha256
want=$(sha256sum "$requirements" | cut -d' ' -f1)
if [ ! -x "$venv/bin/mkdocs" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "docs: installing the pinned MkDocs into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    --require-virtualenv -r "$requirements"
  echo "$want" >"$stamp"
fi

case "$out" in
  /*) ;;
  *) out=$root/$out ;;
esac
"$venv/bin/mkdocs" build --strict --clean --config-file "$stage/mkdocs.yml" --site-dir "$out"

missing=0
for code in $("$bin" rules --json | "$venv/bin/python" -c 'import json, sys; print(" ".join(r["code"] for r in json.load(sys.stdin)))'); do
  if [ ! -f "$out/rules/$code/index.html" ]; then
    echo "docs: no page for $code at rules/$code/" >&2
    missing=1
  fi
done
[ "$missing" -eq 0 ] || exit 1
echo "docs: built $out" >&2
