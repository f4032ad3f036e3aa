//! Finding the native libraries and models the pipeline loads at run time.
//!
//! Order: an explicit environment variable; `$CLINEX_DEPS_DIR`; a `.deps/` folder (what
//! `scripts/setup.sh` fills) found upwards from the executable and from the working directory;
//! finally the bare library name, which the dynamic loader looks up on its usual path.

use std::path::{Path, PathBuf};

/// A native library clinex loads at run time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NativeLib {
    Pdfium,
    OnnxRuntime,
}

impl NativeLib {
    /// Environment variable that names the library file directly.
    pub fn env_var(self) -> &'static str {
        match self {
            Self::Pdfium => "CLINEX_PDFIUM_LIB",
            Self::OnnxRuntime => "ORT_DYLIB_PATH",
        }
    }

    /// Location inside the deps folder.
    fn relative_path(self) -> &'static str {
        match self {
            Self::Pdfium => "pdfium/libpdfium.so",
            Self::OnnxRuntime => "onnxruntime/libonnxruntime.so.1.31.1",
        }
    }

    fn bare_name(self) -> &'static str {
        match self {
            Self::Pdfium => "libpdfium.so",
            Self::OnnxRuntime => "libonnxruntime.so",
        }
    }
}

/// The deps folder: `$CLINEX_DEPS_DIR`, else the first `.deps` above the executable or the
/// working directory.
pub fn deps_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("CLINEX_DEPS_DIR") {
        return Some(PathBuf::from(dir));
    }
    let mut starts: Vec<PathBuf> = Vec::new();
    if let Ok(exe) = std::env::current_exe()
        && let Some(dir) = exe.parent()
    {
        starts.push(dir.to_path_buf());
    }
    if let Ok(cwd) = std::env::current_dir() {
        starts.push(cwd);
    }
    starts.iter().flat_map(|start| start.ancestors()).map(|dir| dir.join(".deps")).find(|candidate| candidate.is_dir())
}

/// Where to load `lib` from.
pub fn find_library(lib: NativeLib) -> PathBuf {
    if let Some(path) = std::env::var_os(lib.env_var()) {
        return PathBuf::from(path);
    }
    if let Some(dir) = deps_dir() {
        let candidate = dir.join(lib.relative_path());
        if candidate.is_file() {
            return candidate;
        }
    }
    Path::new(lib.bare_name()).to_path_buf()
}
