//! Scans: pages without a text layer are read by OCR (PP-OCRv6 by default, Tesseract, or both
//! routed by script), from scanned PDFs and from image files, and flow through the same text
//! model as born-digital pages.

use clinex_tests::{backend, engines, ocr, shared_dir, tesseract};
use extractor::model::RegionSource;
use extractor::ocr::OcrEngine;
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

#[test]
fn a_page_scanned_upside_down_is_read_once_the_right_way_up() {
    let bytes = std::fs::read(ocr_data("tesseract/testing/phototest-rotated-180.png")).unwrap();
    let image = image::load_from_memory(&bytes).unwrap().to_rgb8();
    assert_eq!(ocr().orientation(&image), Some(180), "the orientation model sees it upside down");
    let doc = extract_with(&bytes, &Options::default(), engines()).unwrap();
    let truth = std::fs::read_to_string(ocr_data("tesseract/testing/phototest.gold.txt")).unwrap();
    assert_eq!(doc.pages[0].rotation, 180);
    assert_eq!(collapse(&doc.pages[0].text), collapse(&truth));
}

/// A born-digital Chinese guideline page rendered at 300 dpi as a scan reads back close to its
/// own text layer.
#[test]
fn a_chinese_guideline_page_scanned_reads_like_its_text_layer() {
    use extractor::pdf::{PdfBackend, RenderSize};
    let path = shared_dir().join("data/clinical/zh_pain/knowledge_base/raw/consensus/癌症相关性疼痛.pdf");
    let pdf = std::fs::read(&path).unwrap();
    let only = |n: u32| Options { pages: Some(n.to_string().parse().unwrap()), ..Options::default() };
    let born_digital = extract_with(&pdf, &only(2), engines()).unwrap();
    let opened = backend().open(&pdf, None).unwrap();
    let raw = opened.page(1, None).unwrap();
    let size = RenderSize { width: (raw.width * 300.0 / 72.0) as u32, height: (raw.height * 300.0 / 72.0) as u32 };
    let image = opened.page(1, Some(size)).unwrap().image.unwrap();
    let mut png = Vec::new();
    image.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
    let scan = extract_with(&png, &Options::default(), engines()).unwrap();
    assert!(scan.pages[0].scanned);
    let (t, f) = (collapse(&born_digital.pages[0].text), collapse(&scan.pages[0].text));
    assert!(t.chars().count() > 1000, "a full page of text");
    let cer = strsim::levenshtein(&t, &f) as f64 / t.chars().count() as f64;
    assert!(cer < 0.05, "character error rate {cer:.3}");
}

#[test]
fn tesseract_reads_english_and_the_script_router_sends_chinese_to_pp_ocr() {
    let photo = image::open(ocr_data("tesseract/testing/phototest.tif")).unwrap().to_rgb8();
    let words = tesseract().recognize(&photo, 300.0).unwrap();
    let text: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
    assert_eq!(text[..4], ["This", "is", "a", "lot"]);
    let router = clinex_ocr::ScriptRouter { latin: tesseract(), cjk: ocr() };
    let chinese = image::open(ocr_data("rapidocr_zh/python/tests/test_files/text_rec.jpg")).unwrap().to_rgb8();
    let read: String = router.recognize(&chinese, 300.0).unwrap().iter().map(|w| w.text.as_str()).collect();
    assert_eq!(read, "韩国小馆");
    let english: Vec<String> = router.recognize(&photo, 300.0).unwrap().into_iter().map(|w| w.text).collect();
    assert_eq!(english[..4], ["This", "is", "a", "lot"], "an English page stays with Tesseract");
}

/// Text without its spaces: OCR may drop the narrow space in "5 mg".
fn bare(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A scanned guideline page (no text layer, skewed, speckled) in English and in Chinese: its
/// table comes out cell for cell, and its flowchart as a graph with every step, edge and label.
#[test]
fn a_scanned_guideline_page_yields_its_table_and_flowchart() {
    for lang in ["en", "zh"] {
        let name = format!("scanned_guideline_{lang}");
        let truth: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(clinex_tests::corpus_dir().join(format!("{name}.truth.json"))).unwrap(),
        )
        .unwrap();
        let doc =
            clinex_tests::extract_file_with_layout(&clinex_tests::corpus_dir().join(format!("{name}.pdf"))).unwrap();
        let page = &doc.pages[0];
        assert!(page.scanned, "{name}");
        let rows: Vec<Vec<String>> = serde_json::from_value(truth["tables"][0]["rows"].clone()).unwrap();
        assert_eq!(doc.tables.len(), 1, "{name}: one table");
        let table = &doc.tables[0];
        for (r, row) in rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                let cell = table.cells.iter().find(|k| k.row == r as u32 && k.col == c as u32);
                let found = cell.map(|k| bare(&k.text)).unwrap_or_default();
                assert_eq!(found, bare(text), "{name}: cell ({r}, {c})");
            }
        }
        let chart = page.regions.iter().find(|r| r.kind == extractor::model::RegionKind::Flowchart);
        let chart = chart.unwrap_or_else(|| panic!("{name}: no flowchart region"));
        for node in truth["flowcharts"][0]["nodes"].as_array().unwrap() {
            let label = bare(node["text"].as_str().unwrap());
            assert!(bare(&chart.text).contains(&label), "{name}: node {label} not in {:?}", chart.text);
        }
        // The graph from the scan's pixels: every step and every edge with its label.
        assert_eq!(doc.flowcharts.len(), 1, "{name}: one flowchart");
        let graph = &doc.flowcharts[0];
        assert!(graph.raster, "{name}: read from pixels");
        let text_of = |nodes: &[(String, String)], id: &str| {
            nodes.iter().find(|(i, _)| i == id).map(|(_, t)| bare(t)).unwrap_or_default()
        };
        let true_nodes: Vec<(String, String)> = truth["flowcharts"][0]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| (n["id"].as_str().unwrap().to_string(), n["text"].as_str().unwrap().to_string()))
            .collect();
        let found_nodes: Vec<(String, String)> = graph.nodes.iter().map(|n| (n.id.clone(), n.text.clone())).collect();
        let mut want: Vec<(String, String, String)> = truth["flowcharts"][0]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let label = e["label"].as_str().map(bare).unwrap_or_default();
                (
                    text_of(&true_nodes, e["source"].as_str().unwrap()),
                    text_of(&true_nodes, e["target"].as_str().unwrap()),
                    label,
                )
            })
            .collect();
        let mut got: Vec<(String, String, String)> = graph
            .edges
            .iter()
            .map(|e| {
                let label = e.label.as_deref().map(bare).unwrap_or_default();
                (text_of(&found_nodes, &e.source), text_of(&found_nodes, &e.target), label)
            })
            .collect();
        want.sort();
        got.sort();
        assert_eq!(got, want, "{name}: edges");
    }
}
