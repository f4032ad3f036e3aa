//! Table pages of the clinical guidelines: does clinex find a table on the pages `PAGES.tsv`
//! lists as holding one (English and Chinese), and on no other page?

use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::Path;

use anyhow::Context;
use extractor::{Engines, Options, extract_with};

use super::metrics::Counts;

/// Page-level precision and recall of table detection, by language; returns the report section.
pub fn evaluate(engines: Engines<'_>, clinical: &Path) -> anyhow::Result<String> {
    let tsv = std::fs::read_to_string(clinical.join("PAGES.tsv")).context("cannot read PAGES.tsv")?;
    let mut lines = tsv.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).with_context(|| format!("PAGES.tsv lacks {name}"));
    let (c_path, c_lang, c_tables) = (col("path")?, col("lang")?, col("table_pages")?);
    let (mut en, mut zh) = (Counts::default(), Counts::default());
    let mut errors = Vec::new();
    for row in lines.filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = row.split('\t').collect();
        let bytes = std::fs::read(clinical.join(f[c_path])).with_context(|| format!("cannot read {}", f[c_path]))?;
        let doc =
            extract_with(&bytes, &Options::default(), engines).map_err(|e| anyhow::anyhow!("{}: {e}", f[c_path]))?;
        let truth: BTreeSet<u32> = f[c_tables].split(';').filter_map(|p| p.trim().parse().ok()).collect();
        let counts = if f[c_lang] == "zh" { &mut zh } else { &mut en };
        for page in &doc.pages {
            let found = doc.tables.iter().any(|t| t.page == page.number);
            match (found, truth.contains(&page.number)) {
                (true, true) => counts.true_pos += 1,
                (true, false) => {
                    counts.false_pos += 1;
                    errors.push(format!("- false positive: {} p{}", f[c_path], page.number));
                }
                (false, true) => {
                    counts.false_neg += 1;
                    errors.push(format!("- missed: {} p{}", f[c_path], page.number));
                }
                (false, false) => {}
            }
        }
    }
    let totals = std::collections::BTreeMap::from([
        ("Chinese documents".to_string(), zh),
        ("English documents".to_string(), en),
    ]);
    let mut out = String::from(
        "## Table pages of the clinical guidelines (`clinical/PAGES.tsv`)\n\n\
         A page counts as found when clinex gives it a table with cells. The labels come from a caption scan and a\n\
         manual pass (some \"table-like\" blocks are labelled, see the notes column there).\n\n",
    );
    out.push_str(&super::layout::counts_table(&totals));
    let _ = writeln!(out, "\nErrors:\n{}", errors.join("\n"));
    Ok(out)
}
