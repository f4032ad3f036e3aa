//! Knowledge-graph triples from an extraction: flowcharts as algorithms of steps joined by
//! `next` and by transitions carrying their condition, tables as rows whose cells hang off
//! predicates named by their column headers, recommendations (graded table rows and statements,
//! found by `crate::clinical`) linked to a small grading vocabulary (`vocab.ttl`).
//!
//! Provenance: every quad sits in the document's named graph (N-Quads, TriG-style: the graph is
//! the document, `prov:wasDerivedFrom` it), and every found thing carries its page, box, region,
//! method and, where the layout model gave one, confidence.
//!
//! IRIs are stable: they are built from the document's sha256 and the ids the extraction gives
//! (`f1/n3`, `t2/r4`, `rec1`), so extracting the same PDF twice gives the same IRIs and
//! two documents never share one.

mod flowcharts;
mod recommendations;
mod serialize;
mod tables;

pub use serialize::{Format, TriplesError, parse, serialize};
pub use tables::column_property;

use std::collections::{HashMap, HashSet};

use oxrdf::vocab::{rdf, rdfs, xsd};
use oxrdf::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};

use crate::geometry::BBox;
use crate::model::{Extraction, Region};

/// clinex's vocabulary.
pub const CX: &str = "https://w3id.org/clinex/vocab#";
/// PROV-O.
pub const PROV: &str = "http://www.w3.org/ns/prov#";
/// The vocabulary's classes, properties and grading concepts, in Turtle.
pub const VOCABULARY: &str = include_str!("vocab.ttl");

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

fn decimal(lexical: &str) -> Literal {
    Literal::new_typed_literal(lexical, xsd::DECIMAL)
}

/// Where a found thing is: page, box (x0 y0 x1 y1 in points), how it was found, and the page
/// region it came from (which gives the layout model's confidence).
struct Found<'a> {
    page: u32,
    bbox: &'a BBox,
    method: &'a str,
    region: Option<&'a Region>,
}

/// Collects the quads of one document graph, each once, in the order first added.
struct Graph<'a> {
    name: GraphName,
    doc: NamedNode,
    regions: HashMap<&'a str, &'a Region>,
    quads: Vec<Quad>,
    seen: HashSet<Quad>,
}

impl<'a> Graph<'a> {
    fn add(&mut self, s: &NamedNode, p: NamedNode, o: impl Into<Term>) {
        let quad = Quad::new(NamedOrBlankNode::from(s.clone()), p, o.into(), self.name.clone());
        if self.seen.insert(quad.clone()) {
            self.quads.push(quad);
        }
    }

    fn label(&mut self, s: &NamedNode, text: &str) {
        self.add(s, rdfs::LABEL.into_owned(), Literal::new_simple_literal(text));
    }

    fn typed(&mut self, s: &NamedNode, class: &str) {
        self.add(s, rdf::TYPE.into_owned(), cx(class));
    }

    fn region(&self, id: Option<&str>) -> Option<&'a Region> {
        id.and_then(|id| self.regions.get(id).copied())
    }

    /// `prov:wasDerivedFrom` the document, with page, box, method, region and confidence.
    fn provenance(&mut self, s: &NamedNode, found: &Found) {
        let doc = self.doc.clone();
        self.add(s, prov("wasDerivedFrom"), doc);
        self.add(s, cx("page"), Literal::new_typed_literal(found.page.to_string(), xsd::INTEGER));
        let b = found.bbox;
        self.add(
            s,
            cx("bbox"),
            Literal::new_simple_literal(format!("{:.1} {:.1} {:.1} {:.1}", b.x0, b.y0, b.x1, b.y1)),
        );
        self.add(s, cx("method"), Literal::new_simple_literal(found.method));
        if let Some(region) = found.region {
            self.add(s, cx("region"), Literal::new_simple_literal(&region.id));
            self.add(s, cx("confidence"), decimal(&format!("{:.3}", region.confidence.clamp(0.0, 1.0))));
        }
    }
}

/// All quads of an extraction, in the document's named graph, each once.
pub fn build(doc: &Extraction) -> Vec<Quad> {
    let doc_iri = NamedNode::new_unchecked(document_iri(&doc.source.sha256));
    let regions = doc.pages.iter().flat_map(|p| &p.regions).map(|r| (r.id.as_str(), r)).collect();
    let mut g = Graph {
        name: GraphName::NamedNode(doc_iri.clone()),
        doc: doc_iri.clone(),
        regions,
        quads: Vec::new(),
        seen: HashSet::new(),
    };
    g.typed(&doc_iri, "Document");
    g.label(&doc_iri, doc.source.title.as_deref().unwrap_or(doc.source.filename.as_deref().unwrap_or("document")));
    for chart in &doc.flowcharts {
        flowcharts::algorithm(&mut g, chart);
    }
    for table in &doc.tables {
        tables::table(&mut g, table);
    }
    for rec in &doc.recommendations {
        recommendations::recommendation(&mut g, rec);
    }
    g.quads
}

#[cfg(test)]
mod tests;
