#!/usr/bin/env bash
# `make fuzz`: libFuzzer (through cargo-fuzz, on the nightly toolchain that libFuzzer's flags need)
# on fuzz/fuzz_targets/extract.rs for $1 seconds, seeded with the generated corpus and the
# robustness files (other projects' PDF test files, fetched at run time, never committed).
# Prints and keeps the run's statistics in fuzz/last-run.txt; a finding lands in
# fuzz/artifacts/extract/ and becomes a reproducer under tests/fuzz-findings/ (tests/e2e/fuzz_findings.rs).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${1:-600}
jobs=${FUZZ_JOBS:-1}
cd "$root"
log() { printf '[fuzz] %s\n' "$*" >&2; }

if ! cargo +nightly --version >/dev/null 2>&1; then
  log "needs the nightly toolchain: rustup toolchain install nightly (libFuzzer needs nightly's flags)"
  exit 2
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  log "installing cargo-fuzz 0.13.1"
  cargo install cargo-fuzz --version 0.13.1 --locked
fi

# Seeds: the generated corpus and the robustness files.
seeds=fuzz/corpus/extract
mkdir -p "$seeds"
python3 scripts/robustness.py --fetch-only target/release/clinex
find corpus/out .deps/robustness/pdfs -iname '*.pdf' -size -4M -print0 2>/dev/null |
  while IFS= read -r -d '' f; do
    cp -n "$f" "$seeds/seed-$(sha256sum "$f" | cut -c1-16).pdf"
  done
log "$(find "$seeds" -type f | wc -l) inputs in $seeds"

export CLINEX_PDFIUM_LIB="$root/.deps/pdfium/libpdfium.so"
# No sanitizer: the code is safe Rust and PDFium is not instrumented; speed buys executions.
# Inputs up to 64 KiB: longer ones are cut there (PDFium rebuilds a cut file's cross-references, which
# is itself worth fuzzing); whole megabyte seeds ran at 64 executions/s against hundreds.
args=(-max_total_time="$seconds" -max_len="${FUZZ_MAX_LEN:-65536}" -rss_limit_mb=2048 -timeout=60 -print_final_stats=1)
[ "$jobs" -gt 1 ] && args+=(-fork="$jobs" -ignore_crashes=1)
log "running for ${seconds} s on $jobs core(s)"
set +e
(cd fuzz && cargo +nightly fuzz run -s none -O extract "corpus/extract" -- "${args[@]}") 2>&1 | tee fuzz/last-run.log |
  grep --line-buffered -E "pulse|NEW_FUNC|DONE|ERROR|panicked|SUMMARY|stat::" | tail -n 40
status=${PIPESTATUS[0]}
set -e
{
  echo "fuzz run ended $(date -u +%FT%TZ): ${seconds} s, $jobs job(s), exit $status"
  grep -E "^stat::" fuzz/last-run.log || true
  grep -E "^#[0-9]+.*(DONE|pulse)" fuzz/last-run.log | tail -n 1
  echo "findings: $(find fuzz/artifacts/extract -type f 2>/dev/null | wc -l) (fuzz/artifacts/extract/)"
} | tee fuzz/last-run.txt
exit "$status"
