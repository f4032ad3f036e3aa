use super::*;
use oxrdf::Quad;

use crate::model::NodeShape;
use crate::testing::fixtures::{cell, chart, edge, extraction, node, table};

fn doc() -> Extraction {
    extraction(
        Vec::new(),
        vec![table(
            "t1",
            "Table 1. Doses",
            vec![
                cell(0, 0, "Drug", true),
                cell(0, 1, "Dose", true),
                cell(1, 0, "Adrenaline", false),
                cell(1, 1, "0.5 mg", false),
            ],
        )],
        vec![chart(
            "图1 流程",
            vec![node("n1", "疼痛评分≥4分？", NodeShape::Decision), node("n2", "启动药物镇痛", NodeShape::Process)],
            vec![edge("n1", "n2", Some("是"))],
        )],
    )
}

fn has(quads: &[Quad], s: &str, p: &str, o: &str) -> bool {
    quads.iter().any(|q| {
        q.subject.to_string() == s
            && q.predicate.as_str() == p.trim_start_matches('<').trim_end_matches('>')
            && q.object.to_string() == o
    })
}

#[test]
fn edges_cells_and_labels_are_triples_in_the_document_graph() {
    let quads = build(&doc());
    let d = "https://w3id.org/clinex/doc/ab12";
    let cx = |t: &str| format!("<{CX}{t}>");
    assert!(has(&quads, &format!("<{d}/f1/n1>"), &cx("next"), &format!("<{d}/f1/n2>")));
    assert!(has(&quads, &format!("<{d}/f1/e1>"), &cx("condition"), "\"是\""));
    assert!(has(&quads, &format!("<{d}/f1/n1>"), "<http://www.w3.org/2000/01/rdf-schema#label>", "\"疼痛评分≥4分？\""));
    assert!(has(&quads, &format!("<{d}/f1>"), &cx("startStep"), &format!("<{d}/f1/n1>")));
    assert!(has(&quads, &format!("<{d}/t1/r2>"), &format!("<{d}/t1/c2-dose>"), "\"0.5 mg\""));
    assert!(has(&quads, &format!("<{d}/t1/c2-dose>"), "<http://www.w3.org/2000/01/rdf-schema#label>", "\"Dose\""));
    assert!(has(&quads, &format!("<{d}/t1/r2>"), "<http://www.w3.org/2000/01/rdf-schema#label>", "\"Adrenaline\""));
    assert!(quads.iter().all(|q| q.graph_name.to_string() == format!("<{d}>")), "one named graph per document");
    assert_eq!(build(&doc()), quads, "the same document gives the same quads");
}

#[test]
fn every_format_parses_back_to_the_same_count() {
    let quads = build(&doc());
    for format in Format::ALL {
        let name = format.extension();
        let back = parse(&serialize(&quads, format).unwrap(), format).unwrap();
        assert_eq!(back.len(), quads.len(), "{name}");
    }
    let nq = serialize(&quads, Format::NQuads).unwrap();
    assert_eq!(parse(&nq, Format::NQuads).unwrap(), quads, "N-Quads keep every quad as built");
}

#[test]
fn grades_classes_and_levels_become_canonical_concepts() {
    let mut d = doc();
    d.tables = vec![
        table(
            "t1",
            "Table 1. Recommendations",
            vec![
                cell(0, 0, "Recommendation", true),
                cell(0, 1, "COR", true),
                cell(0, 2, "LOE", true),
                cell(1, 0, "Give aspirin", false),
                cell(1, 1, "Class I", false),
                cell(1, 2, "B-NR", false),
                cell(2, 0, "Consider statin", false),
                cell(2, 1, "2a", false),
                cell(2, 2, "Level A", false),
            ],
        ),
        table(
            "t2",
            "Table 2. Pain",
            vec![
                cell(0, 0, "Score", true),
                cell(0, 1, "Grade", true),
                cell(1, 0, "1-3", false),
                cell(1, 1, "Grade 1", false),
            ],
        ),
        table(
            "t3",
            "表3 Pain",
            vec![
                cell(0, 0, "评分", true),
                cell(0, 1, "分级", true),
                cell(1, 0, "1-3", false),
                cell(1, 1, "Ⅰ级", false),
            ],
        ),
        table(
            "t4",
            "Table 4. Heart failure",
            vec![
                cell(0, 0, "Patient", true),
                cell(0, 1, "NYHA class", true),
                cell(1, 0, "A", false),
                cell(1, 1, "Class I", false),
            ],
        ),
    ];
    d.recommendations = crate::clinical::find_recommendations(&d.tables, &d.pages);
    let quads = build(&d);
    let doc_iri = "https://w3id.org/clinex/doc/ab12";
    let obj = |s: &str, p: &str| -> Vec<String> {
        quads
            .iter()
            .filter(|q| q.subject.to_string() == s && q.predicate.as_str() == format!("{CX}{p}"))
            .map(|q| q.object.to_string())
            .collect()
    };
    // The graded rows of t1 are recommendations rec1 and rec2, linked to their rows.
    assert_eq!(obj(&format!("<{doc_iri}/rec1>"), "row"), [format!("<{doc_iri}/t1/r2>")]);
    assert_eq!(obj(&format!("<{doc_iri}/rec1>"), "statement"), ["\"Give aspirin\""]);
    assert_eq!(obj(&format!("<{doc_iri}/rec1>"), "recommendationClass"), [format!("<{CX}cor-I>")]);
    assert_eq!(obj(&format!("<{doc_iri}/rec2>"), "recommendationClass"), [format!("<{CX}cor-IIa>")]);
    assert_eq!(obj(&format!("<{doc_iri}/rec1>"), "evidenceLevel"), [format!("<{CX}loe-B-NR>")]);
    assert_eq!(d.recommendations.len(), 2, "the other tables grade diseases, not recommendations");
    // "Grade 1" and "Ⅰ级" of the same disease are one concept, labelled both ways.
    let pain = "<https://w3id.org/clinex/concept/pain/degree-1>".to_string();
    assert_eq!(obj(&format!("<{doc_iri}/t2/r2>"), "severity"), std::slice::from_ref(&pain));
    assert_eq!(obj(&format!("<{doc_iri}/t3/r2>"), "severity"), std::slice::from_ref(&pain));
    let labels: Vec<String> = quads
        .iter()
        .filter(|q| q.subject.to_string() == pain && q.predicate.as_str().ends_with("rdf-schema#label"))
        .map(|q| q.object.to_string())
        .collect();
    assert!(labels.contains(&"\"Grade 1\"".to_string()) && labels.contains(&"\"Ⅰ级\"".to_string()), "{labels:?}");
    // A disease's "Class I" is a degree of that disease, not a class of recommendation.
    assert_eq!(
        obj(&format!("<{doc_iri}/t4/r2>"), "severity"),
        ["<https://w3id.org/clinex/concept/heart-failure/degree-1>"]
    );
}

#[test]
fn the_vocabulary_parses_and_defines_every_concept_the_grading_can_name() {
    let triples = parse(VOCABULARY, Format::Turtle).unwrap();
    let defined = |local: &str| triples.iter().any(|t| t.subject.to_string() == format!("<{CX}{local}>"));
    let mut named = Vec::new();
    for t in ["Class I", "IIa", "IIb", "III", "strong", "weak", "GPS", "1A", "2D", "A", "B", "C", "D"] {
        named.extend(crate::clinical::grading::recommendation_links(t, true));
        named.extend(crate::clinical::grading::recommendation_links(t, false));
    }
    for t in [
        "A", "B", "C", "D", "B-R", "B-NR", "C-LD", "C-EO", "1", "1a", "1b", "1c", "2a", "2b", "2c", "3a", "3b", "4",
        "5",
    ] {
        named.extend(crate::clinical::grading::evidence_links(t));
    }
    for t in ["high", "moderate", "low", "very low"] {
        named.extend(crate::clinical::grading::evidence_links(t));
    }
    assert!(named.len() > 30);
    for link in named {
        assert!(defined(&link.concept), "{} is not in vocab.ttl", link.concept);
        assert!(defined(&link.property), "{} is not in vocab.ttl", link.property);
    }
    // Every property and class the triples use is defined too.
    for q in build(&doc()) {
        for iri in [q.predicate.as_str().to_string(), q.object.to_string()] {
            if let Some(local) = iri.trim_matches(['<', '>']).strip_prefix(CX) {
                assert!(defined(local), "cx:{local} is not in vocab.ttl");
            }
        }
    }
}
