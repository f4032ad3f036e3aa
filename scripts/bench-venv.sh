#!/usr/bin/env bash
# Creates (or updates) the pinned venv of comparison tools at .deps/bench-venv and prints its
# python. Every requirement is pinned by sha256; the venv is rebuilt when a requirements file changes.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv="$root/.deps/bench-venv"
req="$root/bench/requirements.txt"
req_nodeps="$root/bench/requirements-nodeps.txt"
req_tables="$root/bench/requirements-tables.txt"
sha=$(cat "$req" "$req_nodeps" "$req_tables" | sha256sum | cut -d' ' -f1)
if [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" != "$sha" ]; then
  echo "[bench] installing the comparison tools into $venv" >&2
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --require-hashes -r "$req" -r "$req_tables" >&2
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --require-hashes --no-deps -r "$req_nodeps" >&2
  echo "$sha" >"$venv/.requirements.sha256"
fi
echo "$venv/bin/python"
