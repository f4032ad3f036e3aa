//! OCR for pages whose text layer cannot be trusted: the engine behind a trait, the decision
//! per page, and OCR words turned into glyphs so that lines, blocks, regions, tables and
//! flowcharts are built from a scan exactly as from a born-digital page.

use image::RgbImage;

use crate::geometry::BBox;
use crate::pdf::{FontStyle, RawChar, RawPage};

/// A word the OCR engine read, in the pixels of the image it was given.
#[derive(Debug, Clone, PartialEq)]
pub struct OcrWord {
    pub text: String,
    /// x0, y0, x1, y1 in pixels.
    pub bbox: [f32; 4],
    /// 0..=100.
    pub confidence: f32,
    /// Words with the same line number form one line, in reading order.
    pub line: u32,
}

#[derive(Debug, thiserror::Error)]
#[error("OCR failed: {0}")]
pub struct OcrError(pub String);

/// An OCR engine (Tesseract, PP-OCR).
pub trait OcrEngine: Send + Sync {
    /// Words on the image, in reading order; `dpi` is the image's resolution.
    fn recognize(&self, image: &RgbImage, dpi: f32) -> Result<Vec<OcrWord>, OcrError>;
    /// Engine name and languages, for provenance.
    fn name(&self) -> String;
}

/// Resolution pages are rendered at for OCR.
pub const OCR_DPI: f32 = 300.0;

/// Why a page's text layer is not used, if it is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OcrReason {
    /// No glyphs at all, and images cover the page (a scan).
    NoTextLayer,
    /// Most glyphs have no Unicode mapping (broken fonts give garbage).
    BrokenEncoding,
}

/// Whether a page must be OCR'd instead of read from its text layer.
pub fn needs_ocr(page: &RawPage) -> Option<OcrReason> {
    let ink: Vec<&RawChar> = page.chars.iter().filter(|c| !c.ch.is_whitespace() && !c.generated).collect();
    if ink.is_empty() {
        return (page.image_coverage >= 0.3).then_some(OcrReason::NoTextLayer);
    }
    let unmapped = ink.iter().filter(|c| c.unmapped).count();
    (unmapped * 2 > ink.len()).then_some(OcrReason::BrokenEncoding)
}

/// Glyphs for OCR words: each word's box split evenly among its characters, a space between
/// the words of a line; pixels scaled to points by `points_per_pixel`.
pub fn words_to_chars(words: &[OcrWord], points_per_pixel: f32) -> Vec<RawChar> {
    let words = straighten_lines(words);
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let chars: Vec<char> = w.text.chars().filter(|c| !c.is_whitespace()).collect();
        if chars.is_empty() {
            continue;
        }
        let b = BBox::new(
            w.bbox[0] * points_per_pixel,
            w.bbox[1] * points_per_pixel,
            w.bbox[2] * points_per_pixel,
            w.bbox[3] * points_per_pixel,
        );
        // The word box runs from the tallest ascender to the lowest descender; the type size is
        // about that height.
        let size = b.height().max(1.0);
        let step = b.width() / chars.len() as f32;
        let glyph = |ch: char, x0: f32, x1: f32, generated: bool| RawChar {
            ch,
            bbox: BBox::new(x0, b.y0, x1, b.y1),
            origin: (x0, b.y1),
            size,
            angle: 0.0,
            font: FontStyle::default(),
            generated,
            unmapped: false,
        };
        for (k, &ch) in chars.iter().enumerate() {
            let x0 = b.x0 + step * k as f32;
            out.push(glyph(ch, x0, x0 + step, false));
        }
        if words.get(i + 1).is_some_and(|next| next.line == w.line) {
            out.push(glyph(' ', b.x1, b.x1 + size * 0.25, true));
        }
    }
    out
}

/// On a skewed scan a line's words climb or fall across the page, and a long line would cross
/// into the rows of its neighbours. The engine knows which words form a line: they get the
/// line's median top and bottom, so lines are rows again (boxes move by at most the skew over
/// half a line).
fn straighten_lines(words: &[OcrWord]) -> Vec<OcrWord> {
    let median = |mut v: Vec<f32>| {
        v.sort_by(f32::total_cmp);
        v[v.len() / 2]
    };
    let mut out = words.to_vec();
    let mut lines: Vec<u32> = words.iter().map(|w| w.line).collect();
    lines.sort_unstable();
    lines.dedup();
    for line in lines {
        let members: Vec<usize> = (0..words.len()).filter(|&i| words[i].line == line).collect();
        let top = median(members.iter().map(|&i| words[i].bbox[1]).collect());
        let bottom = median(members.iter().map(|&i| words[i].bbox[3]).collect());
        for &i in &members {
            out[i].bbox[1] = top;
            out[i].bbox[3] = bottom.max(top + 1.0);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str, x0: f32, line: u32) -> OcrWord {
        OcrWord { text: text.into(), bbox: [x0, 100.0, x0 + 40.0 * text.len() as f32, 140.0], confidence: 90.0, line }
    }

    #[test]
    fn words_become_glyphs_with_spaces_inside_lines_only() {
        let chars = words_to_chars(&[word("Give", 0.0, 1), word("IM", 200.0, 1), word("adrenaline", 0.0, 2)], 0.24);
        let text: String = chars.iter().map(|c| c.ch).collect();
        assert_eq!(text, "Give IMadrenaline");
        assert!((chars[0].bbox.x1 - 9.6).abs() < 1e-4, "40 px per letter at 0.24 pt/px");
        assert!((chars[0].size - 9.6).abs() < 1e-4);
    }

    #[test]
    fn scans_and_broken_fonts_need_ocr() {
        let scan = RawPage { image_coverage: 0.95, ..Default::default() };
        assert_eq!(needs_ocr(&scan), Some(OcrReason::NoTextLayer));
        let blank = RawPage::default();
        assert_eq!(needs_ocr(&blank), None, "an empty page has nothing to read");
        let c = |unmapped| RawChar {
            ch: 'x',
            bbox: BBox::new(0.0, 0.0, 5.0, 10.0),
            origin: (0.0, 10.0),
            size: 10.0,
            angle: 0.0,
            font: FontStyle::default(),
            generated: false,
            unmapped,
        };
        let broken = RawPage { chars: vec![c(true), c(true), c(false)], ..Default::default() };
        assert_eq!(needs_ocr(&broken), Some(OcrReason::BrokenEncoding));
        let fine = RawPage { chars: vec![c(false), c(true)], ..Default::default() };
        assert_eq!(needs_ocr(&fine), None);
    }
}
