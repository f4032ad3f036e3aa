//! The `clinex` binary: one distinct exit code and a one-line message per class of bad input,
//! and output written for good input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use clinex_tests::{badpdf, corpus_dir};

fn clinex(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clinex")).args(args).output().expect("clinex runs")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Runs `extract` on `file` and checks the exit code and that stderr is one line naming it.
fn expect_failure(file: &Path, extra: &[&str], code: i32, words: &str) {
    let mut args = vec!["extract", file.to_str().unwrap()];
    args.extend_from_slice(extra);
    let out = clinex(&args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{}: stderr {stderr:?}", file.display());
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line on stderr, got {stderr:?}");
    assert!(stderr.contains(words), "{stderr:?} should mention {words:?}");
    assert!(!stderr.contains("panicked"));
}

#[test]
fn each_bad_input_class_has_its_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let good = std::fs::read(corpus_dir().join("en_guideline.pdf")).unwrap();
    expect_failure(&d.join("missing.pdf"), &[], 3, "cannot read");
    expect_failure(&write(d, "letter.pdf", b"Dear colleague, the protocol is attached."), &[], 4, "not a PDF");
    // Image files are documents too (scans); one that does not decode is corrupt.
    expect_failure(&write(d, "image.pdf", &badpdf::png()), &[], 6, "image cannot be decoded");
    expect_failure(&write(d, "empty.pdf", b""), &[], 5, "empty");
    expect_failure(&write(d, "corrupt.pdf", &badpdf::corrupt()), &[], 6, "corrupt.pdf [corrupt]: the PDF is damaged");
    expect_failure(&corpus_dir().join("encrypted.pdf"), &[], 7, "password");
    expect_failure(&corpus_dir().join("encrypted.pdf"), &["--password", "wrong"], 7, "wrong");
    expect_failure(&write(d, "zero.pdf", &badpdf::zero_pages()), &[], 8, "[no_pages]: the PDF has no pages");
    expect_failure(&write(d, "good.pdf", &good), &["--pages", "9"], 12, "do not exist");
    expect_failure(&write(d, "good2.pdf", &good), &["--max-mib", "0"], 13, "over the limit");
}

#[test]
fn usage_errors_exit_2() {
    let out = clinex(&["extract", "x.pdf", "--pages", "3-1"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn time_limit_writes_what_was_done_and_exits_9() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("partial.json");
    let pdf = corpus_dir().join("en_guideline.pdf");
    let out = clinex(&["extract", pdf.to_str().unwrap(), "--timeout", "0", "-o", out_path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(9), "{}", String::from_utf8_lossy(&out.stderr));
    let partial: serde_json::Value = serde_json::from_slice(&std::fs::read(&out_path).unwrap()).unwrap();
    let warnings = partial["warnings"].as_array().unwrap();
    assert_eq!(warnings.iter().filter(|w| w["code"] == "time_limit").count(), 3);
}

#[test]
fn good_input_gives_json_on_stdout_or_in_a_file() {
    let pdf = corpus_dir().join("zh_guideline.pdf");
    let out = clinex(&["extract", pdf.to_str().unwrap(), "--pages", "1"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["pages"].as_array().unwrap().len(), 1);
    assert_eq!(doc["source"]["title"], "成人急性疼痛评估与管理专家共识");

    let pw = clinex(&["extract", corpus_dir().join("encrypted.pdf").to_str().unwrap(), "--password", "secret"]);
    assert!(pw.status.success());
}

#[test]
fn batch_reports_bad_documents_and_carries_on() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    std::fs::copy(corpus_dir().join("en_guideline.pdf"), inputs.join("a.pdf")).unwrap();
    write(&inputs, "b.pdf", &badpdf::corrupt());
    std::fs::copy(corpus_dir().join("two_column.pdf"), inputs.join("c.pdf")).unwrap();
    let out_dir = dir.path().join("out");
    let out = clinex(&["batch", inputs.to_str().unwrap(), "--out", out_dir.to_str().unwrap(), "--triples", "nq"]);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("2 documents extracted, 1 failed"), "{stdout}");
    assert!(out_dir.join("a.json").is_file() && out_dir.join("c.json").is_file());
    assert!(!out_dir.join("b.json").exists());
    // Each document's triples beside its JSON, as many as the JSON counts, in its own graph.
    for name in ["a", "c"] {
        let doc: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out_dir.join(format!("{name}.json"))).unwrap()).unwrap();
        let nq = std::fs::read_to_string(out_dir.join(format!("{name}.nq"))).unwrap();
        assert_eq!(nq.lines().count() as u64, doc["triples"]["count"].as_u64().unwrap(), "{name}");
        let graph = format!("<https://w3id.org/clinex/doc/{}> .", doc["source"]["sha256"].as_str().unwrap());
        assert!(nq.lines().all(|l| l.ends_with(&graph)), "{name}: one named graph");
    }
}

/// `clinex` with extra environment variables.
fn clinex_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clinex")).args(args).envs(env.iter().copied()).output().expect("clinex runs")
}

#[test]
fn the_configuration_comes_from_file_environment_and_flags_in_that_order() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = corpus_dir().join("en_guideline.pdf");
    let pdf = pdf.to_str().unwrap();
    let layout_model = |out: &Output| -> serde_json::Value {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["source"]["layout_model"].clone()
    };
    // The file turns the layout models off; the environment turns them back on; a flag off.
    let file = write(dir.path(), "clinex.toml", b"[layout]\nenabled = false\n");
    let file = file.to_str().unwrap();
    let off = clinex(&["extract", pdf, "--pages", "1", "--config", file]);
    assert!(layout_model(&off).is_null(), "the file's setting");
    let on =
        clinex_env(&["extract", pdf, "--pages", "1"], &[("CLINEX_CONFIG", file), ("CLINEX_LAYOUT_ENABLED", "true")]);
    assert!(layout_model(&on).is_string(), "the environment over the file");
    let flag = clinex_env(&["extract", pdf, "--pages", "1", "--no-layout"], &[("CLINEX_LAYOUT_ENABLED", "true")]);
    assert!(layout_model(&flag).is_null(), "the flag over the environment");
}

#[test]
fn a_configuration_that_cannot_be_used_is_a_usage_error_and_a_missing_library_a_library_error() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = corpus_dir().join("en_guideline.pdf");
    let pdf = pdf.to_str().unwrap();
    let one_line = |out: &Output, code: i32, words: &str| {
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr:?}");
        assert!(stderr.contains(words), "{stderr:?} should mention {words:?}");
    };
    one_line(&clinex_env(&["extract", pdf], &[("CLINEX_OCR_ENGINE", "abbyy")]), 2, "CLINEX_OCR_ENGINE");
    let typo = write(dir.path(), "typo.toml", b"[ocr]\nengnie = \"ppocr\"\n");
    one_line(&clinex(&["extract", pdf, "--config", typo.to_str().unwrap()]), 2, "engnie");
    one_line(&clinex(&["extract", pdf, "--config", "/nonexistent/clinex.toml"]), 2, "/nonexistent/clinex.toml");
    one_line(&clinex_env(&["extract", pdf], &[("CLINEX_PDFIUM_LIB", "/nonexistent/libpdfium.so")]), 11, "PDFium");
    let models = dir.path().join("no-models");
    one_line(&clinex_env(&["extract", pdf], &[("CLINEX_MODEL_DIR", models.to_str().unwrap())]), 11, "--no-layout");
}
