//! The document's title: the metadata's unless that is a placeholder or the file name, else the
//! first title the layout found.

use crate::model::{Page, RegionKind};
use crate::text::script::is_cjk;

/// The title and where it came from (`metadata` or `layout`).
pub fn choose_title(
    metadata: Option<String>,
    filename: Option<&str>,
    pages: &[Page],
) -> (Option<String>, Option<String>) {
    let alnum = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>();
    let stem = filename.map(|f| alnum(f.rsplit_once('.').map_or(f, |(stem, _)| stem)));
    let is_file_name = |t: &str| stem.as_deref().is_some_and(|s| !s.is_empty() && alnum(t) == s);
    let usable = |t: &String| !is_placeholder_title(t) && !is_file_name(t) && !t.to_lowercase().starts_with("doi");
    if let Some(t) = metadata.filter(usable) {
        return (Some(t), Some("metadata".into()));
    }
    let from_layout =
        pages.iter().flat_map(|p| &p.regions).find(|r| r.kind == RegionKind::Title).map(|r| r.text.replace('\n', " "));
    let source = from_layout.as_ref().map(|_| "layout".to_string());
    (from_layout, source)
}

/// Titles that tools write for every document ("Microsoft Word - x.docx", "untitled") or that
/// name no words (identifiers).
pub fn is_placeholder_title(t: &str) -> bool {
    let lower = t.trim().to_lowercase();
    let stems = [
        "untitled",
        "microsoft word",
        "microsoft powerpoint",
        "powerpoint presentation",
        "presentation",
        "document",
        "title",
        "pdf",
        "slide 1",
    ];
    // Identifiers such as "ipg1300180a" or "6489122611071476 1..10": no real words.
    let has_word = lower
        .split_whitespace()
        .any(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 3 && !w.chars().any(|c| c.is_ascii_digit()));
    let cjk = lower.chars().any(is_cjk);
    if !has_word && !cjk {
        return true;
    }
    let extensions = [".doc", ".docx", ".pdf", ".ppt", ".pptx", ".indd", ".tex", ".dvi", ".qxd", ".rtf"];
    lower.chars().filter(|c| c.is_alphanumeric()).count() < 3
        || stems.iter().any(|s| lower == *s || lower.starts_with(&format!("{s} -")))
        || extensions.iter().any(|e| lower.ends_with(e))
        || lower.starts_with("microsoft word - ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholder_titles_are_ignored() {
        assert!(is_placeholder_title("Microsoft Word - guideline_v3.docx"));
        assert!(is_placeholder_title("untitled"));
        assert!(is_placeholder_title("report.pdf"));
        assert!(is_placeholder_title("PowerPoint Presentation"));
        assert!(is_placeholder_title("ipg1300180a"));
        assert!(is_placeholder_title("6489122611071476 1..10"));
        assert!(!is_placeholder_title("Emergency treatment of anaphylaxis"));
    }
}
