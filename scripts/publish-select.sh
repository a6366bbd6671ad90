#!/usr/bin/env bash
# The guides a push to main publishes: every guide file added, changed or
# renamed between BEFORE and HEAD whose `status` is `approved` (published)
# or `archived` (its published version taken down by `publish
# --unpublish-archived`), one path a line. Publishing is idempotent, so an
# edit to a guide that was already approved goes out too; a guide of any
# other status is never published here. When BEFORE is not a commit of this
# clone (the first push, a forced push), every approved or archived guide is
# listed.
#
# The status is read by guidepress itself (`guidepress dump FILE`), so any
# YAML spelling of it counts (`status: "approved"`, a comment after it).
#
# Usage: scripts/publish-select.sh BEFORE [HEAD]
# Environment: GUIDEPRESS (the binary; default `guidepress` on PATH),
# GUIDES_DIR (default content/guides).
set -euo pipefail

before="${1:?usage: publish-select.sh BEFORE [HEAD]}"
head="${2:-HEAD}"
gp="${GUIDEPRESS:-guidepress}"
dir="${GUIDES_DIR:-content/guides}"

if git cat-file -e "${before}^{commit}" 2>/dev/null; then
  files="$(git diff --name-only --no-renames --diff-filter=AM "$before" "$head" -- "$dir/*.yaml" "$dir/*.yml")"
else
  files="$(git ls-files -- "$dir/*.yaml" "$dir/*.yml")"
fi

while IFS= read -r file; do
  [ -n "$file" ] && [ -f "$file" ] || continue
  if ! status="$("$gp" dump "$file" 2>/dev/null | jq -r 'if type == "object" then .status // "" else "" end')"; then
    echo "publish-select.sh: $file could not be read; run guidepress check on it" >&2
    continue
  fi
  if [ "$status" = "approved" ] || [ "$status" = "archived" ]; then
    printf '%s\n' "$file"
  fi
done <<<"$files"
