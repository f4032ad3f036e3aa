//! The process-wide ONNX Runtime environment, loaded once from the pinned library.

use std::sync::OnceLock;

use extractor::native::{NativeLib, find_library};

use crate::ModelError;

static ENVIRONMENT: OnceLock<Result<ort::environment::Environment, String>> = OnceLock::new();

/// The ONNX Runtime environment, loading the library on first use.
pub fn environment() -> Result<&'static ort::environment::Environment, ModelError> {
    let path = find_library(NativeLib::OnnxRuntime);
    let result = ENVIRONMENT.get_or_init(|| {
        let builder = ort::init_from(&path).map_err(|e| e.to_string())?;
        builder.with_name("clinex").build().map_err(|e| e.to_string())
    });
    result
        .as_ref()
        .map_err(|message| ModelError::Runtime { path: path.display().to_string(), message: message.clone() })
}
