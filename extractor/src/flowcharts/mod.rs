//! Flowchart regions to graphs (the contract's `flowcharts`): drawn in vectors, from the page's
//! path objects and glyphs ([`vector_graph`]); drawn as pictures, from their pixels and OCR
//! glyphs ([`pixels`], [`raster`]). Exports: DOT, Mermaid and FHIR PlanDefinitions.

mod export;
mod fhir;
mod ink;
mod picture;
pub mod pixels;
pub mod raster;
pub mod vector_graph;

pub use export::{to_dot, to_mermaid};
pub use fhir::to_plan_definition;
pub use raster::{drawn_without_text, read_picture_graphs};

use crate::model::{Flowchart, Region, RegionKind};
use crate::page_state::PageState;
use crate::regions::picture_part;
use vector_graph::recover_graph;

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

/// The page's flowchart regions as graphs, ids continuing from `first` (`f1`, `f2`, ...).
pub fn page_flowcharts(page: u32, regions: &[Region], state: &PageState, first: usize) -> Vec<Flowchart> {
    let (ink, picture_graphs, pictures, size) =
        (state.flowchart_ink.as_ref(), &state.picture_graphs, &state.pictures, state.size());
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
            .filter(|g| g.bbox.overlap_of_smaller(&region.bbox) > 0.5)
            .max_by(|a, b| a.bbox.overlap_of_smaller(&region.bbox).total_cmp(&b.bbox.overlap_of_smaller(&region.bbox)));
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
