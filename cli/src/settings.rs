//! The configuration flags every command takes, and the configuration they resolve to:
//! defaults, then the config file, then the environment, then these flags
//! ([`extractor::config`] documents the order and the variables).

use std::path::PathBuf;

use anyhow::Context;
use extractor::Config;
use extractor::config::OcrEngineKind;

/// Flags that set the configuration; each overrides the file and the environment.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct ConfigArgs {
    /// A TOML configuration file (also CLINEX_CONFIG); the environment and these flags override it.
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    /// Skip the layout models (and OCR): regions from the text layer's rules alone.
    #[arg(long, global = true)]
    pub no_layout: bool,
    /// ONNX Runtime threads per model (default: the available cores, at most 4; a batch spread
    /// over worker processes wants 1).
    #[arg(long, global = true)]
    pub layout_threads: Option<usize>,
    /// Use this layout model file instead of the pinned one (e.g. an INT8 build for comparison).
    #[arg(long, global = true)]
    pub layout_model: Option<PathBuf>,
    /// OCR engine for pages without a usable text layer (scans, broken fonts) and for pictures
    /// of tables and flowcharts: `ppocr` (the default: PP-OCRv6, Chinese and English in one
    /// model), `tesseract` (with --ocr-lang), or `script` (Tesseract first, PP-OCR for pages it
    /// finds Chinese or cannot read). Chosen from eval/ocr.md.
    #[arg(long, global = true)]
    pub ocr_engine: Option<OcrEngineKind>,
    /// Tesseract languages (for `tesseract` and `script`; default `eng`).
    #[arg(long, global = true)]
    pub ocr_lang: Option<String>,
    /// Never OCR: pages without a text layer stay empty (with an `ocr_failed` warning).
    #[arg(long, global = true)]
    pub no_ocr: bool,
    /// Read a tall page as this many bands at once (faster on several cores; on skewed
    /// multi-column scans the reading order suffers, see eval/ocr.md). Default 1.
    #[arg(long, global = true)]
    pub ocr_bands: Option<usize>,
    /// Resolution for OCR of pages without a usable text layer (default 300).
    #[arg(long, global = true)]
    pub ocr_dpi: Option<f32>,
    /// Time limit per document in seconds; pages done by then are still written (default 300).
    #[arg(long, global = true)]
    pub timeout: Option<f64>,
    /// Largest input accepted, in MiB (default 1024).
    #[arg(long, global = true)]
    pub max_mib: Option<u64>,
}

impl ConfigArgs {
    /// The configuration: defaults, file, environment, then these flags.
    pub fn resolve(&self) -> anyhow::Result<Config> {
        let mut config = Config::resolve(self.config.as_deref(), |name| std::env::var(name).ok())
            .context("the configuration cannot be used")?;
        self.apply(&mut config);
        Ok(config)
    }

    /// Sets what the flags say over `config`.
    pub fn apply(&self, config: &mut Config) {
        if self.no_layout {
            config.layout.enabled = false;
        }
        if self.no_ocr {
            config.ocr.enabled = false;
        }
        if let Some(threads) = self.layout_threads {
            config.layout.threads = Some(threads);
        }
        if let Some(model) = &self.layout_model {
            config.layout.model = Some(model.clone());
        }
        if let Some(engine) = self.ocr_engine {
            config.ocr.engine = engine;
        }
        if let Some(lang) = &self.ocr_lang {
            config.ocr.lang.clone_from(lang);
        }
        if let Some(bands) = self.ocr_bands {
            config.ocr.bands = bands;
        }
        if let Some(dpi) = self.ocr_dpi {
            config.ocr.dpi = dpi;
        }
        if let Some(seconds) = self.timeout {
            config.limits.timeout_seconds = seconds;
        }
        if let Some(mib) = self.max_mib {
            config.limits.max_mib = mib;
        }
    }
}

/// Log lines on stderr: errors only, or more with `-v`/`-vv`; `RUST_LOG` overrides.
pub fn init_logging(verbose: u8) {
    let default = match verbose {
        0 => "error",
        1 => "info",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
}
