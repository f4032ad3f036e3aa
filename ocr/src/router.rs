//! One OCR engine per page, chosen by the script on it: Tesseract reads Latin-script pages faster
//! and as well; PP-OCR reads Chinese far better (eval/ocr.md). A page cannot say its script
//! before it is read, so Tesseract (with `chi_sim` among its languages) reads it first, and the
//! page goes to PP-OCR when that reading is mostly Chinese or too unsure to trust.

use extractor::ocr::{OcrEngine, OcrError, OcrWord};
use extractor::text::script::is_cjk;
use image::RgbImage;

/// Share of CJK characters in the first reading from which the page is Chinese.
const CJK_SHARE: f32 = 0.2;
/// Mean confidence under which the first reading is not trusted.
const UNSURE: f32 = 60.0;

/// Routes each image to the Latin-script or the CJK engine.
pub struct ScriptRouter<L, C> {
    pub latin: L,
    pub cjk: C,
}

/// Characters and the share of them that are CJK, and the mean confidence per character.
fn profile(words: &[OcrWord]) -> (usize, f32, f32) {
    let chars: usize = words.iter().map(|w| w.text.chars().count()).sum();
    if chars == 0 {
        return (0, 0.0, 0.0);
    }
    let cjk: usize = words.iter().map(|w| w.text.chars().filter(|&c| is_cjk(c)).count()).sum();
    let confidence = words.iter().map(|w| w.confidence * w.text.chars().count() as f32).sum::<f32>() / chars as f32;
    (chars, cjk as f32 / chars as f32, confidence)
}

/// Characters of a reading that can be trusted: in words of at least middling confidence.
fn trusted_chars(words: &[OcrWord]) -> usize {
    words.iter().filter(|w| w.confidence >= 70.0).map(|w| w.text.chars().count()).sum()
}

/// Which engine a first reading sends the page to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// Keep the first (Latin-script engine's) reading.
    Latin,
    /// Mostly Chinese: read it again with the CJK engine.
    Cjk,
    /// Unsure: read it with the CJK engine too and keep the better reading.
    Both,
}

/// The route for a first reading.
pub fn route(words: &[OcrWord]) -> Route {
    let (chars, cjk_share, confidence) = profile(words);
    if chars > 0 && cjk_share >= CJK_SHARE {
        Route::Cjk
    } else if chars == 0 || confidence < UNSURE {
        Route::Both
    } else {
        Route::Latin
    }
}

impl<L: OcrEngine, C: OcrEngine> OcrEngine for ScriptRouter<L, C> {
    fn recognize(&self, image: &RgbImage, dpi: f32) -> Result<Vec<OcrWord>, OcrError> {
        let first = self.latin.recognize(image, dpi)?;
        let decision = route(&first);
        tracing::debug!(?decision, words = first.len(), "OCR route");
        match decision {
            Route::Latin => Ok(first),
            Route::Cjk => self.cjk.recognize(image, dpi),
            Route::Both => {
                let second = self.cjk.recognize(image, dpi)?;
                Ok(if trusted_chars(&second) > trusted_chars(&first) { second } else { first })
            }
        }
    }

    fn name(&self) -> String {
        format!("{} / {} by script", self.latin.name(), self.cjk.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str, confidence: f32) -> OcrWord {
        OcrWord { text: text.into(), bbox: [0.0, 0.0, 10.0, 10.0], confidence, line: 0 }
    }

    #[test]
    fn chinese_and_unsure_readings_go_to_the_cjk_engine() {
        assert_eq!(route(&[word("Give", 95.0), word("adrenaline", 91.0)]), Route::Latin);
        assert_eq!(route(&[word("疼痛评估", 80.0), word("NRS", 90.0)]), Route::Cjk);
        assert_eq!(route(&[word("~~i", 20.0), word("l1", 35.0)]), Route::Both);
        assert_eq!(route(&[]), Route::Both);
    }
}
