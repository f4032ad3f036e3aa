//! Ruling lines of tables, from the page's vector paths.
//!
//! A rule can be drawn as a stroked line, as a thin filled rectangle, as the edge of a stroked
//! rectangle, or as the edge of a shaded cell or row; some producers draw it as hundreds of tiny
//! segments. All become axis-aligned segments, merged where they continue one another.

use crate::geometry::BBox;
use crate::pdf::RawPath;

/// An axis-aligned segment: at `pos` (y for a horizontal rule, x for a vertical one), from
/// `from` to `to` along the other axis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    pub horizontal: bool,
    pub pos: f32,
    pub from: f32,
    pub to: f32,
}

impl Rule {
    pub fn length(&self) -> f32 {
        self.to - self.from
    }

    /// Does the rule cross the point `along` (on its own axis), allowing `slack` points?
    pub fn covers(&self, along: f32, slack: f32) -> bool {
        along >= self.from - slack && along <= self.to + slack
    }
}

/// Thicker than this, a filled rectangle is a shaded area (its edges count), not a line.
const THIN: f32 = 3.0;

/// How far off the axis a segment may lean and still be a rule, in points.
const STRAIGHT: f32 = 1.0;

/// Segments on one line with a gap up to this are one rule (dashed and segmented rules).
const JOIN_GAP: f32 = 2.5;

/// Axis-aligned rules inside `area`, merged.
pub fn ruling_lines(paths: &[RawPath], area: &BBox) -> Vec<Rule> {
    let fills = shaded_rectangles(paths, area);
    let mut rules = Vec::new();
    for path in paths {
        let visible_fill = path.filled && path.fill.is_some_and(|c| c.iter().any(|&v| v < 235));
        for sub in &path.subpaths {
            if sub.curved || sub.points.len() < 2 {
                continue;
            }
            let b = bounds(&sub.points);
            if b.x1 < area.x0 - 2.0 || b.x0 > area.x1 + 2.0 || b.y1 < area.y0 - 2.0 || b.y0 > area.y1 + 2.0 {
                continue;
            }
            let rectangle = sub.points.len() >= 4 && is_axis_rectangle(&sub.points, &b);
            if path.filled && rectangle && (b.height() < THIN || b.width() < THIN) {
                if visible_fill || path.stroked {
                    rules.push(centre_line(&b));
                }
            } else if rectangle && path.stroked {
                rules.extend(edges(&b));
            } else if rectangle && visible_fill {
                // A shaded area drawn as stacked pieces (a word processor shades a cell line by
                // line) shows no edge where a piece of the same colour goes on.
                let colour = path.fill.unwrap_or_default();
                rules.extend(edges(&b).into_iter().filter(|e| !continued(e, &b, colour, &fills)));
            } else if path.stroked {
                for w in sub.points.windows(2) {
                    rules.extend(segment(w[0], w[1]));
                }
                if sub.closed {
                    rules.extend(segment(sub.points[sub.points.len() - 1], sub.points[0]));
                }
            }
        }
    }
    rules.retain(|r| r.length() >= 1.0);
    merge(rules)
}

/// The shaded (filled, not thin) axis-aligned rectangles near `area`, with their colour.
fn shaded_rectangles(paths: &[RawPath], area: &BBox) -> Vec<(BBox, [u8; 3])> {
    let mut out = Vec::new();
    for path in paths.iter().filter(|p| p.filled) {
        let Some(colour) = path.fill.filter(|c| c.iter().any(|&v| v < 235)) else { continue };
        for sub in path.subpaths.iter().filter(|s| !s.curved && s.points.len() >= 4) {
            let b = bounds(&sub.points);
            let near = !(b.x1 < area.x0 - 2.0 || b.x0 > area.x1 + 2.0 || b.y1 < area.y0 - 2.0 || b.y0 > area.y1 + 2.0);
            if near && b.height() >= THIN && b.width() >= THIN && is_axis_rectangle(&sub.points, &b) {
                out.push((b, colour));
            }
        }
    }
    out
}

/// Shaded rectangles on a page beyond which their edges are all kept: the check is quadratic,
/// and a page of that many is a picture drawn in vectors, not a table.
const MAX_SHADED: usize = 2000;

/// Whether a shaded rectangle of the same colour lies right across `edge` of `b`, covering it.
fn continued(edge: &Rule, b: &BBox, colour: [u8; 3], fills: &[(BBox, [u8; 3])]) -> bool {
    const TOUCH: f32 = 0.75;
    fills.len() <= MAX_SHADED
        && fills.iter().any(|(o, c)| {
            *c == colour
                && o != b
                && if edge.horizontal {
                    let across = if (edge.pos - b.y0).abs() < TOUCH {
                        (o.y1 - edge.pos).abs() < TOUCH
                    } else {
                        (o.y0 - edge.pos).abs() < TOUCH
                    };
                    across && o.x0 <= edge.from + 1.0 && o.x1 >= edge.to - 1.0
                } else {
                    let across = if (edge.pos - b.x0).abs() < TOUCH {
                        (o.x1 - edge.pos).abs() < TOUCH
                    } else {
                        (o.x0 - edge.pos).abs() < TOUCH
                    };
                    across && o.y0 <= edge.from + 1.0 && o.y1 >= edge.to - 1.0
                }
        })
}

fn bounds(points: &[(f32, f32)]) -> BBox {
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for &(x, y) in points {
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
    }
    BBox::new(x0, y0, x1, y1)
}

/// Every point on the rectangle's outline (corners only, in any order).
fn is_axis_rectangle(points: &[(f32, f32)], b: &BBox) -> bool {
    points.len() <= 6
        && points.iter().all(|&(x, y)| {
            ((x - b.x0).abs() < STRAIGHT || (x - b.x1).abs() < STRAIGHT)
                && ((y - b.y0).abs() < STRAIGHT || (y - b.y1).abs() < STRAIGHT)
        })
}

fn centre_line(b: &BBox) -> Rule {
    if b.width() >= b.height() {
        Rule { horizontal: true, pos: b.center_y(), from: b.x0, to: b.x1 }
    } else {
        Rule { horizontal: false, pos: (b.x0 + b.x1) / 2.0, from: b.y0, to: b.y1 }
    }
}

fn edges(b: &BBox) -> [Rule; 4] {
    [
        Rule { horizontal: true, pos: b.y0, from: b.x0, to: b.x1 },
        Rule { horizontal: true, pos: b.y1, from: b.x0, to: b.x1 },
        Rule { horizontal: false, pos: b.x0, from: b.y0, to: b.y1 },
        Rule { horizontal: false, pos: b.x1, from: b.y0, to: b.y1 },
    ]
}

fn segment(a: (f32, f32), b: (f32, f32)) -> Option<Rule> {
    if (a.1 - b.1).abs() <= STRAIGHT {
        Some(Rule { horizontal: true, pos: (a.1 + b.1) / 2.0, from: a.0.min(b.0), to: a.0.max(b.0) })
    } else if (a.0 - b.0).abs() <= STRAIGHT {
        Some(Rule { horizontal: false, pos: (a.0 + b.0) / 2.0, from: a.1.min(b.1), to: a.1.max(b.1) })
    } else {
        None
    }
}

/// Joins rules on the same line that overlap or nearly touch; also collapses the double lines
/// of a stroked thin rectangle.
fn merge(mut rules: Vec<Rule>) -> Vec<Rule> {
    // total_cmp: a NaN coordinate from a broken drawing sorts last instead of panicking.
    rules.sort_by(|a, b| a.horizontal.cmp(&b.horizontal).then(a.pos.total_cmp(&b.pos)).then(a.from.total_cmp(&b.from)));
    let mut out: Vec<Rule> = Vec::with_capacity(rules.len());
    for r in rules {
        // Rules within a point of one another on the same axis are one line.
        let hit = out.iter_mut().rev().take(64).find(|o| {
            o.horizontal == r.horizontal && (o.pos - r.pos).abs() <= 1.0 && r.from <= o.to + JOIN_GAP && r.to >= o.from
        });
        match hit {
            Some(o) => {
                o.from = o.from.min(r.from);
                o.to = o.to.max(r.to);
            }
            None => out.push(r),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::SubPath;

    fn line(points: Vec<(f32, f32)>) -> RawPath {
        crate::testing::pages::stroked(points, false)
    }

    #[test]
    fn tiny_segments_merge_into_one_rule() {
        let paths: Vec<RawPath> = (0..100).map(|i| line(vec![(i as f32, 50.0), (i as f32 + 1.0, 50.0)])).collect();
        let rules = ruling_lines(&paths, &BBox::new(0.0, 0.0, 200.0, 200.0));
        assert_eq!(rules, vec![Rule { horizontal: true, pos: 50.0, from: 0.0, to: 100.0 }]);
    }

    #[test]
    fn thin_filled_rectangles_are_rules_and_white_ones_are_not() {
        let rect = |y: f32, fill: [u8; 3]| RawPath {
            subpaths: vec![SubPath {
                points: vec![(10.0, y), (90.0, y), (90.0, y + 1.0), (10.0, y + 1.0)],
                closed: true,
                curved: false,
            }],
            stroked: false,
            filled: true,
            stroke_width: 0.0,
            fill: Some(fill),
            stroke: None,
        };
        let rules =
            ruling_lines(&[rect(20.0, [0, 0, 0]), rect(40.0, [255, 255, 255])], &BBox::new(0.0, 0.0, 100.0, 100.0));
        assert_eq!(rules.len(), 1);
        assert!(rules[0].horizontal && (rules[0].pos - 20.5).abs() < 0.01);
    }

    #[test]
    fn a_nan_coordinate_is_no_reason_to_panic() {
        let nan = f32::NAN;
        let paths = [
            line(vec![(0.0, 50.0), (100.0, 50.0)]),
            line(vec![(nan, 50.0), (100.0, 50.0)]),
            line(vec![(0.0, nan), (100.0, nan)]),
            line(vec![(20.0, 0.0), (20.0, 100.0)]),
        ];
        let rules = ruling_lines(&paths, &BBox::new(0.0, 0.0, 200.0, 200.0));
        assert!(rules.iter().any(|r| r.horizontal && r.pos == 50.0), "{rules:?}");
        assert!(rules.iter().any(|r| !r.horizontal && r.pos == 20.0), "{rules:?}");
    }

    #[test]
    fn a_shaded_cell_drawn_line_by_line_has_no_rules_inside() {
        // Three grey pieces stacked into one cell, and a blue header above (another colour:
        // its edge shows).
        let fill = |y0: f32, y1: f32, colour: [u8; 3]| RawPath {
            subpaths: vec![SubPath {
                points: vec![(10.0, y0), (90.0, y0), (90.0, y1), (10.0, y1)],
                closed: true,
                curved: false,
            }],
            stroked: false,
            filled: true,
            stroke_width: 0.0,
            fill: Some(colour),
            stroke: None,
        };
        let (grey, blue) = ([220, 220, 220], [80, 160, 190]);
        let paths = [fill(0.0, 12.0, blue), fill(12.0, 25.0, grey), fill(25.0, 38.0, grey), fill(38.0, 51.0, grey)];
        let rules = ruling_lines(&paths, &BBox::new(0.0, 0.0, 100.0, 100.0));
        let across: Vec<f32> = rules.iter().filter(|r| r.horizontal).map(|r| r.pos).collect();
        assert_eq!(across, [0.0, 12.0, 51.0]);
    }
}
