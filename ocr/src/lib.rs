//! OCR engines for clinex behind [`extractor::ocr::OcrEngine`].
//!
//! [`TesseractOcr`] runs Debian's libtesseract 5.3 through the `tesseract` crate. Two settings
//! matter (measured in `../shared/notes/native-stack.md`): the page segmentation mode must be
//! set to automatic (the C API's default, a single block, turns tables and flowcharts into
//! garbage), and OpenMP must be held to one thread (2.5-4x faster on two cores). libgomp reads
//! `OMP_THREAD_LIMIT` when it is loaded, before `main`, so the `clinex` binary sets it by
//! re-executing itself (see `api/src/main.rs`).

use std::sync::Mutex;

use extractor::ocr::{OcrEngine, OcrError, OcrWord};
use image::RgbImage;
use tesseract::{PageSegMode, Tesseract};

/// Tesseract with a fixed set of languages ("eng", "eng+chi_sim").
pub struct TesseractOcr {
    languages: String,
    // Tesseract's builder methods take the engine by value; it is put back after every page.
    engine: Mutex<Option<Tesseract>>,
}

impl TesseractOcr {
    /// Loads the languages' trained data from the system tessdata folder (or `TESSDATA_PREFIX`).
    pub fn new(languages: &str) -> Result<Self, OcrError> {
        let engine =
            Tesseract::new(None, Some(languages)).map_err(|e| OcrError(format!("tesseract {languages}: {e}")))?;
        Ok(Self { languages: languages.to_string(), engine: Mutex::new(Some(engine)) })
    }
}

impl OcrEngine for TesseractOcr {
    fn recognize(&self, image: &RgbImage, dpi: f32) -> Result<Vec<OcrWord>, OcrError> {
        let err = |e: &dyn std::fmt::Display| OcrError(e.to_string());
        let mut slot = self.engine.lock().map_err(|_| OcrError("tesseract engine poisoned".into()))?;
        let engine = slot.take().ok_or_else(|| OcrError("tesseract engine lost after an earlier failure".into()))?;
        let (w, h) = image.dimensions();
        let mut engine = engine
            .set_frame(image.as_raw(), w as i32, h as i32, 3, 3 * w as i32)
            .map_err(|e| err(&e))?
            .set_source_resolution(dpi.round() as i32);
        engine.set_page_seg_mode(PageSegMode::PsmAuto);
        let mut engine = engine.recognize().map_err(|e| err(&e))?;
        let tsv = engine.get_tsv_text(0).map_err(|e| err(&e))?;
        *slot = Some(engine);
        Ok(parse_tsv(&tsv))
    }

    fn name(&self) -> String {
        format!("tesseract-5 ({})", self.languages)
    }
}

/// Words from Tesseract's TSV: level-5 rows (block, paragraph, line, word, box, confidence, text).
pub fn parse_tsv(tsv: &str) -> Vec<OcrWord> {
    let mut words = Vec::new();
    let mut line_ids: Vec<(u32, u32, u32)> = Vec::new();
    for row in tsv.lines() {
        let f: Vec<&str> = row.split('\t').collect();
        if f.len() < 12 || f[0] != "5" {
            continue;
        }
        let n = |i: usize| f[i].trim().parse::<f32>().unwrap_or(0.0);
        let text = f[11].trim();
        if text.is_empty() {
            continue;
        }
        let key = (n(2) as u32, n(3) as u32, n(4) as u32);
        let line = match line_ids.iter().position(|k| *k == key) {
            Some(i) => i,
            None => {
                line_ids.push(key);
                line_ids.len() - 1
            }
        } as u32;
        let (left, top, width, height) = (n(6), n(7), n(8), n(9));
        words.push(OcrWord {
            text: text.to_string(),
            bbox: [left, top, left + width, top + height],
            confidence: n(10),
            line,
        });
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_words_keep_their_lines() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
                   4\t1\t1\t1\t1\t0\t10\t10\t200\t30\t-1\t\n\
                   5\t1\t1\t1\t1\t1\t10\t10\t80\t30\t96.5\tGive\n\
                   5\t1\t1\t1\t1\t2\t100\t10\t40\t30\t91\tIM\n\
                   5\t1\t1\t1\t2\t1\t10\t50\t150\t30\t88\tadrenaline\n";
        let words = parse_tsv(tsv);
        let lines: Vec<(&str, u32)> = words.iter().map(|w| (w.text.as_str(), w.line)).collect();
        assert_eq!(lines, [("Give", 0), ("IM", 0), ("adrenaline", 1)]);
        assert_eq!(words[1].bbox, [100.0, 10.0, 140.0, 40.0]);
        assert!((words[0].confidence - 96.5).abs() < 1e-6);
    }
}
