//! Exit codes: one per class of failure, documented in the README.

use extractor::ExtractError;

pub const INTERNAL: u8 = 1;
pub const USAGE: u8 = 2;
pub const IO: u8 = 3;
pub const TIME_LIMIT: u8 = 9;
pub const LIBRARY: u8 = 11;

/// The exit code for an error chain: the first [`ExtractError`] in it decides; a configuration
/// that cannot be used is a usage error, an engine that cannot be loaded a library error.
pub fn code_of(e: &anyhow::Error) -> u8 {
    if let Some(x) = e.chain().find_map(|c| c.downcast_ref::<ExtractError>()) {
        return for_extract_error(x);
    }
    if e.chain().any(|c| c.is::<extractor::config::ConfigError>()) {
        return USAGE;
    }
    if e.chain().any(|c| c.is::<clinex_engines::EngineError>()) {
        return LIBRARY;
    }
    if e.chain().any(|c| c.is::<std::io::Error>()) {
        return IO;
    }
    INTERNAL
}

pub fn for_extract_error(e: &ExtractError) -> u8 {
    match e {
        ExtractError::NotPdf { .. } => 4,
        ExtractError::Empty => 5,
        ExtractError::Corrupt { .. } | ExtractError::CorruptImage { .. } => 6,
        ExtractError::Encrypted { .. } | ExtractError::UnsupportedSecurity => 7,
        ExtractError::NoPages => 8,
        ExtractError::TimeLimit { .. } => TIME_LIMIT,
        ExtractError::AllPagesFailed { .. } => 10,
        ExtractError::Library(_) => LIBRARY,
        ExtractError::PagesOutOfRange { .. } => 12,
        ExtractError::TooLarge { .. } => 13,
    }
}
