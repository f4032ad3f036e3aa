//! Triples from the generated guidelines: every flowchart edge (with its condition) and every
//! data cell of every table is a triple, in the document's named graph, and the N-Quads parse
//! back to the same quads.

use clinex_tests::{corpus_dir, extract_file_with_layout};
use extractor::triples::{CX, Format, build, column_property, document_iri, serialize};

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
                let header = &extractor::clinical::column_headers(table)[cell.col as usize];
                let column = format!("<{}>", column_property(&format!("{d}/{}", table.id), cell.col, header));
                assert!(
                    has(&quads, &row, &column, &literal(cell.text.trim())),
                    "{name}: {row} {column} {:?}",
                    cell.text
                );
            }
        }
        let nq = serialize(&quads, Format::NQuads).unwrap();
        let back = extractor::triples::parse(&nq, Format::NQuads).unwrap();
        assert_eq!(back, quads, "{name}: N-Quads round trip");
    }
}

/// The objects of `predicate` (a `cx:` local name) on `subject`.
fn objects(quads: &[oxrdf::Quad], subject: &str, predicate: &str) -> Vec<String> {
    quads
        .iter()
        .filter(|q| q.subject.to_string() == subject && q.predicate.as_str() == format!("{CX}{predicate}"))
        .map(|q| q.object.to_string())
        .collect()
}

/// The recommendations of a document: (statement, concepts sorted), from tables and text.
fn recommendations(quads: &[oxrdf::Quad]) -> Vec<(String, Vec<String>)> {
    let recs: Vec<String> = quads
        .iter()
        .filter(|q| q.predicate.as_str() == format!("{CX}hasRecommendation"))
        .map(|q| q.object.to_string())
        .collect();
    recs.iter()
        .map(|r| {
            let statement = objects(quads, r, "statement").pop().unwrap_or_default();
            let mut concepts: Vec<String> = extractor::clinical::grading::PREDICATES
                .iter()
                .flat_map(|p| objects(quads, r, p))
                .map(|c| c.trim_start_matches(&format!("<{CX}")).trim_end_matches('>').to_string())
                .collect();
            concepts.sort();
            (statement.trim_matches('"').to_string(), concepts)
        })
        .collect()
}

#[test]
fn recommendations_in_tables_and_text_link_to_the_grading_vocabulary() {
    let en = build(&extract_file_with_layout(&corpus_dir().join("en_guideline.pdf")).unwrap());
    let want_en = [
        ("Give intramuscular adrenaline as the first-line treatment", ["cor-I", "loe-A"]),
        ("Repeat adrenaline after 5 minutes if symptoms persist", ["cor-I", "loe-B-NR"]),
        ("Give intravenous fluids for shock that persists", ["cor-IIa", "loe-C-LD"]),
        ("Give antihistamines for airway compromise", ["cor-III", "loe-B-R"]),
        ("Refer every patient to an allergy clinic and prescribe two adrenaline auto-injectors", ["cor-I", "loe-C-EO"]),
        ("Observe patients who needed two doses for at least 12 hours", ["cor-IIa", "loe-C-LD"]),
    ];
    let found = recommendations(&en);
    let want: Vec<(String, Vec<String>)> =
        want_en.iter().map(|(s, c)| (s.to_string(), c.iter().map(|c| c.to_string()).collect())).collect();
    assert_eq!(found, want, "English: four table rows, two statements in the text");

    let zh = build(&extract_file_with_layout(&corpus_dir().join("zh_guideline.pdf")).unwrap());
    let found = recommendations(&zh);
    let want_zh = [
        ("中重度疼痛患者可应用阿片类药物", vec!["cor-I", "loe-A"]),
        ("轻度疼痛首选非甾体抗炎药", vec!["cor-I", "loe-B"]),
        ("神经病理性疼痛联合加巴喷丁类药物", vec!["cor-I", "loe-B"]),
        ("不推荐常规使用哌替啶", vec!["cor-III", "loe-C"]),
        ("复评时应记录疼痛评分、不良反应及患者满意度", vec!["loe-C", "strength-weak"]),
    ];
    let want: Vec<(String, Vec<String>)> =
        want_zh.iter().map(|(s, c)| (s.to_string(), c.iter().map(|c| c.to_string()).collect())).collect();
    assert_eq!(found, want, "Chinese: Ⅰ级, 1级 and 一级 are one class; the numbered statement in the text");
    let text_rec = zh.iter().find(|q| q.object.to_string() == literal("推荐意见 1")).expect("the statement's number");
    assert!(text_rec.subject.to_string().ends_with("/rec5>"), "four table rows on page 1 come first");
    let zh_doc = extract_file_with_layout(&corpus_dir().join("zh_guideline.pdf")).unwrap();
    let in_json: Vec<(&str, Option<u32>)> = zh_doc.recommendations.iter().map(|r| (r.id.as_str(), r.row)).collect();
    assert_eq!(
        in_json,
        [("rec1", Some(1)), ("rec2", Some(2)), ("rec3", Some(3)), ("rec4", Some(4)), ("rec5", None)],
        "the contract JSON lists them too"
    );
}

#[test]
fn dose_cells_are_typed_quantities() {
    let doc = extract_file_with_layout(&corpus_dir().join("en_guideline.pdf")).unwrap();
    let quads = build(&doc);
    let table = doc.tables.iter().find(|t| t.caption.as_deref().is_some_and(|c| c.contains("doses"))).unwrap();
    let d = document_iri(&doc.source.sha256);
    let quantity = |text: &str| {
        let cell = table.cells.iter().find(|c| c.text.trim() == text).unwrap_or_else(|| panic!("cell {text}"));
        format!("<{d}/{}/r{}/c{}>", table.id, cell.row + 1, cell.col + 1)
    };
    let decimal = |v: &str| format!("\"{v}\"^^<http://www.w3.org/2001/XMLSchema#decimal>");
    let q = quantity("500 micrograms");
    assert_eq!(objects(&quads, &q, "value"), [decimal("500")]);
    assert_eq!(objects(&quads, &q, "unit"), [literal("micrograms")]);
    assert_eq!(objects(&quads, &q, "ucumCode"), [literal("ug")]);
    let q = quantity("0.1 to 0.15 mL");
    assert_eq!(objects(&quads, &q, "minValue"), [decimal("0.1")]);
    assert_eq!(objects(&quads, &q, "maxValue"), [decimal("0.15")]);
    assert_eq!(objects(&quads, &q, "unit"), [literal("mL")]);
    let rows_with_quantities = quads.iter().filter(|q| q.predicate.as_str() == format!("{CX}hasQuantity")).count();
    assert_eq!(rows_with_quantities, 8, "two dose columns of four rows");
}

/// Every format of the generated guidelines' triples, and the vocabulary, parse with rdflib, an
/// RDF library independent of the one clinex writes with, to the same number of statements.
#[test]
fn every_format_parses_with_an_independent_parser() {
    let dir = std::env::temp_dir().join(format!("clinex-rdf-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut expected = Vec::new();
    for name in ["en_guideline", "zh_guideline", "long_tables"] {
        let doc = extract_file_with_layout(&corpus_dir().join(format!("{name}.pdf"))).unwrap();
        let quads = build(&doc);
        for format in Format::ALL {
            let ext = format.extension();
            let path = dir.join(format!("{name}.{ext}"));
            std::fs::write(&path, serialize(&quads, format).unwrap()).unwrap();
            let graph = matches!(format, Format::NQuads | Format::JsonLd).then(|| document_iri(&doc.source.sha256));
            expected.push((path, quads.len(), graph));
        }
    }
    let vocab = dir.join("vocab.ttl");
    std::fs::write(&vocab, extractor::triples::VOCABULARY).unwrap();
    let mut files: Vec<std::path::PathBuf> = expected.iter().map(|e| e.0.clone()).collect();
    files.push(vocab.clone());
    let (ok, report) = clinex_tests::independent_check("rdf", &files);
    assert!(ok, "rdflib failed: {report}");
    for (path, count, graph) in &expected {
        let r = &report[path.to_str().unwrap()];
        assert_eq!(r["statements"].as_u64(), Some(*count as u64), "{}: {r}", path.display());
        let graphs: Vec<&str> = r["graphs"].as_array().unwrap().iter().filter_map(|g| g.as_str()).collect();
        match graph {
            Some(g) => assert_eq!(graphs, [g.as_str()], "{}: the document's named graph", path.display()),
            None => assert!(graphs.is_empty(), "{}", path.display()),
        }
    }
    assert!(report[vocab.to_str().unwrap()]["statements"].as_u64().unwrap() > 300, "the vocabulary: {report}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The same PDF twice gives the same quads; two documents share no resource IRI (only the
/// vocabulary's concepts); every resource found in a document has an `rdfs:label`.
#[test]
fn iris_are_stable_distinct_per_document_and_labelled() {
    let en_path = corpus_dir().join("en_guideline.pdf");
    let en = build(&extract_file_with_layout(&en_path).unwrap());
    assert_eq!(build(&extract_file_with_layout(&en_path).unwrap()), en, "extracting twice gives the same quads");
    let zh_doc = extract_file_with_layout(&corpus_dir().join("zh_guideline.pdf")).unwrap();
    let zh = build(&zh_doc);
    let subjects = |quads: &[oxrdf::Quad]| -> std::collections::HashSet<String> {
        quads.iter().map(|q| q.subject.to_string()).filter(|s| !s.starts_with(&format!("<{CX}"))).collect()
    };
    let (en_subjects, zh_subjects) = (subjects(&en), subjects(&zh));
    assert!(en_subjects.is_disjoint(&zh_subjects), "documents never share an IRI");
    // Every class, property and concept of the vocabulary that the triples use is defined.
    let vocabulary: std::collections::HashSet<String> =
        extractor::triples::parse(extractor::triples::VOCABULARY, Format::Turtle)
            .unwrap()
            .into_iter()
            .map(|q| q.subject.to_string())
            .collect();
    for q in en.iter().chain(&zh) {
        for term in [format!("<{}>", q.predicate.as_str()), q.object.to_string()] {
            if term.starts_with(&format!("<{CX}")) {
                assert!(vocabulary.contains(&term), "{term} is not in vocab.ttl");
            }
        }
    }
    let doc = format!("<{}", document_iri(&zh_doc.source.sha256));
    let label = "http://www.w3.org/2000/01/rdf-schema#label";
    for s in zh_subjects.iter().filter(|s| s.starts_with(&doc)) {
        assert!(
            zh.iter().any(|q| q.subject.to_string() == *s && q.predicate.as_str() == label),
            "{s} has no rdfs:label"
        );
    }
}

/// Every flowchart of the generated guidelines (vector and scanned) as an HL7 FHIR
/// PlanDefinition that fhir.resources validates, with FHIR's required value sets.
#[test]
fn flowcharts_export_as_valid_fhir_plan_definitions() {
    let dir = std::env::temp_dir().join(format!("clinex-fhir-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::new();
    for name in ["en_guideline", "zh_guideline", "scanned_guideline_en"] {
        let doc = extract_file_with_layout(&corpus_dir().join(format!("{name}.pdf"))).unwrap();
        assert!(!doc.flowcharts.is_empty(), "{name} has a flowchart");
        for chart in &doc.flowcharts {
            let plan = extractor::flowcharts::to_plan_definition(chart, &doc.source.sha256);
            let path = dir.join(format!("{name}-{}.json", chart.id));
            std::fs::write(&path, serde_json::to_vec(&plan).unwrap()).unwrap();
            files.push((path, chart.nodes.len()));
        }
    }
    let paths: Vec<std::path::PathBuf> = files.iter().map(|f| f.0.clone()).collect();
    let (ok, report) = clinex_tests::independent_check("fhir", &paths);
    assert!(ok, "FHIR validation failed: {report}");
    for (path, nodes) in &files {
        let actions = report[path.to_str().unwrap()]["actions"].as_u64().unwrap();
        assert!(actions as usize >= *nodes, "{}: one action per step at least", path.display());
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
