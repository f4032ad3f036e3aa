//! Telling flowcharts among the layout model's figures.

use super::{Detection, FigureClassifier, LayoutLabel};
use crate::geometry::BBox;
use crate::model::{RegionSource, Warning, WarningCode};

/// Pictures of flowcharts (figures drawn as images) become flowcharts: four or more separate
/// drawn boxes in the picture; the figure classifier's class is recorded on every figure.
pub fn type_figures(
    found: &mut [Detection],
    image: &image::RgbImage,
    classifier: Option<&dyn FigureClassifier>,
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
        // Drawn boxes decide (measured on PAGES.tsv: the classifier alone over-calls chemistry
        // and charts); the classifier's guess is kept on the region for curators.
        let boxes = count_drawn_boxes(&crop);
        if boxes >= MIN_DRAWN_BOXES {
            d.label = LayoutLabel::Flowchart;
        }
        match classifier.map(|c| c.classify(&crop)) {
            None => {}
            Some(Ok((class, p))) => d.figure_type = Some((class, p)),
            Some(Err(e)) => {
                warnings.push(Warning { page: Some(page), code: WarningCode::LayoutFailed, message: e.to_string() })
            }
        }
    }
}

/// The figure classifier judges pixels, so it decides only for figures that are pictures (an
/// image object covers most of the box); a drawn figure is judged by the vector detector.
pub fn keep_picture_flowcharts(found: &mut [Detection], images: &[BBox]) {
    for d in found.iter_mut().filter(|d| d.label == LayoutLabel::Flowchart && d.source == RegionSource::Model) {
        // Either the image fills most of the box, or the (often loose) box holds most of an image.
        let picture = images.iter().any(|i| {
            let inter = i.overlap_x(&d.bbox) * i.overlap_y(&d.bbox);
            inter >= PICTURE_COVERAGE * d.bbox.area().min(i.area()).max(1.0)
        });
        if !picture {
            d.label = LayoutLabel::Figure;
        }
    }
}

/// Share of the figure box, or of the image, their overlap must reach for a picture.
const PICTURE_COVERAGE: f32 = 0.5;

/// Separate boxes a picture must hold to be called a flowchart.
const MIN_DRAWN_BOXES: usize = 4;

/// Boxes drawn in a picture: enclosed white areas that fill their bounding rectangle (a box's
/// inside, text and all), of a size a flowchart step has, standing apart from one another (a
/// table's cells abut). Returns the number of such boxes that do not tile.
pub fn count_drawn_boxes(image: &image::RgbImage) -> usize {
    let (w, h) = image.dimensions();
    let (w, h) = (w as usize, h as usize);
    if w < 8 || h < 8 {
        return 0;
    }
    let ink: Vec<bool> =
        image.pixels().map(|p| (u32::from(p[0]) + u32::from(p[1]) + u32::from(p[2])) < 3 * 235).collect();
    let mut label = vec![0u32; w * h];
    let mut boxes: Vec<(usize, usize, usize, usize)> = Vec::new();
    let mut next = 0u32;
    let mut stack = Vec::new();
    for start in 0..w * h {
        if ink[start] || label[start] != 0 {
            continue;
        }
        next += 1;
        let (mut x0, mut y0, mut x1, mut y1, mut area, mut touches_edge) = (w, h, 0, 0, 0usize, false);
        stack.push(start);
        label[start] = next;
        while let Some(i) = stack.pop() {
            let (x, y) = (i % w, i / w);
            area += 1;
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
            touches_edge |= x == 0 || y == 0 || x == w - 1 || y == h - 1;
            let mut visit = |j: usize| {
                if !ink[j] && label[j] == 0 {
                    label[j] = next;
                    stack.push(j);
                }
            };
            if x > 0 {
                visit(i - 1);
            }
            if x + 1 < w {
                visit(i + 1);
            }
            if y > 0 {
                visit(i - w);
            }
            if y + 1 < h {
                visit(i + w);
            }
        }
        let (bw, bh) = (x1 - x0 + 1, y1 - y0 + 1);
        // A step's box: at least 12x6 px, at most a third of the picture each way, mostly
        // white inside its rectangle.
        let plausible = bw >= 12 && bh >= 6 && bw * 3 <= w * 2 && bh * 3 <= h * 2;
        if !touches_edge && plausible && area * 10 >= bw * bh * 6 {
            boxes.push((x0, y0, x1, y1));
        }
    }
    // Cells of a table are separated by a rule a pixel or two wide; steps by room for an arrow.
    boxes
        .iter()
        .filter(|a| {
            !boxes.iter().any(|b| {
                let gap_x = (b.0 as i64 - a.2 as i64).max(a.0 as i64 - b.2 as i64);
                let gap_y = (b.1 as i64 - a.3 as i64).max(a.1 as i64 - b.3 as i64);
                let overlap_y = (a.3.min(b.3) as i64 - a.1.max(b.1) as i64) > 2;
                let overlap_x = (a.2.min(b.2) as i64 - a.0.max(b.0) as i64) > 2;
                (a != &b) && ((gap_x <= 3 && overlap_y) || (gap_y <= 3 && overlap_x))
            })
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage};

    fn draw_box(img: &mut RgbImage, x0: u32, y0: u32, x1: u32, y1: u32) {
        for x in x0..=x1 {
            img.put_pixel(x, y0, Rgb([0, 0, 0]));
            img.put_pixel(x, y1, Rgb([0, 0, 0]));
        }
        for y in y0..=y1 {
            img.put_pixel(x0, y, Rgb([0, 0, 0]));
            img.put_pixel(x1, y, Rgb([0, 0, 0]));
        }
    }

    #[test]
    fn separate_boxes_count_and_a_grid_does_not() {
        let mut chart = RgbImage::from_pixel(200, 200, Rgb([255, 255, 255]));
        for k in 0..3 {
            draw_box(&mut chart, 60, 10 + 60 * k, 140, 40 + 60 * k);
        }
        assert_eq!(count_drawn_boxes(&chart), 3);
        let mut table = RgbImage::from_pixel(200, 200, Rgb([255, 255, 255]));
        for r in 0..4 {
            for c in 0..3 {
                draw_box(&mut table, 10 + 60 * c, 10 + 30 * r, 70 + 60 * c, 40 + 30 * r);
            }
        }
        assert_eq!(count_drawn_boxes(&table), 0);
    }
}
