//! The arguments of `clinex serve`. Compiled into both binaries: `clinex serve` hands its
//! arguments to `clinex-server`, which runs them.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

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
    /// The `clinex` executable to start workers with (default: the one beside this server).
    #[arg(long, hide = true)]
    pub worker_exe: Option<PathBuf>,
}

/// The program `name` in the folder of the running one.
pub fn beside_this_program(name: &str) -> anyhow::Result<PathBuf> {
    let exe = std::env::current_exe().context("cannot tell where this program is")?;
    let path = exe.with_file_name(name);
    anyhow::ensure!(path.is_file(), "{} is missing (build it with `make build`)", path.display());
    Ok(path)
}
