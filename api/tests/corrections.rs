//! Corrections through the API, in process over a real store: a preview, a saved version that
//! the exports, the triples and the feed follow, earlier versions still readable, and the
//! refusals (wrong role, stale version, an operation naming nothing).

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;
use http_body_util::BodyExt;
use tower::ServiceExt;

/// A finished extraction with one table and one flowchart, as a worker would leave it.
const EXTRACTION: &str = r#"{
  "schema_version": "1",
  "source": {"sha256": "SHA", "filename": "g.pdf", "pages": 1, "title": "Anaphylaxis", "bytes": 10},
  "pages": [{"number": 1, "width": 595, "height": 842, "rotation": 0, "scanned": false, "text": "",
    "regions": [{"id": "p1-r1", "kind": "table", "bbox": [50, 50, 500, 200], "confidence": 0.9, "text": "",
                 "source": "model", "order": 1, "lines": 3}]}],
  "tables": [{"id": "t1", "page": 1, "bbox": [50, 50, 500, 200], "caption": "Table 1. Doses", "continues": null,
    "region": "p1-r1", "n_rows": 2, "n_cols": 2, "cells": [
      {"row": 0, "col": 0, "row_span": 1, "col_span": 1, "text": "Drug", "header": true, "bbox": [50, 50, 200, 100]},
      {"row": 0, "col": 1, "row_span": 1, "col_span": 1, "text": "Dose", "header": true, "bbox": [200, 50, 500, 100]},
      {"row": 1, "col": 0, "row_span": 1, "col_span": 1, "text": "Adrenaline", "header": false, "bbox": [50, 100, 200, 200]},
      {"row": 1, "col": 1, "row_span": 1, "col_span": 1, "text": "0.5 mg", "header": false, "bbox": [200, 100, 500, 200]}]}],
  "flowcharts": [{"id": "f1", "page": 1, "bbox": [50, 300, 500, 700], "caption": null, "raster": false,
    "nodes": [{"id": "n1", "text": "Anaphylaxis?", "shape": "decision", "bbox": [100, 300, 300, 350]},
              {"id": "n2", "text": "Adrenaline IM", "shape": "process", "bbox": [100, 500, 300, 550]}],
    "edges": [{"source": "n1", "target": "n2", "label": "Yes"}]}],
  "warnings": []
}"#;

/// Uploads, then finishes the job with [`EXTRACTION`] as a worker would.
async fn extracted(app: &App) -> String {
    let id = call(app, upload(PDF, "?filename=g.pdf", CURATOR)).await.json["id"].as_str().unwrap().to_string();
    let store = &app.state.store;
    let job = store.claim("w1", 30.0, 3).unwrap().unwrap();
    let dir = store.data().scratch("results");
    std::fs::create_dir_all(dir.join("pages")).unwrap();
    std::fs::write(dir.join("extraction.json"), EXTRACTION).unwrap();
    std::fs::write(dir.join("triples.nq"), "").unwrap();
    std::fs::write(dir.join("pages/1.png"), b"png").unwrap();
    let finished = clinex_store::Finished { results: &dir, pages_done: 1, pages_total: 1, title: None, triples: 0 };
    store.finish(job.id, "w1", &finished).unwrap();
    id
}

fn post(path: &str, key: &str, body: &str) -> Request<Body> {
    Request::post(path)
        .header(header::AUTHORIZATION, format!("Bearer {key}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

async fn text(app: &App, path: &str) -> String {
    let response = clinex_api::router(app.state.clone()).oneshot(get(path, LOADER)).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    String::from_utf8(response.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap()
}

const FIX: &str = r#"{"note": "dose per RCUK 2021", "operations": [
    {"op": "set_cell_text", "table": "t1", "row": 1, "col": 1, "text": "0.3 mg"},
    {"op": "set_edge_label", "flowchart": "f1", "source": "n1", "target": "n2", "label": "Yes, likely"}]}"#;

#[tokio::test]
async fn a_correction_becomes_the_version_everything_follows() {
    let app = app(100, 1 << 20);
    let id = extracted(&app).await;
    let base = format!("/v1/documents/{id}");

    let preview = call(&app, post(&format!("{base}/corrections?dry_run=true"), CURATOR, FIX)).await;
    assert_eq!(preview.status, StatusCode::OK);
    assert_eq!(preview.json["tables"][0]["cells"][3]["text"], "0.3 mg");
    assert_eq!(call(&app, get(&base, CURATOR)).await.json["version"], 1, "a preview saves nothing");

    let saved = call(&app, post(&format!("{base}/corrections"), CURATOR, FIX)).await;
    assert_eq!(saved.status, StatusCode::CREATED);
    assert_eq!(saved.json["version"], 2);
    assert_eq!(saved.json["author"].as_str().unwrap().split(' ').next(), Some("curator"));
    assert!(saved.headers[header::LOCATION].to_str().unwrap().ends_with("/extraction?version=2"));

    assert!(text(&app, &format!("{base}/tables/t1.csv")).await.contains("0.3 mg"));
    assert!(text(&app, &format!("{base}/tables/t1.csv?version=1")).await.contains("0.5 mg"), "earlier versions stay");
    assert!(text(&app, &format!("{base}/flowcharts/f1.mmd")).await.contains("Yes, likely"));
    let triples = text(&app, &format!("{base}/triples")).await.replace("\\\"", "\"");
    assert!(triples.contains("\"0.3 mg\"") && !triples.contains("\"0.5 mg\""));
    assert!(text(&app, &format!("{base}/pages/1.png?version=2")).await.starts_with("png"), "pictures carried over");
    let truth: serde_json::Value = serde_json::from_str(&text(&app, &format!("{base}/ground-truth")).await).unwrap();
    assert_eq!(truth["flowcharts"][0]["edges"][0]["label"], "Yes, likely");

    let versions = call(&app, get(&format!("{base}/versions"), CURATOR)).await.json;
    assert_eq!(versions[1]["kind"], "correction");
    assert_eq!(versions[1]["note"], "dose per RCUK 2021");
    assert_eq!(versions[1]["operations"][0]["op"], "set_cell_text");

    let feed = call(&app, get("/v1/graph/changes?after=0", LOADER)).await.json;
    let entries = feed["changes"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[1]["version"], 2);
    assert!(entries[1]["triples"].as_str().unwrap().ends_with("/triples?version=2"));
}

#[tokio::test]
async fn corrections_are_refused_with_their_reason() {
    let app = app(100, 1 << 20);
    let id = extracted(&app).await;
    let path = format!("/v1/documents/{id}/corrections");
    assert_eq!(call(&app, post(&path, LOADER, FIX)).await.status, StatusCode::FORBIDDEN);
    let wrong = r#"{"operations": [{"op": "remove_edge", "flowchart": "f1", "source": "n2", "target": "n1"}]}"#;
    let refused = call(&app, post(&path, CURATOR, wrong)).await;
    assert_eq!(
        (refused.status, refused.json["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("bad_correction"))
    );
    assert!(refused.json["detail"].as_str().unwrap().contains("n2 → n1"));
    assert_eq!(call(&app, post(&path, CURATOR, FIX)).await.status, StatusCode::CREATED);
    let stale = r#"{"based_on": 1, "operations": [{"op": "set_header_rows", "table": "t1", "rows": 1}]}"#;
    let answer = call(&app, post(&path, CURATOR, stale)).await;
    assert_eq!((answer.status, answer.json["code"].as_str()), (StatusCode::CONFLICT, Some("stale_version")));
    assert_eq!(
        call(&app, get(&format!("/v1/documents/{id}/extraction?version=9"), CURATOR)).await.status,
        StatusCode::NOT_FOUND
    );
}
