//! The layout model on the generated corpus: model-backed regions on every page, tables and
//! figures found where the generator drew them, captions kept out and linked.

use clinex_tests::{corpus_dir, extract_file_with_layout, golden, schema_errors, squash};
use extractor::model::{RegionKind, RegionSource};
use serde_json::Value;

const DOCUMENTS: [&str; 3] = ["en_guideline", "two_column", "zh_guideline"];

fn truth(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(corpus_dir().join(format!("{name}.truth.json"))).unwrap()).unwrap()
}

#[test]
fn every_page_has_model_backed_regions() {
    for name in DOCUMENTS {
        let doc = extract_file_with_layout(&corpus_dir().join(format!("{name}.pdf"))).unwrap();
        assert_eq!(doc.source.layout_model.as_deref(), Some("picodet-lcnet-cdla"));
        for page in &doc.pages {
            let model = page.regions.iter().filter(|r| r.source == RegionSource::Model).count();
            assert!(
                model * 2 >= page.regions.len(),
                "{name} p{}: {model} of {} regions from the model",
                page.number,
                page.regions.len()
            );
            for r in &page.regions {
                assert!((0.0..=1.0).contains(&r.confidence), "{name}: confidence {}", r.confidence);
            }
        }
        assert!(schema_errors(&doc).is_empty(), "{name}: {:?}", schema_errors(&doc));
    }
}

#[test]
fn tables_and_figures_are_found_with_their_captions_linked() {
    for name in DOCUMENTS {
        let doc = extract_file_with_layout(&corpus_dir().join(format!("{name}.pdf"))).unwrap();
        let truth = truth(name);
        let wanted = [("tables", RegionKind::Table), ("flowcharts", RegionKind::Flowchart)];
        for (key, kind) in wanted {
            for item in truth[key].as_array().unwrap() {
                let page = item["page"].as_u64().unwrap() as u32;
                let caption = squash(item["caption"].as_str().unwrap());
                let regions = &doc.pages.iter().find(|p| p.number == page).unwrap().regions;
                let target = regions
                    .iter()
                    .find(|r| r.kind == kind)
                    .unwrap_or_else(|| panic!("{name} p{page}: no {kind:?} region"));
                let cap = regions
                    .iter()
                    .find(|r| squash(&r.text) == caption)
                    .unwrap_or_else(|| panic!("{name}: caption {caption:?}"));
                assert_eq!(cap.kind, RegionKind::Caption);
                assert_eq!(cap.caption_of.as_deref(), Some(target.id.as_str()), "{name}: {caption:?} linked");
                assert!(!target.text.contains(&caption), "{name}: caption kept out of the {kind:?} box");
            }
        }
    }
}

/// A flowchart embedded as a picture is found by the boxes drawn in it, and its caption linked.
#[test]
fn picture_flowchart_is_found() {
    let doc = extract_file_with_layout(&corpus_dir().join("raster_flowchart.pdf")).unwrap();
    let regions = &doc.pages[0].regions;
    let chart = regions.iter().find(|r| r.kind == RegionKind::Flowchart).expect("a flowchart region");
    assert_eq!(chart.source, RegionSource::Model);
    assert!(chart.text.is_empty(), "a picture has no text layer");
    let caption = regions.iter().find(|r| r.kind == RegionKind::Caption).expect("a caption");
    assert_eq!(caption.caption_of.as_deref(), Some(chart.id.as_str()));
    assert_eq!(regions[0].kind, RegionKind::Heading);
}

#[test]
fn layout_goldens() {
    if let Err(e) = golden::check_corpus(&DOCUMENTS, ".layout", extract_file_with_layout) {
        panic!("{e}");
    }
}
