//! Documents: submitted once per (bytes, options), listed, found, deleted; and the change feed.

use extractor::Config;
use extractor::config::OcrEngineKind;
use rusqlite::{OptionalExtension, Row, TransactionBehavior, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{Store, StoreError, now};

/// What a curator may choose per document; part of its identity (the same bytes with other
/// options are another document).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DocumentOptions {
    /// Pages to extract, e.g. `1-3,7`; all when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<String>,
    /// The OCR engine, when not the server's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ocr_engine: Option<OcrEngineKind>,
}

impl DocumentOptions {
    /// The options as stored: JSON with the fields in a fixed order.
    pub fn key(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// `base` with these options applied.
    pub fn apply(&self, base: &Config) -> Config {
        let mut config = base.clone();
        if let Some(engine) = self.ocr_engine {
            config.ocr.engine = engine;
        }
        config
    }
}

/// Where a document is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DocumentStatus {
    Queued,
    Running,
    Done,
    Failed,
}

impl DocumentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Done => "done",
            Self::Failed => "failed",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "running" => Self::Running,
            "done" => Self::Done,
            "failed" => Self::Failed,
            _ => Self::Queued,
        }
    }
}

impl std::str::FromStr for DocumentStatus {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Self::Queued, Self::Running, Self::Done, Self::Failed]
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| format!("unknown status {s:?} (queued, running, done, failed)"))
    }
}

/// A submitted document as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentRow {
    pub id: String,
    pub sha256: String,
    pub options: DocumentOptions,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub bytes: u64,
    pub status: DocumentStatus,
    pub pages_done: u32,
    pub pages_total: Option<u32>,
    /// The current version: 0 until the first extraction is done.
    pub version: u32,
    pub title: Option<String>,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub created_at: f64,
    pub started_at: Option<f64>,
    pub finished_at: Option<f64>,
}

pub(crate) const COLUMNS: &str = "id, sha256, options, filename, content_type, bytes, status, pages_done, pages_total, \
     version, title, error_code, error_message, created_at, started_at, finished_at";

pub(crate) fn row(r: &Row<'_>) -> rusqlite::Result<DocumentRow> {
    let options: String = r.get(2)?;
    let status: String = r.get(6)?;
    Ok(DocumentRow {
        id: r.get(0)?,
        sha256: r.get(1)?,
        options: serde_json::from_str(&options).unwrap_or_default(),
        filename: r.get(3)?,
        content_type: r.get(4)?,
        bytes: r.get(5)?,
        status: DocumentStatus::parse(&status),
        pages_done: r.get(7)?,
        pages_total: r.get(8)?,
        version: r.get(9)?,
        title: r.get(10)?,
        error_code: r.get(11)?,
        error_message: r.get(12)?,
        created_at: r.get(13)?,
        started_at: r.get(14)?,
        finished_at: r.get(15)?,
    })
}

/// A document to submit: its bytes are already kept as the blob `sha256`.
#[derive(Debug, Clone)]
pub struct NewDocument {
    pub sha256: String,
    pub bytes: u64,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub options: DocumentOptions,
    /// The configuration its extraction runs under.
    pub config: Config,
}

/// The outcome of a submission.
#[derive(Debug, Clone)]
pub struct Submitted {
    pub document: DocumentRow,
    /// False when the same bytes with the same options were submitted before.
    pub created: bool,
}

/// Which documents to list.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub status: Option<DocumentStatus>,
    /// Part of the file name or the title.
    pub query: Option<String>,
    pub offset: u64,
    pub limit: u64,
}

/// What happened to a document's graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeAction {
    Upsert,
    Delete,
}

/// One entry of the change feed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub seq: u64,
    pub document: String,
    /// The document's bytes' sha256 (its graph's name).
    pub sha256: String,
    pub version: u32,
    pub action: ChangeAction,
    pub created_at: f64,
}

/// The document id for bytes with options: stable, so a resubmission finds its document.
pub fn document_id(sha256: &str, options: &DocumentOptions) -> String {
    let digest = Sha256::digest(format!("{sha256}\n{}", options.key()).as_bytes());
    format!("d{}", &hex::encode(digest)[..16])
}

impl Store {
    /// Records a document and queues its extraction, in one transaction; the same bytes with
    /// the same options return the document there is (a deleted one comes back, queued).
    pub fn submit(&self, new: &NewDocument) -> Result<Submitted, StoreError> {
        let id = document_id(&new.sha256, &new.options);
        let config = serde_json::to_string(&new.config)?;
        self.with(|c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let existing: Option<bool> = tx
                .query_row("SELECT deleted FROM documents WHERE id = ?1", [&id], |r| r.get(0))
                .optional()?;
            let t = now();
            let created = match existing {
                Some(false) => false,
                Some(true) => {
                    tx.execute(
                        "UPDATE documents SET deleted = 0, status = 'queued', pages_done = 0, pages_total = NULL, \
                         error_code = NULL, error_message = NULL, started_at = NULL, finished_at = NULL, \
                         filename = ?2, created_at = ?3 WHERE id = ?1",
                        params![id, new.filename, t],
                    )?;
                    true
                }
                None => {
                    tx.execute(
                        "INSERT INTO documents (id, sha256, options, filename, content_type, bytes, status, created_at) \
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'queued', ?7)",
                        params![id, new.sha256, new.options.key(), new.filename, new.content_type, new.bytes, t],
                    )?;
                    true
                }
            };
            if created {
                tx.execute(
                    "INSERT INTO jobs (document, status, config, created_at, updated_at) VALUES (?1, 'queued', ?2, ?3, ?3)",
                    params![id, config, t],
                )?;
            }
            let document = tx.query_row(
                &format!("SELECT {COLUMNS} FROM documents WHERE id = ?1"),
                [&id],
                row,
            )?;
            tx.commit()?;
            Ok(Submitted { document, created })
        })
    }

    /// A document that is not deleted.
    pub fn document(&self, id: &str) -> Result<Option<DocumentRow>, StoreError> {
        self.with(|c| {
            Ok(c.query_row(&format!("SELECT {COLUMNS} FROM documents WHERE id = ?1 AND deleted = 0"), [id], row)
                .optional()?)
        })
    }

    /// Documents, newest first, with the number that match in all.
    pub fn documents(&self, filter: &ListFilter) -> Result<(Vec<DocumentRow>, u64), StoreError> {
        let status = filter.status.map(DocumentStatus::as_str);
        let query = filter.query.as_ref().map(|q| format!("%{}%", q.replace(['%', '_'], "")));
        let condition = "deleted = 0 AND (?1 IS NULL OR status = ?1) \
                         AND (?2 IS NULL OR filename LIKE ?2 OR title LIKE ?2)";
        self.with(|c| {
            let total: u64 = c.query_row(
                &format!("SELECT count(*) FROM documents WHERE {condition}"),
                params![status, query],
                |r| r.get(0),
            )?;
            let mut statement = c.prepare(&format!(
                "SELECT {COLUMNS} FROM documents WHERE {condition} \
                 ORDER BY created_at DESC, id LIMIT ?3 OFFSET ?4"
            ))?;
            let rows = statement
                .query_map(params![status, query, filter.limit.max(1), filter.offset], row)?
                .collect::<Result<Vec<_>, _>>()?;
            Ok((rows, total))
        })
    }

    /// Deletes a document: it leaves the lists, its graph leaves the feed with a `delete`
    /// change (or, when another document holds the same file, goes back to that one's latest
    /// extraction with an `upsert`), and its results are removed. Its job, if still waiting, is
    /// dropped.
    pub fn delete(&self, id: &str) -> Result<bool, StoreError> {
        let deleted = self.with(|c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let version: Option<u32> = tx
                .query_row("SELECT version FROM documents WHERE id = ?1 AND deleted = 0", [id], |r| r.get(0))
                .optional()?;
            let Some(version) = version else { return Ok(false) };
            tx.execute("UPDATE documents SET deleted = 1 WHERE id = ?1", [id])?;
            tx.execute(
                "UPDATE jobs SET status = 'failed', error_code = 'deleted', updated_at = ?2 \
                 WHERE document = ?1 AND status IN ('queued', 'running')",
                params![id, now()],
            )?;
            if version > 0 {
                // A graph is named by the file's bytes, so another live document of the same
                // file with other options (other pages) still has it: the graph goes back to
                // that document's latest extraction instead of leaving the feed.
                let other: Option<(String, u32)> = tx
                    .query_row(
                        "SELECT id, version FROM documents WHERE deleted = 0 AND version > 0 AND id != ?1 \
                         AND sha256 = (SELECT sha256 FROM documents WHERE id = ?1) \
                         ORDER BY finished_at DESC, id LIMIT 1",
                        [id],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?;
                let (document, version, action) = match &other {
                    Some((other, other_version)) => (other.as_str(), *other_version, "upsert"),
                    None => (id, version, "delete"),
                };
                tx.execute(
                    "INSERT INTO changes (document, version, action, created_at) VALUES (?1, ?2, ?3, ?4)",
                    params![document, version, action, now()],
                )?;
            }
            tx.commit()?;
            Ok(true)
        })?;
        if deleted {
            let results = self.data.document_results(id);
            if results.exists() {
                std::fs::remove_dir_all(results)?;
            }
        }
        Ok(deleted)
    }

    /// The change feed after `after`, oldest first, at most `limit` entries.
    pub fn changes(&self, after: u64, limit: u64) -> Result<Vec<Change>, StoreError> {
        self.with(|c| {
            let mut statement = c.prepare(
                "SELECT c.seq, c.document, c.version, c.action, c.created_at, d.sha256 \
                 FROM changes c JOIN documents d ON d.id = c.document WHERE c.seq > ?1 ORDER BY c.seq LIMIT ?2",
            )?;
            let rows = statement
                .query_map(params![after, limit.max(1)], |r| {
                    let action: String = r.get(3)?;
                    Ok(Change {
                        seq: r.get(0)?,
                        document: r.get(1)?,
                        version: r.get(2)?,
                        action: if action == "delete" { ChangeAction::Delete } else { ChangeAction::Upsert },
                        created_at: r.get(4)?,
                        sha256: r.get(5)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
    }
}
