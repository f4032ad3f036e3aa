#!/usr/bin/env bash
# `make run`: the service on the embedded default, with the sample documents submitted.
#
# Starts `clinex serve` on $CLINEX_ADDR (default 127.0.0.1:8080) over ./clinex-data, with API
# keys in clinex-data/api-keys.txt (made on the first run), uploads the generated corpus and the
# clinical guidelines, waits until every one is done or failed, prints a summary and where to
# look, and keeps serving until Ctrl-C (CLINEX_RUN_EXIT=1: stop once the summary is printed).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
clinex="$root/target/release/clinex"
addr=${CLINEX_ADDR:-127.0.0.1:8080}
data=${CLINEX_DATA:-$root/clinex-data}
shared=${SHARED:-$root/../shared}
mkdir -p "$data"

keys="$data/api-keys.txt"
if [ ! -f "$keys" ]; then
  key() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
  umask 077
  printf '%s:admin\n%s:curator\n%s:loader\n' "$(key)" "$(key)" "$(key)" >"$keys"
fi
admin=$(grep ':admin$' "$keys" | head -1 | cut -d: -f1)
curator=$(grep ':curator$' "$keys" | head -1 | cut -d: -f1)
loader=$(grep ':loader$' "$keys" | head -1 | cut -d: -f1)
base="http://$addr"

"$clinex" serve --addr "$addr" --data "$data" --api-keys-file "$keys" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT INT TERM
for _ in $(seq 600); do
  curl -sf "$base/readyz" >/dev/null && break
  kill -0 $server 2>/dev/null || { echo "run: the server did not start (is $addr free?)" >&2; exit 1; }
  sleep 0.5
done

ids=()
started=$(date +%s)
while IFS= read -r f; do
  name=$(basename "$f" | python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.stdin.read().strip()))')
  answer=$(curl -s -H "Authorization: Bearer $curator" -H 'Content-Type: application/pdf' \
    --data-binary "@$f" "$base/v1/documents?filename=$name")
  ids+=("$(printf '%s' "$answer" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')")
done < <(find "$root/corpus/out" "$shared/data/clinical" -name '*.pdf' | sort)
echo "run: ${#ids[@]} documents submitted; extracting..."
while :; do
  waiting=$(curl -s -H "Authorization: Bearer $curator" "$base/v1/documents?per_page=500" |
    python3 -c 'import json,sys; d=json.load(sys.stdin)["documents"]; print(sum(x["status"] in ("queued","running") for x in d))')
  [ "$waiting" = 0 ] && break
  sleep 1
done
seconds=$(( $(date +%s) - started ))
curl -s -H "Authorization: Bearer $curator" "$base/v1/documents?per_page=500" | python3 -c '
import json, sys
docs = json.load(sys.stdin)["documents"]
print("%-20s %-7s %5s %2s  %s" % ("document", "status", "pages", "v", "name"))
for d in sorted(docs, key=lambda d: d["filename"] or ""):
    why = "  (%s)" % d["error"]["code"] if d["error"] else ""
    print("%-20s %-7s %5d %2d  %s%s" % (d["id"], d["status"], d["pages_done"], d["version"], (d["filename"] or "-")[:60], why))
done = [d for d in docs if d["status"] == "done"]
print("\n%d done, %d failed, %d pages" % (len(done), len(docs) - len(done), sum(d["pages_done"] for d in done)))
'
echo "in ${seconds} s"
cat <<EOF

The service: $base   (data in $data, API keys in $keys)
  curator page      $base/   (sign in with the curator key $curator)
  API docs          $base/docs   (OpenAPI: $base/openapi.json)
  documents         curl -H "Authorization: Bearer $curator" $base/v1/documents
  one extraction    curl -H "Authorization: Bearer $curator" $base/v1/documents/${ids[0]}/extraction
  its triples       curl -H "Authorization: Bearer $loader" -H 'Accept: text/turtle' $base/v1/documents/${ids[0]}/triples
  the loader's feed curl -H "Authorization: Bearer $loader" "$base/v1/graph/changes?after=0"
  upload            curl -H "Authorization: Bearer $curator" -F file=@guideline.pdf $base/v1/documents
  metrics           curl $base/metrics
EOF
if [ "${CLINEX_RUN_EXIT:-0}" = 1 ]; then
  exit 0
fi
echo "Serving until Ctrl-C."
wait $server
