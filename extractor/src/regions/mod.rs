//! The region stage: the text layer's blocks and the layout model's boxes become the page's
//! regions.
//!
//! Rules ([`classify_blocks`]) give every text block a kind (title, heading, caption, list,
//! footnote, header, footer, text). The model's boxes ([`merge_detections`]) then take over
//! where they know better: tables, figures and equations absorb the text blocks inside them
//! (captions stay out and are linked); text blocks take the kind of the model box that holds
//! them, unless the rules know better (lists, headings, footnotes the model has no class for).
//! Figures drawn as pictures are told apart here too ([`type_figures`]): a picture of boxes
//! joined by lines is a flowchart. [`finalize_page`] orders, numbers and links the result;
//! [`page_regions`] runs the whole stage on one page.

mod annotations;
mod caption_tables;
mod drawn_boxes;
mod figures;
mod merge;
mod rules;

pub use figures::{
    drop_prose_figures_on_scans, keep_picture_flowcharts, picture_part, retype_by_caption, type_figures,
};
pub use merge::{link_captions, merge_detections, split_blocks_at_tables};
pub use rules::{DocumentStyle, classify_blocks, finalize_page, plausible_title};

use crate::geometry::BBox;
use crate::layout::{Detection, LayoutLabel};
use crate::model::{Region, RegionSource};
use crate::pdf::RawAnnotation;
use crate::text::PageBlocks;

/// The stage: one page's regions, final, from its blocks (in reading order), the layout
/// model's boxes when a model ran, and the document's style. Text read by OCR (`scanned`)
/// carries that provenance; the text of form fields and notes ([`RawAnnotation`]) joins the
/// page in reading order, marked by its source.
pub fn page_regions(
    blocks: &PageBlocks,
    detections: Option<&[Detection]>,
    style: &DocumentStyle,
    scanned: bool,
    annotations: &[RawAnnotation],
) -> Vec<Region> {
    let mut regions = classify_blocks(blocks, style, blocks.number == 1);
    if let Some(detections) = detections {
        regions = merge_detections(regions, detections);
        // Tables the model missed under their caption (needs the model's figures and tables
        // placed first: a caption with its table is left alone).
        let lines: Vec<(BBox, &str)> =
            blocks.blocks.iter().flat_map(|b| b.lines.iter().map(|l| (l.bbox, l.text.as_str()))).collect();
        regions = caption_tables::tables_under_captions(regions, &lines);
    }
    annotations::place_annotations(&mut regions, annotations);
    let mut regions = finalize_page(blocks.number, regions);
    if scanned {
        for r in regions.iter_mut().filter(|r| r.source == RegionSource::Heuristic) {
            r.source = RegionSource::Ocr;
        }
    }
    regions
}

/// Combines the model's boxes with flowcharts found in the vector drawing: a model `figure`
/// holding a vector flowchart becomes a flowchart; a vector flowchart the model missed is added.
pub fn reconcile_vector_flowcharts(mut model: Vec<Detection>, vector: Vec<Detection>) -> Vec<Detection> {
    for chart in vector {
        let smaller = |a: &BBox, b: &BBox| a.area().min(b.area()).max(1e-3);
        let figure = model.iter_mut().find(|d| {
            matches!(d.label, LayoutLabel::Figure | LayoutLabel::Flowchart)
                && d.bbox.intersection_area(&chart.bbox) > 0.5 * smaller(&d.bbox, &chart.bbox)
        });
        match figure {
            Some(d) => {
                // The drawing decided the kind, so the region is the drawing's.
                d.label = LayoutLabel::Flowchart;
                d.bbox = d.bbox.union(&chart.bbox);
                d.score = d.score.max(chart.score);
                d.source = RegionSource::Vector;
            }
            None => model.push(chart),
        }
    }
    model
}
