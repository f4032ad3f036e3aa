//! [`TesseractOcr`] runs Debian's libtesseract 5.3 through the `tesseract` crate. Two settings
//! matter (measured in `../shared/notes/native-stack.md`): the page segmentation mode must be
//! set to automatic (the C API's default, a single block, turns tables and flowcharts into
//! garbage), and OpenMP must be held to one thread (2.5-4x faster on two cores). libgomp reads
//! `OMP_THREAD_LIMIT` when it is loaded, before `main`, so the `clinex` binary sets it by
//! re-executing itself (see `cli/src/main.rs`).

use std::sync::Mutex;

use extractor::ocr::{OcrEngine, OcrError, OcrWord};
use image::RgbImage;
use tesseract::{PageSegMode, Tesseract};

/// Tesseract with a fixed set of languages ("eng", "eng+chi_sim"), optionally with several
/// engines: a tall page is then cut at blank rows into bands read at the same time.
pub struct TesseractOcr {
    languages: String,
    // Tesseract's builder methods take the engine by value; it is put back after every band,
    // and made anew if a failure consumed it.
    engines: Vec<Mutex<Option<Tesseract>>>,
}

/// Pages shorter than this (pixels) are read in one piece.
const MIN_SPLIT_HEIGHT: u32 = 1200;

impl TesseractOcr {
    /// Tesseract for `languages` with `bands` engines: a tall page is read in that many bands at
    /// once. Measured on the OCR samples (`eval/ocr.md`): two bands read a dense page in 1.6 s
    /// instead of 2.2 s, but on a skewed two-column page Tesseract then joins lines across the
    /// columns (CER 2.8 % to 27 %), so one band is the default. The trained data is loaded when
    /// a page first needs OCR (0.13 s and 50 MB that born-digital documents never pay); a
    /// missing language then fails that page with an `ocr_failed` warning.
    pub fn new(languages: &str, bands: usize) -> Self {
        let engines = (0..bands.clamp(1, 8)).map(|_| Mutex::new(None)).collect();
        Self { languages: languages.to_string(), engines }
    }

    fn read_band(&self, worker: usize, image: &RgbImage, dpi: f32) -> Result<Vec<OcrWord>, OcrError> {
        let err = |e: &dyn std::fmt::Display| OcrError(e.to_string());
        let mut slot = self.engines[worker].lock().map_err(|_| OcrError("tesseract engine poisoned".into()))?;
        let engine = match slot.take() {
            Some(engine) => engine,
            None => load(&self.languages)?,
        };
        let (w, h) = image.dimensions();
        let mut engine = engine
            .set_frame(image.as_raw(), w as i32, h as i32, 3, 3 * w as i32)
            .map_err(|e| err(&e))?
            .set_source_resolution(dpi.round() as i32);
        engine.set_page_seg_mode(PageSegMode::PsmAuto);
        let mut engine = engine.recognize().map_err(|e| err(&e))?;
        let mut words = parse_tsv(&engine.get_tsv_text(0).map_err(|e| err(&e))?);
        if words.is_empty() {
            // Automatic segmentation finds nothing on a small crop (one line, one cell): read
            // it as a single block instead.
            engine.set_page_seg_mode(PageSegMode::PsmSingleBlock);
            engine = engine.recognize().map_err(|e| err(&e))?;
            words = parse_tsv(&engine.get_tsv_text(0).map_err(|e| err(&e))?);
        }
        *slot = Some(engine);
        Ok(words)
    }
}

fn load(languages: &str) -> Result<Tesseract, OcrError> {
    // (Turning off Tesseract's inverted-text pass, `tessedit_do_invert=0`, was tried: with
    // Debian's 5.3 it wrecked clean pages, phototest CER 0 % to 112 %.)
    Tesseract::new(None, Some(languages))
        .map_err(|e| OcrError(format!("tesseract {languages}: {e} (run `make setup`, or choose --ocr-lang)")))
}

/// Row ranges to read separately: the page cut into `parts` bands at the middle of the widest
/// run of blank rows near each cut, so no line is cut. One band when the page is short or has
/// no blank rows there.
pub fn bands(image: &RgbImage, parts: usize) -> Vec<(u32, u32)> {
    let (w, h) = image.dimensions();
    if parts < 2 || h < MIN_SPLIT_HEIGHT {
        return vec![(0, h)];
    }
    let blank = |y: u32| (0..w).all(|x| image.get_pixel(x, y).0.iter().map(|&c| u32::from(c)).sum::<u32>() > 3 * 160);
    let mut cuts = vec![0];
    for k in 1..parts as u32 {
        let target = h * k / parts as u32;
        let (lo, hi) = (target.saturating_sub(h / 8).max(cuts[cuts.len() - 1] + 1), (target + h / 8).min(h - 1));
        // The widest run of blank rows in the window; its middle is the cut.
        let mut best: Option<(u32, u32)> = None;
        let mut run_start: Option<u32> = None;
        for y in lo..=hi + 1 {
            let is_blank = y <= hi && blank(y);
            match (is_blank, run_start) {
                (true, None) => run_start = Some(y),
                (false, Some(s)) => {
                    if best.is_none_or(|(a, b)| y - 1 - s > b - a) {
                        best = Some((s, y - 1));
                    }
                    run_start = None;
                }
                _ => {}
            }
        }
        if let Some((a, b)) = best.filter(|(a, b)| b - a >= 2) {
            cuts.push((a + b) / 2);
        }
    }
    cuts.push(h);
    cuts.windows(2).map(|c| (c[0], c[1])).collect()
}

impl OcrEngine for TesseractOcr {
    fn recognize(&self, image: &RgbImage, dpi: f32) -> Result<Vec<OcrWord>, OcrError> {
        let bands = bands(image, self.engines.len());
        if bands.len() == 1 {
            return self.read_band(0, image, dpi);
        }
        let results: Vec<Result<Vec<OcrWord>, OcrError>> = std::thread::scope(|scope| {
            let handles: Vec<_> = bands
                .iter()
                .enumerate()
                .map(|(k, &(y0, y1))| {
                    scope.spawn(move || {
                        let band = image::imageops::crop_imm(image, 0, y0, image.width(), y1 - y0).to_image();
                        self.read_band(k, &band, dpi)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|_| Err(OcrError("OCR thread panicked".into()))))
                .collect()
        });
        let mut words = Vec::new();
        for ((y0, _), result) in bands.iter().zip(results) {
            // Line numbers stay unique across bands.
            let offset = words.iter().map(|w: &OcrWord| w.line + 1).max().unwrap_or(0);
            for mut w in result? {
                w.bbox[1] += *y0 as f32;
                w.bbox[3] += *y0 as f32;
                w.line += offset;
                words.push(w);
            }
        }
        Ok(words)
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
    fn tall_pages_are_cut_between_lines() {
        // Text lines (dark bars) every 100 rows, 40 rows tall; blank rows between them.
        let page =
            RgbImage::from_fn(
                300,
                2000,
                |_, y| if y % 100 < 40 { image::Rgb([0, 0, 0]) } else { image::Rgb([255; 3]) },
            );
        let cut = bands(&page, 2);
        assert_eq!(cut.len(), 2);
        let y = cut[0].1;
        assert!(y % 100 >= 40, "cut at {y} runs through a line");
        assert_eq!((cut[0].0, cut[1].1), (0, 2000));
        assert_eq!(bands(&RgbImage::new(300, 800), 2), vec![(0, 800)], "short pages stay whole");
    }

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
