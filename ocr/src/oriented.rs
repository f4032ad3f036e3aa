//! An OCR engine that knows which way up a page is before reading it: the page orientation model
//! answers, and the page is read once instead of up to four times.

use clinex_layout_model::PageOrientation;
use extractor::ocr::{OcrEngine, OcrError, OcrWord};
use image::RgbImage;

/// The orientation model's answer is used from this probability on; below it the pipeline
/// falls back to reading the page at each quarter turn.
const SURE: f32 = 0.75;

/// `engine` with page orientation from `classifier`.
pub struct Oriented<E> {
    pub engine: E,
    pub classifier: PageOrientation,
}

impl<E: OcrEngine> OcrEngine for Oriented<E> {
    fn recognize(&self, image: &RgbImage, dpi: f32) -> Result<Vec<OcrWord>, OcrError> {
        self.engine.recognize(image, dpi)
    }

    fn name(&self) -> String {
        self.engine.name()
    }

    fn orientation(&self, image: &RgbImage) -> Option<u16> {
        match self.classifier.classify(image) {
            // The model says how far the page is turned; undoing it is the rest of the circle.
            Ok((turned, prob)) if prob >= SURE => Some((360 - turned) % 360),
            Ok((turned, prob)) => {
                tracing::debug!(turned, prob, "page orientation unsure");
                None
            }
            Err(e) => {
                tracing::warn!("page orientation model failed: {e}");
                None
            }
        }
    }
}
