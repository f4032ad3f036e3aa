//! `clinex debug-text FILE --page N`: the text lines and blocks of one page, for diagnosing
//! reading order and block splitting.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use extractor::pdf::PdfBackend;
use extractor::pipeline::page_blocks;

use crate::inputs;

#[derive(Args)]
pub struct DebugArgs {
    pub file: PathBuf,
    /// 1-based page number.
    #[arg(long, default_value_t = 1)]
    pub page: u32,
}

pub fn run(args: DebugArgs) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(&args.file).with_context(|| format!("cannot read {}", args.file.display()))?;
    let backend = inputs::pdfium()?;
    let doc = backend.open(&bytes, None).map_err(|e| anyhow::anyhow!("{e}"))?;
    let raw = doc.page(args.page - 1).map_err(|e| anyhow::anyhow!("{e}"))?;
    let (page, warnings) = page_blocks(args.page, raw);
    for (i, block) in page.blocks.iter().enumerate() {
        println!("block {i} size {:.1} bold {} {:?}", block.size, block.bold, block.bbox.to_array());
        for line in &block.lines {
            println!("    {:?} {:.1}{} {:?}", line.bbox.to_array(), line.size, if line.bold { "b" } else { "" }, line.text);
        }
    }
    for w in warnings {
        println!("warning: {}", w.message);
    }
    Ok(ExitCode::SUCCESS)
}
