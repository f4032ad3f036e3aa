# clinex in a container: the same setup script as a developer machine, so the image holds the
# pinned PDFium and ONNX Runtime from their PyPI wheels and nothing fetched from elsewhere.
FROM rust:1.95-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-venv python3-pip unzip \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN bash scripts/setup.sh && cargo build --release --locked -p clinex-cli --bins

FROM debian:bookworm-slim
# libtesseract5 and its language data: the binary links libtesseract (the OCR engine).
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates fonts-dejavu-core fonts-wqy-microhei \
    libtesseract5 tesseract-ocr-eng tesseract-ocr-chi-sim tesseract-ocr-osd \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/target/release/clinex /usr/local/bin/clinex
# `clinex serve` becomes clinex-server, the server without native libraries, found beside clinex.
COPY --from=build /src/target/release/clinex-server /usr/local/bin/clinex-server
COPY --from=build /src/.deps/pdfium /opt/clinex/.deps/pdfium
COPY --from=build /src/.deps/onnxruntime /opt/clinex/.deps/onnxruntime
COPY --from=build /src/.deps/models /opt/clinex/.deps/models
ENV CLINEX_DEPS_DIR=/opt/clinex/.deps
ENTRYPOINT ["clinex"]
CMD ["--help"]
