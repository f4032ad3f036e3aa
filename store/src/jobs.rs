//! Extraction jobs: claimed by a worker with a lease it renews while it works, finished with a
//! new version of the document's results, failed with an error code, or released when the
//! worker died (then queued again, a bounded number of times).

use std::path::Path;

use extractor::Config;
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};
use serde::Serialize;

use crate::documents::DocumentRow;
use crate::{Store, StoreError, now};

/// A job a worker holds.
#[derive(Debug, Clone)]
pub struct ClaimedJob {
    pub id: i64,
    pub document: DocumentRow,
    /// 1 for the first try.
    pub attempt: u32,
    pub config: Config,
}

/// What a finished extraction gives its document.
#[derive(Debug, Clone)]
pub struct Finished<'a> {
    /// The results folder, written in the scratch folder; it becomes the new version's.
    pub results: &'a Path,
    pub pages_done: u32,
    pub pages_total: u32,
    pub title: Option<String>,
    pub triples: u64,
}

/// Jobs by status, and the queue's depth.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct JobCounts {
    pub queued: u64,
    pub running: u64,
    pub done: u64,
    pub failed: u64,
}

/// A worker process as it last reported itself.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkerRow {
    pub id: String,
    pub pid: u32,
    /// `loading` (engines), `ready`, `busy` or `broken` (its engines would not load).
    pub state: String,
    pub seen_at: f64,
}

impl Store {
    /// The oldest queued job, now this worker's for `lease` seconds; jobs whose lease ran out
    /// are queued again first (or failed, after `max_attempts`).
    pub fn claim(&self, worker: &str, lease: f64, max_attempts: u32) -> Result<Option<ClaimedJob>, StoreError> {
        self.with(|c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let t = now();
            let expired: Vec<i64> = {
                let mut s = tx.prepare("SELECT id FROM jobs WHERE status = 'running' AND lease_until < ?1")?;
                s.query_map([t], |r| r.get(0))?.collect::<Result<_, _>>()?
            };
            for job in expired {
                requeue_or_fail(&tx, job, max_attempts, "worker_lost", "the worker stopped answering", t)?;
            }
            let next: Option<(i64, String, String, u32)> = tx
                .query_row(
                    "SELECT id, document, config, attempts FROM jobs WHERE status = 'queued' ORDER BY id LIMIT 1",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?;
            let Some((id, document, config, attempts)) = next else {
                // The expired jobs' new states stand even when there is nothing to claim.
                tx.commit()?;
                return Ok(None);
            };
            tx.execute(
                "UPDATE jobs SET status = 'running', worker = ?2, lease_until = ?3, attempts = attempts + 1, \
                 updated_at = ?4 WHERE id = ?1",
                params![id, worker, t + lease, t],
            )?;
            tx.execute(
                "UPDATE documents SET status = 'running', pages_done = 0, started_at = ?2 WHERE id = ?1",
                params![document, t],
            )?;
            let row = tx.query_row(
                &format!("SELECT {} FROM documents WHERE id = ?1", crate::documents::COLUMNS),
                [&document],
                crate::documents::row,
            )?;
            tx.commit()?;
            Ok(Some(ClaimedJob { id, document: row, attempt: attempts + 1, config: serde_json::from_str(&config)? }))
        })
    }

    /// Renews the lease and records the pages done; false when the job is no longer this
    /// worker's (its lease ran out and another took it, or the document was deleted).
    pub fn heartbeat(
        &self,
        job: i64,
        worker: &str,
        lease: f64,
        pages_done: u32,
        pages_total: Option<u32>,
    ) -> Result<bool, StoreError> {
        self.with(|c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let t = now();
            let held = tx.execute(
                "UPDATE jobs SET lease_until = ?3, updated_at = ?4 WHERE id = ?1 AND worker = ?2 AND status = 'running'",
                params![job, worker, t + lease, t],
            )? == 1;
            if held {
                tx.execute(
                    "UPDATE documents SET pages_done = ?2, pages_total = coalesce(?3, pages_total) \
                     WHERE id = (SELECT document FROM jobs WHERE id = ?1)",
                    params![job, pages_done, pages_total],
                )?;
            }
            tx.execute("UPDATE workers SET seen_at = ?2 WHERE id = ?1", params![worker, t])?;
            tx.commit()?;
            Ok(held)
        })
    }

    /// Makes a finished job's results the document's next version: the results folder is moved
    /// into place, then the version, the document and a feed entry are committed together.
    /// `None` when the job is no longer this worker's (the results are then dropped).
    pub fn finish(&self, job: i64, worker: &str, finished: &Finished<'_>) -> Result<Option<u32>, StoreError> {
        self.with(|c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let held: Option<(String, u32)> = tx
                .query_row(
                    "SELECT d.id, d.version FROM jobs j JOIN documents d ON d.id = j.document \
                     WHERE j.id = ?1 AND j.worker = ?2 AND j.status = 'running' AND d.deleted = 0",
                    params![job, worker],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let Some((document, current)) = held else {
                std::fs::remove_dir_all(finished.results)?;
                return Ok(None);
            };
            let version = current + 1;
            self.data.keep_results(finished.results, &document, version)?;
            let t = now();
            tx.execute(
                "INSERT INTO versions (document, version, kind, triples, created_at) VALUES (?1, ?2, 'extraction', ?3, ?4)",
                params![document, version, finished.triples, t],
            )?;
            tx.execute(
                "UPDATE documents SET status = 'done', version = ?2, pages_done = ?3, pages_total = ?4, title = ?5, \
                 error_code = NULL, error_message = NULL, finished_at = ?6 WHERE id = ?1",
                params![document, version, finished.pages_done, finished.pages_total, finished.title, t],
            )?;
            tx.execute(
                "INSERT INTO changes (document, version, action, created_at) VALUES (?1, ?2, 'upsert', ?3)",
                params![document, version, t],
            )?;
            tx.execute("UPDATE jobs SET status = 'done', updated_at = ?2 WHERE id = ?1", params![job, t])?;
            tx.commit()?;
            Ok(Some(version))
        })
    }

    /// Fails a job for good: the input itself is bad (not a PDF, encrypted, ...) or ran out of
    /// time; trying again would fail again.
    pub fn fail(&self, job: i64, worker: &str, code: &str, message: &str) -> Result<(), StoreError> {
        self.with(|c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let t = now();
            if tx.execute(
                "UPDATE jobs SET status = 'failed', error_code = ?3, error_message = ?4, updated_at = ?5 \
                 WHERE id = ?1 AND worker = ?2 AND status = 'running'",
                params![job, worker, code, message, t],
            )? == 1
            {
                fail_document(&tx, job, code, message, t)?;
            }
            tx.commit()?;
            Ok(())
        })
    }

    /// The jobs of a worker that died (`code` says how: `worker_crashed`, `memory_limit`,
    /// `time_limit`): queued again, or failed after `max_attempts` tries. Returns how many.
    pub fn release(&self, worker: &str, code: &str, message: &str, max_attempts: u32) -> Result<usize, StoreError> {
        self.with(|c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let held: Vec<i64> = {
                let mut s = tx.prepare("SELECT id FROM jobs WHERE worker = ?1 AND status = 'running'")?;
                s.query_map([worker], |r| r.get(0))?.collect::<Result<_, _>>()?
            };
            let t = now();
            for &job in &held {
                requeue_or_fail(&tx, job, max_attempts, code, message, t)?;
            }
            tx.execute("DELETE FROM workers WHERE id = ?1", [worker])?;
            tx.commit()?;
            Ok(held.len())
        })
    }

    /// Jobs by status.
    pub fn job_counts(&self) -> Result<JobCounts, StoreError> {
        self.with(|c| {
            let mut counts = JobCounts::default();
            let mut s = c.prepare("SELECT status, count(*) FROM jobs GROUP BY status")?;
            let rows = s.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u64>(1)?)))?;
            for row in rows {
                let (status, n) = row?;
                match status.as_str() {
                    "queued" => counts.queued = n,
                    "running" => counts.running = n,
                    "done" => counts.done = n,
                    _ => counts.failed += n,
                }
            }
            Ok(counts)
        })
    }

    /// Pages of every extraction done (deleted documents' included): a counter for rates.
    pub fn pages_extracted(&self) -> Result<u64, StoreError> {
        self.with(|c| {
            Ok(c.query_row("SELECT coalesce(sum(pages_done), 0) FROM documents WHERE version > 0", [], |r| r.get(0))?)
        })
    }

    /// Records how a worker is (`loading`, `ready`, `busy`, `broken`).
    pub fn report_worker(&self, worker: &str, pid: u32, state: &str) -> Result<(), StoreError> {
        self.with(|c| {
            c.execute(
                "INSERT INTO workers (id, pid, state, seen_at) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (id) DO UPDATE SET pid = ?2, state = ?3, seen_at = ?4",
                params![worker, pid, state, now()],
            )?;
            Ok(())
        })
    }

    /// The workers as they last reported.
    pub fn workers(&self) -> Result<Vec<WorkerRow>, StoreError> {
        self.with(|c| {
            let mut s = c.prepare("SELECT id, pid, state, seen_at FROM workers ORDER BY id")?;
            let rows = s
                .query_map([], |r| {
                    Ok(WorkerRow { id: r.get(0)?, pid: r.get(1)?, state: r.get(2)?, seen_at: r.get(3)? })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
    }
}

/// A job whose worker is gone: queued again, or failed with `code` when it has had its tries.
fn requeue_or_fail(
    tx: &Transaction<'_>,
    job: i64,
    max_attempts: u32,
    code: &str,
    message: &str,
    t: f64,
) -> rusqlite::Result<()> {
    let attempts: u32 = tx.query_row("SELECT attempts FROM jobs WHERE id = ?1", [job], |r| r.get(0))?;
    if attempts >= max_attempts {
        let message = format!("{message} ({attempts} tries)");
        tx.execute(
            "UPDATE jobs SET status = 'failed', worker = NULL, error_code = ?2, error_message = ?3, updated_at = ?4 \
             WHERE id = ?1",
            params![job, code, message, t],
        )?;
        fail_document(tx, job, code, &message, t)
    } else {
        tx.execute(
            "UPDATE jobs SET status = 'queued', worker = NULL, lease_until = NULL, error_code = ?2, \
             error_message = ?3, updated_at = ?4 WHERE id = ?1",
            params![job, code, message, t],
        )?;
        tx.execute(
            "UPDATE documents SET status = 'queued', pages_done = 0 WHERE id = (SELECT document FROM jobs WHERE id = ?1)",
            [job],
        )?;
        Ok(())
    }
}

fn fail_document(tx: &Transaction<'_>, job: i64, code: &str, message: &str, t: f64) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE documents SET status = 'failed', error_code = ?2, error_message = ?3, finished_at = ?4 \
         WHERE id = (SELECT document FROM jobs WHERE id = ?1)",
        params![job, code, message, t],
    )?;
    Ok(())
}
