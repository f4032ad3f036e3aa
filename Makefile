# clinex: the two commands a fresh machine needs are `make run` and `make test`.
SHELL := /bin/bash
CARGO ?= cargo
# libtesseract's OpenMP: one thread per call is 2.5-4x faster on two cores. The clinex binary
# sets this itself; the test processes and benchmarks get it here.
export OMP_THREAD_LIMIT ?= 1
VENV_PY := .deps/venv/bin/python
SHARED ?= ../shared
CLINICAL := $(SHARED)/data/clinical

.PHONY: setup build corpus run batch test lint bench bench-api bench-web bench-compare bench-tables eval-layout eval-tables eval-ocr eval-graphs eval-guideline-tables eval-triples corpus-independent train-figures fmt robustness fuzz

## Install apt packages, the pinned PyPI wheels carrying PDFium and ONNX Runtime, the Python venv.
setup:
	@bash scripts/setup.sh

## Release build of target/release/clinex.
build: setup
	$(CARGO) build --release --locked

## Generate the synthetic corpus (deterministic) into corpus/out.
corpus: setup
	@$(VENV_PY) corpus/generate.py corpus/out

## The main job on the embedded default: the service (http://127.0.0.1:8080, data in ./clinex-data)
## with the sample documents submitted; prints a summary and where to look, then serves until
## Ctrl-C (CLINEX_RUN_EXIT=1 stops after the summary).
run: build corpus
	@SHARED=$(SHARED) bash scripts/run-service.sh

## The sample documents extracted in one batch (JSON and N-Quads) into out/extractions.
batch: build corpus
	target/release/clinex batch corpus/out $(CLINICAL) --out out/extractions --triples nq

## Formatting, lints (warnings are errors) and every test, against real PDFium.
test: build corpus lint
	$(CARGO) test --release --locked --workspace

## Formatting, clippy (warnings are errors), and the architecture's rules (crate dependencies, no
## native library in the service or the core, no module cycles: scripts/check-architecture.py).
lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --release --locked --workspace --all-targets -- -D warnings
	python3 scripts/check-architecture.py

## clinex on other projects' PDF test files (pinned sdists and npm tarballs, fetched at run time),
## each with a time and memory limit, beside pdftotext, into eval/robustness.md; fails on a crash,
## hang, panic, debug output, a page left out, memory over the limits or an exit code that changed.
ROBUSTNESS_OUT ?= eval/robustness.md
robustness: build
	python3 scripts/robustness.py target/release/clinex --out $(ROBUSTNESS_OUT)

## libFuzzer on bytes -> extract -> JSON and N-Quads for FUZZ_SECONDS (default 600), seeded with the
## corpus and the robustness files; needs the nightly toolchain (`rustup toolchain install nightly`)
## and cargo-fuzz. Statistics in fuzz/last-run.txt; findings in fuzz/artifacts/extract/.
FUZZ_SECONDS ?= 600
fuzz: setup corpus
	@bash scripts/fuzz.sh $(FUZZ_SECONDS)

## Pages/s and peak memory of extract, on the corpus and the clinical documents.
bench: build corpus
	target/release/clinex bench corpus/out $(CLINICAL)

## The service under load (200 uploads, 20 clients, 2 workers) beside `clinex batch` on the same
## files: documents/min, GET latency, peak memory (bench/results/api-load.md).
bench-api: build corpus
	python3 bench/api_load.py target/release/clinex corpus/out --out bench/results/api-load.md \
		--guideline $(SHARED)/data/clinical/en_ed-handbook/docs/assets/emergency-treatment-anaphylaxis-2021.pdf

## The curator page in headless Chromium: opening the 61-page RCUK guideline, turning pages.
bench-web: build
	cargo bench -p clinex-cli --bench curator_page

## The same, side by side with the tools users would pick instead.
bench-compare: build corpus
	@bash scripts/bench-compare.sh $(CLINICAL)

## Tables side by side on ICDAR 2013 (clinex, pdfplumber, camelot) into bench/results/tables.md.
bench-tables: build
	@bash scripts/bench-tables.sh $(SHARED)/data/tables/icdar2013

## Layout accuracy (PubLayNet, flowchart pages of the clinical documents) into eval/layout.md.
eval-layout: build
	target/release/clinex eval layout --data $(SHARED)/data --out eval/layout.md

## Table structure and regions on ICDAR 2013, and camelot's and tabula's expected tables, into eval/tables.md.
eval-tables: build
	target/release/clinex eval tables --data $(SHARED)/data/tables --out eval/tables.md

## OCR error rates and speed per engine on the OCR samples into eval/ocr.md.
eval-ocr: build
	target/release/clinex eval ocr --data $(SHARED)/data --out eval/ocr.md

## The independent generator's guideline pages (each also as a picture, a scan, a fax and a photo) into corpus/independent/out.
corpus-independent: setup
	@$(VENV_PY) corpus/independent/generate.py corpus/independent/out

## Flowchart graphs against both generators, golden/flowcharts and followtheflow (eval/graphs.md).
eval-graphs: build corpus corpus-independent
	target/release/clinex eval graphs --data $(SHARED)/data --out eval/graphs.md

## Tables of the independent generator and golden/tables (eval/guideline-tables.md).
eval-guideline-tables: build corpus-independent
	target/release/clinex eval guideline-tables --data $(SHARED)/data --out eval/guideline-tables.md

## Knowledge-graph triples of the clinical guidelines (counts, coverage, rdflib parse) into eval/triples.md.
eval-triples: build
	target/release/clinex eval triples --data $(SHARED)/data --out eval/triples.md

## Retrain the figure-type classifier (about a minute on 2 cores) into layout-model/models/.
train-figures: setup
	@bash scripts/train-venv.sh
	cd layout-model/train && ../../.deps/train-venv/bin/python train_figure_classifier.py $(abspath $(SHARED))
	@bash scripts/setup.sh

fmt:
	$(CARGO) fmt --all
