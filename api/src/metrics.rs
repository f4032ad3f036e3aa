//! `GET /metrics` in Prometheus' text format: the queue's depth, jobs by status, pages
//! extracted, workers by state and their restarts (read at scrape time), and every request's
//! latency by route and status (recorded as requests pass).

use std::sync::atomic::Ordering;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::AppState;
use crate::error::Problem;

/// Installs the process-wide recorder (once, in `serve`); its handle renders `/metrics`.
pub fn install() -> Result<PrometheusHandle, String> {
    let buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];
    PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Full("clinex_http_request_duration_seconds".into()), &buckets)
        .map_err(|e| e.to_string())?
        .install_recorder()
        .map_err(|e| e.to_string())
}

/// Records each request's latency, by method, route (the pattern, never the ids) and status.
pub async fn track(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().to_string();
    let route = request.extensions().get::<MatchedPath>().map_or("unmatched".to_string(), |p| p.as_str().to_string());
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::histogram!("clinex_http_request_duration_seconds", "method" => method, "route" => route, "status" => status)
        .record(started.elapsed().as_secs_f64());
    response
}

/// Prometheus metrics: queue depth, jobs by status, pages, workers, restarts, request latency.
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "Prometheus text format", content_type = "text/plain")))]
pub async fn render(State(state): State<AppState>) -> Result<Response, Problem> {
    let Some(handle) = state.metrics.clone() else {
        return Err(Problem::new(StatusCode::NOT_FOUND, "not_found", "metrics are not recorded by this server"));
    };
    let store = state.store.clone();
    let (jobs, pages, workers) = tokio::task::spawn_blocking(move || -> Result<_, clinex_store::StoreError> {
        Ok((store.job_counts()?, store.pages_extracted()?, store.workers()?))
    })
    .await??;
    metrics::gauge!("clinex_queue_depth").set(jobs.queued as f64);
    for (status, n) in
        [("queued", jobs.queued), ("running", jobs.running), ("done", jobs.done), ("failed", jobs.failed)]
    {
        metrics::gauge!("clinex_jobs", "status" => status).set(n as f64);
    }
    metrics::counter!("clinex_pages_extracted_total").absolute(pages);
    for state_name in ["loading", "ready", "busy", "broken"] {
        let n = workers.iter().filter(|w| w.state == state_name).count();
        metrics::gauge!("clinex_workers", "state" => state_name).set(n as f64);
    }
    metrics::counter!("clinex_worker_restarts_total").absolute(state.pool.restarts.load(Ordering::Relaxed));
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], handle.render()).into_response())
}
