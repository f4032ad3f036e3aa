//! Flowchart graphs: the generated vector flowcharts come out exactly as drawn (nodes, shapes,
//! edges, branch labels), and so do real clinical pathways annotated by hand in
//! `golden/flowcharts/`.

use clinex_tests::{corpus_dir, extract_file_with_layout, repo_root, shared_dir};
use extractor::Options;
use serde_json::Value;

/// Node (id, text) pairs and edge (source, target, label) triples.
type Graph = (Vec<(String, String)>, Vec<(String, String, Option<String>)>);

/// (source text, target text, label) of every edge, sorted; texts without spaces.
fn edges_by_text(
    nodes: &[(String, String)],
    edges: &[(String, String, Option<String>)],
) -> Vec<(String, String, String)> {
    let text = |id: &str| nodes.iter().find(|(i, _)| i == id).map(|(_, t)| bare(t)).unwrap_or_default();
    let mut out: Vec<(String, String, String)> =
        edges.iter().map(|(s, t, l)| (text(s), text(t), l.as_deref().map(bare).unwrap_or_default())).collect();
    out.sort();
    out
}

fn bare(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn truth_graph(chart: &Value) -> Graph {
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let nodes = chart["nodes"].as_array().unwrap().iter().map(|n| (s(&n["id"]), s(&n["text"]))).collect();
    let edges = chart["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (s(&e["source"]), s(&e["target"]), e["label"].as_str().map(String::from)))
        .collect();
    (nodes, edges)
}

fn found_graph(doc: &extractor::Extraction, page: u32) -> Graph {
    let charts: Vec<&extractor::model::Flowchart> = doc.flowcharts.iter().filter(|f| f.page == page).collect();
    assert_eq!(charts.len(), 1, "one flowchart on page {page}");
    let nodes = charts[0].nodes.iter().map(|n| (n.id.clone(), n.text.clone())).collect();
    let edges = charts[0].edges.iter().map(|e| (e.source.clone(), e.target.clone(), e.label.clone())).collect();
    (nodes, edges)
}

#[test]
fn generated_vector_flowcharts_come_out_as_drawn() {
    for name in ["en_guideline", "zh_guideline"] {
        let truth: Value =
            serde_json::from_str(&std::fs::read_to_string(corpus_dir().join(format!("{name}.truth.json"))).unwrap())
                .unwrap();
        let doc = extract_file_with_layout(&corpus_dir().join(format!("{name}.pdf"))).unwrap();
        let chart = &truth["flowcharts"][0];
        let page = chart["page"].as_u64().unwrap() as u32;
        let (true_nodes, true_edges) = truth_graph(chart);
        let (nodes, edges) = found_graph(&doc, page);
        let mut want: Vec<String> = true_nodes.iter().map(|(_, t)| bare(t)).collect();
        let mut got: Vec<String> = nodes.iter().map(|(_, t)| bare(t)).collect();
        want.sort();
        got.sort();
        assert_eq!(got, want, "{name}: nodes");
        assert_eq!(edges_by_text(&nodes, &edges), edges_by_text(&true_nodes, &true_edges), "{name}: edges");
        let found = doc.flowcharts.iter().find(|f| f.page == page).unwrap();
        assert_eq!(found.caption.as_deref(), chart["caption"].as_str(), "{name}: caption");
        let shapes: Vec<(String, String)> = found
            .nodes
            .iter()
            .map(|n| (bare(&n.text), serde_json::to_value(n.shape).unwrap().as_str().unwrap().to_string()))
            .collect();
        for n in chart["nodes"].as_array().unwrap() {
            let expected = (bare(n["text"].as_str().unwrap()), n["shape"].as_str().unwrap().to_string());
            assert!(shapes.contains(&expected), "{name}: shape of {expected:?} in {shapes:?}");
        }
    }
}

#[test]
fn a_real_referral_pathway_comes_out_as_annotated() {
    let truth: Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("golden/flowcharts/major_trauma_pathway.json")).unwrap(),
    )
    .unwrap();
    let path = shared_dir().join("data/clinical").join(truth["file"].as_str().unwrap());
    let bytes = std::fs::read(&path).unwrap();
    let doc = extractor::extract_with(&bytes, &Options::default(), clinex_tests::engines()).unwrap();
    let (true_nodes, true_edges) = truth_graph(&truth);
    let (nodes, edges) = found_graph(&doc, 1);
    assert_eq!(nodes.len(), true_nodes.len());
    assert_eq!(edges_by_text(&nodes, &edges), edges_by_text(&true_nodes, &true_edges));
}
