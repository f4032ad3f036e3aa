//! Typed errors of the extraction pipeline, one variant per class of bad input.

use crate::model::Extraction;

/// Why a document could not be extracted.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is not a PDF ({looks_like})")]
    NotPdf { looks_like: String },
    #[error("the file is {bytes} bytes, over the limit of {limit} bytes")]
    TooLarge { bytes: u64, limit: u64 },
    #[error("the PDF is damaged and cannot be opened ({detail})")]
    Corrupt { detail: String },
    #[error("the image cannot be decoded ({detail})")]
    CorruptImage { detail: String },
    #[error("the PDF is encrypted; {}", if *.password_given { "the password is wrong" } else { "give its password with --password" })]
    Encrypted { password_given: bool },
    #[error("the PDF uses an unsupported security handler")]
    UnsupportedSecurity,
    #[error("the PDF has no pages")]
    NoPages,
    #[error("the requested pages do not exist (the document has {pages} pages)")]
    PagesOutOfRange { pages: u32 },
    #[error("no page could be read ({failed} failed; first error: {first_error})")]
    AllPagesFailed { failed: u32, first_error: String },
    #[error("the time limit of {seconds:.1} s ran out after {done} of {total} pages")]
    TimeLimit {
        seconds: f64,
        done: u32,
        total: u32,
        /// What was extracted before the limit, with a warning for every page left out.
        partial: Box<Extraction>,
    },
    #[error("the PDF library is unavailable: {0}")]
    Library(String),
}

impl ExtractError {
    /// A stable, machine-readable name for the class of failure.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::NotPdf { .. } => "not_pdf",
            Self::TooLarge { .. } => "too_large",
            Self::Corrupt { .. } | Self::CorruptImage { .. } => "corrupt",
            Self::Encrypted { .. } => "encrypted",
            Self::UnsupportedSecurity => "unsupported_security",
            Self::NoPages => "no_pages",
            Self::PagesOutOfRange { .. } => "pages_out_of_range",
            Self::AllPagesFailed { .. } => "all_pages_failed",
            Self::TimeLimit { .. } => "time_limit",
            Self::Library(_) => "library",
        }
    }
}

/// A `--pages` expression that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid page selection {input:?}: {reason}")]
pub struct PageSelectionError {
    pub input: String,
    pub reason: String,
}
