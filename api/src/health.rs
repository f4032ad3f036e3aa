//! Whether the service lives (`/healthz`) and can take work (`/readyz`: the store takes writes,
//! and a worker has loaded its engines and reported in recently).

use std::sync::atomic::Ordering;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::AppState;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Health {
    pub status: &'static str,
    pub version: &'static str,
    pub schema_version: &'static str,
}

/// The process is alive.
#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, body = Health)))]
pub async fn healthz() -> Json<Health> {
    Json(Health { status: "ok", version: env!("CARGO_PKG_VERSION"), schema_version: extractor::model::SCHEMA_VERSION })
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Readiness {
    pub ready: bool,
    pub store_writable: bool,
    /// Workers that have loaded their engines and reported in the last 30 s.
    pub workers_ready: usize,
    pub workers_configured: usize,
    /// Workers whose engines would not load.
    pub workers_broken: usize,
    pub worker_restarts: u64,
    pub queued: u64,
    /// Every worker as it last reported.
    #[schema(value_type = Vec<Object>)]
    pub workers: Vec<clinex_store::WorkerRow>,
}

/// A worker that has not reported for this long does not count as up.
const RECENT: f64 = 30.0;

/// Whether the service can take work: the store takes writes and a worker has its engines
/// loaded; 503 with the same report when not.
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses((status = 200, body = Readiness), (status = 503, body = Readiness)))]
pub async fn readyz(State(state): State<AppState>) -> Response {
    let store = state.store.clone();
    let checked = tokio::task::spawn_blocking(move || {
        let writable = store.writable().is_ok();
        let workers = store.workers().unwrap_or_default();
        let queued = store.job_counts().map(|c| c.queued).unwrap_or(0);
        (writable, workers, queued)
    })
    .await;
    let (store_writable, workers, queued) = checked.unwrap_or((false, Vec::new(), 0));
    let now = clinex_store::now();
    let recent = |w: &&clinex_store::WorkerRow| now - w.seen_at < RECENT;
    let workers_ready = workers.iter().filter(recent).filter(|w| w.state == "ready" || w.state == "busy").count();
    let workers_broken = workers.iter().filter(recent).filter(|w| w.state == "broken").count();
    let ready = store_writable && workers_ready > 0;
    let report = Readiness {
        ready,
        store_writable,
        workers_ready,
        workers_configured: state.limits.workers,
        workers_broken,
        worker_restarts: state.pool.restarts.load(Ordering::Relaxed),
        queued,
        workers,
    };
    let status = if ready { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, Json(report)).into_response()
}
