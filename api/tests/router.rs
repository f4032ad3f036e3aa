//! The application answered in process over a real store in a temporary folder, without
//! workers: uploads, deduplication, the refusals (401, 403, 413, 415, 429), lists, 404s and
//! 409s, readiness. The whole service with its workers is tested over HTTP in `cli/tests`.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use clinex_api::router;
use common::*;
use http_body_util::BodyExt;
use tower::ServiceExt;

fn multipart(bytes: &[u8], name: &str, pages: &str, key: &str) -> Request<Body> {
    let boundary = "clinexboundary";
    let mut body = Vec::new();
    body.extend(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"pages\"\r\n\r\n{pages}\r\n").as_bytes(),
    );
    body.extend(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n")
            .as_bytes(),
    );
    body.extend(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    Request::post("/v1/documents")
        .header(header::AUTHORIZATION, format!("Bearer {key}"))
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .body(Body::from(body))
        .unwrap()
}

#[tokio::test]
async fn an_upload_is_accepted_once_and_found_again() {
    let app = app(100, 1 << 20);
    let first = call(&app, upload(PDF, "?filename=../../sepsis.pdf", CURATOR)).await;
    assert_eq!(first.status, StatusCode::ACCEPTED, "{}", first.json);
    let id = first.json["id"].as_str().unwrap().to_string();
    assert_eq!(first.headers[header::LOCATION], format!("/v1/documents/{id}").as_str());
    assert_eq!(first.json["status"], "queued");
    assert_eq!(first.json["filename"], "sepsis.pdf", "the name loses its path");
    assert!(app.state.store.data().blob(first.json["sha256"].as_str().unwrap()).is_file(), "the bytes are kept");
    let again = call(&app, upload(PDF, "", CURATOR)).await;
    assert_eq!((again.status, again.json["id"].as_str()), (StatusCode::OK, Some(id.as_str())));
    let pages = call(&app, multipart(PDF, "sepsis.pdf", "1-2", CURATOR)).await;
    assert_eq!(pages.status, StatusCode::ACCEPTED, "other options, another document: {}", pages.json);
    assert_eq!(pages.json["options"]["pages"], "1-2");
    let one = call(&app, get(&format!("/v1/documents/{id}"), LOADER)).await;
    assert_eq!((one.status, one.json["id"].as_str()), (StatusCode::OK, Some(id.as_str())));
    let list = call(&app, get("/v1/documents?status=queued&per_page=1", CURATOR)).await;
    assert_eq!((list.json["total"].as_u64(), list.json["documents"].as_array().unwrap().len()), (Some(2), 1));
    let not_ready = call(&app, get(&format!("/v1/documents/{id}/extraction"), CURATOR)).await;
    assert_eq!((not_ready.status, not_ready.json["code"].as_str()), (StatusCode::CONFLICT, Some("not_ready")));
}

#[tokio::test]
async fn bad_uploads_are_refused_with_their_reason() {
    let app = app(100, 64);
    let word = call(&app, upload(b"PK\x03\x04 a Word document", "", CURATOR)).await;
    assert_eq!((word.status, word.json["code"].as_str()), (StatusCode::UNSUPPORTED_MEDIA_TYPE, Some("not_pdf")));
    assert!(word.json["detail"].as_str().unwrap().contains("Word"));
    assert_eq!(word.headers[header::CONTENT_TYPE], "application/problem+json");
    let empty = call(&app, upload(b"", "", CURATOR)).await;
    assert_eq!((empty.status, empty.json["code"].as_str()), (StatusCode::BAD_REQUEST, Some("empty")));
    let big = call(&app, upload(&[b'%'; 100], "", CURATOR)).await;
    assert_eq!((big.status, big.json["code"].as_str()), (StatusCode::PAYLOAD_TOO_LARGE, Some("too_large")));
    let pages = call(&app, upload(PDF, "?pages=3-1", CURATOR)).await;
    assert_eq!(pages.status, StatusCode::BAD_REQUEST);
    let engine = call(&app, upload(PDF, "?ocr_engine=abbyy", CURATOR)).await;
    assert!(engine.json["detail"].as_str().unwrap().contains("abbyy"));
    let scratch = app.state.store.data().root().join("tmp");
    assert_eq!(std::fs::read_dir(scratch).unwrap().count(), 0, "refused uploads leave nothing behind");
}

#[tokio::test]
async fn a_full_queue_says_when_to_come_back() {
    let app = app(1, 1 << 20);
    assert_eq!(call(&app, upload(PDF, "", CURATOR)).await.status, StatusCode::ACCEPTED);
    let full = call(&app, upload(b"%PDF-1.4 another", "", CURATOR)).await;
    assert_eq!((full.status, full.json["code"].as_str()), (StatusCode::TOO_MANY_REQUESTS, Some("queue_full")));
    assert_eq!(full.headers[header::RETRY_AFTER], "30");
}

#[tokio::test]
async fn keys_decide_who_may_do_what() {
    let app = app(100, 1 << 20);
    let none = call(&app, Request::get("/v1/documents").body(Body::empty()).unwrap()).await;
    assert_eq!((none.status, none.json["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("unauthorized")));
    assert_eq!(call(&app, get("/v1/documents", "curator-key-wrong")).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(call(&app, upload(PDF, "", LOADER)).await.status, StatusCode::FORBIDDEN, "loaders do not upload");
    assert_eq!(call(&app, get("/v1/graph/changes", CURATOR)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(call(&app, get("/v1/graph/changes", LOADER)).await.status, StatusCode::OK);
    let id = call(&app, upload(PDF, "", CURATOR)).await.json["id"].as_str().unwrap().to_string();
    let delete = |key: &str| {
        Request::delete(format!("/v1/documents/{id}"))
            .header(header::AUTHORIZATION, format!("Bearer {key}"))
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(call(&app, delete(CURATOR)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(call(&app, delete(ADMIN)).await.status, StatusCode::NO_CONTENT);
    assert_eq!(call(&app, delete(ADMIN)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(call(&app, get(&format!("/v1/documents/{id}"), ADMIN)).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn health_lives_and_readiness_waits_for_a_worker() {
    let app = app(100, 1 << 20);
    let health = call(&app, Request::get("/healthz").body(Body::empty()).unwrap()).await;
    assert_eq!(
        (health.status, health.json["schema_version"].as_str()),
        (StatusCode::OK, Some(extractor::model::SCHEMA_VERSION))
    );
    let ready = call(&app, Request::get("/readyz").body(Body::empty()).unwrap()).await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!((ready.json["store_writable"].as_bool(), ready.json["workers_ready"].as_u64()), (Some(true), Some(0)));
    app.state.store.report_worker("w1", 1, "ready").unwrap();
    assert_eq!(call(&app, Request::get("/readyz").body(Body::empty()).unwrap()).await.status, StatusCode::OK);
    let unknown = call(&app, get("/v1/nothing-here", ADMIN)).await;
    assert_eq!(
        (unknown.status, unknown.json["type"].as_str()),
        (StatusCode::NOT_FOUND, Some("https://w3id.org/clinex/problems/not_found"))
    );
    assert!(unknown.headers.contains_key("x-request-id"), "every answer names its request");
}

#[tokio::test]
async fn the_openapi_document_describes_every_route_and_the_docs_page_shows_it() {
    let app = app(100, 1 << 20);
    let openapi = call(&app, Request::get("/openapi.json").body(Body::empty()).unwrap()).await;
    assert_eq!(openapi.status, StatusCode::OK);
    let mut paths: Vec<&str> = openapi.json["paths"].as_object().unwrap().keys().map(String::as_str).collect();
    paths.sort_unstable();
    assert_eq!(
        paths,
        [
            "/healthz",
            "/metrics",
            "/readyz",
            "/v1/documents",
            "/v1/documents/{id}",
            "/v1/documents/{id}/corrections",
            "/v1/documents/{id}/events",
            "/v1/documents/{id}/extraction",
            "/v1/documents/{id}/flowcharts/{file}",
            "/v1/documents/{id}/ground-truth",
            "/v1/documents/{id}/pages/{file}",
            "/v1/documents/{id}/tables/{file}",
            "/v1/documents/{id}/triples",
            "/v1/documents/{id}/versions",
            "/v1/graph/changes",
        ]
    );
    assert_eq!(openapi.json["components"]["securitySchemes"]["api_key"]["scheme"], "bearer");
    assert!(openapi.json["components"]["schemas"]["DocumentView"]["properties"]["pages_done"].is_object());
    let docs = router(app.state.clone()).oneshot(Request::get("/docs").body(Body::empty()).unwrap()).await.unwrap();
    let html = String::from_utf8(docs.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    assert!(html.contains("<code>/v1/graph/changes</code>") && html.contains("Upload a document"));
    assert!(!html.contains("http://") && !html.contains("https://cdn"), "nothing fetched from elsewhere");
}
