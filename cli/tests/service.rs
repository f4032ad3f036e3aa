//! The service as it runs: the real `clinex serve` binary over real HTTP on loopback, its real
//! worker processes with PDFium and the models, a real store in a temporary folder. The
//! documents: generated guidelines, a scan, an image file, the 61-page RCUK anaphylaxis
//! guideline; the bad ones: not a PDF, empty, encrypted, damaged. Then `kill -9`, of a worker
//! mid-job and of the server mid-job, and nothing accepted is lost.

mod common;

use std::io::{BufRead, BufReader};
use std::process::Command;
use std::time::Duration;

use clinex_tests::{badpdf, corpus_dir, shared_dir};
use common::*;
use serde_json::Value;

#[test]
fn documents_go_in_and_results_triples_and_the_feed_come_out() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), 2);
    // The server process holds no native library; its workers do.
    let libraries = |pid: u32| {
        let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).unwrap();
        ["libpdfium", "libonnxruntime", "libtesseract"].into_iter().filter(|l| maps.contains(l)).count()
    };
    assert_eq!(libraries(server.child.id()), 0, "the server maps no PDFium, ONNX Runtime or Tesseract");
    let worker = server.json("/readyz", ADMIN)["workers"][0]["pid"].as_u64().unwrap() as u32;
    assert_eq!(libraries(worker), 3, "its workers do");
    let guideline = read(&corpus_dir().join("en_guideline.pdf"));
    let scan = read(&corpus_dir().join("scanned_guideline_en.pdf"));
    let image = read(&shared_dir().join("data/ocr/tesseract/testing/phototest.tif"));
    let encrypted = read(&corpus_dir().join("encrypted.pdf"));
    let mut ids = Vec::new();
    for (bytes, name) in
        [(&guideline, "en.pdf"), (&scan, "scan.pdf"), (&image, "phototest.tif"), (&encrypted, "locked.pdf")]
    {
        let (status, doc) = server.upload(bytes, name, CURATOR);
        assert_eq!(status, 202, "{name}: {doc}");
        ids.push(doc["id"].as_str().unwrap().to_string());
    }
    let corrupt = badpdf::corrupt();
    let (status, doc) = server.upload(&corrupt, "corrupt.pdf", CURATOR);
    assert_eq!(status, 202);
    let corrupt_id = doc["id"].as_str().unwrap().to_string();
    let cut = badpdf::truncated(&read(&corpus_dir().join("two_column.pdf")), 0.9);
    let (status, doc) = server.upload(&cut, "cut.pdf", CURATOR);
    assert_eq!(status, 202);
    let cut_id = doc["id"].as_str().unwrap().to_string();
    // Refused at the door, with the CLI's codes.
    let (status, problem) = server.upload(b"Dear colleague, the protocol is attached.", "letter.txt", CURATOR);
    assert_eq!((status, problem["code"].as_str()), (415, Some("not_pdf")));
    assert_eq!(server.upload(b"", "empty.pdf", CURATOR).0, 400);
    assert_eq!(server.upload(&guideline, "en.pdf", LOADER).0, 403);
    assert_eq!(server.upload(&guideline, "again.pdf", CURATOR).0, 200, "the same bytes again");

    for id in &ids[..3] {
        let doc = server.settled(id);
        assert_eq!(doc["status"], "done", "{doc}");
        assert_eq!((doc["version"].as_u64(), doc["pages_done"].as_u64()), (Some(1), doc["pages_total"].as_u64()));
    }
    let locked = server.settled(&ids[3]);
    assert_eq!((locked["status"].as_str(), locked["error"]["code"].as_str()), (Some("failed"), Some("encrypted")));
    let damaged = server.settled(&corrupt_id);
    assert_eq!(damaged["error"]["code"], "corrupt", "{damaged}");
    // A file cut short is read as far as PDFium can, and says so either way.
    let cut = server.settled(&cut_id);
    if cut["status"] == "done" {
        let partial = server.json(&format!("/v1/documents/{cut_id}/extraction"), CURATOR);
        assert!(partial["warnings"].as_array().unwrap().iter().any(|w| w["code"] == "truncated"), "{partial}");
    } else {
        assert_eq!(cut["error"]["code"], "corrupt", "{cut}");
        assert!(cut["error"]["message"].as_str().unwrap().contains("truncated"), "{cut}");
    }

    // The service's extraction is the CLI's.
    let extraction = server.json(&format!("/v1/documents/{}/extraction", ids[0]), LOADER);
    let cli = Command::new(env!("CARGO_BIN_EXE_clinex"))
        .args(["extract", "--layout-threads", "1"])
        .arg(corpus_dir().join("en_guideline.pdf"))
        .output()
        .unwrap();
    let mut expected: Value = serde_json::from_slice(&cli.stdout).unwrap();
    expected["source"]["filename"] = "en.pdf".into();
    assert_eq!(extraction, expected, "the service and `clinex extract` agree");
    let scanned = server.json(&format!("/v1/documents/{}/extraction", ids[1]), LOADER);
    assert!(scanned["pages"][0]["scanned"].as_bool().unwrap());
    let tif = server.json(&format!("/v1/documents/{}/extraction", ids[2]), LOADER);
    assert!(tif["pages"][0]["text"].as_str().unwrap().contains("This is a lot of 12 point text"));

    // Exports and pictures.
    let (status, csv) = server.get(&format!("/v1/documents/{}/tables/t2.csv", ids[0]), CURATOR);
    assert_eq!(status, 200);
    assert!(csv.starts_with("Age group,Dose,Volume of 1 mg/mL"), "{csv}");
    let (_, mermaid) = server.get(&format!("/v1/documents/{}/flowcharts/1.mmd", ids[0]), CURATOR);
    assert!(mermaid.contains("Suspected anaphylaxis"));
    let mut picture = Server::agent()
        .get(format!("{}/v1/documents/{}/pages/3.png?overlay=regions", server.base, ids[0]))
        .header("Authorization", format!("Bearer {CURATOR}"))
        .call()
        .unwrap();
    assert_eq!(picture.headers().get("content-type").unwrap(), "image/png");
    let png = picture.body_mut().read_to_vec().unwrap();
    assert_eq!(&png[1..4], b"PNG");

    // Triples: N-Quads by default, Turtle when asked, and 304 for the version the loader has.
    let agent = Server::agent();
    let mut nq = agent
        .get(format!("{}/v1/documents/{}/triples", server.base, ids[0]))
        .header("Authorization", format!("Bearer {LOADER}"))
        .call()
        .unwrap();
    let etag = nq.headers().get("etag").unwrap().to_str().unwrap().to_string();
    let quads = nq.body_mut().read_to_string().unwrap();
    assert_eq!(quads.lines().count() as u64, extraction["triples"]["count"].as_u64().unwrap());
    let again = agent
        .get(format!("{}/v1/documents/{}/triples", server.base, ids[0]))
        .header("Authorization", format!("Bearer {LOADER}"))
        .header("If-None-Match", &etag)
        .call()
        .unwrap();
    assert_eq!(again.status().as_u16(), 304);
    let mut turtle = agent
        .get(format!("{}/v1/documents/{}/triples", server.base, ids[0]))
        .header("Authorization", format!("Bearer {LOADER}"))
        .header("Accept", "text/turtle")
        .call()
        .unwrap();
    assert_eq!(turtle.headers().get("content-type").unwrap(), "text/turtle");
    assert!(turtle.body_mut().read_to_string().unwrap().contains("@prefix cx:"));

    // The feed: one upsert per extracted document; a delete appends one more.
    let feed = server.json("/v1/graph/changes?after=0", LOADER);
    let changes = feed["changes"].as_array().unwrap();
    let extracted = if cut["status"] == "done" { 4 } else { 3 };
    assert_eq!(changes.len(), extracted, "{feed}");
    assert!(changes.iter().all(|c| c["action"] == "upsert"));
    let sha = extraction["source"]["sha256"].as_str().unwrap();
    assert!(changes.iter().any(|c| c["graph"] == format!("https://w3id.org/clinex/doc/{sha}")));
    let delete = agent
        .delete(format!("{}/v1/documents/{}", server.base, ids[2]))
        .header("Authorization", format!("Bearer {ADMIN}"))
        .call()
        .unwrap();
    assert_eq!(delete.status().as_u16(), 204);
    let after = server.json(&format!("/v1/graph/changes?after={}", feed["next"]), LOADER);
    assert_eq!(after["changes"][0]["action"], "delete");
    assert_eq!(after["changes"][0]["document"], ids[2].as_str());
}

/// The document the worker with `pid` holds: waits until it has read a few pages.
fn busy_worker(server: &Server, id: &str) -> u32 {
    server.wait_until("the long document under way", Duration::from_secs(120), || {
        server.json(&format!("/v1/documents/{id}"), CURATOR)["pages_done"].as_u64().unwrap_or(0) >= 3
    });
    let ready = server.json("/readyz", ADMIN);
    let busy: Vec<u32> = ready["workers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["state"] == "busy")
        .map(|w| w["pid"].as_u64().unwrap() as u32)
        .collect();
    assert_eq!(busy.len(), 1, "{ready}");
    busy[0]
}

#[test]
fn killing_a_worker_or_the_server_mid_job_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let long = read(&rcuk_guideline());
    let short = read(&corpus_dir().join("zh_guideline.pdf"));

    // A worker killed mid-job: the server starts another and the job is tried again.
    let mut server = Server::start(dir.path(), 1);
    let (status, doc) = server.upload(&long, "rcuk.pdf", CURATOR);
    assert_eq!(status, 202);
    let long_id = doc["id"].as_str().unwrap().to_string();
    // A curator follows it page by page, through the worker's death, to the end.
    let events_url = format!("{}/v1/documents/{long_id}/events", server.base);
    let follower = std::thread::spawn(move || {
        let mut response =
            Server::agent().get(events_url).header("Authorization", format!("Bearer {CURATOR}")).call().unwrap();
        let mut seen: Vec<(String, Value)> = Vec::new();
        let mut event = String::new();
        for line in BufReader::new(response.body_mut().as_reader()).lines() {
            let line = line.unwrap();
            if let Some(name) = line.strip_prefix("event: ") {
                event = name.to_string();
            } else if let Some(data) = line.strip_prefix("data: ") {
                seen.push((event.clone(), serde_json::from_str(data).unwrap()));
            }
        }
        seen
    });
    let pid = busy_worker(&server, &long_id);
    assert!(Command::new("kill").args(["-9", &pid.to_string()]).status().unwrap().success());
    server.wait_until("a new worker", Duration::from_secs(60), || {
        let (_, body) = server.get("/readyz", ADMIN);
        serde_json::from_str::<Value>(&body).unwrap()["worker_restarts"].as_u64().unwrap_or(0) >= 1
    });
    let doc = server.settled(&long_id);
    assert_eq!((doc["status"].as_str(), doc["version"].as_u64()), (Some("done"), Some(1)), "{doc}");
    assert_eq!(doc["pages_done"].as_u64(), Some(61));
    let events = follower.join().unwrap();
    let pages: Vec<u64> =
        events.iter().filter(|(e, _)| e == "progress").filter_map(|(_, d)| d["pages_done"].as_u64()).collect();
    assert!(pages.iter().filter(|&&p| p > 0).count() >= 3, "progress page by page: {pages:?}");
    assert_eq!(events.last().map(|(e, d)| (e.as_str(), d["version"].as_u64())), Some(("done", Some(1))), "then done");
    let metrics = server.get("/metrics", ADMIN).1;
    assert!(metrics.contains("clinex_worker_restarts_total 1"), "{metrics}");
    assert!(
        metrics.contains("clinex_http_request_duration_seconds_bucket{method=\"GET\",route=\"/v1/documents/{id}\"")
    );

    // The server killed mid-job, with more accepted behind it: a new server finishes them all.
    let (_, short_doc) = server.upload(&short, "zh.pdf", CURATOR);
    let short_id = short_doc["id"].as_str().unwrap().to_string();
    let mut copy = long.clone();
    copy.extend_from_slice(b"\n% another copy\n");
    let (status, again) = server.upload(&copy, "rcuk-copy.pdf", CURATOR);
    assert_eq!(status, 202);
    let copy_id = again["id"].as_str().unwrap().to_string();
    server.wait_until("the copy under way", Duration::from_secs(120), || {
        server.json(&format!("/v1/documents/{copy_id}"), CURATOR)["pages_done"].as_u64().unwrap_or(0) >= 3
            || server.json(&format!("/v1/documents/{short_id}"), CURATOR)["status"] == "running"
    });
    server.kill();
    let server = Server::start(dir.path(), 1);
    for id in [&short_id, &copy_id] {
        let doc = server.settled(id);
        assert_eq!((doc["status"].as_str(), doc["version"].as_u64()), (Some("done"), Some(1)), "{doc}");
    }
    let feed = server.json("/v1/graph/changes?after=0&limit=100", LOADER);
    let changes = feed["changes"].as_array().unwrap();
    let seqs: Vec<u64> = changes.iter().map(|c| c["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (1..=seqs.len() as u64).collect::<Vec<_>>(), "no gaps");
    for id in [&long_id, &short_id, &copy_id] {
        assert_eq!(changes.iter().filter(|c| c["document"] == id.as_str()).count(), 1, "{id} once");
    }
}
