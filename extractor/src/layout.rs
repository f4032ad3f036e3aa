//! Layout detection's seam: what a layout model and a figure classifier are asked to do, and
//! the boxes they answer with. The models themselves live outside this crate
//! (`clinex-layout-model`); how their boxes become regions is the region stage
//! ([`crate::regions`]).

use serde::{Deserialize, Serialize};

use crate::geometry::BBox;
pub use crate::model::FigureClass;
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
