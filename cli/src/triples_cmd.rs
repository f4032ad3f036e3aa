//! `clinex triples FILE.pdf --format nt|ttl|nq|jsonld`: the extraction's knowledge-graph
//! triples (see `extractor::triples`).

use std::io::Write;

use anyhow::Context;
use clap::Args;
use extractor::Config;
use extractor::triples::Format;

use crate::extract_cmd::{self, ExtractArgs};
use crate::is_stdout;

#[derive(Args)]
pub struct TriplesArgs {
    #[command(flatten)]
    pub extract: ExtractArgs,
    /// RDF serialisation: `nt` (N-Triples), `ttl` (Turtle), `nq` (N-Quads, the document's
    /// named graph kept) or `jsonld`.
    #[arg(long, default_value = "nq", value_parser = triple_format())]
    pub format: Format,
}

/// The triple formats by their short names, as `--format` and `batch --triples` take them.
pub fn triple_format() -> impl clap::builder::TypedValueParser<Value = Format> {
    let names = Format::ALL.map(Format::extension);
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(names).try_map(|name| name.parse::<Format>())
}

pub fn run(args: TriplesArgs, config: &Config) -> anyhow::Result<std::process::ExitCode> {
    let format = args.format;
    let result = extract_cmd::extract_document(&args.extract, config)?;
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
