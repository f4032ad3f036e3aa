//! What the pipeline keeps of one page between reading it and making its regions final: its
//! blocks, the layout model's boxes, and the ink its tables and flowcharts are rebuilt from.
//!
//! The page stages (OCR of pictures in [`crate::scan`], picture graphs in
//! [`crate::flowcharts`]) read and extend this state; the pipeline owns it.

use crate::geometry::BBox;
use crate::layout::Detection;
use crate::model::{Edge, Node};
use crate::pdf::{RawAnnotation, RawChar};
use crate::tables::TableInk;
use crate::text::PageBlocks;
use crate::vector::Primitives;

/// A page read and cut into blocks, with the layout model's boxes when one ran.
pub struct PageState {
    pub blocks: PageBlocks,
    /// Detections in page points; `None` when no model ran on the page.
    pub detections: Option<Vec<Detection>>,
    /// Glyphs and rules around the page's tables, kept for their cell structure.
    pub table_ink: Option<TableInk>,
    /// The page's text came from OCR.
    pub scanned: bool,
    /// Boxes of the images drawn on the page.
    pub pictures: Vec<BBox>,
    /// Drawing and glyphs kept for flowchart graphs, on pages with a flowchart.
    pub flowchart_ink: Option<FlowchartInk>,
    /// Graphs read from the pixels of flowcharts drawn as pictures (page points).
    pub picture_graphs: Vec<PictureGraph>,
    /// Boxes of charts drawn with their words as outlines, read by OCR like pictures.
    pub outlined_drawings: Vec<BBox>,
    /// Text of the page's form fields and notes.
    pub annotations: Vec<RawAnnotation>,
}

impl PageState {
    /// The page's size in points, as displayed.
    pub fn size(&self) -> (f32, f32) {
        (self.blocks.width, self.blocks.height)
    }
}

/// What a page keeps for its flowcharts' graphs: its drawing and its glyphs.
#[derive(Debug, Clone, Default)]
pub struct FlowchartInk {
    pub drawing: Primitives,
    pub chars: Vec<RawChar>,
}

/// A graph read from a picture's pixels, in page points.
#[derive(Debug, Clone, PartialEq)]
pub struct PictureGraph {
    pub bbox: BBox,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}
