//! clinex's embedded store: nothing to install or start.
//!
//! SQLite in WAL mode holds the documents, their extraction jobs, the versions each extraction
//! or correction makes, and the change feed the knowledge-graph loader reads; uploaded files
//! and results are files in the data folder ([`DataDir`]). Several processes share it: the
//! server answers requests, worker processes claim jobs with a lease, and a lease that runs out
//! (a worker that crashed or hung) lets the job be claimed again, a bounded number of times.
//!
//! Durability: a document is committed (its bytes flushed and renamed into place, then its row
//! and job committed with `synchronous = FULL`) before the server answers 202; a version's
//! results are renamed into place before the commit that makes them current. Killing any
//! process at any moment loses nothing that was answered.
//!
//! Depends on: `clinex-extractor` (the configuration a job carries). No native library but
//! SQLite, compiled in.

mod documents;
mod files;
mod jobs;
pub mod layout;
mod schema;
mod versions;

use std::path::Path;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

pub use documents::{
    Change, ChangeAction, DocumentOptions, DocumentRow, DocumentStatus, ListFilter, NewDocument, Submitted,
};
pub use files::{DataDir, HashingWriter};
pub use jobs::{ClaimedJob, Finished, JobCounts, WorkerRow};
use rusqlite::Connection;
pub use versions::{Corrected, Correction, VersionRow};

/// Why the store could not do what it was asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database failed: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("a file of the store could not be written or read: {0}")]
    Io(#[from] std::io::Error),
    #[error("a stored value is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// The store over one data folder. Cheap to share: connections are pooled inside.
pub struct Store {
    data: DataDir,
    pool: Mutex<Vec<Connection>>,
}

impl Store {
    /// Opens (creating when new) the store in `root`, migrating its database.
    pub fn open(root: &Path) -> Result<Self, StoreError> {
        let data = DataDir::create(root)?;
        let store = Self { data, pool: Mutex::new(Vec::new()) };
        let mut conn = store.connect()?;
        schema::migrate(&mut conn)?;
        store.give_back(conn);
        Ok(store)
    }

    pub fn data(&self) -> &DataDir {
        &self.data
    }

    fn connect(&self) -> Result<Connection, StoreError> {
        let conn = Connection::open(self.data.database())?;
        schema::configure(&conn)?;
        Ok(conn)
    }

    /// Runs `f` with a pooled connection.
    fn with<T>(&self, f: impl FnOnce(&mut Connection) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let pooled = self.pool.lock().ok().and_then(|mut p| p.pop());
        let mut conn = match pooled {
            Some(c) => c,
            None => self.connect()?,
        };
        let result = f(&mut conn);
        self.give_back(conn);
        result
    }

    fn give_back(&self, conn: Connection) {
        if let Ok(mut pool) = self.pool.lock()
            && pool.len() < 8
        {
            pool.push(conn);
        }
    }

    /// Whether the database takes a write now (for readiness checks).
    pub fn writable(&self) -> Result<(), StoreError> {
        self.with(|c| {
            c.execute_batch("BEGIN IMMEDIATE; ROLLBACK;")?;
            Ok(())
        })
    }
}

/// Seconds since the Unix epoch.
pub fn now() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64())
}

#[cfg(test)]
mod tests;
