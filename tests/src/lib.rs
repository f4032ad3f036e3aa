//! Helpers shared by clinex's end-to-end tests: where the corpus and the shared data live,
//! the PDFium backend, the contract schema, golden rendering, and generators of bad input.

pub mod badpdf;
pub mod golden;
pub mod text_compare;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use extractor::native::{NativeLib, find_library};
use extractor::pdf::pdfium::PdfiumBackend;
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

/// PDFium, bound once for the test process.
pub fn backend() -> &'static PdfiumBackend {
    static BACKEND: OnceLock<PdfiumBackend> = OnceLock::new();
    BACKEND.get_or_init(|| {
        let path = find_library(NativeLib::Pdfium);
        PdfiumBackend::bind(&path)
            .unwrap_or_else(|e| panic!("cannot bind PDFium ({}): {e}; run `make setup`", path.display()))
    })
}

/// The CDLA layout model, loaded once for the test process.
pub fn layout() -> &'static clinex_layout_model::PicoDetLayout {
    static LAYOUT: OnceLock<clinex_layout_model::PicoDetLayout> = OnceLock::new();
    LAYOUT.get_or_init(|| {
        clinex_layout_model::PicoDetLayout::load(Default::default())
            .unwrap_or_else(|e| panic!("cannot load the layout model: {e}; run `make setup`"))
    })
}

/// clinex's figure-type classifier, loaded once for the test process.
pub fn figures() -> &'static clinex_layout_model::OrtFigureClassifier {
    static FIGURES: OnceLock<clinex_layout_model::OrtFigureClassifier> = OnceLock::new();
    FIGURES.get_or_init(|| {
        clinex_layout_model::OrtFigureClassifier::load()
            .unwrap_or_else(|e| panic!("cannot load the figure classifier: {e}; run `make setup`"))
    })
}

/// SLANet-plus for tables drawn as pictures, loaded once for the test process.
pub fn table_structure() -> &'static clinex_layout_model::OrtTableStructure {
    static TABLES: OnceLock<clinex_layout_model::OrtTableStructure> = OnceLock::new();
    TABLES.get_or_init(|| {
        clinex_layout_model::OrtTableStructure::load(1)
            .unwrap_or_else(|e| panic!("cannot load the table structure model: {e}; run `make setup`"))
    })
}

/// The default OCR engine, as `clinex extract` makes it: PP-OCRv6 with the page orientation
/// model, one for the test process.
pub fn ocr() -> &'static clinex_ocr::Oriented<clinex_ocr::PpOcr> {
    static OCR: OnceLock<clinex_ocr::Oriented<clinex_ocr::PpOcr>> = OnceLock::new();
    OCR.get_or_init(|| {
        let load = || -> Result<_, clinex_layout_model::ModelError> {
            Ok(clinex_ocr::Oriented {
                engine: clinex_ocr::PpOcr::load(1, 1600)?,
                classifier: clinex_layout_model::PageOrientation::load()?,
            })
        };
        load().unwrap_or_else(|e| panic!("cannot load the OCR models: {e}; run `make setup`"))
    })
}

/// Tesseract with English, one for the test process (loaded at first use: a missing Tesseract
/// fails the OCR tests with an `ocr_failed` warning).
pub fn tesseract() -> &'static clinex_ocr::TesseractOcr {
    static OCR: OnceLock<clinex_ocr::TesseractOcr> = OnceLock::new();
    OCR.get_or_init(|| clinex_ocr::TesseractOcr::new("eng", 1))
}

/// All the engines `clinex extract` uses.
pub fn engines() -> extractor::Engines<'static> {
    extractor::Engines {
        pdf: backend(),
        layout: Some(layout()),
        figures: Some(figures()),
        tables: Some(table_structure()),
        ocr: Some(ocr()),
    }
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

/// Whitespace runs collapsed to one space, ends trimmed.
pub fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

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
