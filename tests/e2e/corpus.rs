//! The generated corpus against the ground truth its generator wrote, and against goldens.

use clinex_tests::{corpus_dir, extract_file, golden, schema_errors, squash};
use extractor::Options;
use serde_json::Value;

const DOCUMENTS: [&str; 4] = ["en_guideline", "two_column", "zh_guideline", "typesetting"];

fn truth(name: &str) -> Value {
    let path = corpus_dir().join(format!("{name}.truth.json"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect("truth file")).expect("truth is JSON")
}

/// Every block of the truth is found as one region with exactly its text, of its kind, and the
/// regions come in the truth's reading order.
#[test]
fn blocks_kinds_and_reading_order_match_the_truth() {
    let mut report = Vec::new();
    let (mut blocks, mut found, mut kinds_right, mut in_order) = (0, 0, 0, 0);
    for name in DOCUMENTS {
        let doc = extract_file(&corpus_dir().join(format!("{name}.pdf"))).expect("extracts");
        let truth = truth(name);
        let mut last_position: Option<(u32, u32)> = None;
        for block in truth["blocks"].as_array().unwrap() {
            blocks += 1;
            let page = block["page"].as_u64().unwrap() as u32;
            let text = squash(block["text"].as_str().unwrap());
            let kind = block["kind"].as_str().unwrap();
            let region = doc
                .pages
                .iter()
                .filter(|p| p.number == page)
                .flat_map(|p| &p.regions)
                .find(|r| squash(&r.text) == text);
            let Some(region) = region else {
                report.push(format!("{name} p{page}: missing {kind} {text:?}"));
                continue;
            };
            found += 1;
            if region.kind.as_str() == kind {
                kinds_right += 1;
            } else {
                report.push(format!("{name} p{page}: {text:?} is {} not {kind}", region.kind.as_str()));
            }
            let position = (page, region.order);
            if last_position.is_none_or(|last| position > last) {
                in_order += 1;
            } else {
                report.push(format!("{name} p{page}: {text:?} out of reading order"));
            }
            last_position = Some(position);
        }
    }
    println!("corpus blocks: {found}/{blocks} found, {kinds_right} kinds right, {in_order} in order");
    assert!(report.is_empty(), "{} problems:\n{}", report.len(), report.join("\n"));
}

#[test]
fn titles_come_from_metadata_or_layout() {
    for name in DOCUMENTS {
        let doc = extract_file(&corpus_dir().join(format!("{name}.pdf"))).unwrap();
        let expected = truth(name)["title"].as_str().map(str::to_string);
        assert_eq!(doc.source.title, expected, "{name}");
    }
}

#[test]
fn output_validates_against_the_contract_schema() {
    for name in DOCUMENTS {
        let doc = extract_file(&corpus_dir().join(format!("{name}.pdf"))).unwrap();
        let errors = schema_errors(&doc);
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        assert_eq!(doc.source.sha256.len(), 64);
    }
}

#[test]
fn rotated_page_is_measured_as_displayed() {
    let doc = extract_file(&corpus_dir().join("typesetting.pdf")).unwrap();
    let page = &doc.pages[1];
    assert_eq!(page.rotation, 90);
    assert!(page.width < page.height, "A4 shown portrait after /Rotate 90 of a landscape media box");
    for r in &page.regions {
        assert!(r.bbox.x1 <= page.width + 0.5 && r.bbox.y1 <= page.height + 0.5, "{:?} outside the page", r.bbox);
    }
}

#[test]
fn page_selection_extracts_only_those_pages() {
    let bytes = std::fs::read(corpus_dir().join("en_guideline.pdf")).unwrap();
    let options = Options { pages: Some("1,3".parse().unwrap()), ..Options::default() };
    let doc = extractor::extract(&bytes, &options, clinex_tests::backend()).unwrap();
    let numbers: Vec<u32> = doc.pages.iter().map(|p| p.number).collect();
    assert_eq!(numbers, [1, 3]);
    assert_eq!(doc.source.pages, 3);
}

#[test]
fn extraction_is_deterministic() {
    let path = corpus_dir().join("en_guideline.pdf");
    let a = serde_json::to_string(&extract_file(&path).unwrap()).unwrap();
    let b = serde_json::to_string(&extract_file(&path).unwrap()).unwrap();
    assert_eq!(a, b);
}

/// Vector flowcharts are found from the drawing alone, without the layout model.
#[test]
fn vector_flowcharts_are_found_without_the_model() {
    for name in ["en_guideline", "zh_guideline"] {
        let doc = extract_file(&corpus_dir().join(format!("{name}.pdf"))).unwrap();
        for chart in truth(name)["flowcharts"].as_array().unwrap() {
            let page = chart["page"].as_u64().unwrap() as u32;
            let regions = &doc.pages.iter().find(|p| p.number == page).unwrap().regions;
            let found = regions.iter().find(|r| r.kind == extractor::model::RegionKind::Flowchart);
            let found = found.unwrap_or_else(|| panic!("{name} p{page}: no flowchart region"));
            assert_eq!(found.source, extractor::model::RegionSource::Vector);
            for node in chart["nodes"].as_array().unwrap() {
                let text = squash(&node["text"].as_str().unwrap().replace('\n', " "));
                assert!(squash(&found.text).contains(&text), "{name}: node {text:?} inside the flowchart region");
            }
        }
    }
}

#[test]
fn goldens() {
    if let Err(e) = golden::check_corpus(&DOCUMENTS, &golden::regions(".txt"), extract_file) {
        panic!("{e}");
    }
}
