//! The one entry point: bytes and options in, an [`Extraction`] out.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use tracing::{debug, info_span, warn};

use crate::error::ExtractError;
use crate::geometry::BBox;
use crate::layout::{
    Detection, FigureClassifier, LayoutDetector, drop_prose_figures_on_scans, keep_picture_flowcharts,
    merge_detections, reconcile_vector_flowcharts, split_blocks_at_tables, to_page_points, type_figures,
};
use crate::model::{Extraction, Page, Region, RegionKind, SCHEMA_VERSION, Source, Warning, WarningCode};
use crate::ocr::{OCR_DPI, OcrEngine};
use crate::pages::PageSelection;
use crate::pdf::{OpenError, PdfBackend, PdfDoc, RawPage, RenderSize};
use crate::regions::{DocumentStyle, PageBlocks, classify_blocks, finalize_page};
use crate::scan::{ocr_if_needed, read_pictures};
use crate::tables::{TableInk, TableStructureRecognizer, recognize_picture_tables};
use crate::text::{build_blocks, build_lines};
use crate::vector::{detect_flowcharts, primitives};

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

/// Extracts one PDF from its text layer alone (no layout model).
pub fn extract(bytes: &[u8], options: &Options, backend: &dyn PdfBackend) -> Result<Extraction, ExtractError> {
    extract_with(bytes, options, Engines { pdf: backend, layout: None, figures: None, tables: None, ocr: None })
}

/// Extracts one PDF. Bad input gives a typed error; a page that fails becomes a warning while
/// the other pages are still extracted.
pub fn extract_with(bytes: &[u8], options: &Options, engines: Engines<'_>) -> Result<Extraction, ExtractError> {
    let started = Instant::now();
    // Scans often arrive as image files: each image (each TIFF page) is a page to OCR.
    let image_input = crate::pdf::images::is_image(bytes);
    let backend: &dyn PdfBackend = if image_input { &crate::pdf::images::ImageBackend } else { engines.pdf };
    if !image_input {
        check_bytes(bytes, options)?;
    } else if let Some(limit) = options.max_bytes.filter(|&l| bytes.len() as u64 > l) {
        return Err(ExtractError::TooLarge { bytes: bytes.len() as u64, limit });
    }
    let sha256 = hex::encode(Sha256::digest(bytes));
    let _span = info_span!("extract", doc = &sha256[..12]).entered();
    let truncated = !image_input && !has_eof_marker(bytes);

    let doc = backend.open(bytes, options.password.as_deref()).map_err(|e| open_error(e, options, truncated))?;
    let page_count = doc.page_count();
    if page_count == 0 {
        return Err(if truncated {
            ExtractError::Corrupt { detail: "truncated: no pages could be recovered".into() }
        } else {
            ExtractError::NoPages
        });
    }

    let mut warnings = Vec::new();
    if truncated {
        warnings.push(Warning {
            page: None,
            code: WarningCode::Truncated,
            message: "the file has no %%EOF marker and was probably cut short; recovered what PDFium could read".into(),
        });
    }
    let selected = match &options.pages {
        None => (1..=page_count).collect(),
        Some(sel) => {
            let (chosen, missing) = sel.resolve(page_count);
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
            chosen
        }
    };

    let (pages, timed_out) = read_pages(doc.as_ref(), &selected, options, engines, started, &mut warnings);
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
    for (page, meta) in pages.iter().zip(pages_meta(&pages)) {
        let mut regions = classify_blocks(&page.blocks, &style, page.blocks.number == 1);
        if let Some(detections) = &page.detections {
            regions = merge_detections(regions, detections);
        }
        let mut regions = finalize_page(page.blocks.number, regions);
        if page.scanned {
            // Text read by OCR: the regions the text rules made carry that provenance.
            for r in regions.iter_mut().filter(|r| r.source == crate::model::RegionSource::Heuristic) {
                r.source = crate::model::RegionSource::Ocr;
            }
        }
        if let Some(ink) = &page.table_ink {
            tables.extend(ink.tables(
                page.blocks.number,
                &regions,
                (page.blocks.width, page.blocks.height),
                tables.len(),
            ));
        }
        flowcharts.extend(crate::flowcharts::page_flowcharts(
            page.blocks.number,
            &regions,
            page.flowchart_ink.as_ref(),
            &page.picture_graphs,
            &page.pictures,
            (page.blocks.width, page.blocks.height),
            flowcharts.len(),
        ));
        out_pages.push(assemble_page(meta, regions));
    }
    crate::tables::link_continued(&mut tables, &out_pages);
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
    extraction.recommendations = crate::clinical::find_recommendations(&extraction.tables, &extraction.pages);
    let count = crate::triples::build(&extraction).len() as u64;
    let formats = crate::triples::Format::ALL.iter().map(|(name, _)| name.to_string()).collect();
    extraction.triples = Some(crate::model::TriplesSummary { count, formats });
    debug!(pages = extraction.pages.len(), ms = started.elapsed().as_millis() as u64, "extracted");
    if timed_out {
        let limit = options.time_limit.unwrap_or_default();
        return Err(ExtractError::TimeLimit {
            seconds: limit.as_secs_f64(),
            done: extraction.pages.len() as u32,
            total: selected.len() as u32,
            partial: Box::new(extraction),
        });
    }
    Ok(extraction)
}

fn check_bytes(bytes: &[u8], options: &Options) -> Result<(), ExtractError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ExtractError::Empty);
    }
    if let Some(limit) = options.max_bytes
        && bytes.len() as u64 > limit
    {
        return Err(ExtractError::TooLarge { bytes: bytes.len() as u64, limit });
    }
    // The header may follow some junk, but within the first kilobyte (as readers allow).
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(ExtractError::NotPdf { looks_like: sniff(bytes).into() });
    }
    Ok(())
}

/// What a non-PDF file most likely is, for the error message.
fn sniff(bytes: &[u8]) -> &'static str {
    let starts = |m: &[u8]| bytes.starts_with(m);
    if starts(b"\x89PNG") {
        "a PNG image"
    } else if starts(b"\xFF\xD8\xFF") {
        "a JPEG image"
    } else if starts(b"II*\0") || starts(b"MM\0*") {
        "a TIFF image"
    } else if starts(b"PK\x03\x04") {
        "a ZIP archive, perhaps a Word document"
    } else if starts(b"\xD0\xCF\x11\xE0") {
        "an old Office document"
    } else if bytes.len() > 5 && bytes[..bytes.len().min(512)].to_ascii_lowercase().windows(5).any(|w| w == b"<html") {
        "an HTML page"
    } else if std::str::from_utf8(&bytes[..bytes.len().min(512)]).is_ok() {
        "plain text"
    } else {
        "no PDF header in the first 1024 bytes"
    }
}

fn has_eof_marker(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(2048)..];
    tail.windows(5).any(|w| w == b"%%EOF")
}

fn open_error(e: OpenError, options: &Options, truncated: bool) -> ExtractError {
    match e {
        OpenError::Password => ExtractError::Encrypted { password_given: options.password.is_some() },
        OpenError::UnsupportedSecurity => ExtractError::UnsupportedSecurity,
        OpenError::Library(m) => ExtractError::Library(m),
        OpenError::Image(detail) => ExtractError::CorruptImage { detail },
        OpenError::Format(detail) => {
            ExtractError::Corrupt { detail: if truncated { format!("truncated; {detail}") } else { detail } }
        }
    }
}

/// A page read and cut into blocks, with what the final page needs from the raw page.
struct PageMeta {
    number: u32,
    width: f32,
    height: f32,
    rotation: i32,
    scanned: bool,
}

/// A page read and cut into blocks, with the layout model's boxes when one ran.
pub struct ReadPage {
    pub blocks: PageBlocks,
    /// Detections in page points; `None` when no model ran on the page.
    pub detections: Option<Vec<Detection>>,
    /// Glyphs and rules around the page's tables, kept for their cell structure.
    pub table_ink: Option<TableInk>,
    /// The page's text came from OCR.
    pub scanned: bool,
    /// Boxes of the images drawn on the page.
    pub pictures: Vec<BBox>,
    /// Drawing and glyphs kept for flowchart graphs, on pages with a flowchart.
    pub flowchart_ink: Option<crate::flowcharts::FlowchartInk>,
    /// Graphs read from the pixels of flowcharts drawn as pictures (page points).
    pub picture_graphs: Vec<crate::flowcharts::PictureGraph>,
}

fn pages_meta(pages: &[ReadPage]) -> impl Iterator<Item = PageMeta> + '_ {
    pages.iter().map(|p| {
        let b = &p.blocks;
        PageMeta { number: b.number, width: b.width, height: b.height, rotation: b.rotation, scanned: p.scanned }
    })
}

/// Reads the selected pages; returns the pages read and whether the time limit cut it short.
fn read_pages(
    doc: &dyn PdfDoc,
    selected: &[u32],
    options: &Options,
    engines: Engines<'_>,
    started: Instant,
    warnings: &mut Vec<Warning>,
) -> (Vec<ReadPage>, bool) {
    let mut pages = Vec::with_capacity(selected.len());
    let render = engines.layout.map(|l| {
        let (width, height) = l.input_size();
        RenderSize { width, height }
    });
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
            doc.page(number - 1, render).map(|raw| {
                let dpi = options.ocr_dpi.unwrap_or(OCR_DPI);
                let ocr = ocr_if_needed(doc, number, raw, engines.ocr, dpi);
                let scanned = ocr.image.is_some();
                let (mut page, mut page_warnings) = read_page(number, ocr.raw, engines, scanned);
                page.scanned = scanned;
                page_warnings.extend(ocr.warning);
                // A page read whole by OCR has its pictures' text already.
                let mut image = ocr.image;
                if let Some(engine) = engines.ocr.filter(|_| !scanned) {
                    let (warning, rendered) = read_pictures(doc, number, &mut page, engine, dpi);
                    page_warnings.extend(warning);
                    image = rendered;
                }
                crate::flowcharts::raster::read_picture_graphs(doc, number, &mut page, image, dpi);
                (page, page_warnings)
            })
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
    }
    (pages, false)
}

/// One page: the text layer to blocks, the layout model on the rendered page, and flowcharts
/// found in the vector drawing.
fn read_page(number: u32, mut raw: RawPage, engines: Engines<'_>, scanned: bool) -> (ReadPage, Vec<Warning>) {
    let image = raw.image.take();
    let page_size = (raw.width, raw.height);
    let prims = primitives(&raw.paths, page_size);
    let images = std::mem::take(&mut raw.images);
    let paths = std::mem::take(&mut raw.paths);
    let (blocks, mut warnings) = page_blocks(number, &raw);
    let chars = raw.chars;
    let text_boxes: Vec<BBox> = blocks.blocks.iter().flat_map(|b| b.lines.iter().map(|l| l.bbox)).collect();
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
    let detections = match model {
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
    let table_ink = detections.as_deref().and_then(|d| TableInk::gather(d, &chars, &paths, picture_tables));
    let mut blocks = blocks;
    if let Some(d) = detections.as_deref() {
        blocks.blocks = split_blocks_at_tables(std::mem::take(&mut blocks.blocks), d);
    }
    // A figure may still turn out to be a flowchart: by its caption, or on a scan by its pixels.
    let has_flowchart = scanned
        || detections
            .iter()
            .flatten()
            .any(|d| matches!(d.label, crate::layout::LayoutLabel::Flowchart | crate::layout::LayoutLabel::Figure));
    let flowchart_ink = has_flowchart.then_some(crate::flowcharts::FlowchartInk { drawing: prims, chars });
    (
        ReadPage {
            blocks,
            detections,
            table_ink,
            scanned: false,
            pictures: images,
            flowchart_ink,
            picture_graphs: Vec::new(),
        },
        warnings,
    )
}

/// One page's text layer to blocks in reading order, with warnings about its quality.
pub fn page_blocks(number: u32, raw: &RawPage) -> (PageBlocks, Vec<Warning>) {
    let mut warnings = Vec::new();
    let lines = build_lines(&raw.chars, (raw.width, raw.height));
    let glyphs: u32 = lines.iter().map(|l| l.glyphs).sum();
    let unmapped: u32 = lines.iter().map(|l| l.unmapped).sum();
    if glyphs == 0 {
        let message = if raw.image_coverage > 0.5 {
            format!("no text layer; images cover {:.0}% of the page (a scan?)", raw.image_coverage * 100.0)
        } else {
            "no text layer".to_string()
        };
        warnings.push(Warning { page: Some(number), code: WarningCode::NoTextLayer, message });
    } else if unmapped * 10 > glyphs {
        warnings.push(Warning {
            page: Some(number),
            code: WarningCode::TextLayerUnreliable,
            message: format!("{unmapped} of {glyphs} glyphs have no Unicode mapping (broken or missing ToUnicode)"),
        });
    }
    let blocks = build_blocks(lines);
    (PageBlocks { number, width: raw.width, height: raw.height, rotation: raw.rotation, blocks }, warnings)
}

fn assemble_page(meta: PageMeta, regions: Vec<Region>) -> Page {
    let text = regions.iter().map(|r| r.text.as_str()).filter(|t| !t.is_empty()).collect::<Vec<_>>().join("\n\n");
    Page {
        number: meta.number,
        width: meta.width,
        height: meta.height,
        rotation: meta.rotation,
        scanned: meta.scanned,
        text,
        regions,
    }
}

/// The metadata title unless it is a placeholder or a file name; else the first page's title.
fn choose_title(metadata: Option<String>, filename: Option<&str>, pages: &[Page]) -> (Option<String>, Option<String>) {
    let alnum = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>();
    let stem = filename.map(|f| alnum(f.rsplit_once('.').map_or(f, |(stem, _)| stem)));
    let is_file_name = |t: &str| stem.as_deref().is_some_and(|s| !s.is_empty() && alnum(t) == s);
    let usable = |t: &String| !is_placeholder_title(t) && !is_file_name(t) && !t.to_lowercase().starts_with("doi");
    if let Some(t) = metadata.filter(usable) {
        return (Some(t), Some("metadata".into()));
    }
    let from_layout =
        pages.iter().flat_map(|p| &p.regions).find(|r| r.kind == RegionKind::Title).map(|r| r.text.replace('\n', " "));
    let source = from_layout.as_ref().map(|_| "layout".to_string());
    (from_layout, source)
}

fn is_placeholder_title(t: &str) -> bool {
    let lower = t.trim().to_lowercase();
    let stems = [
        "untitled",
        "microsoft word",
        "microsoft powerpoint",
        "powerpoint presentation",
        "presentation",
        "document",
        "title",
        "pdf",
        "slide 1",
    ];
    // Identifiers such as "ipg1300180a" or "6489122611071476 1..10": no real words.
    let has_word = lower
        .split_whitespace()
        .any(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 3 && !w.chars().any(|c| c.is_ascii_digit()));
    let cjk = lower.chars().any(crate::text::script::is_cjk);
    if !has_word && !cjk {
        return true;
    }
    let extensions = [".doc", ".docx", ".pdf", ".ppt", ".pptx", ".indd", ".tex", ".dvi", ".qxd", ".rtf"];
    lower.chars().filter(|c| c.is_alphanumeric()).count() < 3
        || stems.iter().any(|s| lower == *s || lower.starts_with(&format!("{s} -")))
        || extensions.iter().any(|e| lower.ends_with(e))
        || lower.starts_with("microsoft word - ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholder_titles_are_ignored() {
        assert!(is_placeholder_title("Microsoft Word - guideline_v3.docx"));
        assert!(is_placeholder_title("untitled"));
        assert!(is_placeholder_title("report.pdf"));
        assert!(is_placeholder_title("PowerPoint Presentation"));
        assert!(is_placeholder_title("ipg1300180a"));
        assert!(is_placeholder_title("6489122611071476 1..10"));
        assert!(!is_placeholder_title("Emergency treatment of anaphylaxis"));
    }

    #[test]
    fn bytes_are_classified_before_parsing() {
        let o = Options::default();
        assert!(matches!(check_bytes(b"", &o), Err(ExtractError::Empty)));
        assert!(matches!(check_bytes(b"  \n", &o), Err(ExtractError::Empty)));
        assert!(matches!(check_bytes(b"\x89PNG\r\n", &o), Err(ExtractError::NotPdf { .. })));
        assert!(check_bytes(b"%PDF-1.7\n", &o).is_ok());
        let small = Options { max_bytes: Some(4), ..Options::default() };
        assert!(matches!(check_bytes(b"%PDF-1.7", &small), Err(ExtractError::TooLarge { .. })));
    }
}
