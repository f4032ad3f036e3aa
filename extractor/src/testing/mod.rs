//! Fakes of every engine the pipeline runs on, and builders for pages and contract values, so
//! that each stage and the whole pipeline are tested without PDFium, ONNX Runtime or Tesseract
//! (as ocrs tests its engine with fake models). Compiled for this crate's tests and, with the
//! `testing` feature, for other crates' tests.

pub mod fakes;
pub mod fixtures;
pub mod pages;

pub use fakes::{FakeFigureClassifier, FakeLayout, FakeOcr, FakePage, FakePdf, FakeTableStructure, detection};
pub use pages::{PageBuilder, glyph_run, stroked};
