//! Phone photos of a page: the sheet lies on a darker desk, seen at a slant, with a shadow
//! across it. Before anything is read from such a picture, the sheet's outline is found and
//! the perspective undone, so that the sheet fills the picture upright ([`straighten`]), and its
//! lighting is evened out ([`even_lighting`]).

use image::{GrayImage, Luma, Rgb, RgbImage};
use imageproc::geometric_transformations::{Border, Interpolation, Projection, warp};
use imageproc::region_labelling::{Connectivity, connected_components};

/// Width the outline is looked for at (pixels): enough for a corner within a few pixels.
const PROBE_WIDTH: u32 = 400;
/// A sheet covers at least this share of the photo, and leaves desk along this share of its
/// border (a scan's paper reaches every edge: nothing to straighten).
const MIN_SHEET: f32 = 0.3;
const MIN_DESK_BORDER: f32 = 0.4;

/// The corners of the sheet in `image` (top-left, top-right, bottom-right, bottom-left), as
/// fractions of its width and height; `None` when no sheet lies on a darker ground.
pub fn sheet_corners(image: &RgbImage) -> Option<[(f32, f32); 4]> {
    let (w, h) = image.dimensions();
    if w < 32 || h < 32 {
        return None;
    }
    let scale = PROBE_WIDTH as f32 / w as f32;
    let (pw, ph) = (PROBE_WIDTH, ((h as f32 * scale) as u32).max(8));
    let small = image::imageops::resize(image, pw, ph, image::imageops::FilterType::Triangle);
    let gray = image::imageops::grayscale(&small);
    let level = imageproc::contrast::otsu_level(&gray);
    // The desk: the dark ground reaching the photo's edges; the sheet is everything else (a
    // dark banner across the sheet is the sheet's).
    let dark = GrayImage::from_fn(pw, ph, |x, y| Luma([u8::from(gray.get_pixel(x, y)[0] <= level) * 255]));
    let regions = connected_components(&dark, Connectivity::Eight, Luma([0]));
    let border: Vec<(u32, u32)> =
        (0..pw).flat_map(|x| [(x, 0), (x, ph - 1)]).chain((0..ph).flat_map(|y| [(0, y), (pw - 1, y)])).collect();
    let desk_labels: std::collections::HashSet<u32> =
        border.iter().map(|&(x, y)| regions.get_pixel(x, y)[0]).filter(|&l| l > 0).collect();
    let on_desk = |x: u32, y: u32| desk_labels.contains(&regions.get_pixel(x, y)[0]);
    let desk_border = border.iter().filter(|&&(x, y)| on_desk(x, y)).count();
    if (desk_border as f32) < MIN_DESK_BORDER * border.len() as f32 {
        return None;
    }
    let area = regions.enumerate_pixels().filter(|(x, y, _)| !on_desk(*x, *y)).count();
    if (area as f32) < MIN_SHEET * (pw * ph) as f32 {
        return None;
    }
    // Each corner is the sheet's pixel farthest out towards it.
    let mut best = [(f32::MIN, (0.0, 0.0)); 4];
    for (x, y, _) in regions.enumerate_pixels() {
        if on_desk(x, y) {
            continue;
        }
        let (fx, fy) = (x as f32, y as f32);
        for (k, score) in [-fx - fy, fx - fy, fx + fy, -fx + fy].into_iter().enumerate() {
            if score > best[k].0 {
                best[k] = (score, (fx, fy));
            }
        }
    }
    let corners = best.map(|(_, (x, y))| ((x + 0.5) / pw as f32, (y + 0.5) / ph as f32));
    // Four distinct corners spanning most of the photo, else it is no sheet.
    let width = (corners[1].0 - corners[0].0).min(corners[2].0 - corners[3].0);
    let height = (corners[3].1 - corners[0].1).min(corners[2].1 - corners[1].1);
    (width > 0.4 && height > 0.4).then_some(corners)
}

/// The sheet whose `corners` [`sheet_corners`] found, warped to fill a picture of the same size.
pub fn straighten(image: &RgbImage, corners: &[(f32, f32); 4]) -> Option<RgbImage> {
    let (w, h) = image.dimensions();
    let (fw, fh) = (w as f32, h as f32);
    let from = corners.map(|(x, y)| (x * fw, y * fh));
    let to = [(0.0, 0.0), (fw, 0.0), (fw, fh), (0.0, fh)];
    let projection = Projection::from_control_points(from, to)?;
    Some(warp(image, projection, Interpolation::Bilinear, Border::Constant(Rgb([255, 255, 255]))))
}

/// Evens out a shadow and a colour cast: each channel divided by its local background (the
/// brightest value around each pixel, blurred), so that paper is white wherever it lies.
pub fn even_lighting(image: &RgbImage) -> RgbImage {
    let (w, h) = image.dimensions();
    let radius = (w.max(h) / 40).max(4);
    let small_w = (w / radius).max(1);
    let small_h = (h / radius).max(1);
    // The background: the picture shrunk by keeping each block's brightest value (the paper
    // between letters), then smoothed and grown back.
    let mut block = RgbImage::new(small_w, small_h);
    for (bx, by, px) in block.enumerate_pixels_mut() {
        let mut top = [0u8; 3];
        for y in by * radius..((by + 1) * radius).min(h) {
            for x in bx * radius..((bx + 1) * radius).min(w) {
                let p = image.get_pixel(x, y);
                for c in 0..3 {
                    top[c] = top[c].max(p[c]);
                }
            }
        }
        *px = Rgb(top);
    }
    let block = image::imageops::blur(&block, 1.5);
    let background = image::imageops::resize(&block, w, h, image::imageops::FilterType::Triangle);
    RgbImage::from_fn(w, h, |x, y| {
        let (p, b) = (image.get_pixel(x, y), background.get_pixel(x, y));
        Rgb(std::array::from_fn(|c| {
            let base = f32::from(b[c]).max(32.0);
            (f32::from(p[c]) * 255.0 / base).min(255.0) as u8
        }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A white sheet with a black bar near its top, seen at a slant on a dark desk.
    fn photo() -> RgbImage {
        // The sheet in the top-left corner of a canvas of the photo's size, the rest empty.
        let canvas = RgbImage::from_fn(400, 500, |x, y| match (x < 300 && y < 400, (40..60).contains(&y)) {
            (true, true) => Rgb([10, 10, 10]),
            (true, false) => Rgb([250, 250, 250]),
            _ => Rgb([0, 0, 0]),
        });
        let corners = [(60.0, 40.0), (340.0, 60.0), (350.0, 460.0), (40.0, 440.0)];
        let to_desk =
            Projection::from_control_points([(0.0, 0.0), (300.0, 0.0), (300.0, 400.0), (0.0, 400.0)], corners)
                .expect("a projection");
        let mut photo = warp(&canvas, to_desk, Interpolation::Nearest, Border::Constant(Rgb([0, 0, 0])));
        for p in photo.pixels_mut().filter(|p| p[0] == 0) {
            *p = Rgb([60, 50, 40]);
        }
        photo
    }

    #[test]
    fn a_photographed_sheet_is_found_and_straightened() {
        let image = photo();
        let corners = sheet_corners(&image).expect("the sheet");
        let expected = [(60.0, 40.0), (340.0, 60.0), (350.0, 460.0), (40.0, 440.0)];
        for (c, e) in corners.iter().zip(expected) {
            assert!((c.0 * 400.0 - e.0).abs() < 8.0 && (c.1 * 500.0 - e.1).abs() < 8.0, "{corners:?}");
        }
        let upright = straighten(&image, &corners).expect("a projection");
        // The bar lies across the whole width, level, at a tenth of the height.
        let bar_y = (0.125 * 500.0) as u32;
        let dark = (20..380).filter(|&x| upright.get_pixel(x, bar_y)[0] < 100).count();
        assert!(dark > 330, "{dark} dark pixels along the bar");
        assert!(upright.get_pixel(200, 250)[0] > 200, "paper below it");
    }

    #[test]
    fn a_scan_whose_paper_fills_the_picture_is_left_alone() {
        let scan = RgbImage::from_fn(400, 500, |_, y| if y % 50 < 4 { Rgb([0, 0, 0]) } else { Rgb([240, 240, 240]) });
        assert!(sheet_corners(&scan).is_none());
    }

    #[test]
    fn lighting_is_evened_out() {
        // Paper that darkens from left to right, with one dark letter.
        let mut image = RgbImage::from_fn(400, 400, |x, _| {
            let v = 240 - (x * 120 / 400) as u8;
            Rgb([v, v - 10, v - 20])
        });
        image.put_pixel(300, 200, Rgb([20, 20, 20]));
        let even = even_lighting(&image);
        assert!(even.get_pixel(20, 100)[0] > 235 && even.get_pixel(380, 100)[0] > 235, "paper white");
        assert!(even.get_pixel(380, 100)[2] > 225, "no colour cast");
        assert!(even.get_pixel(300, 200)[0] < 80, "ink stays dark");
    }
}
