//! The one place where a [`Config`] becomes running engines: PDFium bound, the ONNX models
//! loaded (layout, figure types, table structure, page orientation) and the OCR engine chosen.
//! The CLI, the evaluation, the tests and (later) the worker processes all load through
//! [`LoadedEngines::load`]; the HTTP service never does (it never links this crate).
//!
//! Depends on: `clinex-extractor`, and the adapters `clinex-pdfium`, `clinex-layout-model`,
//! `clinex-ocr`.

pub mod native;

use clinex_layout_model::runtime::ModelPaths;
use clinex_layout_model::{ModelError, OrtFigureClassifier, OrtTableStructure, PageOrientation, PicoDetLayout};
use clinex_ocr::{Oriented, PpOcr, ScriptRouter, TesseractOcr};
pub use clinex_pdfium::PdfiumBackend;
use extractor::Config;
use extractor::config::OcrEngineKind;
use extractor::ocr::OcrEngine;
use native::{NativeLib, find_library, model_dir};

/// Longest side of the image PP-OCR's detector sees, pixels (eval/ocr.md: detection time grows
/// with its square; below this, small print is missed).
pub const PPOCR_DET_MAX_SIDE: u32 = 1600;

/// Why an engine could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("PDFium cannot be loaded ({message}); set CLINEX_PDFIUM_LIB or run `make setup` (looked for {path})")]
    Pdfium { path: String, message: String },
    #[error("the layout models could not be loaded (use --no-layout to run without them): {0}")]
    Layout(ModelError),
    #[error("the OCR models could not be loaded (use --ocr-engine tesseract or --no-ocr): {0}")]
    Ocr(ModelError),
}

/// Where ONNX Runtime and the model files are for `config`.
pub fn model_paths(config: &Config) -> ModelPaths {
    ModelPaths { onnxruntime: find_library(&config.native, NativeLib::OnnxRuntime), models: model_dir(&config.native) }
}

/// PDFium, bound from where `config` says (or the deps folder).
pub fn pdfium(config: &Config) -> Result<PdfiumBackend, EngineError> {
    let path = find_library(&config.native, NativeLib::Pdfium);
    PdfiumBackend::bind(&path).map_err(|e| EngineError::Pdfium {
        path: path.display().to_string(),
        message: match e {
            extractor::pdf::OpenError::Library(message) => message,
            other => other.to_string(),
        },
    })
}

/// The ONNX models the pipeline runs besides PDFium, and the OCR engine.
pub struct Models {
    pub layout: PicoDetLayout,
    pub figures: OrtFigureClassifier,
    pub tables: OrtTableStructure,
    pub ocr: Option<Box<dyn OcrEngine>>,
}

impl Models {
    /// The layout models and (unless turned off) the OCR engine `config` names.
    pub fn load(config: &Config) -> Result<Self, EngineError> {
        let paths = model_paths(config);
        let threads = config.layout_threads();
        let layout_config =
            clinex_layout_model::LayoutConfig { threads, model: config.layout.model.clone(), ..Default::default() };
        let load = || -> Result<Self, ModelError> {
            Ok(Self {
                layout: PicoDetLayout::load(&paths, layout_config)?,
                figures: OrtFigureClassifier::load(&paths)?,
                tables: OrtTableStructure::load(&paths, threads)?,
                ocr: None,
            })
        };
        let mut models = load().map_err(EngineError::Layout)?;
        if config.ocr.enabled {
            models.ocr = Some(ocr_engine(config, &paths, threads).map_err(EngineError::Ocr)?);
        }
        Ok(models)
    }
}

/// The OCR engine `config` chooses, with the page orientation model in front of it: Tesseract
/// with its languages read in bands, PP-OCR with `threads`, or both routed by script.
pub fn ocr_engine(config: &Config, paths: &ModelPaths, threads: usize) -> Result<Box<dyn OcrEngine>, ModelError> {
    let tesseract = || TesseractOcr::new(&config.ocr.lang, config.ocr.bands);
    let ppocr = || PpOcr::load(paths, threads, PPOCR_DET_MAX_SIDE);
    let classifier = PageOrientation::load(paths)?;
    Ok(match config.ocr.engine {
        OcrEngineKind::Tesseract => Box::new(Oriented { engine: tesseract(), classifier }),
        OcrEngineKind::Ppocr => Box::new(Oriented { engine: ppocr()?, classifier }),
        OcrEngineKind::Script => {
            let engine = ScriptRouter { latin: tesseract(), cjk: ppocr()? };
            Box::new(Oriented { engine, classifier })
        }
    })
}

/// Every engine a configuration asks for, loaded.
pub struct LoadedEngines {
    pub pdf: PdfiumBackend,
    /// `None` when the configuration turns the layout models off.
    pub models: Option<Models>,
}

impl LoadedEngines {
    /// Binds PDFium and loads the models `config` asks for.
    pub fn load(config: &Config) -> Result<Self, EngineError> {
        let pdf = pdfium(config)?;
        let models = if config.layout.enabled { Some(Models::load(config)?) } else { None };
        Ok(Self { pdf, models })
    }

    /// The engines for a pipeline run.
    pub fn engines(&self) -> extractor::Engines<'_> {
        let models = self.models.as_ref();
        extractor::Engines {
            pdf: &self.pdf,
            layout: models.map(|m| &m.layout as &dyn extractor::layout::LayoutDetector),
            figures: models.map(|m| &m.figures as &dyn extractor::layout::FigureClassifier),
            tables: models.map(|m| &m.tables as &dyn extractor::tables::TableStructureRecognizer),
            ocr: models.and_then(|m| m.ocr.as_deref()),
        }
    }
}
