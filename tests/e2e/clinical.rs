//! Every real document in `../shared/data/clinical`: extracts, validates against the contract,
//! has the pages the manifest says, contains the phrases the manifest names, and agrees with
//! poppler's `pdftotext` (an independent extractor) on its words.

use std::path::PathBuf;
use std::process::Command;

use clinex_tests::text_compare::token_f1;
use clinex_tests::{extract_file, repo_root, schema_errors, shared_dir};
use extractor::text::script::fold_fullwidth;
use serde::Deserialize;

#[derive(Deserialize)]
struct Manifest {
    document: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    path: String,
    pages: u32,
    lang: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    phrases: Vec<String>,
    /// Lowest acceptable word agreement with pdftotext; 0.95 unless the manifest explains less.
    #[serde(default)]
    min_agreement: Option<f64>,
}

fn manifest() -> Manifest {
    let text = std::fs::read_to_string(repo_root().join("corpus/manifest.toml")).expect("corpus/manifest.toml");
    toml::from_str(&text).expect("manifest parses")
}

fn pdftotext(path: &PathBuf) -> String {
    let out = Command::new("pdftotext")
        .arg("-enc")
        .arg("UTF-8")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext runs (poppler-utils, installed by make setup)");
    assert!(out.status.success(), "pdftotext failed on {}", path.display());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn manifest_lists_every_clinical_pdf() {
    let listed: std::collections::BTreeSet<String> = manifest().document.into_iter().map(|d| d.path).collect();
    let root = shared_dir().join("data/clinical");
    let mut on_disk = std::collections::BTreeSet::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "pdf") {
                on_disk.insert(p.strip_prefix(&root).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    assert_eq!(listed, on_disk);
}

#[test]
fn every_clinical_document_extracts_correctly() {
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    for entry in manifest().document {
        let path = shared_dir().join("data/clinical").join(&entry.path);
        let doc = match extract_file(&path) {
            Ok(doc) => doc,
            Err(e) => {
                problems.push(format!("{}: {e}", entry.path));
                continue;
            }
        };
        if doc.pages.len() as u32 != entry.pages {
            problems.push(format!("{}: {} pages, manifest says {}", entry.path, doc.pages.len(), entry.pages));
        }
        let errors = schema_errors(&doc);
        if !errors.is_empty() {
            problems.push(format!("{}: schema: {}", entry.path, errors.join("; ")));
        }
        let text: String = doc.pages.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join("\n");
        // Phrases are compared without whitespace: spacing is scored by the word agreement below.
        let bare = |s: &str| s.chars().filter(|c| !c.is_whitespace()).map(fold_fullwidth).collect::<String>();
        let squashed = bare(&text);
        for phrase in &entry.phrases {
            if !squashed.contains(&bare(phrase)) {
                problems.push(format!("{}: phrase {phrase:?} not found", entry.path));
            }
        }
        if let Some(title) = &entry.title
            && doc.source.title.as_deref() != Some(title.as_str())
        {
            problems.push(format!("{}: title {:?}, expected {title:?}", entry.path, doc.source.title));
        }
        let (p, r, f) = token_f1(&text, &pdftotext(&path));
        let floor = entry.min_agreement.unwrap_or(0.95);
        if f < floor {
            problems.push(format!("{}: word agreement with pdftotext {f:.3} below {floor}", entry.path));
        }
        rows.push(format!("{f:.3} (P {p:.3} R {r:.3}) {:>3} pages {} {}", doc.pages.len(), entry.lang, entry.path));
    }
    println!("word agreement with pdftotext per document:\n{}", rows.join("\n"));
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}
