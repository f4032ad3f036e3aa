//! A document's results, from its current version: the contract JSON, each table and
//! flowchart in its export formats, the page pictures (with the regions drawn over them on
//! request), the triples in the format asked for, and the change feed the knowledge-graph
//! loader follows. Everything here is read from the files a worker wrote and turned into other
//! formats with the pure extraction library; no native library is ever needed.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use clinex_store::layout::{EXTRACTION, TRIPLES, page_picture};
use clinex_store::{ChangeAction, DocumentRow, DocumentStatus};
use extractor::Extraction;
use extractor::model::RegionKind;
use extractor::triples::Format;
use serde::{Deserialize, Serialize};

use crate::auth::{Action, Caller};
use crate::documents::find;
use crate::error::Problem;
use crate::{AppState, blocking};

/// Which version to read: the current one unless `?version=N` names an earlier one.
#[derive(Debug, Default, Deserialize)]
pub struct At {
    pub version: Option<u32>,
}

/// The folder of the version asked for (the current one by default) of a document whose
/// extraction is done, or 409 saying why not; the document's row carries that version.
pub(crate) async fn current(state: &AppState, id: &str, at: &At) -> Result<(DocumentRow, std::path::PathBuf), Problem> {
    let mut doc = find(state, id).await?;
    if doc.version == 0 {
        let (code, detail) = match doc.status {
            DocumentStatus::Failed => {
                ("failed", doc.error_message.clone().unwrap_or_else(|| "the extraction failed".into()))
            }
            status => ("not_ready", format!("the document is {} ({} pages done)", status.as_str(), doc.pages_done)),
        };
        return Err(Problem::new(StatusCode::CONFLICT, code, detail));
    }
    if let Some(version) = at.version {
        if version == 0 || version > doc.version {
            return Err(Problem::not_found("version"));
        }
        doc.version = version;
    }
    let dir = state.store.data().results(&doc.id, doc.version);
    Ok((doc, dir))
}

/// The version as an entity tag: a version's results never change.
fn etag(doc: &DocumentRow) -> String {
    format!("\"{}-v{}\"", doc.id, doc.version)
}

/// 304 when the client has this version already.
fn unchanged(headers: &HeaderMap, tag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag))
}

fn answer(content_type: &str, tag: &str, body: impl Into<Body>) -> Response {
    let mut response = Response::new(body.into());
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(content_type).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(tag) = HeaderValue::from_str(tag) {
        headers.insert(header::ETAG, tag);
    }
    response
}

/// 304 with the tag when the client has this version already.
fn not_modified(headers: &HeaderMap, tag: &str) -> Option<Response> {
    if !unchanged(headers, tag) {
        return None;
    }
    let mut response = StatusCode::NOT_MODIFIED.into_response();
    if let Ok(tag) = HeaderValue::from_str(tag) {
        response.headers_mut().insert(header::ETAG, tag);
    }
    Some(response)
}

async fn load(state: &AppState, id: &str, at: &At) -> Result<(DocumentRow, Extraction), Problem> {
    let (doc, dir) = current(state, id, at).await?;
    Ok((doc, read_extraction(&dir).await?))
}

/// The extraction in a version's folder.
pub(crate) async fn read_extraction(dir: &std::path::Path) -> Result<Extraction, Problem> {
    let bytes = tokio::fs::read(dir.join(EXTRACTION)).await?;
    serde_json::from_slice(&bytes).map_err(|e| Problem::internal(&e))
}

/// The contract JSON of the current version (`ETag` per version; 409 until it is done).
#[utoipa::path(get, path = "/v1/documents/{id}/extraction", tag = "results",
    params(("id" = String, Path), ("version" = Option<u32>, Query, description = "An earlier version")),
    responses((status = 200, description = "The extraction (the contract's JSON)", content_type = "application/json"),
        (status = 304, description = "Not modified"), (status = 409, body = Problem)),
    security(("api_key" = [])))]
pub async fn extraction(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(at): Query<At>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    caller.require(Action::Read)?;
    let (doc, dir) = current(&state, &id, &at).await?;
    let tag = etag(&doc);
    if let Some(response) = not_modified(&headers, &tag) {
        return Ok(response);
    }
    Ok(answer("application/json", &tag, tokio::fs::read(dir.join(EXTRACTION)).await?))
}

/// `n` and the extension of a file name such as `2.csv`, `t2.csv` or `f1.fhir.json`.
fn numbered(file: &str, prefix: char) -> Option<(u32, &str)> {
    let (stem, ext) = file.split_once('.')?;
    Some((stem.strip_prefix(prefix).unwrap_or(stem).parse().ok()?, ext))
}

/// A table as CSV, HTML or JSON: `{file}` is `t1.csv`, `1.html`, ... (pieces continued over
/// pages merged).
#[utoipa::path(get, path = "/v1/documents/{id}/tables/{file}", tag = "results",
    params(("id" = String, Path), ("file" = String, Path, description = "`t1.csv`, `t1.html`, `t1.json`"),
        ("version" = Option<u32>, Query, description = "An earlier version")),
    responses((status = 200, description = "The table"), (status = 404, body = Problem), (status = 409, body = Problem)),
    security(("api_key" = [])))]
pub async fn table(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, file)): Path<(String, String)>,
    Query(at): Query<At>,
) -> Result<Response, Problem> {
    caller.require(Action::Read)?;
    let (n, ext) = numbered(&file, 't').ok_or_else(|| Problem::not_found("table"))?;
    let (doc, extraction) = load(&state, &id, &at).await?;
    let tables = extractor::tables::merge_continued(&extraction.tables);
    let table = tables.iter().find(|t| t.id == format!("t{n}")).ok_or_else(|| Problem::not_found("table"))?;
    let tag = etag(&doc);
    Ok(match ext {
        "csv" => answer("text/csv; charset=utf-8", &tag, extractor::tables::to_csv(table)),
        "html" => answer("text/html; charset=utf-8", &tag, extractor::tables::to_html(table)),
        "json" => answer("application/json", &tag, serde_json::to_vec(table).map_err(|e| Problem::internal(&e))?),
        _ => return Err(Problem::not_found("table format (csv, html, json)")),
    })
}

/// A flowchart as JSON, Graphviz DOT, Mermaid or an HL7 FHIR PlanDefinition.
#[utoipa::path(get, path = "/v1/documents/{id}/flowcharts/{file}", tag = "results",
    params(("id" = String, Path), ("file" = String, Path, description = "`f1.json`, `f1.dot`, `f1.mmd`, `f1.fhir.json`"),
        ("version" = Option<u32>, Query, description = "An earlier version")),
    responses((status = 200, description = "The flowchart"), (status = 404, body = Problem), (status = 409, body = Problem)),
    security(("api_key" = [])))]
pub async fn flowchart(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, file)): Path<(String, String)>,
    Query(at): Query<At>,
) -> Result<Response, Problem> {
    caller.require(Action::Read)?;
    let (n, ext) = numbered(&file, 'f').ok_or_else(|| Problem::not_found("flowchart"))?;
    let (doc, extraction) = load(&state, &id, &at).await?;
    let chart = extraction
        .flowcharts
        .iter()
        .find(|f| f.id == format!("f{n}"))
        .ok_or_else(|| Problem::not_found("flowchart"))?;
    let tag = etag(&doc);
    let json = |v: serde_json::Result<Vec<u8>>| v.map_err(|e| Problem::internal(&e));
    Ok(match ext {
        "json" => answer("application/json", &tag, json(serde_json::to_vec(chart))?),
        "dot" => answer("text/vnd.graphviz; charset=utf-8", &tag, extractor::flowcharts::to_dot(chart)),
        "mmd" => answer("text/plain; charset=utf-8", &tag, extractor::flowcharts::to_mermaid(chart)),
        "fhir.json" => {
            let plan = extractor::flowcharts::to_plan_definition(chart, &extraction.source.sha256);
            answer("application/fhir+json", &tag, json(serde_json::to_vec(&plan))?)
        }
        _ => return Err(Problem::not_found("flowchart format (json, dot, mmd, fhir.json)")),
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    /// `regions`: the regions drawn over the page, coloured by kind.
    pub overlay: Option<String>,
    pub version: Option<u32>,
}

/// A page as a PNG picture (96 dpi), with the regions drawn over it on `?overlay=regions`.
#[utoipa::path(get, path = "/v1/documents/{id}/pages/{file}", tag = "results",
    params(("id" = String, Path), ("file" = String, Path, description = "`3.png`"),
        ("overlay" = Option<String>, Query, description = "`regions`"),
        ("version" = Option<u32>, Query, description = "An earlier version")),
    responses((status = 200, description = "The picture", content_type = "image/png"), (status = 404, body = Problem)),
    security(("api_key" = [])))]
pub async fn page(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, file)): Path<(String, String)>,
    Query(q): Query<PageQuery>,
) -> Result<Response, Problem> {
    caller.require(Action::Read)?;
    let (n, _) =
        numbered(&file, 'p').filter(|(_, ext)| *ext == "png").ok_or_else(|| Problem::not_found("page picture"))?;
    let (doc, dir) = current(&state, &id, &At { version: q.version }).await?;
    let png = tokio::fs::read(dir.join(page_picture(n))).await.map_err(|_| Problem::not_found("page picture"))?;
    let tag = etag(&doc);
    if q.overlay.as_deref() != Some("regions") {
        return Ok(answer("image/png", &tag, png));
    }
    let extraction = read_extraction(&dir).await?;
    let page = extraction.pages.iter().find(|p| p.number == n).ok_or_else(|| Problem::not_found("page"))?.clone();
    let drawn = tokio::task::spawn_blocking(move || draw_regions(&png, &page)).await??;
    Ok(answer("image/png", &format!("\"{}-v{}-regions\"", doc.id, doc.version), drawn))
}

/// The page picture with each region's box drawn in its kind's colour.
fn draw_regions(png: &[u8], page: &extractor::model::Page) -> Result<Vec<u8>, Problem> {
    let mut image = image::load_from_memory(png).map_err(|e| Problem::internal(&e))?.to_rgb8();
    let scale = image.width() as f32 / page.width.max(1.0);
    for r in &page.regions {
        let colour = image::Rgb(region_colour(r.kind));
        let (x, y) = ((r.bbox.x0 * scale) as i32, (r.bbox.y0 * scale) as i32);
        let (w, h) = (((r.bbox.width() * scale) as u32).max(1), ((r.bbox.height() * scale) as u32).max(1));
        for grow in 0..2 {
            let rect = imageproc::rect::Rect::at(x - grow, y - grow).of_size(w + 2 * grow as u32, h + 2 * grow as u32);
            imageproc::drawing::draw_hollow_rect_mut(&mut image, rect, colour);
        }
    }
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).map_err(|e| Problem::internal(&e))?;
    Ok(out.into_inner())
}

/// One colour per region kind (the curator page's legend uses the same).
pub fn region_colour(kind: RegionKind) -> [u8; 3] {
    match kind {
        RegionKind::Title | RegionKind::Heading => [200, 40, 40],
        RegionKind::Text => [40, 90, 200],
        RegionKind::List => [30, 150, 150],
        RegionKind::Table => [30, 160, 60],
        RegionKind::Flowchart => [220, 120, 0],
        RegionKind::Figure => [150, 60, 180],
        RegionKind::Caption => [120, 120, 20],
        RegionKind::Header | RegionKind::Footer => [130, 130, 130],
        _ => [90, 90, 90],
    }
}

/// The RDF format an `Accept` header asks for (N-Quads when it asks for none we know).
fn triple_format(headers: &HeaderMap) -> (Format, &'static str) {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
    for wanted in accept.split(',').map(|a| a.split(';').next().unwrap_or("").trim()) {
        match wanted {
            "text/turtle" => return (Format::Turtle, "text/turtle"),
            "application/n-triples" => return (Format::NTriples, "application/n-triples"),
            "application/ld+json" => return (Format::JsonLd, "application/ld+json"),
            "application/n-quads" => return (Format::NQuads, "application/n-quads"),
            _ => {}
        }
    }
    (Format::NQuads, "application/n-quads")
}

/// The document's named graph in the format `Accept` asks for (N-Quads by default, Turtle,
/// N-Triples, JSON-LD), with the version as its `ETag`.
#[utoipa::path(get, path = "/v1/documents/{id}/triples", tag = "graph",
    params(("id" = String, Path), ("version" = Option<u32>, Query, description = "An earlier version")),
    responses((status = 200, description = "The triples", content_type = "application/n-quads"),
        (status = 304, description = "Not modified"), (status = 409, body = Problem)),
    security(("api_key" = [])))]
pub async fn triples(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(at): Query<At>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    caller.require(Action::Read)?;
    let (doc, dir) = current(&state, &id, &at).await?;
    let (format, content_type) = triple_format(&headers);
    let tag = format!("\"{}-v{}-{}\"", doc.id, doc.version, format.extension());
    if let Some(response) = not_modified(&headers, &tag) {
        return Ok(response);
    }
    let nq = tokio::fs::read_to_string(dir.join(TRIPLES)).await?;
    let body = if format == Format::NQuads {
        nq
    } else {
        tokio::task::spawn_blocking(move || {
            let quads = extractor::triples::parse(&nq, Format::NQuads).map_err(|e| Problem::internal(&e))?;
            extractor::triples::serialize(&quads, format).map_err(|e| Problem::internal(&e))
        })
        .await??
    };
    Ok(answer(content_type, &tag, body))
}

#[derive(Debug, Default, Deserialize)]
pub struct FeedQuery {
    pub after: Option<u64>,
    pub limit: Option<u64>,
}

/// One change of one document's graph.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FeedEntry {
    pub seq: u64,
    pub document: String,
    /// The document's named graph.
    pub graph: String,
    pub version: u32,
    /// `upsert` (replace the graph) or `delete`.
    #[schema(value_type = String, example = "upsert")]
    pub action: ChangeAction,
    /// Where the graph's triples are (for an upsert).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub triples: Option<String>,
    pub created_at: f64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Feed {
    pub changes: Vec<FeedEntry>,
    /// Ask for `after=next` to go on.
    pub next: u64,
}

/// The knowledge-graph loader's feed: every upsert and delete of a document's graph, in the
/// order they were committed; a loader that replays from any `seq` converges on the same
/// graphs.
#[utoipa::path(get, path = "/v1/graph/changes", tag = "graph",
    params(("after" = Option<u64>, Query, description = "The last `seq` seen (0 for all)"),
        ("limit" = Option<u64>, Query, description = "At most 1000 (default 100)")),
    responses((status = 200, body = Feed)),
    security(("api_key" = [])))]
pub async fn changes(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<FeedQuery>,
) -> Result<Json<Feed>, Problem> {
    caller.require(Action::Feed)?;
    let (after, limit) = (q.after.unwrap_or(0), q.limit.unwrap_or(100).clamp(1, 1000));
    let rows = blocking(&state, move |s| s.changes(after, limit)).await?;
    let next = rows.last().map_or(after, |c| c.seq);
    let changes = rows
        .into_iter()
        .map(|c| FeedEntry {
            // The graph is named by the document's bytes, as in its triples.
            graph: extractor::triples::document_iri(&c.sha256),
            // The version's own triples: a loader replaying the feed later reads what was
            // current then, not what is current now.
            triples: (c.action == ChangeAction::Upsert)
                .then(|| format!("/v1/documents/{}/triples?version={}", c.document, c.version)),
            seq: c.seq,
            document: c.document,
            version: c.version,
            action: c.action,
            created_at: c.created_at,
        })
        .collect();
    Ok(Json(Feed { changes, next }))
}
