//! Curators' corrections: a list of operations on the current version becomes the next
//! version (its own extraction, triples and page pictures), signed with the caller's name, with
//! an `upsert` on the loader's feed. Earlier versions stay readable (`?version=N` on every
//! result), and each version's operations say what changed. The corrected extraction is also
//! served as ground truth, so curated documents become evaluation data.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use clinex_store::layout::{EXTRACTION, PAGES, write_extraction};
use clinex_store::{Corrected, Correction, VersionRow};
use extractor::corrections::{self, Operation};
use serde::{Deserialize, Serialize};

use crate::auth::{Action, Caller};
use crate::documents::find;
use crate::error::Problem;
use crate::results::{At, current, read_extraction};
use crate::{AppState, blocking};

/// Most operations in one correction.
const MAX_OPERATIONS: usize = 1000;

/// A correction: operations applied in order, all or none.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectionRequest {
    /// The version corrected (default: the current one). If another version came since, the
    /// answer is 409 and nothing is saved.
    pub based_on: Option<u32>,
    /// Why, in the curator's words.
    pub note: Option<String>,
    /// `{"op": "set_cell_text", "table": "t1", "row": 2, "col": 1, "text": "0.5 mg"}`, and
    /// `merge_cells`, `split_cell`, `set_header_rows`, `set_node`, `add_edge`, `remove_edge`,
    /// `set_edge_label`, `set_region_kind`, `delete_region` (see the README).
    #[schema(value_type = Vec<Object>)]
    pub operations: Vec<Operation>,
}

#[derive(Debug, Default, Deserialize)]
pub struct CorrectQuery {
    /// Answer the corrected extraction without saving it (the curator page's preview).
    #[serde(default)]
    pub dry_run: bool,
}

/// The version a correction made.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CorrectionAnswer {
    pub version: u32,
    pub triples: u64,
    pub author: String,
}

/// Saves a correction as the document's next version.
#[utoipa::path(post, path = "/v1/documents/{id}/corrections", tag = "corrections",
    params(("id" = String, Path), ("dry_run" = Option<bool>, Query, description = "Answer the corrected extraction (200) without saving it")),
    request_body = CorrectionRequest,
    responses((status = 201, body = CorrectionAnswer), (status = 409, body = Problem, description = "Not done yet, or a later version came"),
        (status = 422, body = Problem, description = "An operation names nothing there or cannot be done")),
    security(("api_key" = [])))]
pub async fn correct(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(query): Query<CorrectQuery>,
    Json(request): Json<CorrectionRequest>,
) -> Result<Response, Problem> {
    caller.require(Action::Correct)?;
    let CorrectionRequest { based_on, note, operations } = request;
    if operations.len() > MAX_OPERATIONS {
        return Err(Problem::bad_request(format!("at most {MAX_OPERATIONS} operations at once")));
    }
    let (doc, dir) = current(&state, &id, &At::default()).await?;
    let based_on = based_on.unwrap_or(doc.version);
    if based_on != doc.version {
        return Err(stale(doc.version));
    }
    let extraction = read_extraction(&dir).await?;
    let json = serde_json::to_string(&operations).map_err(|e| Problem::internal(&e))?;
    let corrected = tokio::task::spawn_blocking(move || corrections::apply(&extraction, &operations))
        .await
        .map_err(|e| Problem::internal(&e))?
        .map_err(|e| Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "bad_correction", e.to_string()))?;
    if query.dry_run {
        return Ok(Json(corrected).into_response());
    }
    let (document, author) = (doc.id.clone(), caller.who.clone());
    let saved = blocking(&state, move |store| {
        let scratch = store.data().scratch(&format!("{document}-correction"));
        let triples = write_version(&scratch, &dir, &corrected)?;
        let correction = Correction {
            results: &scratch,
            based_on,
            author: &author,
            note: note.as_deref().map(str::trim).filter(|n| !n.is_empty()),
            operations: &json,
            triples,
        };
        let saved = store.correct(&document, &correction);
        if scratch.exists() {
            let _ = std::fs::remove_dir_all(&scratch);
        }
        Ok((saved?, triples))
    })
    .await?;
    match saved {
        (Corrected::Saved(version), triples) => {
            metrics::counter!("clinex_corrections_total").increment(1);
            let location = format!("/v1/documents/{}/extraction?version={version}", doc.id);
            let body = CorrectionAnswer { version, triples, author: caller.who };
            Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(body)).into_response())
        }
        (Corrected::Stale { current }, _) => Err(stale(current)),
        (Corrected::Missing, _) => Err(Problem::not_found("document")),
    }
}

fn stale(current: u32) -> Problem {
    Problem::new(
        StatusCode::CONFLICT,
        "stale_version",
        format!("version {current} came after the one corrected: reload it and correct that"),
    )
}

/// The corrected version's folder: its extraction, its triples, and the page pictures of the
/// version it came from (hard links: a version's files never change). Returns the triples'
/// count.
fn write_version(
    scratch: &std::path::Path,
    previous: &std::path::Path,
    corrected: &extractor::Extraction,
) -> Result<u64, clinex_store::StoreError> {
    if scratch.exists() {
        std::fs::remove_dir_all(scratch)?;
    }
    let triples = write_extraction(scratch, corrected)?;
    if let Ok(pictures) = std::fs::read_dir(previous.join(PAGES)) {
        for picture in pictures.flatten() {
            let target = scratch.join(PAGES).join(picture.file_name());
            if std::fs::hard_link(picture.path(), &target).is_err() {
                std::fs::copy(picture.path(), &target)?;
            }
        }
    }
    Ok(triples)
}

/// A document's versions, oldest first: each extraction and each correction, with who made
/// it, when, and (for a correction) its operations.
#[utoipa::path(get, path = "/v1/documents/{id}/versions", tag = "corrections",
    params(("id" = String, Path)),
    responses((status = 200, description = "The versions, oldest first"), (status = 404, body = Problem)),
    security(("api_key" = [])))]
pub async fn versions(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Vec<VersionRow>>, Problem> {
    caller.require(Action::Read)?;
    let doc = find(&state, &id).await?;
    Ok(Json(blocking(&state, move |s| s.versions(&doc.id)).await?))
}

/// The current (corrected) extraction as ground truth: the contract's JSON, as a download
/// named after the document, for the evaluation sets.
#[utoipa::path(get, path = "/v1/documents/{id}/ground-truth", tag = "corrections",
    params(("id" = String, Path)),
    responses((status = 200, description = "The corrected extraction", content_type = "application/json"),
        (status = 409, body = Problem)),
    security(("api_key" = [])))]
pub async fn ground_truth(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    caller.require(Action::Read)?;
    let (doc, dir) = current(&state, &id, &At::default()).await?;
    let body = tokio::fs::read(dir.join(EXTRACTION)).await?;
    let stem: String = doc
        .filename
        .as_deref()
        .unwrap_or(&doc.id)
        .trim_end_matches(".pdf")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
        .collect();
    let disposition = format!("attachment; filename=\"{stem}.v{}.truth.json\"", doc.version);
    Ok(([(header::CONTENT_TYPE, "application/json".to_string()), (header::CONTENT_DISPOSITION, disposition)], body)
        .into_response())
}
