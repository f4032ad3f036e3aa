//! Classifying subpaths into shapes, connectors and arrowheads.

use crate::geometry::BBox;
use crate::pdf::{RawPath, SubPath};

/// The outline of a closed shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShapeKind {
    Rectangle,
    /// Rectangles with rounded corners, stadiums, ellipses: curved outlines.
    Rounded,
    Diamond,
    Parallelogram,
    Hexagon,
    Other,
}

/// A closed outline large enough to hold text.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    pub kind: ShapeKind,
    pub bbox: BBox,
    pub filled: bool,
    pub stroked: bool,
}

/// A stroked open line or polyline.
#[derive(Debug, Clone, PartialEq)]
pub struct Connector {
    pub points: Vec<(f32, f32)>,
}

impl Connector {
    pub fn start(&self) -> (f32, f32) {
        self.points[0]
    }

    pub fn end(&self) -> (f32, f32) {
        self.points[self.points.len() - 1]
    }

    pub fn length(&self) -> f32 {
        self.points.windows(2).map(|w| dist(w[0], w[1])).sum()
    }
}

/// A small triangle or chevron marking the end of a connector.
#[derive(Debug, Clone, PartialEq)]
pub struct Arrowhead {
    pub bbox: BBox,
    /// The tip: the vertex farthest from the other two.
    pub tip: (f32, f32),
}

/// The page's drawing, sorted into primitives.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Primitives {
    pub shapes: Vec<Shape>,
    pub connectors: Vec<Connector>,
    pub arrowheads: Vec<Arrowhead>,
}

pub fn dist(a: (f32, f32), b: (f32, f32)) -> f32 {
    (a.0 - b.0).hypot(a.1 - b.1)
}

fn bbox_of(points: &[(f32, f32)]) -> BBox {
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for &(x, y) in points {
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    BBox::new(x0, y0, x1, y1)
}

/// Corner points with repeats (and the closing point) removed.
fn vertices(sub: &SubPath) -> Vec<(f32, f32)> {
    let mut v: Vec<(f32, f32)> = Vec::new();
    for &p in &sub.points {
        if v.last().is_none_or(|&q| dist(p, q) > 0.5) {
            v.push(p);
        }
    }
    if v.len() > 1 && dist(v[0], v[v.len() - 1]) <= 0.5 {
        v.pop();
    }
    v
}

/// Sorts every subpath on the page into shapes, connectors and arrowheads.
pub fn primitives(paths: &[RawPath], page: (f32, f32)) -> Primitives {
    let mut out = Primitives::default();
    let page_area = page.0 * page.1;
    for path in paths {
        for sub in &path.subpaths {
            if sub.points.len() < 2 {
                continue;
            }
            let v = vertices(sub);
            let closed =
                sub.closed || (sub.points.len() > 2 && dist(sub.points[0], sub.points[sub.points.len() - 1]) <= 0.5);
            let b = bbox_of(&sub.points);
            let (w, h) = (b.width(), b.height());
            let thin = w.min(h) < 2.5;
            if closed && !thin && v.len() >= 3 {
                if w.max(h) <= 16.0 && v.len() <= 4 && !sub.curved {
                    // Small squares and diamonds are bullets and check boxes, not arrowheads.
                    if v.len() == 3 || !matches!(classify(&v, &b, false), ShapeKind::Rectangle | ShapeKind::Diamond) {
                        out.arrowheads.extend(tip_of(&v).map(|tip| Arrowhead { bbox: b, tip }));
                    }
                } else if let Some(line) = sliver_line(&v) {
                    // A slanted line drawn as a thin filled outline (its stroke, converted).
                    out.connectors.push(line);
                } else if let Some(tip) = block_arrow_tip(&v, &b, sub.curved) {
                    // An office "block arrow": a shaft and a head drawn as one polygon.
                    let (cx, cy) = ((b.x0 + b.x1) / 2.0, b.center_y());
                    let tail = (2.0 * cx - tip.0, 2.0 * cy - tip.1);
                    out.connectors.push(Connector { points: vec![tail, tip] });
                    out.arrowheads
                        .push(Arrowhead { bbox: BBox::new(tip.0 - 3.0, tip.1 - 3.0, tip.0 + 3.0, tip.1 + 3.0), tip });
                } else if w >= 12.0 && h >= 8.0 && b.area() < 0.5 * page_area {
                    out.shapes.push(Shape {
                        kind: classify(&v, &b, sub.curved),
                        bbox: b,
                        filled: path.filled,
                        stroked: path.stroked,
                    });
                }
            } else if closed && thin && w.max(h) >= 8.0 {
                // A line drawn as a thin filled rectangle.
                let mid = if w >= h {
                    vec![(b.x0, b.center_y()), (b.x1, b.center_y())]
                } else {
                    let cx = (b.x0 + b.x1) / 2.0;
                    vec![(cx, b.y0), (cx, b.y1)]
                };
                out.connectors.push(Connector { points: mid });
            } else if !closed && path.stroked {
                if v.len() == 3 && w.max(h) <= 14.0 && dist(v[0], v[2]) < dist(v[0], v[1]) + dist(v[1], v[2]) - 1.0 {
                    // An open chevron: ">" with the middle vertex as the tip.
                    out.arrowheads.push(Arrowhead { bbox: b, tip: v[1] });
                } else if w.max(h) >= 6.0 {
                    out.connectors.push(Connector { points: v });
                }
            }
        }
    }
    rectangles_from_lines(&mut out);
    out
}

/// Boxes drawn as four separate lines (common in Word and WPS exports) become rectangles, and
/// their sides stop counting as connectors.
fn rectangles_from_lines(out: &mut Primitives) {
    const TOL: f32 = 1.5;
    let straight: Vec<(usize, bool, f32, f32, f32)> = out
        .connectors
        .iter()
        .enumerate()
        .take(4000)
        .filter(|(_, c)| c.points.len() == 2)
        .filter_map(|(i, c)| {
            let (a, b) = (c.start(), c.end());
            if (a.1 - b.1).abs() < 0.5 {
                Some((i, true, a.1, a.0.min(b.0), a.0.max(b.0)))
            } else if (a.0 - b.0).abs() < 0.5 {
                Some((i, false, a.0, a.1.min(b.1), a.1.max(b.1)))
            } else {
                None
            }
        })
        .collect();
    let horizontal: Vec<_> = straight.iter().filter(|s| s.1).collect();
    let vertical: Vec<_> = straight.iter().filter(|s| !s.1).collect();
    let mut used = vec![false; out.connectors.len()];
    for (k, top) in horizontal.iter().enumerate() {
        for bottom in &horizontal[k + 1..] {
            let (upper, lower) = if top.2 < bottom.2 { (top, bottom) } else { (bottom, top) };
            let height = lower.2 - upper.2;
            if !(8.0..=250.0).contains(&height) || (upper.3 - lower.3).abs() > TOL || (upper.4 - lower.4).abs() > TOL {
                continue;
            }
            let side = |x: f32| {
                vertical
                    .iter()
                    .find(|v| (v.2 - x).abs() <= TOL && v.3 <= upper.2 + TOL && v.4 >= lower.2 - TOL)
                    .map(|v| v.0)
            };
            if let (Some(left), Some(right)) = (side(upper.3), side(upper.4))
                && upper.4 - upper.3 >= 12.0
            {
                for i in [upper.0, lower.0, left, right] {
                    used[i] = true;
                }
                out.shapes.push(Shape {
                    kind: ShapeKind::Rectangle,
                    bbox: BBox::new(upper.3, upper.2, upper.4, lower.2),
                    filled: false,
                    stroked: true,
                });
            }
        }
    }
    let mut i = 0;
    out.connectors.retain(|_| {
        let keep = !used[i];
        i += 1;
        keep
    });
}

/// A closed outline that is a line drawn as its filled stroke, at any slant: at most 2.5 pt
/// wide (its area over its length) and at least 6 pt long; the line runs between its two
/// farthest points.
fn sliver_line(v: &[(f32, f32)]) -> Option<Connector> {
    let n = v.len();
    let area = (0..n).map(|i| v[i].0 * v[(i + 1) % n].1 - v[(i + 1) % n].0 * v[i].1).sum::<f32>().abs() / 2.0;
    let (mut a, mut b, mut length) = (v[0], v[0], 0.0);
    for (i, &p) in v.iter().enumerate() {
        for &q in &v[i + 1..] {
            if dist(p, q) > length {
                (a, b, length) = (p, q, dist(p, q));
            }
        }
    }
    (length >= 6.0 && area / length <= 2.5 && length >= 4.0 * area / length).then(|| Connector { points: vec![a, b] })
}

/// The tip of a block arrow: a straight-sided polygon of seven to nine vertices, longer than wide,
/// one vertex of which sits at the middle of a side of its box (the point of the head).
fn block_arrow_tip(v: &[(f32, f32)], b: &BBox, curved: bool) -> Option<(f32, f32)> {
    let (w, h) = (b.width(), b.height());
    if curved || !(7..=9).contains(&v.len()) || w.max(h) < 1.3 * w.min(h) {
        return None;
    }
    let (cx, cy) = ((b.x0 + b.x1) / 2.0, b.center_y());
    // The head points along the long side.
    let ends = if w >= h { [(b.x0, cy), (b.x1, cy)] } else { [(cx, b.y0), (cx, b.y1)] };
    let tolerance = 0.1 * w.max(h) + 0.5;
    let nearest = |end: (f32, f32)| v.iter().copied().map(|p| (p, dist(p, end))).min_by(|a, b| a.1.total_cmp(&b.1));
    let (a, b) = (nearest(ends[0])?, nearest(ends[1])?);
    // The point sits on the middle of its side; the tail's corners sit off it.
    let (tip, other) = if a.1 <= b.1 { (a, b) } else { (b, a) };
    (tip.1 <= tolerance && tip.1 + 1.0 < other.1).then_some(tip.0)
}

/// The tip of an arrowhead: arrowheads are isosceles, so the tip is the vertex whose two
/// neighbours are equally far (a dart's notch is too, so among those take the vertex farthest
/// from the centre).
fn tip_of(v: &[(f32, f32)]) -> Option<(f32, f32)> {
    let n = v.len();
    let cx = v.iter().map(|p| p.0).sum::<f32>() / n as f32;
    let cy = v.iter().map(|p| p.1).sum::<f32>() / n as f32;
    let asymmetry = |i: usize| (dist(v[i], v[(i + n - 1) % n]) - dist(v[i], v[(i + 1) % n])).abs();
    let best = (0..n).map(asymmetry).fold(f32::MAX, f32::min);
    (0..n)
        .filter(|&i| asymmetry(i) <= best + 0.5)
        .map(|i| v[i])
        .max_by(|a, b| dist(*a, (cx, cy)).total_cmp(&dist(*b, (cx, cy))))
}

fn classify(v: &[(f32, f32)], b: &BBox, curved: bool) -> ShapeKind {
    if curved {
        return ShapeKind::Rounded;
    }
    let near = |p: (f32, f32), q: (f32, f32)| dist(p, q) <= 0.08 * b.width().max(b.height()) + 1.0;
    let (cx, cy) = ((b.x0 + b.x1) / 2.0, b.center_y());
    let corners = [(b.x0, b.y0), (b.x1, b.y0), (b.x1, b.y1), (b.x0, b.y1)];
    let mids = [(cx, b.y0), (b.x1, cy), (cx, b.y1), (b.x0, cy)];
    let all_near = |targets: &[(f32, f32)]| v.iter().all(|p| targets.iter().any(|t| near(*p, *t)));
    match v.len() {
        4 if all_near(&corners) => ShapeKind::Rectangle,
        4 if all_near(&mids) => ShapeKind::Diamond,
        4 => {
            let horizontal = v.iter().zip(v.iter().cycle().skip(1)).filter(|(p, q)| (p.1 - q.1).abs() < 1.0).count();
            if horizontal == 2 { ShapeKind::Parallelogram } else { ShapeKind::Other }
        }
        6 => ShapeKind::Hexagon,
        _ if all_near(&corners) => ShapeKind::Rectangle,
        _ => ShapeKind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(points: &[(f32, f32)], closed: bool, filled: bool) -> RawPath {
        RawPath {
            subpaths: vec![SubPath { points: points.to_vec(), closed, curved: false }],
            stroked: true,
            filled,
            stroke_width: 1.0,
            fill: None,
            stroke: None,
        }
    }

    #[test]
    fn sorts_boxes_diamonds_lines_and_arrowheads() {
        let paths = vec![
            path(&[(10.0, 10.0), (110.0, 10.0), (110.0, 40.0), (10.0, 40.0)], true, true),
            path(&[(60.0, 50.0), (100.0, 70.0), (60.0, 90.0), (20.0, 70.0)], true, true),
            path(&[(60.0, 40.0), (60.0, 50.0)], false, false),
            path(&[(56.0, 43.0), (64.0, 43.0), (60.0, 50.0)], true, true),
        ];
        let p = primitives(&paths, (600.0, 800.0));
        let kinds: Vec<ShapeKind> = p.shapes.iter().map(|s| s.kind).collect();
        assert_eq!(kinds, [ShapeKind::Rectangle, ShapeKind::Diamond]);
        assert_eq!(p.connectors.len(), 1);
        assert_eq!(p.arrowheads.len(), 1);
        assert_eq!(p.arrowheads[0].tip, (60.0, 50.0));
        // A wide, flat arrowhead: the base is its longest side.
        let wide = primitives(&[path(&[(0.0, 0.0), (14.0, 0.0), (7.0, 7.0)], true, true)], (600.0, 800.0));
        assert_eq!(wide.arrowheads[0].tip, (7.0, 7.0));
        // A small square is a bullet.
        let square = primitives(&[path(&[(0.0, 0.0), (3.0, 0.0), (3.0, 3.0), (0.0, 3.0)], true, true)], (600.0, 800.0));
        assert!(square.arrowheads.is_empty());
    }

    #[test]
    fn a_slanted_line_drawn_as_a_filled_outline_is_a_connector() {
        // A 1-point-wide stroke from (0, 0) to (30, 20), as its outline.
        let (nx, ny) = (-20.0 / 36.06 * 0.5, 30.0 / 36.06 * 0.5);
        let outline = [(nx, ny), (30.0 + nx, 20.0 + ny), (30.0 - nx, 20.0 - ny), (-nx, -ny)];
        let p = primitives(&[path(&outline, true, true)], (600.0, 800.0));
        assert!(p.shapes.is_empty() && p.arrowheads.is_empty(), "{p:?}");
        let c = &p.connectors[0];
        let length = dist(c.start(), c.end());
        assert!((length - 36.06).abs() < 1.5, "{c:?}");
    }

    #[test]
    fn block_arrows_are_connectors_with_heads() {
        // A right-pointing block arrow from x 0 to 40, shaft 6 high, head 12 high.
        let arrow = [(0.0, 3.0), (28.0, 3.0), (28.0, 0.0), (40.0, 6.0), (28.0, 12.0), (28.0, 9.0), (0.0, 9.0)];
        let p = primitives(&[path(&arrow, true, true)], (600.0, 800.0));
        assert!(p.shapes.is_empty());
        assert_eq!(p.arrowheads.len(), 1);
        assert_eq!(p.arrowheads[0].tip, (40.0, 6.0));
        assert_eq!(p.connectors[0].end(), (40.0, 6.0));
    }

    #[test]
    fn four_lines_make_a_box() {
        let paths = vec![
            path(&[(10.0, 10.0), (110.0, 10.0)], false, false),
            path(&[(110.0, 10.0), (110.0, 40.0)], false, false),
            path(&[(110.0, 40.0), (10.0, 40.0)], false, false),
            path(&[(10.0, 40.0), (10.0, 10.0)], false, false),
            path(&[(60.0, 40.0), (60.0, 70.0)], false, false),
        ];
        let p = primitives(&paths, (600.0, 800.0));
        assert_eq!(p.shapes.len(), 1);
        assert_eq!(p.shapes[0].bbox, BBox::new(10.0, 10.0, 110.0, 40.0));
        assert_eq!(p.connectors.len(), 1, "the box's sides are not connectors");
    }
}
