//! PP-OCR text detection (DB, "differentiable binarisation"): the model gives each pixel a
//! probability of being text; text lines are the connected areas above a threshold, each fitted
//! with its smallest rotated rectangle and grown by the margin the model was trained to shrink.
//! Pure functions, tested without the model; the numbers follow rapidocr's defaults.

use image::imageops::FilterType;
use image::{GrayImage, Luma, RgbImage};
use imageproc::region_labelling::{Connectivity, connected_components};
use ndarray::Array4;

/// Pixels above this probability are text.
const BINARY_THRESHOLD: f32 = 0.3;
/// A line's mean probability must reach this.
const BOX_THRESHOLD: f32 = 0.5;
/// How far a line is grown: area × ratio / perimeter (the model shrank its targets by that).
const UNCLIP_RATIO: f32 = 1.6;
/// Lines thinner than this (model pixels) are noise.
const MIN_SIZE: f32 = 3.0;
/// At most this many candidate areas per image.
const MAX_CANDIDATES: usize = 1000;

/// A rotated rectangle in image pixels: centre, size along its own axes, and the angle of its
/// width axis (radians, image y down), kept within ±45° so that "width" runs along the text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RotatedBox {
    pub centre: (f32, f32),
    pub width: f32,
    pub height: f32,
    pub angle: f32,
}

impl RotatedBox {
    /// Unit vectors along the width and the height.
    pub fn axes(&self) -> ((f32, f32), (f32, f32)) {
        let (sin, cos) = self.angle.sin_cos();
        ((cos, sin), (-sin, cos))
    }

    /// Corners: top left, top right, bottom right, bottom left.
    pub fn corners(&self) -> [(f32, f32); 4] {
        let ((ux, uy), (vx, vy)) = self.axes();
        let (hw, hh) = (self.width / 2.0, self.height / 2.0);
        let (cx, cy) = self.centre;
        let at = |a: f32, b: f32| (cx + ux * a * hw + vx * b * hh, cy + uy * a * hw + vy * b * hh);
        [at(-1.0, -1.0), at(1.0, -1.0), at(1.0, 1.0), at(-1.0, 1.0)]
    }

    /// Axis-aligned bounds: x0, y0, x1, y1.
    pub fn bounds(&self) -> [f32; 4] {
        let c = self.corners();
        let xs = c.iter().map(|p| p.0);
        let ys = c.iter().map(|p| p.1);
        [
            xs.clone().fold(f32::MAX, f32::min),
            ys.clone().fold(f32::MAX, f32::min),
            xs.fold(f32::MIN, f32::max),
            ys.fold(f32::MIN, f32::max),
        ]
    }

    fn contains(&self, x: f32, y: f32) -> bool {
        let ((ux, uy), (vx, vy)) = self.axes();
        let (dx, dy) = (x - self.centre.0, y - self.centre.1);
        (dx * ux + dy * uy).abs() <= self.width / 2.0 && (dx * vx + dy * vy).abs() <= self.height / 2.0
    }
}

/// Most pixels of the detector's input (1472 x 1472 for a square image; an A4 page at its
/// 1600-pixel long side is 1.8 Mpx). A square page at 1600 x 1600 took the process from 0.35
/// to 0.99 GB (ONNX Runtime's arena doubles past its size) for no better reading; at 1.85 Mpx a
/// chart's picture lost its arrowheads to "中".
const MAX_INPUT_PIXELS: f32 = 2.2e6;

/// The detector's input: the image scaled so that its longer side is at most `max_side` (and
/// its area at most [`MAX_INPUT_PIXELS`]) and its shorter side at least `min_side` (small crops
/// are enlarged), both rounded to multiples of 32, normalised to [-1, 1] in BGR order. Also
/// returns the model's width and height.
pub fn preprocess(image: &RgbImage, max_side: u32, min_side: u32) -> (Array4<f32>, (u32, u32)) {
    let (w, h) = image.dimensions();
    let (long, short) = (w.max(h) as f32, w.min(h).max(1) as f32);
    let mut scale = (max_side as f32 / long).min(1.0).min((MAX_INPUT_PIXELS / (long * short)).sqrt());
    if short * scale < min_side as f32 {
        scale = (min_side as f32 / short).min(max_side as f32 / long * 2.0);
    }
    let round32 = |v: f32| (((v / 32.0).round() as u32) * 32).max(32);
    let (rw, rh) = (round32(w as f32 * scale), round32(h as f32 * scale));
    let resized = image::imageops::resize(image, rw, rh, FilterType::Triangle);
    let mut input = Array4::<f32>::zeros((1, 3, rh as usize, rw as usize));
    for (x, y, p) in resized.enumerate_pixels() {
        for (c, &v) in [p[2], p[1], p[0]].iter().enumerate() {
            input[[0, c, y as usize, x as usize]] = (f32::from(v) / 255.0 - 0.5) / 0.5;
        }
    }
    (input, (rw, rh))
}

/// One band of the detector's input rows: it runs on `from..to` and keeps `keep_from..keep_to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Band {
    pub from: usize,
    pub to: usize,
    pub keep_from: usize,
    pub keep_to: usize,
}

/// Splits `rows` into bands of at most `band` rows (multiples of 32, as the detector needs)
/// whose kept rows tile `0..rows` and lie at least `margin` rows from any cut inside the image.
/// An input no taller than `band` is one band.
pub fn bands(rows: usize, band: usize, margin: usize) -> Vec<Band> {
    let band = (band / 32).max(1) * 32;
    let margin = margin.div_ceil(32) * 32;
    if rows <= band || band <= 2 * margin {
        return vec![Band { from: 0, to: rows, keep_from: 0, keep_to: rows }];
    }
    let mut out = Vec::new();
    let mut keep_from = 0;
    while keep_from < rows {
        let from = keep_from.saturating_sub(margin);
        let to = (from + band).min(rows);
        let keep_to = if to == rows { rows } else { to - margin };
        out.push(Band { from, to, keep_from, keep_to });
        keep_from = keep_to;
    }
    out
}

/// Text lines from the probability map (`width` × `height`, row-major) as rotated boxes in the
/// original image's pixels (`image_size`), sorted top to bottom and, within a row, left to right.
pub fn text_boxes(prob: &[f32], (width, height): (u32, u32), image_size: (u32, u32)) -> Vec<(RotatedBox, f32)> {
    let at = |x: u32, y: u32| prob[(y * width + x) as usize];
    // Binarise and dilate by a 2 × 2 square, as the reference does, so that the letters of a
    // line touch.
    let mask = GrayImage::from_fn(width, height, |x, y| {
        let on = |dx: u32, dy: u32| x >= dx && y >= dy && at(x - dx, y - dy) > BINARY_THRESHOLD;
        Luma([if on(0, 0) || on(1, 0) || on(0, 1) || on(1, 1) { 255 } else { 0 }])
    });
    let labels = connected_components(&mask, Connectivity::Eight, Luma([0]));
    let mut members: Vec<Vec<(f32, f32)>> = Vec::new();
    for (x, y, l) in labels.enumerate_pixels() {
        let l = l[0] as usize;
        if l == 0 {
            continue;
        }
        if members.len() < l {
            members.resize(l, Vec::new());
        }
        members[l - 1].push((x as f32 + 0.5, y as f32 + 0.5));
    }
    let (sx, sy) = (image_size.0 as f32 / width as f32, image_size.1 as f32 / height as f32);
    let mut out = Vec::new();
    for points in members.iter().filter(|p| !p.is_empty()).take(MAX_CANDIDATES) {
        let Some(rect) = min_area_rect(points) else { continue };
        if rect.width.min(rect.height) < MIN_SIZE {
            continue;
        }
        let score = mean_inside(&rect, prob, (width, height));
        if score < BOX_THRESHOLD {
            continue;
        }
        let grow = rect.width * rect.height * UNCLIP_RATIO / (2.0 * (rect.width + rect.height));
        let grown = RotatedBox { width: rect.width + 2.0 * grow, height: rect.height + 2.0 * grow, ..rect };
        if grown.width.min(grown.height) < MIN_SIZE + 2.0 {
            continue;
        }
        let scaled = scale_box(&grown, sx, sy);
        let [x0, y0, x1, y1] = scaled.bounds();
        if x1.min(image_size.0 as f32) - x0.max(0.0) <= 3.0 || y1.min(image_size.1 as f32) - y0.max(0.0) <= 3.0 {
            continue;
        }
        out.push((scaled, score));
    }
    sort_reading(&mut out);
    out
}

/// Scales a rotated box by different factors along x and y (the model's input is not exactly
/// the image's aspect): the corners are scaled and the box refitted.
fn scale_box(b: &RotatedBox, sx: f32, sy: f32) -> RotatedBox {
    let corners: Vec<(f32, f32)> = b.corners().iter().map(|&(x, y)| (x * sx, y * sy)).collect();
    let ((ux, uy), (vx, vy)) = b.axes();
    let width = b.width * ((ux * sx).powi(2) + (uy * sy).powi(2)).sqrt();
    let height = b.height * ((vx * sx).powi(2) + (vy * sy).powi(2)).sqrt();
    let centre = (corners.iter().map(|p| p.0).sum::<f32>() / 4.0, corners.iter().map(|p| p.1).sum::<f32>() / 4.0);
    let angle = (uy * sy).atan2(ux * sx);
    RotatedBox { centre, width, height, angle }
}

/// Top to bottom; boxes whose tops are within 10 pixels form a row read left to right.
pub fn sort_reading(boxes: &mut [(RotatedBox, f32)]) {
    let top = |b: &RotatedBox| b.bounds()[1];
    let left = |b: &RotatedBox| b.bounds()[0];
    boxes.sort_by(|a, b| top(&a.0).total_cmp(&top(&b.0)).then(left(&a.0).total_cmp(&left(&b.0))));
    // One bubble pass per box, as the reference: a box slightly higher but to the right of
    // its row neighbour goes after it.
    for i in 0..boxes.len() {
        for j in (0..i).rev() {
            let (a, b) = (&boxes[j].0, &boxes[j + 1].0);
            if (top(b) - top(a)).abs() < 10.0 && left(b) < left(a) {
                boxes.swap(j, j + 1);
            } else {
                break;
            }
        }
    }
}

/// Mean probability inside the box (model pixels).
fn mean_inside(b: &RotatedBox, prob: &[f32], (width, height): (u32, u32)) -> f32 {
    let [x0, y0, x1, y1] = b.bounds();
    let (x0, y0) = (x0.floor().max(0.0) as u32, y0.floor().max(0.0) as u32);
    let (x1, y1) = ((x1.ceil() as u32).min(width), (y1.ceil() as u32).min(height));
    let (mut sum, mut n) = (0.0, 0u32);
    for y in y0..y1 {
        for x in x0..x1 {
            if b.contains(x as f32 + 0.5, y as f32 + 0.5) {
                sum += prob[(y * width + x) as usize];
                n += 1;
            }
        }
    }
    if n == 0 { 0.0 } else { sum / n as f32 }
}

/// The smallest rotated rectangle around pixel centres (each pixel counted as its full square
/// so that a one-pixel-high line still has height), by trying each convex-hull edge's direction.
pub fn min_area_rect(points: &[(f32, f32)]) -> Option<RotatedBox> {
    let mut corners = Vec::with_capacity(points.len() * 4);
    for &(x, y) in points {
        for (dx, dy) in [(-0.5, -0.5), (0.5, -0.5), (0.5, 0.5), (-0.5, 0.5)] {
            corners.push((x + dx, y + dy));
        }
    }
    let hull = convex_hull(corners);
    if hull.len() < 3 {
        return None;
    }
    let mut best: Option<(f32, RotatedBox)> = None;
    for i in 0..hull.len() {
        let (a, b) = (hull[i], hull[(i + 1) % hull.len()]);
        let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        if len < 1e-6 {
            continue;
        }
        let (ux, uy) = ((b.0 - a.0) / len, (b.1 - a.1) / len);
        let (mut lo_u, mut hi_u, mut lo_v, mut hi_v) = (f32::MAX, f32::MIN, f32::MAX, f32::MIN);
        for p in &hull {
            let (pu, pv) = (p.0 * ux + p.1 * uy, -p.0 * uy + p.1 * ux);
            (lo_u, hi_u, lo_v, hi_v) = (lo_u.min(pu), hi_u.max(pu), lo_v.min(pv), hi_v.max(pv));
        }
        let area = (hi_u - lo_u) * (hi_v - lo_v);
        if best.as_ref().is_some_and(|(a, _)| *a <= area) {
            continue;
        }
        let (mu, mv) = ((lo_u + hi_u) / 2.0, (lo_v + hi_v) / 2.0);
        let centre = (mu * ux - mv * uy, mu * uy + mv * ux);
        let rect = RotatedBox { centre, width: hi_u - lo_u, height: hi_v - lo_v, angle: uy.atan2(ux) };
        best = Some((area, upright(rect)));
    }
    best.map(|(_, r)| r)
}

/// The same rectangle with its angle brought within ±45°, swapping width and height as needed.
fn upright(mut r: RotatedBox) -> RotatedBox {
    use std::f32::consts::{FRAC_PI_2, FRAC_PI_4};
    while r.angle > FRAC_PI_4 {
        r.angle -= FRAC_PI_2;
        std::mem::swap(&mut r.width, &mut r.height);
    }
    while r.angle <= -FRAC_PI_4 {
        r.angle += FRAC_PI_2;
        std::mem::swap(&mut r.width, &mut r.height);
    }
    r
}

/// Andrew's monotone chain.
fn convex_hull(mut points: Vec<(f32, f32)>) -> Vec<(f32, f32)> {
    points.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    points.dedup();
    if points.len() < 3 {
        return points;
    }
    let cross = |o: (f32, f32), a: (f32, f32), b: (f32, f32)| (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0);
    let mut hull: Vec<(f32, f32)> = Vec::with_capacity(points.len() * 2);
    for pass in 0..2 {
        let start = hull.len();
        let iter: Box<dyn Iterator<Item = &(f32, f32)>> =
            if pass == 0 { Box::new(points.iter()) } else { Box::new(points.iter().rev()) };
        for &p in iter {
            while hull.len() >= start + 2 && cross(hull[hull.len() - 2], hull[hull.len() - 1], p) <= 0.0 {
                hull.pop();
            }
            hull.push(p);
        }
        hull.pop();
    }
    hull
}

/// The box's pixels cut out and turned level (bilinear, edges repeated), as a crop for the
/// recogniser; a box much taller than wide (a vertical line of text) is turned a quarter.
pub fn crop(image: &RgbImage, b: &RotatedBox) -> RgbImage {
    let (w, h) = (b.width.round().max(1.0) as u32, b.height.round().max(1.0) as u32);
    let ((ux, uy), (vx, vy)) = b.axes();
    let [tl, ..] = b.corners();
    let (iw, ih) = image.dimensions();
    let sample = |x: f32, y: f32| {
        let (x, y) = (x.clamp(0.0, iw as f32 - 1.0), y.clamp(0.0, ih as f32 - 1.0));
        let (x0, y0) = (x.floor() as u32, y.floor() as u32);
        let (x1, y1) = ((x0 + 1).min(iw - 1), (y0 + 1).min(ih - 1));
        let (fx, fy) = (x - x0 as f32, y - y0 as f32);
        let mut px = [0u8; 3];
        for (c, out) in px.iter_mut().enumerate() {
            let v = |x, y| f32::from(image.get_pixel(x, y)[c]);
            let top = v(x0, y0) * (1.0 - fx) + v(x1, y0) * fx;
            let bottom = v(x0, y1) * (1.0 - fx) + v(x1, y1) * fx;
            *out = (top * (1.0 - fy) + bottom * fy).round() as u8;
        }
        image::Rgb(px)
    };
    let level = RgbImage::from_fn(w, h, |i, j| {
        let (a, c) = (i as f32 + 0.5, j as f32 + 0.5);
        sample(tl.0 + ux * a + vx * c - 0.5, tl.1 + uy * a + vy * c - 0.5)
    });
    if h as f32 >= 1.5 * w as f32 { image::imageops::rotate270(&level) } else { level }
}

/// Where the ink of a level line crop starts and ends, as fractions of its width: the detected
/// box carries a margin, which on a page with a narrow gutter closes the gap between columns.
/// Ink is darker than the midpoint of the crop's 5th and 95th luminance percentiles; a crop
/// without contrast is all ink.
pub fn ink_span(crop: &RgbImage) -> (f32, f32) {
    let luma = |p: &image::Rgb<u8>| (u32::from(p[0]) * 3 + u32::from(p[1]) * 6 + u32::from(p[2])) / 10;
    let mut levels: Vec<u32> = crop.pixels().map(luma).collect();
    if levels.is_empty() {
        return (0.0, 1.0);
    }
    levels.sort_unstable();
    let (dark, light) = (levels[levels.len() / 20], levels[levels.len() * 19 / 20]);
    if light < dark + 40 {
        return (0.0, 1.0);
    }
    let threshold = (dark + light) / 2;
    let inked = |x: u32| (0..crop.height()).any(|y| luma(crop.get_pixel(x, y)) < threshold);
    let width = crop.width();
    let first = (0..width).find(|&x| inked(x)).unwrap_or(0);
    let last = (0..width).rev().find(|&x| inked(x)).unwrap_or(width.saturating_sub(1));
    (first as f32 / width as f32, (last + 1) as f32 / width as f32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_tile_the_rows_and_keep_away_from_the_cuts() {
        assert_eq!(bands(320, 384, 96), vec![Band { from: 0, to: 320, keep_from: 0, keep_to: 320 }]);
        let cut = bands(1600, 384, 96);
        assert_eq!(cut.first().map(|b| (b.from, b.keep_from)), Some((0, 0)));
        assert_eq!(cut.last().map(|b| (b.to, b.keep_to)), Some((1600, 1600)));
        for pair in cut.windows(2) {
            assert_eq!(pair[0].keep_to, pair[1].keep_from, "kept rows tile the input");
            assert!(pair[0].to - pair[0].keep_to >= 96 && pair[1].keep_from - pair[1].from >= 96);
        }
        for b in &cut {
            assert!(b.to - b.from <= 384 && b.from % 32 == 0 && b.to % 32 == 0, "{b:?}");
        }
    }

    #[test]
    fn a_tilted_bar_gets_its_own_rectangle() {
        // A 200 × 20 bar tilted by 5 degrees.
        let angle = 5f32.to_radians();
        let (sin, cos) = angle.sin_cos();
        let mut points = Vec::new();
        for y in 0..300 {
            for x in 0..300 {
                let (dx, dy) = (x as f32 + 0.5 - 150.0, y as f32 + 0.5 - 150.0);
                if (dx * cos + dy * sin).abs() <= 100.0 && (-dx * sin + dy * cos).abs() <= 10.0 {
                    points.push((x as f32 + 0.5, y as f32 + 0.5));
                }
            }
        }
        let r = min_area_rect(&points).unwrap();
        assert!((r.angle - angle).abs() < 0.02, "angle {}", r.angle.to_degrees());
        assert!((r.width - 200.0).abs() < 3.0 && (r.height - 20.0).abs() < 3.0, "{r:?}");
        assert!((r.centre.0 - 150.0).abs() < 1.0 && (r.centre.1 - 150.0).abs() < 1.0);
    }

    #[test]
    fn lines_come_out_grown_scaled_and_in_reading_order() {
        // Model map 64 × 32 for a 128 × 64 image: a long line below two short ones side by side.
        let (w, h) = (64u32, 32u32);
        let mut prob = vec![0f32; (w * h) as usize];
        let mut fill = |x0: u32, x1: u32, y0: u32, y1: u32| {
            for y in y0..y1 {
                for x in x0..x1 {
                    prob[(y * w + x) as usize] = 0.9;
                }
            }
        };
        fill(34, 60, 4, 8);
        fill(4, 30, 5, 9);
        fill(4, 60, 20, 26);
        let boxes = text_boxes(&prob, (w, h), (128, 64));
        assert_eq!(boxes.len(), 3);
        let lefts: Vec<f32> = boxes.iter().map(|(b, _)| b.bounds()[0]).collect();
        assert!(lefts[0] < lefts[1], "the row reads left to right: {lefts:?}");
        let [x0, y0, x1, y1] = boxes[2].0.bounds();
        // 56 × 6 model pixels, 57 × 7 after dilation, grown by 57·7·1.6/128 ≈ 5 on each side,
        // then doubled to image pixels.
        assert!((x1 - x0 - 2.0 * (57.0 + 10.0)).abs() < 1.0, "{x0} {x1}");
        assert!((y1 - y0 - 2.0 * (7.0 + 10.0)).abs() < 1.0, "{y0} {y1}");
        // The dilated rim (probability 0) is inside the box the score is taken over.
        assert!(boxes.iter().all(|(_, s)| *s > 0.6 && *s <= 0.9), "{boxes:?}");
    }

    #[test]
    fn faint_areas_are_not_lines() {
        let prob = vec![0.4f32; 32 * 32];
        assert!(text_boxes(&prob, (32, 32), (32, 32)).is_empty(), "0.4 is over 0.3 but under the box score 0.5");
    }

    #[test]
    fn input_is_a_multiple_of_32_and_small_crops_grow() {
        let (input, size) = preprocess(&RgbImage::new(2480, 3508), 1600, 736);
        assert_eq!(size, (1120, 1600));
        assert_eq!(input.shape(), &[1, 3, 1600, 1120]);
        let (_, small) = preprocess(&RgbImage::new(300, 100), 1600, 736);
        assert_eq!(small.1 % 32, 0);
        assert!(small.1 >= 704, "{small:?}");
        assert!(input.iter().all(|&v| (v + 1.0).abs() < 1e-6), "black is -1");
        // A square page keeps to 2.2 Mpx, not 1600 x 1600.
        let (_, square) = preprocess(&RgbImage::new(4800, 4800), 1600, 736);
        assert_eq!(square, (1472, 1472));
    }

    #[test]
    fn ink_is_found_inside_the_margin() {
        let crop = RgbImage::from_fn(100, 20, |x, _| image::Rgb([if (20..70).contains(&x) { 10 } else { 250 }; 3]));
        assert_eq!(ink_span(&crop), (0.2, 0.7));
        assert_eq!(ink_span(&RgbImage::from_pixel(50, 10, image::Rgb([200; 3]))), (0.0, 1.0));
    }

    #[test]
    fn a_crop_is_level_and_vertical_lines_are_turned() {
        let image = RgbImage::from_fn(100, 100, |x, _| image::Rgb([if x < 50 { 0 } else { 255 }; 3]));
        let b = RotatedBox { centre: (50.0, 50.0), width: 40.0, height: 10.0, angle: 0.0 };
        let c = crop(&image, &b);
        assert_eq!(c.dimensions(), (40, 10));
        assert_eq!(c.get_pixel(0, 5)[0], 0);
        assert_eq!(c.get_pixel(39, 5)[0], 255);
        let tall = RotatedBox { width: 10.0, height: 40.0, ..b };
        assert_eq!(crop(&image, &tall).dimensions(), (40, 10));
    }
}
