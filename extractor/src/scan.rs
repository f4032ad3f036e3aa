//! Scans inside the pipeline: whole pages read by OCR when their text layer cannot be used, and
//! pictures on born-digital pages (a pasted table, a flowchart screenshot) read by OCR of their
//! box, their text joining the page's like any other.

use std::time::Instant;

use image::RgbImage;
use tracing::debug;

use crate::flowcharts::drawn_without_text;
use crate::geometry::BBox;
use crate::imaging::{PixelRect, turn};
use crate::layout::{Detection, LayoutLabel};
use crate::model::{RegionSource, Warning, WarningCode};
use crate::ocr::{OcrEngine, apply_reading, needs_ocr, read_page_image, words_to_chars};
use crate::page_state::PageState;
use crate::pdf::{PdfDoc, RawChar, RawPage, RenderSize, render_at};
use crate::regions::picture_part;
use crate::text::{TextBlock, build_blocks, build_lines, is_table_caption};

/// What OCR made of a page: the page (glyphs replaced when it was read), the page image at OCR
/// resolution turned upright when it was read (for flowchart pixels), and a warning if it
/// needed OCR and got none.
pub struct OcrOutcome {
    pub raw: RawPage,
    pub image: Option<image::RgbImage>,
    pub warning: Option<Warning>,
}

/// Replaces the glyphs of a page whose text layer cannot be used by OCR words read from the page
/// rendered at OCR resolution.
pub fn ocr_if_needed(
    doc: &dyn PdfDoc,
    number: u32,
    raw: RawPage,
    engine: Option<&dyn OcrEngine>,
    dpi: f32,
) -> OcrOutcome {
    let (raw, image, warning) = ocr_page(doc, number, raw, engine, dpi);
    OcrOutcome { raw, image, warning }
}

fn ocr_page(
    doc: &dyn PdfDoc,
    number: u32,
    mut raw: RawPage,
    engine: Option<&dyn OcrEngine>,
    dpi: f32,
) -> (RawPage, Option<image::RgbImage>, Option<Warning>) {
    let Some(reason) = needs_ocr(&raw) else { return (raw, None, None) };
    let warn = |message: String| Some(Warning { page: Some(number), code: WarningCode::OcrFailed, message });
    let Some(engine) = engine else {
        return (raw, None, warn(format!("the page needs OCR ({reason:?}) and no OCR engine is configured")));
    };
    let size = RenderSize::at_dpi((raw.width, raw.height), dpi);
    let started = Instant::now();
    let image = match doc.page(number - 1, Some(size)).map(|p| p.image) {
        Ok(Some(image)) => image,
        Ok(None) => return (raw, None, warn("the page could not be rendered for OCR".into())),
        Err(e) => return (raw, None, warn(format!("the page could not be rendered for OCR: {e}"))),
    };
    // A photographed sheet is straightened and its lighting evened out first, in both renders.
    let image = match crate::photo::sheet_corners(&image) {
        Some(corners) => {
            let upright =
                |i: &image::RgbImage| crate::photo::straighten(i, &corners).map(|s| crate::photo::even_lighting(&s));
            raw.image = raw.image.as_ref().and_then(upright).or(raw.image.take());
            debug!(page = number, ?corners, "photographed sheet straightened");
            upright(&image).unwrap_or(image)
        }
        None => image,
    };
    let rendered = started.elapsed();
    match read_page_image(engine, &image, dpi) {
        Ok(read) => {
            apply_reading(&mut raw, &read);
            let (words, rotation) = (read.words.len(), read.rotation);
            let (render_ms, ocr_ms) = (rendered.as_millis() as u64, (started.elapsed() - rendered).as_millis() as u64);
            debug!(page = number, words, rotation, ?reason, render_ms, ocr_ms, engine = %engine.name(), "OCR");
            let upright = if rotation == 0 { image } else { turn(&image, rotation) };
            (raw, Some(upright), None)
        }
        Err(e) => (raw, None, warn(e.to_string())),
    }
}

/// The share of a picture the model's text boxes must cover for its words to be read.
const WRITTEN_SHARE: f32 = 0.3;
/// A picture of writing is at least a few lines tall (page points).
const MIN_WRITING_HEIGHT: f32 = 48.0;
/// The share of light pixels in a picture of writing.
const PAPER_SHARE: f32 = 0.6;

/// Reads the pictures on a page that has a text layer elsewhere: tables drawn as pictures (their
/// cells get the glyphs) and flowcharts drawn as pictures with no text over them
/// (their words become text blocks, placed in reading order where the picture starts, so the
/// picture's region holds them). Returns a warning if OCR failed, and the page as rendered at
/// `dpi` when it had pictures to read (the flowcharts' pixels are read from the same render).
pub fn read_pictures(
    doc: &dyn PdfDoc,
    number: u32,
    page: &mut PageState,
    engine: &dyn OcrEngine,
    dpi: f32,
) -> (Option<Warning>, Option<RgbImage>) {
    let mut tables = page.table_ink.as_ref().map(|ink| ink.pictures_without_text()).unwrap_or_default();
    let lines: Vec<BBox> = page.blocks.blocks.iter().flat_map(|b| b.lines.iter().map(|l| l.bbox)).collect();
    // The picture's part of a (often loose) flowchart box is what is read.
    let figures: Vec<BBox> = page
        .detections
        .iter()
        .flatten()
        // Only flowcharts (and drawings whose words are outlines): their node labels feed the
        // graphs; reading every photo and chart halved the pipeline's speed on the clinical
        // documents (18 to 9 pages/s).
        .filter_map(|d| match d.label {
            LayoutLabel::Flowchart => picture_part(&d.bbox, &page.pictures),
            _ => None,
        })
        .filter(|b| !lines.iter().any(|l| l.intersection_area(b) > 0.5 * l.area()))
        .collect();
    let outlined = outlined_drawings(page, &figures);
    page.outlined_drawings.extend(outlined.iter().copied());
    let figures: Vec<BBox> = figures.into_iter().chain(outlined).collect();
    let writing = pictures_of_writing(page, &lines, &tables, &figures);
    // Such a picture right under a "Table 1" caption is that table; so is any picture there
    // that the model saw nothing in (a pasted table it missed altogether).
    let (mut captioned, writing): (Vec<BBox>, Vec<BBox>) =
        writing.into_iter().partition(|p| page.blocks.blocks.iter().any(|b| captions_table(b, p)));
    for p in unread_pictures(page, &lines, &tables, &figures) {
        if !captioned.contains(&p) && page.blocks.blocks.iter().any(|b| captions_table(b, &p)) {
            captioned.push(p);
        }
    }
    for p in &captioned {
        debug!(page = number, bbox = ?p, "picture under a table caption");
        let table = Detection {
            label: LayoutLabel::Table,
            score: 0.5,
            bbox: *p,
            source: RegionSource::Heuristic,
            figure_type: None,
        };
        page.detections.get_or_insert_with(Vec::new).push(table);
    }
    tables.extend(captioned);
    if tables.is_empty() && figures.is_empty() && writing.is_empty() {
        return (None, None);
    }
    let size = (page.blocks.width, page.blocks.height);
    let warn = |message: String| Some(Warning { page: Some(number), code: WarningCode::OcrFailed, message });
    let Some(image) = render_at(doc, number, size, dpi) else {
        return (warn("picture: the page could not be rendered for OCR".into()), None);
    };
    // The model also reads a photo set beside text as text: writing is dark on light paper.
    let writing: Vec<BBox> = writing.into_iter().filter(|b| mostly_paper(&image, b, dpi / 72.0)).collect();
    let figures: Vec<BBox> = figures.into_iter().chain(writing.iter().copied()).collect();
    if tables.is_empty() && figures.is_empty() {
        return (None, Some(image));
    }
    let boxes: Vec<BBox> = tables.iter().chain(&figures).copied().collect();
    let read = match read_boxes(&image, &boxes, engine, dpi) {
        Ok(read) => read,
        Err(message) => return (warn(message), Some(image)),
    };
    let (table_chars, figure_chars) = read.split_at(tables.len());
    if let Some(ink) = page.table_ink.as_mut() {
        ink.add_chars(table_chars.iter().flatten().cloned().collect());
    }
    for (b, chars) in figures.iter().zip(figure_chars) {
        if let Some(ink) = page.flowchart_ink.as_mut() {
            ink.chars.extend(chars.iter().cloned());
        }
        // A picture of writing may hold a table (found later by its columns): its glyphs.
        if let Some(ink) = page.table_ink.as_mut().filter(|_| writing.contains(b)) {
            ink.add_chars(chars.clone());
        }
        let blocks = build_blocks(build_lines(chars, size));
        debug!(page = number, glyphs = chars.len(), blocks = blocks.len(), "picture read");
        let at = page.blocks.blocks.iter().position(|k| k.bbox.y0 >= b.y0 && k.bbox.overlap_x(b) > 0.0);
        let at = at.unwrap_or(page.blocks.blocks.len());
        page.blocks.blocks.splice(at..at, blocks);
    }
    (None, Some(image))
}

/// The boxes of the page's figures and flowcharts drawn without text (their words are
/// outlines) that `figures` does not hold yet.
fn outlined_drawings(page: &PageState, figures: &[BBox]) -> Vec<BBox> {
    let Some(ink) = page.flowchart_ink.as_ref() else { return Vec::new() };
    page.detections
        .iter()
        .flatten()
        .filter(|d| matches!(d.label, LayoutLabel::Flowchart | LayoutLabel::Figure))
        .filter(|d| !figures.contains(&d.bbox) && drawn_without_text(&d.bbox, ink))
        .map(|d| d.bbox)
        .collect()
}

/// Pictures the model reads as text (a table or a paragraph pasted as an image, which it often
/// calls text): without OCR their words would be lost. Not a logo in the running head (read on
/// every page, it cost more than half a second a page), nor a picture already read as a table or
/// a figure, nor one with text over it.
fn pictures_of_writing(page: &PageState, lines: &[BBox], tables: &[BBox], figures: &[BBox]) -> Vec<BBox> {
    let textual: Vec<&BBox> = page
        .detections
        .iter()
        .flatten()
        .filter(|d| matches!(d.label, LayoutLabel::Text | LayoutLabel::List))
        .map(|d| &d.bbox)
        .collect();
    unread(page, lines, tables, figures)
        .filter(|p| textual.iter().map(|d| d.intersection_area(p)).sum::<f32>() >= WRITTEN_SHARE * p.area())
        .copied()
        .collect()
}

/// The page's pictures big enough to hold writing that nothing reads yet: no text over them,
/// not read as a table or a figure.
fn unread<'a>(
    page: &'a PageState,
    lines: &'a [BBox],
    tables: &'a [BBox],
    figures: &'a [BBox],
) -> impl Iterator<Item = &'a BBox> {
    page.pictures
        .iter()
        .filter(|p| p.height() >= MIN_WRITING_HEIGHT)
        .filter(move |p| !lines.iter().any(|l| l.intersection_area(p) > 0.5 * l.area()))
        .filter(move |p| !tables.iter().chain(figures).any(|b| b.intersection_area(p) > 0.0))
}

/// Unread pictures (see [`unread`]) the model saw nothing in: no box of its over them.
fn unread_pictures(page: &PageState, lines: &[BBox], tables: &[BBox], figures: &[BBox]) -> Vec<BBox> {
    let detected: Vec<&BBox> = page.detections.iter().flatten().map(|d| &d.bbox).collect();
    unread(page, lines, tables, figures)
        .filter(|p| detected.iter().map(|d| d.intersection_area(p)).sum::<f32>() < 0.1 * p.area())
        .copied()
        .collect()
}

/// The glyphs OCR reads inside each box (page points) of the page rendered at `dpi`.
fn read_boxes(image: &RgbImage, boxes: &[BBox], engine: &dyn OcrEngine, dpi: f32) -> Result<Vec<Vec<RawChar>>, String> {
    let scale = dpi / 72.0;
    let mut out = Vec::with_capacity(boxes.len());
    for b in boxes {
        let rect = PixelRect::inside(b, (scale, scale), image.dimensions());
        if rect.width() <= 8 || rect.height() <= 8 {
            out.push(Vec::new());
            continue;
        }
        let words = engine.recognize(&rect.crop(image), dpi).map_err(|e| format!("picture: {e}"))?;
        let (dx, dy) = rect.origin_in_points((scale, scale));
        let mut chars = words_to_chars(&words, 1.0 / scale);
        for c in &mut chars {
            c.bbox = BBox::new(c.bbox.x0 + dx, c.bbox.y0 + dy, c.bbox.x1 + dx, c.bbox.y1 + dy);
            c.origin = (c.origin.0 + dx, c.origin.1 + dy);
        }
        out.push(chars);
    }
    Ok(out)
}

/// Whether most of a box (page points; `scale` pixels a point) is light paper, as in a picture
/// of writing and not in a photo.
fn mostly_paper(image: &RgbImage, b: &BBox, scale: f32) -> bool {
    let rect = PixelRect::inside(b, (scale, scale), image.dimensions());
    let crop = image::imageops::grayscale(&rect.crop(image));
    let light = crop.pixels().filter(|p| p[0] >= 170).count();
    light as f32 >= PAPER_SHARE * (crop.width() * crop.height()).max(1) as f32
}

/// Whether `block` is a table's caption set right above `picture` (within two lines' height).
fn captions_table(block: &TextBlock, picture: &BBox) -> bool {
    let gap = picture.y0 - block.bbox.y1;
    is_table_caption(&block.text)
        && (-2.0..=2.0 * block.size.max(8.0)).contains(&gap)
        && block.bbox.overlap_x(picture) > 0.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(text: &str, bbox: BBox) -> TextBlock {
        TextBlock { bbox, lines: Vec::new(), text: text.into(), size: 9.0, bold: false }
    }

    #[test]
    fn a_picture_right_under_a_table_caption_is_that_table() {
        let picture = BBox::new(50.0, 170.0, 530.0, 360.0);
        assert!(captions_table(
            &block("Table 1. Two-level Wells score", BBox::new(53.0, 156.0, 346.0, 165.5)),
            &picture
        ));
        assert!(captions_table(&block("表2 疼痛评估量表", BBox::new(53.0, 156.0, 346.0, 165.5)), &picture));
        // Far above it, beside it, or not a table's caption.
        assert!(!captions_table(&block("Table 1. Wells score", BBox::new(53.0, 100.0, 346.0, 110.0)), &picture));
        assert!(!captions_table(&block("Table 1. Wells score", BBox::new(540.0, 156.0, 580.0, 165.5)), &picture));
        assert!(!captions_table(&block("Figure 1. Pathway", BBox::new(53.0, 156.0, 346.0, 165.5)), &picture));
    }
}
