//! Telling flowcharts among the layout model's figures.

use super::drawn_boxes::count_drawn_boxes;
use crate::geometry::BBox;
use crate::imaging::PixelRect;
use crate::layout::{Detection, FigureClassifier, LayoutLabel};
use crate::model::{Region, RegionKind, RegionSource, Warning, WarningCode};
use crate::text::{is_caption, is_table_caption};

/// Pictures of flowcharts (figures drawn as images) become flowcharts: four or more separate
/// drawn boxes in the picture; the figure classifier's class is recorded on every figure.
pub fn type_figures(
    found: &mut [Detection],
    image: &image::RgbImage,
    classifier: Option<&dyn FigureClassifier>,
    page: u32,
    warnings: &mut Vec<Warning>,
) {
    for d in found.iter_mut().filter(|d| d.label == LayoutLabel::Figure) {
        // Detections are still in the model image's pixels here.
        let crop = PixelRect::covering(&d.bbox, (1.0, 1.0), image.dimensions()).crop(image);
        // Drawn boxes decide (measured on PAGES.tsv: the classifier alone over-calls chemistry
        // and charts); the classifier's guess is kept on the region for curators.
        let drawn = count_drawn_boxes(&crop);
        if drawn.boxes >= MIN_DRAWN_BOXES && drawn.joined >= MIN_JOINED_BOXES {
            d.label = LayoutLabel::Flowchart;
        }
        match classifier.map(|c| c.classify(&crop)) {
            None => {}
            Some(Ok((class, p))) => d.figure_type = Some((class, p)),
            Some(Err(e)) => {
                warnings.push(Warning { page: Some(page), code: WarningCode::LayoutFailed, message: e.to_string() })
            }
        }
    }
}

/// On a scan the whole page is a picture, and the layout model sometimes calls a page of
/// columns one big figure (UNLV 8071: all 140 lines in one region, read across the columns).
/// A figure over most of a scanned page whose box is mostly covered by prose lines is text:
/// it is dropped and the text regions come from the lines.
pub fn drop_prose_figures_on_scans(found: &mut Vec<Detection>, lines: &[BBox], page_area: f32) {
    found.retain(|d| {
        if d.label != LayoutLabel::Figure || d.bbox.area() < 0.5 * page_area {
            return true;
        }
        let inside: Vec<&BBox> = lines.iter().filter(|l| l.intersection_area(&d.bbox) > 0.5 * l.area()).collect();
        let covered: f32 = inside.iter().map(|l| l.area()).sum();
        !(inside.len() >= MIN_PROSE_LINES && covered >= 0.25 * d.bbox.area())
    });
}

/// Lines from which a page-sized figure on a scan is prose.
const MIN_PROSE_LINES: usize = 20;

/// The figure classifier judges pixels, so it decides only for figures that are pictures (an
/// image object covers most of the box); a drawn figure is judged by the vector detector.
pub fn keep_picture_flowcharts(found: &mut [Detection], images: &[BBox]) {
    for d in found.iter_mut().filter(|d| d.label == LayoutLabel::Flowchart && d.source == RegionSource::Model) {
        if picture_part(&d.bbox, images).is_none() {
            d.label = LayoutLabel::Figure;
        }
    }
}

/// The part of a detected box that is a picture, if it is one: either an image fills most of
/// the box, or the (often loose) box holds most of an image that is a good share of it.
pub fn picture_part(bbox: &BBox, images: &[BBox]) -> Option<BBox> {
    images.iter().find_map(|i| {
        let inter = i.intersection_area(bbox);
        let holds_image = inter >= PICTURE_COVERAGE * i.area() && i.area() >= PICTURE_SHARE * bbox.area();
        (inter >= PICTURE_COVERAGE * bbox.area() || holds_image)
            .then(|| BBox::new(bbox.x0.max(i.x0), bbox.y0.max(i.y0), bbox.x1.min(i.x1), bbox.y1.min(i.y1)))
    })
}

/// What a figure's caption says it is, once captions are linked: "Figure 2. Treatment algorithm"
/// or "图1 诊疗流程图" make a figure a flowchart whatever its drawing looks like (tree diagrams
/// without boxes, colour-filled posters); a "Table 3" caption makes a figure the model saw in a
/// table of structure drawings a table.
pub fn retype_by_caption(regions: &mut [Region]) {
    let retypes: Vec<(usize, RegionKind)> = regions
        .iter()
        .filter(|c| c.kind == RegionKind::Caption && is_caption(&c.text))
        .filter_map(|caption| {
            let target = regions.iter().position(|r| Some(&r.id) == caption.caption_of.as_ref())?;
            let kind = regions[target].kind;
            let lower = caption.text.trim_start().to_lowercase();
            let says_table = is_table_caption(&caption.text);
            // Only the model's picture judgement is overruled; a drawing the vector detector
            // traced stays a flowchart whatever caption happens to sit nearest.
            let from_model = regions[target].source == RegionSource::Model;
            if says_table && from_model && matches!(kind, RegionKind::Figure | RegionKind::Flowchart) {
                Some((target, RegionKind::Table))
            } else if !says_table && kind == RegionKind::Figure && names_a_flowchart(&lower) {
                Some((target, RegionKind::Flowchart))
            } else {
                None
            }
        })
        .collect();
    for (i, kind) in retypes {
        regions[i].kind = kind;
    }
}

/// Caption wording for algorithms and pathways in English and Chinese (lower-cased text).
fn names_a_flowchart(caption: &str) -> bool {
    const WORDS: [&str; 9] =
        ["flow chart", "flowchart", "flow diagram", "algorithm", "pathway", "decision tree", "流程", "路径", "决策树"];
    WORDS.iter().any(|w| caption.contains(w))
}

/// Share of the figure box, or of the image, their overlap must reach for a picture.
const PICTURE_COVERAGE: f32 = 0.5;

/// A loose figure box that holds an image is a picture when the image is at least this share
/// of the box (a logo in the corner of a drawn page is not).
const PICTURE_SHARE: f32 = 0.25;

/// Separate boxes a picture must hold to be called a flowchart, and how many of them must be
/// drawn joined to another (measured on PAGES.tsv: raster flowcharts join 6 to 17 boxes; a row
/// of labelled boxes over a severity scale joins none).
const MIN_DRAWN_BOXES: usize = 4;
const MIN_JOINED_BOXES: usize = 3;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_of_prose_is_not_a_figure_on_a_scan() {
        let figure = |bbox| Detection {
            label: LayoutLabel::Figure,
            score: 0.9,
            bbox,
            source: RegionSource::Model,
            figure_type: None,
        };
        let page = BBox::new(0.0, 0.0, 600.0, 800.0);
        // Three columns of 40 lines, 12 pt high, 180 wide.
        let lines: Vec<BBox> = (0..120)
            .map(|i| {
                let (col, row) = ((i / 40) as f32, (i % 40) as f32);
                BBox::new(10.0 + 195.0 * col, 20.0 + 19.0 * row, 190.0 + 195.0 * col, 32.0 + 19.0 * row)
            })
            .collect();
        let mut found = vec![figure(page)];
        drop_prose_figures_on_scans(&mut found, &lines, page.area());
        assert!(found.is_empty());
        // A chart with a few labels stays a figure.
        let mut found = vec![figure(page)];
        drop_prose_figures_on_scans(&mut found, &lines[..8], page.area());
        assert_eq!(found.len(), 1);
    }

    fn region(id: &str, kind: RegionKind, text: &str, caption_of: Option<&str>) -> Region {
        Region {
            id: id.into(),
            kind,
            bbox: BBox::new(0.0, 0.0, 10.0, 10.0),
            confidence: 0.9,
            text: text.into(),
            source: RegionSource::Model,
            order: 0,
            font_size: None,
            lines: 0,
            caption_of: caption_of.map(Into::into),
            figure_type: None,
        }
    }

    #[test]
    fn captions_name_flowcharts_and_tables() {
        let mut regions = vec![
            region("a", RegionKind::Figure, "", None),
            region("b", RegionKind::Caption, "图 1 癌痛评估流程图", Some("a")),
            region("c", RegionKind::Flowchart, "", None),
            region("d", RegionKind::Caption, "Table 3 Summary of results", Some("c")),
            region("e", RegionKind::Figure, "", None),
            region("f", RegionKind::Caption, "Figure 5 Crystal structure", Some("e")),
        ];
        retype_by_caption(&mut regions);
        let kinds: Vec<RegionKind> = regions.iter().map(|r| r.kind).collect();
        assert_eq!(kinds[0], RegionKind::Flowchart);
        assert_eq!(kinds[2], RegionKind::Table);
        assert_eq!(kinds[4], RegionKind::Figure);
    }
}
