//! A vector flowchart's graph: its steps are the text-bearing shapes in the chart's area, its
//! edges the drawn wires between them. A wire is every connector that touches another (a line
//! that bends, merges into another or branches off it is one wire); the ends of a wire with an
//! arrowhead are edge targets, the other ends sources. Text outside the steps labels the wire
//! piece it sits next to ("Yes", "是", a condition).

use crate::geometry::{BBox, segment_distance, sort_in_rows};
use crate::model::{Edge, Node, NodeShape};
use crate::pdf::RawChar;
use crate::text::{build_lines, text_of_glyphs};
use crate::union_find::DisjointSets;
use crate::vector::distinct_steps;
use crate::vector::shapes::{Connector, Primitives, Shape, ShapeKind, dist};

/// How far a wire's end may stop short of a step's outline (points).
const TOUCH: f32 = 6.0;
/// How far a connector's end may stop short of another connector to join it.
const JOIN: f32 = 2.5;
/// How far an arrowhead may sit from the connector end it caps.
const HEAD_REACH: f32 = 10.0;
/// How far a wire's end that touches no step may point across open space to the step it
/// reaches (an arrow drawn floating between two boxes; points).
const AIM_REACH: f32 = 24.0;
/// Labels longer than this are prose, not edge labels.
const MAX_LABEL_CHARS: usize = 60;

/// The nodes and edges of the flowchart drawn in `area`, with node ids `n1`, `n2`, ... in
/// reading order (top to bottom, then left to right).
pub fn recover_graph(area: &BBox, prims: &Primitives, chars: &[RawChar], page: (f32, f32)) -> (Vec<Node>, Vec<Edge>) {
    let inside = |b: &BBox| {
        let (cx, cy) = ((b.x0 + b.x1) / 2.0, b.center_y());
        cx >= area.x0 - 2.0 && cx <= area.x1 + 2.0 && cy >= area.y0 - 2.0 && cy <= area.y1 + 2.0
    };
    let chars: Vec<&RawChar> = chars.iter().filter(|c| !c.ch.is_whitespace() && inside(&c.bbox)).collect();
    let mut steps = step_shapes(prims.shapes.iter().filter(|s| inside(&s.bbox)).collect(), &chars);
    // A tree of labels without boxes (common in Chinese guidelines: brackets and arrows from
    // one phrase to the next): its text lines are the steps.
    let text_steps: Vec<Shape> = if steps.len() < 2 {
        let owned: Vec<RawChar> = chars.iter().map(|c| (*c).clone()).collect();
        build_lines(&owned, page)
            .into_iter()
            .map(|l| Shape { kind: ShapeKind::Other, bbox: grow(&l.bbox, 1.0), filled: false, stroked: false })
            .collect()
    } else {
        Vec::new()
    };
    if !text_steps.is_empty() {
        steps = text_steps.iter().collect();
        sort_in_rows(&mut steps, 4.0, |s| s.bbox);
    }

    // Each glyph belongs to the smallest step holding its centre; the rest may be labels.
    let mut owned: Vec<Vec<RawChar>> = vec![Vec::new(); steps.len()];
    let mut loose: Vec<RawChar> = Vec::new();
    for c in &chars {
        let holder = steps
            .iter()
            .enumerate()
            .filter(|(_, s)| s.bbox.holds_centre_of(&c.bbox))
            .min_by(|a, b| a.1.bbox.area().total_cmp(&b.1.bbox.area()));
        match holder {
            Some((k, _)) => owned[k].push((*c).clone()),
            None => loose.push((*c).clone()),
        }
    }
    let nodes: Vec<Node> = steps
        .iter()
        .zip(&owned)
        .enumerate()
        .map(|(k, (s, mine))| Node {
            id: format!("n{}", k + 1),
            text: text_of_glyphs(mine, page),
            shape: node_shape(s.kind),
            bbox: s.bbox,
        })
        .collect();

    let connectors: Vec<&Connector> = prims
        .connectors
        .iter()
        .filter(|c| c.length() >= 4.0)
        .filter(|c| c.points.iter().any(|&(x, y)| inside(&BBox::new(x, y, x, y))))
        // A line inside a step (an underline, a divider) is not a wire.
        .filter(|c| !steps.iter().any(|s| c.points.iter().all(|&p| strictly_within(p, &s.bbox))))
        .collect();
    let wires = group_wires(&connectors);
    tracing::debug!(
        steps = steps.len(),
        text_steps = text_steps.len(),
        connectors = connectors.len(),
        wires = wires.len(),
        arrowheads = prims.arrowheads.len(),
        "vector graph"
    );
    let labels = label_lines(&loose, page);

    let mut edges: Vec<Edge> = Vec::new();
    for wire in &wires {
        let mut sources: Vec<usize> = Vec::new();
        // (target step, connector that reaches it)
        let mut targets: Vec<(usize, usize)> = Vec::new();
        let mut plain: Vec<(usize, usize)> = Vec::new();
        for &ci in wire {
            let c = connectors[ci];
            for (end, other) in [(c.start(), c.end()), (c.end(), c.start())] {
                if wire.iter().any(|&cj| cj != ci && near_polyline(end, &connectors[cj].points) <= JOIN) {
                    continue; // joins the rest of the wire, not a step
                }
                let headed = prims
                    .arrowheads
                    .iter()
                    .any(|a| dist(a.tip, end) <= HEAD_REACH && dist(a.tip, other) > dist(a.tip, end));
                let tip = prims.arrowheads.iter().filter(|a| dist(a.tip, end) <= HEAD_REACH).map(|a| a.tip).next();
                let touch_point = if headed { tip.unwrap_or(end) } else { end };
                let inward = if end == c.end() { c.points[c.points.len() - 2] } else { c.points[1] };
                // (A barb of an arrowhead drawn as two strokes aims nowhere: too short.)
                let aim = (c.length() >= 10.0).then(|| aimed_step(touch_point, inward, &steps, c.length())).flatten();
                let Some(step) = nearest_step(touch_point, &steps).or(aim) else {
                    continue;
                };
                if headed {
                    targets.push((step, ci));
                } else {
                    plain.push((step, ci));
                }
            }
        }
        // An arrowhead drawn straight on a wire, without a line of its own (the ticks of a
        // bracket), also points at a target.
        for a in &prims.arrowheads {
            let capped =
                connectors.iter().any(|c| dist(a.tip, c.start()) <= HEAD_REACH || dist(a.tip, c.end()) <= HEAD_REACH);
            if capped {
                continue;
            }
            let (cx, cy) = ((a.bbox.x0 + a.bbox.x1) / 2.0, a.bbox.center_y());
            let size = a.bbox.width().max(a.bbox.height());
            let on_wire = wire
                .iter()
                .map(|&ci| (ci, near_polyline((cx, cy), &connectors[ci].points)))
                .filter(|&(_, d)| d <= size)
                .min_by(|x, y| x.1.total_cmp(&y.1));
            if let (Some((ci, _)), Some(step)) = (on_wire, nearest_step(a.tip, &steps)) {
                targets.push((step, ci));
            }
        }
        sources.extend(plain.iter().map(|p| p.0));
        if targets.is_empty() && plain.len() == 2 {
            // No arrowheads: the flow runs down the page, then to the right.
            let (a, b) = (plain[0], plain[1]);
            let (sa, sb) = (&steps[a.0].bbox, &steps[b.0].bbox);
            let a_first = (sa.center_y(), sa.x0) < (sb.center_y(), sb.x0);
            let (from, to) = if a_first { (a, b) } else { (b, a) };
            sources = vec![from.0];
            targets = vec![to];
        }
        sources.sort_unstable();
        sources.dedup();
        for &(target, via) in &targets {
            for &source in &sources {
                if source == target
                    || edges.iter().any(|e| e.source == nodes[source].id && e.target == nodes[target].id)
                {
                    continue;
                }
                let label = edge_label(&labels, wire, via, &connectors, targets.len());
                edges.push(Edge { source: nodes[source].id.clone(), target: nodes[target].id.clone(), label });
            }
        }
    }
    if !text_steps.is_empty() && edges.is_empty() {
        // Lines of text with no wires between them are not a chart.
        return (Vec::new(), Vec::new());
    }
    (nodes, edges)
}

/// The steps: text-bearing shapes, one per drawn box (`distinct_steps`), in reading order.
fn step_shapes<'a>(shapes: Vec<&'a Shape>, chars: &[&RawChar]) -> Vec<&'a Shape> {
    let mut kept =
        distinct_steps(shapes.into_iter().filter(|s| chars.iter().any(|c| s.bbox.holds_centre_of(&c.bbox))).collect());
    sort_in_rows(&mut kept, 4.0, |s| s.bbox);
    kept
}

fn grow(b: &BBox, by: f32) -> BBox {
    BBox::new(b.x0 - by, b.y0 - by, b.x1 + by, b.y1 + by)
}

fn strictly_within(p: (f32, f32), b: &BBox) -> bool {
    p.0 > b.x0 + 1.0 && p.0 < b.x1 - 1.0 && p.1 > b.y0 + 1.0 && p.1 < b.y1 - 1.0
}

fn node_shape(kind: ShapeKind) -> NodeShape {
    match kind {
        ShapeKind::Rectangle => NodeShape::Process,
        ShapeKind::Rounded => NodeShape::Terminal,
        ShapeKind::Diamond => NodeShape::Decision,
        ShapeKind::Parallelogram => NodeShape::Data,
        // A hexagon is the "preparation" step; the contract has no such shape.
        ShapeKind::Hexagon => NodeShape::Process,
        ShapeKind::Other => NodeShape::Other,
    }
}

/// The step whose outline a point touches (the nearest within reach).
fn nearest_step(p: (f32, f32), steps: &[&Shape]) -> Option<usize> {
    steps
        .iter()
        .enumerate()
        .map(|(k, s)| (k, s.bbox.distance_to(p)))
        .filter(|&(_, d)| d <= TOUCH)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(k, _)| k)
}

/// The step a wire's loose end points at: the first one hit going on from `end` the way the
/// wire's last piece runs (from `inward`), within [`AIM_REACH`] and no farther than the
/// connector is long.
fn aimed_step(end: (f32, f32), inward: (f32, f32), steps: &[&Shape], length: f32) -> Option<usize> {
    let (dx, dy) = (end.0 - inward.0, end.1 - inward.1);
    let piece = dx.hypot(dy);
    if piece < 1.0 {
        return None;
    }
    let (ux, uy) = (dx / piece, dy / piece);
    (1..=(AIM_REACH.min(length) as usize)).find_map(|k| {
        let p = (end.0 + ux * k as f32, end.1 + uy * k as f32);
        steps.iter().position(|s| s.bbox.distance_to(p) <= 1.0)
    })
}

/// Distance from a point to a polyline.
fn near_polyline(p: (f32, f32), points: &[(f32, f32)]) -> f32 {
    match points {
        [only] => dist(p, *only),
        _ => points.windows(2).map(|w| segment_distance(p, w[0], w[1])).fold(f32::MAX, f32::min),
    }
}

/// Connectors joined end to line into wires (indices into `connectors`).
fn group_wires(connectors: &[&Connector]) -> Vec<Vec<usize>> {
    let n = connectors.len();
    let mut wires = DisjointSets::new(n);
    for i in 0..n {
        for j in 0..n {
            if i == j {
                continue;
            }
            let c = connectors[i];
            if [c.start(), c.end()].iter().any(|&e| near_polyline(e, &connectors[j].points) <= JOIN) {
                wires.union(i, j);
            }
        }
    }
    wires.groups()
}

/// Text lines outside the steps that may label edges.
fn label_lines(loose: &[RawChar], page: (f32, f32)) -> Vec<(BBox, String)> {
    build_lines(loose, page)
        .into_iter()
        .filter(|l| !l.text.trim().is_empty() && l.text.chars().count() <= MAX_LABEL_CHARS)
        .map(|l| (l.bbox, l.text.trim().to_string()))
        .collect()
}

/// The label of the edge a wire takes to a target through connector `via`: the label line
/// nearest that connector, else (when the wire has one target) the one nearest the wire.
fn edge_label(
    labels: &[(BBox, String)],
    wire: &[usize],
    via: usize,
    connectors: &[&Connector],
    targets: usize,
) -> Option<String> {
    let reach = |b: &BBox| 4.0 + 1.5 * b.height();
    let distance = |b: &BBox, c: &Connector| {
        // From the label's box to the connector: its corners and centre.
        let (cx, cy) = ((b.x0 + b.x1) / 2.0, b.center_y());
        [(cx, cy), (b.x0, b.y0), (b.x1, b.y0), (b.x0, b.y1), (b.x1, b.y1)]
            .iter()
            .map(|&p| near_polyline(p, &c.points))
            .fold(f32::MAX, f32::min)
    };
    // Each label goes to the wire piece it is nearest to.
    let nearest_piece =
        |b: &BBox| wire.iter().map(|&ci| (ci, distance(b, connectors[ci]))).min_by(|a, b| a.1.total_cmp(&b.1));
    let mine: Vec<&str> = labels
        .iter()
        .filter(|(b, _)| {
            nearest_piece(b).is_some_and(|(ci, d)| d <= reach(b) && (ci == via || (targets == 1 && wire.len() > 1)))
        })
        .map(|(_, t)| t.as_str())
        .collect();
    (!mine.is_empty()).then(|| mine.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vector::shapes::Arrowhead;

    fn shape(kind: ShapeKind, x0: f32, y0: f32, x1: f32, y1: f32) -> Shape {
        Shape { kind, bbox: BBox::new(x0, y0, x1, y1), filled: false, stroked: true }
    }

    fn word(text: &str, x: f32, y: f32) -> Vec<RawChar> {
        crate::testing::glyph_run(text, (x, y), 5.0, 5.0, 8.0)
    }

    fn head(x: f32, y: f32) -> Arrowhead {
        Arrowhead { bbox: BBox::new(x - 3.0, y - 6.0, x + 3.0, y), tip: (x, y) }
    }

    #[test]
    fn a_decision_branches_with_labels_and_the_branches_merge() {
        // Start -> Check? -yes-> A, -no-> B; A and B merge into one line down to End.
        let prims = Primitives {
            shapes: vec![
                shape(ShapeKind::Rounded, 80.0, 0.0, 160.0, 20.0),
                shape(ShapeKind::Diamond, 80.0, 50.0, 160.0, 90.0),
                shape(ShapeKind::Rectangle, 0.0, 130.0, 80.0, 150.0),
                shape(ShapeKind::Rectangle, 160.0, 130.0, 240.0, 150.0),
                shape(ShapeKind::Rounded, 80.0, 220.0, 160.0, 240.0),
            ],
            connectors: vec![
                Connector { points: vec![(120.0, 20.0), (120.0, 50.0)] },
                // Out of the diamond's sides, across and down.
                Connector { points: vec![(80.0, 70.0), (40.0, 70.0), (40.0, 130.0)] },
                Connector { points: vec![(160.0, 70.0), (200.0, 70.0), (200.0, 130.0)] },
                // Both boxes down to a bus line, which runs into End.
                Connector { points: vec![(40.0, 150.0), (40.0, 190.0)] },
                Connector { points: vec![(200.0, 150.0), (200.0, 190.0)] },
                Connector { points: vec![(40.0, 190.0), (200.0, 190.0)] },
                Connector { points: vec![(120.0, 190.0), (120.0, 220.0)] },
            ],
            arrowheads: vec![head(120.0, 50.0), head(40.0, 130.0), head(200.0, 130.0), head(120.0, 220.0)],
        };
        let mut chars = Vec::new();
        for (t, x, y) in [
            ("Start", 105.0, 10.0),
            ("Check?", 105.0, 70.0),
            ("A", 37.0, 140.0),
            ("B", 197.0, 140.0),
            ("End", 112.0, 230.0),
            ("Yes", 50.0, 62.0),
            ("No", 175.0, 62.0),
        ] {
            chars.extend(word(t, x, y));
        }
        let (nodes, edges) = recover_graph(&BBox::new(0.0, 0.0, 240.0, 240.0), &prims, &chars, (600.0, 800.0));
        let names: Vec<(&str, NodeShape)> = nodes.iter().map(|n| (n.text.as_str(), n.shape)).collect();
        assert_eq!(
            names,
            [
                ("Start", NodeShape::Terminal),
                ("Check?", NodeShape::Decision),
                ("A", NodeShape::Process),
                ("B", NodeShape::Process),
                ("End", NodeShape::Terminal)
            ]
        );
        let text = |id: &str| nodes.iter().find(|n| n.id == id).unwrap().text.clone();
        let mut found: Vec<(String, String, Option<String>)> =
            edges.iter().map(|e| (text(&e.source), text(&e.target), e.label.clone())).collect();
        found.sort();
        let expected = [
            ("A", "End", None),
            ("B", "End", None),
            ("Check?", "A", Some("Yes")),
            ("Check?", "B", Some("No")),
            ("Start", "Check?", None),
        ];
        let expected: Vec<(String, String, Option<String>)> =
            expected.iter().map(|(a, b, l)| (a.to_string(), b.to_string(), l.map(String::from))).collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn an_arrow_floating_between_two_boxes_joins_them() {
        // The arrow stops 9 points short of each box (beyond touching distance).
        let prims = Primitives {
            shapes: vec![
                shape(ShapeKind::Rectangle, 0.0, 0.0, 60.0, 20.0),
                shape(ShapeKind::Rectangle, 40.0, 80.0, 100.0, 100.0),
            ],
            connectors: vec![Connector { points: vec![(36.0, 26.0), (64.0, 72.0)] }],
            arrowheads: vec![head(64.0, 72.0)],
        };
        let mut chars = word("Top", 20.0, 10.0);
        chars.extend(word("Low", 60.0, 90.0));
        let (nodes, edges) = recover_graph(&BBox::new(0.0, 0.0, 100.0, 100.0), &prims, &chars, (600.0, 800.0));
        assert_eq!(nodes.len(), 2);
        assert_eq!(edges, [Edge { source: "n1".into(), target: "n2".into(), label: None }]);
    }

    #[test]
    fn without_arrowheads_the_flow_runs_down() {
        let prims = Primitives {
            shapes: vec![
                shape(ShapeKind::Rectangle, 0.0, 0.0, 60.0, 20.0),
                shape(ShapeKind::Rectangle, 0.0, 60.0, 60.0, 80.0),
            ],
            connectors: vec![Connector { points: vec![(30.0, 60.0), (30.0, 20.0)] }],
            arrowheads: vec![],
        };
        let mut chars = word("Top", 20.0, 10.0);
        chars.extend(word("Low", 20.0, 70.0));
        let (nodes, edges) = recover_graph(&BBox::new(0.0, 0.0, 60.0, 80.0), &prims, &chars, (600.0, 800.0));
        assert_eq!(nodes.len(), 2);
        assert_eq!(edges, [Edge { source: "n1".into(), target: "n2".into(), label: None }]);
    }
}
