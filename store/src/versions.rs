//! A document's versions: the extractions workers made and the corrections curators saved,
//! each a results folder of its own that is never changed once written.

use std::path::Path;

use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde::Serialize;

use crate::{Store, StoreError, now};

/// A curator's correction, ready to become the next version.
#[derive(Debug, Clone)]
pub struct Correction<'a> {
    /// The corrected results (`extraction.json`, `triples.nq`, ...), moved into place.
    pub results: &'a Path,
    /// The version the curator corrected: saving fails if another version came since.
    pub based_on: u32,
    pub author: &'a str,
    pub note: Option<&'a str>,
    /// The operations, as JSON.
    pub operations: &'a str,
    pub triples: u64,
}

/// What saving a correction did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Corrected {
    /// Saved as this version.
    Saved(u32),
    /// Another version came after the one corrected: nothing saved.
    Stale { current: u32 },
    /// No such document, or it has no extraction yet.
    Missing,
}

/// One version of a document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VersionRow {
    pub version: u32,
    /// `extraction` or `correction`.
    pub kind: String,
    pub triples: u64,
    pub created_at: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The correction's operations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operations: Option<serde_json::Value>,
}

impl Store {
    /// Saves a correction as the document's next version, with its feed entry, in one
    /// transaction; the results folder is moved into place first (a crash in between leaves a
    /// folder no row points at, overwritten by the next save).
    pub fn correct(&self, document: &str, correction: &Correction<'_>) -> Result<Corrected, StoreError> {
        self.with(|c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let current: Option<u32> = tx
                .query_row("SELECT version FROM documents WHERE id = ?1 AND deleted = 0", [document], |r| r.get(0))
                .optional()?;
            let current = match current {
                None | Some(0) => return Ok(Corrected::Missing),
                Some(v) if v != correction.based_on => return Ok(Corrected::Stale { current: v }),
                Some(v) => v,
            };
            let version = current + 1;
            self.data.keep_results(correction.results, document, version)?;
            let t = now();
            tx.execute(
                "INSERT INTO versions (document, version, kind, triples, created_at, author, note, operations) \
                 VALUES (?1, ?2, 'correction', ?3, ?4, ?5, ?6, ?7)",
                params![
                    document,
                    version,
                    correction.triples,
                    t,
                    correction.author,
                    correction.note,
                    correction.operations
                ],
            )?;
            tx.execute("UPDATE documents SET version = ?2 WHERE id = ?1", params![document, version])?;
            tx.execute(
                "INSERT INTO changes (document, version, action, created_at) VALUES (?1, ?2, 'upsert', ?3)",
                params![document, version, t],
            )?;
            tx.commit()?;
            Ok(Corrected::Saved(version))
        })
    }

    /// A document's versions, oldest first.
    pub fn versions(&self, document: &str) -> Result<Vec<VersionRow>, StoreError> {
        self.with(|c| {
            let mut statement = c.prepare(
                "SELECT version, kind, triples, created_at, author, note, operations FROM versions \
                 WHERE document = ?1 ORDER BY version",
            )?;
            let rows = statement
                .query_map([document], |r| {
                    let operations: Option<String> = r.get(6)?;
                    Ok(VersionRow {
                        version: r.get(0)?,
                        kind: r.get(1)?,
                        triples: r.get(2)?,
                        created_at: r.get(3)?,
                        author: r.get(4)?,
                        note: r.get(5)?,
                        operations: operations.and_then(|o| serde_json::from_str(&o).ok()),
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
    }
}
