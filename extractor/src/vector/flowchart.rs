//! Finding vector flowcharts: text-bearing shapes joined by connectors or arrowheads.
//!
//! A table's cells are boxes with text too; they tile (touching, with nothing drawn between
//! them), while a flowchart's boxes stand apart and are joined by lines ending in arrowheads.

use super::shapes::{Primitives, Shape, dist};
use crate::geometry::BBox;
use crate::layout::{Detection, LayoutLabel};
use crate::model::RegionSource;
use crate::union_find::DisjointSets;

/// How close a line's end must come to a box to count as touching it, in points.
const TOUCH: f32 = 6.0;

fn near_box(p: (f32, f32), b: &BBox) -> bool {
    b.distance_to(p) <= TOUCH
}

/// The point halfway along a connector.
fn midpoint(c: &super::shapes::Connector) -> (f32, f32) {
    let half = c.length() / 2.0;
    let mut walked = 0.0;
    for w in c.points.windows(2) {
        let d = dist(w[0], w[1]);
        if walked + d >= half && d > 0.0 {
            let t = (half - walked) / d;
            return (w[0].0 + t * (w[1].0 - w[0].0), w[0].1 + t * (w[1].1 - w[0].1));
        }
        walked += d;
    }
    c.start()
}

/// Inside a box or within 2 pt of it.
fn within_box(p: (f32, f32), b: &BBox) -> bool {
    p.0 >= b.x0 - 2.0 && p.0 <= b.x1 + 2.0 && p.1 >= b.y0 - 2.0 && p.1 <= b.y1 + 2.0
}

fn holds_text(shape: &Shape, text_boxes: &[BBox]) -> bool {
    text_boxes.iter().any(|t| shape.bbox.holds_centre_of(t))
}

/// Two boxes that share an edge or a thin gutter (table cells) rather than stand apart: a
/// flowchart leaves room for an arrow between its boxes.
fn touching(a: &BBox, b: &BBox) -> bool {
    let gap_x = (a.x0 - b.x1).max(b.x0 - a.x1);
    let gap_y = (a.y0 - b.y1).max(b.y0 - a.y1);
    (gap_x.abs() < 4.0 && a.overlap_y(b) > 2.0) || (gap_y.abs() < 4.0 && a.overlap_x(b) > 2.0)
}

/// Text-bearing shapes as steps: a fill and an outline drawn as two shapes of one size are one
/// step; a panel or swimlane that holds other boxes is background, not a step. Largest first.
pub fn distinct_steps(mut shapes: Vec<&Shape>) -> Vec<&Shape> {
    shapes.sort_by(|a, b| b.bbox.area().total_cmp(&a.bbox.area()));
    let within = |inner: &BBox, outer: &BBox| inner.intersection_area(outer) > 0.8 * inner.area();
    let mut kept: Vec<&Shape> = Vec::new();
    for (i, n) in shapes.iter().enumerate() {
        let duplicate = kept.iter().any(|k| within(&n.bbox, &k.bbox) && n.bbox.area() > 0.6 * k.bbox.area());
        let panel =
            shapes[i + 1..].iter().filter(|m| within(&m.bbox, &n.bbox) && m.bbox.area() < 0.6 * n.bbox.area()).count()
                >= 2;
        if !duplicate && !panel {
            kept.push(n);
        }
    }
    kept
}

/// Flowcharts drawn as vectors on one page, as detections in page points.
pub fn detect_flowcharts(prims: &Primitives, text_boxes: &[BBox]) -> Vec<Detection> {
    // Nodes: shapes with text inside. A fill and an outline drawn as two shapes of one size are
    // one node; a panel or swimlane that holds other boxes is background, not a node.
    let nodes = distinct_steps(prims.shapes.iter().filter(|s| holds_text(s, text_boxes)).collect());
    if nodes.len() < 3 {
        return Vec::new();
    }
    let n = nodes.len();
    let mut sets = DisjointSets::new(n);
    let mut links = vec![0u32; n];
    let mut extent: Vec<BBox> = nodes.iter().map(|s| s.bbox).collect();
    // Connectors that run from one node to another join them.
    for c in &prims.connectors {
        // A connector crosses open space between boxes; a table's rules run along its cells.
        if c.length() < 4.0 || nodes.iter().any(|s| within_box(midpoint(c), &s.bbox)) {
            continue;
        }
        let touching_nodes: Vec<usize> = (0..n)
            .filter(|&i| c.points.iter().any(|&p| near_box(p, &nodes[i].bbox)))
            .filter(|&i| near_box(c.start(), &nodes[i].bbox) || near_box(c.end(), &nodes[i].bbox))
            .collect();
        if touching_nodes.len() >= 2 {
            for &i in &touching_nodes[1..] {
                sets.union(touching_nodes[0], i);
            }
            for &i in &touching_nodes {
                links[i] += 1;
            }
            let cb = BBox::union_all(c.points.iter().map(|&(x, y)| BBox::new(x, y, x, y)).collect::<Vec<_>>().iter());
            if let Some(cb) = cb {
                extent[touching_nodes[0]] = extent[touching_nodes[0]].union(&cb);
            }
        }
    }
    // Arrowheads whose tip touches a node.
    let mut heads = vec![0u32; n];
    for a in &prims.arrowheads {
        if let Some(i) = (0..n).find(|&i| near_box(a.tip, &nodes[i].bbox)) {
            heads[i] += 1;
        }
    }
    // Connectors that end in an arrowhead but whose start floats near no node (the edge leaves
    // a node's side and bends): join by the nearest node to the start.
    for c in &prims.connectors {
        let ends_in_head =
            prims.arrowheads.iter().any(|a| dist(a.tip, c.end()) < 10.0 || dist(a.tip, c.start()) < 10.0);
        if !ends_in_head {
            continue;
        }
        let mut touched: Vec<usize> =
            (0..n).filter(|&i| c.points.iter().any(|&p| near_box(p, &nodes[i].bbox))).collect();
        touched.dedup();
        if touched.len() >= 2 {
            for &i in &touched[1..] {
                sets.union(touched[0], i);
            }
        }
    }

    // Boxes close together belong to one drawing even where its arrows are drawn in ways the
    // connector test does not see (block arrows, lines split at every bend).
    for i in 0..n {
        for j in i + 1..n {
            let (a, b) = (&nodes[i].bbox, &nodes[j].bbox);
            let gap_x = (a.x0 - b.x1).max(b.x0 - a.x1);
            let gap_y = (a.y0 - b.y1).max(b.y0 - a.y1);
            let aligned = (gap_x <= 0.0 && gap_y <= 40.0) || (gap_y <= 0.0 && gap_x <= 40.0);
            if aligned && !touching(a, b) {
                sets.union(i, j);
            }
        }
    }
    let mut out = Vec::new();
    for members in &sets.groups() {
        if members.len() < 3 {
            continue;
        }
        let link_count: u32 = members.iter().map(|&i| links[i]).sum::<u32>() / 2;
        let head_count: u32 = members.iter().map(|&i| heads[i]).sum();
        // Tiled boxes are a table, not a flowchart: a table's cells each touch a neighbour or two.
        let touching_pairs = members
            .iter()
            .enumerate()
            .flat_map(|(k, &i)| members[k + 1..].iter().map(move |&j| (i, j)))
            .filter(|&(i, j)| touching(&nodes[i].bbox, &nodes[j].bbox))
            .count();
        // (A neat flowchart aligns its boxes in rows and columns too, so alignment alone says
        // nothing; the gaps between them do.)
        let tiled = touching_pairs * 2 >= members.len();
        tracing::debug!(
            members = members.len(),
            link_count,
            head_count,
            touching_pairs,
            arrowheads = prims.arrowheads.len(),
            connectors = prims.connectors.len(),
            "vector flowchart candidate"
        );
        // Arrowheads pointing at boxes are required: boxes joined by plain lines are too often a
        // table whose rules run between cell fills (measured on the NICE methods tables).
        // And the arrows must be the drawing's own, not a stray pair beside a form of boxes
        // (a checklist page with one small flow at its foot): a flowchart has about one edge per
        // box (measured on PAGES.tsv: 0.76 to 1.7 per box; a checklist page 0.19).
        let sparse = 2 * (link_count + head_count) < members.len() as u32;
        if tiled || head_count < 2 || sparse {
            continue;
        }
        let Some(mut bbox) = BBox::union_all(members.iter().map(|&i| &extent[i])) else {
            continue;
        };
        // Edge labels and arrowheads just outside the boxes belong to the chart.
        for a in &prims.arrowheads {
            if near_box(a.tip, &bbox) {
                bbox = bbox.union(&a.bbox);
            }
        }
        let evidence = link_count + head_count;
        let score = (0.6 + 0.03 * evidence as f32 + 0.02 * members.len() as f32).min(0.99);
        out.push(Detection {
            label: LayoutLabel::Flowchart,
            score,
            bbox,
            source: RegionSource::Vector,
            figure_type: None,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vector::shapes::{Arrowhead, Connector, ShapeKind};

    fn shape(x0: f32, y0: f32, x1: f32, y1: f32) -> Shape {
        Shape { kind: ShapeKind::Rectangle, bbox: BBox::new(x0, y0, x1, y1), filled: false, stroked: true }
    }

    fn label(x: f32, y: f32) -> BBox {
        BBox::new(x - 10.0, y - 4.0, x + 10.0, y + 4.0)
    }

    #[test]
    fn three_boxes_joined_by_arrows_are_a_flowchart() {
        let prims = Primitives {
            shapes: vec![
                shape(100.0, 100.0, 200.0, 130.0),
                shape(100.0, 180.0, 200.0, 210.0),
                shape(100.0, 260.0, 200.0, 290.0),
            ],
            connectors: vec![
                Connector { points: vec![(150.0, 130.0), (150.0, 174.0)] },
                Connector { points: vec![(150.0, 210.0), (150.0, 254.0)] },
            ],
            arrowheads: vec![
                Arrowhead { bbox: BBox::new(146.0, 173.0, 154.0, 180.0), tip: (150.0, 180.0) },
                Arrowhead { bbox: BBox::new(146.0, 253.0, 154.0, 260.0), tip: (150.0, 260.0) },
            ],
        };
        let texts = [label(150.0, 115.0), label(150.0, 195.0), label(150.0, 275.0)];
        let found = detect_flowcharts(&prims, &texts);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].label, LayoutLabel::Flowchart);
        assert!(found[0].bbox.y0 <= 100.0 && found[0].bbox.y1 >= 290.0);
    }

    #[test]
    fn a_ruled_table_is_not_a_flowchart() {
        let mut shapes = Vec::new();
        let mut texts = Vec::new();
        for r in 0..3 {
            for c in 0..3 {
                let (x, y) = (100.0 + 80.0 * c as f32, 100.0 + 20.0 * r as f32);
                shapes.push(shape(x, y, x + 80.0, y + 20.0));
                texts.push(label(x + 40.0, y + 10.0));
            }
        }
        let prims = Primitives { shapes, connectors: vec![], arrowheads: vec![] };
        assert!(detect_flowcharts(&prims, &texts).is_empty());
    }
}
