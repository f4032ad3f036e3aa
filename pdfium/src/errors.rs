//! PDFium's errors in words a curator reads: pdfium-render's `Display` prints its `Debug` form
//! over several lines (`PdfiumLibraryInternalError(\n    Unknown,\n)`), which must never reach a
//! message.

use pdfium_render::prelude::{PdfiumError, PdfiumInternalError};

/// One line saying what went wrong, without library type names.
pub fn in_words(error: &PdfiumError) -> String {
    match error {
        PdfiumError::PdfiumLibraryInternalError(kind) => internal_in_words(kind).to_string(),
        PdfiumError::ImageSizeOutOfBounds | PdfiumError::ImageBufferTooSmall => {
            "the page is too large to render".to_string()
        }
        PdfiumError::ImageError => "the rendered page could not be turned into an image".to_string(),
        PdfiumError::PageIndexOutOfBounds | PdfiumError::NoPagesInDocument => "the page does not exist".to_string(),
        PdfiumError::IoError(e) => format!("the file could not be read: {e}"),
        PdfiumError::PdfiumFunctionReturnValueIndicatedFailure => "PDFium could not read this part".to_string(),
        other => {
            // Any other variant: its name as plain words ("UnknownPdfColorSpace" reads
            // "unknown pdf color space"), never the type's debug form.
            let name = format!("{other:?}");
            let name = name.split('(').next().unwrap_or_default();
            format!("PDFium failed: {}", spaced_words(name))
        }
    }
}

/// What PDFium's own error codes (`FPDF_GetLastError`) mean.
pub fn internal_in_words(kind: &PdfiumInternalError) -> &'static str {
    match kind {
        PdfiumInternalError::FileError => "PDFium cannot read the file",
        PdfiumInternalError::FormatError => "PDFium cannot find or repair its structure",
        PdfiumInternalError::PasswordError => "the password is missing or wrong",
        PdfiumInternalError::SecurityError => "the document uses an unsupported security handler",
        PdfiumInternalError::PageError => "the page object is missing or damaged",
        PdfiumInternalError::Unknown => "PDFium cannot say what is wrong with it",
    }
}

/// `CamelCase` to `camel case`.
fn spaced_words(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 8);
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push(' ');
        }
        out.extend(c.to_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_is_one_line_without_type_names() {
        let errors = [
            PdfiumError::PdfiumLibraryInternalError(PdfiumInternalError::Unknown),
            PdfiumError::PdfiumLibraryInternalError(PdfiumInternalError::FormatError),
            PdfiumError::UnknownPdfColorSpace,
            PdfiumError::ImageSizeOutOfBounds,
            PdfiumError::CoordinateConversionFunctionIndicatedError,
        ];
        for e in &errors {
            let words = in_words(e);
            assert!(!words.contains('\n') && !words.contains('(') && !words.contains("Error"), "{words}");
            assert!(!words.chars().any(|c| c.is_uppercase()) || words.starts_with("PDFium"), "{words}");
        }
        assert_eq!(in_words(&PdfiumError::UnknownPdfColorSpace), "PDFium failed: unknown pdf color space");
    }
}
