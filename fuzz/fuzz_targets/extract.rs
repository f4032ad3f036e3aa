//! Bytes → `extract` → JSON and N-Quads: the whole path a file takes through PDFium, the text
//! layer, the vector drawing, regions, tables, flowcharts and triples, without the ONNX models
//! (they would cut executions a hundredfold and take no part in parsing what a file holds).

#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use clinex_pdfium::PdfiumBackend;
use extractor::{Options, extract};
use libfuzzer_sys::fuzz_target;

/// `CLINEX_PDFIUM_LIB`, else the `.deps/pdfium/libpdfium.so` that `make setup` fills, found
/// upwards from the working directory.
fn pdfium_path() -> PathBuf {
    if let Some(path) = std::env::var_os("CLINEX_PDFIUM_LIB") {
        return PathBuf::from(path);
    }
    let cwd = std::env::current_dir().expect("a working directory");
    cwd.ancestors()
        .map(|dir| dir.join(".deps/pdfium/libpdfium.so"))
        .find(|p| p.is_file())
        .expect("libpdfium.so: run `make setup` or set CLINEX_PDFIUM_LIB")
}

fn backend() -> &'static PdfiumBackend {
    static BACKEND: OnceLock<PdfiumBackend> = OnceLock::new();
    BACKEND.get_or_init(|| PdfiumBackend::bind(&pdfium_path()).expect("PDFium binds"))
}

fuzz_target!(|bytes: &[u8]| {
    let options = Options { time_limit: Some(Duration::from_secs(10)), ..Options::default() };
    let doc = match extract(bytes, &options, backend()) {
        Ok(doc) => doc,
        Err(extractor::ExtractError::TimeLimit { partial, .. }) => *partial,
        Err(e) => {
            // Every error is one line a curator can read.
            let message = e.to_string();
            assert!(!message.contains('\n'), "a message over several lines: {message:?}");
            return;
        }
    };
    assert_eq!(doc.pages.len() as u32, doc.source.pages, "every page accounted for");
    for w in &doc.warnings {
        assert!(!w.message.contains('\n'), "a warning over several lines: {:?}", w.message);
    }
    serde_json::to_vec(&doc).expect("the extraction serialises");
    let quads = extractor::triples::build(&doc);
    extractor::triples::serialize(&quads, extractor::triples::Format::NQuads).expect("N-Quads serialise");
});
