//! Triples from the generated guidelines: every flowchart edge (with its condition) and every
//! data cell of every table is a triple, in the document's named graph, and the N-Quads parse
//! back to the same quads.

use clinex_tests::{corpus_dir, extract_file_with_layout};
use extractor::triples::{CX, Format, build, document_iri, serialize};

fn has(quads: &[oxrdf::Quad], s: &str, p: &str, o: &str) -> bool {
    quads.iter().any(|q| {
        q.subject.to_string() == s
            && q.predicate.as_str() == p.trim_start_matches('<').trim_end_matches('>')
            && q.object.to_string() == o
    })
}

fn literal(text: &str) -> String {
    oxrdf::Literal::new_simple_literal(text).to_string()
}

#[test]
fn every_edge_and_data_cell_of_the_generated_guidelines_is_a_triple() {
    for name in ["en_guideline", "zh_guideline", "long_tables"] {
        let doc = extract_file_with_layout(&corpus_dir().join(format!("{name}.pdf"))).unwrap();
        let quads = build(&doc);
        assert_eq!(doc.triples.as_ref().map(|t| t.count), Some(quads.len() as u64), "{name}: count in the JSON");
        let d = document_iri(&doc.source.sha256);
        let cx = |t: &str| format!("<{CX}{t}>");
        for chart in &doc.flowcharts {
            assert!(!chart.edges.is_empty(), "{name}: {} has edges", chart.id);
            for e in &chart.edges {
                let (s, t) = (format!("<{d}/{}/{}>", chart.id, e.source), format!("<{d}/{}/{}>", chart.id, e.target));
                assert!(has(&quads, &s, &cx("next"), &t), "{name}: {s} next {t}");
                if let Some(label) = &e.label {
                    let transition = quads.iter().find(|q| {
                        q.predicate.as_str() == format!("{CX}from")
                            && q.object.to_string() == s
                            && has(&quads, &q.subject.to_string(), &cx("to"), &t)
                    });
                    let transition =
                        transition.unwrap_or_else(|| panic!("{name}: transition {s} -> {t}")).subject.to_string();
                    assert!(has(&quads, &transition, &cx("condition"), &literal(label)), "{name}: condition {label}");
                }
            }
            for n in &chart.nodes {
                let step = format!("<{d}/{}/{}>", chart.id, n.id);
                assert!(has(&quads, &step, "<http://www.w3.org/2000/01/rdf-schema#label>", &literal(&n.text)));
            }
        }
        for table in &doc.tables {
            let first_col = table.cells.iter().filter(|c| !c.header).map(|c| c.col).min().unwrap_or(0);
            for cell in table.cells.iter().filter(|c| !c.header && c.col != first_col && !c.text.trim().is_empty()) {
                let row = format!("<{d}/{}/r{}>", table.id, cell.row + 1);
                let column = format!("<{d}/{}/c{}>", table.id, cell.col + 1);
                assert!(
                    has(&quads, &row, &column, &literal(cell.text.trim())),
                    "{name}: {row} {column} {:?}",
                    cell.text
                );
            }
        }
        let nq = serialize(&quads, Format::NQuads).unwrap();
        let back: Vec<oxrdf::Quad> = oxttl::NQuadsParser::new().for_slice(&nq).map(Result::unwrap).collect();
        assert_eq!(back, quads, "{name}: N-Quads round trip");
    }
}
