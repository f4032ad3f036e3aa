//! The worker processes: started with the server, watched, and started again when they end.
//!
//! Each slot runs one `clinex worker` process at a time. When it ends (a crash in a native
//! library, its watchdog's time limit) or is ended (over its memory ceiling, or silent too
//! long), the jobs it held are queued again or, after their last try, failed with the reason;
//! then a new process takes the slot, after a pause that grows while processes keep dying
//! young. Each process has a name of its own, so a late answer from an old one is never taken
//! for the new one's.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use clinex_store::Store;
use tokio::process::Command;
use tokio::sync::watch;
use tracing::{info, warn};

/// How the worker processes run.
#[derive(Debug, Clone)]
pub struct WorkerPool {
    /// The `clinex` executable to start as `clinex worker`.
    pub exe: PathBuf,
    pub data: PathBuf,
    pub count: usize,
    /// A worker over this resident memory is ended (`memory_limit`).
    pub memory_mib: u64,
    /// Tries a job gets.
    pub max_attempts: u32,
    /// Seconds a claim holds without a heartbeat.
    pub lease: f64,
    /// The configuration file the workers load their engines from.
    pub engines_config: PathBuf,
}

/// A worker silent this long (no heartbeat, no idle report) is ended (`worker_hung`).
const SILENT: Duration = Duration::from_secs(90);
/// How often a worker is looked at.
const WATCH: Duration = Duration::from_millis(500);

/// What the supervisor counts, for `/metrics` and `/readyz`.
#[derive(Debug, Default)]
pub struct PoolStats {
    pub restarts: AtomicU64,
    pub running: AtomicU64,
}

/// Starts every slot; they stop (ending their processes) when `stop` turns true.
pub fn start(
    pool: WorkerPool,
    store: Arc<Store>,
    stats: Arc<PoolStats>,
    stop: watch::Receiver<bool>,
) -> Vec<tokio::task::JoinHandle<()>> {
    (1..=pool.count)
        .map(|slot| {
            let (pool, store, stats, stop) = (pool.clone(), store.clone(), stats.clone(), stop.clone());
            tokio::spawn(async move { run_slot(slot, pool, store, stats, stop).await })
        })
        .collect()
}

/// Why a worker process ended.
struct Ending {
    code: &'static str,
    message: String,
}

async fn run_slot(
    slot: usize,
    pool: WorkerPool,
    store: Arc<Store>,
    stats: Arc<PoolStats>,
    mut stop: watch::Receiver<bool>,
) {
    let server = std::process::id();
    let mut pause = Duration::from_secs(1);
    for generation in 1u64.. {
        if *stop.borrow() {
            return;
        }
        let id = format!("p{server}-w{slot}-{generation}");
        let started = Instant::now();
        let spawned = Command::new(&pool.exe)
            .arg("worker")
            .arg("--data")
            .arg(&pool.data)
            .args(["--id", &id, "--parent", &server.to_string(), "--lease", &pool.lease.to_string()])
            .args(["--max-attempts", &pool.max_attempts.to_string()])
            .arg("--engines-config")
            .arg(&pool.engines_config)
            .stdin(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn();
        let mut child = match spawned {
            Ok(child) => child,
            Err(e) => {
                warn!(slot, error = %e, "a worker could not be started");
                tokio::time::sleep(Duration::from_secs(5)).await;
                continue;
            }
        };
        stats.running.fetch_add(1, Ordering::Relaxed);
        let pid = child.id();
        info!(slot, worker = %id, pid, "worker started");
        let ending = loop {
            tokio::select! {
                _ = stop.changed() => {
                    let _ = child.start_kill();
                    let _ = child.wait().await;
                    break Ending { code: "server_stopped", message: "the server stopped".into() };
                }
                status = child.wait() => {
                    break match status.ok().and_then(|s| s.code()) {
                        // The worker's watchdog failed its job before it left.
                        Some(9) => Ending { code: "time_limit", message: "the worker ran out of time".into() },
                        Some(0) => Ending { code: "worker_stopped", message: "the worker stopped".into() },
                        _ => Ending { code: "worker_crashed", message: "the worker crashed".into() },
                    };
                }
                _ = tokio::time::sleep(WATCH) => {
                    if let Some(ending) = overrun(pid, &id, &pool, &store).await {
                        let _ = child.start_kill();
                        let _ = child.wait().await;
                        break ending;
                    }
                }
            }
        };
        stats.running.fetch_sub(1, Ordering::Relaxed);
        let (store2, worker, max) = (store.clone(), id.clone(), pool.max_attempts);
        let (code, message) = (ending.code, ending.message.clone());
        let released = tokio::task::spawn_blocking(move || store2.release(&worker, code, &message, max)).await;
        let released = released.ok().and_then(Result::ok).unwrap_or(0);
        if *stop.borrow() {
            return;
        }
        stats.restarts.fetch_add(1, Ordering::Relaxed);
        warn!(slot, worker = %id, reason = ending.code, released, "worker ended; starting another");
        // A process that dies young is likely to die again: wait longer each time.
        pause = if started.elapsed() < Duration::from_secs(10) {
            (pause * 2).min(Duration::from_secs(30))
        } else {
            Duration::from_secs(1)
        };
        tokio::select! {
            _ = stop.changed() => return,
            _ = tokio::time::sleep(pause) => {}
        }
    }
}

/// Whether a running worker must be ended: over its memory ceiling, or silent too long.
async fn overrun(pid: Option<u32>, id: &str, pool: &WorkerPool, store: &Arc<Store>) -> Option<Ending> {
    let pid = pid?;
    if let Some(rss) = resident_mib(pid)
        && rss > pool.memory_mib
    {
        let message = format!("the worker used {rss} MiB, over its ceiling of {} MiB", pool.memory_mib);
        return Some(Ending { code: "memory_limit", message });
    }
    let store = store.clone();
    let workers = tokio::task::spawn_blocking(move || store.workers()).await.ok()?.ok()?;
    let seen = workers.iter().find(|w| w.id == id)?.seen_at;
    (clinex_store::now() - seen > SILENT.as_secs_f64())
        .then(|| Ending { code: "worker_hung", message: format!("the worker was silent for {} s", SILENT.as_secs()) })
}

/// Resident memory of a process in MiB (Linux `VmRSS`).
pub fn resident_mib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}
