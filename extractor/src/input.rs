//! What the input bytes are, told before any parser sees them: a PDF (perhaps cut short), an
//! image file (a scan: each image, each TIFF page, is a page), or something to refuse with an
//! error that says what it looks like. Also which files a list of paths names.

use std::path::{Path, PathBuf};

use crate::error::ExtractError;
use crate::pdf::images::{ImageBackend, is_image};
use crate::pdf::{OpenError, PdfBackend};

/// The kind of document the bytes hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// A PDF; `truncated` when it has no `%%EOF` marker at its end.
    Pdf { truncated: bool },
    /// An image file (PNG, JPEG, TIFF).
    Image,
}

impl InputKind {
    /// Whether the file was probably cut short.
    pub fn truncated(self) -> bool {
        matches!(self, Self::Pdf { truncated: true })
    }

    /// The backend that opens this kind: `pdf` for PDFs, the image reader for image files.
    pub fn backend(self, pdf: &dyn PdfBackend) -> &dyn PdfBackend {
        match self {
            Self::Pdf { .. } => pdf,
            Self::Image => &ImageBackend,
        }
    }
}

/// Tells what the bytes are, refusing empty, oversized and non-PDF inputs.
pub fn classify(bytes: &[u8], max_bytes: Option<u64>) -> Result<InputKind, ExtractError> {
    // Scans often arrive as image files.
    if is_image(bytes) {
        check_size(bytes, max_bytes)?;
        return Ok(InputKind::Image);
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ExtractError::Empty);
    }
    check_size(bytes, max_bytes)?;
    // The header may follow some junk, but within the first kilobyte (as readers allow).
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(ExtractError::NotPdf { looks_like: sniff(bytes).into() });
    }
    Ok(InputKind::Pdf { truncated: !has_eof_marker(bytes) })
}

/// Reads a document file, refusing one over `max_bytes` by its size on disk before reading any
/// of it (a 2 GB upload must not cost 2 GB of memory to be turned away). The outer error is the
/// file system's; the inner one the document's.
pub fn read_document(path: &Path, max_bytes: Option<u64>) -> std::io::Result<Result<Vec<u8>, ExtractError>> {
    let size = std::fs::metadata(path)?.len();
    if let Some(limit) = max_bytes.filter(|limit| size > *limit) {
        return Ok(Err(ExtractError::TooLarge { bytes: size, limit }));
    }
    std::fs::read(path).map(Ok)
}

fn check_size(bytes: &[u8], max_bytes: Option<u64>) -> Result<(), ExtractError> {
    match max_bytes {
        Some(limit) if bytes.len() as u64 > limit => Err(ExtractError::TooLarge { bytes: bytes.len() as u64, limit }),
        _ => Ok(()),
    }
}

/// What a non-PDF file most likely is, for the error message (images never get here: they are
/// documents).
fn sniff(bytes: &[u8]) -> &'static str {
    let starts = |m: &[u8]| bytes.starts_with(m);
    if starts(b"PK\x03\x04") {
        "a ZIP archive, perhaps a Word document"
    } else if starts(b"\xD0\xCF\x11\xE0") {
        "an old Office document"
    } else if bytes.len() > 5 && bytes[..bytes.len().min(512)].to_ascii_lowercase().windows(5).any(|w| w == b"<html") {
        "an HTML page"
    } else if std::str::from_utf8(&bytes[..bytes.len().min(512)]).is_ok() {
        "plain text"
    } else {
        "no PDF header in the first 1024 bytes"
    }
}

fn has_eof_marker(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(2048)..];
    tail.windows(5).any(|w| w == b"%%EOF")
}

/// The document error for a failure to open it.
pub fn open_error(e: OpenError, password_given: bool, kind: InputKind) -> ExtractError {
    match e {
        OpenError::Password => ExtractError::Encrypted { password_given },
        OpenError::UnsupportedSecurity => ExtractError::UnsupportedSecurity,
        OpenError::Library(m) => ExtractError::Library(m),
        OpenError::Image(detail) => ExtractError::CorruptImage { detail },
        OpenError::Format(detail) => {
            ExtractError::Corrupt { detail: if kind.truncated() { format!("truncated; {detail}") } else { detail } }
        }
    }
}

/// Files named directly, and every `*.pdf` under named folders (sorted, so runs are repeatable).
pub fn find_documents(paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            collect_pdfs(p, &mut out)
                .map_err(|e| std::io::Error::new(e.kind(), format!("cannot list {}: {e}", p.display())))?;
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn collect_pdfs(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect_pdfs(&path, out)?;
        } else if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")) {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_are_classified_before_parsing() {
        assert!(matches!(classify(b"", None), Err(ExtractError::Empty)));
        assert!(matches!(classify(b"  \n", None), Err(ExtractError::Empty)));
        assert!(matches!(classify(b"<html><body>Guideline</body></html>", None), Err(ExtractError::NotPdf { .. })));
        assert!(
            matches!(classify(b"PK\x03\x04 zip", None), Err(ExtractError::NotPdf { looks_like }) if looks_like.contains("ZIP"))
        );
        assert_eq!(classify(b"%PDF-1.7\n", None).unwrap(), InputKind::Pdf { truncated: true });
        assert_eq!(classify(b"%PDF-1.7\n%%EOF\n", None).unwrap(), InputKind::Pdf { truncated: false });
        assert!(matches!(classify(b"%PDF-1.7", Some(4)), Err(ExtractError::TooLarge { .. })));
    }
}
