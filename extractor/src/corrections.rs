//! A curator's corrections to an extraction: operations on its tables, flowcharts and regions,
//! applied to a copy to make the next version. Each operation names what it changes by the ids
//! the extraction gives (`t1`, `f2`, `n3`, `p4-r5`), so a list of them is a readable record of
//! what a curator did. After the operations, what is derived from the tables and flowcharts
//! (recommendations, the triples' count) is worked out again, so the exports and the triples
//! follow the corrected version.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::model::{Cell, Edge, Extraction, NodeShape, RegionKind, Table};

/// One correction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Operation {
    /// A cell's text (the cell starting at `row`, `col`).
    SetCellText { table: String, row: u32, col: u32, text: String },
    /// The cells of the `rows` × `cols` block from `row`, `col` become one cell, holding their
    /// texts in reading order.
    MergeCells { table: String, row: u32, col: u32, rows: u32, cols: u32 },
    /// A spanning cell becomes single cells; its text stays in the first.
    SplitCell { table: String, row: u32, col: u32 },
    /// The first `rows` rows are the header, the others are not.
    SetHeaderRows { table: String, rows: u32 },
    /// A node's text and/or shape.
    SetNode {
        flowchart: String,
        node: String,
        #[serde(default)]
        text: Option<String>,
        #[serde(default)]
        shape: Option<NodeShape>,
    },
    /// A new edge (an existing one between the same nodes gets the label).
    AddEdge {
        flowchart: String,
        source: String,
        target: String,
        #[serde(default)]
        label: Option<String>,
    },
    /// Removes the edge from `source` to `target`.
    RemoveEdge { flowchart: String, source: String, target: String },
    /// The edge's label (`null` or "" removes it).
    SetEdgeLabel { flowchart: String, source: String, target: String, label: Option<String> },
    /// A region's kind. A table or flowchart region that becomes another kind loses its table or
    /// flowchart.
    SetRegionKind { region: String, kind: RegionKind },
    /// Removes a region and the table or flowchart it holds.
    DeleteRegion { region: String },
}

/// Why a list of corrections could not be applied (none of it is).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CorrectionError {
    #[error("operation {index}: no {what} `{id}`")]
    NotFound { index: usize, what: &'static str, id: String },
    #[error("operation {index}: {message}")]
    Invalid { index: usize, message: String },
    #[error("no operations")]
    Empty,
}

/// Applies `operations` in order to a copy of `doc`; all or nothing.
pub fn apply(doc: &Extraction, operations: &[Operation]) -> Result<Extraction, CorrectionError> {
    if operations.is_empty() {
        return Err(CorrectionError::Empty);
    }
    let mut out = doc.clone();
    for (index, op) in operations.iter().enumerate() {
        apply_one(&mut out, op).map_err(|e| e.at(index))?;
    }
    crate::pipeline::derive(&mut out);
    Ok(out)
}

/// An error before its operation's index is known.
enum Failure {
    NotFound(&'static str, String),
    Invalid(String),
}

impl Failure {
    fn at(self, index: usize) -> CorrectionError {
        match self {
            Self::NotFound(what, id) => CorrectionError::NotFound { index, what, id },
            Self::Invalid(message) => CorrectionError::Invalid { index, message },
        }
    }
}

fn apply_one(doc: &mut Extraction, op: &Operation) -> Result<(), Failure> {
    match op {
        Operation::SetCellText { table, row, col, text } => {
            cell_at(table_mut(doc, table)?, *row, *col)?.text = text.trim().to_string();
        }
        Operation::MergeCells { table, row, col, rows, cols } => {
            merge(table_mut(doc, table)?, *row, *col, *rows, *cols)?
        }
        Operation::SplitCell { table, row, col } => split(table_mut(doc, table)?, *row, *col)?,
        Operation::SetHeaderRows { table, rows } => {
            let table = table_mut(doc, table)?;
            for cell in &mut table.cells {
                cell.header = cell.row < *rows;
            }
        }
        Operation::SetNode { flowchart, node, text, shape } => {
            let chart = doc
                .flowcharts
                .iter_mut()
                .find(|f| &f.id == flowchart)
                .ok_or_else(|| Failure::NotFound("flowchart", flowchart.clone()))?;
            let node = chart
                .nodes
                .iter_mut()
                .find(|n| &n.id == node)
                .ok_or_else(|| Failure::NotFound("node", node.clone()))?;
            if let Some(text) = text {
                node.text = text.trim().to_string();
            }
            if let Some(shape) = shape {
                node.shape = *shape;
            }
        }
        Operation::AddEdge { flowchart, source, target, label } => {
            let chart = flowchart_mut(doc, flowchart)?;
            for id in [source, target] {
                if !chart.nodes.iter().any(|n| &n.id == id) {
                    return Err(Failure::NotFound("node", id.clone()));
                }
            }
            if source == target {
                return Err(Failure::Invalid(format!("an edge from `{source}` to itself")));
            }
            let label = clean_label(label.as_deref());
            match chart.edges.iter_mut().find(|e| &e.source == source && &e.target == target) {
                Some(edge) => edge.label = label,
                None => chart.edges.push(Edge { source: source.clone(), target: target.clone(), label }),
            }
        }
        Operation::RemoveEdge { flowchart, source, target } => {
            let chart = flowchart_mut(doc, flowchart)?;
            let before = chart.edges.len();
            chart.edges.retain(|e| !(&e.source == source && &e.target == target));
            if chart.edges.len() == before {
                return Err(Failure::NotFound("edge", format!("{source} → {target}")));
            }
        }
        Operation::SetEdgeLabel { flowchart, source, target, label } => {
            let chart = flowchart_mut(doc, flowchart)?;
            let edge = chart
                .edges
                .iter_mut()
                .find(|e| &e.source == source && &e.target == target)
                .ok_or_else(|| Failure::NotFound("edge", format!("{source} → {target}")))?;
            edge.label = clean_label(label.as_deref());
        }
        Operation::SetRegionKind { region, kind } => {
            let found = region_mut(doc, region)?;
            let before = found.kind;
            found.kind = *kind;
            if before != *kind {
                drop_contents(doc, region, *kind);
            }
        }
        Operation::DeleteRegion { region } => {
            region_mut(doc, region)?;
            for page in &mut doc.pages {
                page.regions.retain(|r| &r.id != region);
            }
            drop_contents(doc, region, RegionKind::Text);
        }
    }
    Ok(())
}

fn clean_label(label: Option<&str>) -> Option<String> {
    label.map(str::trim).filter(|l| !l.is_empty()).map(str::to_string)
}

fn table_mut<'a>(doc: &'a mut Extraction, id: &str) -> Result<&'a mut Table, Failure> {
    doc.tables.iter_mut().find(|t| t.id == id).ok_or_else(|| Failure::NotFound("table", id.to_string()))
}

fn flowchart_mut<'a>(doc: &'a mut Extraction, id: &str) -> Result<&'a mut crate::model::Flowchart, Failure> {
    doc.flowcharts.iter_mut().find(|f| f.id == id).ok_or_else(|| Failure::NotFound("flowchart", id.to_string()))
}

fn region_mut<'a>(doc: &'a mut Extraction, id: &str) -> Result<&'a mut crate::model::Region, Failure> {
    doc.pages
        .iter_mut()
        .flat_map(|p| p.regions.iter_mut())
        .find(|r| r.id == id)
        .ok_or_else(|| Failure::NotFound("region", id.to_string()))
}

fn cell_at(table: &mut Table, row: u32, col: u32) -> Result<&mut Cell, Failure> {
    let id = table.id.clone();
    table
        .cells
        .iter_mut()
        .find(|c| c.row == row && c.col == col)
        .ok_or_else(|| Failure::NotFound("cell", format!("{id} row {row} column {col}")))
}

/// A table or flowchart held by `region` goes when the region is no longer of its kind; what
/// continued a dropped table piece no longer does.
fn drop_contents(doc: &mut Extraction, region: &str, kind: RegionKind) {
    let holds = |r: &Option<String>| r.as_deref() == Some(region);
    if kind != RegionKind::Table {
        let dropped: HashSet<String> = doc.tables.iter().filter(|t| holds(&t.region)).map(|t| t.id.clone()).collect();
        doc.tables.retain(|t| !dropped.contains(&t.id));
        for table in &mut doc.tables {
            if table.continues.as_ref().is_some_and(|c| dropped.contains(c)) {
                table.continues = None;
            }
        }
    }
    if kind != RegionKind::Flowchart {
        doc.flowcharts.retain(|f| !holds(&f.region));
    }
}

fn merge(table: &mut Table, row: u32, col: u32, rows: u32, cols: u32) -> Result<(), Failure> {
    if rows == 0 || cols == 0 || row + rows > table.n_rows || col + cols > table.n_cols {
        return Err(Failure::Invalid(format!(
            "a {rows} × {cols} block at row {row} column {col} is outside the {} × {} table",
            table.n_rows, table.n_cols
        )));
    }
    let inside = |c: &Cell| c.row >= row && c.col >= col && c.row < row + rows && c.col < col + cols;
    let sticks_out = |c: &Cell| c.row + c.row_span > row + rows || c.col + c.col_span > col + cols;
    let mut members: Vec<Cell> = table.cells.iter().filter(|c| inside(c)).cloned().collect();
    if members.iter().any(sticks_out) || !members.iter().any(|c| c.row == row && c.col == col) {
        return Err(Failure::Invalid("the block cuts through a spanning cell".into()));
    }
    let covers_from_outside = table.cells.iter().any(|c| {
        !inside(c) && c.row < row + rows && c.row + c.row_span > row && c.col < col + cols && c.col + c.col_span > col
    });
    if covers_from_outside {
        return Err(Failure::Invalid("the block cuts through a spanning cell".into()));
    }
    members.sort_by_key(|c| (c.row, c.col));
    let text = members.iter().map(|c| c.text.trim()).filter(|t| !t.is_empty()).collect::<Vec<_>>().join(" ");
    let bbox = members.iter().skip(1).fold(members[0].bbox, |b, c| b.union(&c.bbox));
    let header = members.iter().all(|c| c.header);
    table.cells.retain(|c| !inside(c));
    table.cells.push(Cell { row, col, row_span: rows, col_span: cols, text, header, bbox });
    table.cells.sort_by_key(|c| (c.row, c.col));
    Ok(())
}

fn split(table: &mut Table, row: u32, col: u32) -> Result<(), Failure> {
    let cell = cell_at(table, row, col)?.clone();
    if cell.row_span == 1 && cell.col_span == 1 {
        return Err(Failure::Invalid(format!("the cell at row {row} column {col} spans nothing")));
    }
    let (w, h) = (cell.bbox.width() / cell.col_span as f32, cell.bbox.height() / cell.row_span as f32);
    table.cells.retain(|c| !(c.row == row && c.col == col));
    for r in 0..cell.row_span {
        for k in 0..cell.col_span {
            let x0 = cell.bbox.x0 + k as f32 * w;
            let y0 = cell.bbox.y0 + r as f32 * h;
            table.cells.push(Cell {
                row: row + r,
                col: col + k,
                row_span: 1,
                col_span: 1,
                text: if r == 0 && k == 0 { cell.text.clone() } else { String::new() },
                header: cell.header,
                bbox: crate::geometry::BBox::new(x0, y0, x0 + w, y0 + h),
            });
        }
    }
    table.cells.sort_by_key(|c| (c.row, c.col));
    Ok(())
}

#[cfg(test)]
mod tests;
