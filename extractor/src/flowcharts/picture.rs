//! A picture prepared for reading a chart from its pixels: its grey levels, its ink, the width
//! of its strokes, and each pixel's colour class (paper, a fill, or ink).

use image::{GrayImage, RgbImage};

/// The colour class of the background (colours are numbered from the most common).
pub(super) const BACKGROUND: u8 = 1;
/// The blur (sigma, pixels) under which a grainy picture's colours are classed.
const PAPER_BLUR: f32 = 1.5;
/// Dominant colours nearer than this (RGB distance) are one colour of paper.
const SAME_COLOUR: f32 = 22.0;

/// What every reading of a picture starts from.
pub(super) struct Picture {
    pub(super) width: u32,
    pub(super) height: u32,
    pub(super) gray: GrayImage,
    /// The grey level under which a pixel is ink (Otsu's).
    pub(super) threshold: u8,
    pub(super) stroke: u32,
    /// Each pixel's colour class (see [`colour_classes`]).
    pub(super) classes: Vec<u8>,
}

impl Picture {
    pub(super) fn new(image: &RgbImage, grain: bool) -> Option<Self> {
        let (w, h) = image.dimensions();
        if w < 16 || h < 16 {
            return None;
        }
        let gray = image::imageops::grayscale(image);
        let threshold = imageproc::contrast::otsu_level(&gray).clamp(60, 200);
        let ink: Vec<bool> = gray.pixels().map(|p| p[0] < threshold).collect();
        let stroke = stroke_width(&ink, w, h);
        // The paper and the fills of grainy pictures are told apart after a blur that pulls the
        // grain of each towards its mean (a fill a shade darker than the paper otherwise shares
        // its bins with the paper's grain); the blur fades thin lines into the paper, so the ink
        // keeps them.
        let classes = if grain {
            let mut classes = colour_classes(&imageproc::filter::gaussian_blur_f32(image, PAPER_BLUR));
            for (c, &dark) in classes.iter_mut().zip(&ink) {
                if dark {
                    *c = 0;
                }
            }
            classes
        } else {
            colour_classes(image)
        };
        Some(Self { width: w, height: h, gray, threshold, stroke, classes })
    }
}

/// Each pixel's colour class: 1.. for the image's dominant colours short of black (those covering at
/// least 1 % of it: the background, box fills, label patches), 0 for the rest (ink, text,
/// antialiased edges). The most common colour, the background, is class [`BACKGROUND`].
fn colour_classes(image: &RgbImage) -> Vec<u8> {
    let bin = |p: &image::Rgb<u8>| ((p[0] as usize >> 4) << 8) | ((p[1] as usize >> 4) << 4) | (p[2] as usize >> 4);
    let mut counts = vec![0u32; 4096];
    let mut sums = vec![[0u64; 3]; 4096];
    for p in image.pixels() {
        let b = bin(p);
        counts[b] += 1;
        for c in 0..3 {
            sums[b][c] += u64::from(p[c]);
        }
    }
    let total = image.width() as u64 * image.height() as u64;
    let mut dominant: Vec<(u32, [f32; 3])> = counts
        .iter()
        .enumerate()
        .filter(|&(_, &n)| u64::from(n) * 100 >= total)
        .map(|(b, &n)| (n, [0, 1, 2].map(|c| sums[b][c] as f32 / n as f32)))
        .filter(|(_, m)| 0.3 * m[0] + 0.6 * m[1] + 0.1 * m[2] >= 60.0)
        .collect();
    dominant.sort_by_key(|d| std::cmp::Reverse(d.0));
    // Grainy or shaded paper falls into neighbouring bins whose pixels lie mixed like salt and
    // pepper: a colour within a few grey levels of a commoner one is that colour (a light fill
    // that people tell from the paper lies further away).
    let mut kept: Vec<(u32, [f32; 3])> = Vec::new();
    for d in dominant {
        let near = |k: &(u32, [f32; 3])| (0..3).map(|c| (k.1[c] - d.1[c]).powi(2)).sum::<f32>() < SAME_COLOUR.powi(2);
        if !kept.iter().any(near) {
            kept.push(d);
        }
    }
    let mut dominant = kept;
    dominant.truncate(12);
    image
        .pixels()
        .map(|p| {
            let near = dominant.iter().enumerate().map(|(k, (_, m))| {
                let d: f32 = (0..3).map(|c| (f32::from(p[c]) - m[c]).powi(2)).sum();
                (k, d)
            });
            match near.min_by(|a, b| a.1.total_cmp(&b.1)) {
                Some((k, d)) if d <= 30.0 * 30.0 => k as u8 + 1,
                _ => 0,
            }
        })
        .collect()
}

/// The typical stroke: the most common length of horizontal ink runs (lines and outlines are
/// the most frequent ink), at least 1.
fn stroke_width(ink: &[bool], w: u32, h: u32) -> u32 {
    let mut counts = [0u32; 16];
    for y in 0..h {
        let mut run = 0u32;
        for x in 0..=w {
            if x < w && ink[(y * w + x) as usize] {
                run += 1;
            } else {
                if (1..16).contains(&run) {
                    counts[run as usize] += 1;
                }
                run = 0;
            }
        }
    }
    counts.iter().enumerate().skip(1).max_by_key(|(_, c)| **c).map_or(1, |(k, _)| k as u32).max(1)
}
