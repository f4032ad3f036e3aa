//! Guideline tables against ground truth: the independent generator's tables (ruled with many-line
//! cells, unruled under a caption, booktabs; drawn, pictured, scanned, faxed, photographed;
//! English and Chinese) and real guideline tables annotated by hand (`golden/tables/`). Detection
//! (is the table found on its page) and the ICDAR 2013 adjacency measure of its structure.

use std::collections::HashMap;
use std::fmt::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use clinex_engines::LoadedEngines;
use extractor::Config;
use extractor::model::Table;
use serde_json::Value;

use super::SetKey;
use super::graphs::{annotation_files, read_json, truth_files};
use super::icdar2013::{Counts, GridCell, compare, normalise, relations, table_cells};

#[derive(Args)]
pub struct GuidelineTablesEvalArgs {
    /// The shared evaluation data (`clinical/` holds the annotated documents).
    #[arg(long, default_value = "../shared/data")]
    pub data: PathBuf,
    /// The independent generator's documents (`make corpus-independent`).
    #[arg(long, default_value = "corpus/independent/out")]
    pub independent: PathBuf,
    /// Hand-annotated clinical tables.
    #[arg(long, default_value = "golden/tables")]
    pub golden: PathBuf,
    /// Only the tables whose group or name holds this text.
    #[arg(long)]
    pub only: Option<String>,
    /// Leave the held-out samples out (for runs while tuning: they stay unseen).
    #[arg(long)]
    pub dev_only: bool,
    /// Where to write the report.
    #[arg(long, default_value = "eval/guideline-tables.md")]
    pub out: PathBuf,
}

/// One true table and where it is.
struct Sample {
    set: SetKey,
    name: String,
    path: PathBuf,
    page: u32,
    cells: Vec<GridCell>,
    /// Every table of the page is in the truth (a generated page), so extra tables are errors.
    whole_page: bool,
}

fn grid(table: &Value) -> Vec<GridCell> {
    let n = |c: &Value, k: &str, d: u64| c[k].as_u64().unwrap_or(d) as u32;
    table["cells"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            let (r0, c0) = (n(c, "row", 0), n(c, "col", 0));
            GridCell {
                r0,
                c0,
                r1: r0 + n(c, "rowspan", 1).max(1) - 1,
                c1: c0 + n(c, "colspan", 1).max(1) - 1,
                text: c["text"].as_str().unwrap_or_default().to_string(),
            }
        })
        .collect()
}

fn samples(args: &GuidelineTablesEvalArgs) -> anyhow::Result<Vec<Sample>> {
    let mut out = Vec::new();
    let text = |v: &Value, k: &str, d: &str| v[k].as_str().unwrap_or(d).to_string();
    if args.independent.is_dir() {
        for t in truth_files(&args.independent)? {
            let truth = read_json(&t)?;
            for table in truth["tables"].as_array().into_iter().flatten() {
                out.push(Sample {
                    set: SetKey::of("independent generator", &truth),
                    name: text(&truth, "file", ""),
                    path: args.independent.join(text(&truth, "file", "")),
                    page: table["page"].as_u64().unwrap_or(1) as u32,
                    cells: grid(table),
                    whole_page: true,
                });
            }
        }
    }
    for f in annotation_files(&args.golden)? {
        let truth = read_json(&f)?;
        out.push(Sample {
            set: SetKey {
                kind: format!("{}, {}", text(&truth, "rendering", "vector"), text(&truth, "ruling", "full")),
                ..SetKey::of("clinical, hand-annotated", &truth)
            },
            name: f.file_stem().unwrap_or_default().to_string_lossy().into_owned(),
            path: args.data.join("clinical").join(text(&truth, "file", "")),
            page: truth["page"].as_u64().unwrap_or(1) as u32,
            cells: grid(&truth),
            whole_page: false,
        });
    }
    if let Some(only) = &args.only {
        out.retain(|s| s.set.group().contains(only.as_str()) || s.name.contains(only.as_str()));
    }
    if args.dev_only {
        out.retain(|s| !s.set.heldout);
    }
    Ok(out)
}

/// The words of a table's text (Chinese: its characters), as a bag.
fn words(cells: &[GridCell]) -> HashMap<String, usize> {
    let mut bag = HashMap::new();
    for c in cells {
        for w in c.text.split_whitespace() {
            let w = normalise(w);
            let pieces: Vec<String> =
                if w.chars().any(|ch| ch as u32 >= 0x2E80) { w.chars().map(String::from).collect() } else { vec![w] };
            for p in pieces.into_iter().filter(|p| !p.is_empty()) {
                *bag.entry(p).or_default() += 1;
            }
        }
    }
    bag
}

/// How much of the true table's text a found table holds (0 to 1).
fn text_recall(truth: &HashMap<String, usize>, found: &HashMap<String, usize>) -> f64 {
    let total: usize = truth.values().sum();
    let held: usize = truth.iter().map(|(w, n)| (*n).min(found.get(w).copied().unwrap_or(0))).sum();
    if total == 0 { 0.0 } else { held as f64 / total as f64 }
}

/// A found table is the true one when it holds at least this much of its text.
const FOUND_AT: f64 = 0.5;

struct Scored<'a> {
    sample: &'a Sample,
    detected: bool,
    /// Found tables on the page that are no true table (generated pages only).
    extra: usize,
    adjacency: Counts,
    shape: String,
    seconds: f64,
}

fn score<'a>(sample: &'a Sample, found: &[Table], seconds: f64) -> Scored<'a> {
    let truth_words = words(&sample.cells);
    let on_page: Vec<&Table> = found.iter().filter(|t| t.page == sample.page).collect();
    let recall: Vec<f64> = on_page.iter().map(|t| text_recall(&truth_words, &words(&table_cells(t)))).collect();
    let best = (0..on_page.len()).filter(|&k| recall[k] >= FOUND_AT).max_by(|&a, &b| recall[a].total_cmp(&recall[b]));
    let truth_rel = relations(&sample.cells);
    let (rows, cols) = (
        sample.cells.iter().map(|c| c.r1 + 1).max().unwrap_or(0),
        sample.cells.iter().map(|c| c.c1 + 1).max().unwrap_or(0),
    );
    let adjacency = match best {
        Some(k) => compare(&truth_rel, &relations(&table_cells(on_page[k]))),
        None => compare(&truth_rel, &[]),
    };
    let shape = match best {
        Some(k) => format!("{rows}x{cols} found {}x{}", on_page[k].n_rows, on_page[k].n_cols),
        None if on_page.is_empty() => format!("{rows}x{cols} no table on the page"),
        None => format!("{rows}x{cols} {} table(s) on the page hold at most {:.0} % of its text", on_page.len(), {
            100.0 * recall.iter().copied().fold(0.0, f64::max)
        }),
    };
    let extra = if sample.whole_page { on_page.len() - usize::from(best.is_some()) } else { 0 };
    Scored { sample, detected: best.is_some(), extra, adjacency, shape, seconds }
}

pub fn run(args: GuidelineTablesEvalArgs, config: &Config) -> anyhow::Result<ExitCode> {
    let loaded = LoadedEngines::load(config)?;
    let engines = loaded.engines();
    let samples = samples(&args)?;
    let mut results = Vec::new();
    for s in &samples {
        let (doc, seconds) = super::extract_page(&s.path, s.page, engines)?;
        let r = score(s, &doc.map(|d| d.tables).unwrap_or_default(), seconds);
        let (_, _, f) = r.adjacency.prf();
        eprintln!("{} p{}: found {} adjacency F1 {f:.3} ({})", s.name, s.page, r.detected, r.shape);
        results.push(r);
    }
    super::write_report(&args.out, &report(&results))
}

fn summary_row(name: &str, split: &str, set: &[&Scored<'_>]) -> String {
    let (truth, hits) = (set.len(), set.iter().filter(|r| r.detected).count());
    let found = hits + set.iter().map(|r| r.extra).sum::<usize>();
    let whole_page = set.iter().all(|r| r.sample.whole_page);
    let mut adjacency = Counts::default();
    for r in set {
        adjacency.add(r.adjacency);
    }
    let (p, r, f) = adjacency.prf();
    let recall = hits as f64 / truth.max(1) as f64;
    let detection = if whole_page {
        let precision = if found == 0 { 0.0 } else { hits as f64 / found as f64 };
        let f1 = if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
        format!("{precision:.3} | {recall:.3} | {f1:.3}")
    } else {
        // Only one table of each page is annotated: extra tables are not errors.
        format!("- | {recall:.3} | -")
    };
    let secs: f64 = set.iter().map(|r| r.seconds).sum::<f64>() / truth.max(1) as f64;
    format!("| {name} | {split} | {truth} | {detection} | {p:.3} | {r:.3} | {f:.3} | {secs:.2} |\n")
}

fn set_of<'a>(r: &'a Scored<'_>) -> &'a SetKey {
    &r.sample.set
}

fn report(results: &[Scored<'_>]) -> String {
    let mut out = String::from(
        "# Guideline tables\n\nRegenerate with `make eval-guideline-tables` (`clinex eval guideline-tables`). Each table's page goes\n\
         through the whole `extract` pipeline. A true table is found when one table clinex gives on its page holds at\n\
         least half of its words (Chinese: characters); detection precision counts the other tables of the page\n\
         (generated pages only: a hand-annotated page may hold tables nobody annotated). Structure: the ICDAR 2013\n\
         adjacency relations (each non-empty cell with its nearest non-empty neighbour to the right and below, as\n\
         text, text, direction; text lower-cased, letters and digits only, NFKC-folded so that Ⅱ is II) of the true\n\
         table against the found one, pooled; a table not found scores its relations as missed. **held out**: tables not looked at while tuning.\n\n",
    );
    let header = "| group | split | tables | detection P | detection R | detection F1 | adjacency P | adjacency R | adjacency F1 | s/table |\n\
                  |---|---|---|---|---|---|---|---|---|---|\n";
    let row = |name: &str, split: &str, members: &[&Scored<'_>]| summary_row(name, split, members);
    out.push_str(&super::summary_sections(results, set_of, header, row));
    let f1_of = |r: &Scored<'_>| r.adjacency.prf().2;
    let mut worst: Vec<&Scored<'_>> = results.iter().filter(|r| f1_of(r) < 0.9).collect();
    worst.sort_by(|a, b| f1_of(a).total_cmp(&f1_of(b)));
    out.push_str("\n## Worst tables (adjacency F1 under 0.9)\n\n| table | group | split | adjacency F1 | rows x columns |\n|---|---|---|---|---|\n");
    for r in worst.iter().take(20) {
        let _ = writeln!(
            out,
            "| {} p{} | {} | {} | {:.3} | {} |",
            r.sample.name,
            r.sample.page,
            r.sample.set.group(),
            r.sample.set.split(),
            f1_of(r),
            r.shape
        );
    }
    out.push_str("\n## Tables\n\n| group | split | table | page | found | adjacency P / R / F1 | rows x columns | s |\n|---|---|---|---|---|---|---|---|\n");
    for r in results {
        let (p, rc, f) = r.adjacency.prf();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {p:.3} / {rc:.3} / {f:.3} | {} | {:.2} |",
            r.sample.set.group(),
            r.sample.set.split(),
            r.sample.name,
            r.sample.page,
            if r.detected { "yes" } else { "no" },
            r.shape,
            r.seconds
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_text_is_compared_by_character_and_english_by_word() {
        let cell = |text: &str| GridCell { r0: 0, c0: 0, r1: 0, c1: 0, text: text.into() };
        let truth = words(&[cell("推荐意见 Class I"), cell("Level A")]);
        let found = words(&[cell("推荐 Class"), cell("I")]);
        assert!((text_recall(&truth, &found) - 0.5).abs() < 1e-9, "推 荐 class i of 推 荐 意 见 class i level a");
    }
}
