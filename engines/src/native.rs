//! Where the native libraries and models are, for a [`NativePaths`] configuration.
//!
//! Order: the path the configuration names (from its file, the environment or a flag); else the
//! deps folder: the configured one, or the first `.deps/` (what `scripts/setup.sh` fills) found
//! upwards from the executable and from the working directory; finally the bare library name,
//! which the dynamic loader looks up on its usual path.

use std::path::{Path, PathBuf};

use extractor::config::NativePaths;

/// A native library clinex loads at run time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NativeLib {
    Pdfium,
    OnnxRuntime,
}

impl NativeLib {
    /// The configuration's path for this library, if it names one.
    fn configured(self, paths: &NativePaths) -> Option<&Path> {
        match self {
            Self::Pdfium => paths.pdfium.as_deref(),
            Self::OnnxRuntime => paths.onnxruntime.as_deref(),
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

/// The deps folder: the configured one, else the first `.deps` above the executable or the
/// working directory.
pub fn deps_dir(paths: &NativePaths) -> Option<PathBuf> {
    if let Some(dir) = &paths.deps_dir {
        return Some(dir.clone());
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
pub fn find_library(paths: &NativePaths, lib: NativeLib) -> PathBuf {
    if let Some(path) = lib.configured(paths) {
        return path.to_path_buf();
    }
    if let Some(dir) = deps_dir(paths) {
        let candidate = dir.join(lib.relative_path());
        if candidate.is_file() {
            return candidate;
        }
    }
    Path::new(lib.bare_name()).to_path_buf()
}

/// The folder of model files: the configured one, else `models/` in the deps folder, else the
/// working directory.
pub fn model_dir(paths: &NativePaths) -> PathBuf {
    paths.models.clone().or_else(|| deps_dir(paths).map(|d| d.join("models"))).unwrap_or_else(|| PathBuf::from("."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_configured_path_wins_then_the_deps_folder_then_the_bare_name() {
        let deps = std::env::temp_dir().join(format!("clinex-deps-{}", std::process::id()));
        std::fs::create_dir_all(deps.join("pdfium")).unwrap();
        std::fs::write(deps.join("pdfium/libpdfium.so"), b"").unwrap();
        let mut paths = NativePaths { deps_dir: Some(deps.clone()), ..NativePaths::default() };
        assert_eq!(find_library(&paths, NativeLib::Pdfium), deps.join("pdfium/libpdfium.so"));
        assert_eq!(
            find_library(&paths, NativeLib::OnnxRuntime),
            PathBuf::from("libonnxruntime.so"),
            "not in the deps folder: the loader's search path decides"
        );
        assert_eq!(model_dir(&paths), deps.join("models"));
        paths.pdfium = Some("/opt/pdfium/libpdfium.so".into());
        paths.models = Some("/opt/models".into());
        assert_eq!(find_library(&paths, NativeLib::Pdfium), PathBuf::from("/opt/pdfium/libpdfium.so"));
        assert_eq!(model_dir(&paths), PathBuf::from("/opt/models"));
        std::fs::remove_dir_all(&deps).unwrap();
    }
}
