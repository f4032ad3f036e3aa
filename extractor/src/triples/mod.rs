//! Knowledge-graph triples from an extraction: flowcharts as algorithms of steps joined by
//! `next` and by transitions carrying their condition, tables as rows whose cells hang off
//! predicates named by their column headers. Every quad sits in the document's named graph
//! (N-Quads, TriG-style provenance: the graph is the document, `prov:wasDerivedFrom` it), and
//! every found thing carries its page, box and method.
//!
//! IRIs are stable: they are built from the document's sha256 and the ids the extraction gives
//! (`f1/n3`, `t2/r4`), so extracting the same PDF twice gives the same IRIs and two documents
//! never share one.

pub mod normalize;
mod serialize;

pub use serialize::{Format, TriplesError, serialize};

use oxrdf::vocab::{rdf, rdfs, xsd};
use oxrdf::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};

use crate::geometry::BBox;
use crate::model::{Extraction, Flowchart, NodeShape, Table};

/// clinex's vocabulary.
pub const CX: &str = "https://w3id.org/clinex/vocab#";
/// PROV-O.
pub const PROV: &str = "http://www.w3.org/ns/prov#";

/// The IRI of a document: its content hash.
pub fn document_iri(sha256: &str) -> String {
    format!("https://w3id.org/clinex/doc/{sha256}")
}

fn cx(term: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{CX}{term}"))
}

fn prov(term: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{PROV}{term}"))
}

/// Collects quads in one document graph.
struct Graph {
    name: GraphName,
    quads: Vec<Quad>,
}

impl Graph {
    fn add(&mut self, s: &NamedNode, p: NamedNode, o: impl Into<Term>) {
        self.quads.push(Quad::new(NamedOrBlankNode::from(s.clone()), p, o.into(), self.name.clone()));
    }

    fn label(&mut self, s: &NamedNode, text: &str) {
        self.add(s, rdfs::LABEL.into_owned(), Literal::new_simple_literal(text));
    }

    /// Where a thing was found: document, page, box (x0 y0 x1 y1 in points) and method.
    fn provenance(&mut self, s: &NamedNode, doc: &NamedNode, page: u32, bbox: &BBox, method: &str) {
        self.add(s, prov("wasDerivedFrom"), doc.clone());
        self.add(s, cx("page"), Literal::new_typed_literal(page.to_string(), xsd::INTEGER));
        let b = format!("{:.1} {:.1} {:.1} {:.1}", bbox.x0, bbox.y0, bbox.x1, bbox.y1);
        self.add(s, cx("bbox"), Literal::new_simple_literal(b));
        self.add(s, cx("method"), Literal::new_simple_literal(method));
    }
}

/// All quads of an extraction, in the document's named graph.
pub fn build(doc: &Extraction) -> Vec<Quad> {
    let doc_iri = NamedNode::new_unchecked(document_iri(&doc.source.sha256));
    let mut g = Graph { name: GraphName::NamedNode(doc_iri.clone()), quads: Vec::new() };
    g.add(&doc_iri, rdf::TYPE.into_owned(), cx("Document"));
    g.label(&doc_iri, doc.source.title.as_deref().unwrap_or(doc.source.filename.as_deref().unwrap_or("document")));
    for chart in &doc.flowcharts {
        flowchart(&mut g, &doc_iri, chart);
    }
    for table in &doc.tables {
        table_rows(&mut g, &doc_iri, table);
    }
    g.quads
}

fn shape_class(shape: NodeShape) -> &'static str {
    match shape {
        NodeShape::Process => "ProcessStep",
        NodeShape::Decision => "DecisionStep",
        NodeShape::Terminal => "TerminalStep",
        NodeShape::Data => "DataStep",
        NodeShape::Connector => "ConnectorStep",
        NodeShape::Note => "Note",
        NodeShape::Other => "Step",
    }
}

fn flowchart(g: &mut Graph, doc: &NamedNode, chart: &Flowchart) {
    let alg = NamedNode::new_unchecked(format!("{}/{}", doc.as_str(), chart.id));
    let method = if chart.raster { "flowchart from pixels" } else { "flowchart from vector drawing" };
    g.add(&alg, rdf::TYPE.into_owned(), cx("Algorithm"));
    g.label(&alg, chart.caption.as_deref().unwrap_or(&format!("Flowchart {}", chart.id)));
    if let Some(caption) = &chart.caption {
        g.add(&alg, cx("caption"), Literal::new_simple_literal(caption));
    }
    g.add(doc, cx("hasAlgorithm"), alg.clone());
    g.provenance(&alg, doc, chart.page, &chart.bbox, method);
    let step_iri = |id: &str| NamedNode::new_unchecked(format!("{}/{id}", alg.as_str()));
    for n in &chart.nodes {
        let step = step_iri(&n.id);
        g.add(&step, rdf::TYPE.into_owned(), cx(shape_class(n.shape)));
        g.label(&step, &n.text);
        g.add(&alg, cx("hasStep"), step.clone());
        g.provenance(&step, doc, chart.page, &n.bbox, method);
        let incoming = chart.edges.iter().any(|e| e.target == n.id);
        let outgoing = chart.edges.iter().any(|e| e.source == n.id);
        if outgoing && !incoming {
            g.add(&alg, cx("startStep"), step.clone());
        }
        if incoming && !outgoing {
            g.add(&alg, cx("endStep"), step.clone());
        }
    }
    for (k, e) in chart.edges.iter().enumerate() {
        let (from, to) = (step_iri(&e.source), step_iri(&e.target));
        g.add(&from, cx("next"), to.clone());
        let t = NamedNode::new_unchecked(format!("{}/e{}", alg.as_str(), k + 1));
        g.add(&t, rdf::TYPE.into_owned(), cx("Transition"));
        g.add(&t, cx("from"), from);
        g.add(&t, cx("to"), to);
        g.add(&alg, cx("hasTransition"), t.clone());
        if let Some(label) = &e.label {
            g.add(&t, cx("condition"), Literal::new_simple_literal(label));
            g.label(&t, label);
        }
    }
}

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

fn table_rows(g: &mut Graph, doc: &NamedNode, table: &Table) {
    let t = NamedNode::new_unchecked(format!("{}/{}", doc.as_str(), table.id));
    g.add(&t, rdf::TYPE.into_owned(), cx("Table"));
    g.label(&t, table.caption.as_deref().unwrap_or(&format!("Table {}", table.id)));
    g.add(doc, cx("hasTable"), t.clone());
    g.provenance(&t, doc, table.page, &table.bbox, "table structure");
    let headers = column_headers(table);
    let column = |c: u32| NamedNode::new_unchecked(format!("{}/c{}", t.as_str(), c + 1));
    for (c, h) in headers.iter().enumerate() {
        let p = column(c as u32);
        g.add(&p, rdf::TYPE.into_owned(), rdf::PROPERTY.into_owned());
        g.label(&p, h);
    }
    let mut rows: Vec<u32> = table.cells.iter().filter(|k| !k.header).map(|k| k.row).collect();
    rows.sort_unstable();
    rows.dedup();
    for r in rows {
        let cells: Vec<_> = table.cells.iter().filter(|k| k.row == r && !k.header).collect();
        // The row's subject: its first column (a row header, a drug, a score item).
        let Some(first) = cells.iter().min_by_key(|k| k.col) else { continue };
        let row = NamedNode::new_unchecked(format!("{}/r{}", t.as_str(), r + 1));
        g.add(&row, rdf::TYPE.into_owned(), cx("TableRow"));
        g.label(&row, first.text.trim());
        g.add(&t, cx("hasRow"), row.clone());
        g.provenance(&row, doc, table.page, &first.bbox, "table structure");
        for k in cells.iter().filter(|k| k.col != first.col && !k.text.trim().is_empty()) {
            g.add(&row, column(k.col), Literal::new_simple_literal(k.text.trim()));
            let header = headers.get(k.col as usize).map(String::as_str).unwrap_or("");
            if let Some((predicate, concept)) = concept_of(k.text.trim(), header, table) {
                g.add(&row, cx(predicate), concept.clone());
                // The canonical concept keeps every way the documents write it.
                g.label(&concept, k.text.trim());
            }
        }
    }
}

/// The canonical concept a cell names, read by its column: a class of recommendation, a level
/// of evidence, or a degree of the disease the table is about (from its caption).
fn concept_of(text: &str, header: &str, table: &Table) -> Option<(&'static str, NamedNode)> {
    use normalize::{ColumnKind, column_kind, evidence_level, recommendation_class, severity_degree, slug};
    match column_kind(header) {
        ColumnKind::RecommendationClass => {
            recommendation_class(text).map(|c| ("recommendationClass", cx(&format!("cor-{c}"))))
        }
        ColumnKind::EvidenceLevel => evidence_level(text).map(|l| ("evidenceLevel", cx(&format!("loe-{l}")))),
        ColumnKind::Severity => {
            let degree = severity_degree(text)?;
            let subject = table.caption.as_deref().map(caption_subject).unwrap_or(header);
            let iri = format!("https://w3id.org/clinex/concept/{}/degree-{degree}", slug(subject));
            Some(("severity", NamedNode::new_unchecked(iri)))
        }
        ColumnKind::Other => None,
    }
}

/// A caption without its number: "Table 2. Pain grades" → "Pain grades", "表2 疼痛分级" → "疼痛分级".
fn caption_subject(caption: &str) -> &str {
    let t = caption.trim();
    let lower = t.to_lowercase();
    let rest = if lower.starts_with("table") { &t[5..] } else { t.strip_prefix('表').unwrap_or(t) };
    rest.trim_start_matches(|c: char| c.is_ascii_digit() || c.is_whitespace() || matches!(c, '.' | ':' | '：' | '-'))
}

#[cfg(test)]
mod tests;
