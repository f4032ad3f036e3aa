//! The tables that camelot's and tabula-java's own tests expect, scored against clinex.
//!
//! Each case names a PDF, a page (and for tabula an area) and the table the tool's test expects
//! there. clinex runs with no hints (the tools' tests often pass column positions or areas); the
//! best of clinex's tables on that page (inside the area) is compared with the expected grid by
//! the adjacency-relation F1 and by exact equality of the normalised grid.

use std::fmt::Write;
use std::path::Path;

use anyhow::Context;
use extractor::geometry::BBox;
use extractor::{Engines, Options, extract_with};

use super::icdar2013::{GridCell, compare, normalise, relations, table_cells};

/// One expected table and where it is.
struct Case {
    name: String,
    pdf: std::path::PathBuf,
    page: u32,
    password: Option<String>,
    /// Area in PDF points from the top left (tabula's convention), or the whole page.
    area: Option<BBox>,
    rows: Vec<Vec<String>>,
}

fn grid_cells(rows: &[Vec<String>]) -> Vec<GridCell> {
    rows.iter()
        .enumerate()
        .flat_map(|(r, row)| {
            row.iter().enumerate().map(move |(c, t)| GridCell {
                r0: r as u32,
                c0: c as u32,
                r1: r as u32,
                c1: c as u32,
                text: t.clone(),
            })
        })
        .collect()
}

/// The grid with every cell normalised and empty rows and columns dropped.
fn normalised_grid(cells: &[GridCell]) -> Vec<Vec<String>> {
    let rows = cells.iter().map(|c| c.r0 + 1).max().unwrap_or(0) as usize;
    let cols = cells.iter().map(|c| c.c0 + 1).max().unwrap_or(0) as usize;
    let mut grid = vec![vec![String::new(); cols]; rows];
    for c in cells {
        grid[c.r0 as usize][c.c0 as usize] = normalise(&c.text);
    }
    let keep_cols: Vec<usize> = (0..cols).filter(|&c| grid.iter().any(|r| !r[c].is_empty())).collect();
    grid.into_iter()
        .filter(|r| r.iter().any(|t| !t.is_empty()))
        .map(|r| keep_cols.iter().map(|&c| r[c].clone()).collect())
        .collect()
}

fn quoted(call: &str, key: &str) -> Option<String> {
    let rest = &call[call.find(&format!("{key}='"))? + key.len() + 2..];
    Some(rest[..rest.find('\'')?].to_string())
}

fn camelot_cases(root: &Path) -> anyhow::Result<Vec<Case>> {
    let spec: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("derived/CASES.json")).context("cannot read camelot CASES.json")?,
    )?;
    let mut cases: Vec<Case> = Vec::new();
    for case in spec.as_array().into_iter().flatten() {
        let pdfs: Vec<&str> = case["pdf_files"].as_array().into_iter().flatten().filter_map(|v| v.as_str()).collect();
        let vars: Vec<&str> =
            case["expected_data_vars"].as_array().into_iter().flatten().filter_map(|v| v.as_str()).collect();
        let call = case["read_pdf_calls"][0].as_str().unwrap_or("");
        let page = quoted(call, "pages").and_then(|p| p.split([',', '-']).next()?.parse().ok()).unwrap_or(1);
        let pairs: Vec<(&str, &str)> = if pdfs.len() == 1 {
            vars.iter().map(|v| (pdfs[0], *v)).collect()
        } else if vars.len() == 1 {
            pdfs.iter().map(|p| (*p, vars[0])).collect()
        } else {
            pdfs.iter().copied().zip(vars.iter().copied()).collect()
        };
        for (pdf, var) in pairs {
            let name = format!("{var} ({})", Path::new(pdf).file_name().unwrap_or_default().to_string_lossy());
            if cases.iter().any(|c| c.name == name) {
                continue;
            }
            let data = root.join(format!("derived/expected_data/{var}.json"));
            let Ok(text) = std::fs::read_to_string(&data) else { continue };
            let rows: Vec<Vec<String>> = serde_json::from_str(&text).with_context(|| format!("{}", data.display()))?;
            cases.push(Case { name, pdf: root.join(pdf), page, password: quoted(call, "password"), area: None, rows });
        }
    }
    Ok(cases)
}

/// Rows of a tabula expectation: CSV, tabula's JSON (one table or a list), or a list of rows.
fn tabula_rows(path: &Path) -> anyhow::Result<Vec<Vec<Vec<String>>>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    if path.extension().is_some_and(|e| e == "csv") {
        let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
        let rows = reader.records().filter_map(Result::ok).map(|r| r.iter().map(str::to_string).collect()).collect();
        return Ok(vec![rows]);
    }
    let value: serde_json::Value = serde_json::from_str(&text)?;
    let table_rows = |t: &serde_json::Value| -> Vec<Vec<String>> {
        t["data"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|row| {
                row.as_array().into_iter().flatten().map(|c| c["text"].as_str().unwrap_or("").to_string()).collect()
            })
            .collect()
    };
    Ok(match &value {
        serde_json::Value::Array(items) if items.first().is_some_and(|i| i.get("data").is_some()) => {
            items.iter().map(table_rows).collect()
        }
        serde_json::Value::Array(_) => vec![serde_json::from_value(value)?],
        _ => vec![table_rows(&value)],
    })
}

fn tabula_cases(root: &Path) -> anyhow::Result<Vec<Case>> {
    let tsv = std::fs::read_to_string(root.join("derived/CASES.tsv")).context("cannot read tabula CASES.tsv")?;
    let resources = root.join("src/test/resources/technology/tabula");
    let mut cases = Vec::new();
    for line in tsv.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 5 {
            continue;
        }
        let Ok(page) = f[1].trim().parse::<u32>() else { continue };
        let nums: Vec<Option<f32>> = f[2].split(',').map(|v| v.trim().parse().ok()).collect();
        let area = match nums[..] {
            [Some(top), Some(left), Some(bottom), Some(right)] => Some(BBox::new(left, top, right, bottom)),
            _ => None,
        };
        if area.is_none() && !f[2].starts_with("full page") {
            continue; // percentages and several areas: a hint for tabula, not a place to score
        }
        // The first expectation file is the canonical one.
        let Some(expected) = f[4].split(';').next() else { continue };
        let expected_path = match expected.strip_prefix("derived/") {
            Some(rest) => root.join("derived").join(rest),
            None => resources.join(expected),
        };
        for (k, rows) in tabula_rows(&expected_path)?.into_iter().enumerate() {
            cases.push(Case {
                name: format!("{} p{} #{}", f[0].rsplit('/').next().unwrap_or(f[0]), page, k + 1),
                pdf: resources.join(f[0]),
                page,
                password: None,
                area,
                rows,
            });
        }
    }
    Ok(cases)
}

/// Scores every case; returns the report section.
pub fn evaluate(engines: Engines<'_>, tables_root: &Path) -> anyhow::Result<String> {
    let mut out = String::new();
    for (tool, cases) in [
        ("camelot", camelot_cases(&tables_root.join("camelot"))?),
        ("tabula-java", tabula_cases(&tables_root.join("tabula-java"))?),
    ] {
        let mut rows = String::new();
        let (mut f1_sum, mut exact) = (0.0, 0);
        let mut missing = Vec::new();
        for case in &cases {
            if !case.pdf.exists() {
                missing.push(case.name.clone());
                continue;
            }
            let bytes = std::fs::read(&case.pdf).with_context(|| format!("cannot read {}", case.pdf.display()))?;
            let options = Options { password: case.password.clone(), ..Options::default() };
            let tables = match extract_with(&bytes, &options, engines) {
                Ok(doc) => doc.tables,
                Err(e) => {
                    let _ = writeln!(rows, "| {} | {} | error: {e} | |", case.name, case.page);
                    continue;
                }
            };
            let want_cells = grid_cells(&case.rows);
            let want = relations(&want_cells);
            let candidates = tables.iter().filter(|t| {
                t.page == case.page && case.area.is_none_or(|a| t.bbox.intersection_area(&a) >= 0.5 * t.bbox.area())
            });
            let (mut best_f1, mut best_exact) = (0.0f64, false);
            for t in candidates {
                let cells = table_cells(t);
                let counts = compare(&want, &relations(&cells));
                let (_, _, f1) = counts.prf();
                if f1 >= best_f1 {
                    best_f1 = f1;
                    best_exact = normalised_grid(&cells) == normalised_grid(&want_cells);
                }
            }
            f1_sum += best_f1;
            exact += usize::from(best_exact);
            let _ = writeln!(
                rows,
                "| {} | {} | {best_f1:.3} | {} |",
                case.name,
                case.page,
                if best_exact { "yes" } else { "" }
            );
        }
        let scored = cases.len() - missing.len();
        let _ = writeln!(
            out,
            "## {tool}'s expected tables\n\n{scored} cases: mean adjacency F1 {:.3}, {exact} grids equal after normalisation.\n\
             Not scored, their PDF is not in the data: {}.\n\n\
             | case | page | F1 | equal |\n|---|---|---|---|\n{rows}",
            f1_sum / scored.max(1) as f64,
            if missing.is_empty() { "none".to_string() } else { missing.join(", ") },
        );
    }
    Ok(out)
}
