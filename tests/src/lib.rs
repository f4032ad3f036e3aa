//! Helpers shared by clinex's end-to-end tests: where the corpus and the shared data live, the
//! engines (loaded through `clinex-engines`, as the binary loads them), the contract schema,
//! golden renderings per stage, and generators of bad input.
//!
//! Depends on: `clinex-extractor` (with its fakes), `clinex-engines`, `clinex-ocr`.

pub mod badpdf;
pub mod golden;
pub mod text_compare;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use clinex_engines::{LoadedEngines, PdfiumBackend};
use extractor::{Extraction, Options, extract};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ sits in the repository").to_path_buf()
}

/// `shared/` beside the repository (or `$CLINEX_SHARED_DIR`). Missing data fails the test:
/// an evaluation that silently skips is a defect.
pub fn shared_dir() -> PathBuf {
    let dir = std::env::var_os("CLINEX_SHARED_DIR").map(PathBuf::from).unwrap_or_else(|| repo_root().join("../shared"));
    assert!(
        dir.join("contract/extraction.schema.json").is_file(),
        "shared data not found at {} (set CLINEX_SHARED_DIR)",
        dir.display()
    );
    dir
}

/// The generated synthetic corpus (`make corpus` writes it).
pub fn corpus_dir() -> PathBuf {
    let dir =
        std::env::var_os("CLINEX_CORPUS_DIR").map(PathBuf::from).unwrap_or_else(|| repo_root().join("corpus/out"));
    assert!(
        dir.join("en_guideline.pdf").is_file(),
        "generated corpus not found at {}: run `make corpus`",
        dir.display()
    );
    dir
}

/// The configuration the tests run under: the defaults (and the environment, as `clinex` reads
/// it), with one ONNX Runtime thread per model so that results do not depend on the machine's
/// cores.
pub fn test_config() -> extractor::Config {
    let mut config = extractor::Config::resolve(None, |name| std::env::var(name).ok())
        .unwrap_or_else(|e| panic!("the configuration cannot be used: {e}"));
    config.layout.threads = Some(1);
    config
}

/// Every engine `clinex extract` uses, loaded once for the test process through
/// `clinex-engines`, as the binary loads them.
pub fn loaded() -> &'static LoadedEngines {
    static LOADED: OnceLock<LoadedEngines> = OnceLock::new();
    LOADED.get_or_init(|| LoadedEngines::load(&test_config()).unwrap_or_else(|e| panic!("{e}; run `make setup`")))
}

/// PDFium, bound once for the test process.
pub fn backend() -> &'static PdfiumBackend {
    &loaded().pdf
}

/// The default OCR engine, as `clinex extract` makes it: PP-OCRv6 with the page orientation
/// model.
pub fn ocr() -> &'static dyn extractor::ocr::OcrEngine {
    loaded().engines().ocr.expect("the default configuration reads scans")
}

/// Tesseract with English, one for the test process (loaded at first use: a missing Tesseract
/// fails the OCR tests with an `ocr_failed` warning).
pub fn tesseract() -> &'static clinex_ocr::TesseractOcr {
    static OCR: OnceLock<clinex_ocr::TesseractOcr> = OnceLock::new();
    OCR.get_or_init(|| clinex_ocr::TesseractOcr::new("eng", 1))
}

/// All the engines `clinex extract` uses.
pub fn engines() -> extractor::Engines<'static> {
    loaded().engines()
}

/// Extracts a file with default options and the layout model, as `clinex extract` does.
pub fn extract_file_with_layout(path: &Path) -> Result<Extraction, extractor::ExtractError> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let options =
        Options { filename: path.file_name().map(|n| n.to_string_lossy().into_owned()), ..Options::default() };
    extractor::extract_with(&bytes, &options, engines())
}

/// Extracts a file with default options from the text layer alone.
pub fn extract_file(path: &Path) -> Result<Extraction, extractor::ExtractError> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let options =
        Options { filename: path.file_name().map(|n| n.to_string_lossy().into_owned()), ..Options::default() };
    extract(&bytes, &options, backend())
}

/// The contract's JSON Schema, compiled.
pub fn schema() -> &'static jsonschema::Validator {
    static SCHEMA: OnceLock<jsonschema::Validator> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let path = shared_dir().join("contract/extraction.schema.json");
        let text = std::fs::read_to_string(&path).expect("schema readable");
        let value: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
        jsonschema::validator_for(&value).expect("schema compiles")
    })
}

/// Schema violations of an extraction, as readable lines (empty when valid).
pub fn schema_errors(doc: &Extraction) -> Vec<String> {
    let value = serde_json::to_value(doc).expect("extraction serialises");
    schema().iter_errors(&value).map(|e| format!("{} at {}", e, e.instance_path())).collect()
}

pub use extractor::testing::fixtures::squash;

/// `scripts/independent-check.py KIND FILES` in the project's venv: rdflib parses RDF (`rdf`),
/// fhir.resources validates FHIR PlanDefinitions (`fhir`). Whether every file passed, and the
/// JSON report per file.
pub fn independent_check(kind: &str, files: &[PathBuf]) -> (bool, serde_json::Value) {
    let python = repo_root().join(".deps/venv/bin/python");
    assert!(python.exists(), "{} is missing: run `make setup`", python.display());
    let out = std::process::Command::new(&python)
        .arg(repo_root().join("scripts/independent-check.py"))
        .arg(kind)
        .args(files)
        .output()
        .expect("the checker runs");
    let report =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.success(), report)
}
