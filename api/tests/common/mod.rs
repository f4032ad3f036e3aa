//! What the in-process API tests share: an application over a store in a temporary folder,
//! keys of each role, and a call that answers status, headers and JSON.
#![allow(dead_code)]

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use clinex_api::supervisor::PoolStats;
use clinex_api::{AppState, Keys, Limits, router};
use http_body_util::BodyExt;
use tower::ServiceExt;

pub const CURATOR: &str = "curator-key-0123456789";
pub const LOADER: &str = "loader-key-0123456789";
pub const ADMIN: &str = "admin-key-0123456789";
pub const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

pub struct App {
    pub state: AppState,
    _dir: tempfile::TempDir,
}

pub fn app(max_queue: u64, max_upload_bytes: u64) -> App {
    let dir = tempfile::tempdir().unwrap();
    let keys = Keys::parse(&format!("{CURATOR}:curator,{LOADER}:loader,{ADMIN}:admin")).unwrap();
    let state = AppState {
        store: Arc::new(clinex_store::Store::open(dir.path()).unwrap()),
        keys: Arc::new(keys),
        config: Arc::new(extractor::Config::default()),
        limits: Limits { max_upload_bytes, max_queue, workers: 1 },
        pool: Arc::new(PoolStats::default()),
        metrics: None,
    };
    App { state, _dir: dir }
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub json: serde_json::Value,
}

pub async fn call(app: &App, request: Request<Body>) -> Answer {
    let response = router(app.state.clone()).oneshot(request).await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Answer { status, headers, json: serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null) }
}

pub fn get(path: &str, key: &str) -> Request<Body> {
    Request::get(path).header(header::AUTHORIZATION, format!("Bearer {key}")).body(Body::empty()).unwrap()
}

pub fn upload(bytes: &[u8], query: &str, key: &str) -> Request<Body> {
    Request::post(format!("/v1/documents{query}"))
        .header(header::AUTHORIZATION, format!("Bearer {key}"))
        .header(header::CONTENT_TYPE, "application/pdf")
        .body(Body::from(bytes.to_vec()))
        .unwrap()
}
