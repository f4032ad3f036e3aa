//! Shared plumbing: binding PDFium, expanding input paths, peak memory.

use std::path::{Path, PathBuf};

use anyhow::Context;
use extractor::native::{NativeLib, find_library};
use extractor::pdf::pdfium::PdfiumBackend;

/// How the commands choose their layout model.
#[derive(clap::Args, Debug, Clone)]
pub struct LayoutArgs {
    /// Skip the layout model: regions from the text layer's rules alone.
    #[arg(long)]
    pub no_layout: bool,
    /// ONNX Runtime threads for the layout model (default: the available cores, at most 4; a
    /// batch spread over worker processes wants 1).
    #[arg(long, env = "CLINEX_LAYOUT_THREADS")]
    pub layout_threads: Option<usize>,
    /// Use this layout model file instead of the pinned one (e.g. an INT8 build for comparison).
    #[arg(long, env = "CLINEX_LAYOUT_MODEL")]
    pub layout_model: Option<std::path::PathBuf>,
    /// OCR engine for pages without a usable text layer (scans, broken fonts) and for pictures
    /// of tables and flowcharts: `ppocr` (PP-OCRv6, Chinese and English in one model),
    /// `tesseract` (with --ocr-lang), or `script` (Tesseract first, PP-OCR for pages it finds
    /// Chinese or cannot read). Chosen from eval/ocr.md.
    #[arg(long, env = "CLINEX_OCR_ENGINE", default_value = "ppocr")]
    pub ocr_engine: OcrChoice,
    /// Tesseract languages (for `tesseract` and `script`).
    #[arg(long, env = "CLINEX_OCR_LANG", default_value = "eng")]
    pub ocr_lang: String,
    /// Never OCR: pages without a text layer stay empty (with an `ocr_failed` warning).
    #[arg(long)]
    pub no_ocr: bool,
    /// Read a tall page as this many bands at once (faster on several cores; on skewed
    /// multi-column scans the reading order suffers, see eval/ocr.md).
    #[arg(long, env = "CLINEX_OCR_BANDS", default_value_t = 1)]
    pub ocr_bands: usize,
}

/// Which OCR engine reads pages.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum OcrChoice {
    Ppocr,
    Tesseract,
    Script,
}

/// Longest side of the image PP-OCR's detector sees, pixels (eval/ocr.md: detection time grows
/// with its square; below this, small print is missed).
pub const PPOCR_DET_MAX_SIDE: u32 = 1600;

/// The OCR engine chosen: Tesseract with `languages` read in `bands`, PP-OCR with `threads`, or
/// both routed by script.
pub fn ocr_engine(
    choice: OcrChoice,
    languages: &str,
    bands: usize,
    threads: usize,
) -> Result<Box<dyn extractor::ocr::OcrEngine>, clinex_layout_model::ModelError> {
    let tesseract = || clinex_ocr::TesseractOcr::new(languages, bands);
    let ppocr = || clinex_ocr::PpOcr::load(threads, PPOCR_DET_MAX_SIDE);
    let classifier = clinex_layout_model::PageOrientation::load()?;
    Ok(match choice {
        OcrChoice::Tesseract => Box::new(clinex_ocr::Oriented { engine: tesseract(), classifier }),
        OcrChoice::Ppocr => Box::new(clinex_ocr::Oriented { engine: ppocr()?, classifier }),
        OcrChoice::Script => {
            let engine = clinex_ocr::ScriptRouter { latin: tesseract(), cjk: ppocr()? };
            Box::new(clinex_ocr::Oriented { engine, classifier })
        }
    })
}

/// ONNX Runtime threads: as asked, else the available cores (at most 4).
pub fn layout_threads(args: &LayoutArgs) -> usize {
    args.layout_threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get().min(4)))
}

/// The models the pipeline runs besides PDFium.
pub struct Models {
    pub layout: clinex_layout_model::PicoDetLayout,
    pub figures: clinex_layout_model::OrtFigureClassifier,
    pub tables: clinex_layout_model::OrtTableStructure,
    pub ocr: Option<Box<dyn extractor::ocr::OcrEngine>>,
}

/// Loads the layout model, the figure classifier and the table structure model unless they were
/// turned off.
pub fn layout(args: &LayoutArgs) -> anyhow::Result<Option<Models>> {
    if args.no_layout {
        return Ok(None);
    }
    let config = clinex_layout_model::LayoutConfig {
        threads: layout_threads(args),
        model: args.layout_model.clone(),
        ..Default::default()
    };
    let load = || -> Result<Models, clinex_layout_model::ModelError> {
        Ok(Models {
            layout: clinex_layout_model::PicoDetLayout::load(config.clone())?,
            figures: clinex_layout_model::OrtFigureClassifier::load()?,
            tables: clinex_layout_model::OrtTableStructure::load(config.threads)?,
            ocr: None,
        })
    };
    let mut models = load()
        .map_err(|e| extractor::ExtractError::Library(e.to_string()))
        .context("the layout models could not be loaded (use --no-layout to run without them)")?;
    if !args.no_ocr {
        let engine = ocr_engine(args.ocr_engine, &args.ocr_lang, args.ocr_bands, config.threads)
            .map_err(|e| extractor::ExtractError::Library(e.to_string()))
            .context("the OCR models could not be loaded (use --ocr-engine tesseract or --no-ocr)")?;
        models.ocr = Some(engine);
    }
    Ok(Some(models))
}

/// The engines for a pipeline run.
pub fn engines<'a>(pdf: &'a PdfiumBackend, models: Option<&'a Models>) -> extractor::Engines<'a> {
    extractor::Engines {
        pdf,
        layout: models.map(|m| &m.layout as &dyn extractor::layout::LayoutDetector),
        figures: models.map(|m| &m.figures as &dyn extractor::layout::FigureClassifier),
        tables: models.map(|m| &m.tables as &dyn extractor::tables::TableStructureRecognizer),
        ocr: models.and_then(|m| m.ocr.as_deref()),
    }
}

/// Binds PDFium from wherever [`find_library`] finds it.
pub fn pdfium() -> anyhow::Result<PdfiumBackend> {
    let path = find_library(NativeLib::Pdfium);
    PdfiumBackend::bind(&path)
        .map_err(|e| extractor::ExtractError::Library(e.to_string()))
        .with_context(|| format!("set CLINEX_PDFIUM_LIB or run `make setup` (looked for {})", path.display()))
}

/// Files named directly, and every `*.pdf` under named folders (sorted, so runs are repeatable).
pub fn expand(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            collect_pdfs(p, &mut out).with_context(|| format!("cannot list {}", p.display()))?;
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn collect_pdfs(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect_pdfs(&path, out)?;
        } else if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")) {
            out.push(path);
        }
    }
    Ok(())
}

/// Peak resident memory of this process in MiB (Linux `VmHWM`).
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}
