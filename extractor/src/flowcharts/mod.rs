//! Flowchart regions to graphs (the contract's `flowcharts`): drawn in vectors, from the page's
//! path objects and glyphs (`vector::graph`). Charts drawn as pictures keep their region and
//! text; their graphs come from pixels.

mod export;
mod fhir;
pub mod pixels;
pub(crate) mod raster;

pub use export::{to_dot, to_mermaid};
pub use fhir::to_plan_definition;

use crate::geometry::BBox;
use crate::layout::picture_part;
use crate::model::{Flowchart, Region, RegionKind};
use crate::pdf::RawChar;
use crate::vector::Primitives;
use crate::vector::graph::recover_graph;

/// A box no wire reaches, in a chart whose steps are wired, is a note (a legend, a list of
/// abbreviations, a remark), not a step.
fn mark_notes(nodes: &mut [crate::model::Node], edges: &[crate::model::Edge]) {
    if edges.len() < 2 {
        return;
    }
    for n in nodes.iter_mut() {
        if !edges.iter().any(|e| e.source == n.id || e.target == n.id) {
            n.shape = crate::model::NodeShape::Note;
        }
    }
}

/// The share of the smaller box that two boxes have in common.
fn overlap(a: &BBox, b: &BBox) -> f32 {
    a.overlap_x(b) * a.overlap_y(b) / a.area().min(b.area()).max(1e-3)
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
    pub nodes: Vec<crate::model::Node>,
    pub edges: Vec<crate::model::Edge>,
}

/// The page's flowchart regions as graphs, ids continuing from `first` (`f1`, `f2`, ...).
pub fn page_flowcharts(
    page: u32,
    regions: &[Region],
    ink: Option<&FlowchartInk>,
    picture_graphs: &[PictureGraph],
    pictures: &[BBox],
    size: (f32, f32),
    first: usize,
) -> Vec<Flowchart> {
    let mut out = Vec::new();
    for region in regions.iter().filter(|r| r.kind == RegionKind::Flowchart) {
        let caption =
            regions.iter().find(|c| c.caption_of.as_deref() == Some(region.id.as_str())).map(|c| c.text.clone());
        // The drawing decides when it holds the chart's steps (a vector chart may lie over a
        // background picture); otherwise the chart is a picture.
        let (mut nodes, mut edges) = match ink {
            Some(ink) => recover_graph(&region.bbox, &ink.drawing, &ink.chars, size),
            None => (Vec::new(), Vec::new()),
        };
        // Otherwise the graph read from the picture that lies in the region.
        let picture = picture_graphs
            .iter()
            .filter(|g| overlap(&g.bbox, &region.bbox) > 0.5)
            .max_by(|a, b| overlap(&a.bbox, &region.bbox).total_cmp(&overlap(&b.bbox, &region.bbox)));
        // The drawing wins when it wires its steps; a picture's graph otherwise.
        let from_pixels = edges.is_empty() && picture.is_some_and(|g| !g.nodes.is_empty());
        if let Some(g) = picture.filter(|_| from_pixels) {
            (nodes, edges) = (g.nodes.clone(), g.edges.clone());
        }
        let raster = from_pixels || (nodes.is_empty() && picture_part(&region.bbox, pictures).is_some());
        mark_notes(&mut nodes, &edges);
        out.push(Flowchart {
            id: format!("f{}", first + out.len() + 1),
            page,
            bbox: region.bbox,
            caption,
            raster,
            nodes,
            edges,
            region: Some(region.id.clone()),
        });
    }
    out
}
