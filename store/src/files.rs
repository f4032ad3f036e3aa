//! The data folder: uploaded files by their sha256, each document version's results, and a
//! scratch folder on the same file system (so that a finished file is renamed into place, never
//! copied half-way).
//!
//! ```text
//! DATA/clinex.db                          documents, jobs, versions, changes (SQLite, WAL)
//! DATA/blobs/ab/abcdef…                   uploaded bytes, named by their sha256
//! DATA/results/<document>/v<N>/           extraction.json, triples.nq, pages/<n>.png
//! DATA/tmp/                               uploads and results being written
//! ```

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The data folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    /// The folder, created with its subfolders when missing.
    pub fn create(root: &Path) -> std::io::Result<Self> {
        for sub in ["blobs", "results", "tmp"] {
            std::fs::create_dir_all(root.join(sub))?;
        }
        Ok(Self { root: root.to_path_buf() })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn database(&self) -> PathBuf {
        self.root.join("clinex.db")
    }

    /// Where the bytes with this sha256 are kept.
    pub fn blob(&self, sha256: &str) -> PathBuf {
        self.root.join("blobs").join(&sha256[..2.min(sha256.len())]).join(sha256)
    }

    /// The folder of one version's results.
    pub fn results(&self, document: &str, version: u32) -> PathBuf {
        self.root.join("results").join(document).join(format!("v{version}"))
    }

    /// Every version of a document.
    pub fn document_results(&self, document: &str) -> PathBuf {
        self.root.join("results").join(document)
    }

    /// A fresh path in the scratch folder.
    pub fn scratch(&self, name: &str) -> PathBuf {
        self.root.join("tmp").join(format!("{name}-{}-{}", std::process::id(), unique()))
    }

    /// Keeps the finished scratch file `temp`, whose sha256 is `sha256`, as that blob: flushed
    /// to disk, renamed into place and the folder entry flushed too, so that once this returns
    /// the bytes survive a power loss. A blob already there is kept (same bytes, same name).
    pub fn keep_blob(&self, temp: &Path, sha256: &str) -> std::io::Result<PathBuf> {
        let target = self.blob(sha256);
        if target.is_file() {
            std::fs::remove_file(temp)?;
            return Ok(target);
        }
        let folder = target.parent().unwrap_or(&self.root).to_path_buf();
        std::fs::create_dir_all(&folder)?;
        File::open(temp)?.sync_all()?;
        std::fs::rename(temp, &target)?;
        File::open(&folder)?.sync_all()?;
        Ok(target)
    }

    /// Moves a finished results folder into place as `version` (replacing what a crashed
    /// earlier attempt may have left there), flushed.
    pub fn keep_results(&self, temp: &Path, document: &str, version: u32) -> std::io::Result<PathBuf> {
        let target = self.results(document, version);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        if target.exists() {
            std::fs::remove_dir_all(&target)?;
        }
        sync_tree(temp)?;
        std::fs::rename(temp, &target)?;
        if let Some(parent) = target.parent() {
            File::open(parent)?.sync_all()?;
        }
        Ok(target)
    }
}

/// Flushes every file under `dir` and the folders themselves.
fn sync_tree(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            sync_tree(&path)?;
        } else {
            File::open(&path)?.sync_all()?;
        }
    }
    File::open(dir)?.sync_all()
}

/// A number no other call in this process returns.
fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Writes bytes to a file while hashing them: for uploads that arrive in chunks.
pub struct HashingWriter {
    file: File,
    hasher: Sha256,
    written: u64,
    path: PathBuf,
}

impl HashingWriter {
    pub fn create(path: PathBuf) -> std::io::Result<Self> {
        Ok(Self { file: File::create(&path)?, hasher: Sha256::new(), written: 0, path })
    }

    pub fn write(&mut self, chunk: &[u8]) -> std::io::Result<()> {
        self.hasher.update(chunk);
        self.written += chunk.len() as u64;
        self.file.write_all(chunk)
    }

    pub fn written(&self) -> u64 {
        self.written
    }

    /// The file's path, its size and its sha256 (lower-case hex).
    pub fn finish(self) -> std::io::Result<(PathBuf, u64, String)> {
        self.file.sync_all()?;
        Ok((self.path, self.written, hex::encode(self.hasher.finalize())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blobs_are_named_by_their_sha256_and_kept_once() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::create(dir.path()).unwrap();
        let mut w = HashingWriter::create(data.scratch("upload")).unwrap();
        w.write(b"%PDF-1.7 ").unwrap();
        w.write(b"guideline").unwrap();
        let (temp, size, sha) = w.finish().unwrap();
        assert_eq!(size, 18);
        assert_eq!(sha, hex::encode(Sha256::digest(b"%PDF-1.7 guideline")));
        let kept = data.keep_blob(&temp, &sha).unwrap();
        assert_eq!(std::fs::read(&kept).unwrap(), b"%PDF-1.7 guideline");
        assert!(!temp.exists());
        let again = data.scratch("upload");
        std::fs::write(&again, b"%PDF-1.7 guideline").unwrap();
        assert_eq!(data.keep_blob(&again, &sha).unwrap(), kept, "the same bytes are one blob");
    }

    #[test]
    fn a_results_folder_replaces_what_a_crashed_attempt_left() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::create(dir.path()).unwrap();
        let stale = data.results("d1", 1);
        std::fs::create_dir_all(&stale).unwrap();
        std::fs::write(stale.join("half.json"), b"{").unwrap();
        let temp = data.scratch("results");
        std::fs::create_dir_all(temp.join("pages")).unwrap();
        std::fs::write(temp.join("extraction.json"), b"{}").unwrap();
        let kept = data.keep_results(&temp, "d1", 1).unwrap();
        assert!(kept.join("extraction.json").is_file() && !kept.join("half.json").exists());
    }
}
