//! Documents: upload (multipart or raw bytes), list, look at, follow as events, delete.
//!
//! An upload is streamed to a scratch file while it is hashed and measured; it is refused
//! early when the queue is full (429) and when it grows past the size limit (413); its first
//! bytes must be a PDF or an image (415). Then its bytes are flushed and renamed into place,
//! and its document and job committed, before the answer: 202 for a new document, 200 with
//! the existing one when the same bytes come again with the same options.

use std::convert::Infallible;
use std::time::Duration;

use axum::Json;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use clinex_store::{DocumentOptions, DocumentRow, DocumentStatus, ListFilter, NewDocument};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use crate::auth::{Action, Caller};
use crate::error::Problem;
use crate::{AppState, blocking};

/// A document as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DocumentView {
    pub id: String,
    /// `queued`, `running`, `done` or `failed`.
    #[schema(value_type = String, example = "done")]
    pub status: DocumentStatus,
    pub filename: Option<String>,
    pub title: Option<String>,
    pub sha256: String,
    pub bytes: u64,
    /// The options it was submitted with (`pages`, `ocr_engine`).
    #[schema(value_type = Object)]
    pub options: DocumentOptions,
    pub pages_done: u32,
    pub pages_total: Option<u32>,
    /// 1 after the first extraction; corrections add versions.
    pub version: u32,
    pub error: Option<ErrorView>,
    pub created_at: f64,
    pub started_at: Option<f64>,
    pub finished_at: Option<f64>,
    /// Seconds the (last) extraction took.
    pub seconds: Option<f64>,
    pub links: Links,
}

/// Why a document failed: a code the CLI shares (`not_pdf`, `encrypted`, `time_limit`, ...).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorView {
    pub code: String,
    pub message: String,
}

/// Where the document's parts are.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Links {
    #[serde(rename = "self")]
    pub this: String,
    pub events: String,
    pub extraction: String,
    pub triples: String,
}

impl From<DocumentRow> for DocumentView {
    fn from(d: DocumentRow) -> Self {
        let base = format!("/v1/documents/{}", d.id);
        let error = d.error_code.map(|code| ErrorView { code, message: d.error_message.unwrap_or_default() });
        let seconds = d.started_at.zip(d.finished_at).map(|(s, f)| ((f - s) * 1000.0).round() / 1000.0);
        Self {
            links: Links {
                events: format!("{base}/events"),
                extraction: format!("{base}/extraction"),
                triples: format!("{base}/triples"),
                this: base,
            },
            id: d.id,
            status: d.status,
            filename: d.filename,
            title: d.title,
            sha256: d.sha256,
            bytes: d.bytes,
            options: d.options,
            pages_done: d.pages_done,
            pages_total: d.pages_total,
            version: d.version,
            error,
            created_at: d.created_at,
            started_at: d.started_at,
            finished_at: d.finished_at,
            seconds,
        }
    }
}

/// Options given in the query string (or as form fields of a multipart upload).
#[derive(Debug, Default, Deserialize)]
pub struct UploadQuery {
    pub pages: Option<String>,
    pub ocr_engine: Option<String>,
    pub filename: Option<String>,
}

/// An upload's bytes as they arrive: hashed, counted, the head kept for sniffing.
struct Incoming {
    file: tokio::fs::File,
    path: std::path::PathBuf,
    hasher: Sha256,
    size: u64,
    head: Vec<u8>,
    limit: u64,
}

impl Incoming {
    async fn create(state: &AppState) -> Result<Self, Problem> {
        let path = state.store.data().scratch("upload");
        let file = tokio::fs::File::create(&path).await?;
        Ok(Self { file, path, hasher: Sha256::new(), size: 0, head: Vec::new(), limit: state.limits.max_upload_bytes })
    }

    async fn push(&mut self, chunk: &[u8]) -> Result<(), Problem> {
        self.size += chunk.len() as u64;
        if self.size > self.limit {
            return Err(Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                format!("the file is over the limit of {} bytes", self.limit),
            ));
        }
        if self.head.len() < 1024 {
            self.head.extend_from_slice(&chunk[..chunk.len().min(1024 - self.head.len())]);
        }
        self.hasher.update(chunk);
        self.file.write_all(chunk).await?;
        Ok(())
    }

    /// Flushed to disk; its path and sha256.
    async fn finish(mut self) -> Result<(std::path::PathBuf, u64, String), Problem> {
        self.file.flush().await?;
        self.file.sync_all().await?;
        Ok((self.path, self.size, hex::encode(self.hasher.finalize())))
    }
}

/// Upload a document (PDF or image): the multipart field `file`, or the raw bytes with their
/// content type. Answers 202 with the new document, or 200 with the one the same bytes and
/// options made before.
#[utoipa::path(post, path = "/v1/documents", tag = "documents",
    params(
        ("pages" = Option<String>, Query, description = "Pages to extract, e.g. `1-3,7` (also a form field)"),
        ("ocr_engine" = Option<String>, Query, description = "`ppocr`, `tesseract` or `script` (also a form field)"),
        ("filename" = Option<String>, Query, description = "The file's name, for a raw upload"),
    ),
    request_body(content = Vec<u8>, description = "multipart/form-data with `file`, or the raw file", content_type = "application/pdf"),
    responses(
        (status = 202, description = "Accepted: bytes and job are on disk", body = DocumentView),
        (status = 200, description = "The same bytes with the same options were uploaded before", body = DocumentView),
        (status = 400, description = "Empty file or bad options", body = Problem),
        (status = 413, description = "Over the size limit", body = Problem),
        (status = 415, description = "Not a PDF nor an image", body = Problem),
        (status = 429, description = "The queue is full (see Retry-After)", body = Problem),
    ),
    security(("api_key" = [])))]
pub async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<UploadQuery>,
    request: Request,
) -> Result<Response, Problem> {
    caller.require(Action::Upload)?;
    let queued = blocking(&state, |s| s.job_counts()).await?.queued;
    if queued >= state.limits.max_queue {
        let detail = format!("{queued} documents are waiting; try again later");
        return Err(Problem::busy(StatusCode::TOO_MANY_REQUESTS, "queue_full", detail, 30));
    }
    let mut incoming = Incoming::create(&state).await?;
    let scratch = incoming.path.clone();
    let received = receive(&state, &mut incoming, query, request).await;
    let (options, filename, content_type) = match received {
        Ok(found) => found,
        Err(problem) => {
            let _ = tokio::fs::remove_file(&scratch).await;
            return Err(problem);
        }
    };
    if let Err(e) = extractor::input::classify(&incoming.head, None) {
        let _ = tokio::fs::remove_file(&scratch).await;
        let status = if e.code() == "empty" { StatusCode::BAD_REQUEST } else { StatusCode::UNSUPPORTED_MEDIA_TYPE };
        return Err(Problem::new(status, e.code(), e.to_string()));
    }
    let (temp, size, sha256) = incoming.finish().await?;
    let config = options.apply(&state.config);
    let new = NewDocument { sha256: sha256.clone(), bytes: size, filename, content_type, options, config };
    let submitted = blocking(&state, move |s| {
        s.data().keep_blob(&temp, &sha256)?;
        s.submit(&new)
    })
    .await?;
    let status = if submitted.created { StatusCode::ACCEPTED } else { StatusCode::OK };
    let location = format!("/v1/documents/{}", submitted.document.id);
    Ok((status, [(header::LOCATION, location)], Json(DocumentView::from(submitted.document))).into_response())
}

/// Reads the upload into `incoming`: the `file` field of a multipart form (options as other
/// fields or in the query), or the raw body.
async fn receive(
    state: &AppState,
    incoming: &mut Incoming,
    mut query: UploadQuery,
    request: Request,
) -> Result<(DocumentOptions, Option<String>, Option<String>), Problem> {
    let headers = request.headers().clone();
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_string);
    let (filename, content_type) = if content_type.as_deref().is_some_and(|c| c.starts_with("multipart/form-data")) {
        let mut form =
            Multipart::from_request(request, state).await.map_err(|e| Problem::bad_request(e.body_text()))?;
        let mut file = None;
        while let Some(mut field) = form.next_field().await.map_err(multipart_error)? {
            match field.name().unwrap_or_default() {
                "file" => {
                    file = Some((field.file_name().map(str::to_string), field.content_type().map(str::to_string)));
                    while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
                        incoming.push(&chunk).await?;
                    }
                }
                "pages" => query.pages = Some(field.text().await.map_err(multipart_error)?),
                "ocr_engine" => query.ocr_engine = Some(field.text().await.map_err(multipart_error)?),
                _ => {}
            }
        }
        file.ok_or_else(|| Problem::bad_request("the form has no `file` field"))?
    } else {
        let mut body = request.into_body().into_data_stream();
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(|e| Problem::bad_request(format!("the upload broke off: {e}")))?;
            incoming.push(&chunk).await?;
        }
        (query.filename.take().or_else(|| disposition_name(&headers)), content_type)
    };
    Ok((options(&query)?, filename.map(|n| clean_name(&n)), content_type))
}

fn multipart_error(e: axum::extract::multipart::MultipartError) -> Problem {
    let status = e.status();
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        return Problem::new(status, "too_large", e.body_text());
    }
    Problem::bad_request(e.body_text())
}

/// The document's options from what the request says; checked here, so that a mistake is a
/// 400 now rather than a failed job later.
fn options(query: &UploadQuery) -> Result<DocumentOptions, Problem> {
    let pages = query.pages.as_deref().map(str::trim).filter(|p| !p.is_empty());
    if let Some(p) = pages {
        p.parse::<extractor::pages::PageSelection>().map_err(|e| Problem::bad_request(format!("pages {p:?}: {e}")))?;
    }
    let ocr_engine = match query.ocr_engine.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
        Some(e) => Some(e.parse().map_err(Problem::bad_request)?),
        None => None,
    };
    Ok(DocumentOptions { pages: pages.map(String::from), ocr_engine })
}

/// The file name a `Content-Disposition` header gives.
fn disposition_name(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::CONTENT_DISPOSITION)?.to_str().ok()?;
    let name = value.split(';').map(str::trim).find_map(|p| p.strip_prefix("filename="))?;
    Some(name.trim_matches('"').to_string())
}

/// A file name as stored and shown: its last path part only, no control characters, at most
/// 200 characters. (Names never reach the disk: files are kept by their sha256.)
pub fn clean_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = last.chars().filter(|c| !c.is_control()).take(200).collect();
    match clean.trim() {
        "" | "." | ".." => "upload".to_string(),
        t => t.to_string(),
    }
}

/// Which documents `GET /v1/documents` lists.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    pub status: Option<String>,
    pub q: Option<String>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DocumentList {
    pub documents: Vec<DocumentView>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

/// List documents, newest first.
#[utoipa::path(get, path = "/v1/documents", tag = "documents",
    params(
        ("status" = Option<String>, Query, description = "`queued`, `running`, `done` or `failed`"),
        ("q" = Option<String>, Query, description = "Part of the file name or title"),
        ("page" = Option<u64>, Query, description = "From 1"),
        ("per_page" = Option<u64>, Query, description = "At most 500 (default 50)"),
    ),
    responses((status = 200, body = DocumentList)),
    security(("api_key" = [])))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<ListQuery>,
) -> Result<Json<DocumentList>, Problem> {
    caller.require(Action::Read)?;
    let status = match q.status.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(s.parse().map_err(Problem::bad_request)?),
        None => None,
    };
    let (page, per_page) = (q.page.unwrap_or(1).max(1), q.per_page.unwrap_or(50).clamp(1, 500));
    let filter =
        ListFilter { status, query: q.q.filter(|s| !s.is_empty()), offset: (page - 1) * per_page, limit: per_page };
    let (rows, total) = blocking(&state, move |s| s.documents(&filter)).await?;
    Ok(Json(DocumentList { documents: rows.into_iter().map(DocumentView::from).collect(), total, page, per_page }))
}

/// A document that exists, or 404.
pub async fn find(state: &AppState, id: &str) -> Result<DocumentRow, Problem> {
    let id = id.to_string();
    blocking(state, move |s| s.document(&id)).await?.ok_or_else(|| Problem::not_found("document"))
}

/// One document: its status, pages done, version, timings and error.
#[utoipa::path(get, path = "/v1/documents/{id}", tag = "documents",
    params(("id" = String, Path)),
    responses((status = 200, body = DocumentView), (status = 404, body = Problem)),
    security(("api_key" = [])))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<DocumentView>, Problem> {
    caller.require(Action::Read)?;
    Ok(Json(find(&state, &id).await?.into()))
}

/// Delete a document (admin): its graph leaves the feed with a `delete` change.
#[utoipa::path(delete, path = "/v1/documents/{id}", tag = "documents",
    params(("id" = String, Path)),
    responses((status = 204, description = "Deleted"), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("api_key" = [])))]
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, Problem> {
    caller.require(Action::Delete)?;
    if blocking(&state, move |s| s.delete(&id)).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Problem::not_found("document"))
    }
}

/// How often events look for news.
const EVENT_POLL: Duration = Duration::from_millis(250);

/// Server-sent events: a `progress` event with the document each time its status or pages
/// change, then `done` or `failed`, then the stream ends.
#[utoipa::path(get, path = "/v1/documents/{id}/events", tag = "documents",
    params(("id" = String, Path)),
    responses((status = 200, description = "text/event-stream of DocumentView", content_type = "text/event-stream")),
    security(("api_key" = [])))]
pub async fn events(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    caller.require(Action::Read)?;
    find(&state, &id).await?;
    let (send, receive) = tokio::sync::mpsc::channel::<Result<Event, Infallible>>(16);
    tokio::spawn(async move {
        let mut last = None;
        loop {
            let id = id.clone();
            let Ok(Some(doc)) = blocking(&state, move |s| s.document(&id)).await else {
                let _ = send.send(Ok(Event::default().event("gone").data("{}"))).await;
                return;
            };
            let seen = (doc.status, doc.pages_done, doc.version);
            if last != Some(seen) {
                last = Some(seen);
                let name = match doc.status {
                    DocumentStatus::Done => "done",
                    DocumentStatus::Failed => "failed",
                    _ => "progress",
                };
                let data = serde_json::to_string(&DocumentView::from(doc)).unwrap_or_default();
                if send.send(Ok(Event::default().event(name).data(data))).await.is_err() || name != "progress" {
                    return;
                }
            }
            tokio::time::sleep(EVENT_POLL).await;
        }
    });
    let stream = tokio_stream::wrappers::ReceiverStream::new(receive);
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_never_carry_paths_or_control_characters() {
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("C:\\guidelines\\sepsis.pdf"), "sepsis.pdf");
        assert_eq!(clean_name("a\u{0}b\nc.pdf"), "abc.pdf");
        assert_eq!(clean_name(".."), "upload");
        assert_eq!(clean_name(&"x".repeat(500)).len(), 200);
    }
}
