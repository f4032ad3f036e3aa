//! docling-eval's CVAT layout annotations: `case_02` (PDFs, the whole pipeline) and `case_03`
//! (page images, the layout model alone).

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use extractor::geometry::BBox;
use extractor::layout::{LayoutDetector, LayoutLabel};
use extractor::model::RegionKind;
use extractor::{Engines, Options, extract_with};

use super::layout::counts_table;
use super::metrics::{Counts, match_page};

/// One annotated image: its name, pixel size and boxes (label, box in pixels).
struct Annotated {
    name: String,
    width: f32,
    height: f32,
    boxes: Vec<(String, BBox)>,
}

/// The scored class of a CVAT label; relation and form labels are not layout.
fn cvat_class(label: &str) -> Option<&'static str> {
    Some(match label {
        "text" => "text",
        "section_header" => "heading",
        "title" => "title",
        "list_item" => "list",
        "picture" | "chart" => "figure",
        "table" => "table",
        "caption" => "caption",
        "footnote" => "footnote",
        "formula" => "equation",
        "page_header" => "header",
        "page_footer" => "footer",
        _ => return None,
    })
}

fn region_class(kind: RegionKind) -> &'static str {
    match kind {
        RegionKind::Title => "title",
        RegionKind::Heading => "heading",
        RegionKind::Text | RegionKind::Reference => "text",
        RegionKind::List => "list",
        RegionKind::Table => "table",
        RegionKind::Flowchart | RegionKind::Figure => "figure",
        RegionKind::Caption => "caption",
        RegionKind::Header => "header",
        RegionKind::Footer => "footer",
        RegionKind::Footnote => "footnote",
        RegionKind::Equation => "equation",
    }
}

fn label_class(label: LayoutLabel) -> Option<&'static str> {
    Some(match label {
        LayoutLabel::Text | LayoutLabel::Reference => "text",
        LayoutLabel::Title => "heading",
        LayoutLabel::Figure | LayoutLabel::Flowchart => "figure",
        LayoutLabel::FigureCaption | LayoutLabel::TableCaption => "caption",
        LayoutLabel::Table => "table",
        LayoutLabel::Header => "header",
        LayoutLabel::Footer => "footer",
        LayoutLabel::Equation => "equation",
        LayoutLabel::List => "list",
    })
}

fn read_cvat(path: &Path) -> anyhow::Result<Vec<Annotated>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let doc = roxmltree::Document::parse(&text).context("CVAT XML does not parse")?;
    let num = |n: roxmltree::Node, a: &str| n.attribute(a).and_then(|v| v.parse::<f32>().ok()).unwrap_or(0.0);
    Ok(doc
        .descendants()
        .filter(|n| n.has_tag_name("image"))
        .map(|image| Annotated {
            name: image.attribute("name").unwrap_or_default().to_string(),
            width: num(image, "width"),
            height: num(image, "height"),
            boxes: image
                .children()
                .filter(|b| b.has_tag_name("box"))
                .filter_map(|b| {
                    let class = cvat_class(b.attribute("label")?)?;
                    Some((class.to_string(), BBox::new(num(b, "xtl"), num(b, "ytl"), num(b, "xbr"), num(b, "ybr"))))
                })
                .collect(),
        })
        .collect())
}

/// case_02: each image shows the pages of one PDF side by side; the PDF runs through clinex.
pub fn pdf_case(engines: Engines<'_>, dir: &Path) -> anyhow::Result<(String, u32)> {
    let mut totals: BTreeMap<String, Counts> = BTreeMap::new();
    let mut pages_scored = 0;
    for image in read_cvat(&dir.join("case_02_annotations.xml"))? {
        // doc_<sha>_page_000001.png -> <sha>.pdf
        let sha = image.name.trim_start_matches("doc_").split("_page_").next().unwrap_or_default();
        let pdf = dir.join("case_02").join(format!("{sha}.pdf"));
        let bytes = std::fs::read(&pdf).with_context(|| format!("cannot read {}", pdf.display()))?;
        let doc = extract_with(&bytes, &Options::default(), engines).map_err(|e| anyhow::anyhow!("{sha}: {e}"))?;
        let Some(first) = doc.pages.first() else { continue };
        // The image is the pages laid side by side at one scale.
        let scale = image.height / first.height;
        let page_px = first.width * scale;
        for page in &doc.pages {
            let left = (page.number - 1) as f32 * page_px;
            if left >= image.width {
                break;
            }
            pages_scored += 1;
            let truth: Vec<(String, BBox)> = image
                .boxes
                .iter()
                .filter(|(_, b)| b.x0 >= left - 1.0 && b.x1 <= left + page_px + 1.0)
                .map(|(c, b)| {
                    (c.clone(), BBox::new((b.x0 - left) / scale, b.y0 / scale, (b.x1 - left) / scale, b.y1 / scale))
                })
                .collect();
            let predicted: Vec<(String, f32, BBox)> =
                page.regions.iter().map(|r| (region_class(r.kind).to_string(), r.confidence, r.bbox)).collect();
            for (class, c) in match_page(&predicted, &truth, 0.5) {
                totals.entry(class).or_default().add(c);
            }
        }
    }
    Ok((counts_table(&totals), pages_scored))
}

/// case_03: page images; the layout model alone.
pub fn image_case(detector: &dyn LayoutDetector, dir: &Path) -> anyhow::Result<(String, u32)> {
    let mut totals: BTreeMap<String, Counts> = BTreeMap::new();
    let mut pages = 0;
    for image in read_cvat(&dir.join("case_03_annotations.xml"))? {
        let path = dir.join("case_03").join(&image.name);
        let Ok(picture) = image::open(&path) else { continue };
        pages += 1;
        let found = detector.detect(&picture.to_rgb8()).map_err(|e| anyhow::anyhow!("{e}"))?;
        let predicted: Vec<(String, f32, BBox)> =
            found.into_iter().filter_map(|d| label_class(d.label).map(|c| (c.to_string(), d.score, d.bbox))).collect();
        for (class, c) in match_page(&predicted, &image.boxes, 0.5) {
            totals.entry(class).or_default().add(c);
        }
    }
    Ok((counts_table(&totals), pages))
}
