//! A flowchart as a `cx:Algorithm`: its steps typed by shape and labelled with their text,
//! `cx:next` between steps, and a `cx:Transition` per edge carrying the branch's condition
//! (Yes/No/是/否 or any other label). Steps nothing leads to start the algorithm; steps that
//! lead nowhere end it.

use oxrdf::{Literal, NamedNode};

use super::{Found, Graph, cx};
use crate::model::{Flowchart, NodeShape};

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

pub(super) fn algorithm(g: &mut Graph, chart: &Flowchart) {
    let doc = g.doc.clone();
    let alg = NamedNode::new_unchecked(format!("{}/{}", doc.as_str(), chart.id));
    let method = if chart.raster { "flowchart from pixels" } else { "flowchart from vector drawing" };
    let region = g.region(chart.region.as_deref());
    g.typed(&alg, "Algorithm");
    g.label(&alg, chart.caption.as_deref().unwrap_or(&format!("Flowchart {}", chart.id)));
    if let Some(caption) = &chart.caption {
        g.add(&alg, cx("caption"), Literal::new_simple_literal(caption));
    }
    g.add(&doc, cx("hasAlgorithm"), alg.clone());
    g.provenance(&alg, &Found { page: chart.page, bbox: &chart.bbox, method, region });
    let step_iri = |id: &str| NamedNode::new_unchecked(format!("{}/{id}", alg.as_str()));
    for n in &chart.nodes {
        let step = step_iri(&n.id);
        g.typed(&step, shape_class(n.shape));
        g.label(&step, &n.text);
        g.add(&alg, cx("hasStep"), step.clone());
        g.provenance(&step, &Found { page: chart.page, bbox: &n.bbox, method, region });
        let incoming = chart.edges.iter().any(|e| e.target == n.id);
        let outgoing = chart.edges.iter().any(|e| e.source == n.id);
        if outgoing && !incoming {
            g.add(&alg, cx("startStep"), step.clone());
        }
        if incoming && !outgoing {
            g.add(&alg, cx("endStep"), step.clone());
        }
    }
    let text_of = |id: &str| chart.nodes.iter().find(|n| n.id == id).map_or(id.to_string(), |n| n.text.clone());
    for (k, e) in chart.edges.iter().enumerate() {
        let (from, to) = (step_iri(&e.source), step_iri(&e.target));
        g.add(&from, cx("next"), to.clone());
        let t = NamedNode::new_unchecked(format!("{}/e{}", alg.as_str(), k + 1));
        g.typed(&t, "Transition");
        g.add(&t, cx("from"), from);
        g.add(&t, cx("to"), to);
        g.add(&alg, cx("hasTransition"), t.clone());
        match &e.label {
            Some(label) => {
                g.add(&t, cx("condition"), Literal::new_simple_literal(label));
                g.label(&t, label);
            }
            None => g.label(&t, &format!("{} → {}", text_of(&e.source), text_of(&e.target))),
        }
    }
}
