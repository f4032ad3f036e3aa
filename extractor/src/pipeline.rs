//! The one entry point: bytes and options in, an [`Extraction`] out. This module only
//! orchestrates: each step it calls is a stage of its own module, testable alone.
//!
//! Per page: text layer ([`crate::text`]) and vector drawing ([`crate::vector`]); OCR where the
//! text layer cannot be used ([`crate::scan`]); the layout model's boxes ([`crate::layout`],
//! typed by [`crate::regions`]), pictures of tables ([`crate::tables`]) and of flowcharts
//! ([`crate::flowcharts`]). Per document, once every page is read: the regions
//! ([`crate::regions::page_regions`]), tables, flowchart graphs, recommendations
//! ([`crate::clinical`]) and the triples count ([`crate::triples`]).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Instant;

use sha2::{Digest, Sha256};
use tracing::{debug, info_span, warn};

use crate::config::{MAX_RENDER_PIXELS, OCR_DPI, Options};
use crate::error::ExtractError;
use crate::flowcharts::{page_flowcharts, read_picture_graphs};
use crate::input;
use crate::layout::{Detection, FigureClassifier, LayoutDetector, LayoutLabel, to_page_points};
use crate::model::{Extraction, Page, Region, SCHEMA_VERSION, Source, TriplesSummary, Warning, WarningCode};
use crate::ocr::OcrEngine;
use crate::page_state::{FlowchartInk, PageState};
use crate::pages::PageSelection;
use crate::pdf::{PdfBackend, PdfDoc, RawPage, RenderSize, dpi_within};
use crate::regions::{
    DocumentStyle, drop_prose_figures_on_scans, keep_picture_flowcharts, page_regions, reconcile_vector_flowcharts,
    split_blocks_at_tables, type_figures,
};
use crate::scan::{ocr_if_needed, read_pictures};
use crate::tables::{TableInk, TableStructureRecognizer, link_continued, recognize_picture_tables};
use crate::text::{PageBlocks, page_blocks};
use crate::title::choose_title;
use crate::vector::{detect_flowcharts, primitives};

/// The native engines a pipeline runs on.
#[derive(Clone, Copy)]
pub struct Engines<'a> {
    pub pdf: &'a dyn PdfBackend,
    /// Layout model; without one, regions come from the text layer's rules alone.
    pub layout: Option<&'a dyn LayoutDetector>,
    /// Tells flowcharts among the layout model's figures (raster ones included).
    pub figures: Option<&'a dyn FigureClassifier>,
    /// Reads the cell structure of tables drawn as pictures.
    pub tables: Option<&'a dyn TableStructureRecognizer>,
    /// Reads pages whose text layer is missing or broken.
    pub ocr: Option<&'a dyn OcrEngine>,
}

impl<'a> Engines<'a> {
    /// The PDF backend alone: regions from the text layer's rules, no models, no OCR.
    pub fn text_only(pdf: &'a dyn PdfBackend) -> Self {
        Self { pdf, layout: None, figures: None, tables: None, ocr: None }
    }
}

/// Extracts one PDF from its text layer alone (no layout model).
pub fn extract(bytes: &[u8], options: &Options, backend: &dyn PdfBackend) -> Result<Extraction, ExtractError> {
    extract_with(bytes, options, Engines::text_only(backend))
}

/// How far an extraction has got: pages read (or failed) of the pages selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub pages_done: u32,
    pub pages_total: u32,
}

/// Extracts one PDF. Bad input gives a typed error; a page that fails becomes a warning while
/// the other pages are still extracted.
pub fn extract_with(bytes: &[u8], options: &Options, engines: Engines<'_>) -> Result<Extraction, ExtractError> {
    extract_observed(bytes, options, engines, &mut |_| {})
}

/// [`extract_with`], telling `progress` when the pages are known and after each page.
pub fn extract_observed(
    bytes: &[u8],
    options: &Options,
    engines: Engines<'_>,
    progress: &mut dyn FnMut(Progress),
) -> Result<Extraction, ExtractError> {
    let started = Instant::now();
    let kind = input::classify(bytes, options.max_bytes)?;
    let sha256 = hex::encode(Sha256::digest(bytes));
    let _span = info_span!("extract", doc = &sha256[..12]).entered();

    let doc = kind
        .backend(engines.pdf)
        .open(bytes, options.password.as_deref())
        .map_err(|e| input::open_error(e, options.password.is_some(), kind))?;
    let page_count = doc.page_count();
    if page_count == 0 {
        return Err(if kind.truncated() {
            ExtractError::Corrupt { detail: "truncated: no pages could be recovered".into() }
        } else {
            ExtractError::NoPages
        });
    }

    let mut warnings = Vec::new();
    if kind.truncated() {
        warnings.push(Warning {
            page: None,
            code: WarningCode::Truncated,
            message: "the file has no %%EOF marker and was probably cut short; recovered what PDFium could read".into(),
        });
    }
    let selected = select_pages(options.pages.as_ref(), page_count, &mut warnings)?;

    let (pages, timed_out) = read_pages(doc.as_ref(), &selected, options, engines, started, &mut warnings, progress);
    if pages.is_empty() && !timed_out {
        let first_error =
            warnings.iter().find(|w| w.code == WarningCode::PageFailed).map(|w| w.message.clone()).unwrap_or_default();
        return Err(ExtractError::AllPagesFailed { failed: selected.len() as u32, first_error });
    }

    let blocks: Vec<&PageBlocks> = pages.iter().map(|p| &p.blocks).collect();
    let style = DocumentStyle::measure(&blocks);
    let mut out_pages = Vec::with_capacity(pages.len());
    let mut tables = Vec::new();
    let mut flowcharts = Vec::new();
    for page in &pages {
        let regions = page_regions(&page.blocks, page.detections.as_deref(), &style, page.scanned, &page.annotations);
        let number = page.blocks.number;
        if let Some(ink) = &page.table_ink {
            tables.extend(ink.tables(number, &regions, page.size(), tables.len()));
        }
        flowcharts.extend(page_flowcharts(number, &regions, page, flowcharts.len()));
        out_pages.push(assemble_page(page, regions));
    }
    let pages_read = out_pages.len() as u32;
    add_unread_pages(&mut out_pages, &selected, &warnings, doc.as_ref());
    link_continued(&mut tables, &out_pages);
    let (title, title_source) = choose_title(doc.metadata_title(), options.filename.as_deref(), &out_pages);
    let mut extraction = Extraction {
        schema_version: SCHEMA_VERSION.to_string(),
        source: Source {
            sha256,
            filename: options.filename.clone(),
            pages: page_count,
            title,
            title_source,
            bytes: bytes.len() as u64,
            pdf_version: doc.pdf_version(),
            layout_model: engines.layout.map(|l| l.name().to_string()),
        },
        pages: out_pages,
        tables,
        flowcharts,
        recommendations: Vec::new(),
        triples: None,
        warnings,
    };
    derive(&mut extraction);
    debug!(pages = extraction.pages.len(), ms = started.elapsed().as_millis() as u64, "extracted");
    if timed_out {
        let limit = options.time_limit.unwrap_or_default();
        return Err(ExtractError::TimeLimit {
            seconds: limit.as_secs_f64(),
            done: pages_read,
            total: selected.len() as u32,
            partial: Box::new(extraction),
        });
    }
    Ok(extraction)
}

/// A page for every selected page that was not read, empty and marked with the warning's code,
/// so that `pages` holds every page asked for, in order, and numbering never shifts.
fn add_unread_pages(pages: &mut Vec<Page>, selected: &[u32], warnings: &[Warning], doc: &dyn PdfDoc) {
    const LETTER: (f32, f32) = (612.0, 792.0);
    let read: Vec<u32> = pages.iter().map(|p| p.number).collect();
    for &number in selected.iter().filter(|n| !read.contains(n)) {
        let why = warnings
            .iter()
            .find(|w| w.page == Some(number) && matches!(w.code, WarningCode::PageFailed | WarningCode::TimeLimit))
            .map_or(WarningCode::PageFailed, |w| w.code);
        // Its own size when PDFium knows it, else its nearest read neighbour's, else Letter.
        let size = doc.page_size(number - 1).unwrap_or_else(|| {
            pages
                .iter()
                .filter(|p| p.unread.is_none())
                .min_by_key(|p| p.number.abs_diff(number))
                .map_or(LETTER, |p| (p.width, p.height))
        });
        pages.push(Page::unread(number, size, why));
    }
    pages.sort_by_key(|p| p.number);
}

/// What follows from the pages, tables and flowcharts: the recommendations and the triples'
/// summary (worked out again when a curator corrects them).
pub fn derive(doc: &mut Extraction) {
    doc.recommendations = crate::clinical::find_recommendations(&doc.tables, &doc.pages);
    let count = crate::triples::build(doc).len() as u64;
    let formats = crate::triples::Format::ALL.iter().map(|f| f.extension().to_string()).collect();
    doc.triples = Some(TriplesSummary { count, formats });
}

/// The page numbers to read: all, or the selection's pages that exist (a warning for each that
/// does not; an error when none does).
fn select_pages(
    selection: Option<&PageSelection>,
    page_count: u32,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<u32>, ExtractError> {
    let Some(selection) = selection else { return Ok((1..=page_count).collect()) };
    let (chosen, missing) = selection.resolve(page_count);
    for n in &missing {
        warnings.push(Warning {
            page: Some(*n),
            code: WarningCode::PageOutOfRange,
            message: format!("page {n} does not exist (the document has {page_count} pages)"),
        });
    }
    if chosen.is_empty() {
        return Err(ExtractError::PagesOutOfRange { pages: page_count });
    }
    Ok(chosen)
}

/// Reads the selected pages; returns the pages read and whether the time limit cut it short.
fn read_pages(
    doc: &dyn PdfDoc,
    selected: &[u32],
    options: &Options,
    engines: Engines<'_>,
    started: Instant,
    warnings: &mut Vec<Warning>,
    progress: &mut dyn FnMut(Progress),
) -> (Vec<PageState>, bool) {
    let mut pages = Vec::with_capacity(selected.len());
    let pages_total = selected.len() as u32;
    progress(Progress { pages_done: 0, pages_total });
    let render = engines.layout.map(|l| {
        let (width, height) = l.input_size();
        RenderSize { width, height }
    });
    let dpi = options.ocr_dpi.unwrap_or(OCR_DPI);
    for (k, &number) in selected.iter().enumerate() {
        if let Some(limit) = options.time_limit
            && started.elapsed() > limit
        {
            for &left in &selected[k..] {
                warnings.push(Warning {
                    page: Some(left),
                    code: WarningCode::TimeLimit,
                    message: format!("not extracted: the time limit of {:.1} s ran out", limit.as_secs_f64()),
                });
            }
            return (pages, true);
        }
        // A panic in our own code on one odd page must not sink the document.
        let result = catch_unwind(AssertUnwindSafe(|| {
            doc.page(number - 1, render).map(|raw| read_page(doc, number, raw, engines, dpi))
        }));
        match result {
            Ok(Ok((page, page_warnings))) => {
                warnings.extend(page_warnings);
                pages.push(page);
            }
            Ok(Err(e)) => {
                warn!(page = number, error = %e, "page failed");
                warnings.push(Warning { page: Some(number), code: WarningCode::PageFailed, message: e.to_string() });
            }
            Err(_) => warnings.push(Warning {
                page: Some(number),
                code: WarningCode::PageFailed,
                message: "internal error while reading the page".into(),
            }),
        }
        progress(Progress { pages_done: k as u32 + 1, pages_total });
    }
    (pages, false)
}

/// One page through the page stages: OCR when its text layer cannot be used, its text, drawing
/// and layout, then OCR of its pictures and the graphs of flowcharts drawn as pictures.
fn read_page(doc: &dyn PdfDoc, number: u32, raw: RawPage, engines: Engines<'_>, dpi: f32) -> (PageState, Vec<Warning>) {
    let (dpi, reduced) = render_budget(number, (raw.width, raw.height), dpi);
    let ocr = ocr_if_needed(doc, number, raw, engines.ocr, dpi);
    let scanned = ocr.image.is_some();
    let (mut page, mut warnings) = layout_page(number, ocr.raw, engines, scanned);
    page.scanned = scanned;
    warnings.extend(ocr.warning);
    // A page read whole by OCR has its pictures' text already.
    let mut image = ocr.image;
    if let Some(engine) = engines.ocr.filter(|_| !scanned) {
        let (warning, rendered) = read_pictures(doc, number, &mut page, engine, dpi);
        warnings.extend(warning);
        image = rendered;
    }
    // Said only of pages that were rendered at that resolution.
    if scanned || image.is_some() {
        warnings.extend(reduced);
    }
    read_picture_graphs(doc, number, &mut page, image, dpi);
    (page, warnings)
}

/// The resolution a page is rendered at for OCR: `dpi` unless that is over the pixel budget,
/// with a warning when it is (the page is still read, at a lower resolution).
fn render_budget(number: u32, size: (f32, f32), dpi: f32) -> (f32, Option<Warning>) {
    let within = dpi_within(size, dpi, MAX_RENDER_PIXELS);
    let warning = (within < dpi).then(|| Warning {
        page: Some(number),
        code: WarningCode::RenderReduced,
        message: format!(
            "the page is {:.0} x {:.0} in; it is rendered at {within:.0} dpi instead of {dpi:.0} to stay within {:.0} megapixels",
            size.0 / 72.0,
            size.1 / 72.0,
            MAX_RENDER_PIXELS / 1e6
        ),
    });
    (within, warning)
}

/// One page's text layer to blocks, the layout model on the rendered page, and flowcharts
/// found in the vector drawing.
fn layout_page(number: u32, mut raw: RawPage, engines: Engines<'_>, scanned: bool) -> (PageState, Vec<Warning>) {
    let image = raw.image.take();
    let page_size = (raw.width, raw.height);
    let prims = primitives(&raw.paths, page_size);
    let images = std::mem::take(&mut raw.images);
    let paths = std::mem::take(&mut raw.paths);
    let annotations = std::mem::take(&mut raw.annotations);
    let (mut blocks, mut warnings) = page_blocks(number, &raw);
    let chars = raw.chars;
    let text_boxes: Vec<_> = blocks.blocks.iter().flat_map(|b| b.lines.iter().map(|l| l.bbox)).collect();
    let vector_charts = detect_flowcharts(&prims, &text_boxes);
    let mut picture_tables = Vec::new();
    let model = match (engines.layout, image) {
        (Some(detector), Some(image)) => match detector.detect(&image) {
            Ok(mut found) => {
                type_figures(&mut found, &image, engines.figures, number, &mut warnings);
                let mut found = to_page_points(found, image.dimensions(), page_size);
                if scanned {
                    drop_prose_figures_on_scans(&mut found, &text_boxes, page_size.0 * page_size.1);
                }
                if let Some(recognizer) = engines.tables {
                    let scale =
                        (image.width() as f32 / page_size.0.max(1.0), image.height() as f32 / page_size.1.max(1.0));
                    for result in recognize_picture_tables(&found, &images, &image, scale, recognizer) {
                        match result {
                            Ok(table) => picture_tables.push(table),
                            Err(e) => warnings.push(Warning {
                                page: Some(number),
                                code: WarningCode::LayoutFailed,
                                message: format!("table structure: {e}"),
                            }),
                        }
                    }
                }
                Some(found)
            }
            Err(e) => {
                warnings.push(Warning { page: Some(number), code: WarningCode::LayoutFailed, message: e.to_string() });
                None
            }
        },
        _ => None,
    };
    let detections: Option<Vec<Detection>> = match model {
        Some(mut found) => {
            keep_picture_flowcharts(&mut found, &images);
            Some(reconcile_vector_flowcharts(found, vector_charts))
        }
        None if !vector_charts.is_empty() => Some(vector_charts),
        None => None,
    };
    if let Some(d) = &detections {
        debug!(page = number, detections = ?d.iter().map(|d| (d.label, d.score, d.bbox.to_array())).collect::<Vec<_>>(), "layout");
    }
    let table_ink = detections.as_deref().map(|_| TableInk::gather(&chars, &paths, picture_tables));
    if let Some(d) = detections.as_deref() {
        blocks.blocks = split_blocks_at_tables(std::mem::take(&mut blocks.blocks), d);
    }
    // A figure may still turn out to be a flowchart: by its caption, or on a scan by its pixels.
    let has_flowchart =
        scanned || detections.iter().flatten().any(|d| matches!(d.label, LayoutLabel::Flowchart | LayoutLabel::Figure));
    let flowchart_ink = has_flowchart.then_some(FlowchartInk { drawing: prims, chars });
    let page = PageState {
        blocks,
        detections,
        table_ink,
        scanned: false,
        pictures: images,
        flowchart_ink,
        picture_graphs: Vec::new(),
        outlined_drawings: Vec::new(),
        annotations,
    };
    (page, warnings)
}

/// The contract's page: its size and rotation, its regions and their text in reading order.
fn assemble_page(page: &PageState, regions: Vec<Region>) -> Page {
    let text = regions.iter().map(|r| r.text.as_str()).filter(|t| !t.is_empty()).collect::<Vec<_>>().join("\n\n");
    let b = &page.blocks;
    Page {
        number: b.number,
        width: b.width,
        height: b.height,
        rotation: b.rotation,
        scanned: page.scanned,
        text,
        regions,
        unread: None,
    }
}

#[cfg(test)]
mod tests;
