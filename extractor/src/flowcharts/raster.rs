//! Flowcharts drawn as pictures (in a born-digital page, or a scanned page's figures): the
//! picture at OCR resolution and its OCR glyphs go to [`recover_from_pixels`]; a scan's figure
//! with a graph of three steps and two edges is a flowchart.

use image::RgbImage;
use tracing::debug;

use super::pixels::recover_from_pixels;
use crate::geometry::BBox;
use crate::imaging::PixelRect;
use crate::layout::LayoutLabel;
use crate::page_state::{FlowchartInk, PageState, PictureGraph};
use crate::pdf::{PdfDoc, RawChar, render_at};
use crate::regions::picture_part;

/// Steps and edges from which a scan's figure is a flowchart.
const MIN_STEPS: usize = 3;
const MIN_EDGES: usize = 2;
/// Page points read around a picture.
const MARGIN: f32 = 4.0;

/// Reads the graphs of the page's picture flowcharts; `image` is the page at `dpi` when OCR
/// already rendered it (upright).
pub fn read_picture_graphs(doc: &dyn PdfDoc, number: u32, page: &mut PageState, image: Option<RgbImage>, dpi: f32) {
    let Some(detections) = page.detections.as_ref() else { return };
    let Some(ink) = page.flowchart_ink.as_ref() else { return };
    let candidates: Vec<(usize, BBox)> = detections
        .iter()
        .enumerate()
        .filter_map(|(k, d)| match d.label {
            LayoutLabel::Flowchart if page.scanned => Some((k, d.bbox)),
            _ if page.outlined_drawings.contains(&d.bbox) => Some((k, d.bbox)),
            LayoutLabel::Flowchart => picture_part(&d.bbox, &page.pictures).map(|b| (k, b)),
            LayoutLabel::Figure if page.scanned => Some((k, d.bbox)),
            _ => None,
        })
        .collect();
    if candidates.is_empty() {
        return;
    }
    let (width, height) = (page.blocks.width, page.blocks.height);
    let Some(image) = image.or_else(|| render_at(doc, number, (width, height), dpi)) else { return };
    let scale = image.width() as f32 / width.max(1.0);
    let mut found = Vec::new();
    for (k, b) in candidates {
        // A little of the page around the picture, so that a box drawn on its very edge is
        // still enclosed by its outline.
        let b = BBox::new(
            (b.x0 - MARGIN).max(0.0),
            (b.y0 - MARGIN).max(0.0),
            (b.x1 + MARGIN).min(width),
            (b.y1 + MARGIN).min(height),
        );
        let rect = PixelRect::inside(&b, (scale, scale), image.dimensions());
        if rect.width() <= 16 || rect.height() <= 16 {
            continue;
        }
        let crop = rect.crop(&image);
        let (ox, oy) = rect.origin_in_points((scale, scale));
        let to_px = |c: &RawChar| {
            let map = |x: f32, y: f32| ((x - ox) * scale, (y - oy) * scale);
            let (ax, ay) = map(c.bbox.x0, c.bbox.y0);
            let (bx, by) = map(c.bbox.x1, c.bbox.y1);
            RawChar {
                bbox: BBox::new(ax, ay, bx, by),
                origin: map(c.origin.0, c.origin.1),
                size: c.size * scale,
                ..c.clone()
            }
        };
        let chars: Vec<RawChar> = ink.chars.iter().filter(|c| b.holds_centre_of(&c.bbox)).map(to_px).collect();
        let (mut nodes, edges) = recover_from_pixels(&crop, &chars);
        let is_figure = detections[k].label == LayoutLabel::Figure;
        debug!(page = number, nodes = nodes.len(), edges = edges.len(), is_figure, "picture graph");
        if nodes.is_empty() || (is_figure && (nodes.len() < MIN_STEPS || edges.len() < MIN_EDGES)) {
            continue;
        }
        for n in &mut nodes {
            n.bbox = BBox::new(
                n.bbox.x0 / scale + ox,
                n.bbox.y0 / scale + oy,
                n.bbox.x1 / scale + ox,
                n.bbox.y1 / scale + oy,
            );
        }
        found.push((k, PictureGraph { bbox: b, nodes, edges }));
    }
    if let Some(detections) = page.detections.as_mut() {
        for (k, _) in &found {
            detections[*k].label = LayoutLabel::Flowchart;
        }
    }
    page.picture_graphs.extend(found.into_iter().map(|(_, g)| g));
}

/// Whether a box holds a drawing but none of the page's text: a chart whose words were turned
/// into outlines when it was exported (journals do this to figures), read like a picture.
pub fn drawn_without_text(b: &BBox, ink: &FlowchartInk) -> bool {
    const MIN_PARTS: usize = 3;
    let inside = |r: &BBox| b.holds_centre_of(r);
    let parts = ink.drawing.shapes.iter().filter(|s| inside(&s.bbox)).count()
        + ink.drawing.connectors.iter().filter(|c| c.points.iter().all(|&p| b.distance_to(p) <= 0.0)).count();
    parts >= MIN_PARTS && !ink.chars.iter().any(|c| !c.ch.is_whitespace() && inside(&c.bbox))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vector::shapes::{Connector, Shape};
    use crate::vector::{Primitives, ShapeKind};

    #[test]
    fn a_drawing_without_words_is_read_as_a_picture_and_one_with_words_is_not() {
        let boxed = |y: f32| Shape {
            kind: ShapeKind::Rectangle,
            bbox: BBox::new(100.0, y, 200.0, y + 30.0),
            filled: false,
            stroked: true,
        };
        let drawing = Primitives {
            shapes: vec![boxed(100.0), boxed(160.0)],
            connectors: vec![Connector { points: vec![(150.0, 130.0), (150.0, 160.0)] }],
            arrowheads: Vec::new(),
        };
        let chart = BBox::new(90.0, 90.0, 210.0, 200.0);
        let mut ink = FlowchartInk { drawing, chars: Vec::new() };
        assert!(drawn_without_text(&chart, &ink));
        // Words elsewhere on the page do not count; words in the chart do.
        ink.chars = crate::testing::glyph_run("Intro", (100.0, 20.0), 6.0, 6.0, 10.0);
        assert!(drawn_without_text(&chart, &ink));
        ink.chars.extend(crate::testing::glyph_run("Start", (120.0, 110.0), 6.0, 6.0, 10.0));
        assert!(!drawn_without_text(&chart, &ink));
        // Too little drawing to be a chart (a rule, a frame).
        assert!(!drawn_without_text(&BBox::new(90.0, 90.0, 210.0, 135.0), &FlowchartInk::default()));
    }
}
