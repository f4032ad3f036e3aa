//! A flowchart's graph from pixels (a picture in a PDF, a scan, an image file). Steps are the
//! enclosed light areas that hold text (the inside of a drawn outline); what is left of the ink
//! once the steps and their outlines are taken away is wires; where a wire meets a step, a thick
//! end (an arrowhead) makes the step a target and a thin end a source. Text outside the steps
//! labels the wire it sits on or next to.

use image::{GrayImage, Luma, RgbImage};
use imageproc::region_labelling::{Connectivity, connected_components};

use crate::geometry::{BBox, segment_distance, sort_in_rows};
use crate::model::{Edge, Node, NodeShape};
use crate::pdf::RawChar;
use crate::text::{build_lines, text_of_glyphs};

use super::ink::{dilate, grainy, grow_ink, grow_zone};
use super::picture::{BACKGROUND, Picture};

/// A step's inside must cover at least this share of its bounding box (a diamond covers half).
const MIN_FILL: f32 = 0.4;
/// An arrowhead end carries this much more ink near the step than a plain end.
const HEAD_MASS: f32 = 1.6;

/// The graph drawn in `image`, with `chars` (OCR glyphs) in the image's pixel coordinates.
/// Node boxes are in pixels too.
pub fn recover_from_pixels(image: &RgbImage, chars: &[RawChar]) -> (Vec<Node>, Vec<Edge>) {
    // The grain of a scan or a photo splits the paper into specks of near colours: a median
    // filter first (a clean picture keeps its one-pixel lines).
    let smoothed;
    let grain = grainy(image);
    let image = if grain {
        smoothed = imageproc::filter::median_filter(image, 1, 1);
        &smoothed
    } else {
        image
    };
    let Some(picture) = Picture::new(image, grain) else { return (Vec::new(), Vec::new()) };
    let placed = |g: &(Vec<Node>, Vec<Edge>)| g.0.iter().map(|n| n.text.chars().count()).sum::<usize>();
    // Outlines broken by a scan, a fax or a photo leave their steps open to the page: the gaps
    // are closed (the ink grown by a few pixels) and the reading that places the most text in
    // steps wins. Wider gaps stop paying once one places no more text than the last.
    let widening = |classes: &[u8], first: (Vec<Node>, Vec<Edge>)| {
        let mut best = first;
        for gap in [1, 2, 3] {
            let next = recover_closing_gaps(&picture, classes, chars, gap);
            if placed(&next) <= placed(&best) {
                break;
            }
            best = next;
        }
        best
    };
    let first = recover_closing_gaps(&picture, &picture.classes, chars, 0);
    if !grain {
        return widening(&picture.classes, first);
    }
    // A fill between two shades of grainy paper falls apart into specks of both: outlined
    // steps are also read from the ink alone, whatever the colours inside.
    let by_colour = widening(&picture.classes, first);
    let outlines: Vec<u8> = picture.gray.pixels().map(|p| u8::from(p[0] >= picture.threshold)).collect();
    let by_outline = widening(&outlines, recover_closing_gaps(&picture, &outlines, chars, 0));
    if placed(&by_outline) > placed(&by_colour) { by_outline } else { by_colour }
}

/// [`recover_from_pixels`] with the pixels in `classes` (colour classes, 0 for ink) and gaps of
/// up to `2 * gap` pixels in the ink closed.
fn recover_closing_gaps(picture: &Picture, classes: &[u8], chars: &[RawChar], gap: u32) -> (Vec<Node>, Vec<Edge>) {
    let Picture { width: w, height: h, ref gray, threshold, stroke, .. } = *picture;
    let glyphs: Vec<&RawChar> = chars.iter().filter(|c| !c.ch.is_whitespace()).collect();

    // Areas of one colour, 4-connected so that a thin diagonal outline still closes them: the
    // background enclosed by an outline, or a box filled with a colour.
    let closed = if gap == 0 { classes.to_vec() } else { grow_ink(classes, w, h, gap) };
    let class_img = GrayImage::from_raw(w, h, closed).unwrap_or_else(|| GrayImage::new(w, h));
    let areas = connected_components(&class_img, Connectivity::Four, Luma([0]));
    let stats = area_stats(&areas);
    let max_area = (w * h) as f32 * 0.45;
    let mut heights: Vec<f32> = glyphs.iter().map(|g| g.bbox.height()).collect();
    heights.sort_by(f32::total_cmp);
    let letter = heights.get(heights.len() / 2).copied().unwrap_or(0.0);
    // The area each glyph lies in: the most common area under a 3 x 3 grid of points over
    // its box (its own strokes are no area).
    let glyph_area: Vec<u32> = glyphs
        .iter()
        .map(|g| {
            let mut votes: Vec<(u32, u32)> = Vec::new();
            for fy in [0.2, 0.5, 0.8] {
                for fx in [0.2, 0.5, 0.8] {
                    let x = (g.bbox.x0 + fx * g.bbox.width()).clamp(0.0, w as f32 - 1.0) as u32;
                    let y = (g.bbox.y0 + fy * g.bbox.height()).clamp(0.0, h as f32 - 1.0) as u32;
                    let l = areas.get_pixel(x, y)[0];
                    if l == 0 {
                        continue;
                    }
                    match votes.iter_mut().find(|v| v.0 == l) {
                        Some(v) => v.1 += 1,
                        None => votes.push((l, 1)),
                    }
                }
            }
            votes.into_iter().max_by_key(|v| v.1).map_or(0, |v| v.0)
        })
        .collect();
    let mut steps: Vec<Step> = stats
        .into_iter()
        .filter(|s| {
            let colour = classes[(s.first.1 * w + s.first.0) as usize];
            // The page's background counts only where an outline encloses it.
            (colour != BACKGROUND || !s.touches_border) && s.pixels as f32 <= max_area
        })
        .filter(|s| s.pixels as f32 >= MIN_FILL * s.bbox.area() && s.bbox.width() >= 4.0 * stroke as f32)
        .filter_map(|s| {
            let inside: Vec<RawChar> = glyphs
                .iter()
                .zip(&glyph_area)
                .filter(|(c, a)| **a == s.label && s.bbox.holds_centre_of(&c.bbox))
                .map(|(c, _)| (*c).clone())
                .collect();
            let text = BBox::union_all(inside.iter().map(|c| &c.bbox))?;
            // A label's patch of colour hugs its letters; a filled step leaves a margin around
            // them. (An outlined step may be tight: its outline tells it from a label.)
            let margin = (s.bbox.width() - text.width()).min(s.bbox.height() - text.height());
            let filled = classes[(s.first.1 * w + s.first.0) as usize] != BACKGROUND;
            // The hole inside a letter (the counters of 口, o, 效) is not a step: its letter
            // sticks out of it.
            let slack = 0.25 * letter;
            let holds_text = text.x0 >= s.bbox.x0 - slack
                && text.x1 <= s.bbox.x1 + slack
                && text.y0 >= s.bbox.y0 - slack
                && text.y1 <= s.bbox.y1 + slack;
            // A step's text sits in its middle; a label in the space between wires and steps
            // sits at its edge.
            let centred = ((text.x0 + text.x1) - (s.bbox.x0 + s.bbox.x1)).abs() <= 0.5 * s.bbox.width()
                && ((text.y0 + text.y1) - (s.bbox.y0 + s.bbox.y1)).abs() <= 0.5 * s.bbox.height();
            let big_enough = s.bbox.height() >= 0.8 * letter && s.bbox.width() >= letter;
            // Wires and steps also enclose space, now and then around a label: a step's
            // letters cover a fair share of it.
            let covered = inside.iter().map(|c| c.bbox.area()).sum::<f32>() >= 0.03 * s.pixels as f32;
            (holds_text && centred && big_enough && covered && (!filled || margin >= 0.6 * letter)).then(|| Step {
                shape: shape_of(&areas, &s),
                area: s,
                chars: inside,
            })
        })
        .collect();
    // A glyph in nested areas (a step drawn inside a panel) belongs to the innermost.
    steps.sort_by_key(|s| s.area.pixels);
    let mut taken = vec![false; glyphs.len()];
    steps.retain_mut(|s| {
        s.chars.retain(|c| {
            let i = glyphs.iter().position(|g| g.bbox == c.bbox && g.ch == c.ch);
            i.is_some_and(|i| !std::mem::replace(&mut taken[i], true))
        });
        !s.chars.is_empty()
    });
    // A glyph whose own hole outvoted its step (the counter of "0", 口) joins the smallest
    // step around it.
    for (i, g) in glyphs.iter().enumerate() {
        if taken[i] {
            continue;
        }
        if let Some(step) =
            steps.iter_mut().filter(|s| s.area.bbox.holds_centre_of(&g.bbox)).min_by_key(|s| s.area.pixels)
        {
            step.chars.push((*g).clone());
            taken[i] = true;
        }
    }
    sort_in_rows(&mut steps, 4.0 * stroke as f32, |s| s.area.bbox);
    tracing::debug!(threshold, stroke, glyphs = glyphs.len(), steps = steps.len(), "pixel graph");
    if steps.len() < 2 {
        return (Vec::new(), Vec::new());
    }
    let page = (w as f32, h as f32);
    let nodes: Vec<Node> = steps
        .iter()
        .enumerate()
        .map(|(k, s)| Node {
            id: format!("n{}", k + 1),
            text: text_of_glyphs(&s.chars, page),
            shape: s.shape,
            bbox: s.area.bbox,
        })
        .collect();

    // Each step's zone: its inside grown over its outline. Ink outside every zone is wire.
    let reach = stroke * 2 + 2 + gap;
    let mut zone = vec![0u32; (w * h) as usize];
    for (k, s) in steps.iter().enumerate() {
        grow_zone(&areas, s.area.label, &s.area.bbox, reach, k as u32 + 1, &mut zone, w, h);
    }
    // A label often sits on its wire over a patch of background that hides the line: the
    // label's box counts as ink, so the two pieces of the wire join through it.
    let label_lines = label_lines(&glyphs, &taken, page);
    let bridges: Vec<BBox> = label_lines.iter().map(|(b, _)| bridged(b, stroke)).collect();
    // Thin connectors are drawn antialiased in grey: wires take fainter ink than outlines.
    let faint = threshold / 2 + 128;
    let mut wire_ink: Vec<bool> =
        gray.pixels().zip(&zone).zip(classes.iter()).map(|((p, &z), &c)| p[0] < faint && z == 0 && c == 0).collect();
    for b in &bridges {
        let (x0, y0) = (b.x0.max(0.0) as u32, b.y0.max(0.0) as u32);
        let (x1, y1) = ((b.x1.max(0.0) as u32).min(w), (b.y1.max(0.0) as u32).min(h));
        for y in y0..y1 {
            for x in x0..x1 {
                let i = (y * w + x) as usize;
                wire_ink[i] |= zone[i] == 0;
            }
        }
    }
    if gap > 0 {
        // Broken lines join the same way.
        let grown = dilate(&wire_ink, w as usize, h as usize, gap as usize);
        for (i, g) in grown.into_iter().enumerate() {
            wire_ink[i] = g && zone[i] == 0;
        }
    }
    let wires_img = GrayImage::from_fn(w, h, |x, y| Luma([if wire_ink[(y * w + x) as usize] { 255 } else { 0 }]));
    let wires = connected_components(&wires_img, Connectivity::Eight, Luma([0]));
    tracing::trace!(labels = ?label_lines, "labels");
    let edges = wire_edges(&wires, &zone, &nodes, stroke, &label_lines, w, h);
    (nodes, edges)
}

/// A label's box with the patch of background that hides its wire (about half a line's height
/// beyond the letters), which counts as ink so that the wire's two pieces join through it.
fn bridged(b: &BBox, stroke: u32) -> BBox {
    let bridge = (stroke as f32 * 2.0).max(0.5 * b.height());
    BBox::new(b.x0 - bridge, b.y0 - bridge, b.x1 + bridge, b.y1 + bridge)
}

struct Step {
    area: AreaStats,
    shape: NodeShape,
    chars: Vec<RawChar>,
}

#[derive(Debug, Clone)]
struct AreaStats {
    label: u32,
    /// One pixel of the area (its first in row order).
    first: (u32, u32),
    pixels: u32,
    bbox: BBox,
    touches_border: bool,
}

fn area_stats(labels: &image::ImageBuffer<Luma<u32>, Vec<u32>>) -> Vec<AreaStats> {
    #[derive(Clone)]
    struct Acc {
        pixels: u32,
        min: (u32, u32),
        max: (u32, u32),
        border: bool,
        first: (u32, u32),
    }
    let (w, h) = labels.dimensions();
    let mut acc: Vec<Acc> = Vec::new();
    for (x, y, l) in labels.enumerate_pixels() {
        let l = l[0] as usize;
        if l == 0 {
            continue;
        }
        if acc.len() < l {
            acc.resize(l, Acc { pixels: 0, min: (u32::MAX, u32::MAX), max: (0, 0), border: false, first: (0, 0) });
        }
        let a = &mut acc[l - 1];
        if a.pixels == 0 {
            a.first = (x, y);
        }
        a.pixels += 1;
        a.min = (a.min.0.min(x), a.min.1.min(y));
        a.max = (a.max.0.max(x + 1), a.max.1.max(y + 1));
        a.border |= x == 0 || y == 0 || x == w - 1 || y == h - 1;
    }
    acc.into_iter()
        .enumerate()
        .filter(|(_, a)| a.pixels > 0)
        .map(|(i, a)| AreaStats {
            label: i as u32 + 1,
            first: a.first,
            pixels: a.pixels,
            bbox: BBox::new(a.min.0 as f32, a.min.1 as f32, a.max.0 as f32, a.max.1 as f32),
            touches_border: a.border,
        })
        .collect()
}

/// A step's shape from its inside: a diamond narrows to points at top and bottom; a
/// parallelogram's top and bottom rows are shifted sideways; a terminal's corners are empty.
fn shape_of(labels: &image::ImageBuffer<Luma<u32>, Vec<u32>>, s: &AreaStats) -> NodeShape {
    let (x0, y0, x1, y1) = (s.bbox.x0 as u32, s.bbox.y0 as u32, s.bbox.x1 as u32, s.bbox.y1 as u32);
    // Each row's extent (first and last pixel of the area, letters inside do not count).
    let row = |y: u32| {
        let first = (x0..x1).find(|&x| labels.get_pixel(x, y)[0] == s.label);
        let last = (x0..x1).rev().find(|&x| labels.get_pixel(x, y)[0] == s.label);
        let extent = match (first, last) {
            (Some(a), Some(b)) => (b - a + 1) as f32,
            _ => 0.0,
        };
        (first, last, extent)
    };
    let height = y1 - y0;
    let width = (x1 - x0) as f32;
    let band = (height / 8).max(1);
    let (top, bottom) = (row(y0 + band), row(y1 - 1 - band));
    let middle = row(y0 + height / 2);
    if top.2 < 0.45 * middle.2 && bottom.2 < 0.45 * middle.2 {
        return NodeShape::Decision;
    }
    if let (Some(tl), Some(bl)) = (top.0, bottom.0) {
        let shift = (tl as f32 - bl as f32).abs();
        let right_shift = (top.1.unwrap_or(0) as f32 - bottom.1.unwrap_or(0) as f32).abs();
        if shift > 0.06 * width && right_shift > 0.06 * width && (tl > bl) == (top.1 > bottom.1) {
            return NodeShape::Data;
        }
    }
    // Corners: the inside's share of a small square in each corner of the box.
    let side = (height / 6).max(2);
    let corner = |cx: u32, cy: u32| {
        let mut n = 0;
        for y in cy..(cy + side).min(y1) {
            for x in cx..(cx + side).min(x1) {
                n += u32::from(labels.get_pixel(x, y)[0] == s.label);
            }
        }
        n as f32 / (side * side) as f32
    };
    let corners = [corner(x0, y0), corner(x1.saturating_sub(side), y0), corner(x0, y1.saturating_sub(side))];
    if corners.iter().all(|&c| c < 0.6) { NodeShape::Terminal } else { NodeShape::Process }
}

/// Lines of the glyphs no step took: edge labels. OCR reads an arrowhead or a speck as a tiny
/// "letter"; lines much smaller than the chart's text are dropped.
fn label_lines(glyphs: &[&RawChar], taken: &[bool], page: (f32, f32)) -> Vec<(BBox, String)> {
    let mut heights: Vec<f32> = glyphs.iter().map(|g| g.bbox.height()).collect();
    heights.sort_by(f32::total_cmp);
    let typical = heights.get(heights.len() / 2).copied().unwrap_or(0.0);
    let loose: Vec<RawChar> = glyphs.iter().zip(taken).filter(|(_, t)| !**t).map(|(g, _)| (*g).clone()).collect();
    build_lines(&loose, page)
        .into_iter()
        .filter(|l| l.bbox.height() >= 0.5 * typical)
        .filter(|l| !l.text.trim().is_empty() && l.text.chars().count() <= 60)
        .map(|l| (l.bbox, l.text.trim().to_string()))
        .collect()
}

/// Where each wire meets the steps, and the edges that makes.
fn wire_edges(
    wires: &image::ImageBuffer<Luma<u32>, Vec<u32>>,
    zone: &[u32],
    nodes: &[Node],
    stroke: u32,
    labels: &[(BBox, String)],
    w: u32,
    h: u32,
) -> Vec<Edge> {
    // Contact pixels per (wire, step).
    let mut contacts: std::collections::BTreeMap<(u32, u32), (f64, f64, u32)> = std::collections::BTreeMap::new();
    let mut wire_pixels: std::collections::BTreeMap<u32, Vec<(u32, u32)>> = std::collections::BTreeMap::new();
    for (x, y, l) in wires.enumerate_pixels() {
        let l = l[0];
        if l == 0 {
            continue;
        }
        wire_pixels.entry(l).or_default().push((x, y));
        for (dx, dy) in [(-1i32, 0i32), (1, 0), (0, -1), (0, 1)] {
            let (nx, ny) = (x as i32 + dx, y as i32 + dy);
            if nx < 0 || ny < 0 || nx >= w as i32 || ny >= h as i32 {
                continue;
            }
            let z = zone[(ny as u32 * w + nx as u32) as usize];
            if z > 0 {
                let e = contacts.entry((l, z)).or_insert((0.0, 0.0, 0));
                e.0 += f64::from(x);
                e.1 += f64::from(y);
                e.2 += 1;
            }
        }
    }
    let radius = (stroke * 5 + 4) as f32;
    // (With the patch bridged over them: see `recover_from_pixels`.)
    let lettered: Vec<BBox> = labels.iter().map(|(b, _)| bridged(b, stroke)).collect();
    let s = stroke as i32;
    let hugs_zone = |x: u32, y: u32| {
        [(-s, -s), (0, -s), (s, -s), (-s, 0), (s, 0), (-s, s), (0, s), (s, s)].iter().any(|&(dx, dy)| {
            let (nx, ny) = (x as i32 + dx, y as i32 + dy);
            nx >= 0 && ny >= 0 && nx < w as i32 && ny < h as i32 && zone[(ny as u32 * w + nx as u32) as usize] > 0
        })
    };
    // Too little ink to be a wire (a speck, a stray letter); a wire joins two steps or more.
    let joins = |wire: u32, pixels: &[(u32, u32)]| {
        pixels.len() as u32 >= stroke * 12 && contacts.range((wire, 0)..=(wire, u32::MAX)).count() >= 2
    };
    // Each label goes to the wire it lies nearest (a branch's label sits by its own line, even
    // where another branch of the same decision passes within reach).
    let nearest_wire: Vec<Option<u32>> = labels
        .iter()
        .map(|(b, _)| {
            wire_pixels
                .iter()
                .filter(|(wire, pixels)| joins(**wire, pixels))
                .map(|(wire, pixels)| {
                    let d = pixels.iter().map(|&(x, y)| b.distance_to((x as f32, y as f32))).fold(f32::MAX, f32::min);
                    (*wire, d)
                })
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(wire, _)| wire)
        })
        .collect();
    let mut edges: Vec<Edge> = Vec::new();
    for (wire, pixels) in &wire_pixels {
        if !joins(*wire, pixels) {
            continue;
        }
        let own_labels: Vec<(BBox, String)> =
            labels.iter().zip(&nearest_wire).filter(|(_, n)| **n == Some(*wire)).map(|(l, _)| l.clone()).collect();
        let ends: Vec<(usize, (f32, f32), usize)> = contacts
            .range((*wire, 0)..=(*wire, u32::MAX))
            .map(|(&(_, z), &(sx, sy, n))| {
                let at = ((sx / f64::from(n)) as f32, (sy / f64::from(n)) as f32);
                // A label set at the corner a branch leaves (a decision's "Yes") is no
                // arrowhead: its letters do not weigh.
                let mass = pixels
                    .iter()
                    .filter(|&&(x, y)| (x as f32 - at.0).hypot(y as f32 - at.1) <= radius)
                    .filter(|&&(x, y)| !lettered.iter().any(|b| b.distance_to((x as f32, y as f32)) <= 0.0))
                    // Nor does what is left of the step's own outline at a corner (a diamond's
                    // or an ellipse's point): it hugs the step, as a head's body does not.
                    .filter(|&&(x, y)| !hugs_zone(x, y))
                    .count();
                (z as usize - 1, at, mass)
            })
            .collect();
        tracing::trace!(wire, pixels = pixels.len(), ends = ?ends, "wire");
        if ends.len() < 2 {
            continue;
        }
        let lightest = ends.iter().map(|e| e.2).min().unwrap_or(0).max(1) as f32;
        let mut targets: Vec<&(usize, (f32, f32), usize)> =
            ends.iter().filter(|e| e.2 as f32 >= HEAD_MASS * lightest).collect();
        let mut sources: Vec<&(usize, (f32, f32), usize)> =
            ends.iter().filter(|e| (e.2 as f32) < HEAD_MASS * lightest).collect();
        if targets.is_empty() && ends.len() == 2 {
            // No arrowheads: the flow runs down the page, then right.
            let (a, b) = (&ends[0], &ends[1]);
            let key = |e: &(usize, (f32, f32), usize)| (nodes[e.0].bbox.center_y(), nodes[e.0].bbox.x0);
            let (first, second) = if key(a) < key(b) { (a, b) } else { (b, a) };
            sources = vec![first];
            targets = vec![second];
        }
        for t in &targets {
            for s in &sources {
                if s.0 == t.0 || edges.iter().any(|e| e.source == nodes[s.0].id && e.target == nodes[t.0].id) {
                    continue;
                }
                let label =
                    edge_label(&own_labels, pixels, s.1, t.1, &targets.iter().map(|t| t.1).collect::<Vec<_>>(), stroke);
                edges.push(Edge { source: nodes[s.0].id.clone(), target: nodes[t.0].id.clone(), label });
            }
        }
    }
    edges
}

/// The label on the way from `from` to `to`: a label line whose box lies on or beside this
/// wire, nearer the straight way to `to` than to any other target.
fn edge_label(
    labels: &[(BBox, String)],
    wire: &[(u32, u32)],
    from: (f32, f32),
    to: (f32, f32),
    all_targets: &[(f32, f32)],
    stroke: u32,
) -> Option<String> {
    let mine: Vec<&str> = labels
        .iter()
        .filter(|(b, _)| {
            let reach = b.height() * 1.5 + stroke as f32 * 2.0;
            let grown = BBox::new(b.x0 - reach, b.y0 - reach, b.x1 + reach, b.y1 + reach);
            let on_wire = wire.iter().any(|&(x, y)| {
                let (fx, fy) = (x as f32, y as f32);
                fx >= grown.x0 && fx <= grown.x1 && fy >= grown.y0 && fy <= grown.y1
            });
            let c = ((b.x0 + b.x1) / 2.0, b.center_y());
            let d = segment_distance(c, from, to);
            on_wire && all_targets.iter().all(|&o| o == to || segment_distance(c, from, o) >= d)
        })
        .map(|(_, t)| t.as_str())
        .collect();
    (!mine.is_empty()).then(|| mine.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use imageproc::drawing::{draw_hollow_rect_mut, draw_line_segment_mut, draw_polygon_mut};
    use imageproc::point::Point;
    use imageproc::rect::Rect;

    fn glyphs(text: &str, x: f32, y: f32) -> Vec<RawChar> {
        crate::testing::glyph_run(text, (x, y), 12.0, 14.0, 20.0)
    }

    fn thick_line(img: &mut RgbImage, a: (f32, f32), b: (f32, f32)) {
        for d in -1..=1 {
            let o = d as f32;
            let (ax, ay, bx, by) = if a.0 == b.0 { (a.0 + o, a.1, b.0 + o, b.1) } else { (a.0, a.1 + o, b.0, b.1 + o) };
            draw_line_segment_mut(img, (ax, ay), (bx, by), image::Rgb([0, 0, 0]));
        }
    }

    fn head_down(img: &mut RgbImage, x: i32, y: i32) {
        let pts = [Point::new(x, y), Point::new(x - 10, y - 18), Point::new(x + 10, y - 18)];
        draw_polygon_mut(img, &pts, image::Rgb([0, 0, 0]));
    }

    /// Start -> Dose? -> Give / Wait: outlined boxes, a green filled diamond, branches out of its
    /// corners, across and down; the steps' glyphs.
    fn decision_chart() -> (RgbImage, Vec<RawChar>) {
        let mut img = RgbImage::from_pixel(600, 700, image::Rgb([255, 255, 255]));
        // Outlined start box, a green filled decision diamond, two outlined outcome boxes.
        for t in 0..3 {
            draw_hollow_rect_mut(
                &mut img,
                Rect::at(200 + t, 20 + t).of_size(200 - 2 * t as u32, 80 - 2 * t as u32),
                image::Rgb([0, 0, 0]),
            );
            draw_hollow_rect_mut(
                &mut img,
                Rect::at(40 + t, 520 + t).of_size(200 - 2 * t as u32, 80 - 2 * t as u32),
                image::Rgb([0, 0, 0]),
            );
            draw_hollow_rect_mut(
                &mut img,
                Rect::at(360 + t, 520 + t).of_size(200 - 2 * t as u32, 80 - 2 * t as u32),
                image::Rgb([0, 0, 0]),
            );
        }
        let diamond = [Point::new(300, 180), Point::new(420, 280), Point::new(300, 380), Point::new(180, 280)];
        draw_polygon_mut(&mut img, &diamond, image::Rgb([150, 200, 120]));
        thick_line(&mut img, (300.0, 100.0), (300.0, 180.0));
        head_down(&mut img, 300, 180);
        // Out of the diamond's sides, across, and down into the outcomes.
        thick_line(&mut img, (180.0, 280.0), (140.0, 280.0));
        thick_line(&mut img, (140.0, 280.0), (140.0, 520.0));
        head_down(&mut img, 140, 520);
        thick_line(&mut img, (420.0, 280.0), (460.0, 280.0));
        thick_line(&mut img, (460.0, 280.0), (460.0, 520.0));
        head_down(&mut img, 460, 520);
        let mut chars = glyphs("Start", 260.0, 60.0);
        chars.extend(glyphs("Dose?", 265.0, 280.0));
        chars.extend(glyphs("Give", 110.0, 560.0));
        chars.extend(glyphs("Wait", 430.0, 560.0));
        (img, chars)
    }

    /// Start -> Dose?, then Dose? -Yes-> Give and -No-> Wait.
    fn assert_decision_edges(edges: &[Edge]) {
        let mut found: Vec<(&str, &str, Option<&str>)> =
            edges.iter().map(|e| (e.source.as_str(), e.target.as_str(), e.label.as_deref())).collect();
        found.sort();
        assert_eq!(found, [("n1", "n2", None), ("n2", "n3", Some("Yes")), ("n2", "n4", Some("No"))]);
    }

    #[test]
    fn boxes_arrows_a_diamond_and_labels_become_a_graph() {
        let (img, mut chars) = decision_chart();
        chars.extend(glyphs("Yes", 100.0, 400.0));
        chars.extend(glyphs("No", 470.0, 400.0));
        let (nodes, edges) = recover_from_pixels(&img, &chars);
        let names: Vec<(&str, NodeShape)> = nodes.iter().map(|n| (n.text.as_str(), n.shape)).collect();
        assert_eq!(
            names,
            [
                ("Start", NodeShape::Process),
                ("Dose?", NodeShape::Decision),
                ("Give", NodeShape::Process),
                ("Wait", NodeShape::Process)
            ]
        );
        assert_decision_edges(&edges);
    }

    #[test]
    fn a_chart_on_grainy_grey_paper_keeps_its_steps_and_wires() {
        // A scan's paper: mid-grey with a grain spread over three 16-level bins, a smooth shade
        // (the grain's low frequencies) under it.
        let (mut img, chars) = decision_chart();
        let mut seed = 12345u32;
        for (x, y, p) in img.enumerate_pixels_mut() {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let grain = (seed >> 16) % 25;
            let shade = (x / 7 + y / 5) % 5;
            if p[0] == 255 {
                let v = (204 + grain + shade) as u8;
                *p = image::Rgb([v, v, v]);
            }
        }
        let (nodes, edges) = recover_from_pixels(&img, &chars);
        assert_eq!(nodes.len(), 4, "{nodes:?}");
        assert_eq!(edges.len(), 3, "{edges:?}");
    }

    #[test]
    fn labels_at_the_corners_a_branch_leaves_go_to_it_and_do_not_turn_it() {
        // "Yes" and "No" printed over the first piece of each branch, right by the diamond.
        let (img, mut chars) = decision_chart();
        chars.extend(glyphs("Yes", 128.0, 262.0));
        chars.extend(glyphs("No", 424.0, 262.0));
        let (_, edges) = recover_from_pixels(&img, &chars);
        assert_decision_edges(&edges);
    }
}
