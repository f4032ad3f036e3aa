//! Table pictures: the structure model alone on docling-eval's table images, against their
//! cells (rows, columns and spans; the images have no text layer, so text is not scored here).

use std::collections::HashSet;
use std::fmt::Write;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use extractor::tables::TableStructureRecognizer;

/// Scores every image with a DoclingDocument ground truth in `dir`; returns the report section.
pub fn evaluate(recognizer: &dyn TableStructureRecognizer, dir: &Path) -> anyhow::Result<String> {
    let mut images: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot list {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "png") && p.with_extension("json").exists())
        .collect();
    images.sort();
    let mut rows = String::new();
    let (mut correct, mut found, mut truth, mut shapes, mut millis) = (0usize, 0usize, 0usize, 0usize, 0f64);
    for path in &images {
        let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path.with_extension("json"))?)?;
        let data = &doc["tables"][0]["data"];
        let want: HashSet<(u64, u64, u64, u64)> = data["table_cells"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| {
                let n = |k: &str| c[k].as_u64().unwrap_or(0);
                (n("start_row_offset_idx"), n("start_col_offset_idx"), n("row_span").max(1), n("col_span").max(1))
            })
            .collect();
        let image = image::open(path).with_context(|| format!("cannot read {}", path.display()))?.to_rgb8();
        let started = Instant::now();
        let cells = recognizer.recognize(&image).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        millis += started.elapsed().as_secs_f64() * 1000.0;
        let got: HashSet<(u64, u64, u64, u64)> = cells
            .iter()
            .map(|c| (u64::from(c.row), u64::from(c.col), u64::from(c.row_span.max(1)), u64::from(c.col_span.max(1))))
            .collect();
        let hit = want.intersection(&got).count();
        let n_rows = cells.iter().map(|c| c.row + c.row_span).max().unwrap_or(0);
        let n_cols = cells.iter().map(|c| c.col + c.col_span).max().unwrap_or(0);
        let shape = (u64::from(n_rows), u64::from(n_cols))
            == (data["num_rows"].as_u64().unwrap_or(0), data["num_cols"].as_u64().unwrap_or(0));
        (correct, found, truth) = (correct + hit, found + got.len(), truth + want.len());
        shapes += usize::from(shape);
        let name = path.file_stem().unwrap_or_default().to_string_lossy();
        let short: String = name.chars().rev().take(40).collect::<Vec<_>>().into_iter().rev().collect();
        let _ = writeln!(
            rows,
            "| …{short} | {} x {} | {n_rows} x {n_cols} | {hit} / {} | {} |",
            data["num_rows"],
            data["num_cols"],
            want.len(),
            if shape { "yes" } else { "" }
        );
    }
    let p = correct as f64 / found.max(1) as f64;
    let r = correct as f64 / truth.max(1) as f64;
    let f1 = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
    Ok(format!(
        "## Table pictures (SLANet-plus on docling-eval's table images)\n\n\
         The structure model alone on {} images: a cell counts when its row, column and spans are right.\n\
         Cell precision {p:.3}, recall {r:.3}, F1 {f1:.3}; grid shape right on {shapes} of {}; {:.0} ms per table.\n\n\
         | image | true grid | found grid | cells right | shape |\n|---|---|---|---|---|\n{rows}",
        images.len(),
        images.len(),
        millis / images.len().max(1) as f64,
    ))
}
