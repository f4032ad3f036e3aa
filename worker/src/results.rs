//! One version's results, written to a scratch folder that the store then moves into place:
//! the contract JSON, the triples as N-Quads, and every page rendered as a PNG for the curator
//! page (the server never loads PDFium, so the pictures are made here).

use std::path::Path;

use clinex_store::layout::{page_picture, write_extraction};
use extractor::Extraction;
use extractor::pdf::{PdfBackend, RenderSize};
use image::ImageEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};

/// Resolution of the page pictures (A4 is 794 x 1123 pixels).
pub const PAGE_DPI: f32 = 96.0;

/// Writes `doc`'s results into `dir`; returns the number of triples. Pages that do not render
/// simply have no picture.
pub fn write(
    dir: &Path,
    doc: &Extraction,
    bytes: &[u8],
    password: Option<&str>,
    pdf: &dyn PdfBackend,
) -> std::io::Result<u64> {
    let triples = write_extraction(dir, doc)?;
    let kind = extractor::input::classify(bytes, None).map_err(std::io::Error::other)?;
    let opened = kind.backend(pdf).open(bytes, password).map_err(std::io::Error::other)?;
    for page in &doc.pages {
        let size = RenderSize::at_dpi((page.width, page.height), PAGE_DPI);
        let Ok(Some(image)) = opened.page(page.number - 1, Some(size)).map(|p| p.image) else { continue };
        let mut png = Vec::new();
        // Fast compression: pictures are for looking at, and every page of every document
        // gets one.
        PngEncoder::new_with_quality(&mut png, CompressionType::Fast, FilterType::Sub)
            .write_image(image.as_raw(), image.width(), image.height(), image::ExtendedColorType::Rgb8)
            .map_err(std::io::Error::other)?;
        std::fs::write(dir.join(page_picture(page.number)), png)?;
    }
    Ok(triples)
}
