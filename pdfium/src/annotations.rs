//! Text that lives in a page's annotations rather than its content: the values of filled
//! AcroForm fields and the text of free-text annotations and notes. Guideline forms and
//! checklists carry their answers there; PDFium's text layer never sees them.

use pdfium_render::prelude::*;

use extractor::geometry::PageTransform;
use extractor::pdf::{AnnotationKind, RawAnnotation};

/// Most annotations read from one page (a page of thousands of widgets is a form generator's
/// accident, not text).
const MAX_ANNOTATIONS: usize = 2_000;

/// The page's visible annotations that hold text, in displayed coordinates.
pub fn read_annotations(page: &PdfPage, transform: &PageTransform) -> Vec<RawAnnotation> {
    let mut out = Vec::new();
    for annotation in page.annotations().iter().take(MAX_ANNOTATIONS) {
        if annotation.is_hidden() {
            continue;
        }
        let Some((kind, label, text)) = text_of(&annotation) else { continue };
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            continue;
        }
        let Ok(r) = annotation.bounds() else { continue };
        let bbox = transform.rect(r.left().value, r.bottom().value, r.right().value, r.top().value);
        if !(bbox.is_valid() && bbox.width() > 0.0 && bbox.height() > 0.0) {
            continue;
        }
        out.push(RawAnnotation { kind, bbox, label, text });
    }
    out
}

fn text_of(annotation: &PdfPageAnnotation) -> Option<(AnnotationKind, Option<String>, String)> {
    match annotation.annotation_type() {
        PdfPageAnnotationType::FreeText | PdfPageAnnotationType::Text => {
            Some((AnnotationKind::Note, None, annotation.contents()?))
        }
        PdfPageAnnotationType::Widget => {
            let field = annotation.as_form_field()?;
            let value = match field {
                PdfFormField::Text(f) => f.value(),
                PdfFormField::ComboBox(f) => f.value(),
                PdfFormField::ListBox(f) => f.value(),
                // A ticked box says so; an unticked one says nothing.
                PdfFormField::Checkbox(f) => f.is_checked().ok().filter(|c| *c).map(|_| "☑".to_string()),
                PdfFormField::RadioButton(f) => f.is_checked().ok().filter(|c| *c).map(|_| "☑".to_string()),
                _ => None,
            }?;
            Some((AnnotationKind::FormField, field.name().filter(|n| !n.trim().is_empty()), value))
        }
        _ => None,
    }
}
