//! OCR engines for clinex behind [`extractor::ocr::OcrEngine`]:
//!
//! - [`TesseractOcr`]: Debian's libtesseract through the `tesseract` crate (English and more,
//!   word boxes from Tesseract's own layout analysis);
//! - [`PpOcr`]: PP-OCRv6 small text detection and recognition through ONNX Runtime, one model
//!   for Chinese and English (from the pinned `rapidocr` wheel);
//! - [`ScriptRouter`]: picks one of them per page by the script on it;
//! - [`Oriented`]: any of them with the page orientation model, so a turned scan is read once.
//!
//! Depends on: `clinex-extractor` (the seam), `clinex-layout-model` (ONNX Runtime sessions,
//! model registry, page orientation).

mod oriented;
pub mod ppocr;
mod router;
mod tesseract;

pub use oriented::Oriented;
pub use ppocr::PpOcr;
pub use router::ScriptRouter;
pub use tesseract::{TesseractOcr, bands, parse_tsv};
