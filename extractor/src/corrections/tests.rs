use super::*;
use crate::geometry::BBox;
use crate::model::{Page, Region, RegionSource};
use crate::testing::fixtures::{cell, chart, edge, extraction, node, table};

fn region(id: &str, kind: RegionKind) -> Region {
    Region {
        id: id.into(),
        kind,
        bbox: BBox::new(0.0, 0.0, 1.0, 1.0),
        confidence: 0.9,
        text: String::new(),
        source: RegionSource::Model,
        order: 0,
        font_size: None,
        lines: 1,
        caption_of: None,
        figure_type: None,
    }
}

fn doc() -> Extraction {
    let mut t1 = table(
        "t1",
        "Table 1. Doses",
        vec![
            cell(0, 0, "Drug", true),
            cell(0, 1, "Dose", true),
            cell(1, 0, "Adrenaline", false),
            cell(1, 1, "0.5 mg", false),
            cell(2, 0, "Hydrocortisone", false),
            cell(2, 1, "200 mg", false),
        ],
    );
    t1.region = Some("p1-r1".into());
    let mut f1 = chart(
        "Figure 1",
        vec![node("n1", "Anaphylaxis?", NodeShape::Decision), node("n2", "Adrenaline IM", NodeShape::Process)],
        vec![edge("n1", "n2", Some("Yes"))],
    );
    f1.region = Some("p1-r2".into());
    let page = Page {
        number: 1,
        width: 595.0,
        height: 842.0,
        rotation: 0,
        scanned: false,
        text: String::new(),
        regions: vec![region("p1-r1", RegionKind::Table), region("p1-r2", RegionKind::Flowchart)],
        unread: None,
    };
    extraction(vec![page], vec![t1], vec![f1])
}

fn ops(json: &str) -> Vec<Operation> {
    serde_json::from_str(json).unwrap()
}

fn text_at(doc: &Extraction, row: u32, col: u32) -> Option<String> {
    doc.tables[0].cells.iter().find(|c| c.row == row && c.col == col).map(|c| c.text.clone())
}

#[test]
fn a_cell_edit_reaches_the_triples() {
    let before = doc();
    let after =
        apply(&before, &ops(r#"[{"op":"set_cell_text","table":"t1","row":1,"col":1,"text":" 0.3 mg "}]"#)).unwrap();
    assert_eq!(text_at(&after, 1, 1).as_deref(), Some("0.3 mg"));
    assert_eq!(text_at(&before, 1, 1).as_deref(), Some("0.5 mg"), "the earlier version is untouched");
    let quads = crate::triples::build(&after);
    assert!(quads.iter().any(|q| q.object.to_string() == "\"0.3 mg\""));
    assert!(!quads.iter().any(|q| q.object.to_string() == "\"0.5 mg\""));
    assert_eq!(after.triples.as_ref().map(|t| t.count), Some(quads.len() as u64));
}

#[test]
fn merging_and_splitting_cells_keep_the_grid_whole() {
    let merged =
        apply(&doc(), &ops(r#"[{"op":"merge_cells","table":"t1","row":1,"col":0,"rows":2,"cols":1}]"#)).unwrap();
    let cell = merged.tables[0].cells.iter().find(|c| c.row == 1 && c.col == 0).unwrap();
    assert_eq!((cell.row_span, cell.text.as_str()), (2, "Adrenaline Hydrocortisone"));
    assert!(text_at(&merged, 2, 0).is_none(), "the covered cell is not listed again");
    let split = apply(&merged, &ops(r#"[{"op":"split_cell","table":"t1","row":1,"col":0}]"#)).unwrap();
    assert_eq!(text_at(&split, 1, 0).as_deref(), Some("Adrenaline Hydrocortisone"));
    assert_eq!(text_at(&split, 2, 0).as_deref(), Some(""));
    let cut = apply(&merged, &ops(r#"[{"op":"merge_cells","table":"t1","row":2,"col":0,"rows":1,"cols":2}]"#));
    assert!(matches!(cut, Err(CorrectionError::Invalid { index: 0, .. })), "{cut:?}");
}

#[test]
fn header_rows_are_set_by_count() {
    let after = apply(&doc(), &ops(r#"[{"op":"set_header_rows","table":"t1","rows":2}]"#)).unwrap();
    let headers: Vec<bool> = after.tables[0].cells.iter().map(|c| c.header).collect();
    assert_eq!(headers, [true, true, true, true, false, false]);
}

#[test]
fn flowchart_nodes_and_edges_are_corrected() {
    let after = apply(
        &doc(),
        &ops(r#"[{"op":"set_node","flowchart":"f1","node":"n2","text":"Adrenaline 0.5 mg IM","shape":"terminal"},
                {"op":"set_edge_label","flowchart":"f1","source":"n1","target":"n2","label":"YES"},
                {"op":"add_edge","flowchart":"f1","source":"n2","target":"n1"},
                {"op":"remove_edge","flowchart":"f1","source":"n2","target":"n1"}]"#),
    )
    .unwrap();
    let chart = &after.flowcharts[0];
    assert_eq!((chart.nodes[1].text.as_str(), chart.nodes[1].shape), ("Adrenaline 0.5 mg IM", NodeShape::Terminal));
    assert_eq!(chart.edges, [edge("n1", "n2", Some("YES"))]);
}

#[test]
fn a_region_of_another_kind_loses_its_table_and_a_deleted_one_its_chart() {
    let after = apply(
        &doc(),
        &ops(r#"[{"op":"set_region_kind","region":"p1-r1","kind":"figure"},{"op":"delete_region","region":"p1-r2"}]"#),
    )
    .unwrap();
    assert!(after.tables.is_empty() && after.flowcharts.is_empty());
    assert_eq!(after.pages[0].regions.len(), 1);
    assert_eq!(after.pages[0].regions[0].kind, RegionKind::Figure);
}

#[test]
fn a_bad_operation_applies_nothing_and_says_which() {
    let result = apply(
        &doc(),
        &ops(
            r#"[{"op":"set_cell_text","table":"t1","row":0,"col":0,"text":"x"},{"op":"remove_edge","flowchart":"f1","source":"n2","target":"n1"}]"#,
        ),
    );
    assert_eq!(result, Err(CorrectionError::NotFound { index: 1, what: "edge", id: "n2 → n1".into() }));
    assert_eq!(apply(&doc(), &[]), Err(CorrectionError::Empty));
    assert!(serde_json::from_str::<Vec<Operation>>(r#"[{"op":"paint","table":"t1"}]"#).is_err());
}
