//! Table structure on generated documents whose tables are known cell for cell: tables continued
//! over pages, and pathological tables that must still finish in time.

use std::time::Duration;

use clinex_tests::{corpus_dir, engines, extract_file_with_layout};
use extractor::model::Table;
use extractor::tables::merge_continued;
use serde_json::Value;

fn truth(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(corpus_dir().join(format!("{name}.truth.json"))).unwrap()).unwrap()
}

/// The table's grid as rows of cell text (spanning cells in their first slot).
fn grid(t: &Table) -> Vec<Vec<String>> {
    let mut rows = vec![vec![String::new(); t.n_cols as usize]; t.n_rows as usize];
    for c in &t.cells {
        rows[c.row as usize][c.col as usize].clone_from(&c.text);
    }
    rows
}

#[test]
fn tables_continued_over_pages_are_linked_and_merged() {
    let doc = extract_file_with_layout(&corpus_dir().join("long_tables.pdf")).unwrap();
    let merged = merge_continued(&doc.tables);
    let truth = truth("long_tables");
    let expected = truth["tables"].as_array().unwrap();
    assert_eq!(
        merged.len(),
        expected.len(),
        "pieces: {:?}",
        doc.tables.iter().map(|t| (&t.id, t.page)).collect::<Vec<_>>()
    );
    for (table, want) in merged.iter().zip(expected) {
        let caption = want["caption"].as_str().unwrap();
        assert_eq!(table.caption.as_deref(), Some(caption));
        let mut rows: Vec<Vec<String>> = vec![serde_json::from_value(want["header"].clone()).unwrap()];
        rows.extend(serde_json::from_value::<Vec<Vec<String>>>(want["rows"].clone()).unwrap());
        assert_eq!(grid(table), rows, "{caption}");
        assert!(table.cells.iter().filter(|c| c.row == 0).all(|c| c.header), "{caption}: header row");
    }
    // The ruled table repeats its header on the next page; that row is dropped in the merge.
    let pieces: Vec<(u32, Option<&str>)> = doc.tables.iter().map(|t| (t.page, t.continues.as_deref())).collect();
    assert_eq!(pieces, [(1, None), (2, Some("t1")), (2, None), (3, Some("t3")), (3, None)]);
}

#[test]
fn pathological_tables_finish_in_time() {
    let bytes = std::fs::read(corpus_dir().join("pathological_tables.pdf")).unwrap();
    let options = extractor::Options { time_limit: Some(Duration::from_secs(60)), ..Default::default() };
    let doc = extractor::extract_with(&bytes, &options, engines()).expect("finishes within the time limit");
    assert_eq!(doc.pages.len(), 3);
    let on = |page: u32| doc.tables.iter().filter(|t| t.page == page).collect::<Vec<_>>();
    assert!(on(1).is_empty(), "a page of rules without text holds no table");
    let big = on(2);
    assert_eq!(big.len(), 1);
    assert_eq!((big[0].n_rows, big[0].n_cols, big[0].cells.len()), (100, 50, 5000));
    assert_eq!(grid(big[0])[99][49], "99.49");
    let segmented = on(3);
    assert_eq!(segmented.len(), 1);
    assert_eq!((segmented[0].n_rows, segmented[0].n_cols), (20, 5));
    assert_eq!(grid(segmented[0])[19][4], "R19 C4");
}

/// A table scanned as a picture, with an OCR text layer over it: the structure comes from the
/// table structure model (SLANet-plus), the text from the invisible layer.
#[test]
fn a_picture_table_gets_its_structure_from_the_model_and_its_text_from_the_layer() {
    let doc = extract_file_with_layout(&corpus_dir().join("raster_table.pdf")).unwrap();
    assert_eq!(doc.tables.len(), 1);
    let table = &doc.tables[0];
    let truth = truth("raster_table");
    let rows: Vec<Vec<String>> = serde_json::from_value(truth["tables"][0]["rows"].clone()).unwrap();
    assert_eq!(grid(table), rows);
    assert_eq!(table.caption.as_deref(), truth["tables"][0]["caption"].as_str());
    assert!(table.cells.iter().filter(|c| c.row == 0).all(|c| c.header));
}

/// A table pasted as a screenshot into a born-digital page: no text layer over it, so its cells
/// are read by OCR while the rest of the page keeps its text layer.
#[test]
fn a_pasted_table_picture_is_read_by_ocr() {
    let doc = extract_file_with_layout(&corpus_dir().join("picture_table.pdf")).unwrap();
    assert!(!doc.pages[0].scanned, "the page itself has a text layer");
    assert_eq!(doc.tables.len(), 1);
    let rows: Vec<Vec<String>> = serde_json::from_value(truth("picture_table")["tables"][0]["rows"].clone()).unwrap();
    assert_eq!(grid(&doc.tables[0]), rows);
}
