//! A table as `cx:Table` rows: each data row's subject is its first column, and every other
//! cell is a literal on a predicate per column, labelled with the column's header path
//! (spanning headers joined by " / "). On top of the text:
//! - a cell that is wholly a number or range with a unit also gets a typed `cx:Quantity`;
//! - a cell under a grading header links the row to the vocabulary's concepts, and such a row
//!   is a `cx:Recommendation`;
//! - a cell under a grade/stage/class header links to one concept per disease and degree.

use oxrdf::{Literal, NamedNode};

use super::grading::{Link, evidence_links, recommendation_links};
use super::normalize::{Reading, column_readings, column_readings_in, severity_degree, slug};
use super::{Found, Graph, cx, decimal, quantity};
use crate::model::{Cell, Table};

const METHOD: &str = "table structure";

/// The header text over each column: the header cells covering it, top to bottom, joined by " / ".
fn column_headers(table: &Table) -> Vec<String> {
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

/// A column holding the recommendation's wording, when it is not the row's first column.
fn is_statement_header(header: &str) -> bool {
    let h = header.to_lowercase();
    ["recommendation", "statement", "推荐意见", "推荐内容", "共识意见", "建议"].iter().any(|k| h.contains(k))
        && column_readings(header).is_empty()
}

/// The grading links of one cell under a header read as `readings`. A header naming two
/// gradings ("证据级别，推荐强度") holds both in each cell ("1a，A"), in the header's order.
fn grading_links(text: &str, readings: &[Reading]) -> Vec<Link> {
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

/// A caption without its number or the grading words: "Table 2. Pain grades" → "Pain",
/// "表2 疼痛分级" → "疼痛", so a disease's degrees are one concept whichever table gives them.
fn caption_subject(caption: &str) -> &str {
    let t = caption.trim();
    let lower = t.to_lowercase();
    let rest = if lower.starts_with("table") { &t[5..] } else { t.strip_prefix('表').unwrap_or(t) };
    let mut rest = rest
        .trim_start_matches(|c: char| c.is_ascii_digit() || c.is_whitespace() || matches!(c, '.' | ':' | '：' | '-'));
    for suffix in
        [" grades", " grading", " grade", " classification", " stages", " staging", "分级标准", "分级", "分期", "的"]
    {
        let cut = rest.len().saturating_sub(suffix.len());
        if rest.is_char_boundary(cut) && rest[cut..].eq_ignore_ascii_case(suffix) && cut > 0 {
            rest = rest[..cut].trim_end();
        }
    }
    rest
}

struct Columns {
    headers: Vec<String>,
    readings: Vec<Vec<Reading>>,
    units: Vec<Option<String>>,
    statement: Option<u32>,
}

pub(super) fn table(g: &mut Graph, table: &Table) {
    let doc = g.doc.clone();
    let t = NamedNode::new_unchecked(format!("{}/{}", doc.as_str(), table.id));
    let region = g.region(table.region.as_deref());
    g.typed(&t, "Table");
    g.label(&t, table.caption.as_deref().unwrap_or(&format!("Table {}", table.id)));
    if let Some(caption) = &table.caption {
        g.add(&t, cx("caption"), Literal::new_simple_literal(caption));
    }
    if let Some(earlier) = &table.continues {
        g.add(&t, cx("continues"), NamedNode::new_unchecked(format!("{}/{earlier}", doc.as_str())));
    }
    g.add(&doc, cx("hasTable"), t.clone());
    g.provenance(&t, &Found { page: table.page, bbox: &table.bbox, method: METHOD, region });
    let headers = column_headers(table);
    let context = format!("{} {}", table.caption.as_deref().unwrap_or(""), headers.join(" "));
    let columns = Columns {
        readings: headers.iter().map(|h| column_readings_in(h, &context)).collect(),
        units: headers.iter().map(|h| quantity::header_unit(h)).collect(),
        statement: headers.iter().position(|h| is_statement_header(h)).map(|c| c as u32),
        headers,
    };
    let column = |c: u32| NamedNode::new_unchecked(format!("{}/c{}", t.as_str(), c + 1));
    for (c, h) in columns.headers.iter().enumerate() {
        let p = column(c as u32);
        g.add(&p, oxrdf::vocab::rdf::TYPE.into_owned(), oxrdf::vocab::rdf::PROPERTY.into_owned());
        g.label(&p, h);
        g.add(&t, cx("hasColumn"), p);
    }
    let mut rows: Vec<u32> = table.cells.iter().filter(|k| !k.header).map(|k| k.row).collect();
    rows.sort_unstable();
    rows.dedup();
    for r in rows {
        let cells: Vec<&Cell> = table.cells.iter().filter(|k| k.row == r && !k.header).collect();
        // The row's subject: its first column (a row header, a drug, a score item).
        let Some(first) = cells.iter().min_by_key(|k| k.col).copied() else { continue };
        let row = NamedNode::new_unchecked(format!("{}/r{}", t.as_str(), r + 1));
        g.typed(&row, "TableRow");
        g.label(&row, first.text.trim());
        g.add(&t, cx("hasRow"), row.clone());
        g.provenance(&row, &Found { page: table.page, bbox: &first.bbox, method: METHOD, region: None });
        // A grade in the first column names the row ("Ⅱ级 | 明显骨赘", "高 | 现有证据…").
        cell_meaning(g, &row, &t, table, &columns, first, true);
        let mut graded = false;
        for k in cells.iter().filter(|k| k.col != first.col && !k.text.trim().is_empty()) {
            let text = k.text.trim();
            g.add(&row, column(k.col), Literal::new_simple_literal(text));
            graded |= cell_meaning(g, &row, &t, table, &columns, k, false);
        }
        if graded {
            g.typed(&row, "Recommendation");
            g.add(&doc, cx("hasRecommendation"), row.clone());
            let statement = columns.statement.and_then(|c| cells.iter().find(|k| k.col == c)).unwrap_or(&first);
            g.add(&row, cx("statement"), Literal::new_simple_literal(statement.text.trim()));
        }
    }
}

/// What a cell means beyond its text: grading concepts, a disease's degree, or a quantity.
/// True when it grades the row as a recommendation. In the row's `first` cell a grading is
/// what the row defines (a grading system's own table: "高 | 现有证据通常来自…").
fn cell_meaning(
    g: &mut Graph,
    row: &NamedNode,
    t: &NamedNode,
    table: &Table,
    columns: &Columns,
    k: &Cell,
    first: bool,
) -> bool {
    let text = k.text.trim();
    let c = k.col as usize;
    let readings = columns.readings.get(c).map(Vec::as_slice).unwrap_or(&[]);
    if readings == [Reading::Severity] {
        if let Some(degree) = severity_degree(text) {
            let header = &columns.headers[c];
            let subject = table.caption.as_deref().map(caption_subject).unwrap_or(header);
            let concept =
                NamedNode::new_unchecked(format!("https://w3id.org/clinex/concept/{}/degree-{degree}", slug(subject)));
            g.add(row, cx("severity"), concept.clone());
            // The canonical concept keeps every way the documents write it.
            g.label(&concept, text);
        }
        return false;
    }
    if !readings.is_empty() {
        let links = grading_links(text, readings);
        for l in &links {
            let concept = cx(&l.concept);
            g.add(row, cx(if first { "defines" } else { l.predicate }), concept.clone());
            g.label(&concept, text);
        }
        return !first && !links.is_empty();
    }
    if first {
        return false;
    }
    let unit = columns.units.get(c).cloned().flatten();
    if let Some(q) = quantity::parse(text, unit.as_deref()) {
        let node = NamedNode::new_unchecked(format!("{}/r{}/c{}", t.as_str(), k.row + 1, k.col + 1));
        g.typed(&node, "Quantity");
        g.label(&node, text);
        g.add(row, cx("hasQuantity"), node.clone());
        g.add(&node, cx("column"), NamedNode::new_unchecked(format!("{}/c{}", t.as_str(), k.col + 1)));
        match &q.high {
            Some(high) => {
                g.add(&node, cx("minValue"), decimal(&q.low));
                g.add(&node, cx("maxValue"), decimal(high));
            }
            None => g.add(&node, cx("value"), decimal(&q.low)),
        }
        if let Some(unit) = &q.unit {
            g.add(&node, cx("unit"), Literal::new_simple_literal(unit));
        }
        if let Some(cmp) = q.comparator {
            g.add(&node, cx("comparator"), Literal::new_simple_literal(cmp));
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captions_name_the_disease_without_number_or_grading_words() {
        assert_eq!(caption_subject("Table 2. Pain grades"), "Pain");
        assert_eq!(caption_subject("表2 疼痛分级"), "疼痛");
        assert_eq!(caption_subject("Table 4. Heart failure"), "Heart failure");
        assert_eq!(caption_subject("表1 骨关节炎X线的Kellgren & Lawrence分级"), "骨关节炎X线的Kellgren & Lawrence");
    }

    #[test]
    fn a_two_grading_header_reads_both_parts() {
        let readings = column_readings("证据级别，推荐强度");
        let links: Vec<String> = grading_links("1a，A", &readings).into_iter().map(|l| l.concept).collect();
        assert_eq!(links, ["loe-1a", "grade-A"]);
        let links: Vec<String> = grading_links("Ⅱa，C", &readings).into_iter().map(|l| l.concept).collect();
        assert_eq!(links, ["loe-2a", "grade-C"]);
    }
}
