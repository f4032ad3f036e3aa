//! Flowchart graphs against ground truth: node F1 (nodes matched by text), edge F1 (edges
//! between matched nodes, direction counts) and label accuracy (matched edges whose truth has a
//! label: the found label equals it), per source: the generated corpus (vector, picture and
//! scanned charts, English and Chinese), followtheflow's rendered flowcharts (each PNG a
//! one-page document) and the clinical pages hand-annotated in `golden/flowcharts/`.

use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use clinex_engines::LoadedEngines;
use extractor::Config;
use extractor::model::{Flowchart, NodeShape};
use serde_json::Value;

use super::SetKey;

#[derive(Args)]
pub struct GraphEvalArgs {
    /// The shared evaluation data.
    #[arg(long, default_value = "../shared/data")]
    pub data: PathBuf,
    /// The generated corpus (`make corpus`).
    #[arg(long, default_value = "corpus/out")]
    pub corpus: PathBuf,
    /// Hand-annotated clinical flowcharts.
    #[arg(long, default_value = "golden/flowcharts")]
    pub golden: PathBuf,
    /// The independent generator's documents (`make corpus-independent`).
    #[arg(long, default_value = "corpus/independent/out")]
    pub independent: PathBuf,
    /// Only the charts whose group or name holds this text.
    #[arg(long)]
    pub only: Option<String>,
    /// Leave the held-out samples out (for runs while tuning: they stay unseen).
    #[arg(long)]
    pub dev_only: bool,
    /// At most this many followtheflow charts (0: all).
    #[arg(long, default_value_t = 0)]
    pub limit: usize,
    /// Where to write the report.
    #[arg(long, default_value = "eval/graphs.md")]
    pub out: PathBuf,
}

/// A true graph: node texts by id, and edges (source, target, label).
#[derive(Debug, Clone, Default)]
pub struct TruthGraph {
    pub nodes: Vec<(String, String)>,
    pub edges: Vec<(String, String, Option<String>)>,
}

/// Counts for one chart.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct GraphScore {
    pub nodes_true: usize,
    pub nodes_found: usize,
    pub nodes_matched: usize,
    pub edges_true: usize,
    pub edges_found: usize,
    pub edges_matched: usize,
    pub labels_true: usize,
    pub labels_right: usize,
}

impl std::ops::AddAssign for GraphScore {
    fn add_assign(&mut self, o: Self) {
        self.nodes_true += o.nodes_true;
        self.nodes_found += o.nodes_found;
        self.nodes_matched += o.nodes_matched;
        self.edges_true += o.edges_true;
        self.edges_found += o.edges_found;
        self.edges_matched += o.edges_matched;
        self.labels_true += o.labels_true;
        self.labels_right += o.labels_right;
    }
}

fn f1(matched: usize, truth: usize, found: usize) -> f64 {
    if truth + found == 0 {
        return 1.0;
    }
    2.0 * matched as f64 / (truth + found) as f64
}

/// Text compared without case, spaces or punctuation.
fn normal(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Scores the found charts of a page against the true graph. Nodes are paired greedily by text
/// similarity (normalised Levenshtein at least 0.8).
/// Also returns the true edges not found, described by their ends' text.
fn score_with_misses(truth: &TruthGraph, found: &[Flowchart]) -> (GraphScore, Vec<String>) {
    let found_nodes: Vec<(String, String)> = found
        .iter()
        .flat_map(|f| f.nodes.iter().map(move |n| (format!("{}/{}", f.id, n.id), normal(&n.text))))
        .collect();
    // Notes (boxes no wire reaches: legends, abbreviations) count when the truth lists them and
    // are not steps the truth missed when it does not.
    let is_note: Vec<bool> = found.iter().flat_map(|f| f.nodes.iter().map(|n| n.shape == NodeShape::Note)).collect();
    let true_nodes: Vec<(String, String)> = truth.nodes.iter().map(|(id, t)| (id.clone(), normal(t))).collect();
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (i, (_, t)) in true_nodes.iter().enumerate() {
        for (j, (_, f)) in found_nodes.iter().enumerate() {
            let s = strsim::normalized_levenshtein(t, f);
            if s >= 0.8 {
                pairs.push((s, i, j));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (mut t_used, mut f_used) = (vec![None; true_nodes.len()], vec![false; found_nodes.len()]);
    for (_, i, j) in pairs {
        if t_used[i].is_none() && !f_used[j] {
            t_used[i] = Some(j);
            f_used[j] = true;
        }
    }
    let matched_id = |true_id: &str| {
        let i = true_nodes.iter().position(|(id, _)| id == true_id)?;
        t_used[i].map(|j| found_nodes[j].0.clone())
    };
    let found_edges: Vec<(String, String, Option<String>)> = found
        .iter()
        .flat_map(|f| {
            f.edges
                .iter()
                .map(move |e| (format!("{}/{}", f.id, e.source), format!("{}/{}", f.id, e.target), e.label.clone()))
        })
        .collect();
    let unmatched_notes = (0..found_nodes.len()).filter(|&j| is_note[j] && !f_used[j]).count();
    let mut s = GraphScore {
        nodes_true: true_nodes.len(),
        nodes_found: found_nodes.len() - unmatched_notes,
        nodes_matched: t_used.iter().flatten().count(),
        edges_true: truth.edges.len(),
        edges_found: found_edges.len(),
        ..GraphScore::default()
    };
    let text_of = |id: &str| {
        let t = truth.nodes.iter().find(|(i, _)| i == id).map(|(_, t)| t.as_str()).unwrap_or(id);
        t.chars().take(24).collect::<String>()
    };
    let mut missed = Vec::new();
    for (src, dst, label) in &truth.edges {
        let hit = match (matched_id(src), matched_id(dst)) {
            (Some(a), Some(b)) => found_edges.iter().find(|(x, y, _)| *x == a && *y == b),
            _ => None,
        };
        let Some(hit) = hit else {
            missed.push(format!("{} → {}", text_of(src), text_of(dst)));
            continue;
        };
        s.edges_matched += 1;
        if let Some(l) = label.as_ref().filter(|l| !normal(l).is_empty()) {
            s.labels_true += 1;
            if hit.2.as_deref().is_some_and(|h| normal(h) == normal(l)) {
                s.labels_right += 1;
            }
        }
    }
    (s, missed)
}

/// One chart to score: where it comes from, the document, the page, the true graph.
struct Sample {
    set: SetKey,
    name: String,
    path: PathBuf,
    page: u32,
    truth: TruthGraph,
}

pub(super) fn read_json(p: &Path) -> anyhow::Result<Value> {
    Ok(serde_json::from_str(&std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?)?)
}

/// The `*.truth.json` files of a folder, sorted.
pub(super) fn truth_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut truths: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot list {} (run `make corpus`)", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".truth.json"))
        .collect();
    truths.sort();
    Ok(truths)
}

/// The `*.json` files of a folder of hand annotations, sorted (none when it does not exist).
pub(super) fn annotation_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|f| f.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    Ok(files)
}

fn graph_of(value: &Value) -> TruthGraph {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    TruthGraph {
        nodes: value["nodes"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
            .map(|(k, n)| (n.get("id").map(text).unwrap_or_else(|| format!("t{k}")), text(&n["text"])))
            .collect(),
        edges: value["edges"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| (text(&e["source"]), text(&e["target"]), e["label"].as_str().map(String::from)))
            .collect(),
    }
}

fn samples(args: &GraphEvalArgs) -> anyhow::Result<Vec<Sample>> {
    let mut out = Vec::new();
    for t in truth_files(&args.corpus)? {
        let truth = read_json(&t)?;
        let file = truth["file"].as_str().unwrap_or_default();
        for chart in truth["flowcharts"].as_array().into_iter().flatten() {
            let raster = chart["raster"].as_bool().unwrap_or(false);
            let scanned = truth["scanned"].as_bool().unwrap_or(false);
            out.push(Sample {
                set: SetKey {
                    source: "own generator",
                    kind: match (raster, scanned) {
                        (false, _) => "vector",
                        (true, false) => "picture",
                        (true, true) => "scan",
                    }
                    .into(),
                    lang: if file.contains("zh") { "zh" } else { "en" }.into(),
                    heldout: false,
                },
                name: file.to_string(),
                path: args.corpus.join(file),
                page: chart["page"].as_u64().unwrap_or(1) as u32,
                truth: graph_of(chart),
            });
        }
    }
    if args.independent.is_dir() {
        for t in truth_files(&args.independent)? {
            let truth = read_json(&t)?;
            let file = truth["file"].as_str().unwrap_or_default();
            for chart in truth["flowcharts"].as_array().into_iter().flatten() {
                out.push(Sample {
                    set: SetKey::of("independent generator", &truth),
                    name: file.to_string(),
                    path: args.independent.join(file),
                    page: chart["page"].as_u64().unwrap_or(1) as u32,
                    truth: graph_of(chart),
                });
            }
        }
    }
    for f in annotation_files(&args.golden)? {
        let truth = read_json(&f)?;
        let file = truth["file"].as_str().unwrap_or_default();
        out.push(Sample {
            set: SetKey::of("clinical, hand-annotated", &truth),
            name: f.file_stem().unwrap_or_default().to_string_lossy().into_owned(),
            path: args.data.join("clinical").join(file),
            page: truth["page"].as_u64().unwrap_or(1) as u32,
            truth: graph_of(&truth),
        });
    }
    let ftf = args.data.join("flowcharts/followtheflow");
    let mut keys: Vec<PathBuf> = std::fs::read_dir(ftf.join("graph_gt"))
        .with_context(|| format!("cannot list {}", ftf.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    keys.sort();
    if args.limit > 0 {
        keys.truncate(args.limit);
    }
    for k in keys {
        let truth = read_json(&k)?;
        let key = truth["key"].as_str().unwrap_or_default().to_string();
        out.push(Sample {
            set: SetKey { source: "followtheflow", kind: "rendered PNG".into(), lang: "en".into(), heldout: false },
            path: ftf.join("images").join(&key).join("original.png"),
            name: key,
            page: 1,
            truth: graph_of(&truth),
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

/// One chart's result.
struct Scored<'a> {
    sample: &'a Sample,
    score: GraphScore,
    /// True edges not found, as "source text → target text".
    missed: Vec<String>,
    seconds: f64,
}

pub fn run(args: GraphEvalArgs, config: &Config) -> anyhow::Result<ExitCode> {
    let loaded = LoadedEngines::load(config)?;
    let engines = loaded.engines();
    let samples = samples(&args)?;
    let mut results = Vec::new();
    for s in &samples {
        let (doc, seconds) = super::extract_page(&s.path, s.page, engines)?;
        let found = doc.map(|d| d.flowcharts).unwrap_or_default();
        let (score, missed) = score_with_misses(&s.truth, &found);
        eprintln!(
            "{} p{}: nodes {}/{}/{} edges {}/{}/{}",
            s.name,
            s.page,
            score.nodes_matched,
            score.nodes_true,
            score.nodes_found,
            score.edges_matched,
            score.edges_true,
            score.edges_found
        );
        results.push(Scored { sample: s, score, missed, seconds });
    }
    super::write_report(&args.out, &report(&results))
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// One summary row: charts, node P/R/F1, edge P/R/F1, label accuracy, seconds per chart.
fn summary_row(name: &str, split: &str, scored: &[&Scored<'_>]) -> String {
    let mut g = GraphScore::default();
    for s in scored {
        g += s.score;
    }
    let secs: f64 = scored.iter().map(|s| s.seconds).sum();
    format!(
        "| {name} | {split} | {} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {} | {} | {:.2} |\n",
        scored.len(),
        ratio(g.nodes_matched, g.nodes_found),
        ratio(g.nodes_matched, g.nodes_true),
        f1(g.nodes_matched, g.nodes_true, g.nodes_found),
        ratio(g.edges_matched, g.edges_found),
        ratio(g.edges_matched, g.edges_true),
        // A chart whose truth lists no edges has nothing to score.
        if g.edges_true == 0 {
            "-".to_string()
        } else {
            format!("{:.3}", f1(g.edges_matched, g.edges_true, g.edges_found))
        },
        if g.labels_true == 0 { "-".to_string() } else { format!("{:.3}", ratio(g.labels_right, g.labels_true)) },
        secs / scored.len().max(1) as f64
    )
}

/// Why a chart scored low, in words, from its counts.
fn diagnosis(g: &GraphScore) -> String {
    let mut why = Vec::new();
    if g.nodes_found == 0 {
        why.push("no chart found".to_string());
    } else if g.nodes_matched < g.nodes_true {
        why.push(format!(
            "{} of {} nodes unmatched (lost, merged or misread)",
            g.nodes_true - g.nodes_matched,
            g.nodes_true
        ));
    }
    if g.nodes_found > 0 && g.edges_found * 2 < g.edges_true {
        why.push(format!("connectors not traced ({} of {} edges found)", g.edges_found, g.edges_true));
    } else if g.edges_found > g.edges_matched + 2 {
        why.push(format!("{} edges wrong (wrong end or direction)", g.edges_found - g.edges_matched));
    }
    if g.labels_right < g.labels_true {
        why.push(format!("{} of {} labels wrong or missing", g.labels_true - g.labels_right, g.labels_true));
    }
    why.join("; ")
}

fn set_of<'a>(r: &'a Scored<'_>) -> &'a SetKey {
    &r.sample.set
}

fn report(results: &[Scored<'_>]) -> String {
    let mut out = String::from(
        "# Flowchart graphs\n\nRegenerate with `make eval-graphs` (`clinex eval graphs`). Each chart's page goes through the whole\n\
         `extract` pipeline; the page's `flowcharts` are scored against the true graph. Nodes are matched by text\n\
         (lower case, letters and digits only, normalised Levenshtein >= 0.8, best pairs first); an edge counts when\n\
         both its ends are matched and its direction is right; label accuracy is over matched edges whose truth has a\n\
         label. A found note (a box no wire reaches: a legend, a list of abbreviations) counts when it matches a true\n\
         node and is not held against precision when it does not. Counts pooled per group.\n\n\
         Sources: the project's own generator (`corpus/generate.py`); an independent generator written without\n\
         looking at the extractor (`corpus/independent/`, every chart also rendered as a picture, a degraded scan, a\n\
         fax and a phone photo); real guideline charts annotated by hand (`golden/flowcharts/`); followtheflow's\n\
         rendered charts. **held out**: charts not looked at while tuning (a third of the independent generator's\n\
         base pages, about 40 % of the hand-annotated charts).\n\n",
    );
    let header = "| group | split | charts | node P | node R | node F1 | edge P | edge R | edge F1 | label acc. | s/chart |\n\
                  |---|---|---|---|---|---|---|---|---|---|---|\n";
    let row = |name: &str, split: &str, members: &[&Scored<'_>]| summary_row(name, split, members);
    out.push_str(&super::summary_sections(results, set_of, header, row));
    let mut worst: Vec<&Scored<'_>> = results.iter().filter(|r| r.sample.set.source != "followtheflow").collect();
    let chart_f1 = |r: &Scored<'_>| {
        let g = r.score;
        f1(g.edges_matched, g.edges_true, g.edges_found) + f1(g.nodes_matched, g.nodes_true, g.nodes_found)
    };
    worst.sort_by(|a, b| chart_f1(a).total_cmp(&chart_f1(b)));
    out.push_str("\n## Worst charts (followtheflow aside)\n\n| chart | group | split | why | some missed edges |\n|---|---|---|---|---|\n");
    for r in worst.iter().take(15).filter(|r| chart_f1(r) < 2.0) {
        let _ = writeln!(
            out,
            "| {} p{} | {} | {} | {} | {} |",
            r.sample.name,
            r.sample.page,
            r.sample.set.group(),
            r.sample.set.split(),
            diagnosis(&r.score),
            r.missed.iter().take(3).map(|m| m.replace('|', "/")).collect::<Vec<_>>().join("; ")
        );
    }
    out.push_str(
        "\n## Charts\n\nnodes and edges: matched/true/found; labels: right/true.\n\n\
                  | group | split | chart | page | nodes | edges | labels | s |\n|---|---|---|---|---|---|---|---|\n",
    );
    for r in results {
        let g = r.score;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {}/{}/{} | {}/{}/{} | {}/{} | {:.2} |",
            r.sample.set.group(),
            r.sample.set.split(),
            r.sample.name,
            r.sample.page,
            g.nodes_matched,
            g.nodes_true,
            g.nodes_found,
            g.edges_matched,
            g.edges_true,
            g.edges_found,
            g.labels_right,
            g.labels_true,
            r.seconds
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use extractor::geometry::BBox;
    use extractor::model::{Edge, Node};

    #[test]
    fn nodes_match_by_text_and_edges_by_direction() {
        let truth = TruthGraph {
            nodes: vec![
                ("A".into(), "Start".into()),
                ("B".into(), "Give IM adrenaline".into()),
                ("C".into(), "End".into()),
            ],
            edges: vec![("A".into(), "B".into(), None), ("B".into(), "C".into(), Some("Yes".into()))],
        };
        let node = |id: &str, text: &str| Node {
            id: id.into(),
            text: text.into(),
            shape: NodeShape::Process,
            bbox: BBox::new(0.0, 0.0, 1.0, 1.0),
        };
        let found = Flowchart {
            id: "f1".into(),
            page: 1,
            bbox: BBox::new(0.0, 0.0, 1.0, 1.0),
            caption: None,
            raster: false,
            nodes: vec![node("n1", "start"), node("n2", "Give IM adrenalin"), node("n3", "End"), node("n4", "Extra")],
            edges: vec![
                Edge { source: "n2".into(), target: "n1".into(), label: None },
                Edge { source: "n2".into(), target: "n3".into(), label: Some("yes".into()) },
            ],
            region: None,
        };
        let (s, missed) = score_with_misses(&truth, &[found]);
        assert_eq!(missed, ["Start → Give IM adrenaline"]);
        assert_eq!((s.nodes_matched, s.nodes_true, s.nodes_found), (3, 3, 4));
        assert_eq!((s.edges_matched, s.edges_true, s.edges_found), (1, 2, 2), "the reversed edge does not count");
        assert_eq!((s.labels_right, s.labels_true), (1, 1));
    }
}
