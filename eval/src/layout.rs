//! Layout evaluation: PubLayNet pages (images, so the model stage alone) and flowchart pages
//! of the clinical documents (the full pipeline).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use extractor::geometry::BBox;
use extractor::layout::{LayoutDetector, LayoutLabel};
use serde::Deserialize;

use extractor::Config;

use super::LayoutEvalArgs;
use super::metrics::{Counts, match_page};

#[derive(Deserialize)]
struct Coco {
    images: Vec<CocoImage>,
    annotations: Vec<CocoAnnotation>,
    categories: Vec<CocoCategory>,
}

#[derive(Deserialize)]
struct CocoImage {
    id: u64,
    file_name: String,
}

#[derive(Deserialize)]
struct CocoAnnotation {
    image_id: u64,
    category_id: u64,
    bbox: [f32; 4],
}

#[derive(Deserialize)]
struct CocoCategory {
    id: u64,
    name: String,
}

/// PubLayNet's classes for a CDLA label: captions, references and equations are `text` there;
/// headers and footers are not annotated, so they are left out of the score.
fn publaynet_class(label: LayoutLabel) -> Option<&'static str> {
    match label {
        LayoutLabel::Text
        | LayoutLabel::FigureCaption
        | LayoutLabel::TableCaption
        | LayoutLabel::Reference
        | LayoutLabel::Equation => Some("text"),
        LayoutLabel::Title => Some("title"),
        LayoutLabel::List => Some("list"),
        LayoutLabel::Table => Some("table"),
        LayoutLabel::Figure | LayoutLabel::Flowchart => Some("figure"),
        LayoutLabel::Header | LayoutLabel::Footer => None,
    }
}

pub fn run(args: LayoutEvalArgs, config: &Config) -> anyhow::Result<ExitCode> {
    let loaded = super::with_layout(config)?;
    let models = super::models(&loaded)?;
    let detector = &models.layout;
    let mut report = String::new();
    let _ = writeln!(report, "# Layout evaluation\n\nRegenerate with `make eval-layout` (`clinex eval layout`).\n");
    let (table, ms_per_page) = publaynet(detector, &args.data.join("layout/publaynet/examples"))?;
    let _ = writeln!(
        report,
        "## PubLayNet ({} pages, the layout model alone: these pages are images)\n\n\
         Model: {}; IoU 0.5; CDLA's captions, references and equations count as PubLayNet `text`, its headers and\n\
         footers are not scored (PubLayNet does not annotate them); CDLA has no `list` class.\n\n{table}\n\
         Layout model time: {ms_per_page:.0} ms/page (render excluded, {threads} ONNX Runtime threads).\n",
        20,
        detector.name(),
        threads = config.layout_threads(),
    );
    let engines = loaded.engines();
    let cvat = args.data.join("layout/docling-eval/tests/data/cvat_pdfs_dataset_e2e");
    let (pdf_table, pdf_pages) = super::docling::pdf_case(engines, &cvat)?;
    let (image_table, image_pages) = super::docling::image_case(detector, &cvat)?;
    let _ = writeln!(
        report,
        "## docling-eval CVAT annotations\n\n\
         IoU 0.5; their `section_header` is our `heading`, `list_item` our `list` (they box each item, clinex the \
         whole list), `picture`/`chart` our `figure` or `flowchart`.\n\n### case_02: {pdf_pages} PDF pages, the whole clinex pipeline\n\n{pdf_table}\n\
         ### case_03: {image_pages} page images, the layout model alone\n\n{image_table}"
    );
    let flow = super::flowcharts::evaluate(engines, &args.data.join("clinical"), &args.adjudication)?;
    report.push_str(&flow);
    super::write_report(&args.out, &report)
}

/// Scores the model on the COCO-annotated PubLayNet sample; returns a Markdown table and ms/page.
fn publaynet(detector: &dyn LayoutDetector, dir: &Path) -> anyhow::Result<(String, f64)> {
    let coco: Coco = serde_json::from_str(
        &std::fs::read_to_string(dir.join("samples.json")).with_context(|| format!("cannot read {}", dir.display()))?,
    )?;
    let names: BTreeMap<u64, String> = coco.categories.iter().map(|c| (c.id, c.name.clone())).collect();
    let mut totals: BTreeMap<String, Counts> = BTreeMap::new();
    let mut model_seconds = 0.0;
    for image in &coco.images {
        let path = dir.join(&image.file_name);
        let picture = image::open(&path).with_context(|| format!("cannot read {}", path.display()))?.to_rgb8();
        let started = Instant::now();
        let found = detector.detect(&picture).map_err(|e| anyhow::anyhow!("{e}"))?;
        model_seconds += started.elapsed().as_secs_f64();
        let predicted: Vec<(String, f32, BBox)> = found
            .into_iter()
            .filter_map(|d| publaynet_class(d.label).map(|c| (c.to_string(), d.score, d.bbox)))
            .collect();
        let truth: Vec<(String, BBox)> = coco
            .annotations
            .iter()
            .filter(|a| a.image_id == image.id)
            .map(|a| {
                let [x, y, w, h] = a.bbox;
                (names[&a.category_id].clone(), BBox::new(x, y, x + w, y + h))
            })
            .collect();
        for (class, counts) in match_page(&predicted, &truth, 0.5) {
            totals.entry(class).or_default().add(counts);
        }
    }
    Ok((counts_table(&totals), 1000.0 * model_seconds / coco.images.len().max(1) as f64))
}

/// Markdown table of per-class counts with an overall row.
pub fn counts_table(totals: &BTreeMap<String, Counts>) -> String {
    let mut out = String::from("| class | precision | recall | F1 | TP | FP | FN |\n|---|---|---|---|---|---|---|\n");
    let mut all = Counts::default();
    for (class, c) in totals {
        all.add(*c);
        let _ = writeln!(
            out,
            "| {class} | {:.3} | {:.3} | {:.3} | {} | {} | {} |",
            c.precision(),
            c.recall(),
            c.f1(),
            c.true_pos,
            c.false_pos,
            c.false_neg
        );
    }
    let _ = writeln!(
        out,
        "| **all** | {:.3} | {:.3} | {:.3} | {} | {} | {} |",
        all.precision(),
        all.recall(),
        all.f1(),
        all.true_pos,
        all.false_pos,
        all.false_neg
    );
    out
}
