//! The layout model on the generated corpus: model-backed regions on every page, tables and
//! figures found where the generator drew them, captions kept out and linked.

use clinex_tests::{corpus_dir, extract_file_with_layout, schema_errors, squash};
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
    // A picture has no text layer: its labels come from OCR of the picture.
    for label in ["疼痛评分", "出院随访", "非药物"] {
        assert!(chart.text.replace(' ', "").contains(label), "{label} in {:?}", chart.text);
    }
    let caption = regions.iter().find(|r| r.kind == RegionKind::Caption).expect("a caption");
    assert_eq!(caption.caption_of.as_deref(), Some(chart.id.as_str()));
    assert_eq!(regions[0].kind, RegionKind::Heading);
}

/// Flowchart pages of real guidelines, drawn as vectors and embedded as pictures (colour-filled
/// posters, Chinese scans, a tree without boxes), and the figure pages that look most like them
/// (a severity scale of boxes, chemistry, a bar chart, a table of structures, a checklist form).
#[test]
fn real_flowchart_pages_are_told_from_other_figures() {
    let cases: [(&str, &[u32], &[u32]); 6] = [
        ("en_ed-handbook/docs/assets/emergency-treatment-anaphylaxis-2021.pdf", &[10, 11, 25, 36], &[14]),
        ("en_ed-handbook/docs/assets/Sepsis-Pathway_Adult_Sept-2025.pdf", &[1], &[2]),
        ("zh_pain/knowledge_base/raw/consensus/癌症相关性疼痛.pdf", &[5], &[]),
        ("zh_rehab/public/documents/阿尔茨海默病多元康复干预中国专家共识（2025）.pdf", &[4], &[5, 6]),
        ("zh_pain/knowledge_base/raw/guidelines/患者自控镇痛治疗癌痛专家共识2023.pdf", &[4, 5], &[2, 3]),
        ("medlit/cermine-web/src/main/resources/examples/example3.pdf", &[], &[2, 4, 5, 6, 7]),
    ];
    let clinical = clinex_tests::shared_dir().join("data/clinical");
    for (path, charts, others) in cases {
        let doc = extract_file_with_layout(&clinical.join(path)).unwrap();
        let has_chart = |n: u32| {
            doc.pages.iter().find(|p| p.number == n).unwrap().regions.iter().any(|r| r.kind == RegionKind::Flowchart)
        };
        for &n in charts {
            assert!(has_chart(n), "{path} p{n}: flowchart not found");
        }
        for &n in others {
            assert!(!has_chart(n), "{path} p{n}: not a flowchart");
        }
    }
}

/// The generated guideline's two tables come out cell for cell: a ruled table with a two-level
/// spanning header, and a booktabs table whose columns are found from whitespace alone.
#[test]
fn generated_tables_have_their_cells_and_spans() {
    let doc = extract_file_with_layout(&corpus_dir().join("en_guideline.pdf")).unwrap();
    assert_eq!(doc.tables.len(), 2, "{:?}", doc.tables.iter().map(|t| &t.caption).collect::<Vec<_>>());
    let ruled = &doc.tables[0];
    assert_eq!((ruled.n_rows, ruled.n_cols), (6, 3));
    let at = |t: &extractor::model::Table, r: u32, c: u32| {
        t.cells.iter().find(|x| x.row == r && x.col == c).map(|x| (x.text.clone(), x.row_span, x.col_span, x.header))
    };
    assert_eq!(at(ruled, 0, 0), Some(("Recommendation".into(), 2, 1, true)));
    assert_eq!(at(ruled, 0, 1), Some(("Evidence".into(), 1, 2, true)));
    assert_eq!(at(ruled, 1, 2), Some(("Level".into(), 1, 1, true)));
    assert_eq!(at(ruled, 3, 2), Some(("B-NR".into(), 1, 1, false)));
    let booktabs = &doc.tables[1];
    assert_eq!((booktabs.n_rows, booktabs.n_cols), (5, 3));
    assert_eq!(at(booktabs, 0, 2), Some(("Volume of 1 mg/mL".into(), 1, 1, true)));
    assert_eq!(at(booktabs, 3, 0), Some(("Child 6 months to 6 years".into(), 1, 1, false)));
    assert_eq!(at(booktabs, 4, 1), Some(("100 to 150 micrograms".into(), 1, 1, false)));
    assert!(booktabs.caption.as_deref().unwrap().starts_with("Table 2."));
    let csv = extractor::tables::to_csv(booktabs);
    assert!(csv.starts_with("Age group,Dose,Volume of 1 mg/mL\n"), "{csv}");
}
