//! [`PicoDetLayout`]: the CDLA layout model behind extractor's `LayoutDetector`.

use std::sync::Mutex;

use extractor::layout::{Detection, LayoutDetector, LayoutError};
use image::RgbImage;
use ort::session::Session;
use ort::value::TensorRef;

use crate::ModelError;
use crate::picodet::{self, DecodeConfig, HeadOutput, STRIDES};
use crate::registry::{self, LAYOUT_CDLA};
use crate::runtime::{self, ModelPaths, SessionOptions};

/// How to run the layout model.
#[derive(Debug, Clone, PartialEq)]
pub struct LayoutConfig {
    /// ONNX Runtime intra-op threads (1 leaves the other core to PDFium and OCR).
    pub threads: usize,
    pub decode: DecodeConfig,
    /// Another build of the CDLA model (for example an INT8-quantised one) instead of the pinned
    /// file; used as given, without the checksum.
    pub model: Option<std::path::PathBuf>,
}

impl Default for LayoutConfig {
    fn default() -> Self {
        Self { threads: 1, decode: DecodeConfig::default(), model: None }
    }
}

/// PP-PicoDet-LCNet on CDLA. The session is behind a mutex: `Session::run` needs `&mut`.
pub struct PicoDetLayout {
    session: Mutex<Session>,
    decode: DecodeConfig,
}

impl PicoDetLayout {
    /// Loads the pinned model from the models folder, verifying its sha256.
    pub fn load(paths: &ModelPaths, config: LayoutConfig) -> Result<Self, ModelError> {
        let path = match &config.model {
            Some(path) => path.clone(),
            None => registry::locate(&paths.models, &LAYOUT_CDLA)?,
        };
        let options =
            SessionOptions { threads: config.threads.max(1), optimise_fully: true, cuda: cfg!(feature = "cuda") };
        let session = runtime::session(&paths.onnxruntime, &path, options)?;
        if session.outputs().len() != 2 * STRIDES.len() {
            return Err(ModelError::Outputs(format!("expected 8 outputs, found {}", session.outputs().len())));
        }
        Ok(Self { session: Mutex::new(session), decode: config.decode })
    }
}

/// The stride whose grid has `anchors` cells.
fn stride_of(anchors: usize) -> Option<u32> {
    STRIDES.into_iter().find(|&s| (picodet::INPUT.0.div_ceil(s) * picodet::INPUT.1.div_ceil(s)) as usize == anchors)
}

impl LayoutDetector for PicoDetLayout {
    fn input_size(&self) -> (u32, u32) {
        picodet::INPUT
    }

    fn detect(&self, page: &RgbImage) -> Result<Vec<Detection>, LayoutError> {
        let input = picodet::preprocess(page);
        let tensor = TensorRef::from_array_view(&input).map_err(|e| LayoutError(e.to_string()))?;
        let mut session = self.session.lock().map_err(|_| LayoutError("layout session poisoned".into()))?;
        let outputs = session.run(ort::inputs![tensor]).map_err(|e| LayoutError(e.to_string()))?;
        // Outputs are told apart by shape: [1, anchors, classes] scores, [1, anchors, 32] bins.
        let mut scores: Vec<(u32, ndarray::Array2<f32>)> = Vec::new();
        let mut bins: Vec<(u32, ndarray::Array2<f32>)> = Vec::new();
        for (_, value) in outputs.iter() {
            let a = value.try_extract_array::<f32>().map_err(|e| LayoutError(e.to_string()))?;
            let shape = a.shape().to_vec();
            let (anchors, width) = (shape[shape.len() - 2], shape[shape.len() - 1]);
            let stride = stride_of(anchors).ok_or_else(|| LayoutError(format!("unexpected output shape {shape:?}")))?;
            let a = a.to_shape((anchors, width)).map_err(|e| LayoutError(e.to_string()))?.to_owned();
            if width == 32 { bins.push((stride, a)) } else { scores.push((stride, a)) }
        }
        let arrays: Vec<(u32, ndarray::Array2<f32>, ndarray::Array2<f32>)> = scores
            .into_iter()
            .filter_map(|(stride, s)| bins.iter().find(|(b, _)| *b == stride).map(|(_, d)| (stride, s, d.clone())))
            .collect();
        let heads: Vec<HeadOutput<'_>> = arrays
            .iter()
            .map(|(stride, s, d)| HeadOutput { stride: *stride, scores: s.view(), distances: d.view() })
            .collect();
        Ok(picodet::decode(&heads, page.dimensions(), &self.decode))
    }

    fn name(&self) -> &str {
        "picodet-lcnet-cdla"
    }
}
