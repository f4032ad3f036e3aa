//! Flowchart exports: Graphviz DOT and Mermaid.

use crate::model::Flowchart;

/// A quoted, escaped string for Graphviz DOT.
fn dot_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n"))
}

/// The flowchart as a Graphviz DOT digraph: node shapes as Graphviz draws flowcharts (box,
/// diamond, rounded box, parallelogram), edge labels as labels.
pub fn to_dot(chart: &Flowchart) -> String {
    use crate::model::NodeShape;
    let mut out = format!("digraph {} {{\n  rankdir=TB;\n", dot_string(&chart.id));
    if let Some(caption) = &chart.caption {
        out.push_str(&format!("  label={};\n  labelloc=t;\n", dot_string(caption)));
    }
    for n in &chart.nodes {
        let shape = match n.shape {
            NodeShape::Decision => "shape=diamond",
            NodeShape::Terminal => "shape=box, style=rounded",
            NodeShape::Data => "shape=parallelogram",
            NodeShape::Connector => "shape=circle",
            NodeShape::Note => "shape=note",
            NodeShape::Process | NodeShape::Other => "shape=box",
        };
        out.push_str(&format!("  {} [label={}, {shape}];\n", dot_string(&n.id), dot_string(&n.text)));
    }
    for e in &chart.edges {
        let label = e.label.as_ref().map(|l| format!(" [label={}]", dot_string(l))).unwrap_or_default();
        out.push_str(&format!("  {} -> {}{label};\n", dot_string(&e.source), dot_string(&e.target)));
    }
    out.push_str("}\n");
    out
}

/// Text for a Mermaid label: in double quotes, with the characters Mermaid reads inside them
/// written as entity codes.
fn mermaid_string(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "#quot;").replace('\n', " "))
}

/// The flowchart as a Mermaid `flowchart TD`.
pub fn to_mermaid(chart: &Flowchart) -> String {
    use crate::model::NodeShape;
    let mut out = String::from("flowchart TD\n");
    for n in &chart.nodes {
        let t = mermaid_string(&n.text);
        let drawn = match n.shape {
            NodeShape::Decision => format!("{{{t}}}"),
            NodeShape::Terminal => format!("([{t}])"),
            NodeShape::Data => format!("[/{t}/]"),
            NodeShape::Connector => format!("(({t}))"),
            NodeShape::Note => format!(">{t}]"),
            NodeShape::Process | NodeShape::Other => format!("[{t}]"),
        };
        out.push_str(&format!("    {}{drawn}\n", n.id));
    }
    for e in &chart.edges {
        match &e.label {
            Some(l) => out.push_str(&format!("    {} -->|{}| {}\n", e.source, mermaid_string(l), e.target)),
            None => out.push_str(&format!("    {} --> {}\n", e.source, e.target)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NodeShape;
    use crate::testing::fixtures::{self, edge, node};

    fn chart() -> Flowchart {
        fixtures::chart(
            "Figure 1. \"Pain\" pathway",
            vec![node("n1", "疼痛评分≥4分？", NodeShape::Decision), node("n2", "Give \"IM\" dose", NodeShape::Process)],
            vec![edge("n1", "n2", Some("是"))],
        )
    }

    #[test]
    fn dot_and_mermaid_carry_nodes_shapes_edges_and_labels() {
        let dot = to_dot(&chart());
        assert!(dot.contains("\"n1\" [label=\"疼痛评分≥4分？\", shape=diamond];"), "{dot}");
        assert!(dot.contains("\"n2\" [label=\"Give \\\"IM\\\" dose\", shape=box];"), "{dot}");
        assert!(dot.contains("\"n1\" -> \"n2\" [label=\"是\"];"), "{dot}");
        assert!(dot.contains("label=\"Figure 1. \\\"Pain\\\" pathway\""));
        let mermaid = to_mermaid(&chart());
        assert_eq!(
            mermaid,
            "flowchart TD\n    n1{\"疼痛评分≥4分？\"}\n    n2[\"Give #quot;IM#quot; dose\"]\n    n1 -->|\"是\"| n2\n"
        );
    }
}
