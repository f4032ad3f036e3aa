//! The database's tables, created and migrated at open. Each migration runs once, in order,
//! in one transaction; `PRAGMA user_version` records how many have run.

use rusqlite::Connection;

/// The migrations, oldest first. Never edit one that has shipped: add another.
const MIGRATIONS: [&str; 2] = [
    r#"
CREATE TABLE documents (
    id            TEXT PRIMARY KEY,
    sha256        TEXT NOT NULL,
    options       TEXT NOT NULL,
    filename      TEXT,
    content_type  TEXT,
    bytes         INTEGER NOT NULL,
    status        TEXT NOT NULL,
    pages_done    INTEGER NOT NULL DEFAULT 0,
    pages_total   INTEGER,
    version       INTEGER NOT NULL DEFAULT 0,
    title         TEXT,
    error_code    TEXT,
    error_message TEXT,
    created_at    REAL NOT NULL,
    started_at    REAL,
    finished_at   REAL,
    deleted       INTEGER NOT NULL DEFAULT 0,
    UNIQUE (sha256, options)
);
CREATE INDEX documents_by_status ON documents (status, created_at);
CREATE TABLE jobs (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    document      TEXT NOT NULL REFERENCES documents (id),
    status        TEXT NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    worker        TEXT,
    lease_until   REAL,
    config        TEXT NOT NULL,
    error_code    TEXT,
    error_message TEXT,
    created_at    REAL NOT NULL,
    updated_at    REAL NOT NULL
);
CREATE INDEX jobs_by_status ON jobs (status, id);
CREATE TABLE versions (
    document   TEXT NOT NULL REFERENCES documents (id),
    version    INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    triples    INTEGER NOT NULL,
    created_at REAL NOT NULL,
    PRIMARY KEY (document, version)
);
CREATE TABLE changes (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    document   TEXT NOT NULL,
    version    INTEGER NOT NULL,
    action     TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE workers (
    id         TEXT PRIMARY KEY,
    pid        INTEGER NOT NULL,
    state      TEXT NOT NULL,
    seen_at    REAL NOT NULL
);
"#,
    // Corrections: who made a version, why, and the operations (JSON) that made it.
    r#"
ALTER TABLE versions ADD COLUMN author TEXT;
ALTER TABLE versions ADD COLUMN note TEXT;
ALTER TABLE versions ADD COLUMN operations TEXT;
"#,
];

/// Brings the database to the newest schema.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let done: usize = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (k, sql) in MIGRATIONS.iter().enumerate().skip(done) {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Exclusive)?;
        // Another process may have migrated while this one waited for the lock.
        let now: usize = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if now > k {
            continue;
        }
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", k + 1)?;
        tx.commit()?;
    }
    Ok(())
}

/// The settings every connection runs with: WAL (readers never wait for the writer), writes
/// flushed at each commit (`synchronous = FULL`: a committed job survives a power loss), and
/// a wait for the write lock instead of an immediate "busy" error.
pub fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(30))
}
