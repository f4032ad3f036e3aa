//! `clinex serve` (the HTTP service with its worker processes) and `clinex worker` (one worker
//! process, which the server starts itself).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use clinex_api::{Keys, Limits, ServeSettings};
use extractor::Config;

#[derive(Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free one and prints it).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// The data folder: the database, uploaded files and results.
    #[arg(long, default_value = "./clinex-data")]
    pub data: PathBuf,
    /// Worker processes (default: the available cores).
    #[arg(long)]
    pub workers: Option<usize>,
    /// API keys, one `key:role` a line (roles: curator, loader, admin); also CLINEX_API_KEYS
    /// (`key:role,key:role`).
    #[arg(long)]
    pub api_keys_file: Option<PathBuf>,
    /// Accept requests without a key, as an admin's; only on a loopback address.
    #[arg(long)]
    pub no_auth: bool,
    /// Largest upload in MiB (default: the configuration's max_mib).
    #[arg(long)]
    pub max_upload_mib: Option<u64>,
    /// Queued documents from which uploads are refused with 429.
    #[arg(long, default_value_t = 10_000)]
    pub max_queue: u64,
    /// A worker over this resident memory is ended and its job tried again.
    #[arg(long, default_value_t = 3072)]
    pub worker_memory_mib: u64,
    /// Tries a document gets when its worker dies.
    #[arg(long, default_value_t = 3)]
    pub max_attempts: u32,
    /// Seconds a worker's claim on a job holds without a heartbeat.
    #[arg(long, default_value_t = 30.0)]
    pub lease: f64,
}

pub fn serve(args: ServeArgs, config: &Config) -> anyhow::Result<ExitCode> {
    let keys = if args.no_auth {
        Keys::open()
    } else {
        let text = match (&args.api_keys_file, std::env::var("CLINEX_API_KEYS")) {
            (Some(file), _) => {
                std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?
            }
            (None, Ok(keys)) => keys,
            (None, Err(_)) => anyhow::bail!(
                "no API keys: set CLINEX_API_KEYS=key:role,... or --api-keys-file, or run with --no-auth (loopback only)"
            ),
        };
        Keys::parse(&text).map_err(|e| anyhow::anyhow!("the API keys cannot be used: {e}"))?
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
        worker_exe: std::env::current_exe().context("cannot find the clinex executable to start workers")?,
        worker_memory_mib: args.worker_memory_mib,
        max_attempts: args.max_attempts.max(1),
        lease_seconds: args.lease.max(5.0),
    };
    clinex_api::serve(settings)?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct WorkerArgs {
    /// The data folder of the store.
    #[arg(long, default_value = "./clinex-data")]
    pub data: PathBuf,
    /// This worker's name in the store.
    #[arg(long, default_value = "worker")]
    pub id: String,
    /// Stop when this process is no longer the parent (set by the server).
    #[arg(long)]
    pub parent: Option<u32>,
    /// Seconds a claim holds without a heartbeat.
    #[arg(long, default_value_t = 30.0)]
    pub lease: f64,
    /// Tries a document gets when its worker dies.
    #[arg(long, default_value_t = 3)]
    pub max_attempts: u32,
    /// Load the engines of this configuration (JSON) before the first job; the server passes
    /// its own.
    #[arg(long)]
    pub engines_config: Option<PathBuf>,
    /// Stop after one job.
    #[arg(long)]
    pub once: bool,
}

pub fn worker(args: WorkerArgs, config: &Config) -> anyhow::Result<ExitCode> {
    let preload = match &args.engines_config {
        Some(file) => {
            let text = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
            serde_json::from_slice(&text).with_context(|| format!("{} is not a configuration", file.display()))?
        }
        None => config.clone(),
    };
    let settings = clinex_worker::WorkerSettings {
        data: args.data,
        id: args.id,
        lease: args.lease.max(5.0),
        max_attempts: args.max_attempts.max(1),
        poll: Duration::from_millis(300),
        parent: args.parent,
        once: args.once,
        preload: Some(preload),
    };
    clinex_worker::run(&settings)?;
    Ok(ExitCode::SUCCESS)
}
