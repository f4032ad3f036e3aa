#!/usr/bin/env bash
# compare-outputs.sh OLD_CLINEX NEW_CLINEX: runs two clinex binaries over the same inputs and
# lists every output that differs: a refactor must list nothing, a change of behaviour exactly
# what it meant to change. Inputs: the generated corpus and every clinical PDF (batch, JSON and
# N-Quads), table and flowchart exports and Turtle for a few documents, every image file of the
# OCR samples. Build the old binary from the commit to compare with (git worktree) first.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=${SHARED:-$root/../shared}
[ $# -eq 2 ] || { echo "usage: $0 OLD_CLINEX NEW_CLINEX" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run() {
  local bin=$1 out=$2
  mkdir -p "$out"
  "$bin" batch "$root/corpus/out" "$shared/data/clinical" --out "$out/batch" --triples nq >/dev/null 2>&1 || true
  for f in "$root"/corpus/out/{en_guideline,zh_guideline,long_tables,raster_flowchart,scanned_guideline_zh}.pdf \
    "$shared"/data/clinical/en_ed-handbook/docs/assets/{emergency-treatment,refractory}-anaphylaxis*.pdf; do
    local n; n=$(basename "$f" .pdf)
    "$bin" extract "$f" -o "$out/$n.json" --tables-dir "$out/$n.tables" --graphs-dir "$out/$n.graphs" 2>/dev/null || true
    "$bin" triples "$f" --format ttl -o "$out/$n.ttl" 2>/dev/null || true
  done
  find "$shared/data/ocr" -type f \( -name '*.png' -o -name '*.tif*' -o -name '*.jpg' \) | sort | while read -r f; do
    local n; n=$(echo "${f#"$shared"/}" | tr '/' '_')
    "$bin" extract "$f" -o "$out/$n.json" 2>/dev/null; echo "$n exit $?" >>"$out/exit-codes.txt"
  done
}

(cd "$root" && run "$(realpath "$1")" "$work/old")
(cd "$root" && run "$(realpath "$2")" "$work/new")
files=$(cd "$work/new" && find . -type f | wc -l)
if diff -rq "$work/old" "$work/new"; then
  echo "no difference in $files outputs"
else
  exit 1
fi
