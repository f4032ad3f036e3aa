//! ONNX Runtime for every model clinex runs: the process-wide environment, loaded once from the
//! pinned library, and the one way sessions are built (eagerly, or when first needed).

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use ort::session::Session;
use ort::session::builder::GraphOptimizationLevel;

use crate::ModelError;

static ENVIRONMENT: OnceLock<Result<ort::environment::Environment, String>> = OnceLock::new();

/// Where ONNX Runtime and the model files are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelPaths {
    /// `libonnxruntime.so`, loaded at run time (the `ort` crate's `load-dynamic`).
    pub onnxruntime: PathBuf,
    /// The folder holding the pinned model files.
    pub models: PathBuf,
}

/// The ONNX Runtime environment, loading the library on first use (only the first call in a
/// process loads it; later calls reuse that library whatever path they pass).
pub fn environment(library: &Path) -> Result<&'static ort::environment::Environment, ModelError> {
    let result = ENVIRONMENT.get_or_init(|| {
        let builder = ort::init_from(library).map_err(|e| e.to_string())?;
        builder.with_name("clinex").build().map_err(|e| e.to_string())
    });
    result
        .as_ref()
        .map_err(|message| ModelError::Runtime { path: library.display().to_string(), message: message.clone() })
}

/// How a model's session runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionOptions {
    /// Intra-op threads.
    pub threads: usize,
    /// Every graph optimisation (ONNX Runtime's level 3) instead of its default level.
    pub optimise_fully: bool,
    /// Run on CUDA (the `cuda` feature); failing there is an error, never a silent CPU run.
    pub cuda: bool,
}

impl SessionOptions {
    /// ONNX Runtime's defaults with `threads` threads, on the CPU.
    pub fn threads(threads: usize) -> Self {
        Self { threads: threads.max(1), optimise_fully: false, cuda: false }
    }
}

/// A session for the model file at `model`.
pub fn session(library: &Path, model: &Path, options: SessionOptions) -> Result<Session, ModelError> {
    let mut builder = Session::builder(environment(library)?)?;
    if options.optimise_fully {
        builder = builder
            .with_optimization_level(GraphOptimizationLevel::Level3)
            .map_err(|e| ModelError::Ort(e.to_string()))?;
    }
    builder = builder.with_intra_threads(options.threads.max(1)).map_err(|e| ModelError::Ort(e.to_string()))?;
    if options.cuda {
        builder = with_cuda(builder)?;
    }
    Ok(builder.commit_from_file(model)?)
}

#[cfg(feature = "cuda")]
fn with_cuda(
    builder: ort::session::builder::SessionBuilder,
) -> Result<ort::session::builder::SessionBuilder, ModelError> {
    // Without error_on_failure ONNX Runtime would fall back to the CPU silently.
    builder
        .with_execution_providers([ort::ep::CUDA::default().build().error_on_failure()])
        .map_err(|e| ModelError::Ort(e.to_string()))
}

#[cfg(not(feature = "cuda"))]
fn with_cuda(_: ort::session::builder::SessionBuilder) -> Result<ort::session::builder::SessionBuilder, ModelError> {
    Err(ModelError::Ort("this build has no CUDA support (build with the `cuda` feature)".into()))
}

/// A session built the first time it is used: most documents never need the table structure,
/// orientation or OCR models, and their graphs are slow to load. `Session::run` needs `&mut`,
/// so the session sits behind a mutex.
pub struct LazySession {
    library: PathBuf,
    model: PathBuf,
    options: SessionOptions,
    session: OnceLock<Result<Mutex<Session>, String>>,
}

impl LazySession {
    /// A session for `model`, not built yet.
    pub fn new(library: &Path, model: PathBuf, options: SessionOptions) -> Self {
        Self { library: library.to_path_buf(), model, options, session: OnceLock::new() }
    }

    /// The session, built now if this is its first use; a failure to build is kept and
    /// returned again (as its message) on every later call.
    pub fn get(&self) -> Result<&Mutex<Session>, String> {
        let built = self.session.get_or_init(|| {
            session(&self.library, &self.model, self.options).map(Mutex::new).map_err(|e| e.to_string())
        });
        built.as_ref().map_err(Clone::clone)
    }
}
