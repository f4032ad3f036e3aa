//! OCR for pages whose text layer cannot be trusted: the engine behind a trait, the decision
//! per page, and OCR words turned into glyphs so that lines, blocks, regions, tables and
//! flowcharts are built from a scan exactly as from a born-digital page.

use image::RgbImage;

use crate::geometry::BBox;
use crate::imaging;
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
    /// The clockwise quarter turn (0, 90, 180, 270) that makes a page image upright, when the
    /// engine can tell without reading the page.
    fn orientation(&self, _image: &RgbImage) -> Option<u16> {
        None
    }
}

/// A borrowed engine is an engine (engines are shared by routers and tests).
impl<T: OcrEngine + ?Sized> OcrEngine for &T {
    fn recognize(&self, image: &RgbImage, dpi: f32) -> Result<Vec<OcrWord>, OcrError> {
        (**self).recognize(image, dpi)
    }
    fn name(&self) -> String {
        (**self).name()
    }
    fn orientation(&self, image: &RgbImage) -> Option<u16> {
        (**self).orientation(image)
    }
}

pub use crate::config::OCR_DPI;

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

/// What OCR read on a page: words in the frame where the text is upright, the page image turned
/// by `rotation` degrees clockwise to get there, and the page image's size.
#[derive(Debug, Clone, PartialEq)]
pub struct OcrPage {
    pub words: Vec<OcrWord>,
    pub rotation: u16,
    pub size: (u32, u32),
}

/// Turns a page read by OCR upright, as if its `/Rotate` said so: the rendered image, the page
/// size, its image boxes and its rotation follow the turn, and its glyphs are the OCR words laid
/// out on the upright page. Boxes are then in the upright page's coordinates, like every
/// rotated page's; `rotation` tells how to map them back to the scan.
pub fn apply_reading(raw: &mut RawPage, read: &OcrPage) {
    let (w, h) = (raw.width, raw.height);
    let turn = |b: &BBox| match read.rotation {
        90 => BBox::new(h - b.y1, b.x0, h - b.y0, b.x1),
        180 => BBox::new(w - b.x1, h - b.y1, w - b.x0, h - b.y0),
        270 => BBox::new(b.y0, w - b.x1, b.y1, w - b.x0),
        _ => *b,
    };
    if read.rotation != 0 {
        raw.images = raw.images.iter().map(turn).collect();
        raw.paths.clear();
        raw.image = raw.image.take().map(|img| imaging::turn(&img, read.rotation));
        if read.rotation != 180 {
            (raw.width, raw.height) = (h, w);
        }
        raw.rotation = (raw.rotation + i32::from(read.rotation)).rem_euclid(360);
    }
    let upright_width_px = if read.rotation % 180 == 90 { read.size.1 } else { read.size.0 };
    raw.chars = words_to_chars(&read.words, raw.width / upright_width_px.max(1) as f32);
}

/// Mean word confidence below which the other three orientations are tried.
const WEAK_CONFIDENCE: f32 = 60.0;

/// Reads a page image, upright or turned. The engine's orientation answer, when it has one, is
/// read first. When that reading is weak, the page is read at the other quarter turns too and
/// the reading with the most confident characters wins (a scan fed sideways or upside down).
pub fn read_page_image(engine: &dyn OcrEngine, image: &RgbImage, dpi: f32) -> Result<OcrPage, OcrError> {
    let size = image.dimensions();
    let first = engine.orientation(image).unwrap_or(0);
    let read = |rotation: u16| -> Result<OcrPage, OcrError> {
        let words = match rotation {
            0 => engine.recognize(image, dpi)?,
            _ => engine.recognize(&imaging::turn(image, rotation), dpi)?,
        };
        Ok(OcrPage { words, rotation, size })
    };
    let mut best = read(first)?;
    if mean_confidence(&best.words) >= WEAK_CONFIDENCE && !mostly_vertical(&best.words) {
        return Ok(best);
    }
    for rotation in [0u16, 90, 180, 270].into_iter().filter(|&r| r != first) {
        let turned = read(rotation)?;
        if confident_chars(&turned.words) > confident_chars(&best.words) {
            best = turned;
        }
    }
    Ok(best)
}

/// Most words taller than wide: the engine read a sideways page as vertical text.
fn mostly_vertical(words: &[OcrWord]) -> bool {
    let long: Vec<&OcrWord> = words.iter().filter(|w| w.text.chars().count() >= 3).collect();
    let tall = long.iter().filter(|w| w.bbox[3] - w.bbox[1] > w.bbox[2] - w.bbox[0]).count();
    !long.is_empty() && tall * 2 > long.len()
}

fn mean_confidence(words: &[OcrWord]) -> f32 {
    let chars: usize = words.iter().map(|w| w.text.chars().count()).sum();
    if chars == 0 {
        return 0.0;
    }
    words.iter().map(|w| w.confidence * w.text.chars().count() as f32).sum::<f32>() / chars as f32
}

/// Characters in words read with at least middling confidence along the line (a word of
/// several letters standing taller than wide was read across the text, not along it).
fn confident_chars(words: &[OcrWord]) -> usize {
    let along = |w: &&OcrWord| w.text.chars().count() < 2 || w.bbox[3] - w.bbox[1] <= w.bbox[2] - w.bbox[0];
    words.iter().filter(|w| w.confidence >= 50.0).filter(along).map(|w| w.text.chars().count()).sum()
}

/// Glyphs for OCR words in their own (upright) frame: each word's box split evenly among its
/// characters, a space between the words of a line; pixels scaled by `points_per_pixel`.
pub fn words_to_chars(words: &[OcrWord], points_per_pixel: f32) -> Vec<RawChar> {
    let words = straighten_lines(&deskew(words));
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
        // Chinese is written without spaces; the engine's word breaks inside it are not spaces.
        let cjk_join = |next: &OcrWord| {
            chars.last().is_some_and(|&c| crate::text::script::is_cjk(c))
                && next.text.chars().next().is_some_and(crate::text::script::is_cjk)
        };
        if words.get(i + 1).is_some_and(|next| next.line == w.line && !cjk_join(next)) {
            out.push(glyph(' ', b.x1, b.x1 + size * 0.25, true));
        }
    }
    out
}

/// Undoes a scan's skew: the median slope of the engine's lines (word centres, least squares)
/// is the page's tilt, and every word centre is turned back by it around the middle of the
/// words. Without this, the right end of a long tilted line sits above its left end and the
/// pieces of one line are read as two.
fn deskew(words: &[OcrWord]) -> Vec<OcrWord> {
    let centre = |w: &OcrWord| ((w.bbox[0] + w.bbox[2]) / 2.0, (w.bbox[1] + w.bbox[3]) / 2.0);
    let mut slopes = Vec::new();
    let mut lines: Vec<u32> = words.iter().map(|w| w.line).collect();
    lines.dedup();
    for line in lines {
        let pts: Vec<(f32, f32)> = words.iter().filter(|w| w.line == line).map(centre).collect();
        if pts.len() < 3 {
            continue;
        }
        let n = pts.len() as f32;
        let (mx, my) = (pts.iter().map(|p| p.0).sum::<f32>() / n, pts.iter().map(|p| p.1).sum::<f32>() / n);
        let sxx: f32 = pts.iter().map(|p| (p.0 - mx).powi(2)).sum();
        let sxy: f32 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
        if sxx > 0.0 {
            slopes.push(sxy / sxx);
        }
    }
    if slopes.is_empty() {
        return words.to_vec();
    }
    slopes.sort_by(f32::total_cmp);
    let angle = slopes[slopes.len() / 2].atan();
    tracing::debug!(degrees = angle.to_degrees(), lines = slopes.len(), "skew");
    // Under half a degree a column's lines stay apart without help (turning them moved the
    // pieces of multi-column UNLV pages out of order: CER 3.9 % to 55 %); past 15 degrees the
    // slope is not a skew.
    if angle.abs() < 0.5f32.to_radians() || angle.abs() > 15f32.to_radians() {
        return words.to_vec();
    }
    let n = words.len() as f32;
    let (cx, cy) = words.iter().map(centre).fold((0.0, 0.0), |a, c| (a.0 + c.0 / n, a.1 + c.1 / n));
    let (sin, cos) = (-angle).sin_cos();
    words
        .iter()
        .map(|w| {
            let (x, y) = centre(w);
            let (dx, dy) = (x - cx, y - cy);
            let (nx, ny) = (cx + dx * cos - dy * sin, cy + dx * sin + dy * cos);
            let (hw, hh) = ((w.bbox[2] - w.bbox[0]) / 2.0, (w.bbox[3] - w.bbox[1]) / 2.0);
            OcrWord { bbox: [nx - hw, ny - hh, nx + hw, ny + hh], ..w.clone() }
        })
        .collect()
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
        let zh = words_to_chars(&[word("启动", 0.0, 1), word("阿片", 200.0, 1), word("5mg", 400.0, 1)], 0.24);
        assert_eq!(zh.iter().map(|c| c.ch).collect::<String>(), "启动阿片 5mg");
    }

    #[test]
    fn a_tilted_line_is_turned_level() {
        // Five words climbing 2 degrees to the right, on one line.
        let rise = 2f32.to_radians().tan();
        let words: Vec<OcrWord> = (0..5)
            .map(|k| {
                let x = 100.0 + 300.0 * k as f32;
                let y = 500.0 - rise * x;
                OcrWord { text: "word".into(), bbox: [x, y - 20.0, x + 200.0, y + 20.0], confidence: 90.0, line: 0 }
            })
            .collect();
        let level = deskew(&words);
        let tops: Vec<f32> = level.iter().map(|w| w.bbox[1]).collect();
        let spread = tops.iter().copied().fold(f32::MIN, f32::max) - tops.iter().copied().fold(f32::MAX, f32::min);
        assert!(spread < 1.0, "tops {tops:?}");
    }

    #[test]
    fn a_page_read_turned_is_reported_upright() {
        let mut raw = RawPage {
            width: 200.0,
            height: 100.0,
            image_coverage: 1.0,
            images: vec![BBox::new(0.0, 0.0, 200.0, 100.0)],
            image: Some(RgbImage::new(20, 10)),
            ..Default::default()
        };
        let read = OcrPage { words: vec![word("Dose", 0.0, 0)], rotation: 90, size: (400, 800) };
        apply_reading(&mut raw, &read);
        assert_eq!((raw.width, raw.height, raw.rotation), (100.0, 200.0, 90));
        assert_eq!(raw.image.as_ref().unwrap().dimensions(), (10, 20));
        assert_eq!(raw.images, vec![BBox::new(0.0, 0.0, 100.0, 200.0)]);
        // 800 px of upright width is 100 pt: 40 px letters are 5 pt.
        assert!((raw.chars[0].bbox.x1 - 5.0).abs() < 1e-4, "{:?}", raw.chars[0].bbox);
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
