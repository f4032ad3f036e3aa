//! Readable golden renderings of extractions, one per stage, compared line by line: regions
//! (one line each), tables as CSV, flowcharts as Mermaid, triples as sorted N-Quads.
//!
//! `CLINEX_BLESS=1` rewrites the goldens; a missing golden fails (it is never created silently).

use std::fmt::Write;
use std::path::Path;

use extractor::Extraction;

/// One line per region: kind, box rounded to half points, text with line breaks shown as `⏎`.
pub fn render(doc: &Extraction) -> String {
    let mut out = String::new();
    let s = &doc.source;
    let _ = writeln!(
        out,
        "# {} · {} pages · title {:?} ({})",
        s.filename.as_deref().unwrap_or("-"),
        s.pages,
        s.title.as_deref().unwrap_or(""),
        s.title_source.as_deref().unwrap_or("none")
    );
    for page in &doc.pages {
        let _ = writeln!(
            out,
            "\n## page {} · {} x {} · rotation {}",
            page.number,
            half(page.width),
            half(page.height),
            page.rotation
        );
        for r in &page.regions {
            let b = r.bbox;
            let link = r.caption_of.as_deref().map(|id| format!(" → {id}")).unwrap_or_default();
            let _ = writeln!(
                out,
                "{:<8} {:<9} [{} {} {} {}]{link} {}",
                r.kind.as_str(),
                format!("{:?}", r.source).to_lowercase(),
                half(b.x0),
                half(b.y0),
                half(b.x1),
                half(b.y1),
                r.text.replace('\n', " ⏎ ")
            );
        }
    }
    for w in &doc.warnings {
        let _ = writeln!(out, "warning {:?} page {:?}: {}", w.code, w.page, w.message);
    }
    out
}

/// Every table as its CSV export (pieces continued over pages merged, as `--tables-dir` writes
/// them), each under a line with its page, size, header rows and spanning cells.
pub fn render_tables(doc: &Extraction) -> String {
    let mut out = String::new();
    for t in extractor::tables::merge_continued(&doc.tables) {
        let headers = t.cells.iter().filter(|c| c.header).map(|c| c.row + 1).max().unwrap_or(0);
        let spans: Vec<String> = t
            .cells
            .iter()
            .filter(|c| c.row_span > 1 || c.col_span > 1)
            .map(|c| format!("r{}c{} {}x{}", c.row, c.col, c.row_span, c.col_span))
            .collect();
        let _ = writeln!(
            out,
            "## {} · page {} · {} x {} · header rows {headers} · spans [{}] · caption {:?}",
            t.id,
            t.page,
            t.n_rows,
            t.n_cols,
            spans.join(", "),
            t.caption.as_deref().unwrap_or("")
        );
        out.push_str(&extractor::tables::to_csv(&t));
        out.push('\n');
    }
    if out.is_empty() { "(no tables)\n".into() } else { out }
}

/// Every flowchart as its Mermaid export, each under a line with its page, caption and whether
/// it was read from pixels.
pub fn render_flowcharts(doc: &Extraction) -> String {
    let mut out = String::new();
    for f in &doc.flowcharts {
        let from = if f.raster { "pixels" } else { "vectors" };
        let _ = writeln!(
            out,
            "%% {} · page {} · from {from} · caption {:?}",
            f.id,
            f.page,
            f.caption.as_deref().unwrap_or("")
        );
        out.push_str(&extractor::flowcharts::to_mermaid(f));
        out.push('\n');
    }
    if out.is_empty() { "(no flowcharts)\n".into() } else { out }
}

/// The document's triples as N-Quads, one per line, sorted.
pub fn render_triples(doc: &Extraction) -> String {
    let quads = extractor::triples::build(doc);
    let text = extractor::triples::serialize(&quads, extractor::triples::Format::NQuads).expect("N-Quads serialise");
    let mut lines: Vec<&str> = text.lines().collect();
    lines.sort_unstable();
    lines.iter().map(|l| format!("{l}\n")).collect()
}

fn half(v: f32) -> String {
    format!("{:.1}", (v * 2.0).round() / 2.0)
}

/// A rendering of one stage and the golden file name it goes to (after the document's name).
pub type Stage = (fn(&Extraction) -> String, &'static str);

/// Regions only, to `golden/<name><suffix>.txt`.
pub fn regions(suffix: &'static str) -> Vec<Stage> {
    vec![(render, suffix)]
}

/// Every stage: regions (`.layout.txt`), tables (`.tables.txt`), flowcharts
/// (`.flowcharts.txt`) and triples (`.triples.nq`).
pub const STAGES: [Stage; 4] = [
    (render, ".layout.txt"),
    (render_tables, ".tables.txt"),
    (render_flowcharts, ".flowcharts.txt"),
    (render_triples, ".triples.nq"),
];

/// Checks the corpus documents `names` against `golden/<name><stage file>` for each stage,
/// extracting each with `extract`; every difference is collected before failing.
pub fn check_corpus(
    names: &[&str],
    stages: &[Stage],
    extract: impl Fn(&Path) -> Result<Extraction, extractor::ExtractError>,
) -> Result<(), String> {
    let mut failures = Vec::new();
    for name in names {
        let doc = extract(&crate::corpus_dir().join(format!("{name}.pdf"))).map_err(|e| format!("{name}: {e}"))?;
        for (render, file) in stages {
            let path = crate::repo_root().join(format!("golden/{name}{file}"));
            if let Err(e) = check(&path, &render(&doc)) {
                failures.push(e);
            }
        }
    }
    if failures.is_empty() { Ok(()) } else { Err(failures.join("\n\n")) }
}

/// Compares `actual` with the golden file, or rewrites it under `CLINEX_BLESS=1`.
pub fn check(golden: &Path, actual: &str) -> Result<(), String> {
    if std::env::var_os("CLINEX_BLESS").is_some() {
        std::fs::write(golden, actual).map_err(|e| format!("cannot write {}: {e}", golden.display()))?;
        return Ok(());
    }
    let expected = std::fs::read_to_string(golden).map_err(|e| {
        format!("golden {} missing ({e}); create it with CLINEX_BLESS=1 and review it", golden.display())
    })?;
    if expected == actual {
        return Ok(());
    }
    let mut diff = String::new();
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    for i in 0..e.len().max(a.len()) {
        let (x, y) = (e.get(i).copied().unwrap_or("<none>"), a.get(i).copied().unwrap_or("<none>"));
        if x != y {
            let _ = writeln!(diff, "line {}:\n  expected: {x}\n  actual:   {y}", i + 1);
        }
    }
    Err(format!("{} differs (CLINEX_BLESS=1 to accept):\n{diff}", golden.display()))
}
