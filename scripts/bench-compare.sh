#!/usr/bin/env bash
# Side-by-side benchmark of clinex extract against poppler, pdfplumber, PyMuPDF and pypdfium2 on
# the same PDFs, in one run. Creates its own pinned venv (.deps/bench-venv) the first time.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv="$root/.deps/bench-venv"
req="$root/bench/requirements.txt"
req_nodeps="$root/bench/requirements-nodeps.txt"
sha=$(cat "$req" "$req_nodeps" | sha256sum | cut -d' ' -f1)
if [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" != "$sha" ]; then
  echo "[bench] installing the comparison tools into $venv" >&2
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --require-hashes -r "$req"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --require-hashes --no-deps -r "$req_nodeps"
  echo "$sha" >"$venv/.requirements.sha256"
fi
exec "$venv/bin/python" "$root/bench/compare.py" --clinex "$root/target/release/clinex" \
  --out "$root/bench/results/text-extraction.md" "$root/corpus/out" "$@"
