//! Layout detection: the seam to the ONNX models, and how their boxes are combined with the
//! text layer's blocks.
//!
//! A [`LayoutDetector`] sees a rendered page and returns [`Detection`]s. [`merge_detections`]
//! then turns them into regions: tables, figures and equations absorb the text blocks inside
//! them (captions stay out and are linked); text blocks take the kind of the model box that
//! holds them, unless the rules know better (lists, headings, footnotes the model has no class
//! for).

mod drawn_boxes;
mod figures;
mod merge;

pub use figures::{
    drop_prose_figures_on_scans, keep_picture_flowcharts, picture_part, retype_by_caption, type_figures,
};
pub use merge::{link_captions, merge_detections, split_blocks_at_tables};

use serde::{Deserialize, Serialize};

use crate::geometry::BBox;
use crate::model::{RegionKind, RegionSource};

/// Classes a layout model reports, before they are mapped to the contract's kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LayoutLabel {
    Text,
    Title,
    Figure,
    FigureCaption,
    Table,
    TableCaption,
    Header,
    Footer,
    Reference,
    Equation,
    List,
    Flowchart,
}

impl LayoutLabel {
    /// The contract kind a detection of this label becomes.
    pub fn region_kind(self) -> RegionKind {
        match self {
            Self::Text => RegionKind::Text,
            Self::Title => RegionKind::Heading,
            Self::Figure => RegionKind::Figure,
            Self::FigureCaption | Self::TableCaption => RegionKind::Caption,
            Self::Table => RegionKind::Table,
            Self::Header => RegionKind::Header,
            Self::Footer => RegionKind::Footer,
            Self::Reference => RegionKind::Reference,
            Self::Equation => RegionKind::Equation,
            Self::List => RegionKind::List,
            Self::Flowchart => RegionKind::Flowchart,
        }
    }

    /// Labels whose boxes hold non-text content that absorbs the text inside.
    pub fn is_container(self) -> bool {
        matches!(self, Self::Figure | Self::Table | Self::Equation | Self::Flowchart)
    }
}

/// One box found by a layout model, in the pixels of the image it was given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Detection {
    pub label: LayoutLabel,
    pub score: f32,
    pub bbox: BBox,
    /// What found it: the layout model, or the page's vector drawing.
    pub source: RegionSource,
    /// For figures: the figure classifier's class and probability.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub figure_type: Option<(FigureClass, f32)>,
}

/// Why layout detection failed on a page.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("layout model failed: {0}")]
pub struct LayoutError(pub String);

/// A layout model. Implementations live outside this crate (`clinex-layout-model`).
pub trait LayoutDetector: Send + Sync {
    /// The pixel size the model wants pages rendered at (the page is stretched to it).
    fn input_size(&self) -> (u32, u32);
    /// Detects regions on one rendered page.
    fn detect(&self, page: &image::RgbImage) -> Result<Vec<Detection>, LayoutError>;
    /// Short name for provenance, e.g. `picodet-cdla`.
    fn name(&self) -> &str;
}

/// Combines the model's boxes with flowcharts found in the vector drawing: a model `figure`
/// holding a vector flowchart becomes a flowchart; a vector flowchart the model missed is added.
pub fn reconcile_vector_flowcharts(mut model: Vec<Detection>, vector: Vec<Detection>) -> Vec<Detection> {
    for chart in vector {
        let smaller = |a: &BBox, b: &BBox| a.area().min(b.area()).max(1e-3);
        let figure = model.iter_mut().find(|d| {
            matches!(d.label, LayoutLabel::Figure | LayoutLabel::Flowchart)
                && d.bbox.overlap_x(&chart.bbox) * d.bbox.overlap_y(&chart.bbox) > 0.5 * smaller(&d.bbox, &chart.bbox)
        });
        match figure {
            Some(d) => {
                // The drawing decided the kind, so the region is the drawing's.
                d.label = LayoutLabel::Flowchart;
                d.bbox = d.bbox.union(&chart.bbox);
                d.score = d.score.max(chart.score);
                d.source = RegionSource::Vector;
            }
            None => model.push(chart),
        }
    }
    model
}

/// What a figure shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FigureClass {
    Flowchart,
    Chart,
    Table,
    Other,
}

/// Tells flowcharts from other figures on a crop of the rendered page.
pub trait FigureClassifier: Send + Sync {
    /// The class and its probability.
    fn classify(&self, crop: &image::RgbImage) -> Result<(FigureClass, f32), LayoutError>;
}

/// Maps detections from image pixels to page points.
pub fn to_page_points(detections: Vec<Detection>, image: (u32, u32), page: (f32, f32)) -> Vec<Detection> {
    let sx = page.0 / image.0.max(1) as f32;
    let sy = page.1 / image.1.max(1) as f32;
    detections
        .into_iter()
        .map(|d| Detection { bbox: BBox::new(d.bbox.x0 * sx, d.bbox.y0 * sy, d.bbox.x1 * sx, d.bbox.y1 * sy), ..d })
        .collect()
}
