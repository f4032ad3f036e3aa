//! A table as `cx:Table` rows: each data row's subject is its first column, and every other
//! cell is a literal on a predicate per column, labelled with the column's header path
//! (spanning headers joined by " / "). On top of the text:
//! - a cell that is wholly a number or range with a unit also gets a typed `cx:Quantity`;
//! - a cell under a grade/stage/class header links to one concept per disease and degree;
//! - a grade in the first column of a grading system's own table is what the row defines.
//!
//! Rows graded by a grading column are recommendations: `super::recommendations` links them.

use oxrdf::{Literal, NamedNode};

use super::{Found, Graph, cx, decimal};
use crate::clinical::normalize::{Reading, severity_degree, slug};
use crate::clinical::{Columns, grading_links, quantity};
use crate::model::{Cell, Table};

const METHOD: &str = "table structure";

/// The IRI of a table column's property, named from its header path so that triples read on
/// their own: `…/t2/c3-dose`, `…/t1/c2-evidence-class`, `…/t3/c2-推荐强度`; the column number
/// keeps it unique. A column without a header is `…/c4`.
pub fn column_property(table_iri: &str, col: u32, header: &str) -> String {
    let name = slug(header);
    let untitled = header.is_empty() || header == format!("column {}", col + 1);
    if name.is_empty() || untitled {
        format!("{table_iri}/c{}", col + 1)
    } else {
        format!("{table_iri}/c{}-{name}", col + 1)
    }
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
    let columns = crate::clinical::columns(table);
    let column = |c: u32| {
        NamedNode::new_unchecked(column_property(t.as_str(), c, columns.headers.get(c as usize).map_or("", |h| h)))
    };
    for (c, h) in columns.headers.iter().enumerate() {
        let p = column(c as u32);
        g.add(&p, oxrdf::vocab::rdf::TYPE.into_owned(), oxrdf::vocab::rdf::PROPERTY.into_owned());
        g.label(&p, h);
        g.add(&t, cx("hasColumn"), p);
    }
    for (r, cells) in crate::clinical::data_rows(table) {
        // The row's subject: its first column (a row header, a drug, a score item).
        let Some(first) = cells.first().copied() else { continue };
        let row = NamedNode::new_unchecked(format!("{}/r{}", t.as_str(), r + 1));
        g.typed(&row, "TableRow");
        g.label(&row, first.text.trim());
        g.add(&t, cx("hasRow"), row.clone());
        g.provenance(&row, &Found { page: table.page, bbox: &first.bbox, method: METHOD, region });
        // A grade in the first column names the row: a disease's degree ("Ⅱ级 | 明显骨赘"), or
        // the grade a grading system's own table defines ("高 | 现有证据通常来自…").
        if !severity(g, &row, table, &columns, first) {
            let readings = columns.readings.get(first.col as usize).map_or(&[][..], Vec::as_slice);
            for grade in grading_links(first.text.trim(), readings) {
                let concept = cx(&grade.concept);
                g.add(&row, cx("defines"), concept.clone());
                g.label(&concept, first.text.trim());
            }
        }
        for k in cells.iter().filter(|k| k.col != first.col && !k.text.trim().is_empty()) {
            let property = column(k.col);
            g.add(&row, property.clone(), Literal::new_simple_literal(k.text.trim()));
            // A grading cell grades the row's recommendation (`crate::clinical`); the others
            // may be a degree or a quantity.
            let graded = columns.readings.get(k.col as usize).is_some_and(|r| !r.is_empty());
            if !severity(g, &row, table, &columns, k) && !graded {
                quantity_node(g, &row, &t, property, columns.units.get(k.col as usize).cloned().flatten(), k);
            }
        }
    }
}

/// A cell under a grade/stage/class header: `row cx:severity` the disease's degree. True when
/// the column is such a header.
fn severity(g: &mut Graph, row: &NamedNode, table: &Table, columns: &Columns, k: &Cell) -> bool {
    let c = k.col as usize;
    if columns.readings.get(c).map(Vec::as_slice) != Some(&[Reading::Severity][..]) {
        return false;
    }
    let text = k.text.trim();
    if let Some(degree) = severity_degree(text) {
        let subject = table.caption.as_deref().map(caption_subject).unwrap_or(&columns.headers[c]);
        let concept =
            NamedNode::new_unchecked(format!("https://w3id.org/clinex/concept/{}/degree-{degree}", slug(subject)));
        g.add(row, cx("severity"), concept.clone());
        // The canonical concept keeps every way the documents write it.
        g.label(&concept, text);
    }
    true
}

/// A cell that is wholly a number or range, with its unit: a typed `cx:Quantity`.
fn quantity_node(g: &mut Graph, row: &NamedNode, t: &NamedNode, column: NamedNode, unit: Option<String>, k: &Cell) {
    let text = k.text.trim();
    let Some(q) = quantity::parse(text, unit.as_deref()) else { return };
    let node = NamedNode::new_unchecked(format!("{}/r{}/c{}", t.as_str(), k.row + 1, k.col + 1));
    g.typed(&node, "Quantity");
    g.label(&node, text);
    g.add(row, cx("hasQuantity"), node.clone());
    g.add(&node, cx("column"), column);
    match &q.high {
        Some(high) => {
            g.add(&node, cx("minValue"), decimal(&q.low));
            g.add(&node, cx("maxValue"), decimal(high));
        }
        None => g.add(&node, cx("value"), decimal(&q.low)),
    }
    if let Some(unit) = &q.unit {
        g.add(&node, cx("unit"), Literal::new_simple_literal(unit));
        if let Some(code) = quantity::ucum(unit) {
            g.add(&node, cx("ucumCode"), Literal::new_simple_literal(code));
        }
    }
    if let Some(cmp) = q.comparator {
        g.add(&node, cx("comparator"), Literal::new_simple_literal(cmp));
    }
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
    fn column_properties_are_named_from_their_headers() {
        assert_eq!(column_property("d/t1", 1, "Evidence / Class"), "d/t1/c2-evidence-class");
        assert_eq!(column_property("d/t1", 2, "证据级别，推荐强度"), "d/t1/c3-证据级别-推荐强度");
        assert_eq!(column_property("d/t1", 3, "column 4"), "d/t1/c4");
        assert_eq!(column_property("d/t1", 0, "Volume of 1 mg/mL"), "d/t1/c1-volume-of-1-mg-ml");
    }
}
