//! clinex's extraction library: the document model, the engines' seams, and the pipeline's
//! stages. It names no native library: PDFium, ONNX Runtime and Tesseract sit behind the
//! traits [`pdf::PdfBackend`], [`layout::LayoutDetector`], [`layout::FigureClassifier`],
//! [`tables::TableStructureRecognizer`] and [`ocr::OcrEngine`], implemented in their own crates
//! (`clinex-pdfium`, `clinex-layout-model`, `clinex-ocr`) and assembled by `clinex-engines`.
//!
//! ```no_run
//! # fn demo(backend: &dyn extractor::pdf::PdfBackend) -> Result<(), extractor::ExtractError> {
//! use extractor::{Options, extract};
//! let bytes = std::fs::read("guideline.pdf").unwrap_or_default();
//! let doc = extract(&bytes, &Options::default(), backend)?;
//! println!("{} pages", doc.pages.len());
//! # Ok(()) }
//! ```
//!
//! Data flows one way, Document → Page → Region → Table/Flowchart → Triple, as plain serde
//! values ([`model`]); every stage is a function that can be tested alone, and
//! [`testing`] (feature `testing`) has fakes of every engine so that the stages and the
//! pipeline run without native libraries.
//!
//! Modules, lowest first (a module uses only those before it in this list):
//! - [`geometry`], [`union_find`], [`imaging`]: boxes in points, disjoint sets, image crops
//!   and quarter turns;
//! - [`model`] (the contract), [`error`], [`pages`], [`config`];
//! - [`pdf`] (the PDF seam; image files as documents), [`layout`] (the layout model's seam),
//!   [`text`] (lines, blocks, captions), [`ocr`] (the OCR seam, OCR words as glyphs);
//! - stages: [`vector`] (drawing primitives, vector flowchart detection), [`regions`] (rules and
//!   layout merge), [`tables`], [`page_state`], [`scan`] (OCR of pages and pictures),
//!   [`clinical`] (recommendations, gradings, quantities), [`triples`], [`flowcharts`] (graphs);
//! - [`input`] (what the bytes are), [`title`], and [`pipeline`], which only orchestrates;
//! - [`testing`]: fakes and builders for tests.
//!
//! Depends on: nothing in the workspace (`scripts/check-architecture.py` keeps it so, and
//! keeps the module order above free of cycles).

pub mod clinical;
pub mod config;
pub mod corrections;
pub mod error;
pub mod flowcharts;
pub mod geometry;
pub mod imaging;
pub mod input;
pub mod layout;
pub mod model;
pub mod ocr;
pub mod page_state;
pub mod pages;
pub mod pdf;
pub mod photo;
pub mod pipeline;
pub mod regions;
pub mod scan;
pub mod tables;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod text;
pub mod title;
pub mod triples;
pub mod union_find;
pub mod vector;

pub use config::{Config, Options};
pub use error::ExtractError;
pub use model::Extraction;
pub use pipeline::{Engines, Progress, extract, extract_observed, extract_with};
