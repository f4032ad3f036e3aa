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
/// ... and this much more where a label hides part of it (see `wire_edges`).
const HIDDEN_HEAD_MASS: f32 = 2.5;
/// A wire pixel that is a label's letter, or a label's patch bridged over (see
/// `recover_closing_gaps`).
const LETTER: u8 = 1;
const PATCH: u8 = 2;
/// The most of a chart's picture its ink may cover.
const MAX_INK_SHARE: f32 = 0.6;

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
    // A chart is drawn on paper: a picture mostly ink (a photo, a black page) holds none, and
    // its ink as one component cost 0.3 GB on a black Letter page.
    let ink = picture.gray.pixels().filter(|p| p[0] < picture.threshold).count();
    if ink as f32 > MAX_INK_SHARE * picture.gray.len() as f32 {
        return (Vec::new(), Vec::new());
    }
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
    // How far a step's text reaches: a text layer's boxes take the font's whole ascent and
    // descent, and stick out of a tight box drawn in the picture.
    let em_boxes: Vec<BBox> = glyphs.iter().map(|g| em_box(g)).collect();
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
    // A small patch of a colour that holds no letters is drawn ink: an arrow in a colour the
    // chart also fills its boxes with.
    let mut drawn = vec![false; stats.iter().map(|s| s.label as usize + 1).max().unwrap_or(0)];
    for s in &stats {
        let colour = classes[(s.first.1 * w + s.first.0) as usize];
        drawn[s.label as usize] = colour != BACKGROUND && (s.pixels as f32) <= 6.0 * letter * letter;
    }
    for &a in &glyph_area {
        if let Some(d) = drawn.get_mut(a as usize) {
            *d = false;
        }
    }
    let mut steps: Vec<Step> = stats
        .into_iter()
        .filter(|s| {
            let colour = classes[(s.first.1 * w + s.first.0) as usize];
            // The page's background counts only where an outline encloses it.
            (colour != BACKGROUND || !s.touches_border) && s.pixels as f32 <= max_area
        })
        .filter(|s| s.pixels as f32 >= MIN_FILL * s.bbox.area() && s.bbox.width() >= 4.0 * stroke as f32)
        .filter_map(|s| {
            let (inside, inside_em): (Vec<RawChar>, Vec<BBox>) = glyphs
                .iter()
                .zip(&glyph_area)
                .zip(&em_boxes)
                .filter(|((c, a), _)| **a == s.label && s.bbox.holds_centre_of(&c.bbox))
                .map(|((c, _), ink)| ((*c).clone(), *ink))
                .unzip();
            let text = BBox::union_all(&inside_em)?;
            // A label's patch of colour hugs its letters; a filled step leaves a margin around
            // them (measured from the font's boxes, which a label's patch is cut to). (An
            // outlined step may be tight: its outline tells it from a label.)
            let font_box = BBox::union_all(inside.iter().map(|c| &c.bbox))?;
            let margin = (s.bbox.width() - font_box.width()).min(s.bbox.height() - font_box.height());
            let filled = classes[(s.first.1 * w + s.first.0) as usize] != BACKGROUND;
            // The hole inside a letter (the counters of 口, o, 效) is not a step: its letter
            // sticks out of it. Most letters of a step lie inside it (one that touches the
            // outline where a wire comes in takes some of the wire's ink).
            let slack = 0.25 * letter;
            let within = |t: &&BBox| {
                t.x0 >= s.bbox.x0 - slack
                    && t.x1 <= s.bbox.x1 + slack
                    && t.y0 >= s.bbox.y0 - slack
                    && t.y1 <= s.bbox.y1 + slack
            };
            let holds_text = inside_em.iter().filter(within).count() * 4 >= inside_em.len() * 3;
            // A step's text sits in its middle; a label in the space between wires and steps
            // sits at its edge.
            let centred = ((text.x0 + text.x1) - (s.bbox.x0 + s.bbox.x1)).abs() <= 0.5 * s.bbox.width()
                && ((text.y0 + text.y1) - (s.bbox.y0 + s.bbox.y1)).abs() <= 0.5 * s.bbox.height();
            // (A column of upright letters, one under the other, fills a box narrower than a
            // line is high; the hole in a letter is smaller than its letter.)
            let column = inside.len() >= 2 && text.height() > text.width();
            let fits = column && s.bbox.width() >= text.width() && s.bbox.height() >= text.height();
            let big_enough = s.bbox.height() >= 0.8 * letter
                && (s.bbox.width() >= letter || (fits && s.bbox.width() >= 0.8 * letter));
            // Wires and steps also enclose space, now and then around a label: a step's
            // letters cover a fair share of it.
            let covered = inside.iter().map(|c| c.bbox.area()).sum::<f32>() >= 0.03 * s.pixels as f32;
            let keep = holds_text && centred && big_enough && covered && (!filled || margin >= 0.6 * letter);
            if !keep {
                tracing::trace!(area = ?s.bbox, text = ?text, holds_text, centred, big_enough, covered, filled, margin, letter, "not a step");
            }
            keep.then(|| Step {
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
    let mut wire_ink: Vec<bool> = gray
        .pixels()
        .zip(areas.pixels())
        .zip(&zone)
        .zip(classes.iter())
        .map(|(((p, a), &z), &c)| p[0] < faint && z == 0 && (c == 0 || drawn.get(a[0] as usize) == Some(&true)))
        .collect();
    // What the labels make of the wires: their letters ([`LETTER`]) and the patches bridged
    // over ([`PATCH`]), neither of which weighs at a wire's end.
    let mut lettered = vec![0u8; (w * h) as usize];
    for (b, (letters, _)) in bridges.iter().zip(&label_lines) {
        let (x0, y0) = (b.x0.max(0.0) as u32, b.y0.max(0.0) as u32);
        let (x1, y1) = ((b.x1.max(0.0) as u32).min(w), (b.y1.max(0.0) as u32).min(h));
        for y in y0..y1 {
            for x in x0..x1 {
                let i = (y * w + x) as usize;
                if zone[i] != 0 {
                    continue;
                }
                if !wire_ink[i] {
                    wire_ink[i] = true;
                    lettered[i] = PATCH;
                } else if letters.distance_to((x as f32, y as f32)) <= 0.0 {
                    lettered[i] = LETTER;
                }
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
    let edges = wire_edges(&wires, (&zone, &lettered), &nodes, stroke, (&label_lines, &bridges));
    (nodes, edges)
}

/// The part of a glyph's box its letter can fill: an upright glyph's ink lies within about an
/// em above its baseline and a descender below, though a font's ascent and descent may reach
/// into the lines above and below (circled digits, CJK fonts).
fn em_box(glyph: &RawChar) -> BBox {
    let b = glyph.bbox;
    if glyph.angle.abs() >= 1.0 || glyph.size <= 0.0 {
        return b;
    }
    let (top, bottom) = (b.y0.max(glyph.origin.1 - glyph.size), b.y1.min(glyph.origin.1 + 0.3 * glyph.size));
    if bottom > top { BBox::new(b.x0, top, b.x1, bottom) } else { b }
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

/// Where a wire meets a step: the sums of its contact pixels' x and y, and their count.
type ContactSums = (f64, f64, u32);

/// Where each wire meets the steps, and the edges that makes; `zone` holds each pixel's step
/// (0 for none), `lettered` the pixels of the labels' letters and patches; `bridges` the
/// labels' boxes with their patches (see [`bridged`]).
fn wire_edges(
    wires: &image::ImageBuffer<Luma<u32>, Vec<u32>>,
    (zone, lettered): (&[u32], &[u8]),
    nodes: &[Node],
    stroke: u32,
    (labels, bridges): (&[(BBox, String)], &[BBox]),
) -> Vec<Edge> {
    let (w, h) = wires.dimensions();
    // Contact pixels per (wire, step).
    let mut contacts: std::collections::BTreeMap<(u32, u32), ContactSums> = std::collections::BTreeMap::new();
    let mut wire_pixels: std::collections::BTreeMap<u32, Vec<(u32, u32)>> = std::collections::BTreeMap::new();
    for (x, y, l) in wires.enumerate_pixels() {
        let l = l[0];
        if l == 0 {
            continue;
        }
        wire_pixels.entry(l).or_default().push((x, y));
        // A label set tight against a step beside its wire does not wire it to that step
        // through its patch.
        if lettered[(y * w + x) as usize] == PATCH {
            continue;
        }
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
    let s = stroke as i32;
    let hugs_zone = |x: u32, y: u32| {
        [(-s, -s), (0, -s), (s, -s), (-s, 0), (s, 0), (-s, s), (0, s), (s, s)].iter().any(|&(dx, dy)| {
            let (nx, ny) = (x as i32 + dx, y as i32 + dy);
            nx >= 0 && ny >= 0 && nx < w as i32 && ny < h as i32 && zone[(ny as u32 * w + nx as u32) as usize] > 0
        })
    };
    // The ink of a wire near `at` that weighs for an arrowhead; `clear_of_labels`: none of
    // it near a label (the line a label sits on and the label's patch), else only the labels'
    // letters and patches left out.
    let mass_near = |pixels: &[(u32, u32)], at: (f32, f32), clear_of_labels: bool| {
        pixels
            .iter()
            .filter(|&&(x, y)| (x as f32 - at.0).hypot(y as f32 - at.1) <= radius)
            // A label set at the corner a branch leaves (a decision's "Yes") is no arrowhead:
            // its letters do not weigh.
            .filter(|&&(x, y)| lettered[(y * w + x) as usize] == 0)
            .filter(|&&(x, y)| !clear_of_labels || !bridges.iter().any(|b| b.distance_to((x as f32, y as f32)) <= 0.0))
            // Nor does what is left of the step's own outline at a corner (a diamond's or an
            // ellipse's point): it hugs the step, as a head's body does not.
            .filter(|&&(x, y)| !hugs_zone(x, y))
            .count()
    };
    // An arrow drawn short of its step (a gap before the head's tip, common in drawn
    // algorithms) reaches the nearest step a few strokes beyond its head.
    let leap = (stroke * 8 + 4) as f32;
    let mut short: Vec<((u32, u32), ContactSums)> = Vec::new();
    for (wire, pixels) in &wire_pixels {
        let mut touched = contacts.range((*wire, 0)..=(*wire, u32::MAX));
        let (Some((&(_, from), &(sx, sy, n))), None) = (touched.next(), touched.next()) else { continue };
        if (pixels.len() as u32) < stroke * 12 {
            continue;
        }
        let at = ((sx / f64::from(n)) as f32, (sy / f64::from(n)) as f32);
        let away = |p: &&(u32, u32)| (p.0 as f32 - at.0).hypot(p.1 as f32 - at.1);
        let Some(&end) = pixels.iter().max_by(|a, b| away(a).total_cmp(&away(b))) else { continue };
        let end = (end.0 as f32, end.1 as f32);
        let headed = mass_near(pixels, end, false) as f32 >= HEAD_MASS * mass_near(pixels, at, false).max(1) as f32;
        let reached = nodes
            .iter()
            .enumerate()
            .filter(|&(k, _)| k as u32 + 1 != from)
            .map(|(k, n)| (k as u32 + 1, n.bbox.distance_to(end)))
            .filter(|&(_, d)| d <= leap)
            .min_by(|a, b| a.1.total_cmp(&b.1));
        if let (true, Some((to, _))) = (headed, reached) {
            short.push(((*wire, to), (f64::from(end.0), f64::from(end.1), 1)));
        }
    }
    contacts.extend(short);
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
        let mut ends: Vec<(usize, (f32, f32), usize)> = contacts
            .range((*wire, 0)..=(*wire, u32::MAX))
            .map(|(&(_, z), &(sx, sy, n))| {
                let at = ((sx / f64::from(n)) as f32, (sy / f64::from(n)) as f32);
                (z as usize - 1, at, mass_near(pixels, at, true))
            })
            .collect();
        // An end whose every pixel lies by a label is hidden, not bare: its head (just past a
        // label's end) counts when the ink beside the label clearly outweighs every other end.
        let strict: Vec<usize> = ends.iter().map(|e| e.2).collect();
        for (k, e) in ends.iter_mut().enumerate().filter(|(_, e)| e.2 == 0) {
            let others = strict.iter().enumerate().filter(|&(j, _)| j != k).map(|(_, &m)| m).max().unwrap_or(0).max(1);
            let beside = mass_near(pixels, e.1, false);
            if beside as f32 >= HIDDEN_HEAD_MASS * others as f32 {
                e.2 = beside;
            }
        }
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
mod tests;
