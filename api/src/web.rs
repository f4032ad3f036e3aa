//! The curator page: HTML, CSS and JavaScript built into the binary (`api/web/`), served at
//! `/`, with nothing fetched from anywhere else. The page reads and writes only through the
//! API, with the key the curator signs in with (kept in the tab's session storage).

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

const INDEX: &str = include_str!("../web/index.html");
const CSS: &str = include_str!("../web/app.css");
const APP: &str = include_str!("../web/app.js");
const PANELS: &str = include_str!("../web/panels.js");

/// Only this server's own files: pages are fetched as blobs, styles come from the stylesheet
/// and a few inline attributes (boxes placed over the page).
const POLICY: &str = "default-src 'self'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; \
                      script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

fn asset(content_type: &'static str, body: &'static str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(POLICY));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // The files change with the binary: the browser asks each time (cheap, on loopback or LAN).
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

pub async fn index() -> Response {
    asset("text/html; charset=utf-8", INDEX)
}

pub async fn css() -> Response {
    asset("text/css; charset=utf-8", CSS)
}

pub async fn app() -> Response {
    asset("text/javascript; charset=utf-8", APP)
}

pub async fn panels() -> Response {
    asset("text/javascript; charset=utf-8", PANELS)
}
