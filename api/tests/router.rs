//! The application answered in process, without a socket (the tests over real HTTP come with
//! the service's routes).

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

async fn get(path: &str) -> (StatusCode, Option<String>, serde_json::Value) {
    let app = clinex_api::router(clinex_api::AppState::default());
    let response = app.oneshot(Request::get(path).body(Body::empty()).unwrap()).await.unwrap();
    let status = response.status();
    let content_type = response.headers().get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap().to_string());
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, content_type, serde_json::from_slice(&body).unwrap())
}

#[tokio::test]
async fn health_names_the_contract_it_serves() {
    let (status, content_type, body) = get("/healthz").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type.as_deref(), Some("application/json"));
    assert_eq!(body["status"], "ok");
    assert_eq!(body["schema_version"], extractor::model::SCHEMA_VERSION);
}

#[tokio::test]
async fn an_unknown_route_is_a_problem_document() {
    let (status, content_type, body) = get("/v1/nothing-here").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(content_type.as_deref(), Some("application/problem+json"));
    assert_eq!(body["status"], 404);
    assert_eq!(body["code"], "not_found");
    assert_eq!(body["type"], "https://w3id.org/clinex/problems/not_found");
}
