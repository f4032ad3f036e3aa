//! Every generated document through the whole pipeline (layout model, OCR, table structure),
//! each stage's output against its golden: regions, tables as CSV, flowcharts as Mermaid,
//! triples as sorted N-Quads (`golden/<name>.layout.txt`, `.tables.txt`, `.flowcharts.txt`,
//! `.triples.nq`). A change in any stage shows as a readable diff; `CLINEX_BLESS=1` accepts it.

use clinex_tests::{extract_file_with_layout, golden};

/// Every document `make corpus` generates but the encrypted one (which does not open) and the
/// pathological tables.
const GENERATED: [&str; 10] = [
    "en_guideline",
    "zh_guideline",
    "two_column",
    "typesetting",
    "long_tables",
    "picture_table",
    "raster_table",
    "raster_flowchart",
    "scanned_guideline_en",
    "scanned_guideline_zh",
];

/// Its 100 x 50 table makes 30,000 quads (9 MB of N-Quads): its triples are counted by the
/// triples tests, its other stages are goldens.
const PATHOLOGICAL: &str = "pathological_tables";

#[test]
fn every_stage_of_every_generated_document_matches_its_golden() {
    let all = golden::check_corpus(&GENERATED, &golden::STAGES, extract_file_with_layout);
    let pathological = golden::check_corpus(&[PATHOLOGICAL], &golden::STAGES[..3], extract_file_with_layout);
    let failures: Vec<String> = [all, pathological].into_iter().filter_map(Result::err).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_generated_corpus_is_what_the_goldens_list() {
    let mut generated: Vec<String> = std::fs::read_dir(clinex_tests::corpus_dir())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix(".pdf").map(String::from))
        .filter(|name| name != "encrypted")
        .collect();
    generated.sort();
    let mut listed: Vec<&str> = GENERATED.iter().copied().chain([PATHOLOGICAL]).collect();
    listed.sort_unstable();
    assert_eq!(generated, listed, "a new generated document needs its goldens");
}

#[test]
fn every_data_cell_of_the_pathological_tables_is_a_triple() {
    use std::collections::HashSet;
    let doc = extract_file_with_layout(&clinex_tests::corpus_dir().join(format!("{PATHOLOGICAL}.pdf"))).unwrap();
    let quads = extractor::triples::build(&doc);
    assert_eq!(doc.triples.as_ref().map(|t| t.count), Some(quads.len() as u64), "the count in the JSON");
    let statements: HashSet<(String, String, String)> =
        quads.iter().map(|q| (q.subject.to_string(), q.predicate.to_string(), q.object.to_string())).collect();
    let d = extractor::triples::document_iri(&doc.source.sha256);
    let mut checked = 0;
    for table in &doc.tables {
        let headers = extractor::clinical::column_headers(table);
        let first_col = table.cells.iter().filter(|c| !c.header).map(|c| c.col).min().unwrap_or(0);
        for cell in table.cells.iter().filter(|c| !c.header && c.col != first_col && !c.text.trim().is_empty()) {
            let row = format!("<{d}/{}/r{}>", table.id, cell.row + 1);
            let column = extractor::triples::column_property(
                &format!("{d}/{}", table.id),
                cell.col,
                &headers[cell.col as usize],
            );
            let literal = oxrdf::Literal::new_simple_literal(cell.text.trim()).to_string();
            assert!(
                statements.contains(&(row.clone(), format!("<{column}>"), literal)),
                "{row} {column} {:?}",
                cell.text
            );
            checked += 1;
        }
    }
    assert!(checked > 4000, "the 100 x 50 table's cells: {checked}");
}
