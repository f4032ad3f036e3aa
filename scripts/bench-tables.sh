#!/usr/bin/env bash
# Tables side by side on ICDAR 2013: clinex, pdfplumber and camelot (stream and lattice), the
# same metric for all, one run. Usage: bench-tables.sh ICDAR2013_DIR
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
python=$("$root/scripts/bench-venv.sh")
exec "$python" "$root/bench/tables.py" --clinex "$root/target/release/clinex" --data "$1" \
  --out "$root/bench/results/tables.md"
