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

/// Runs the full pipeline on every document of `PAGES.tsv` and scores "this page holds a
/// flowchart" against the labels, for vector and raster flowcharts separately.
pub fn evaluate(engines: Engines<'_>, clinical: &Path) -> anyhow::Result<String> {
    let tsv = std::fs::read_to_string(clinical.join("PAGES.tsv")).context("cannot read PAGES.tsv")?;
    let mut lines = tsv.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).with_context(|| format!("PAGES.tsv lacks {name}"));
    let (c_path, c_flow, c_render, c_fig) =
        (col("path")?, col("flowchart_pages")?, col("flowchart_rendering")?, col("figure_caption_pages")?);
    let (mut vector, mut raster, mut all, mut vs_figures) =
        (Tally::default(), Tally::default(), Tally::default(), Tally::default());
    let mut misses = Vec::new();
    for row in lines.filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = row.split('\t').collect();
        let path = clinical.join(f[c_path]);
        let bytes = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let doc =
            extract_with(&bytes, &Options::default(), engines).map_err(|e| anyhow::anyhow!("{}: {e}", f[c_path]))?;
        let truth = pages(f.get(c_flow).copied().unwrap_or(""));
        let is_raster = f.get(c_render).is_some_and(|r| r.starts_with("raster"));
        let figure_pages = pages(f.get(c_fig).copied().unwrap_or(""));
        for page in &doc.pages {
            let found = page.regions.iter().any(|r| r.kind == RegionKind::Flowchart);
            let expected = truth.contains(&page.number);
            let tally = if is_raster { &mut raster } else { &mut vector };
            for t in [tally, &mut all] {
                match (found, expected) {
                    (true, true) => t.true_pos += 1,
                    (true, false) => t.false_pos += 1,
                    (false, true) => t.false_neg += 1,
                    (false, false) => {}
                }
            }
            // Against the other figure pages only: the harder negatives.
            if expected || figure_pages.contains(&page.number) {
                match (found, expected) {
                    (true, true) => vs_figures.true_pos += 1,
                    (true, false) => vs_figures.false_pos += 1,
                    (false, true) => vs_figures.false_neg += 1,
                    (false, false) => {}
                }
            }
            if found != expected {
                let what = if found { "false positive" } else { "missed" };
                misses.push(format!("- {what}: {} p{}", f[c_path], page.number));
            }
        }
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## Flowchart pages in `clinical/PAGES.tsv` (full pipeline)\n\n\
         A page counts as found when it has a `flowchart` region. Positives are the labelled flowchart pages; vector and\n\
         raster rows split by the document's `flowchart_rendering`; every other page of the same documents is a negative.\n\n\
         | set | precision | recall | TP | FP | FN |\n|---|---|---|---|---|---|"
    );
    for (name, t) in [
        ("vector documents", &vector),
        ("raster documents", &raster),
        ("all pages", &all),
        ("against other figure pages", &vs_figures),
    ] {
        let _ = writeln!(out, "{}", t.line(name));
    }
    let _ = writeln!(out, "\nErrors:\n{}\n", misses.join("\n"));
    Ok(out)
}
