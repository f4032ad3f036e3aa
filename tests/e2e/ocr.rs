//! Scans: pages without a text layer are read by OCR (Tesseract), from scanned PDFs and from
//! image files, and flow through the same text model as born-digital pages.

use clinex_tests::{engines, shared_dir};
use extractor::model::RegionSource;
use extractor::{Options, extract_with};

fn ocr_data(path: &str) -> std::path::PathBuf {
    shared_dir().join("data/ocr").join(path)
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_scanned_pdf_page_is_read_by_ocr() {
    let bytes = std::fs::read(ocr_data("ocrmypdf/tests/resources/linn.pdf")).unwrap();
    let doc = extract_with(&bytes, &Options::default(), engines()).unwrap();
    let page = &doc.pages[0];
    assert!(page.scanned);
    assert!(page.regions.iter().any(|r| r.source == RegionSource::Ocr));
    let truth = std::fs::read_to_string(ocr_data("ocrmypdf/tests/resources/linn.txt")).unwrap();
    let (t, f) = (collapse(&truth), collapse(&page.text));
    let cer = strsim::levenshtein(&t, &f) as f64 / t.chars().count() as f64;
    assert!(cer < 0.03, "character error rate {cer:.3}");
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
}

#[test]
fn every_page_of_a_multipage_tiff_is_a_page() {
    let page = image::open(ocr_data("tesseract/testing/phototest.tif")).unwrap().to_luma8();
    let mut tiff = std::io::Cursor::new(Vec::new());
    let mut encoder = tiff::encoder::TiffEncoder::new(&mut tiff).unwrap();
    for _ in 0..2 {
        encoder.write_image::<tiff::encoder::colortype::Gray8>(page.width(), page.height(), page.as_raw()).unwrap();
    }
    let doc = extract_with(tiff.get_ref(), &Options::default(), engines()).unwrap();
    assert_eq!(doc.pages.len(), 2);
    for p in &doc.pages {
        assert!(p.scanned);
        assert!(collapse(&p.text).starts_with("This is a lot of 12 point text to test the ocr code"), "{}", p.text);
    }
}

#[test]
fn a_page_scanned_sideways_is_read_upright() {
    let bytes = std::fs::read(ocr_data("tesseract/testing/phototest-rotated-R.png")).unwrap();
    let doc = extract_with(&bytes, &Options::default(), engines()).unwrap();
    let page = &doc.pages[0];
    assert_eq!(page.rotation, 270, "turned a quarter counter-clockwise to read it");
    assert!(page.width > page.height, "reported upright: landscape text page");
    let truth = std::fs::read_to_string(ocr_data("tesseract/testing/phototest.gold.txt")).unwrap();
    assert_eq!(collapse(&page.text), collapse(&truth));
}
