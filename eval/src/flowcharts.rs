//! Flowchart page detection on the clinical documents against `PAGES.tsv`.

use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::Path;

use anyhow::Context;
use extractor::model::RegionKind;
use extractor::{Engines, Options, extract_with};

#[derive(Default)]
struct Tally {
    true_pos: u32,
    false_pos: u32,
    false_neg: u32,
}

impl Tally {
    fn line(&self, name: &str) -> String {
        let p = ratio(self.true_pos, self.true_pos + self.false_pos);
        let r = ratio(self.true_pos, self.true_pos + self.false_neg);
        format!("| {name} | {p:.3} | {r:.3} | {} | {} | {} |", self.true_pos, self.false_pos, self.false_neg)
    }
}

fn ratio(a: u32, b: u32) -> f64 {
    if b == 0 { 0.0 } else { f64::from(a) / f64::from(b) }
}

fn pages(field: &str) -> BTreeSet<u32> {
    field.split(';').filter_map(|p| p.trim().parse().ok()).collect()
}

/// One page of a labelled document: what the pipeline found and what the labels say.
struct PageResult {
    doc: String,
    page: u32,
    found: bool,
    labelled: bool,
    raster: bool,
    figure_page: bool,
}

/// A page whose label was checked by eye and corrected (`eval/flowchart-adjudication.tsv`).
struct Correction {
    doc: String,
    page: u32,
    flowchart: bool,
    raster: bool,
}

fn read_corrections(path: &Path) -> anyhow::Result<Vec<Correction>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate().skip(1).filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#')) {
        let f: Vec<&str> = line.split('\t').collect();
        anyhow::ensure!(
            f.len() >= 4,
            "{}:{}: expected path, page, flowchart, rendering, reason",
            path.display(),
            n + 1
        );
        out.push(Correction {
            doc: f[0].to_string(),
            page: f[1].parse().with_context(|| format!("{}:{}: bad page", path.display(), n + 1))?,
            flowchart: f[2] == "yes",
            raster: f[3].starts_with("raster"),
        });
    }
    Ok(out)
}

/// Runs the full pipeline on every document of `PAGES.tsv` and scores "this page holds a
/// flowchart" against the labels, for vector and raster flowcharts separately; then again with
/// the labels corrected by `adjudication` where a page was checked by eye.
pub fn evaluate(engines: Engines<'_>, clinical: &Path, adjudication: &Path) -> anyhow::Result<String> {
    let tsv = std::fs::read_to_string(clinical.join("PAGES.tsv")).context("cannot read PAGES.tsv")?;
    let mut lines = tsv.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).with_context(|| format!("PAGES.tsv lacks {name}"));
    let (c_path, c_flow, c_render, c_fig) =
        (col("path")?, col("flowchart_pages")?, col("flowchart_rendering")?, col("figure_caption_pages")?);
    let mut results = Vec::new();
    for row in lines.filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = row.split('\t').collect();
        let path = clinical.join(f[c_path]);
        let bytes = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let doc =
            extract_with(&bytes, &Options::default(), engines).map_err(|e| anyhow::anyhow!("{}: {e}", f[c_path]))?;
        let truth = pages(f.get(c_flow).copied().unwrap_or(""));
        let raster = f.get(c_render).is_some_and(|r| r.starts_with("raster"));
        let figure_pages = pages(f.get(c_fig).copied().unwrap_or(""));
        for page in &doc.pages {
            results.push(PageResult {
                doc: f[c_path].to_string(),
                page: page.number,
                found: page.regions.iter().any(|r| r.kind == RegionKind::Flowchart),
                labelled: truth.contains(&page.number),
                raster,
                figure_page: figure_pages.contains(&page.number),
            });
        }
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## Flowchart pages in `clinical/PAGES.tsv` (full pipeline)\n\n\
         A page counts as found when it has a `flowchart` region. Positives are the labelled flowchart pages; vector and\n\
         raster rows split by the document's `flowchart_rendering`; every other page of the same documents is a negative.\n\n\
         ### As labelled\n"
    );
    out.push_str(&score(&results));
    let corrections = read_corrections(adjudication)?;
    for c in &corrections {
        let r = results
            .iter_mut()
            .find(|r| r.doc == c.doc && r.page == c.page)
            .with_context(|| format!("{}: no page {} of {} in PAGES.tsv", adjudication.display(), c.page, c.doc))?;
        r.labelled = c.flowchart;
        r.raster = c.raster;
        r.figure_page = true;
    }
    let _ = writeln!(
        out,
        "### With {} labels corrected by eye\n\n\
         The pages in `{}` were looked at one by one (reason on each line): flowcharts the caption scan missed\n\
         (a reproduced algorithm without its caption, a CONSORT diagram) and diagrams of steps joined by arrows.\n",
        corrections.len(),
        adjudication.display()
    );
    out.push_str(&score(&results));
    Ok(out)
}

/// The precision/recall table and the list of errors.
fn score(results: &[PageResult]) -> String {
    let (mut vector, mut raster, mut all, mut vs_figures) =
        (Tally::default(), Tally::default(), Tally::default(), Tally::default());
    let mut errors = Vec::new();
    for r in results {
        let tally = if r.raster { &mut raster } else { &mut vector };
        let mut sets = vec![tally, &mut all];
        // Against the other figure pages only: the harder negatives.
        if r.labelled || r.figure_page {
            sets.push(&mut vs_figures);
        }
        for t in sets {
            match (r.found, r.labelled) {
                (true, true) => t.true_pos += 1,
                (true, false) => t.false_pos += 1,
                (false, true) => t.false_neg += 1,
                (false, false) => {}
            }
        }
        if r.found != r.labelled {
            let what = if r.found { "false positive" } else { "missed" };
            errors.push(format!("- {what}: {} p{}", r.doc, r.page));
        }
    }
    let mut out = String::from("| set | precision | recall | TP | FP | FN |\n|---|---|---|---|---|---|\n");
    for (name, t) in
        [("vector", &vector), ("raster", &raster), ("all pages", &all), ("against other figure pages", &vs_figures)]
    {
        let _ = writeln!(out, "{}", t.line(name));
    }
    let _ = writeln!(out, "\nErrors:\n{}\n", errors.join("\n"));
    out
}
