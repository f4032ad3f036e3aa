//! clinex's HTTP service, as a library: [`router`] builds the axum application from its
//! [`AppState`]; `clinex serve` (in the CLI) binds it to an address.
//!
//! The server process never loads PDFium, ONNX Runtime or Tesseract: this crate depends only on
//! the pure extraction library (for the contract types and the configuration a job carries),
//! and extraction runs in worker processes the server supervises. `make lint` checks that no
//! native crate ever enters this crate's dependency tree.
//!
//! Depends on: `clinex-extractor` only.
//!
//! Routes (more come with the service):
//! - `GET /healthz`: the process is alive; the contract version it serves.
//!
//! Every error, an unknown route included, is an RFC 9457 problem document
//! (`application/problem+json`).

use std::sync::Arc;

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use extractor::Config;
use serde::Serialize;

/// What every request handler shares.
#[derive(Debug, Clone, Default)]
pub struct AppState {
    /// The configuration jobs are extracted under (each job carries a copy to its worker).
    pub config: Arc<Config>,
}

/// The application: every route, with `state`.
pub fn router(state: AppState) -> Router {
    Router::new().route("/healthz", get(healthz)).fallback(not_found).with_state(state)
}

/// What `GET /healthz` answers.
#[derive(Debug, Serialize)]
struct Health {
    status: &'static str,
    version: &'static str,
    schema_version: &'static str,
}

async fn healthz() -> axum::Json<Health> {
    axum::Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        schema_version: extractor::model::SCHEMA_VERSION,
    })
}

async fn not_found() -> Problem {
    Problem::new(StatusCode::NOT_FOUND, "not_found", "no such resource")
}

/// An RFC 9457 problem document; `code` is the same machine-readable name the CLI's errors use.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub code: String,
    pub detail: String,
}

impl Problem {
    pub fn new(status: StatusCode, code: &str, detail: impl Into<String>) -> Self {
        Self {
            kind: format!("https://w3id.org/clinex/problems/{code}"),
            title: status.canonical_reason().unwrap_or("error").to_string(),
            status: status.as_u16(),
            code: code.to_string(),
            detail: detail.into(),
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).unwrap_or_default();
        (status, [(header::CONTENT_TYPE, "application/problem+json")], body).into_response()
    }
}
