//! `clinex extract FILE.pdf [-o out.json]`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use clinex_engines::LoadedEngines;
use extractor::pages::PageSelection;
use extractor::{Config, ExtractError, extract_with};

use crate::{exit, is_stdout};

#[derive(Args)]
pub struct ExtractArgs {
    /// The PDF to extract.
    pub file: PathBuf,
    /// Where to write the JSON (`-` for stdout, the default).
    #[arg(short, long, default_value = "-")]
    pub output: PathBuf,
    /// Pages to extract, e.g. `1-3,7` or `5-`.
    #[arg(long)]
    pub pages: Option<PageSelection>,
    /// Password of an encrypted PDF.
    #[arg(long, env = "CLINEX_PDF_PASSWORD", hide_env_values = true)]
    pub password: Option<String>,
    /// Indent the JSON.
    #[arg(long)]
    pub pretty: bool,
    /// Also write every table as CSV, HTML and JSON into this directory (t1.csv, t1.html,
    /// t1.json, ...; a table continued over pages is merged into its first piece's files).
    #[arg(long)]
    pub tables_dir: Option<PathBuf>,
    /// Also write every flowchart as JSON, Graphviz DOT, Mermaid and an HL7 FHIR PlanDefinition
    /// into this directory (f1.json, f1.dot, f1.mmd, f1.fhir.json, ...).
    #[arg(long)]
    pub graphs_dir: Option<PathBuf>,
}

pub fn run(args: ExtractArgs, config: &Config) -> anyhow::Result<ExitCode> {
    let result = extract_document(&args, config)?;
    finish(&args, result, write_json)
}

/// Extracts the file the arguments name, under a watchdog for the time limit.
pub fn extract_document(
    args: &ExtractArgs,
    config: &Config,
) -> anyhow::Result<Result<extractor::Extraction, ExtractError>> {
    let options = extractor::Options {
        password: args.password.clone(),
        pages: args.pages.clone(),
        filename: args.file.file_name().map(|n| n.to_string_lossy().into_owned()),
        ..config.options()
    };
    let bytes = match extractor::input::read_document(&args.file, options.max_bytes)
        .with_context(|| format!("cannot read {}", args.file.display()))?
    {
        Ok(bytes) => bytes,
        Err(too_large) => return Ok(Err(too_large)),
    };
    let loaded = LoadedEngines::load(config)?;
    start_watchdog(config.limits.timeout_seconds);
    Ok(extract_with(&bytes, &options, loaded.engines()))
}

/// Writes a finished extraction with `write`, or what a timed-out one got done, and says how it
/// ended.
pub fn finish(
    args: &ExtractArgs,
    result: Result<extractor::Extraction, ExtractError>,
    write: impl Fn(&ExtractArgs, &extractor::Extraction) -> anyhow::Result<()>,
) -> anyhow::Result<ExitCode> {
    match result {
        Ok(doc) => {
            write(args, &doc)?;
            Ok(ExitCode::SUCCESS)
        }
        Err(ExtractError::TimeLimit { seconds, done, total, partial }) => {
            // Keep what was done: write it, then fail with the time-limit code.
            write(args, &partial)?;
            eprintln!(
                "clinex: {}: the time limit of {seconds:.1} s ran out after {done} of {total} pages (partial output written)",
                args.file.display()
            );
            Ok(ExitCode::from(exit::TIME_LIMIT))
        }
        Err(e) => {
            // `clinex: FILE [code]: what is wrong`, one line: the code is the one the JSON and the
            // service use for the same failure.
            let code = e.code();
            Err(anyhow::Error::new(e).context(format!("{} [{code}]", args.file.display())))
        }
    }
}

fn write_json(args: &ExtractArgs, doc: &extractor::Extraction) -> anyhow::Result<()> {
    let json = if args.pretty { serde_json::to_vec_pretty(doc)? } else { serde_json::to_vec(doc)? };
    if is_stdout(&args.output) {
        let mut out = std::io::stdout().lock();
        out.write_all(&json)?;
        out.write_all(b"\n")?;
    } else {
        std::fs::write(&args.output, &json).with_context(|| format!("cannot write {}", args.output.display()))?;
    }
    if let Some(dir) = &args.tables_dir {
        write_tables(dir, doc)?;
    }
    if let Some(dir) = &args.graphs_dir {
        write_graphs(dir, doc)?;
    }
    Ok(())
}

/// Each flowchart as JSON, DOT and Mermaid.
fn write_graphs(dir: &std::path::Path, doc: &extractor::Extraction) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for chart in &doc.flowcharts {
        let base = dir.join(&chart.id);
        let write = |ext: &str, text: String| {
            let path = base.with_extension(ext);
            std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))
        };
        write("json", serde_json::to_string_pretty(chart)?)?;
        write("dot", extractor::flowcharts::to_dot(chart))?;
        write("mmd", extractor::flowcharts::to_mermaid(chart))?;
        let plan = extractor::flowcharts::to_plan_definition(chart, &doc.source.sha256);
        write("fhir.json", serde_json::to_string_pretty(&plan)?)?;
    }
    Ok(())
}

/// Each table (pieces continued over pages merged, rows appended) as CSV, HTML and JSON.
fn write_tables(dir: &std::path::Path, doc: &extractor::Extraction) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for table in extractor::tables::merge_continued(&doc.tables) {
        let base = dir.join(&table.id);
        let write = |ext: &str, text: String| {
            let path = base.with_extension(ext);
            std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))
        };
        write("csv", extractor::tables::to_csv(&table))?;
        write("html", extractor::tables::to_html(&table))?;
        write("json", serde_json::to_string_pretty(&table)?)?;
    }
    Ok(())
}

/// The pipeline checks its time limit between pages; a single native call that hangs is caught
/// here instead: past the limit plus a grace period the process ends with the time-limit code.
fn start_watchdog(timeout: f64) {
    let grace = (timeout * 0.5).clamp(5.0, 60.0);
    let deadline = Duration::from_secs_f64(timeout.max(0.0) + grace);
    std::thread::spawn(move || {
        std::thread::sleep(deadline);
        eprintln!("clinex: the document did not finish within {:.0} s and was abandoned", deadline.as_secs_f64());
        std::process::exit(i32::from(exit::TIME_LIMIT));
    });
}
