#!/usr/bin/env bash
# Builds the VS Code extension (editors/vscode/) into a .vsix with the
# @vscode/vsce pinned in editors/vscode/package-lock.json.
#
# Usage: bash scripts/vsix.sh [OUT_DIR]   (default target/vsix)
# Prints the path of the .vsix: OUT_DIR/guidepress-<version>.vsix.
#
# The npm packages are installed with `npm ci` from the lockfile when
# editors/vscode/node_modules is missing or older than the lockfile; after
# that the script runs offline. Install with `code --install-extension FILE`.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
ext=editors/vscode
out=${1:-target/vsix}
case $out in /*) ;; *) out=$root/$out ;; esac

cd "$ext"
# node_modules/.package-lock.json is npm's record of what it installed.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] \
  || [ ! -x node_modules/.bin/vsce ]; then
  npm ci --no-audit --no-fund --prefer-offline --loglevel=error >&2
fi
node --check extension.js

version=$(node -p 'require("./package.json").version')
name=$(node -p 'require("./package.json").name')
mkdir -p "$out"
vsix=$out/$name-$version.vsix
rm -f "$vsix"
# vsce lists the production dependencies with `npm list` (local) and packs
# them with extension.js, package.json, README.md and LICENSE.
node_modules/.bin/vsce package --no-update-package-json --no-git-tag-version \
  --out "$vsix" >&2
echo "$vsix"
