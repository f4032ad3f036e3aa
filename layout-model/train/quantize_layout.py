"""INT8 builds of the CDLA layout model, for comparison with the float model (not kept: see
bench/results/pipeline.md). Calibration uses the generated corpus's pages (rendered at 72 dpi
with pdftoppm into CALIB_DIR), never evaluation data.

Usage: quantize_layout.py MODEL CALIB_DIR OUT_DIR
Then: clinex eval layout --layout-model OUT_DIR/layout_cdla_<kind>.onnx --out /tmp/report.md
"""

import glob
import sys
from pathlib import Path

import numpy as np
from onnxruntime.quantization import (CalibrationDataReader, QuantFormat, QuantType, quantize_dynamic,
                                      quantize_static)
from onnxruntime.quantization.shape_inference import quant_pre_process
from PIL import Image

MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)


def prep(path):
    """The same input clinex builds: stretch to 608x800, BGR, ImageNet statistics, CHW."""
    img = Image.open(path).convert("RGB").resize((608, 800), Image.BILINEAR)
    a = np.asarray(img, dtype=np.float32)[:, :, ::-1] / 255.0
    return ((a - MEAN) / STD).transpose(2, 0, 1)[None].astype(np.float32)


class Pages(CalibrationDataReader):
    def __init__(self, folder):
        self.items = iter([{"image": prep(p)} for p in sorted(glob.glob(f"{folder}/*.png"))])

    def get_next(self):
        return next(self.items, None)


def main():
    model, calib, out = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    out.mkdir(parents=True, exist_ok=True)
    pre = out / "layout_pre.onnx"
    quant_pre_process(model, str(pre), skip_symbolic_shape=True)
    quantize_dynamic(str(pre), str(out / "layout_cdla_dynamic.onnx"), weight_type=QuantType.QUInt8)
    quantize_static(str(pre), str(out / "layout_cdla_qdq.onnx"), Pages(calib), quant_format=QuantFormat.QDQ,
                    activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8, per_channel=True)


if __name__ == "__main__":
    main()
