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
        let env = builder.with_name("clinex").build().map_err(|e| e.to_string())?;
        register_shared_arena(&env)?;
        Ok(env)
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
    // Every session draws from the environment's one CPU arena (see `register_shared_arena`).
    builder = builder.with_env_allocators().map_err(|e| ModelError::Ort(e.to_string()))?;
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

/// Registers one CPU arena allocator with the environment for all sessions to share.
///
/// Each session otherwise keeps its own arena, holding the most memory its model ever needed,
/// so a worker's memory was the sum of every model's peak: 1.17 GB on the 61-page RCUK
/// anaphylaxis guideline. With one arena it is the largest single need (the OCR detector's
/// run in bands, the recogniser's batches of 3): 0.46 GB, and 10.5 s became 9.0 s, fewer pages
/// freshly faulted in. `ort` does not wrap this call, hence the C API.
#[allow(unsafe_code)]
fn register_shared_arena(env: &ort::environment::Environment) -> Result<(), String> {
    use ort::AsPointer;
    use ort::sys;
    let api = ort::api();
    let failed = |status: sys::OrtStatusPtr, what: &str| -> Result<(), String> {
        if status.0.is_null() {
            Ok(())
        } else {
            // SAFETY: a non-null status comes from the call just made; it is read, then released once.
            let message =
                unsafe { std::ffi::CStr::from_ptr((api.GetErrorMessage)(status.0)) }.to_string_lossy().into_owned();
            unsafe { (api.ReleaseStatus)(status.0) };
            Err(format!("{what}: {message}"))
        }
    };
    let mut info: *mut sys::OrtMemoryInfo = std::ptr::null_mut();
    // SAFETY: `info` is an out-pointer filled by the call; it is released below.
    failed(
        unsafe {
            (api.CreateCpuMemoryInfo)(
                sys::OrtAllocatorType::OrtArenaAllocator,
                sys::OrtMemType::OrtMemTypeDefault,
                &mut info,
            )
        },
        "CPU memory info",
    )?;
    let mut config: *mut sys::OrtArenaCfg = std::ptr::null_mut();
    // SAFETY: no keys (ONNX Runtime's arena defaults); `config` is an out-pointer, released below.
    let made = failed(
        unsafe { (api.CreateArenaCfgV2)(std::ptr::null(), std::ptr::null(), 0, &mut config) },
        "arena configuration",
    );
    // SAFETY: the environment outlives every session (it is a process-wide static); ONNX Runtime
    // copies what it needs from `info` and `config`, so both are released after the call.
    let registered = made.and_then(|()| {
        failed(unsafe { (api.CreateAndRegisterAllocator)(env.ptr().cast_mut(), info, config) }, "shared arena")
    });
    unsafe {
        if !config.is_null() {
            (api.ReleaseArenaCfg)(config);
        }
        (api.ReleaseMemoryInfo)(info);
    }
    registered
}
