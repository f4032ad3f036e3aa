//! PP-OCRv6 small (PaddleOCR, Apache-2.0) through ONNX Runtime: text lines found by the DB
//! detector, each cut out level and read by the CTC recogniser, one model for Chinese and
//! English. Models from the pinned `rapidocr==3.10.0` wheel (`scripts/setup.sh`), checked
//! against their sha256 when the engine is made; sessions are built when a page first needs
//! them. The line classifier (0°/180°) is not used: it flips good lines (see
//! `../shared/notes/models.md`); page orientation is decided per page instead.

pub mod detect;
pub mod recognize;

use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use clinex_layout_model::ModelError;
use clinex_layout_model::registry::{self, OCR_DETECTION, OCR_RECOGNITION};
use clinex_layout_model::runtime::{self, ModelPaths, SessionOptions};
use extractor::ocr::{OcrEngine, OcrError, OcrWord};
use image::RgbImage;
use ort::session::Session;
use ort::value::TensorRef;

use detect::RotatedBox;

/// Lines read with a lower mean probability are dropped (the reference's `text_score`).
const MIN_LINE_SCORE: f32 = 0.5;
/// Crops per recogniser run, narrowest first so that little padding is wasted. 6 held 56 MB
/// more at the peak on the RCUK guideline and was no faster than 3.
const BATCH: usize = 3;
/// Share of a detected line box's height that the letters fill: the detector's boxes carry a
/// margin (PP-OCR's training boxes are loose) and overlap the next line's by about 15 % at normal
/// leading, which would merge lines; measured on phototest (box 60 px, line pitch 52 px).
const LETTER_HEIGHT: f32 = 0.7;
/// Small crops (a table cell, a flowchart label) are enlarged to at least this for detection.
const DET_MIN_SIDE: u32 = 736;

/// Rows of the detector's input run at once: its memory grows with the input's area, and a
/// whole page at 1600 px needed about 400 MB, so a taller shrunk input runs in bands this high
/// (`make eval-ocr`: CER within 0.3 points of the whole page, see eval/ocr.md).
const BAND_ROWS: usize = 384;
/// Rows each band reads beyond the rows it keeps, so that no kept row sits near a cut (a line of
/// text is at most about 40 rows high at the detector's scale, and the detector looks further
/// around: with 64 rows an arrow's junction on the generated raster flowchart was read as "中").
const BAND_MARGIN: usize = 96;

/// The PP-OCR engine.
pub struct PpOcr {
    library: PathBuf,
    det_path: PathBuf,
    rec_path: PathBuf,
    threads: usize,
    det_max_side: u32,
    models: OnceLock<Result<Models, String>>,
}

struct Models {
    det: Mutex<Session>,
    rec: Mutex<Session>,
    dictionary: Vec<char>,
}

impl PpOcr {
    /// Finds both models and checks their sha256. `det_max_side` caps the longer side of the
    /// image the detector sees (pixels): detection time grows with its square.
    pub fn load(paths: &ModelPaths, threads: usize, det_max_side: u32) -> Result<Self, ModelError> {
        Ok(Self {
            library: paths.onnxruntime.clone(),
            det_path: registry::locate(&paths.models, &OCR_DETECTION)?,
            rec_path: registry::locate(&paths.models, &OCR_RECOGNITION)?,
            threads: threads.max(1),
            det_max_side: det_max_side.max(320),
            models: OnceLock::new(),
        })
    }

    fn models(&self) -> Result<&Models, OcrError> {
        let built = self.models.get_or_init(|| {
            // (Without the CPU arena and the memory pattern ONNX Runtime returns a large page's
            // memory instead of keeping the largest ever seen. Measured for the detector on
            // linn.pdf, one scanned page: peak 884 to 608 MB, but 2.82 to 3.04 s, and a dense
            // Chinese page 2.29 to 2.54 s, past the 2 s a page may take: the defaults stay.)
            let session = |path: &PathBuf| runtime::session(&self.library, path, SessionOptions::threads(self.threads));
            let build = || -> Result<Models, ModelError> {
                let rec = session(&self.rec_path)?;
                let characters = rec
                    .metadata()?
                    .custom("character")
                    .ok_or_else(|| ModelError::Outputs("the recogniser has no `character` metadata".into()))?;
                let dictionary = recognize::dictionary(&characters);
                Ok(Models { det: Mutex::new(session(&self.det_path)?), rec: Mutex::new(rec), dictionary })
            };
            build().map_err(|e| e.to_string())
        });
        built.as_ref().map_err(|e| OcrError(format!("PP-OCR: {e}")))
    }

    /// Text line boxes on the image, in reading order, with their detection scores. A long
    /// strip (a tall flowchart) would be shrunk until its text vanished: it is read in
    /// overlapping tiles along its length instead, each line kept from the tile that holds it
    /// away from the cut.
    pub fn detect(&self, image: &RgbImage) -> Result<Vec<(RotatedBox, f32)>, OcrError> {
        let (w, h) = image.dimensions();
        let tile = w.min(h).max(self.det_max_side);
        if w.max(h) <= 2 * w.min(h) || w.max(h) <= self.det_max_side {
            return self.detect_whole(image);
        }
        let tall = h > w;
        let (long, overlap) = (w.max(h), tile / 8);
        let mut out = Vec::new();
        let mut start = 0u32;
        loop {
            let end = (start + tile).min(long);
            let part = if tall {
                image::imageops::crop_imm(image, 0, start, w, end - start).to_image()
            } else {
                image::imageops::crop_imm(image, start, 0, end - start, h).to_image()
            };
            let (keep_from, keep_to) = (
                if start == 0 { 0.0 } else { (start + overlap / 2) as f32 },
                if end == long { f32::MAX } else { (end - overlap / 2) as f32 },
            );
            for (mut b, score) in self.detect_whole(&part)? {
                if tall {
                    b.centre.1 += start as f32;
                } else {
                    b.centre.0 += start as f32;
                }
                let along = if tall { b.centre.1 } else { b.centre.0 };
                if along >= keep_from && along < keep_to {
                    out.push((b, score));
                }
            }
            if end == long {
                break;
            }
            start = end - overlap;
        }
        detect::sort_reading(&mut out);
        Ok(out)
    }

    fn detect_whole(&self, image: &RgbImage) -> Result<Vec<(RotatedBox, f32)>, OcrError> {
        let models = self.models()?;
        let (input, size) = detect::preprocess(image, self.det_max_side, DET_MIN_SIDE);
        let mut det = models.det.lock().map_err(|_| OcrError("PP-OCR session poisoned".into()))?;
        // Only a shrunk image is cut: its text is small at the detector's scale. An enlarged one
        // (a label, a cell) may hold letters taller than any margin.
        let shrunk = u64::from(size.0) * u64::from(size.1) < u64::from(image.width()) * u64::from(image.height());
        let band_rows = if shrunk { BAND_ROWS } else { usize::MAX };
        let mut prob = Vec::with_capacity((size.0 * size.1) as usize);
        for band in detect::bands(size.1 as usize, band_rows, BAND_MARGIN) {
            let part = input.slice(ndarray::s![.., .., band.from..band.to, ..]);
            let map = run_detector(&mut det, part)?;
            let width = size.0 as usize;
            if map.len() != width * (band.to - band.from) {
                return Err(OcrError(format!("PP-OCR detection: {} values for a {size:?} input", map.len())));
            }
            prob.extend_from_slice(&map[(band.keep_from - band.from) * width..(band.keep_to - band.from) * width]);
        }
        Ok(detect::text_boxes(&prob, size, image.dimensions()))
    }

    /// Reads line crops; for each, its characters and the crop's width in the model's input.
    pub fn read_lines(&self, crops: &[RgbImage]) -> Result<Vec<(Vec<recognize::ReadChar>, u32)>, OcrError> {
        let models = self.models()?;
        let err = |e: ort::Error| OcrError(format!("PP-OCR recognition: {e}"));
        let mut order: Vec<usize> = (0..crops.len()).collect();
        let ratio = |c: &RgbImage| c.width() as f32 / c.height().max(1) as f32;
        order.sort_by(|&a, &b| ratio(&crops[a]).total_cmp(&ratio(&crops[b])));
        let mut out = vec![(Vec::new(), 0); crops.len()];
        let mut rec = models.rec.lock().map_err(|_| OcrError("PP-OCR session poisoned".into()))?;
        for batch in order.chunks(BATCH) {
            let images: Vec<&RgbImage> = batch.iter().map(|&i| &crops[i]).collect();
            let (input, widths) = recognize::batch_input(&images);
            tracing::debug!(shape = ?input.shape(), "PP-OCR recognition batch");
            let outputs =
                rec.run(ort::inputs!["x" => TensorRef::from_array_view(&input).map_err(err)?]).map_err(err)?;
            let probs = outputs[0].try_extract_array::<f32>().map_err(err)?;
            let probs = probs
                .into_dimensionality::<ndarray::Ix3>()
                .map_err(|e| OcrError(format!("PP-OCR recognition output: {e}")))?;
            for (k, &i) in batch.iter().enumerate() {
                out[i] = (recognize::decode(probs.view(), k, &models.dictionary), widths[k]);
            }
        }
        Ok(out)
    }
}

/// The detector's probability map for one input, row-major.
fn run_detector(det: &mut Session, input: ndarray::ArrayView4<'_, f32>) -> Result<Vec<f32>, OcrError> {
    let err = |e: ort::Error| OcrError(format!("PP-OCR detection: {e}"));
    let input = input.as_standard_layout();
    let outputs = det.run(ort::inputs!["x" => TensorRef::from_array_view(&input).map_err(err)?]).map_err(err)?;
    let prob = outputs[0].try_extract_array::<f32>().map_err(err)?;
    Ok(prob.iter().copied().collect())
}

impl OcrEngine for PpOcr {
    fn recognize(&self, image: &RgbImage, _dpi: f32) -> Result<Vec<OcrWord>, OcrError> {
        let started = std::time::Instant::now();
        let boxes = self.detect(image)?;
        let detected = started.elapsed();
        let crops: Vec<RgbImage> = boxes.iter().map(|(b, _)| detect::crop(image, b)).collect();
        let lines = self.read_lines(&crops)?;
        let det_ms = detected.as_millis() as u64;
        let rec_ms = (started.elapsed() - detected).as_millis() as u64;
        tracing::debug!(lines = boxes.len(), det_ms, rec_ms, "PP-OCR");
        let mut words = Vec::new();
        for (line, (((b, _), (chars, scaled_width)), crop)) in boxes.iter().zip(&lines).zip(&crops).enumerate() {
            if recognize::line_score(chars) < MIN_LINE_SCORE {
                continue;
            }
            tracing::trace!(?b, text = %chars.iter().map(|c| c.ch).collect::<String>(), "line");
            let placed = line_words(b, chars, *scaled_width, detect::ink_span(crop), line as u32);
            tracing::trace!(?placed, "words");
            words.extend(placed);
        }
        Ok(words)
    }

    fn name(&self) -> String {
        "pp-ocrv6-small".into()
    }
}

/// A read line's words placed along its box: each word's share of the crop's width mapped onto
/// the box's top and bottom edges. A vertical line (read turned) is one word over its box.
fn line_words(
    b: &RotatedBox,
    chars: &[recognize::ReadChar],
    scaled_width: u32,
    ink: (f32, f32),
    line: u32,
) -> Vec<OcrWord> {
    if b.height >= 1.5 * b.width {
        let text: String = chars.iter().map(|c| c.ch).filter(|c| !c.is_whitespace()).collect();
        let confidence = recognize::line_score(chars) * 100.0;
        return vec![OcrWord { text, bbox: b.bounds(), confidence, line }];
    }
    let letters = RotatedBox { height: b.height * LETTER_HEIGHT, ..*b };
    let [tl, tr, br, bl] = letters.corners();
    let lerp = |p: (f32, f32), q: (f32, f32), t: f32| (p.0 + (q.0 - p.0) * t, p.1 + (q.1 - p.1) * t);
    recognize::words(chars, scaled_width, ink)
        .into_iter()
        .map(|(text, start, end, prob)| {
            let corners = [lerp(tl, tr, start), lerp(tl, tr, end), lerp(bl, br, end), lerp(bl, br, start)];
            let xs = corners.iter().map(|p| p.0);
            let ys = corners.iter().map(|p| p.1);
            let bbox = [
                xs.clone().fold(f32::MAX, f32::min),
                ys.clone().fold(f32::MAX, f32::min),
                xs.fold(f32::MIN, f32::max),
                ys.fold(f32::MIN, f32::max),
            ];
            OcrWord { text, bbox, confidence: prob * 100.0, line }
        })
        .collect()
}
