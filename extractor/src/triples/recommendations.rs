//! A recommendation (`crate::clinical` finds them) as a `cx:Recommendation`: its statement,
//! its grading as printed, links to the grading vocabulary, and the table row it was read
//! from, if any.

use oxrdf::{Literal, NamedNode};

use super::{Found, Graph, cx};
use crate::model::Recommendation;

pub(super) fn recommendation(g: &mut Graph, rec: &Recommendation) {
    let doc = g.doc.clone();
    let iri = NamedNode::new_unchecked(format!("{}/{}", doc.as_str(), rec.id));
    g.typed(&iri, "Recommendation");
    g.label(&iri, &rec.statement);
    g.add(&iri, cx("statement"), Literal::new_simple_literal(&rec.statement));
    if let Some(grading) = &rec.grading {
        g.add(&iri, cx("grading"), Literal::new_simple_literal(grading));
    }
    if let Some(notation) = &rec.notation {
        g.add(&iri, cx("notation"), Literal::new_simple_literal(notation));
    }
    for grade in &rec.grades {
        let concept = cx(&grade.concept);
        g.add(&iri, cx(&grade.property), concept.clone());
        // The concept keeps every way the documents write it.
        g.label(&concept, &grade.text);
    }
    let method = match (&rec.table, rec.row) {
        (Some(table), Some(row)) => {
            g.add(&iri, cx("row"), NamedNode::new_unchecked(format!("{}/{table}/r{}", doc.as_str(), row + 1)));
            "table structure"
        }
        _ => "graded statement in text",
    };
    g.add(&doc, cx("hasRecommendation"), iri.clone());
    let region = g.region(rec.region.as_deref());
    g.provenance(&iri, &Found { page: rec.page, bbox: &rec.bbox, method, region });
}
