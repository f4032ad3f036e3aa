//! clinex's extraction library: the document model, PDF access, the text layer and the
//! pipeline's stages.
//!
//! ```no_run
//! use extractor::{Options, extract, pdf::pdfium::PdfiumBackend, native};
//! let backend = PdfiumBackend::bind(&native::find_library(native::NativeLib::Pdfium)).unwrap();
//! let bytes = std::fs::read("guideline.pdf").unwrap();
//! let doc = extract(&bytes, &Options::default(), &backend).unwrap();
//! println!("{} pages", doc.pages.len());
//! ```
//!
//! Data flows Document → Page → Region → Table/Flowchart → Triple as plain serde values
//! ([`model`]); PDFium sits behind [`pdf::PdfBackend`]; every stage is a function that can be
//! tested alone. The pipeline holds no global state apart from the PDFium binding.

pub mod clinical;
pub mod error;
pub mod flowcharts;
pub mod geometry;
pub mod layout;
pub mod model;
pub mod native;
pub mod ocr;
pub mod pages;
pub mod pdf;
pub mod pipeline;
pub mod regions;
mod scan;
pub mod tables;
pub mod text;
pub mod triples;
pub mod vector;

pub use error::ExtractError;
pub use model::Extraction;
pub use pipeline::{Engines, Options, extract, extract_with};
