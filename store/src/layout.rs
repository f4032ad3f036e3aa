//! What one version's results folder holds, for the worker that writes it, the server's
//! corrections that write the next one, and the handlers that read them: the contract JSON,
//! the triples as N-Quads, and a picture of each page.

use std::path::Path;

use extractor::Extraction;
use extractor::triples::{Format, build, serialize};

/// File names inside a version's folder.
pub const EXTRACTION: &str = "extraction.json";
pub const TRIPLES: &str = "triples.nq";
pub const PAGES: &str = "pages";

/// The picture of page `number` inside a version's folder.
pub fn page_picture(number: u32) -> String {
    format!("{PAGES}/{number}.png")
}

/// Writes `doc` and its triples into `dir` (the page pictures are the caller's); returns the
/// number of triples.
pub fn write_extraction(dir: &Path, doc: &Extraction) -> std::io::Result<u64> {
    std::fs::create_dir_all(dir.join(PAGES))?;
    std::fs::write(dir.join(EXTRACTION), serde_json::to_vec(doc)?)?;
    let quads = build(doc);
    let nq = serialize(&quads, Format::NQuads).map_err(std::io::Error::other)?;
    std::fs::write(dir.join(TRIPLES), nq)?;
    Ok(quads.len() as u64)
}
