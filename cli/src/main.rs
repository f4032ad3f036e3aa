//! `clinex`: extract clinical PDFs to the contract JSON, their triples, in batches; benchmark
//! and evaluate it. Thin: arguments, the configuration they resolve to, exit codes, printing;
//! the work is in `clinex-extractor` (stages), `clinex-engines` (loading the native engines)
//! and `clinex-eval` (the accuracy harness).
//!
//! Depends on: `clinex-extractor`, `clinex-engines`, `clinex-eval`, `clinex-api` (the
//! service), `clinex-worker` (its worker processes).

mod batch;
mod bench;
mod debug;
mod exit;
mod extract_cmd;
mod serve_args;
mod settings;
mod triples_cmd;
mod worker_cmd;

use std::path::Path;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "clinex", version, about = "Clinical guideline PDFs to structured data and knowledge-graph triples")]
struct Cli {
    /// More log output on stderr (-v info, -vv debug); RUST_LOG overrides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,
    #[command(flatten)]
    settings: settings::ConfigArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract one PDF to the contract JSON.
    Extract(extract_cmd::ExtractArgs),
    /// Extract one PDF and write its knowledge-graph triples (N-Triples, Turtle, N-Quads,
    /// JSON-LD) with provenance.
    Triples(triples_cmd::TriplesArgs),
    /// Print the vocabulary the triples use (classes, properties, grading concepts) in Turtle.
    Vocabulary,
    /// Extract every PDF under the given paths into an output folder; bad files are reported
    /// and skipped, never fatal.
    Batch(batch::BatchArgs),
    /// Measure pages/s and peak memory of `extract` over PDFs.
    Bench(bench::BenchArgs),
    /// Accuracy on the shared evaluation data, written to a report.
    Eval(clinex_eval::EvalArgs),
    /// Run the HTTP service: uploads, jobs in worker processes, results, triples and their
    /// change feed, over an embedded store in a data folder.
    Serve(serve_args::ServeArgs),
    /// One worker process: claims extraction jobs from the store (`serve` starts its own).
    Worker(worker_cmd::WorkerArgs),
    /// Print one page's text lines and blocks (for diagnosing reading order).
    #[command(hide = true)]
    DebugText(debug::DebugArgs),
}

fn main() -> ExitCode {
    limit_openmp_threads();
    let cli = Cli::parse();
    settings::init_logging(cli.verbose);
    let result = cli.settings.resolve().and_then(|config| run(cli.command, &config));
    match result {
        Ok(code) => code,
        // `clinex ... | head` closing the pipe early is not a failure.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            // One line on stderr: the whole cause chain, joined.
            eprintln!("clinex: {e:#}");
            ExitCode::from(exit::code_of(&e))
        }
    }
}

fn run(command: Command, config: &extractor::Config) -> anyhow::Result<ExitCode> {
    match command {
        Command::Extract(args) => extract_cmd::run(args, config),
        Command::Triples(args) => triples_cmd::run(args, config),
        Command::Vocabulary => {
            use std::io::Write;
            std::io::stdout()
                .lock()
                .write_all(extractor::triples::VOCABULARY.as_bytes())
                .map(|()| ExitCode::SUCCESS)
                .map_err(Into::into)
        }
        Command::Batch(args) => batch::run(args, config),
        Command::Bench(args) => bench::run(args, config),
        Command::DebugText(args) => debug::run(args, config),
        Command::Eval(args) => clinex_eval::run(args, config),
        Command::Serve(_) => become_server(),
        Command::Worker(args) => worker_cmd::run(args, config),
    }
}

/// `clinex serve` becomes `clinex-server` with the same arguments (but the command's name), so
/// that the server process holds no native library: this binary links Tesseract.
fn become_server() -> anyhow::Result<ExitCode> {
    use std::os::unix::process::CommandExt;
    let server = serve_args::beside_this_program("clinex-server")?;
    let clinex = std::env::current_exe()?;
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    // The first bare `serve` is the command (global options' values are skipped over).
    let takes_value = [
        "--config",
        "--layout-threads",
        "--layout-model",
        "--ocr-engine",
        "--ocr-lang",
        "--ocr-bands",
        "--ocr-dpi",
        "--timeout",
        "--max-mib",
    ];
    let mut k = 0;
    while k < args.len() {
        let arg = args[k].to_string_lossy();
        if arg == "serve" {
            args.remove(k);
            break;
        }
        k += if takes_value.contains(&arg.as_ref()) { 2 } else { 1 };
    }
    let error = std::process::Command::new(&server).args(&args).arg("--worker-exe").arg(clinex).exec();
    Err(anyhow::Error::new(error).context(format!("cannot start {}", server.display())))
}

/// Where `-o` and friends write; `-` is stdout.
fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// libtesseract's OpenMP starts a thread per core for every page, which on two cores makes OCR
/// 2.5-4x slower, and reads `OMP_THREAD_LIMIT` when the library is loaded, before `main`. So
/// when the variable is unset, clinex runs itself again with it set to 1.
fn limit_openmp_threads() {
    use std::os::unix::process::CommandExt;
    if std::env::var_os("OMP_THREAD_LIMIT").is_some() {
        return;
    }
    let Ok(exe) = std::env::current_exe() else { return };
    // `exec` returns only if it failed; then clinex simply runs without the limit.
    let _ = std::process::Command::new(exe).args(std::env::args_os().skip(1)).env("OMP_THREAD_LIMIT", "1").exec();
}
