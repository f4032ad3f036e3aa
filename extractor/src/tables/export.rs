//! Exports of one table: CSV (a spanning cell's text in its first slot, the slots it covers
//! empty) and HTML (with rowspan, colspan and `<th>` for header cells).

use crate::model::Table;

/// Tables with the pieces that continue them on later pages appended (rows renumbered; a
/// continuing piece's first row is dropped when it repeats the header).
pub fn merge_continued(tables: &[Table]) -> Vec<Table> {
    let mut out: Vec<Table> = Vec::new();
    // The ids of the pieces each output table is made of, so a third piece finds the first.
    let mut pieces: Vec<Vec<String>> = Vec::new();
    for t in tables {
        let into = t.continues.as_ref().and_then(|id| pieces.iter().position(|p| p.contains(id)));
        let Some(k) = into else {
            out.push(t.clone());
            pieces.push(vec![t.id.clone()]);
            continue;
        };
        let head = &mut out[k];
        let header: Vec<&str> = head.cells.iter().filter(|c| c.header).map(|c| c.text.as_str()).collect();
        let first: Vec<&str> = t.cells.iter().filter(|c| c.row == 0).map(|c| c.text.as_str()).collect();
        let skip = u32::from(!header.is_empty() && header == first);
        let offset = head.n_rows;
        head.cells.extend(t.cells.iter().filter(|c| c.row >= skip).map(|c| {
            let mut c = c.clone();
            c.row = c.row - skip + offset;
            c.header = false;
            c
        }));
        head.n_rows += t.n_rows - skip;
        head.n_cols = head.n_cols.max(t.n_cols);
        pieces[k].push(t.id.clone());
    }
    out
}

/// The table as CSV, one line per grid row.
pub fn to_csv(table: &Table) -> String {
    let (rows, cols) = (table.n_rows as usize, table.n_cols as usize);
    let mut grid = vec![vec![String::new(); cols]; rows];
    for c in &table.cells {
        if let Some(slot) = grid.get_mut(c.row as usize).and_then(|r| r.get_mut(c.col as usize)) {
            slot.clone_from(&c.text);
        }
    }
    let mut writer = csv::WriterBuilder::new().flexible(false).from_writer(Vec::new());
    for row in &grid {
        // Writing to memory cannot fail.
        let _ = writer.write_record(row);
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The table as an HTML `<table>` element.
pub fn to_html(table: &Table) -> String {
    let mut out = String::from("<table>\n");
    if let Some(caption) = &table.caption {
        out.push_str(&format!("<caption>{}</caption>\n", escape(caption)));
    }
    for row in 0..table.n_rows {
        out.push_str("<tr>");
        for c in table.cells.iter().filter(|c| c.row == row) {
            let tag = if c.header { "th" } else { "td" };
            out.push('<');
            out.push_str(tag);
            if c.row_span > 1 {
                out.push_str(&format!(" rowspan=\"{}\"", c.row_span));
            }
            if c.col_span > 1 {
                out.push_str(&format!(" colspan=\"{}\"", c.col_span));
            }
            out.push_str(&format!(">{}</{tag}>", escape(&c.text)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::BBox;
    use crate::model::Cell;

    fn cell(row: u32, col: u32, col_span: u32, text: &str, header: bool) -> Cell {
        Cell { row, col, row_span: 1, col_span, text: text.into(), header, bbox: BBox::new(0.0, 0.0, 1.0, 1.0) }
    }

    #[test]
    fn spans_survive_both_exports() {
        let table = Table {
            id: "t1".into(),
            page: 1,
            bbox: BBox::new(0.0, 0.0, 10.0, 10.0),
            caption: Some("Table 1. Doses <mg>".into()),
            continues: None,
            region: None,
            n_rows: 2,
            n_cols: 2,
            cells: vec![
                cell(0, 0, 2, "Dose, by age", true),
                cell(1, 0, 1, "Adult", false),
                cell(1, 1, 1, "0.5", false),
            ],
        };
        assert_eq!(to_csv(&table), "\"Dose, by age\",\nAdult,0.5\n");
        let html = to_html(&table);
        assert!(html.contains("<caption>Table 1. Doses &lt;mg&gt;</caption>"));
        assert!(html.contains("<th colspan=\"2\">Dose, by age</th>"));
        assert!(html.contains("<tr><td>Adult</td><td>0.5</td></tr>"));
    }

    #[test]
    fn continued_pieces_merge_and_a_repeated_header_is_dropped() {
        let piece = |id: &str, continues: Option<&str>, rows: &[&str]| Table {
            id: id.into(),
            page: 1,
            bbox: BBox::new(0.0, 0.0, 10.0, 10.0),
            caption: None,
            continues: continues.map(Into::into),
            region: None,
            n_rows: rows.len() as u32,
            n_cols: 1,
            cells: rows.iter().enumerate().map(|(i, t)| cell(i as u32, 0, 1, t, i == 0)).collect(),
        };
        let tables = [
            piece("t1", None, &["Drug", "a"]),
            piece("t2", Some("t1"), &["Drug", "b"]),
            piece("t3", Some("t2"), &["c"]),
        ];
        let merged = merge_continued(&tables);
        assert_eq!(merged.len(), 1);
        assert_eq!(to_csv(&merged[0]), "Drug\na\nb\nc\n");
    }
}
