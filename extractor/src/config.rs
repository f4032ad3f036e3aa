//! How clinex is set up: which engines run and with how many threads, the limits a document
//! runs under, and where the native libraries and models are. One plain serde value, so that a
//! job row or a worker process can carry it; `clinex-engines` turns it into loaded engines.
//! [`Options`] are what one document adds (its pages, password, file name).
//!
//! Resolution, each step overriding the one before:
//! 1. the defaults below ([`Config::default`]);
//! 2. a TOML file, when one is named (`--config FILE` or `CLINEX_CONFIG`), with the sections and
//!    keys of [`Config`]; unknown keys are an error, so a typo never passes silently;
//! 3. environment variables ([`ENVIRONMENT`]);
//! 4. command-line flags (applied by the binary).
//!
//! ```toml
//! [layout]
//! threads = 1
//! [ocr]
//! engine = "tesseract"
//! lang = "eng+chi_sim"
//! [limits]
//! timeout_seconds = 120
//! ```

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::pages::PageSelection;

/// Resolution pages are rendered at for OCR.
pub const OCR_DPI: f32 = 300.0;

/// Most pixels one page is rendered at for OCR and for reading its pictures: A4, Letter and
/// Legal pages at 300 dpi (8.4 to 10.7 Mpx) fit; an A3 page is read at 250 dpi, posters and
/// 8,000-point pages lower still, instead of taking gigabytes (a 25 x 50 in poster at 300 dpi
/// is 112 Mpx, 340 MB as RGB, and the pixel stages keep several planes of it).
pub const MAX_RENDER_PIXELS: f32 = 12.0e6;

/// How to extract one document.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Password of an encrypted PDF.
    pub password: Option<String>,
    /// Pages to extract; all when `None`.
    pub pages: Option<PageSelection>,
    /// Stop starting new pages after this long; the pages done are returned with the error.
    pub time_limit: Option<Duration>,
    /// Reject inputs larger than this many bytes.
    pub max_bytes: Option<u64>,
    /// The input's file name, recorded in `source`.
    pub filename: Option<String>,
    /// Resolution pages are rendered at for OCR (default [`OCR_DPI`]).
    pub ocr_dpi: Option<f32>,
}

/// Everything that decides how documents are extracted, apart from the document's own options
/// (its pages and password).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub layout: LayoutSettings,
    pub ocr: OcrSettings,
    pub limits: Limits,
    pub native: NativePaths,
}

/// The layout models (the layout detector, the figure classifier, the table structure model).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LayoutSettings {
    /// Run the models; without them, regions come from the text layer's rules alone.
    pub enabled: bool,
    /// ONNX Runtime threads per model (default: the available cores, at most 4; a batch spread
    /// over worker processes wants 1).
    pub threads: Option<usize>,
    /// Another build of the layout model to compare (used as given, not checksummed).
    pub model: Option<PathBuf>,
}

impl Default for LayoutSettings {
    fn default() -> Self {
        Self { enabled: true, threads: None, model: None }
    }
}

/// OCR of pages without a usable text layer and of pictures of tables and flowcharts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OcrSettings {
    /// Read such pages at all; when off, they stay empty with an `ocr_failed` warning.
    pub enabled: bool,
    pub engine: OcrEngineKind,
    /// Tesseract's languages (for `tesseract` and `script`), e.g. `eng+chi_sim`.
    pub lang: String,
    /// Read a tall page as this many bands at once (Tesseract; faster on several cores).
    pub bands: usize,
    /// Resolution pages are rendered at for OCR.
    pub dpi: f32,
}

impl Default for OcrSettings {
    fn default() -> Self {
        Self { enabled: true, engine: OcrEngineKind::Ppocr, lang: "eng".into(), bands: 1, dpi: OCR_DPI }
    }
}

/// Which OCR engine reads pages (the default comes from `eval/ocr.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OcrEngineKind {
    /// PP-OCRv6 small through ONNX Runtime: Chinese and English in one model.
    #[default]
    Ppocr,
    /// Tesseract with the configured languages.
    Tesseract,
    /// Tesseract first; a page it finds Chinese or cannot read goes to PP-OCR.
    Script,
}

impl OcrEngineKind {
    pub const ALL: [OcrEngineKind; 3] = [Self::Ppocr, Self::Tesseract, Self::Script];

    pub fn name(self) -> &'static str {
        match self {
            Self::Ppocr => "ppocr",
            Self::Tesseract => "tesseract",
            Self::Script => "script",
        }
    }
}

impl FromStr for OcrEngineKind {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|k| k.name() == name).ok_or_else(|| {
            let names: Vec<&str> = Self::ALL.iter().map(|k| k.name()).collect();
            format!("unknown OCR engine {name:?} (one of {})", names.join(", "))
        })
    }
}

/// What one document may take.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Stop starting new pages after this many seconds; the pages done are kept.
    pub timeout_seconds: f64,
    /// Refuse inputs larger than this many MiB.
    pub max_mib: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self { timeout_seconds: 300.0, max_mib: 1024 }
    }
}

/// Where the native libraries and models are; each unset path is looked for in the deps folder
/// that `scripts/setup.sh` fills (`clinex-engines` does the looking).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NativePaths {
    /// The deps folder; default: the first `.deps/` above the executable or the working directory.
    pub deps_dir: Option<PathBuf>,
    pub pdfium: Option<PathBuf>,
    pub onnxruntime: Option<PathBuf>,
    /// The folder of model files (checked by sha256 when loaded).
    pub models: Option<PathBuf>,
}

/// The environment variables the configuration reads, with the key each sets.
pub const ENVIRONMENT: [(&str, &str); 15] = [
    ("CLINEX_CONFIG", "the TOML file read before the environment"),
    ("CLINEX_LAYOUT_ENABLED", "layout.enabled"),
    ("CLINEX_LAYOUT_THREADS", "layout.threads"),
    ("CLINEX_LAYOUT_MODEL", "layout.model"),
    ("CLINEX_OCR_ENABLED", "ocr.enabled"),
    ("CLINEX_OCR_ENGINE", "ocr.engine"),
    ("CLINEX_OCR_LANG", "ocr.lang"),
    ("CLINEX_OCR_BANDS", "ocr.bands"),
    ("CLINEX_OCR_DPI", "ocr.dpi"),
    ("CLINEX_TIMEOUT", "limits.timeout_seconds"),
    ("CLINEX_MAX_MIB", "limits.max_mib"),
    ("CLINEX_DEPS_DIR", "native.deps_dir"),
    ("CLINEX_PDFIUM_LIB", "native.pdfium"),
    ("ORT_DYLIB_PATH", "native.onnxruntime"),
    ("CLINEX_MODEL_DIR", "native.models"),
];

/// Why a configuration could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the configuration file {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("the configuration file {path} is not valid: {message}")]
    File { path: String, message: String },
    #[error("{variable}={value:?} is not valid: {message}")]
    Variable { variable: String, value: String, message: String },
}

impl Config {
    /// Defaults, then the file (`file`, else `CLINEX_CONFIG` when set), then the environment as
    /// `var` reads it (`std::env::var` in the binary; a map in tests).
    pub fn resolve(file: Option<&Path>, var: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let named = file.map(Path::to_path_buf).or_else(|| var("CLINEX_CONFIG").map(PathBuf::from));
        let mut config = match named {
            Some(path) => Self::from_file(&path)?,
            None => Self::default(),
        };
        config.apply_environment(var)?;
        Ok(config)
    }

    /// The configuration a TOML file gives over the defaults.
    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read { path: shown.clone(), source })?;
        Self::from_toml(&text).map_err(|message| ConfigError::File { path: shown, message })
    }

    /// The configuration a TOML text gives over the defaults.
    pub fn from_toml(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| e.message().to_string())
    }

    /// Overrides what the environment sets (see [`ENVIRONMENT`]).
    pub fn apply_environment(&mut self, var: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        let read = |name: &str| var(name).filter(|v| !v.is_empty());
        fn parsed<T: FromStr>(name: &str, value: String) -> Result<T, ConfigError>
        where
            T::Err: std::fmt::Display,
        {
            value.parse().map_err(|e: T::Err| ConfigError::Variable {
                variable: name.into(),
                message: e.to_string(),
                value,
            })
        }
        let flag = |name: &str, value: String| match value.to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => Ok(true),
            "0" | "false" | "no" | "off" => Ok(false),
            _ => Err(ConfigError::Variable { variable: name.into(), value, message: "expected true or false".into() }),
        };
        if let Some(v) = read("CLINEX_LAYOUT_ENABLED") {
            self.layout.enabled = flag("CLINEX_LAYOUT_ENABLED", v)?;
        }
        if let Some(v) = read("CLINEX_LAYOUT_THREADS") {
            self.layout.threads = Some(parsed("CLINEX_LAYOUT_THREADS", v)?);
        }
        if let Some(v) = read("CLINEX_LAYOUT_MODEL") {
            self.layout.model = Some(v.into());
        }
        if let Some(v) = read("CLINEX_OCR_ENABLED") {
            self.ocr.enabled = flag("CLINEX_OCR_ENABLED", v)?;
        }
        if let Some(v) = read("CLINEX_OCR_ENGINE") {
            self.ocr.engine = parsed("CLINEX_OCR_ENGINE", v)?;
        }
        if let Some(v) = read("CLINEX_OCR_LANG") {
            self.ocr.lang = v;
        }
        if let Some(v) = read("CLINEX_OCR_BANDS") {
            self.ocr.bands = parsed("CLINEX_OCR_BANDS", v)?;
        }
        if let Some(v) = read("CLINEX_OCR_DPI") {
            self.ocr.dpi = parsed("CLINEX_OCR_DPI", v)?;
        }
        if let Some(v) = read("CLINEX_TIMEOUT") {
            self.limits.timeout_seconds = parsed("CLINEX_TIMEOUT", v)?;
        }
        if let Some(v) = read("CLINEX_MAX_MIB") {
            self.limits.max_mib = parsed("CLINEX_MAX_MIB", v)?;
        }
        let native = &mut self.native;
        for (name, slot) in [
            ("CLINEX_DEPS_DIR", &mut native.deps_dir),
            ("CLINEX_PDFIUM_LIB", &mut native.pdfium),
            ("ORT_DYLIB_PATH", &mut native.onnxruntime),
            ("CLINEX_MODEL_DIR", &mut native.models),
        ] {
            if let Some(v) = read(name) {
                *slot = Some(v.into());
            }
        }
        Ok(())
    }

    /// ONNX Runtime threads per model: as configured, else the available cores (at most 4).
    pub fn layout_threads(&self) -> usize {
        self.layout.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get().min(4))).max(1)
    }

    /// The pipeline's options under these limits (the document's pages, password and file
    /// name are the caller's to add).
    pub fn options(&self) -> Options {
        Options {
            time_limit: Some(Duration::from_secs_f64(self.limits.timeout_seconds.max(0.0))),
            max_bytes: Some(self.limits.max_mib.saturating_mul(1024 * 1024)),
            ocr_dpi: Some(self.ocr.dpi),
            ..Options::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn later_sources_override_earlier_ones() {
        let dir = std::env::temp_dir().join(format!("clinex-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("clinex.toml");
        std::fs::write(&file, "[ocr]\nengine = \"tesseract\"\nlang = \"eng+chi_sim\"\n[limits]\nmax_mib = 10\n")
            .unwrap();
        let config =
            Config::resolve(Some(&file), env(&[("CLINEX_OCR_LANG", "deu"), ("CLINEX_LAYOUT_THREADS", "1")])).unwrap();
        assert_eq!(config.ocr.engine, OcrEngineKind::Tesseract, "from the file");
        assert_eq!(config.ocr.lang, "deu", "the environment overrides the file");
        assert_eq!(config.limits.max_mib, 10);
        assert_eq!(config.limits.timeout_seconds, 300.0, "a default the file leaves alone");
        assert_eq!(config.layout_threads(), 1);
        let via_variable =
            Config::resolve(None, env(&[("CLINEX_CONFIG", file.to_str().unwrap()), ("CLINEX_OCR_ENABLED", "off")]))
                .unwrap();
        assert_eq!(via_variable.ocr.engine, OcrEngineKind::Tesseract);
        assert!(!via_variable.ocr.enabled);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn mistakes_are_errors_that_name_them() {
        let typo = Config::from_toml("[ocr]\nengnie = \"ppocr\"\n").unwrap_err();
        assert!(typo.contains("engnie"), "{typo}");
        let engine = Config::resolve(None, env(&[("CLINEX_OCR_ENGINE", "abbyy")])).unwrap_err().to_string();
        assert!(engine.contains("CLINEX_OCR_ENGINE") && engine.contains("ppocr, tesseract, script"), "{engine}");
        let threads = Config::resolve(None, env(&[("CLINEX_LAYOUT_THREADS", "two")])).unwrap_err().to_string();
        assert!(threads.contains("CLINEX_LAYOUT_THREADS"), "{threads}");
        let missing = Config::resolve(Some(Path::new("/nonexistent/clinex.toml")), env(&[])).unwrap_err();
        assert!(matches!(missing, ConfigError::Read { .. }));
    }

    #[test]
    fn a_config_travels_as_json() {
        let mut config = Config::default();
        config.ocr.engine = OcrEngineKind::Script;
        config.native.models = Some("/opt/clinex/models".into());
        let json = serde_json::to_string(&config).unwrap();
        assert_eq!(serde_json::from_str::<Config>(&json).unwrap(), config);
        assert_eq!(serde_json::from_str::<Config>("{}").unwrap(), Config::default(), "every key has a default");
    }

    #[test]
    fn limits_become_pipeline_options() {
        let options = Config::default().options();
        assert_eq!(options.time_limit, Some(Duration::from_secs(300)));
        assert_eq!(options.max_bytes, Some(1024 * 1024 * 1024));
        assert_eq!(options.ocr_dpi, Some(OCR_DPI));
    }
}
