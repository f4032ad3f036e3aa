#!/usr/bin/env bash
# Side-by-side benchmark of clinex extract against poppler, pdfplumber, PyMuPDF and pypdfium2 on
# the same PDFs, in one run. Creates its own pinned venv (.deps/bench-venv) the first time.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
python=$("$root/scripts/bench-venv.sh")
exec "$python" "$root/bench/compare.py" --clinex "$root/target/release/clinex" \
  --out "$root/bench/results/text-extraction.md" "$root/corpus/out" "$@"
