//! Readable golden renderings of extractions, compared line by line.
//!
//! `CLINEX_BLESS=1` rewrites the goldens; a missing golden fails (it is never created silently).

use std::fmt::Write;
use std::path::Path;

use extractor::Extraction;

/// One line per region: kind, box rounded to half points, text with line breaks shown as `⏎`.
pub fn render(doc: &Extraction) -> String {
    let mut out = String::new();
    let s = &doc.source;
    let _ = writeln!(
        out,
        "# {} · {} pages · title {:?} ({})",
        s.filename.as_deref().unwrap_or("-"),
        s.pages,
        s.title.as_deref().unwrap_or(""),
        s.title_source.as_deref().unwrap_or("none")
    );
    for page in &doc.pages {
        let _ = writeln!(
            out,
            "\n## page {} · {} x {} · rotation {}",
            page.number,
            half(page.width),
            half(page.height),
            page.rotation
        );
        for r in &page.regions {
            let b = r.bbox;
            let link = r.caption_of.as_deref().map(|id| format!(" → {id}")).unwrap_or_default();
            let _ = writeln!(
                out,
                "{:<8} {:<9} [{} {} {} {}]{link} {}",
                r.kind.as_str(),
                format!("{:?}", r.source).to_lowercase(),
                half(b.x0),
                half(b.y0),
                half(b.x1),
                half(b.y1),
                r.text.replace('\n', " ⏎ ")
            );
        }
    }
    for w in &doc.warnings {
        let _ = writeln!(out, "warning {:?} page {:?}: {}", w.code, w.page, w.message);
    }
    out
}

fn half(v: f32) -> String {
    format!("{:.1}", (v * 2.0).round() / 2.0)
}

/// Checks the corpus documents `names` against `golden/<name><suffix>.txt`, extracting each
/// with `extract`; every difference is collected before failing.
pub fn check_corpus(
    names: &[&str],
    suffix: &str,
    extract: impl Fn(&Path) -> Result<Extraction, extractor::ExtractError>,
) -> Result<(), String> {
    let mut failures = Vec::new();
    for name in names {
        let doc = extract(&crate::corpus_dir().join(format!("{name}.pdf"))).map_err(|e| format!("{name}: {e}"))?;
        let path = crate::repo_root().join(format!("golden/{name}{suffix}.txt"));
        if let Err(e) = check(&path, &render(&doc)) {
            failures.push(e);
        }
    }
    if failures.is_empty() { Ok(()) } else { Err(failures.join("\n\n")) }
}

/// Compares `actual` with the golden file, or rewrites it under `CLINEX_BLESS=1`.
pub fn check(golden: &Path, actual: &str) -> Result<(), String> {
    if std::env::var_os("CLINEX_BLESS").is_some() {
        std::fs::write(golden, actual).map_err(|e| format!("cannot write {}: {e}", golden.display()))?;
        return Ok(());
    }
    let expected = std::fs::read_to_string(golden).map_err(|e| {
        format!("golden {} missing ({e}); create it with CLINEX_BLESS=1 and review it", golden.display())
    })?;
    if expected == actual {
        return Ok(());
    }
    let mut diff = String::new();
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    for i in 0..e.len().max(a.len()) {
        let (x, y) = (e.get(i).copied().unwrap_or("<none>"), a.get(i).copied().unwrap_or("<none>"));
        if x != y {
            let _ = writeln!(diff, "line {}:\n  expected: {x}\n  actual:   {y}", i + 1);
        }
    }
    Err(format!("{} differs (CLINEX_BLESS=1 to accept):\n{diff}", golden.display()))
}
