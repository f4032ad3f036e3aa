//! Telling flowcharts among the layout model's figures.

use super::{Detection, FigureClass, FigureClassifier, LayoutLabel};
use crate::geometry::BBox;
use crate::model::{RegionSource, Warning, WarningCode};

/// Figures the classifier calls flowcharts (with some confidence) become flowcharts: this is
/// how flowcharts embedded as pictures are found.
pub fn type_figures(
    found: &mut [Detection],
    image: &image::RgbImage,
    classifier: &dyn FigureClassifier,
    page: u32,
    warnings: &mut Vec<Warning>,
) {
    for d in found.iter_mut().filter(|d| d.label == LayoutLabel::Figure) {
        let (w, h) = image.dimensions();
        let x0 = (d.bbox.x0.max(0.0) as u32).min(w.saturating_sub(1));
        let y0 = (d.bbox.y0.max(0.0) as u32).min(h.saturating_sub(1));
        let x1 = (d.bbox.x1.ceil() as u32).clamp(x0 + 1, w);
        let y1 = (d.bbox.y1.ceil() as u32).clamp(y0 + 1, h);
        let crop = image::imageops::crop_imm(image, x0, y0, x1 - x0, y1 - y0).to_image();
        let verdict = classifier.classify(&crop);
        match verdict {
            Ok((FigureClass::Flowchart, p)) if p >= FLOWCHART_PROBABILITY => {
                d.label = LayoutLabel::Flowchart;
                d.score = d.score.min(p);
            }
            Ok(_) => {}
            Err(e) => {
                warnings.push(Warning { page: Some(page), code: WarningCode::LayoutFailed, message: e.to_string() })
            }
        }
    }
}

/// The figure classifier judges pixels, so it decides only for figures that are pictures (an
/// image object covers most of the box); a drawn figure is judged by the vector detector.
pub fn keep_picture_flowcharts(found: &mut [Detection], images: &[BBox]) {
    for d in found.iter_mut().filter(|d| d.label == LayoutLabel::Flowchart && d.source == RegionSource::Model) {
        let covered: f32 = images.iter().map(|i| i.overlap_x(&d.bbox) * i.overlap_y(&d.bbox)).sum();
        if covered < PICTURE_COVERAGE * d.bbox.area() {
            d.label = LayoutLabel::Figure;
        }
    }
}

/// Share of a figure box that images must cover for it to count as a picture.
const PICTURE_COVERAGE: f32 = 0.5;

/// Probability the figure classifier must give `flowchart` before a figure is called one.
const FLOWCHART_PROBABILITY: f32 = 0.5;
