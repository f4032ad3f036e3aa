//! The figure-type classifier (flowchart, chart, table, other): clinex's own small model,
//! trained on generated figures (`layout-model/train`), see `models/FIGURE_CLASSIFIER.md`.
//!
//! [`features`] must match `train_figure_classifier.py::features` exactly; a test pins the
//! values the training script reports for a fixed pattern.

use std::sync::Mutex;

use extractor::layout::{FigureClass, FigureClassifier, LayoutError};
use image::{GrayImage, RgbImage};
use ndarray::Array2;
use ort::session::Session;
use ort::value::TensorRef;

use crate::ModelError;
use crate::registry::{self, FIGURE_CLASSIFIER};
use crate::runtime::{self, ModelPaths, SessionOptions};

/// Cells per side of the pooled ink maps.
pub const GRID: usize = 32;
/// Length of the feature vector.
pub const FEATURES: usize = 2 * GRID * GRID + 1;

/// The output classes in the model's order.
pub const CLASSES: [FigureClass; 4] =
    [FigureClass::Flowchart, FigureClass::Chart, FigureClass::Table, FigureClass::Other];

/// Max- and mean-pooled ink maps (ink = 1 - gray/255) on a 32×32 grid, then ln(width/height).
pub fn features(gray: &GrayImage) -> Vec<f32> {
    let (w, h) = (gray.width() as usize, gray.height() as usize);
    let start = |i: usize, n: usize| i * n / GRID;
    let mut max = vec![0f32; GRID * GRID];
    let mut mean = vec![0f32; GRID * GRID];
    for i in 0..GRID {
        let r0 = start(i, h);
        let r1 = if i + 1 < GRID { start(i + 1, h) } else { h }.max(r0 + 1).min(h.max(1));
        for j in 0..GRID {
            let c0 = start(j, w);
            let c1 = if j + 1 < GRID { start(j + 1, w) } else { w }.max(c0 + 1).min(w.max(1));
            let (mut m, mut sum) = (0f32, 0f32);
            for y in r0..r1 {
                for x in c0..c1 {
                    let ink = 1.0 - f32::from(gray.get_pixel(x as u32, y as u32)[0]) / 255.0;
                    m = m.max(ink);
                    sum += ink;
                }
            }
            max[i * GRID + j] = m;
            mean[i * GRID + j] = sum / ((r1 - r0) * (c1 - c0)).max(1) as f32;
        }
    }
    let aspect = ((w.max(1) as f32) / (h.max(1) as f32)).ln().clamp(-3.0, 3.0);
    let mut out = max;
    out.extend(mean);
    out.push(aspect);
    out
}

/// The classifier through ONNX Runtime.
pub struct OrtFigureClassifier {
    session: Mutex<Session>,
}

impl OrtFigureClassifier {
    /// Loads the pinned model, verifying its sha256.
    pub fn load(paths: &ModelPaths) -> Result<Self, ModelError> {
        let path = registry::locate(&paths.models, &FIGURE_CLASSIFIER)?;
        let session = runtime::session(&paths.onnxruntime, &path, SessionOptions::threads(1))?;
        Ok(Self { session: Mutex::new(session) })
    }
}

impl FigureClassifier for OrtFigureClassifier {
    fn classify(&self, crop: &RgbImage) -> Result<(FigureClass, f32), LayoutError> {
        let gray = image::imageops::grayscale(crop);
        let input = Array2::from_shape_vec((1, FEATURES), features(&gray)).map_err(|e| LayoutError(e.to_string()))?;
        let tensor = TensorRef::from_array_view(&input).map_err(|e| LayoutError(e.to_string()))?;
        let mut session = self.session.lock().map_err(|_| LayoutError("figure session poisoned".into()))?;
        let outputs = session.run(ort::inputs!["features" => tensor]).map_err(|e| LayoutError(e.to_string()))?;
        let probs = outputs["probabilities"].try_extract_array::<f32>().map_err(|e| LayoutError(e.to_string()))?;
        let (best, p) =
            probs.iter().copied().enumerate().fold((0, f32::MIN), |acc, (k, v)| if v > acc.1 { (k, v) } else { acc });
        Ok((CLASSES[best.min(CLASSES.len() - 1)], p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pattern `train_figure_classifier.py::check_pattern` pins.
    fn pattern() -> GrayImage {
        GrayImage::from_fn(123, 77, |x, y| image::Luma([((x * 7 + y * 13) % 256) as u8]))
    }

    #[test]
    fn features_have_the_trained_layout() {
        let f = features(&pattern());
        assert_eq!(f.len(), FEATURES);
        assert!((f[FEATURES - 1] - (123f32 / 77.0).ln()).abs() < 1e-6);
        // The values train_figure_classifier.py reports for the same pattern (see the model card).
        let sum: f32 = f.iter().sum();
        assert!((sum - 1163.5593).abs() < 1e-2, "sum {sum}");
        assert!((f[0] - 1.0).abs() < 1e-5 && (f[1] - 0.917647).abs() < 1e-5 && (f[2] - 0.807843).abs() < 1e-5);
        assert!((f[1500] - 0.303922).abs() < 1e-5, "{}", f[1500]);
        assert!((f[FEATURES - 1] - 0.468379).abs() < 1e-5);
        // A white image has no ink.
        let white = features(&GrayImage::from_pixel(10, 300, image::Luma([255])));
        assert!(white[..FEATURES - 1].iter().all(|v| *v == 0.0));
    }
}
