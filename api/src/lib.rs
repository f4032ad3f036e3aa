//! clinex's HTTP service: [`serve`] runs it (`clinex serve`), [`router`] is the application
//! (tests call it in process).
//!
//! The server process never loads PDFium, ONNX Runtime or Tesseract: this crate depends on the
//! pure extraction library and the store, and extraction runs in worker processes the server
//! supervises ([`supervisor`]). `make lint` checks that no native crate ever enters this
//! crate's dependency tree.
//!
//! Routes (errors are RFC 9457 problem documents, [`error::Problem`]):
//! - `POST /v1/documents`, `GET /v1/documents`, `GET|DELETE /v1/documents/{id}`,
//!   `GET /v1/documents/{id}/events` ([`documents`]);
//! - `GET /v1/documents/{id}/extraction|triples`, `/tables/{n}.{csv,html,json}`,
//!   `/flowcharts/{n}.{json,dot,mmd,fhir.json}`, `/pages/{n}.png`, and the loader's feed
//!   `GET /v1/graph/changes` ([`results`]);
//! - `GET /healthz`, `GET /readyz` ([`health`]), `GET /metrics` ([`metrics`]);
//! - `GET /openapi.json` (generated from these handlers) and `GET /docs` ([`openapi`]).
//!
//! Depends on: `clinex-extractor`, `clinex-store`.

pub mod auth;
pub mod corrections;
pub mod documents;
pub mod error;
pub mod health;
pub mod metrics;
pub mod openapi;
pub mod results;
pub mod supervisor;
pub mod web;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, Request};
use axum::routing::get;
use clinex_store::{Store, StoreError};
use extractor::Config;
use tower_http::request_id::{MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use tracing::info;

pub use auth::{Keys, Role};
pub use error::Problem;
use supervisor::{PoolStats, WorkerPool};

/// What the handlers are allowed to do.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_upload_bytes: u64,
    /// Queued documents from which uploads are refused with 429.
    pub max_queue: u64,
    /// Worker processes the server runs.
    pub workers: usize,
}

/// What every request handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<Store>,
    pub keys: Arc<Keys>,
    /// The configuration jobs run under (a document's options adjust a copy).
    pub config: Arc<Config>,
    pub limits: Limits,
    pub pool: Arc<PoolStats>,
    /// Renders `/metrics`; `None` where no recorder is installed (tests in process).
    pub metrics: Option<metrics_exporter_prometheus::PrometheusHandle>,
}

/// Runs a store call off the async threads.
pub async fn blocking<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, Problem> {
    let store = state.store.clone();
    Ok(tokio::task::spawn_blocking(move || f(&store)).await??)
}

/// The application.
pub fn router(state: AppState) -> Router {
    use axum::routing::post;
    let v1 = Router::new()
        .route("/documents", post(documents::upload).get(documents::list))
        .route("/documents/{id}", get(documents::get).delete(documents::delete))
        .route("/documents/{id}/events", get(documents::events))
        .route("/documents/{id}/extraction", get(results::extraction))
        .route("/documents/{id}/triples", get(results::triples))
        .route("/documents/{id}/tables/{file}", get(results::table))
        .route("/documents/{id}/flowcharts/{file}", get(results::flowchart))
        .route("/documents/{id}/pages/{file}", get(results::page))
        .route("/documents/{id}/corrections", post(corrections::correct))
        .route("/documents/{id}/versions", get(corrections::versions))
        .route("/documents/{id}/ground-truth", get(corrections::ground_truth))
        .route("/graph/changes", get(results::changes));
    let request_id = HeaderName::from_static("x-request-id");
    Router::new()
        .nest("/v1", v1)
        .route("/", get(web::index))
        .route("/app.css", get(web::css))
        .route("/app.js", get(web::app))
        .route("/panels.js", get(web::panels))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::render))
        .route("/openapi.json", get(openapi::document))
        .route("/docs", get(openapi::page))
        // Inside the routes, where the matched route pattern is known.
        .route_layer(axum::middleware::from_fn(metrics::track))
        .fallback(|| async { Problem::not_found("resource") })
        // Uploads are streamed and measured against their own limit.
        .layer(DefaultBodyLimit::disable())
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
            let id =
                request.extensions().get::<RequestId>().and_then(|id| id.header_value().to_str().ok()).unwrap_or("-");
            // Method, path and request id only: never a document's content.
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), id)
        }))
        .layer(SetRequestIdLayer::new(request_id, SequentialIds::default()))
        .with_state(state)
}

/// Request ids: this server's start time and a counter, unique per server.
#[derive(Debug, Clone, Default)]
struct SequentialIds {
    next: Arc<std::sync::atomic::AtomicU64>,
}

impl MakeRequestId for SequentialIds {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        static START: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
        let start = START.get_or_init(|| clinex_store::now() as u64);
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        format!("{start:x}-{n}").parse().ok().map(RequestId::new)
    }
}

/// How `clinex serve` runs.
#[derive(Debug, Clone)]
pub struct ServeSettings {
    pub addr: SocketAddr,
    pub data: PathBuf,
    pub keys: Keys,
    pub config: Config,
    pub limits: Limits,
    /// The executable started as `clinex worker`.
    pub worker_exe: PathBuf,
    pub worker_memory_mib: u64,
    pub max_attempts: u32,
    pub lease_seconds: f64,
}

/// Why the service could not run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("the store cannot be opened: {0}")]
    Store(#[from] StoreError),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("without API keys the server only listens on loopback (127.0.0.1 or ::1), not on {0}")]
    OpenOnNetwork(SocketAddr),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Runs the service until Ctrl-C or SIGTERM: the store, the worker processes, the HTTP server.
pub fn serve(settings: ServeSettings) -> Result<(), ServeError> {
    if settings.keys.is_open() && !settings.addr.ip().is_loopback() {
        return Err(ServeError::OpenOnNetwork(settings.addr));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(run(settings))
}

async fn run(settings: ServeSettings) -> Result<(), ServeError> {
    let store = Arc::new(Store::open(&settings.data)?);
    // Jobs held by the workers of a server that is gone are queued again (or failed after
    // their last try) before new workers start.
    let previous = store.workers()?;
    for w in &previous {
        store.release(
            &w.id,
            "server_restarted",
            "the server restarted during the extraction",
            settings.max_attempts,
        )?;
    }
    let engines_config = settings.data.join("worker-config.json");
    std::fs::write(&engines_config, serde_json::to_vec_pretty(&settings.config).unwrap_or_default())?;
    let pool = Arc::new(PoolStats::default());
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let workers = supervisor::start(
        WorkerPool {
            exe: settings.worker_exe.clone(),
            data: settings.data.clone(),
            count: settings.limits.workers,
            memory_mib: settings.worker_memory_mib,
            max_attempts: settings.max_attempts,
            lease: settings.lease_seconds,
            engines_config,
        },
        store.clone(),
        pool.clone(),
        stopping,
    );
    let recorder = metrics::install().map_err(|e| ServeError::Io(std::io::Error::other(e)))?;
    let state = AppState {
        store,
        keys: Arc::new(settings.keys),
        config: Arc::new(settings.config),
        limits: settings.limits,
        pool,
        metrics: Some(recorder),
    };
    let listener = tokio::net::TcpListener::bind(settings.addr)
        .await
        .map_err(|source| ServeError::Bind { addr: settings.addr, source })?;
    let bound = listener.local_addr()?;
    info!(addr = %bound, data = %settings.data.display(), "clinex serving");
    // The address actually bound (port 0 picks one): tests and scripts read this line.
    println!("clinex: listening on http://{bound}");
    axum::serve(listener, router(state)).with_graceful_shutdown(shutdown()).await?;
    let _ = stop.send(true);
    for w in workers {
        let _ = w.await;
    }
    Ok(())
}

/// Ctrl-C or SIGTERM.
async fn shutdown() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate => {}
    }
}
