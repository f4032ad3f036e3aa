//! Knowledge-graph triples of real guidelines: for every PDF under `clinical/`, what the triples
//! hold (algorithms, transitions with conditions, tables, rows, quantities, recommendations
//! from tables and from the text, links to the grading vocabulary and to disease degrees),
//! whether every flowchart edge and every data cell is present as a triple, and whether all four
//! serialisations parse back, with the writer's own parsers and with rdflib; and whether each
//! flowchart's FHIR PlanDefinition validates.

use std::fmt::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use extractor::triples::{CX, Format, build, serialize};

use clinex_engines::LoadedEngines;
use extractor::Config;

#[derive(Args)]
pub struct TriplesEvalArgs {
    /// The shared evaluation data.
    #[arg(long, default_value = "../shared/data")]
    pub data: PathBuf,
    /// Where to write the report.
    #[arg(long, default_value = "eval/triples.md")]
    pub out: PathBuf,
    /// The Python with rdflib (`make setup` installs it).
    #[arg(long, default_value = ".deps/venv/bin/python")]
    pub python: PathBuf,
}

/// What one document's triples hold, and their sum over documents: one list of counters.
macro_rules! counters {
    ($($field:ident),* $(,)?) => {
        #[derive(Debug, Default, Clone, Copy)]
        struct Counts {
            $($field: usize,)*
        }

        impl std::ops::AddAssign for Counts {
            fn add_assign(&mut self, o: Self) {
                $(self.$field += o.$field;)*
            }
        }
    };
}

counters!(
    documents,
    pages,
    quads,
    algorithms,
    transitions,
    conditions,
    tables,
    rows,
    quantities,
    units,
    ucum_codes,
    table_recommendations,
    text_recommendations,
    grading_links,
    severity_links,
    edges_missing,
    cells_missing,
    parse_failures,
);

fn count(doc: &extractor::Extraction, quads: &[oxrdf::Quad]) -> Counts {
    let with = |local: &'static str| quads.iter().filter(move |q| q.predicate.as_str().strip_prefix(CX) == Some(local));
    let table_recommendations = doc.recommendations.iter().filter(|r| r.table.is_some()).count();
    let has = |s: &str, p: &str, o: &str| {
        quads.iter().any(|q| q.subject.to_string() == s && q.predicate.as_str() == p && q.object.to_string() == o)
    };
    let d = extractor::triples::document_iri(&doc.source.sha256);
    let edges_missing = doc
        .flowcharts
        .iter()
        .flat_map(|f| f.edges.iter().map(move |e| (f, e)))
        .filter(|(f, e)| {
            !has(&format!("<{d}/{}/{}>", f.id, e.source), &format!("{CX}next"), &format!("<{d}/{}/{}>", f.id, e.target))
        })
        .count();
    let mut cells_missing = 0;
    for t in &doc.tables {
        let first = t.cells.iter().filter(|c| !c.header).map(|c| c.col).min().unwrap_or(0);
        let headers = extractor::clinical::column_headers(t);
        for c in t.cells.iter().filter(|c| !c.header && c.col != first && !c.text.trim().is_empty()) {
            let row = format!("<{d}/{}/r{}>", t.id, c.row + 1);
            let column = extractor::triples::column_property(&format!("{d}/{}", t.id), c.col, &headers[c.col as usize]);
            let text = oxrdf::Literal::new_simple_literal(c.text.trim()).to_string();
            // A row's first cell is its label; a cell in the first column of a ragged row too.
            let first_in_row = t.cells.iter().filter(|k| k.row == c.row && !k.header).map(|k| k.col).min();
            if first_in_row != Some(c.col) && !has(&row, &column, &text) {
                cells_missing += 1;
            }
        }
    }
    Counts {
        documents: 1,
        pages: doc.pages.len(),
        quads: quads.len(),
        algorithms: doc.flowcharts.len(),
        transitions: with("hasTransition").count(),
        conditions: with("condition").count(),
        tables: doc.tables.len(),
        rows: with("hasRow").count(),
        quantities: with("hasQuantity").count(),
        units: with("unit").count(),
        ucum_codes: with("ucumCode").count(),
        table_recommendations,
        text_recommendations: with("hasRecommendation").count() - table_recommendations,
        grading_links: extractor::clinical::grading::PREDICATES.iter().map(|p| with(p).count()).sum(),
        severity_links: with("severity").count(),
        edges_missing,
        cells_missing,
        parse_failures: 0,
    }
}

/// `scripts/independent-check.py KIND FILES` (rdflib or fhir.resources): its JSON report.
fn independent_check(python: &std::path::Path, kind: &str, files: &[&PathBuf]) -> anyhow::Result<serde_json::Value> {
    let out = std::process::Command::new(python)
        .arg("scripts/independent-check.py")
        .arg(kind)
        .args(files)
        .output()
        .with_context(|| format!("cannot run {} (make setup installs the checkers)", python.display()))?;
    serde_json::from_slice(&out.stdout).context("independent-check.py printed no JSON")
}

pub fn run(args: TriplesEvalArgs, config: &Config) -> anyhow::Result<ExitCode> {
    let loaded = LoadedEngines::load(config)?;
    let engines = loaded.engines();
    let files = extractor::input::find_documents(&[args.data.join("clinical")])?;
    let scratch = std::env::temp_dir().join(format!("clinex-eval-triples-{}", std::process::id()));
    std::fs::create_dir_all(&scratch)?;
    let (mut rows, mut total, mut written) = (String::new(), Counts::default(), Vec::new());
    let mut build_seconds = 0.0;
    let mut plans = Vec::new();
    for (k, path) in files.iter().enumerate() {
        let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let doc = match extractor::extract_with(&bytes, &extractor::Options::default(), engines) {
            Ok(doc) => doc,
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                continue;
            }
        };
        let started = Instant::now();
        let quads = build(&doc);
        let mut c = count(&doc, &quads);
        for format in Format::ALL {
            let ext = format.extension();
            let text = serialize(&quads, format)?;
            if extractor::triples::parse(&text, format).map(|q| q.len()).ok() != Some(quads.len()) {
                c.parse_failures += 1;
            }
            let file = scratch.join(format!("d{k}.{ext}"));
            std::fs::write(&file, text)?;
            written.push((file, quads.len()));
        }
        build_seconds += started.elapsed().as_secs_f64();
        for chart in &doc.flowcharts {
            let plan = extractor::flowcharts::to_plan_definition(chart, &doc.source.sha256);
            let file = scratch.join(format!("d{k}-{}.fhir.json", chart.id));
            std::fs::write(&file, serde_json::to_vec(&plan)?)?;
            plans.push(file);
        }
        let name = path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
        let _ = writeln!(
            rows,
            "| {name} | {} | {} | {}/{}/{} | {}/{}/{} | {}+{} | {}/{} |",
            c.pages,
            c.quads,
            c.algorithms,
            c.transitions,
            c.conditions,
            c.tables,
            c.rows,
            c.quantities,
            c.table_recommendations,
            c.text_recommendations,
            c.grading_links,
            c.severity_links
        );
        total += c;
    }
    // rdflib, all files in one process.
    let files: Vec<&PathBuf> = written.iter().map(|w| &w.0).collect();
    let report = independent_check(&args.python, "rdf", &files)?;
    let rdflib_ok = written
        .iter()
        .filter(|(file, n)| report[file.to_string_lossy().as_ref()]["statements"].as_u64() == Some(*n as u64))
        .count();
    // The flowcharts as FHIR PlanDefinitions, validated by fhir.resources.
    let fhir = independent_check(&args.python, "fhir", &plans.iter().collect::<Vec<_>>())?;
    let fhir_ok = plans.iter().filter(|p| fhir[p.to_string_lossy().as_ref()]["actions"].is_u64()).count();
    std::fs::remove_dir_all(&scratch)?;
    let t = total;
    let mut md = String::from(
        "# Knowledge-graph triples\n\nRegenerate with `make eval-triples` (`clinex eval triples`). Every PDF under \
         `clinical/` goes through the whole `extract` pipeline, then `extractor::triples::build`. Each document's \
         quads are written in all four formats and parsed back by oxrdfio and by rdflib 7.6 \
         (`scripts/independent-check.py`); a format passes when the parser gives back exactly as many statements.\n\n",
    );
    let _ = writeln!(
        md,
        "| documents | pages | triples | algorithms / transitions / with condition | tables / rows / quantities | recommendations from tables + text | grading links | severity links |\n|---|---|---|---|---|---|---|---|\n\
         | {} | {} | {} | {} / {} / {} | {} / {} / {} | {} + {} | {} | {} |\n",
        t.documents,
        t.pages,
        t.quads,
        t.algorithms,
        t.transitions,
        t.conditions,
        t.tables,
        t.rows,
        t.quantities,
        t.table_recommendations,
        t.text_recommendations,
        t.grading_links,
        t.severity_links
    );
    let _ = writeln!(
        md,
        "- Flowchart edges without a `cx:next` triple: {}; table data cells without their triple: {}.\n\
         - Quantities with a unit: {} of {} (the others are plain numbers); of those, with a UCUM code: {}.\n\
         - Serialisations parsed back to the same count by oxrdfio: {}/{}; by rdflib: {}/{}.\n\
         - Flowcharts as HL7 FHIR PlanDefinitions valid for fhir.resources (R4B models, required value sets checked): {}/{}.\n\
         - Building the quads and writing the four formats: {:.2} s for all documents.\n",
        t.edges_missing,
        t.cells_missing,
        t.units,
        t.quantities,
        t.ucum_codes,
        written.len() - t.parse_failures,
        written.len(),
        rdflib_ok,
        written.len(),
        fhir_ok,
        plans.len(),
        build_seconds
    );
    let _ = write!(
        md,
        "## Documents\n\nalgorithms/transitions/with condition · tables/rows/quantities · recommendations table+text · grading/severity links\n\n\
         | document | pages | triples | flowcharts | tables | recommendations | links |\n|---|---|---|---|---|---|---|\n{rows}"
    );
    super::write_report(&args.out, &md)?;
    let failed =
        t.edges_missing + t.cells_missing + t.parse_failures + (written.len() - rdflib_ok) + (plans.len() - fhir_ok);
    Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
