//! Contract values for the stages' unit tests: every box is the unit square.

use crate::geometry::BBox;
use crate::model::{Cell, Edge, Extraction, Flowchart, Node, NodeShape, Page, Source, Table};

const UNIT: BBox = BBox { x0: 0.0, y0: 0.0, x1: 1.0, y1: 1.0 };

pub fn node(id: &str, text: &str, shape: NodeShape) -> Node {
    Node { id: id.into(), text: text.into(), shape, bbox: UNIT }
}

pub fn edge(source: &str, target: &str, label: Option<&str>) -> Edge {
    Edge { source: source.into(), target: target.into(), label: label.map(String::from) }
}

pub fn cell(row: u32, col: u32, text: &str, header: bool) -> Cell {
    Cell { row, col, row_span: 1, col_span: 1, text: text.into(), header, bbox: UNIT }
}

/// Flowchart `f1` on page 1.
pub fn chart(caption: &str, nodes: Vec<Node>, edges: Vec<Edge>) -> Flowchart {
    Flowchart {
        id: "f1".into(),
        page: 1,
        bbox: UNIT,
        caption: Some(caption.into()),
        raster: false,
        nodes,
        edges,
        region: None,
    }
}

/// A table on page 1, its size taken from its cells.
pub fn table(id: &str, caption: &str, cells: Vec<Cell>) -> Table {
    Table {
        id: id.into(),
        page: 1,
        bbox: UNIT,
        caption: Some(caption.into()),
        continues: None,
        region: None,
        n_rows: cells.iter().map(|c| c.row + 1).max().unwrap_or(0),
        n_cols: cells.iter().map(|c| c.col + 1).max().unwrap_or(0),
        cells,
    }
}

/// Whitespace runs collapsed to one space, ends trimmed.
pub fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A one-page document `g.pdf` ("Guideline", sha256 `ab12`) holding these pages, tables and
/// flowcharts, nothing derived yet.
pub fn extraction(pages: Vec<Page>, tables: Vec<Table>, flowcharts: Vec<Flowchart>) -> Extraction {
    Extraction {
        schema_version: "1".into(),
        source: Source {
            sha256: "ab12".into(),
            filename: Some("g.pdf".into()),
            pages: 1,
            title: Some("Guideline".into()),
            title_source: None,
            bytes: 10,
            pdf_version: None,
            layout_model: None,
        },
        pages,
        tables,
        flowcharts,
        recommendations: Vec::new(),
        triples: None,
        warnings: Vec::new(),
    }
}
