//! Ink masks for reading charts from pixels: how grainy the paper is, square dilations, the
//! ink grown to close the gaps a fax or a scan breaks into outlines, and each step's zone.

use image::{Luma, RgbImage};

use crate::geometry::BBox;

/// Whether the paper is grainy: in the median 8 x 8 patch of light paper (no ink in it) the
/// grey levels spread by a standard deviation of one level or more. (A scan's grain blurred by
/// its optics and its JPEG varies little from one pixel to the next, but much across a patch.)
pub(super) fn grainy(image: &RgbImage) -> bool {
    const PATCH: u32 = 8;
    let gray = image::imageops::grayscale(image);
    let (w, h) = gray.dimensions();
    let mut spreads: Vec<f32> = Vec::new();
    for y0 in (0..h.saturating_sub(PATCH)).step_by(2 * PATCH as usize) {
        for x0 in (0..w.saturating_sub(PATCH)).step_by(2 * PATCH as usize) {
            let values: Vec<f32> = (y0..y0 + PATCH)
                .flat_map(|y| (x0..x0 + PATCH).map(move |x| (x, y)))
                .map(|(x, y)| f32::from(gray.get_pixel(x, y)[0]))
                .collect();
            if values.iter().any(|&v| v < 150.0) {
                continue;
            }
            let mean = values.iter().sum::<f32>() / values.len() as f32;
            let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f32>() / values.len() as f32;
            spreads.push(variance.sqrt());
        }
    }
    spreads.sort_by(f32::total_cmp);
    spreads.get(spreads.len() / 2).is_some_and(|&s| s >= 1.0)
}

/// A square dilation of `mask` (`w` x `h`) by `by` pixels: rows, then columns.
pub(super) fn dilate(mask: &[bool], w: usize, h: usize, by: usize) -> Vec<bool> {
    // Along one line: set where a set pixel lies within `by` before or after.
    let pass = |line: &[bool]| -> Vec<bool> {
        let n = line.len();
        let mut next = vec![usize::MAX; n + 1];
        for i in (0..n).rev() {
            next[i] = if line[i] { i } else { next[i + 1] };
        }
        let mut last: Option<usize> = None;
        (0..n)
            .map(|i| {
                if line[i] {
                    last = Some(i);
                }
                last.is_some_and(|l| i - l <= by) || next[i].saturating_sub(i) <= by
            })
            .collect()
    };
    let mut rows = vec![false; w * h];
    for y in 0..h {
        rows[y * w..(y + 1) * w].copy_from_slice(&pass(&mask[y * w..(y + 1) * w]));
    }
    let mut out = vec![false; w * h];
    for x in 0..w {
        let column: Vec<bool> = (0..h).map(|y| rows[y * w + x]).collect();
        for (y, on) in pass(&column).into_iter().enumerate() {
            out[y * w + x] = on;
        }
    }
    out
}

/// The colour classes with every pixel within `by` of ink (class 0) made ink.
pub(super) fn grow_ink(classes: &[u8], w: u32, h: u32, by: u32) -> Vec<u8> {
    let ink: Vec<bool> = classes.iter().map(|&c| c == 0).collect();
    let grown = dilate(&ink, w as usize, h as usize, by as usize);
    classes.iter().zip(grown).map(|(&c, g)| if g { 0 } else { c }).collect()
}

/// Marks the pixels within `reach` of area `label` (inside `bbox`) as zone `id`.
#[allow(clippy::too_many_arguments)]
pub(super) fn grow_zone(
    labels: &image::ImageBuffer<Luma<u32>, Vec<u32>>,
    label: u32,
    bbox: &BBox,
    reach: u32,
    id: u32,
    zone: &mut [u32],
    w: u32,
    h: u32,
) {
    let (x0, y0) = ((bbox.x0 as u32).saturating_sub(reach), (bbox.y0 as u32).saturating_sub(reach));
    let (x1, y1) = ((bbox.x1 as u32 + reach).min(w), (bbox.y1 as u32 + reach).min(h));
    // The dilation, on the box only.
    let (bw, bh) = ((x1 - x0) as usize, (y1 - y0) as usize);
    let inside: Vec<bool> =
        (y0..y1).flat_map(|y| (x0..x1).map(move |x| (x, y))).map(|(x, y)| labels.get_pixel(x, y)[0] == label).collect();
    for (k, near) in dilate(&inside, bw, bh, reach as usize).into_iter().enumerate() {
        let at = (y0 as usize + k / bw) * w as usize + x0 as usize + k % bw;
        if near && zone[at] == 0 {
            zone[at] = id;
        }
    }
}
