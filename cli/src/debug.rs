//! `clinex debug-text FILE --page N`: the text lines and blocks of one page, for diagnosing
//! reading order and block splitting.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use extractor::Config;
use extractor::pdf::PdfBackend;
use extractor::text::page_blocks;

#[derive(Args)]
pub struct DebugArgs {
    pub file: PathBuf,
    /// 1-based page number.
    #[arg(long, default_value_t = 1)]
    pub page: u32,
    /// Also print the first N raw characters.
    #[arg(long, default_value_t = 0)]
    pub chars: usize,
    /// Also print the drawing's shapes, connectors and arrowheads (page points).
    #[arg(long)]
    pub drawing: bool,
}

pub fn run(args: DebugArgs, config: &Config) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(&args.file).with_context(|| format!("cannot read {}", args.file.display()))?;
    let backend = clinex_engines::pdfium(config)?;
    let doc = backend.open(&bytes, None).map_err(|e| anyhow::anyhow!("{e}"))?;
    let raw = doc.page(args.page - 1, None).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut out = std::io::stdout().lock();
    for (i, c) in raw.chars.iter().take(args.chars).enumerate() {
        writeln!(
            out,
            "char {i} {:?} {:?} origin {:?} size {:.1} angle {:.0} gen {}",
            c.ch,
            c.bbox.to_array(),
            c.origin,
            c.size,
            c.angle,
            c.generated
        )?;
    }
    let prims = extractor::vector::primitives(&raw.paths, (raw.width, raw.height));
    writeln!(
        out,
        "vectors: {} paths, {} shapes, {} connectors, {} arrowheads",
        raw.paths.len(),
        prims.shapes.len(),
        prims.connectors.len(),
        prims.arrowheads.len()
    )?;
    if args.drawing {
        for s in &prims.shapes {
            writeln!(out, "shape {:?} {:?} filled {} stroked {}", s.kind, s.bbox.to_array(), s.filled, s.stroked)?;
        }
        for c in &prims.connectors {
            writeln!(out, "connector {:?}", c.points)?;
        }
        for a in &prims.arrowheads {
            writeln!(out, "arrowhead tip {:?} {:?}", a.tip, a.bbox.to_array())?;
        }
    }
    let (page, warnings) = page_blocks(args.page, &raw);
    let text_boxes: Vec<_> = page.blocks.iter().flat_map(|b| b.lines.iter().map(|l| l.bbox)).collect();
    for d in extractor::vector::detect_flowcharts(&prims, &text_boxes) {
        writeln!(out, "vector flowchart {:.2} {:?}", d.score, d.bbox.to_array())?;
    }
    for (i, block) in page.blocks.iter().enumerate() {
        writeln!(out, "block {i} size {:.1} bold {} {:?}", block.size, block.bold, block.bbox.to_array())?;
        for line in &block.lines {
            writeln!(
                out,
                "    {:?} {:.1}{} {:?}",
                line.bbox.to_array(),
                line.size,
                if line.bold { "b" } else { "" },
                line.text
            )?;
        }
    }
    for w in warnings {
        writeln!(out, "warning: {}", w.message)?;
    }
    Ok(ExitCode::SUCCESS)
}
