//! clinex's accuracy harness, `clinex eval ...`: accuracy on the evaluation data in
//! `../shared/data`, written to the reports beside this crate (`eval/*.md`). Not part of the
//! product path: it loads engines through `clinex-engines` like the CLI does, and only reads
//! the extractor's output.
//!
//! Depends on: `clinex-extractor`, `clinex-engines`, `clinex-layout-model` (the detector alone,
//! for the model-only scores).

mod docling;
mod flowcharts;
mod graphs;
mod guideline_tables;
mod icdar2013;
mod layout;
mod metrics;
mod ocr;
mod table_cases;
mod table_pages;
mod table_pictures;
mod triples;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use clinex_engines::LoadedEngines;
use extractor::Config;

#[derive(Args)]
pub struct EvalArgs {
    #[command(subcommand)]
    pub what: EvalCommand,
}

#[derive(Subcommand)]
pub enum EvalCommand {
    /// Layout detection: per-class precision/recall/F1 at IoU 0.5 on PubLayNet, and flowchart
    /// page detection on the clinical documents.
    Layout(LayoutEvalArgs),
    /// Table structure and regions on the ICDAR 2013 table competition dataset.
    Tables(icdar2013::TablesEvalArgs),
    /// OCR character and word error rates and speed on the OCR samples.
    Ocr(ocr::OcrEvalArgs),
    /// Flowchart graphs: node F1, edge F1 and label accuracy against true graphs.
    Graphs(graphs::GraphEvalArgs),
    /// Guideline tables: detection and adjacency F1 on the independent generator's tables and the
    /// hand-annotated clinical tables.
    GuidelineTables(guideline_tables::GuidelineTablesEvalArgs),
    /// Knowledge-graph triples of the clinical guidelines: what they hold, edge and cell
    /// coverage, and all four formats parsed back (oxrdfio and rdflib).
    Triples(triples::TriplesEvalArgs),
}

#[derive(Args)]
pub struct LayoutEvalArgs {
    /// The shared evaluation data.
    #[arg(long, default_value = "../shared/data")]
    pub data: PathBuf,
    /// Where to write the report.
    #[arg(long, default_value = "eval/layout.md")]
    pub out: PathBuf,
    /// Flowchart page labels corrected by eye (path, page, flowchart yes/no, rendering, reason).
    #[arg(long, default_value = "eval/flowchart-adjudication.tsv")]
    pub adjudication: PathBuf,
}

/// Runs the evaluation `args` names with the engines `config` asks for.
pub fn run(args: EvalArgs, config: &Config) -> anyhow::Result<ExitCode> {
    match args.what {
        EvalCommand::Layout(a) => layout::run(a, config),
        EvalCommand::Tables(a) => icdar2013::run(a, config),
        EvalCommand::Ocr(a) => ocr::run(a, config),
        EvalCommand::Graphs(a) => graphs::run(a, config),
        EvalCommand::GuidelineTables(a) => guideline_tables::run(a, config),
        EvalCommand::Triples(a) => triples::run(a, config),
    }
}

/// The engines `config` asks for, with the layout models on whatever it says (the evaluations
/// that measure the models need them).
fn with_layout(config: &Config) -> anyhow::Result<LoadedEngines> {
    let mut config = config.clone();
    config.layout.enabled = true;
    let loaded = LoadedEngines::load(&config)?;
    anyhow::ensure!(loaded.models.is_some(), "the layout model is required");
    Ok(loaded)
}

/// The models of engines loaded by [`with_layout`].
fn models(loaded: &LoadedEngines) -> anyhow::Result<&clinex_engines::Models> {
    loaded.models.as_ref().context("the layout model is required")
}

/// Where an evaluated sample comes from: its data set, how it is drawn (vector, picture, scan,
/// fax, photo), its language, and whether it was held out while tuning.
pub(crate) struct SetKey {
    pub source: &'static str,
    pub kind: String,
    pub lang: String,
    pub heldout: bool,
}

impl SetKey {
    /// The key a truth file gives itself: its `rendering` (vector by default), `lang` (en by
    /// default) and `split` ("heldout" or not).
    pub fn of(source: &'static str, truth: &serde_json::Value) -> Self {
        let text = |k: &str, d: &str| truth[k].as_str().unwrap_or(d).to_string();
        SetKey {
            source,
            kind: text("rendering", "vector"),
            lang: text("lang", "en"),
            heldout: truth["split"] == "heldout",
        }
    }

    /// Source, kind and language, as a report names the group.
    pub fn group(&self) -> String {
        format!("{}, {}, {}", self.source, self.kind, self.lang)
    }

    pub fn split(&self) -> &'static str {
        if self.heldout { "held out" } else { "dev" }
    }
}

/// Report rows for each value of `key` (in order of first appearance), dev then held out, each
/// made by `row(name, split, samples)`.
pub(crate) fn rows_by<T>(
    items: &[T],
    set: impl Fn(&T) -> &SetKey,
    key: impl Fn(&SetKey) -> String,
    row: impl Fn(&str, &str, &[&T]) -> String,
) -> String {
    let mut keys: Vec<String> = Vec::new();
    for item in items {
        let k = key(set(item));
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    let mut out = String::new();
    for k in keys {
        for heldout in [false, true] {
            let members: Vec<&T> = items.iter().filter(|i| key(set(i)) == k && set(i).heldout == heldout).collect();
            if let Some(first) = members.first() {
                out.push_str(&row(&k, set(first).split(), &members));
            }
        }
    }
    out
}

/// The two summary sections of a report: by source and split, then by source, kind and
/// language; `header` heads each table and `row(name, split, samples)` makes a row.
pub(crate) fn summary_sections<T>(
    items: &[T],
    set: impl Fn(&T) -> &SetKey + Copy,
    header: &str,
    row: impl Fn(&str, &str, &[&T]) -> String + Copy,
) -> String {
    format!(
        "## By source and split\n\n{header}{}\n## By source, kind and language\n\n{header}{}",
        rows_by(items, set, |k: &SetKey| k.source.to_string(), row),
        rows_by(items, set, SetKey::group, row)
    )
}

/// One page of a document through the whole pipeline, and the seconds that took. A document
/// the pipeline cannot read is reported on stderr and gives no extraction: it scores as
/// nothing found, it does not stop the evaluation.
fn extract_page(
    path: &std::path::Path,
    page: u32,
    engines: extractor::Engines<'_>,
) -> anyhow::Result<(Option<extractor::model::Extraction>, f64)> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let started = std::time::Instant::now();
    let options = extractor::Options { pages: Some(page.to_string().parse()?), ..Default::default() };
    let doc = extractor::extract_with(&bytes, &options, engines).map_err(|e| eprintln!("{}: {e}", path.display())).ok();
    Ok((doc, started.elapsed().as_secs_f64()))
}

/// Writes a report where asked (creating its directory) and prints it.
fn write_report(out: &std::path::Path, report: &str) -> anyhow::Result<ExitCode> {
    use anyhow::Context;
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(out, report).with_context(|| format!("cannot write {}", out.display()))?;
    print!("{report}");
    eprintln!("report written to {}", out.display());
    Ok(ExitCode::SUCCESS)
}
