//! `clinex worker`: one worker process, claiming extraction jobs from the store (`clinex serve`
//! starts its own).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use extractor::Config;

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

pub fn run(args: WorkerArgs, config: &Config) -> anyhow::Result<ExitCode> {
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
