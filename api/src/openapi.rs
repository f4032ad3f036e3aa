//! The API's OpenAPI document, generated from the handlers' annotations (utoipa), served as
//! `/openapi.json`, and a docs page (`/docs`) rendered from it on the server: plain HTML, no
//! script, nothing fetched from anywhere.

use std::fmt::Write;

use axum::Json;
use axum::response::Html;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::{corrections, documents, error, health, metrics, results};

#[derive(OpenApi)]
#[openapi(
    info(title = "clinex", description = "Clinical guideline PDFs to structured data and knowledge-graph triples. \
        Send an API key as `Authorization: Bearer KEY`: curators upload and read, loaders read and follow the \
        feed, admins do everything. Errors are RFC 9457 problem documents with a `code`."),
    paths(
        documents::upload, documents::list, documents::get, documents::delete, documents::events,
        results::extraction, results::table, results::flowchart, results::page, results::triples, results::changes,
        corrections::correct, corrections::versions, corrections::ground_truth,
        health::healthz, health::readyz, metrics::render,
    ),
    components(schemas(
        documents::DocumentView, documents::ErrorView, documents::Links, documents::DocumentList,
        results::Feed, results::FeedEntry, health::Health, health::Readiness, error::Problem,
        corrections::CorrectionRequest, corrections::CorrectionAnswer,
    )),
    modifiers(&BearerKeys),
)]
pub struct ApiDoc;

/// The `api_key` security scheme the paths name.
struct BearerKeys;

impl Modify for BearerKeys {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "api_key",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

/// `GET /openapi.json`
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// `GET /docs`: every operation with its parameters and answers.
pub async fn page() -> Html<String> {
    Html(render(&ApiDoc::openapi()))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The docs page for `api`.
pub fn render(api: &utoipa::openapi::OpenApi) -> String {
    let mut out = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>clinex API</title><style>\
         body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}\
         h2{margin-top:2rem;border-bottom:1px solid #ccc}code{background:#f3f3f3;padding:0 .2em}\
         .op{margin:1.2rem 0}.m{display:inline-block;min-width:4.5em;font-weight:bold}\
         table{border-collapse:collapse}td{padding:.1rem .6rem;vertical-align:top}</style></head><body>",
    );
    let _ = write!(
        out,
        "<h1>{} API</h1><p>{}</p>",
        escape(&api.info.title),
        escape(api.info.description.as_deref().unwrap_or(""))
    );
    let _ = write!(out, "<p>The machine-readable description: <a href=\"/openapi.json\">/openapi.json</a>.</p>");
    for (path, item) in api.paths.paths.iter() {
        let operations = [("GET", &item.get), ("POST", &item.post), ("PUT", &item.put), ("DELETE", &item.delete)];
        for (method, operation) in operations {
            let Some(op) = operation else { continue };
            let _ = write!(
                out,
                "<div class=\"op\"><h3><span class=\"m\">{method}</span> <code>{}</code></h3>",
                escape(path)
            );
            for text in [&op.summary, &op.description].into_iter().flatten() {
                let _ = write!(out, "<p>{}</p>", escape(text));
            }
            if let Some(params) = op.parameters.as_ref().filter(|p| !p.is_empty()) {
                out.push_str("<table>");
                for p in params.iter().filter_map(|p| match p {
                    utoipa::openapi::RefOr::T(p) => Some(p),
                    utoipa::openapi::RefOr::Ref(_) => None,
                }) {
                    let _ = write!(
                        out,
                        "<tr><td><code>{}</code></td><td>{}</td></tr>",
                        escape(&p.name),
                        escape(p.description.as_deref().unwrap_or(""))
                    );
                }
                out.push_str("</table>");
            }
            out.push_str("<ul>");
            for (status, response) in op.responses.responses.iter() {
                let text = match response {
                    utoipa::openapi::RefOr::T(r) => r.description.clone(),
                    utoipa::openapi::RefOr::Ref(r) => r.ref_location.clone(),
                };
                let _ = write!(out, "<li><code>{status}</code> {}</li>", escape(&text));
            }
            out.push_str("</ul></div>");
        }
    }
    out.push_str("</body></html>");
    out
}
