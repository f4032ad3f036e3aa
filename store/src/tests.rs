//! The store against a real SQLite database in a temporary folder.

use std::sync::Arc;

use super::*;

const LEASE: f64 = 30.0;
const TRIES: u32 = 3;

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    (dir, store)
}

fn new(sha: &str, options: DocumentOptions) -> NewDocument {
    NewDocument {
        sha256: sha.repeat(64 / sha.len()),
        bytes: 1000,
        filename: Some("guideline.pdf".into()),
        content_type: Some("application/pdf".into()),
        options,
        config: extractor::Config::default(),
    }
}

/// A finished job's results folder in the scratch folder.
fn results(store: &Store) -> std::path::PathBuf {
    let dir = store.data().scratch("results");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("extraction.json"), b"{}").unwrap();
    dir
}

fn finished(dir: &std::path::Path) -> Finished<'_> {
    Finished { results: dir, pages_done: 3, pages_total: 3, title: Some("Anaphylaxis".into()), triples: 42 }
}

#[test]
fn the_same_bytes_and_options_are_one_document() {
    let (_dir, store) = store();
    let first = store.submit(&new("a", DocumentOptions::default())).unwrap();
    assert!(first.created);
    assert_eq!(first.document.status, DocumentStatus::Queued);
    let again = store.submit(&new("a", DocumentOptions::default())).unwrap();
    assert!(!again.created);
    assert_eq!(again.document.id, first.document.id);
    let other = DocumentOptions { pages: Some("1-2".into()), ..DocumentOptions::default() };
    let second = store.submit(&new("a", other)).unwrap();
    assert!(second.created && second.document.id != first.document.id, "other options, another document");
    assert_eq!(store.job_counts().unwrap().queued, 2, "one job per document");
}

#[test]
fn a_claimed_job_finishes_as_a_version_with_a_feed_entry() {
    let (_dir, store) = store();
    let id = store.submit(&new("a", DocumentOptions::default())).unwrap().document.id;
    let job = store.claim("w1", LEASE, TRIES).unwrap().expect("a queued job");
    assert_eq!((job.document.id.as_str(), job.attempt), (id.as_str(), 1));
    assert_eq!(store.document(&id).unwrap().unwrap().status, DocumentStatus::Running);
    assert!(store.claim("w2", LEASE, TRIES).unwrap().is_none(), "a job is held by one worker");
    assert!(store.heartbeat(job.id, "w1", LEASE, 2, Some(3)).unwrap());
    assert_eq!(store.document(&id).unwrap().unwrap().pages_done, 2);
    let dir = results(&store);
    assert_eq!(store.finish(job.id, "w1", &finished(&dir)).unwrap(), Some(1));
    let doc = store.document(&id).unwrap().unwrap();
    assert_eq!((doc.status, doc.version, doc.title.as_deref()), (DocumentStatus::Done, 1, Some("Anaphylaxis")));
    assert!(store.data().results(&id, 1).join("extraction.json").is_file());
    let feed = store.changes(0, 10).unwrap();
    assert_eq!(feed.len(), 1);
    assert_eq!((feed[0].document.as_str(), feed[0].version, feed[0].action), (id.as_str(), 1, ChangeAction::Upsert));
}

#[test]
fn a_lost_lease_is_claimed_again_and_a_bounded_number_of_times() {
    let (_dir, store) = store();
    let id = store.submit(&new("a", DocumentOptions::default())).unwrap().document.id;
    // A lease already over: the worker died without a word.
    for attempt in 1..=TRIES {
        let job = store.claim(&format!("w{attempt}"), -1.0, TRIES).unwrap().expect("claimed again");
        assert_eq!(job.attempt, attempt);
    }
    assert!(store.claim("w9", LEASE, TRIES).unwrap().is_none());
    let doc = store.document(&id).unwrap().unwrap();
    assert_eq!((doc.status, doc.error_code.as_deref()), (DocumentStatus::Failed, Some("worker_lost")));
}

#[test]
fn a_dead_workers_jobs_are_released_with_the_reason() {
    let (_dir, store) = store();
    let id = store.submit(&new("a", DocumentOptions::default())).unwrap().document.id;
    let job = store.claim("w1", LEASE, 2).unwrap().unwrap();
    assert_eq!(store.release("w1", "worker_crashed", "the worker crashed", 2).unwrap(), 1);
    assert_eq!(store.document(&id).unwrap().unwrap().status, DocumentStatus::Queued);
    assert!(!store.heartbeat(job.id, "w1", LEASE, 1, None).unwrap(), "the dead worker's lease is gone");
    let dir = results(&store);
    assert_eq!(store.finish(job.id, "w1", &finished(&dir)).unwrap(), None, "its late results are dropped");
    assert!(!dir.exists());
    store.claim("w2", LEASE, 2).unwrap().unwrap();
    store.release("w2", "memory_limit", "the worker went over its memory limit", 2).unwrap();
    let doc = store.document(&id).unwrap().unwrap();
    assert_eq!((doc.status, doc.error_code.as_deref()), (DocumentStatus::Failed, Some("memory_limit")));
    assert!(doc.error_message.unwrap().contains("2 tries"));
}

#[test]
fn bad_input_fails_at_once() {
    let (_dir, store) = store();
    let id = store.submit(&new("a", DocumentOptions::default())).unwrap().document.id;
    let job = store.claim("w1", LEASE, TRIES).unwrap().unwrap();
    store.fail(job.id, "w1", "encrypted", "the PDF is encrypted").unwrap();
    let doc = store.document(&id).unwrap().unwrap();
    assert_eq!((doc.status, doc.error_code.as_deref()), (DocumentStatus::Failed, Some("encrypted")));
    assert!(store.claim("w1", LEASE, TRIES).unwrap().is_none());
}

#[test]
fn deleting_leaves_the_feed_and_the_lists_and_resubmitting_brings_it_back() {
    let (_dir, store) = store();
    let id = store.submit(&new("a", DocumentOptions::default())).unwrap().document.id;
    let job = store.claim("w1", LEASE, TRIES).unwrap().unwrap();
    let dir = results(&store);
    store.finish(job.id, "w1", &finished(&dir)).unwrap();
    assert!(store.delete(&id).unwrap());
    assert!(!store.delete(&id).unwrap(), "once");
    assert!(store.document(&id).unwrap().is_none());
    assert!(!store.data().document_results(&id).exists());
    let actions: Vec<(u64, ChangeAction)> = store.changes(0, 10).unwrap().iter().map(|c| (c.seq, c.action)).collect();
    assert_eq!(actions, [(1, ChangeAction::Upsert), (2, ChangeAction::Delete)]);
    assert_eq!(store.changes(1, 10).unwrap().len(), 1, "a loader resumes after the last seq it saw");
    let back = store.submit(&new("a", DocumentOptions::default())).unwrap();
    assert!(back.created && back.document.id == id);
    let job = store.claim("w1", LEASE, TRIES).unwrap().unwrap();
    let dir = results(&store);
    assert_eq!(store.finish(job.id, "w1", &finished(&dir)).unwrap(), Some(2), "versions go on");
}

#[test]
fn one_file_is_one_graph_whatever_the_options() {
    // The graph is named by the file; the last change for it is what a loader ends up with.
    let (_dir, store) = store();
    let whole = store.submit(&new("a", DocumentOptions::default())).unwrap().document.id;
    let pages = DocumentOptions { pages: Some("1-2".into()), ..DocumentOptions::default() };
    let part = store.submit(&new("a", pages)).unwrap().document.id;
    for _ in 0..2 {
        let job = store.claim("w1", LEASE, TRIES).unwrap().unwrap();
        let dir = results(&store);
        store.finish(job.id, "w1", &finished(&dir)).unwrap();
    }
    assert!(store.delete(&part).unwrap());
    let feed = store.changes(0, 10).unwrap();
    let last = feed.last().unwrap();
    assert_eq!(feed.iter().map(|c| c.sha256.as_str()).collect::<std::collections::HashSet<_>>().len(), 1);
    assert_eq!((last.document.as_str(), last.action), (whole.as_str(), ChangeAction::Upsert), "back to the other");
    assert!(store.delete(&whole).unwrap());
    assert_eq!(store.changes(0, 10).unwrap().last().unwrap().action, ChangeAction::Delete, "then it leaves");
}

#[test]
fn documents_are_listed_newest_first_by_status_and_name() {
    let (_dir, store) = store();
    for (k, name) in ["asthma.pdf", "sepsis.pdf", "asthma-children.pdf"].iter().enumerate() {
        let mut d = new(&format!("{k}"), DocumentOptions::default());
        d.filename = Some(name.to_string());
        store.submit(&d).unwrap();
    }
    let job = store.claim("w1", LEASE, TRIES).unwrap().unwrap();
    store.fail(job.id, "w1", "not_pdf", "the file is not a PDF").unwrap();
    let all = ListFilter { limit: 10, ..ListFilter::default() };
    let (rows, total) = store.documents(&all).unwrap();
    assert_eq!(total, 3);
    assert_eq!(rows[0].filename.as_deref(), Some("asthma-children.pdf"));
    let asthma = ListFilter { query: Some("asthma".into()), ..all.clone() };
    assert_eq!(store.documents(&asthma).unwrap().1, 2);
    let failed = ListFilter { status: Some(DocumentStatus::Failed), ..all.clone() };
    assert_eq!(store.documents(&failed).unwrap().0[0].filename.as_deref(), Some("asthma.pdf"));
    let page = ListFilter { offset: 2, limit: 5, ..all };
    assert_eq!(store.documents(&page).unwrap().0.len(), 1);
}

#[test]
fn workers_in_other_processes_never_claim_one_job_twice() {
    let (dir, store) = store();
    for k in 0..40 {
        store.submit(&new(&format!("{k:02}"), DocumentOptions::default())).unwrap();
    }
    // Four "processes": each its own store over the same folder.
    let claimed = Arc::new(std::sync::Mutex::new(Vec::new()));
    let threads: Vec<_> = (0..4)
        .map(|w| {
            let (root, claimed) = (dir.path().to_path_buf(), claimed.clone());
            std::thread::spawn(move || {
                let own = Store::open(&root).unwrap();
                while let Some(job) = own.claim(&format!("w{w}"), LEASE, TRIES).unwrap() {
                    let results = results(&own);
                    own.finish(job.id, &format!("w{w}"), &finished(&results)).unwrap().unwrap();
                    claimed.lock().unwrap().push(job.id);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let mut ids = claimed.lock().unwrap().clone();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 40, "each job once");
    let feed = store.changes(0, 100).unwrap();
    assert_eq!(feed.len(), 40);
    assert!(feed.windows(2).all(|w| w[1].seq == w[0].seq + 1), "the feed has no gaps");
    assert_eq!(store.job_counts().unwrap(), JobCounts { done: 40, ..JobCounts::default() });
}

#[test]
fn a_correction_is_the_next_version_on_the_feed_and_a_stale_one_is_refused() {
    let (_dir, store) = store();
    let id = store.submit(&new("a", DocumentOptions::default())).unwrap().document.id;
    fn correction(dir: &std::path::Path, based_on: u32) -> Correction<'_> {
        Correction {
            results: dir,
            based_on,
            author: "curator 1a2b",
            note: Some("dose"),
            operations: r#"[{"op":"set_cell_text"}]"#,
            triples: 40,
        }
    }
    let early = results(&store);
    assert_eq!(store.correct(&id, &correction(&early, 0)).unwrap(), Corrected::Missing, "nothing to correct yet");
    let job = store.claim("w1", LEASE, TRIES).unwrap().unwrap();
    let dir = results(&store);
    store.finish(job.id, "w1", &finished(&dir)).unwrap();
    let dir = results(&store);
    assert_eq!(store.correct(&id, &correction(&dir, 1)).unwrap(), Corrected::Saved(2));
    assert!(store.data().results(&id, 2).join("extraction.json").is_file());
    assert!(store.data().results(&id, 1).join("extraction.json").is_file(), "earlier versions stay");
    let dir = results(&store);
    assert_eq!(store.correct(&id, &correction(&dir, 1)).unwrap(), Corrected::Stale { current: 2 });
    let versions = store.versions(&id).unwrap();
    assert_eq!(
        versions.iter().map(|v| (v.version, v.kind.as_str())).collect::<Vec<_>>(),
        [(1, "extraction"), (2, "correction")]
    );
    assert_eq!(versions[1].author.as_deref(), Some("curator 1a2b"));
    assert!(versions[1].operations.is_some());
    let feed = store.changes(0, 10).unwrap();
    assert_eq!(
        feed.iter().map(|c| (c.version, c.action)).collect::<Vec<_>>(),
        [(1, ChangeAction::Upsert), (2, ChangeAction::Upsert)]
    );
    assert_eq!(store.document(&id).unwrap().unwrap().version, 2);
}
