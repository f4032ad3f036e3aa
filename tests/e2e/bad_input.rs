//! Each class of bad input gives its own error, and nothing is lost that could be kept.

use clinex_tests::{backend, badpdf, corpus_dir, schema_errors};
use extractor::model::WarningCode;
use extractor::{ExtractError, Options, extract};

fn run(bytes: &[u8]) -> Result<extractor::Extraction, ExtractError> {
    extract(bytes, &Options::default(), backend())
}

fn corpus_pdf(name: &str) -> Vec<u8> {
    std::fs::read(corpus_dir().join(name)).expect("corpus file")
}

#[test]
fn empty_and_non_pdf_files_are_named_for_what_they_are() {
    assert!(matches!(run(b""), Err(ExtractError::Empty)));
    // Image files are accepted as scans; a truncated one is a corrupt image, not a crash.
    assert!(matches!(run(&badpdf::png()), Err(ExtractError::CorruptImage { .. })), "{:?}", run(&badpdf::png()).err());
    match run(b"PK\x03\x04 a Word document") {
        Err(ExtractError::NotPdf { looks_like }) => assert!(looks_like.contains("ZIP"), "{looks_like}"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(run(b"Dear colleague,\nplease find attached"), Err(ExtractError::NotPdf { .. })));
}

#[test]
fn corrupt_file_is_reported_not_panicked() {
    match run(&badpdf::corrupt()) {
        Err(e @ ExtractError::Corrupt { .. }) => assert_in_words(&e.to_string()),
        other => panic!("{other:?}"),
    }
}

/// A message a curator reads: one line, no library type names or debug output.
fn assert_in_words(message: &str) {
    assert!(!message.contains('\n'), "{message:?}");
    for internal in ["Error", "Pdfium", "Unknown", "BBox", "{", "),"] {
        assert!(!message.contains(internal), "{internal} in {message:?}");
    }
}

#[test]
fn truncated_file_keeps_what_can_be_recovered() {
    let src = corpus_pdf("en_guideline.pdf");
    for fraction in [0.3, 0.6, 0.9] {
        match run(&badpdf::truncated(&src, fraction)) {
            Ok(doc) => {
                assert!(doc.warnings.iter().any(|w| w.code == WarningCode::Truncated), "fraction {fraction}");
                assert!(schema_errors(&doc).is_empty());
            }
            Err(ExtractError::Corrupt { detail }) => {
                assert!(detail.contains("truncated"), "{detail}")
            }
            Err(e) => panic!("fraction {fraction}: unexpected {e:?}"),
        }
    }
}

#[test]
fn encrypted_file_needs_its_password() {
    let src = corpus_pdf("encrypted.pdf");
    assert!(matches!(run(&src), Err(ExtractError::Encrypted { password_given: false })));
    let wrong = Options { password: Some("guess".into()), ..Options::default() };
    assert!(matches!(extract(&src, &wrong, backend()), Err(ExtractError::Encrypted { password_given: true })));
    let right = Options { password: Some("secret".into()), ..Options::default() };
    let doc = extract(&src, &right, backend()).expect("opens with the password");
    assert!(doc.pages[0].text.contains("Confidential protocol"));
}

#[test]
fn zero_pages_is_its_own_error() {
    assert!(matches!(run(&badpdf::zero_pages()), Err(ExtractError::NoPages)));
}

#[test]
fn one_broken_page_does_not_sink_the_document() {
    let src = corpus_pdf("en_guideline.pdf");
    let doc = run(&badpdf::missing_page_object(&src, 2)).expect("the other pages are extracted");
    let numbers: Vec<(u32, Option<WarningCode>)> = doc.pages.iter().map(|p| (p.number, p.unread)).collect();
    assert_eq!(numbers, [(1, None), (2, Some(WarningCode::PageFailed)), (3, None)], "page 2 keeps its place, empty");
    let failed: Vec<_> = doc.warnings.iter().filter(|w| w.code == WarningCode::PageFailed).collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].page, Some(2));
    assert_in_words(&failed[0].message);
    assert!(doc.pages[2].text.contains("Treatment algorithm"));
    assert!(doc.pages[1].width > 0.0 && doc.pages[1].height > 0.0);
    assert!(schema_errors(&doc).is_empty());
}

#[test]
fn a_page_with_an_empty_media_box_is_read_at_letter_size() {
    let src = corpus_pdf("en_guideline.pdf");
    let doc = run(&badpdf::zero_media_box(&src, 2)).expect("extracts");
    assert_eq!(doc.pages.len(), 3);
    assert!(doc.warnings.iter().all(|w| w.code != WarningCode::PageFailed), "{:?}", doc.warnings);
    // PDFium lays a page without a usable MediaBox out on US Letter, and so does clinex.
    assert_eq!((doc.pages[1].width, doc.pages[1].height), (612.0, 792.0));
    assert!(schema_errors(&doc).is_empty());
}

#[test]
fn form_fields_and_notes_are_text_in_reading_order_and_hidden_ones_stay_out() {
    let doc = run(&badpdf::filled_form()).expect("extracts");
    let regions: Vec<(&str, String)> =
        doc.pages[0].regions.iter().map(|r| (r.text.as_str(), serde_json::to_string(&r.source).unwrap())).collect();
    assert_eq!(
        regions,
        [
            ("Allergies?", r#""heuristic""#.to_string()),
            ("Allergies: penicillin", r#""form_field""#.to_string()),
            ("Current medication?", r#""heuristic""#.to_string()),
            ("Check renal function first", r#""annotation""#.to_string()),
        ]
    );
    assert!(!doc.pages[0].text.contains("hidden"));
    assert!(doc.pages[0].text.contains("Allergies: penicillin"));
    assert!(schema_errors(&doc).is_empty());
}

#[test]
fn broken_font_encoding_is_flagged() {
    let src = corpus_pdf("zh_guideline.pdf");
    let doc = run(&badpdf::broken_font_encoding(&src)).expect("still extracts");
    let flagged: Vec<_> = doc.warnings.iter().filter(|w| w.code == WarningCode::TextLayerUnreliable).collect();
    assert!(!flagged.is_empty(), "warnings: {:?}", doc.warnings);
}

#[test]
fn time_limit_returns_the_pages_done() {
    let src = corpus_pdf("en_guideline.pdf");
    let options = Options { time_limit: Some(std::time::Duration::ZERO), ..Options::default() };
    match extract(&src, &options, backend()) {
        Err(ExtractError::TimeLimit { total, partial, .. }) => {
            assert_eq!(total, 3);
            let skipped = partial.warnings.iter().filter(|w| w.code == WarningCode::TimeLimit).count();
            assert_eq!(skipped + partial.pages_read(), 3);
            assert_eq!(partial.pages.len(), 3, "pages not reached are listed too");
        }
        other => panic!("expected a time-limit error, got {other:?}"),
    }
}

#[test]
fn pages_out_of_range() {
    let src = corpus_pdf("en_guideline.pdf");
    let only_missing = Options { pages: Some("7-9".parse().unwrap()), ..Options::default() };
    assert!(matches!(extract(&src, &only_missing, backend()), Err(ExtractError::PagesOutOfRange { pages: 3 })));
    let some_missing = Options { pages: Some("2,5".parse().unwrap()), ..Options::default() };
    let doc = extract(&src, &some_missing, backend()).unwrap();
    assert_eq!(doc.pages.len(), 1);
    assert_eq!(doc.pages[0].number, 2);
    assert!(doc.warnings.iter().any(|w| w.code == WarningCode::PageOutOfRange && w.page == Some(5)));
}
