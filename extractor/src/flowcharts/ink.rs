//! Ink masks for reading charts from pixels: how grainy the paper is, square dilations, the
//! ink grown to close the gaps a fax or a scan breaks into outlines, and each step's zone.

use image::{Luma, RgbImage};

use crate::geometry::BBox;

/// Whether the paper is grainy: neighbouring light pixels differ by 3 or more grey levels in
/// the median.
pub(super) fn grainy(image: &RgbImage) -> bool {
    let gray = image::imageops::grayscale(image);
    let (w, h) = gray.dimensions();
    let mut steps: Vec<u8> = Vec::new();
    for y in (0..h).step_by(7) {
        for x in (0..w.saturating_sub(1)).step_by(5) {
            let (a, b) = (gray.get_pixel(x, y)[0], gray.get_pixel(x + 1, y)[0]);
            if a > 150 && b > 150 {
                steps.push(a.abs_diff(b));
            }
        }
    }
    steps.sort_unstable();
    steps.get(steps.len() / 2).is_some_and(|&m| m >= 3)
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
