//! The text of form fields and notes as regions of their own, placed in the page's reading
//! order: a filled-in checklist reads question, answer, question, answer.

use crate::geometry::BBox;
use crate::model::{Region, RegionKind, RegionSource};
use crate::pdf::{AnnotationKind, RawAnnotation};

/// Inserts a text region for each annotation into `regions` (in reading order, ids not yet
/// given): before the first body region below its top edge that shares its column, else after
/// the last body region of its column, else at the end of the body.
pub fn place_annotations(regions: &mut Vec<Region>, annotations: &[RawAnnotation]) {
    let mut ordered: Vec<&RawAnnotation> = annotations.iter().collect();
    ordered.sort_by(|a, b| a.bbox.y0.total_cmp(&b.bbox.y0).then(a.bbox.x0.total_cmp(&b.bbox.x0)));
    for annotation in ordered {
        let at = insertion_index(regions, &annotation.bbox);
        regions.insert(at, region_of(annotation));
    }
}

fn insertion_index(regions: &[Region], b: &BBox) -> usize {
    let body = |r: &Region| !r.kind.is_furniture();
    let same_column = |r: &Region| r.bbox.x0.max(b.x0) < r.bbox.x1.min(b.x1);
    if let Some(i) = regions.iter().position(|r| body(r) && same_column(r) && r.bbox.y0 > b.y0) {
        return i;
    }
    if let Some(i) = regions.iter().rposition(|r| body(r) && same_column(r)) {
        return i + 1;
    }
    regions.iter().rposition(body).map_or(0, |i| i + 1)
}

fn region_of(a: &RawAnnotation) -> Region {
    let (text, source) = match a.kind {
        AnnotationKind::FormField => match a.label.as_deref().filter(|l| reads_as_words(l)) {
            Some(label) => (format!("{label}: {}", a.text), RegionSource::FormField),
            None => (a.text.clone(), RegionSource::FormField),
        },
        AnnotationKind::Note => (a.text.clone(), RegionSource::Annotation),
    };
    Region {
        id: String::new(),
        kind: RegionKind::Text,
        bbox: a.bbox,
        confidence: 1.0,
        lines: text.lines().count().max(1) as u32,
        text,
        source,
        order: 0,
        font_size: None,
        caption_of: None,
        figure_type: None,
    }
}

/// A field name a curator would read as a label ("Allergies", "Weight (kg)"), not one a form
/// tool made up ("Text1", "Check Box 12", "topmostSubform[0].Page1[0].f1_01[0]").
fn reads_as_words(name: &str) -> bool {
    let name = name.trim();
    let letters = name.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 2 || name.contains('[') || name.contains('_') {
        return false;
    }
    let stem = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == ' ' || c == '.').to_ascii_lowercase();
    let generated =
        ["text", "field", "check box", "checkbox", "radio", "combo box", "list box", "untitled", "textfield"];
    !(stem.len() < name.len() && generated.contains(&stem.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_region(text: &str, bbox: BBox) -> Region {
        Region { text: text.into(), bbox, source: RegionSource::Heuristic, ..region_of(&note("", bbox)) }
    }

    fn note(text: &str, bbox: BBox) -> RawAnnotation {
        RawAnnotation { kind: AnnotationKind::Note, bbox, label: None, text: text.into() }
    }

    #[test]
    fn answers_sit_after_their_questions_in_reading_order() {
        let mut regions = vec![
            text_region("Allergies?", BBox::new(50.0, 100.0, 300.0, 112.0)),
            text_region("Current medication?", BBox::new(50.0, 140.0, 300.0, 152.0)),
            text_region("Page 1", BBox::new(280.0, 800.0, 320.0, 810.0)),
        ];
        regions[2].kind = RegionKind::Footer;
        let field = |label: &str, text: &str, y: f32| RawAnnotation {
            kind: AnnotationKind::FormField,
            bbox: BBox::new(50.0, y, 300.0, y + 14.0),
            label: Some(label.into()),
            text: text.into(),
        };
        let annotations = [
            field("Text2", "metformin 500 mg", 154.0),
            field("Allergies", "penicillin", 114.0),
            note("check renal function", BBox::new(320.0, 90.0, 400.0, 120.0)),
        ];
        place_annotations(&mut regions, &annotations);
        let texts: Vec<(&str, RegionSource)> = regions.iter().map(|r| (r.text.as_str(), r.source)).collect();
        assert_eq!(
            texts,
            [
                ("Allergies?", RegionSource::Heuristic),
                ("Allergies: penicillin", RegionSource::FormField),
                ("Current medication?", RegionSource::Heuristic),
                ("metformin 500 mg", RegionSource::FormField),
                ("check renal function", RegionSource::Annotation),
                ("Page 1", RegionSource::Heuristic),
            ]
        );
    }

    #[test]
    fn made_up_field_names_are_not_labels() {
        for made_up in ["Text1", "Check Box 12", "topmostSubform[0].f1_01[0]", "f1", "Untitled 3"] {
            assert!(!reads_as_words(made_up), "{made_up}");
        }
        for label in ["Allergies", "Weight (kg)", "Date of birth", "Text"] {
            assert!(reads_as_words(label), "{label}");
        }
    }
}
