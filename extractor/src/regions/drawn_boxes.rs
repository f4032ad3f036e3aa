//! Boxes drawn in a picture, found in its pixels: the evidence that a raster figure is a
//! flowchart.
//!
//! A box is an area of one colour (white inside a black outline, or a coloured fill) that is
//! enclosed by something else, rectangular, of a size a step has, and holds something (its
//! label). Steps stand apart; a table's cells abut, a chemical ring is a hexagon, a bar is empty.

use image::RgbImage;

use crate::union_find::DisjointSets;

/// Largest difference in any channel between a pixel and the colour its area started from.
const SAME_COLOUR: i16 = 24;

/// The same for white areas, whose borders can be faint antialiased hairlines.
const SAME_WHITE: i16 = 10;

/// Share of its row-by-row outline an area must fill: rounded rectangles pass, ellipses (0.79),
/// hexagons (0.75) and diamonds (0.5) do not.
const RECTANGULAR: f32 = 0.9;

/// Narrowest step, in pixels of the layout model's page image (about 0.75 px per point): room
/// for a label of a few characters. The white gaps between a bar chart's bars and grid lines
/// are narrower.
const MIN_WIDTH: usize = 24;

/// Share of a box that something else (its label) must cover.
const MIN_CONTENT: f32 = 0.03;

/// An area of one colour: its bounding rectangle (inclusive pixels) and its pixel count.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Area {
    x0: usize,
    y0: usize,
    x1: usize,
    y1: usize,
    pixels: usize,
    label: u32,
}

impl Area {
    fn width(&self) -> usize {
        self.x1 - self.x0 + 1
    }
    fn height(&self) -> usize {
        self.y1 - self.y0 + 1
    }
}

/// The number of separate drawn boxes in the picture (boxes that tile, like a table's cells,
/// do not count).
pub fn count_drawn_boxes(image: &RgbImage) -> DrawnBoxes {
    let (w, h) = (image.width() as usize, image.height() as usize);
    if w < 8 || h < 8 {
        return DrawnBoxes::default();
    }
    let (labels, areas) = colour_areas(image);
    let boxes: Vec<Area> = areas
        .iter()
        .filter(|(a, edge)| {
            let plausible =
                a.width() >= MIN_WIDTH && a.height() >= 6 && a.width() * 3 <= w * 2 && a.height() * 3 <= h * 2;
            !edge && plausible && a.pixels * 10 >= a.width() * a.height() * 6
        })
        .map(|(a, _)| *a)
        .filter(|a| is_labelled_rectangle(a, &labels, w))
        .collect();
    // Cells of a table are separated by a rule a pixel or two wide; steps by room for an arrow.
    let steps: Vec<Area> = boxes.iter().filter(|a| !boxes.iter().any(|b| a != &b && abut(a, b))).copied().collect();
    let joined = count_joined(&steps, &areas, &labels, w, h);
    tracing::debug!(size = ?(w, h), joined, boxes = ?steps.iter().map(|a| (a.x0, a.y0, a.x1, a.y1)).collect::<Vec<_>>(), "drawn boxes");
    DrawnBoxes { boxes: steps.len(), joined }
}

/// What a picture's pixels say about its boxes.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DrawnBoxes {
    /// Separate rectangular boxes holding something.
    pub boxes: usize,
    /// Those of them drawn together with another box by lines (an outline, a connector, an
    /// arrow): boxes standing side by side unconnected are a legend or a scale, not a chart.
    pub joined: usize,
}

/// Boxes joined to another box by drawn pixels: everything that is neither a box nor a large
/// background area, taken 8-connected, touching the rims of both boxes.
fn count_joined(boxes: &[Area], areas: &[(Area, bool)], labels: &[u32], w: usize, h: usize) -> usize {
    if boxes.len() < 2 {
        return 0;
    }
    let largest_box = boxes.iter().map(|b| b.pixels).max().unwrap_or(0);
    let mut drawn = vec![true; areas.len() + 1];
    drawn[0] = false;
    // (Lines touching the picture's edge are still lines: only size makes an area background.)
    for (a, _) in areas {
        drawn[a.label as usize] = a.pixels <= 2 * largest_box;
    }
    for b in boxes {
        drawn[b.label as usize] = false;
    }
    // Drawn pixels joined into strokes.
    let mut strokes = DisjointSets::new(w * h);
    let is_drawn = |i: usize| drawn[labels[i] as usize];
    for y in 0..h {
        for x in 0..w {
            let i = y * w + x;
            if !is_drawn(i) {
                continue;
            }
            let earlier = [
                (x > 0).then(|| i - 1),
                (y > 0).then(|| i - w),
                (x > 0 && y > 0).then(|| i - w - 1),
                (x + 1 < w && y > 0).then(|| i - w + 1),
            ];
            for j in earlier.into_iter().flatten() {
                if is_drawn(j) {
                    strokes.union(j, i);
                }
            }
        }
    }
    // The drawn components on each box's rim (two pixels outside its rectangle).
    let rims: Vec<Vec<usize>> = boxes
        .iter()
        .map(|b| {
            let (x0, y0) = (b.x0.saturating_sub(2), b.y0.saturating_sub(2));
            let (x1, y1) = ((b.x1 + 2).min(w - 1), (b.y1 + 2).min(h - 1));
            let mut ids = Vec::new();
            for y in y0..=y1 {
                for x in x0..=x1 {
                    let inside = x >= b.x0 && x <= b.x1 && y >= b.y0 && y <= b.y1;
                    if !inside && is_drawn(y * w + x) {
                        ids.push(strokes.find(y * w + x));
                    }
                }
            }
            ids.sort_unstable();
            ids.dedup();
            ids
        })
        .collect();
    (0..boxes.len())
        .filter(|&i| (0..boxes.len()).any(|j| j != i && rims[i].iter().any(|id| rims[j].binary_search(id).is_ok())))
        .count()
}

/// Splits the picture into areas of one colour (4-connected, each pixel within SAME_COLOUR of
/// the area's first pixel), each with whether it touches the picture's edge. Labels count from 1
/// in the order of the areas.
fn colour_areas(image: &RgbImage) -> (Vec<u32>, Vec<(Area, bool)>) {
    let (w, h) = (image.width() as usize, image.height() as usize);
    let px: Vec<[i16; 3]> = image.pixels().map(|p| [p[0].into(), p[1].into(), p[2].into()]).collect();
    let mut labels = vec![0u32; w * h];
    let mut areas = Vec::new();
    let mut stack = Vec::new();
    let mut next = 0u32;
    for start in 0..w * h {
        if labels[start] != 0 {
            continue;
        }
        next += 1;
        let seed = px[start];
        // On white paper a thin rule is rendered as a faint grey that must still part areas.
        let tolerance = if seed.iter().all(|&c| c >= 240) { SAME_WHITE } else { SAME_COLOUR };
        let near = |c: [i16; 3]| (0..3).all(|k| (c[k] - seed[k]).abs() <= tolerance);
        let mut area = Area { x0: w, y0: h, x1: 0, y1: 0, pixels: 0, label: next };
        let mut touches_edge = false;
        labels[start] = next;
        stack.push(start);
        while let Some(i) = stack.pop() {
            let (x, y) = (i % w, i / w);
            area.pixels += 1;
            area.x0 = area.x0.min(x);
            area.y0 = area.y0.min(y);
            area.x1 = area.x1.max(x);
            area.y1 = area.y1.max(y);
            touches_edge |= x == 0 || y == 0 || x == w - 1 || y == h - 1;
            let neighbours = [
                (x > 0).then(|| i - 1),
                (x + 1 < w).then(|| i + 1),
                (y > 0).then(|| i - w),
                (y + 1 < h).then(|| i + w),
            ];
            for j in neighbours.into_iter().flatten() {
                if labels[j] == 0 && near(px[j]) {
                    labels[j] = next;
                    stack.push(j);
                }
            }
        }
        areas.push((area, touches_edge));
    }
    (labels, areas)
}

/// Rectangular (each row of the area spans nearly the whole width) and holding something: the
/// pixels inside the area's row spans that are not the area are its label.
fn is_labelled_rectangle(a: &Area, labels: &[u32], w: usize) -> bool {
    let mut spanned = 0usize;
    for y in a.y0..=a.y1 {
        let row = &labels[y * w + a.x0..=y * w + a.x1];
        let first = row.iter().position(|&l| l == a.label);
        let last = row.iter().rposition(|&l| l == a.label);
        if let (Some(f), Some(l)) = (first, last) {
            spanned += l - f + 1;
        }
    }
    let bounding = (a.width() * a.height()) as f32;
    let content = spanned.saturating_sub(a.pixels) as f32;
    spanned as f32 >= RECTANGULAR * bounding && content >= MIN_CONTENT * spanned as f32
}

/// Two areas side by side with only a thin rule between them.
fn abut(a: &Area, b: &Area) -> bool {
    let gap_x = (b.x0 as i64 - a.x1 as i64).max(a.x0 as i64 - b.x1 as i64);
    let gap_y = (b.y0 as i64 - a.y1 as i64).max(a.y0 as i64 - b.y1 as i64);
    let overlap_y = (a.y1.min(b.y1) as i64 - a.y0.max(b.y0) as i64) > 2;
    let overlap_x = (a.x1.min(b.x1) as i64 - a.x0.max(b.x0) as i64) > 2;
    (gap_x <= 3 && overlap_y) || (gap_y <= 3 && overlap_x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    fn fill(img: &mut RgbImage, x0: u32, y0: u32, x1: u32, y1: u32, colour: [u8; 3]) {
        for y in y0..=y1 {
            for x in x0..=x1 {
                img.put_pixel(x, y, Rgb(colour));
            }
        }
    }

    /// An outlined box with a dark "label" bar inside.
    fn labelled_box(img: &mut RgbImage, x0: u32, y0: u32, x1: u32, y1: u32) {
        fill(img, x0, y0, x1, y1, [0, 0, 0]);
        fill(img, x0 + 1, y0 + 1, x1 - 1, y1 - 1, [255, 255, 255]);
        fill(img, x0 + 6, (y0 + y1) / 2 - 1, x1 - 6, (y0 + y1) / 2 + 1, [20, 20, 20]);
    }

    #[test]
    fn separate_labelled_boxes_count_and_a_grid_does_not() {
        let mut chart = RgbImage::from_pixel(200, 200, Rgb([255, 255, 255]));
        for k in 0..3 {
            labelled_box(&mut chart, 60, 10 + 60 * k, 140, 40 + 60 * k);
        }
        assert_eq!(count_drawn_boxes(&chart), DrawnBoxes { boxes: 3, joined: 0 });
        let mut table = RgbImage::from_pixel(200, 200, Rgb([255, 255, 255]));
        for r in 0..4 {
            for c in 0..3 {
                labelled_box(&mut table, 10 + 60 * c, 10 + 30 * r, 70 + 60 * c, 40 + 30 * r);
            }
        }
        assert_eq!(count_drawn_boxes(&table).boxes, 0);
    }

    #[test]
    fn colour_filled_steps_count_and_empty_bars_do_not() {
        let mut poster = RgbImage::from_pixel(240, 200, Rgb([30, 90, 160]));
        for k in 0..4 {
            let y0 = 10 + 45 * k;
            fill(&mut poster, 50, y0, 190, y0 + 30, [250, 220, 200]);
            fill(&mut poster, 60, y0 + 12, 180, y0 + 16, [0, 0, 0]);
        }
        assert_eq!(count_drawn_boxes(&poster).boxes, 4);
        let mut bars = RgbImage::from_pixel(240, 200, Rgb([255, 255, 255]));
        for k in 0..5 {
            fill(&mut bars, 20 + 40 * k, 60 + 10 * k, 40 + 40 * k, 180, [200, 60, 60]);
        }
        assert_eq!(count_drawn_boxes(&bars).boxes, 0);
    }

    #[test]
    fn rings_are_not_boxes() {
        let mut molecule = RgbImage::from_pixel(200, 200, Rgb([255, 255, 255]));
        // Four diamonds (rotated squares) with a dot inside, like rings in a structure drawing.
        for (cx, cy) in [(40i32, 40i32), (120, 40), (40, 120), (120, 120)] {
            for y in -25i32..=25 {
                for x in -25i32..=25 {
                    let d = x.abs() + y.abs();
                    if (24..=25).contains(&d) || (x.abs() <= 2 && y.abs() <= 2) {
                        molecule.put_pixel((cx + x) as u32, (cy + y) as u32, Rgb([0, 0, 0]));
                    }
                }
            }
        }
        assert_eq!(count_drawn_boxes(&molecule).boxes, 0);
    }
}
