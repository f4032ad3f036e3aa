//! ICDAR 2013 table competition: cell structure by adjacency relations, and table regions.
//!
//! Structure: for every table, each non-empty cell is related to its nearest non-empty neighbour
//! to the right and below (a spanning cell relates from every row or column it covers); the
//! relations are compared as (text, text, direction) multisets, per document and pooled. Text
//! is compared lower-cased with everything but letters and digits removed, as the competition's
//! tools do to be blind to whitespace and hyphenation, and compatibility forms folded (NFKC). Regions: a detected table matches a
//! ground-truth table of the same page at IoU >= 0.5.

use std::collections::HashMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use extractor::geometry::BBox;
use extractor::{Options, extract_with};
use unicode_normalization::UnicodeNormalization;

use extractor::Config;

#[derive(Args)]
pub struct TablesEvalArgs {
    /// The table data: icdar2013/ (competition-dataset-eu and -us), camelot/ and tabula-java/.
    #[arg(long, default_value = "../shared/data/tables")]
    pub data: PathBuf,
    /// Where to write the report.
    #[arg(long, default_value = "eval/tables.md")]
    pub out: PathBuf,
}

/// A cell in grid positions, inclusive.
pub(super) struct GridCell {
    pub r0: u32,
    pub c0: u32,
    pub r1: u32,
    pub c1: u32,
    pub text: String,
}

pub(super) type Relation = (String, String, char);

#[derive(Default, Clone, Copy)]
pub(super) struct Counts {
    correct: usize,
    found: usize,
    truth: usize,
}

impl Counts {
    pub(super) fn add(&mut self, o: Counts) {
        self.correct += o.correct;
        self.found += o.found;
        self.truth += o.truth;
    }
    pub(super) fn prf(&self) -> (f64, f64, f64) {
        let p = if self.found == 0 { 0.0 } else { self.correct as f64 / self.found as f64 };
        let r = if self.truth == 0 { 0.0 } else { self.correct as f64 / self.truth as f64 };
        let f = if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
        (p, r, f)
    }
}

/// Letters and digits, lower case, compatibility forms folded (NFKC: "Ⅱa" is "IIa", a
/// full-width "Ａ" is "A"; OCR cannot tell them apart from the picture).
pub(super) fn normalise(text: &str) -> String {
    text.nfkc().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// A found table's cells in grid positions.
pub(super) fn table_cells(t: &extractor::model::Table) -> Vec<GridCell> {
    t.cells
        .iter()
        .map(|c| GridCell {
            r0: c.row,
            c0: c.col,
            r1: c.row + c.row_span.max(1) - 1,
            c1: c.col + c.col_span.max(1) - 1,
            text: c.text.clone(),
        })
        .collect()
}

/// The adjacency relations of one table.
pub(super) fn relations(cells: &[GridCell]) -> Vec<Relation> {
    let cells: Vec<&GridCell> = cells.iter().filter(|c| !normalise(&c.text).is_empty()).collect();
    let mut at: HashMap<(u32, u32), usize> = HashMap::new();
    for (k, c) in cells.iter().enumerate() {
        for r in c.r0..=c.r1 {
            for col in c.c0..=c.c1 {
                at.insert((r, col), k);
            }
        }
    }
    let max_r = cells.iter().map(|c| c.r1).max().unwrap_or(0);
    let max_c = cells.iter().map(|c| c.c1).max().unwrap_or(0);
    let mut out = Vec::new();
    for (k, c) in cells.iter().enumerate() {
        let mut right = Vec::new();
        for r in c.r0..=c.r1 {
            if let Some(&j) = (c.c1 + 1..=max_c).find_map(|col| at.get(&(r, col)).filter(|&&j| j != k)) {
                right.push(j);
            }
        }
        let mut below = Vec::new();
        for col in c.c0..=c.c1 {
            if let Some(&j) = (c.r1 + 1..=max_r).find_map(|r| at.get(&(r, col)).filter(|&&j| j != k)) {
                below.push(j);
            }
        }
        right.sort_unstable();
        right.dedup();
        below.sort_unstable();
        below.dedup();
        let me = normalise(&c.text);
        out.extend(right.into_iter().map(|j| (me.clone(), normalise(&cells[j].text), 'H')));
        out.extend(below.into_iter().map(|j| (me.clone(), normalise(&cells[j].text), 'V')));
    }
    out
}

pub(super) fn compare(truth: &[Relation], found: &[Relation]) -> Counts {
    let mut bag: HashMap<&Relation, usize> = HashMap::new();
    for t in truth {
        *bag.entry(t).or_default() += 1;
    }
    let mut correct = 0;
    for f in found {
        if let Some(n) = bag.get_mut(f).filter(|n| **n > 0) {
            *n -= 1;
            correct += 1;
        }
    }
    Counts { correct, found: found.len(), truth: truth.len() }
}

fn attr<T: std::str::FromStr>(node: roxmltree::Node<'_, '_>, name: &str) -> Option<T> {
    node.attribute(name).and_then(|v| v.trim().parse().ok())
}

/// Ground-truth tables of a `-str.xml` file, each as its cells.
fn truth_tables(path: &Path) -> anyhow::Result<Vec<Vec<GridCell>>> {
    let xml = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let doc = roxmltree::Document::parse(&xml).with_context(|| format!("{} is not XML", path.display()))?;
    let mut tables = Vec::new();
    for table in doc.descendants().filter(|n| n.has_tag_name("table")) {
        let mut cells = Vec::new();
        // A table over several pages is one table with one region per page, rows numbered anew.
        let mut row_offset = 0;
        for region in table.children().filter(|n| n.has_tag_name("region")) {
            let mut last_row = 0;
            for cell in region.children().filter(|n| n.has_tag_name("cell")) {
                let (r0, c0): (u32, u32) = (attr(cell, "start-row").unwrap_or(0), attr(cell, "start-col").unwrap_or(0));
                let r1 = attr(cell, "end-row").unwrap_or(r0).max(r0);
                let c1 = attr(cell, "end-col").unwrap_or(c0).max(c0);
                let text = cell.children().find(|n| n.has_tag_name("content")).and_then(|n| n.text()).unwrap_or("");
                last_row = last_row.max(r1);
                cells.push(GridCell { r0: r0 + row_offset, c0, r1: r1 + row_offset, c1, text: text.to_string() });
            }
            row_offset += last_row + 1;
        }
        tables.push(cells);
    }
    Ok(tables)
}

/// Ground-truth table regions of a `-reg.xml` file: (page, box in PDF points, origin bottom left).
fn truth_regions(path: &Path) -> anyhow::Result<Vec<(u32, [f32; 4])>> {
    let xml = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let doc = roxmltree::Document::parse(&xml).with_context(|| format!("{} is not XML", path.display()))?;
    let mut out = Vec::new();
    for region in doc.descendants().filter(|n| n.has_tag_name("region")) {
        let page = attr(region, "page").unwrap_or(1);
        if let Some(b) = region.children().find(|n| n.has_tag_name("bounding-box")) {
            let v = |k: &str| attr::<f32>(b, k).unwrap_or(0.0);
            out.push((page, [v("x1"), v("y1"), v("x2"), v("y2")]));
        }
    }
    Ok(out)
}

/// The competition's documents: every PDF with its ground truth (the "a" alternative where two
/// are given).
fn documents(root: &Path) -> anyhow::Result<Vec<(String, PathBuf, PathBuf, PathBuf)>> {
    let mut out = Vec::new();
    for set in ["competition-dataset-eu", "competition-dataset-us"] {
        let dir = root.join(set);
        let mut pdfs: Vec<PathBuf> = std::fs::read_dir(&dir)
            .with_context(|| format!("cannot list {}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
            .collect();
        pdfs.sort();
        for pdf in pdfs {
            let stem = pdf.file_stem().unwrap_or_default().to_string_lossy().to_string();
            let (str_xml, reg_xml) = (dir.join(format!("{stem}-str.xml")), dir.join(format!("{stem}-reg.xml")));
            anyhow::ensure!(str_xml.exists() && reg_xml.exists(), "{stem}: ground truth missing");
            out.push((stem, pdf, str_xml, reg_xml));
        }
    }
    Ok(out)
}

pub fn run(args: TablesEvalArgs, config: &Config) -> anyhow::Result<ExitCode> {
    let loaded = super::with_layout(config)?;
    let models = super::models(&loaded)?;
    let engines = loaded.engines();
    let (mut pooled, mut regions) = (Counts::default(), Counts::default());
    let (mut f1_sum, mut docs, mut pages) = (0.0, 0usize, 0usize);
    let mut rows = String::new();
    let started = Instant::now();
    for (name, pdf, str_xml, reg_xml) in documents(&args.data.join("icdar2013"))? {
        let bytes = std::fs::read(&pdf)?;
        let doc = extract_with(&bytes, &Options::default(), engines).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
        pages += doc.pages.len();
        let truth: Vec<Relation> = truth_tables(&str_xml)?.iter().flat_map(|t| relations(t)).collect();
        let found: Vec<Relation> = doc.tables.iter().flat_map(|t| relations(&table_cells(t))).collect();
        let counts = compare(&truth, &found);
        pooled.add(counts);
        let (p, r, f) = counts.prf();
        f1_sum += f;
        docs += 1;
        // Regions: ground truth in PDF points from the bottom left; ours from the top left.
        let gt = truth_regions(&reg_xml)?;
        let mut matched = 0;
        for (page, b) in &gt {
            let Some(pg) = doc.pages.iter().find(|p| p.number == *page) else { continue };
            let g = BBox::new(b[0], pg.height - b[3], b[2], pg.height - b[1]);
            if doc.tables.iter().any(|t| t.page == *page && t.bbox.iou(&g) >= 0.5) {
                matched += 1;
            }
        }
        regions.add(Counts { correct: matched, found: doc.tables.len(), truth: gt.len() });
        let _ = writeln!(
            rows,
            "| {name} | {} | {} | {p:.3} | {r:.3} | {f:.3} | {} / {} |",
            truth.len(),
            found.len(),
            doc.tables.len(),
            gt.len()
        );
    }
    let secs = started.elapsed().as_secs_f64();
    let (p, r, f) = pooled.prf();
    let (rp, rr, rf) = regions.prf();
    let report = format!(
        "# Tables: ICDAR 2013 competition dataset\n\n\
         Regenerate with `make eval-tables` (`clinex eval tables`). Whole pipeline (layout model, then cell structure\n\
         from the text layer and ruling lines), {docs} documents, {pages} pages, {secs:.1} s ({:.3} s/page, layout model\n\
         included).\n\n\
         Structure: adjacency relations of non-empty cells (right and below neighbours) compared as (text, text,\n\
         direction), text lower-cased with only letters and digits kept (NFKC-folded: Ⅱ is II); the \"a\" alternative ground truth where two\n\
         are given. Regions: a found table matches a ground-truth region of its page at IoU >= 0.5.\n\n\
         | measure | precision | recall | F1 |\n|---|---|---|---|\n\
         | adjacency, pooled | {p:.3} | {r:.3} | {f:.3} |\n\
         | adjacency, mean of per-document F1 | | | {:.3} |\n\
         | table regions | {rp:.3} | {rr:.3} | {rf:.3} |\n\n\
         ## Per document\n\n\
         | document | true relations | found relations | precision | recall | F1 | tables found / true |\n\
         |---|---|---|---|---|---|---|\n{rows}",
        secs / pages.max(1) as f64,
        f1_sum / docs.max(1) as f64,
    );
    let cases = super::table_cases::evaluate(engines, &args.data)?;
    let clinical = args.data.parent().unwrap_or(Path::new(".")).join("clinical");
    let pages = super::table_pages::evaluate(engines, &clinical)?;
    let docling =
        args.data.parent().unwrap_or(Path::new(".")).join("layout/docling-eval/tests/data/test_doclingsdg_docs");
    let pictures = super::table_pictures::evaluate(&models.tables, &docling)?;
    super::write_report(&args.out, &format!("{report}\n{cases}\n{pages}\n{pictures}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(r0: u32, c0: u32, r1: u32, c1: u32, text: &str) -> GridCell {
        GridCell { r0, c0, r1, c1, text: text.into() }
    }

    #[test]
    fn relations_skip_empty_cells_and_follow_spans() {
        // | Drug (2 cols) | Dose |
        // | a  |  (empty) | 1 mg |
        let cells =
            vec![cell(0, 0, 0, 1, "Drug"), cell(0, 2, 0, 2, "Dose"), cell(1, 0, 1, 0, "a"), cell(1, 2, 1, 2, "1 mg")];
        let mut rel = relations(&cells);
        rel.sort();
        let want: Vec<Relation> = vec![
            ("a".into(), "1mg".into(), 'H'),
            ("dose".into(), "1mg".into(), 'V'),
            ("drug".into(), "a".into(), 'V'),
            ("drug".into(), "dose".into(), 'H'),
        ];
        assert_eq!(rel, want);
        let c = compare(&want, &rel[..3]);
        assert_eq!((c.correct, c.found, c.truth), (3, 3, 4));
    }
}
