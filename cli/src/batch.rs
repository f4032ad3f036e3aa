//! `clinex batch PATH... --out DIR`: many documents, one JSON each (and their triples with
//! `--triples`), a summary at the end.
//! A bad document is reported and skipped; it never stops the batch.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use clinex_engines::LoadedEngines;
use extractor::model::RegionKind;
use extractor::triples::Format;
use extractor::{Config, ExtractError, extract_with};

use crate::bench::peak_rss_mib;
use crate::triples_cmd::triple_format;

#[derive(Args)]
pub struct BatchArgs {
    /// PDF files or folders (searched recursively for *.pdf).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Folder for one `<name>.json` per document.
    #[arg(short, long)]
    pub out: PathBuf,
    /// Also write each document's knowledge-graph triples as `<name>.<format>` beside its JSON:
    /// `nq` (N-Quads: each document in its own named graph, so the files concatenate into one
    /// dataset), `nt`, `ttl` or `jsonld`.
    #[arg(long, value_parser = triple_format())]
    pub triples: Option<Format>,
}

pub fn run(args: BatchArgs, config: &Config) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let files = extractor::input::find_documents(&args.paths)?;
    std::fs::create_dir_all(&args.out).with_context(|| format!("cannot create {}", args.out.display()))?;
    let loaded = LoadedEngines::load(config)?;
    let engines = loaded.engines();
    let started = Instant::now();
    let (mut ok, mut failed, mut pages) = (0u32, 0u32, 0usize);
    writeln!(
        out,
        "{:<48} {:>5} {:>7} {:>6} {:>6} {:>6} {:>5} {:>7} {:>6} {:>5}  title",
        "document", "pages", "regions", "heads", "tables", "charts", "recs", "triples", "warns", "ms"
    )?;
    for file in &files {
        let name = file.file_stem().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let t0 = Instant::now();
        let options = extractor::Options {
            filename: file.file_name().map(|n| n.to_string_lossy().into_owned()),
            ..config.options()
        };
        let read = extractor::input::read_document(file, options.max_bytes).map_err(anyhow::Error::from);
        let result = read.and_then(|bytes| match bytes.and_then(|bytes| extract_with(&bytes, &options, engines)) {
            Ok(doc) => Ok(doc),
            Err(ExtractError::TimeLimit { partial, .. }) => Ok(*partial),
            Err(e) => Err(e.into()),
        });
        let ms = t0.elapsed().as_millis();
        match result {
            Ok(doc) => {
                let json = serde_json::to_vec(&doc)?;
                let target = args.out.join(format!("{name}.json"));
                std::fs::write(&target, json).with_context(|| format!("cannot write {}", target.display()))?;
                if let Some(format) = args.triples {
                    let target = args.out.join(format!("{name}.{}", format.extension()));
                    let text = extractor::triples::serialize(&extractor::triples::build(&doc), format)?;
                    std::fs::write(&target, text).with_context(|| format!("cannot write {}", target.display()))?;
                }
                let regions: usize = doc.pages.iter().map(|p| p.regions.len()).sum();
                let count = |kinds: &[RegionKind]| {
                    doc.pages.iter().flat_map(|p| &p.regions).filter(|r| kinds.contains(&r.kind)).count()
                };
                let headings = count(&[RegionKind::Heading, RegionKind::Title]);
                let tables = count(&[RegionKind::Table]);
                let charts = count(&[RegionKind::Flowchart]);
                pages += doc.pages_read();
                ok += 1;
                writeln!(
                    out,
                    "{:<48} {:>5} {:>7} {:>6} {:>6} {:>6} {:>5} {:>7} {:>6} {:>5}  {}",
                    truncate(&name, 48),
                    doc.pages_read(),
                    regions,
                    headings,
                    tables,
                    charts,
                    doc.recommendations.len(),
                    doc.triples.as_ref().map_or(0, |t| t.count),
                    doc.warnings.len(),
                    ms,
                    truncate(doc.source.title.as_deref().unwrap_or("-"), 60)
                )?;
            }
            Err(e) => {
                failed += 1;
                writeln!(out, "{:<48} FAILED: {e:#}", truncate(&name, 48))?;
            }
        }
    }
    let secs = started.elapsed().as_secs_f64();
    writeln!(
        out,
        "\n{ok} documents extracted, {failed} failed; {pages} pages in {secs:.2} s ({:.1} pages/s); peak memory {:.0} MiB; output in {}",
        pages as f64 / secs.max(1e-9),
        peak_rss_mib().unwrap_or(0.0),
        args.out.display()
    )?;
    Ok(ExitCode::SUCCESS)
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}
