//! `clinex-server`: the HTTP service alone. `clinex serve` becomes this program (same
//! arguments), so that the server process never links or loads PDFium, ONNX Runtime or
//! Tesseract; it starts `clinex worker` processes for the extraction.

mod serve_args;
mod settings;

use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use clinex_api::{Keys, Limits, ServeSettings};
use extractor::Config;
use serve_args::{ServeArgs, beside_this_program};

#[derive(Parser)]
#[command(name = "clinex-server", version, about = "clinex's HTTP service (run it as `clinex serve`)")]
struct ServerCli {
    /// More log output on stderr (-v info, -vv debug); RUST_LOG overrides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,
    #[command(flatten)]
    settings: settings::ConfigArgs,
    #[command(flatten)]
    serve: ServeArgs,
}

fn main() -> ExitCode {
    let cli = ServerCli::parse();
    settings::init_logging(cli.verbose);
    match cli.settings.resolve().and_then(|config| serve(cli.serve, &config)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("clinex serve: {e:#}");
            // A configuration or key that cannot be used is a usage error, as in `clinex`.
            let open = matches!(e.downcast_ref(), Some(clinex_api::ServeError::OpenOnNetwork(_)));
            let usage = e.chain().any(|c| c.is::<extractor::config::ConfigError>()) || e.is::<UsageError>() || open;
            ExitCode::from(if usage { 2 } else { 1 })
        }
    }
}

/// Arguments that cannot be used together, or keys that cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct UsageError(String);

/// Runs the service (in `clinex-server`).
pub fn serve(args: ServeArgs, config: &Config) -> anyhow::Result<ExitCode> {
    let keys = if args.no_auth {
        Keys::open()
    } else {
        let text = match (&args.api_keys_file, std::env::var("CLINEX_API_KEYS")) {
            (Some(file), _) => {
                std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?
            }
            (None, Ok(keys)) => keys,
            (None, Err(_)) => {
                return Err(UsageError(
                    "no API keys: set CLINEX_API_KEYS=key:role,... or --api-keys-file, or run with --no-auth (loopback only)"
                        .into(),
                )
                .into());
            }
        };
        Keys::parse(&text).map_err(|e| UsageError(format!("the API keys cannot be used: {e}")))?
    };
    let workers = args.workers.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let mut config = config.clone();
    // Each worker is one process among several: one ONNX Runtime thread each unless told.
    if config.layout.threads.is_none() {
        config.layout.threads = Some(1);
    }
    let settings = ServeSettings {
        addr: args.addr,
        data: args.data,
        keys,
        limits: Limits {
            max_upload_bytes: args.max_upload_mib.unwrap_or(config.limits.max_mib).saturating_mul(1024 * 1024),
            max_queue: args.max_queue,
            workers: workers.max(1),
        },
        config,
        worker_exe: match args.worker_exe {
            Some(exe) => exe,
            None => beside_this_program("clinex")?,
        },
        worker_memory_mib: args.worker_memory_mib,
        max_attempts: args.max_attempts.max(1),
        lease_seconds: args.lease.max(5.0),
    };
    clinex_api::serve(settings)?;
    Ok(ExitCode::SUCCESS)
}
