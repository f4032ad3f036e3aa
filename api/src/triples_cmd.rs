//! `clinex triples FILE.pdf --format nt|ttl|nq|jsonld`: the extraction's knowledge-graph
//! triples (see `extractor::triples`).

use std::io::Write;

use anyhow::Context;
use clap::Args;

use crate::extract_cmd::{self, ExtractArgs};
use crate::is_stdout;

#[derive(Args)]
pub struct TriplesArgs {
    #[command(flatten)]
    pub extract: ExtractArgs,
    /// RDF serialisation: `nt` (N-Triples), `ttl` (Turtle), `nq` (N-Quads, the document's
    /// named graph kept) or `jsonld`.
    #[arg(long, default_value = "nq", value_parser = ["nt", "ttl", "nq", "jsonld"])]
    pub format: String,
}

pub fn run(args: TriplesArgs) -> anyhow::Result<std::process::ExitCode> {
    let format = extractor::triples::Format::ALL
        .iter()
        .find(|(name, _)| *name == args.format)
        .map(|(_, f)| *f)
        .context("unknown format")?;
    let result = extract_cmd::extract_document(&args.extract)?;
    extract_cmd::finish(&args.extract, result, |a, doc| {
        let text = extractor::triples::serialize(&extractor::triples::build(doc), format)?;
        if is_stdout(&a.output) {
            std::io::stdout().lock().write_all(text.as_bytes())?;
        } else {
            std::fs::write(&a.output, text).with_context(|| format!("cannot write {}", a.output.display()))?;
        }
        Ok(())
    })
}
