//! The worker process (`clinex worker`): claims extraction jobs from the store, runs the
//! pipeline on the native engines, and makes each finished extraction its document's next
//! version. The server starts several and restarts any that dies; PDFium, ONNX Runtime and
//! Tesseract live only here, so a crash or a hang in them costs one worker and one try of one
//! job, never the server.
//!
//! While a job runs, a second thread renews its lease and records the pages done; a watchdog
//! thread fails the job with `time_limit` and ends the process when a native call hangs past
//! the time limit. A worker whose server is gone stops (a new server claims its job again).
//!
//! Depends on: `clinex-extractor`, `clinex-engines`, `clinex-store`.

pub mod results;

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use clinex_engines::{EngineError, LoadedEngines};
use clinex_store::{ClaimedJob, Finished, Store, StoreError};
use extractor::{Config, ExtractError, Progress, extract_observed};
use tracing::{info, warn};

/// How a worker runs.
#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// The data folder of the store.
    pub data: PathBuf,
    /// This worker's name in the store (`local-1`, ...).
    pub id: String,
    /// Seconds a claim holds without a heartbeat.
    pub lease: f64,
    /// Tries a job gets before it fails.
    pub max_attempts: u32,
    /// How long to wait before asking again when no job is queued.
    pub poll: Duration,
    /// Stop when this process is no longer our parent (the server died).
    pub parent: Option<u32>,
    /// Stop after one job (tests, one-shot runs).
    pub once: bool,
    /// Engines to load before the first job (the server's configuration), so that readiness
    /// means the models load.
    pub preload: Option<Config>,
}

/// The heartbeat's period: a few beats fit in one lease.
const HEARTBEAT: Duration = Duration::from_secs(2);
/// How often an idle worker reports (well inside readiness's 30 s and the supervisor's 90 s).
const IDLE_REPORT: Duration = Duration::from_secs(10);

/// Why a worker stopped.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Runs jobs until told to stop (`once`, or the server is gone).
pub fn run(settings: &WorkerSettings) -> Result<(), WorkerError> {
    let store = Arc::new(Store::open(&settings.data)?);
    let pid = std::process::id();
    let mut engines: HashMap<String, Result<LoadedEngines, String>> = HashMap::new();
    if let Some(config) = &settings.preload {
        store.report_worker(&settings.id, pid, "loading")?;
        let loaded = LoadedEngines::load(config).map_err(|e| e.to_string());
        if let Err(message) = &loaded {
            warn!(worker = %settings.id, error = %message, "the engines do not load");
        }
        let state = if loaded.is_ok() { "ready" } else { "broken" };
        engines.insert(serde_json::to_string(config).unwrap_or_default(), loaded);
        store.report_worker(&settings.id, pid, state)?;
    } else {
        store.report_worker(&settings.id, pid, "ready")?;
    }
    let idle_state = |engines: &HashMap<String, Result<LoadedEngines, String>>| {
        if engines.values().all(Result::is_err) && !engines.is_empty() { "broken" } else { "ready" }
    };
    // An idle worker says it is alive every so often, not at every poll: each report is a
    // committed write.
    let mut reported: Option<(std::time::Instant, &str)> = None;
    loop {
        if orphaned(settings.parent) {
            info!(worker = %settings.id, "the server is gone; stopping");
            return Ok(());
        }
        let Some(job) = store.claim(&settings.id, settings.lease, settings.max_attempts)? else {
            if settings.once {
                return Ok(());
            }
            let state = idle_state(&engines);
            if reported.is_none_or(|(at, was)| was != state || at.elapsed() >= IDLE_REPORT) {
                store.report_worker(&settings.id, pid, state)?;
                reported = Some((std::time::Instant::now(), state));
            }
            std::thread::sleep(settings.poll);
            continue;
        };
        store.report_worker(&settings.id, pid, "busy")?;
        reported = None;
        info!(worker = %settings.id, job = job.id, document = %job.document.id, attempt = job.attempt, "job claimed");
        let key = serde_json::to_string(&job.config).unwrap_or_default();
        let loaded = engines
            .entry(key)
            .or_insert_with(|| LoadedEngines::load(&job.config).map_err(|e: EngineError| e.to_string()));
        match loaded {
            Ok(loaded) => run_job(&store, settings, &job, loaded)?,
            Err(message) => {
                store.report_worker(&settings.id, pid, "broken")?;
                store.fail(job.id, &settings.id, "engines_unavailable", message)?;
            }
        }
        if settings.once {
            return Ok(());
        }
    }
}

/// Whether our parent process is gone (we were handed to init).
fn orphaned(parent: Option<u32>) -> bool {
    parent.is_some_and(|p| std::os::unix::process::parent_id() != p)
}

/// One job: extract under a heartbeat and a watchdog, then keep the results or say why not.
fn run_job(
    store: &Arc<Store>,
    settings: &WorkerSettings,
    job: &ClaimedJob,
    loaded: &LoadedEngines,
) -> Result<(), WorkerError> {
    let blob = store.data().blob(&job.document.sha256);
    let bytes = match std::fs::read(&blob) {
        Ok(bytes) => bytes,
        Err(e) => {
            store.fail(job.id, &settings.id, "file_missing", &format!("the uploaded file cannot be read: {e}"))?;
            return Ok(());
        }
    };
    let mut options = extractor::Options { filename: job.document.filename.clone(), ..job.config.options() };
    if let Some(pages) = &job.document.options.pages {
        match pages.parse() {
            Ok(selection) => options.pages = Some(selection),
            Err(e) => {
                store.fail(job.id, &settings.id, "bad_request", &format!("pages {pages:?}: {e}"))?;
                return Ok(());
            }
        }
    }
    let (done, total) = (Arc::new(AtomicU32::new(0)), Arc::new(AtomicU32::new(0)));
    let beating = start_heartbeat(store.clone(), settings, job.id, done.clone(), total.clone());
    let watchdog = start_watchdog(store.clone(), settings, job.id, &job.config);
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        extract_observed(&bytes, &options, loaded.engines(), &mut |p: Progress| {
            done.store(p.pages_done, Ordering::Relaxed);
            total.store(p.pages_total, Ordering::Relaxed);
        })
    }));
    drop(watchdog);
    beating.store(false, Ordering::Relaxed);
    let doc = match outcome {
        Ok(Ok(doc)) => doc,
        Ok(Err(ExtractError::TimeLimit { seconds, done, total, .. })) => {
            let message = format!("the time limit of {seconds:.0} s ran out after {done} of {total} pages");
            store.fail(job.id, &settings.id, "time_limit", &message)?;
            return Ok(());
        }
        Ok(Err(e)) => {
            store.fail(job.id, &settings.id, e.code(), &e.to_string())?;
            return Ok(());
        }
        Err(_) => {
            store.fail(job.id, &settings.id, "internal", "an internal error stopped the extraction")?;
            return Ok(());
        }
    };
    let scratch = store.data().scratch(&job.document.id);
    let triples = match results::write(&scratch, &doc, &bytes, None, loaded.engines().pdf) {
        Ok(n) => n,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&scratch);
            store.fail(
                job.id,
                &settings.id,
                "results_unwritable",
                &format!("the results could not be written: {e}"),
            )?;
            return Ok(());
        }
    };
    let finished = Finished {
        results: &scratch,
        pages_done: doc.pages_read() as u32,
        pages_total: total.load(Ordering::Relaxed),
        title: doc.source.title.clone(),
        triples,
    };
    match store.finish(job.id, &settings.id, &finished)? {
        Some(version) => info!(job = job.id, document = %job.document.id, version, "job done"),
        None => warn!(job = job.id, "the job was taken from this worker; its results are dropped"),
    }
    Ok(())
}

/// Renews the job's lease and records its pages every [`HEARTBEAT`] until the returned flag
/// is cleared; stops the process when the server is gone.
fn start_heartbeat(
    store: Arc<Store>,
    settings: &WorkerSettings,
    job: i64,
    done: Arc<AtomicU32>,
    total: Arc<AtomicU32>,
) -> Arc<AtomicBool> {
    let running = Arc::new(AtomicBool::new(true));
    let (flag, worker, lease, parent) = (running.clone(), settings.id.clone(), settings.lease, settings.parent);
    std::thread::spawn(move || {
        while flag.load(Ordering::Relaxed) {
            if orphaned(parent) {
                std::process::exit(0);
            }
            let pages_total = Some(total.load(Ordering::Relaxed)).filter(|&t| t > 0);
            if let Err(e) = store.heartbeat(job, &worker, lease, done.load(Ordering::Relaxed), pages_total) {
                warn!(job, error = %e, "heartbeat failed");
            }
            std::thread::sleep(HEARTBEAT);
        }
    });
    running
}

/// Past the time limit plus a grace period (a native call that hangs never returns to the
/// pipeline's own check), fails the job with `time_limit` and ends the process; the server
/// starts a new worker. Dropping the returned sender disarms it.
fn start_watchdog(store: Arc<Store>, settings: &WorkerSettings, job: i64, config: &Config) -> mpsc::Sender<()> {
    let (disarm, disarmed) = mpsc::channel::<()>();
    let limit = config.limits.timeout_seconds.max(0.0);
    let deadline = Duration::from_secs_f64(limit + (limit * 0.5).clamp(5.0, 60.0));
    let worker = settings.id.clone();
    std::thread::spawn(move || {
        if let Err(mpsc::RecvTimeoutError::Timeout) = disarmed.recv_timeout(deadline) {
            let message =
                format!("the document did not finish within {:.0} s and was abandoned", deadline.as_secs_f64());
            let _ = store.fail(job, &worker, "time_limit", &message);
            std::process::exit(9);
        }
    });
    disarm
}
