//! Hostile files made on the spot (a decompression bomb, deep nesting, a page tree that loops,
//! 10,000 pages, a 2 GB file) through the real binary: each ends within its time and memory
//! limits with a clear error or a partial result, and nothing is read without bound.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use clinex_tests::badpdf;

/// How a run ended: exit code, seconds, peak resident MiB (the kernel's high-water mark,
/// sampled until the process ends), stderr.
struct Run {
    code: Option<i32>,
    seconds: f64,
    peak_mib: f64,
    stderr: String,
}

fn run_watched(args: &[&str]) -> Run {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_clinex"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("clinex starts");
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0u64;
    let status = loop {
        if let Ok(status) = std::fs::read_to_string(&status_file) {
            let hwm = status.lines().find_map(|l| l.strip_prefix("VmHWM:")).and_then(|v| v.split_whitespace().next());
            peak_kib = peak_kib.max(hwm.and_then(|v| v.parse().ok()).unwrap_or(0));
        }
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(started.elapsed() < Duration::from_secs(300), "clinex {args:?} hangs");
        std::thread::sleep(Duration::from_millis(5));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    Run { code: status.code(), seconds: started.elapsed().as_secs_f64(), peak_mib: peak_kib as f64 / 1024.0, stderr }
}

/// `clinex extract` with the layout model and OCR, as a service worker runs it.
fn extract(file: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["extract", file.to_str().unwrap(), "--layout-threads", "1"];
    args.extend_from_slice(extra);
    run_watched(&args)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn one_line(run: &Run) {
    assert!(run.stderr.trim_end().lines().count() <= 1, "{:?}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{:?}", run.stderr);
}

#[test]
fn a_decompression_bomb_costs_no_more_than_a_page() {
    let dir = tempfile::tempdir().unwrap();
    // 1.2 GB of pixels once inflated.
    let bomb = write(dir.path(), "bomb.pdf", &badpdf::image_bomb(20_000));
    let run = extract(&bomb, &[]);
    eprintln!("bomb: exit {:?}, {:.1} s, {:.0} MiB", run.code, run.seconds, run.peak_mib);
    one_line(&run);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.peak_mib < 500.0, "peak {:.0} MiB", run.peak_mib);
    assert!(run.seconds < 30.0, "{:.1} s", run.seconds);
}

#[test]
fn deep_nesting_and_a_looping_page_tree_end_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in [("deep.pdf", badpdf::deep_nesting(100_000)), ("loop.pdf", badpdf::page_tree_loop())] {
        let run = extract(&write(dir.path(), name, &bytes), &[]);
        one_line(&run);
        assert!(matches!(run.code, Some(0 | 6 | 10)), "{name}: {:?} {}", run.code, run.stderr);
        assert!(run.seconds < 20.0 && run.peak_mib < 300.0, "{name}: {:.1} s, {:.0} MiB", run.seconds, run.peak_mib);
    }
}

#[test]
fn ten_thousand_pages_under_a_time_limit_list_every_page() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = write(dir.path(), "long.pdf", &badpdf::many_pages(10_000));
    let out = dir.path().join("long.json");
    let run = extract(&pdf, &["--timeout", "3", "-o", out.to_str().unwrap()]);
    eprintln!("10,000 pages: exit {:?}, {:.1} s, {:.0} MiB", run.code, run.seconds, run.peak_mib);
    one_line(&run);
    assert!(run.peak_mib < 600.0, "peak {:.0} MiB", run.peak_mib);
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let pages = doc["pages"].as_array().unwrap();
    assert_eq!(pages.len(), 10_000, "every page listed, read or not");
    match run.code {
        // Cut by the time limit: the pages not reached say so.
        Some(9) => assert!(pages.last().unwrap()["unread"] == "time_limit"),
        Some(0) => assert!(pages.iter().all(|p| p.get("unread").is_none())),
        other => panic!("{other:?}: {}", run.stderr),
    }
}

#[test]
fn a_2_gb_file_is_turned_away_without_being_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.pdf");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(2 << 30).unwrap(); // sparse: takes no disk
    let run = extract(&path, &[]);
    assert_eq!(run.code, Some(13), "{}", run.stderr);
    assert!(run.stderr.contains("[too_large]"), "{}", run.stderr);
    one_line(&run);
    assert!(run.peak_mib < 200.0 && run.seconds < 10.0, "{:.0} MiB, {:.1} s", run.peak_mib, run.seconds);
}
