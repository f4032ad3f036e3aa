//! Clinical wording read into concepts: grading systems of recommendations and evidence
//! (`grading`), grades, stages and classes of a disease (`normalize`), quantities with units
//! (`quantity`), and the recommendations a guideline makes, in graded table rows and in graded
//! statements in its text (`recommendations`, a pipeline stage whose output is the contract's
//! `recommendations`). The rules are documented in docs/triples.md.

pub mod grading;
pub mod normalize;
pub mod quantity;
mod recommendations;

pub use recommendations::find as find_recommendations;

use crate::model::Grade;
use crate::model::{Cell, Table};
use grading::{evidence_links, recommendation_links};
use normalize::{Reading, column_readings, column_readings_in};

/// The header text over each column: the header cells covering it, top to bottom, joined by " / ".
pub fn column_headers(table: &Table) -> Vec<String> {
    (0..table.n_cols)
        .map(|c| {
            let mut parts: Vec<(u32, &str)> = table
                .cells
                .iter()
                .filter(|k| k.header && k.col <= c && c < k.col + k.col_span.max(1) && !k.text.trim().is_empty())
                .map(|k| (k.row, k.text.trim()))
                .collect();
            parts.sort_by_key(|p| p.0);
            parts.dedup_by(|a, b| a.1 == b.1);
            let joined: Vec<&str> = parts.iter().map(|p| p.1).collect();
            if joined.is_empty() { format!("column {}", c + 1) } else { joined.join(" / ") }
        })
        .collect()
}

/// A table's data rows: each row number with its cells left to right (the first names the row).
pub fn data_rows(table: &Table) -> Vec<(u32, Vec<&Cell>)> {
    let mut rows: Vec<u32> = table.cells.iter().filter(|k| !k.header).map(|k| k.row).collect();
    rows.sort_unstable();
    rows.dedup();
    rows.into_iter()
        .map(|r| {
            let mut cells: Vec<&Cell> = table.cells.iter().filter(|k| k.row == r && !k.header).collect();
            cells.sort_by_key(|k| k.col);
            (r, cells)
        })
        .collect()
}

/// How a table's columns are read.
pub struct Columns {
    /// Each column's header path.
    pub headers: Vec<String>,
    /// How each column's values are read (empty: as text).
    pub readings: Vec<Vec<Reading>>,
    /// The unit each column's header states.
    pub units: Vec<Option<String>>,
    /// The column holding a recommendation's wording, when there is one.
    pub statement: Option<u32>,
}

/// A column holding the recommendation's wording.
fn is_statement_header(header: &str) -> bool {
    let h = header.to_lowercase();
    ["recommendation", "statement", "推荐意见", "推荐内容", "共识意见", "建议"].iter().any(|k| h.contains(k))
        && column_readings(header).is_empty()
}

/// How `table`'s columns are read, from their headers and, for bare "Class" or "Level", from
/// whether the table is about recommendations at all (caption and headers).
pub fn columns(table: &Table) -> Columns {
    let headers = column_headers(table);
    let context = format!("{} {}", table.caption.as_deref().unwrap_or(""), headers.join(" "));
    Columns {
        readings: headers.iter().map(|h| column_readings_in(h, &context)).collect(),
        units: headers.iter().map(|h| quantity::header_unit(h)).collect(),
        statement: headers.iter().position(|h| is_statement_header(h)).map(|c| c as u32),
        headers,
    }
}

/// The grading links of one cell under a header read as `readings`. A header naming two
/// gradings ("证据级别，推荐强度") holds both in each cell ("1a，A"), in the header's order.
pub fn grading_links(text: &str, readings: &[Reading]) -> Vec<Grade> {
    let read = |value: &str, reading: Reading| match reading {
        Reading::Recommendation { strength } => recommendation_links(value, strength),
        Reading::Evidence => evidence_links(value),
        Reading::Severity => Vec::new(),
    };
    let parts: Vec<&str> =
        text.split([',', '，', ';', '；', '/', '、']).map(str::trim).filter(|p| !p.is_empty()).collect();
    if readings.len() > 1 && parts.len() == readings.len() {
        return parts.iter().zip(readings).flat_map(|(p, r)| read(p, *r)).collect();
    }
    readings.iter().flat_map(|r| read(text, *r)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_two_grading_header_reads_both_parts() {
        let readings = column_readings("证据级别，推荐强度");
        let links: Vec<String> = grading_links("1a，A", &readings).into_iter().map(|l| l.concept).collect();
        assert_eq!(links, ["loe-1a", "grade-A"]);
        let links: Vec<String> = grading_links("Ⅱa，C", &readings).into_iter().map(|l| l.concept).collect();
        assert_eq!(links, ["loe-2a", "grade-C"]);
    }
}
