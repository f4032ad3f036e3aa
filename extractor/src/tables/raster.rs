//! Tables drawn as pictures (scans, pasted screenshots): their structure comes from a table
//! structure model run on the pixels, their cell text from the text layer where the page has
//! one (an OCR layer, or text laid over the picture).

use image::RgbImage;

use super::structure::{Grid, GridCell};
use crate::geometry::BBox;
use crate::imaging::PixelRect;
use crate::layout::{Detection, LayoutError, LayoutLabel};
use crate::pdf::RawChar;
use crate::regions::picture_part;
use crate::text::text_of_glyphs;

/// One cell the structure model found, in grid positions; `bbox` in the crop's pixels (as
/// returned by the model) or in page points (once placed on the page).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StructureCell {
    pub row: u32,
    pub col: u32,
    pub row_span: u32,
    pub col_span: u32,
    /// In the table's `<thead>`.
    pub header: bool,
    pub bbox: [f32; 4],
}

/// Recognises the cell structure of a table picture.
pub trait TableStructureRecognizer: Send + Sync {
    fn recognize(&self, crop: &RgbImage) -> Result<Vec<StructureCell>, LayoutError>;
}

/// How far outside its nearest cell box a glyph may lie and still belong to it, in points.
const GLYPH_REACH: f32 = 4.0;

/// Runs the structure model on every table detection that is a picture. `image` is the page
/// rendered at `scale` pixels per point; detections and the result are in page points.
pub fn recognize_picture_tables(
    detections: &[Detection],
    images: &[BBox],
    image: &RgbImage,
    scale: (f32, f32),
    recognizer: &dyn TableStructureRecognizer,
) -> Vec<Result<(BBox, Vec<StructureCell>), LayoutError>> {
    detections
        .iter()
        .filter(|d| d.label == LayoutLabel::Table)
        .filter(|d| picture_part(&d.bbox, images).is_some())
        .map(|d| {
            let rect = PixelRect::covering(&d.bbox, scale, image.dimensions());
            let (x0, y0) = (rect.x0, rect.y0);
            let crop = rect.crop(image);
            let cells = recognizer.recognize(&crop)?;
            let placed = cells
                .into_iter()
                .map(|mut c| {
                    c.bbox = [
                        (x0 as f32 + c.bbox[0]) / scale.0,
                        (y0 as f32 + c.bbox[1]) / scale.1,
                        (x0 as f32 + c.bbox[2]) / scale.0,
                        (y0 as f32 + c.bbox[3]) / scale.1,
                    ];
                    c
                })
                .collect();
            Ok((d.bbox, placed))
        })
        .collect()
}

/// Runs of glyphs without a space between them, on one line: a glyph that starts left of the
/// previous one, leaves a gap after it or sits off its line starts a new word.
fn words(chars: &[RawChar]) -> Vec<&[RawChar]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..=chars.len() {
        let breaks = match (chars.get(i), i.checked_sub(1).and_then(|p| chars.get(p))) {
            (None, _) => true,
            (Some(c), _) if c.ch.is_whitespace() => true,
            (Some(c), Some(p)) => {
                let size = p.size.max(c.size);
                c.bbox.x0 < p.bbox.x0
                    || c.bbox.x0 - p.bbox.x1 > 0.3 * size
                    || (c.bbox.center_y() - p.bbox.center_y()).abs() > 0.5 * size
            }
            (Some(_), None) => false,
        };
        if breaks {
            if i > start {
                out.push(&chars[start..i]);
            }
            start = if chars.get(i).is_some_and(|c| c.ch.is_whitespace()) { i + 1 } else { i };
        }
    }
    out.into_iter().filter(|w| !w.is_empty()).collect()
}

/// The grid of a picture table, cell text from the glyphs inside each cell box (`chars` are
/// the page's).
pub fn grid_from_cells(cells: &[StructureCell], chars: &[RawChar], page: (f32, f32)) -> Option<Grid> {
    if cells.is_empty() {
        return None;
    }
    let n_rows = cells.iter().map(|c| c.row + c.row_span.max(1)).max().unwrap_or(0);
    let n_cols = cells.iter().map(|c| c.col + c.col_span.max(1)).max().unwrap_or(0);
    let header_rows = cells.iter().filter(|c| c.header).map(|c| c.row + c.row_span.max(1)).max().unwrap_or(0);
    let boxes: Vec<BBox> = cells.iter().map(|c| BBox::new(c.bbox[0], c.bbox[1], c.bbox[2], c.bbox[3])).collect();
    // The model's cell boxes are tight and may clip a glyph at their edge: each word goes to the
    // cell box nearest its middle, if it lies within a few points of one. Words, not glyphs, so
    // that a word read a little off its cell (a scan's header) is not cut in two.
    let table = BBox::union_all(&boxes)?;
    let mut owned: Vec<Vec<RawChar>> = vec![Vec::new(); cells.len()];
    for word in words(chars) {
        let Some(span) = BBox::union_all(word.iter().map(|c| &c.bbox)) else { continue };
        let middle = ((span.x0 + span.x1) / 2.0, span.center_y());
        let nearest =
            boxes.iter().enumerate().map(|(k, b)| (k, b.distance_to(middle))).min_by(|a, b| a.1.total_cmp(&b.1));
        // A word farther off but inside the table (the model's column drifted off a lone "A")
        // goes to the nearest cell of its row: dropping it would lose it.
        let in_row = || {
            let (x, y) = middle;
            if x < table.x0 || x > table.x1 || y < table.y0 || y > table.y1 {
                return None;
            }
            boxes
                .iter()
                .enumerate()
                .filter(|(_, b)| middle.1 >= b.y0 && middle.1 <= b.y1)
                .map(|(k, b)| (k, b.distance_to(middle)))
                .min_by(|a, b| a.1.total_cmp(&b.1))
        };
        if let Some((k, _)) = nearest.filter(|&(_, d)| d <= GLYPH_REACH).or_else(in_row) {
            owned[k].extend(word.iter().cloned());
        }
    }
    let mut out: Vec<GridCell> = cells
        .iter()
        .zip(boxes)
        .zip(owned)
        .map(|((c, bbox), mine)| GridCell {
            row: c.row,
            col: c.col,
            row_span: c.row_span.max(1),
            col_span: c.col_span.max(1),
            text: text_of_glyphs(&mine, page),
            bbox,
        })
        .collect();
    out.sort_by_key(|c| (c.row, c.col));
    Some(without_empty_lines(Grid { n_rows, n_cols, header_rows, cells: out }))
}

/// The grid without the columns and rows in which no cell holds text (the model sees a
/// column in the space after a narrow one, a row in a gap).
fn without_empty_lines(grid: Grid) -> Grid {
    let filled = |starts: &dyn Fn(&GridCell) -> u32, n: u32| -> Vec<u32> {
        (0..n).filter(|&i| grid.cells.iter().any(|c| starts(c) == i && !c.text.trim().is_empty())).collect()
    };
    let cols = filled(&|c| c.col, grid.n_cols);
    let rows = filled(&|c| c.row, grid.n_rows);
    if cols.is_empty() || rows.is_empty() {
        return grid;
    }
    let before = |kept: &[u32], i: u32| kept.iter().filter(|&&k| k < i).count() as u32;
    let through = |kept: &[u32], i: u32| kept.iter().filter(|&&k| k <= i).count() as u32;
    let header_rows = before(&rows, grid.header_rows);
    let cells = grid
        .cells
        .into_iter()
        .filter(|c| cols.contains(&c.col) && rows.contains(&c.row))
        .map(|c| GridCell {
            row: before(&rows, c.row),
            col: before(&cols, c.col),
            row_span: (through(&rows, c.row + c.row_span - 1) - before(&rows, c.row)).max(1),
            col_span: (through(&cols, c.col + c.col_span - 1) - before(&cols, c.col)).max(1),
            ..c
        })
        .collect();
    Grid { n_rows: rows.len() as u32, n_cols: cols.len() as u32, header_rows, cells }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::glyph_run;

    fn cell(row: u32, col: u32, bbox: [f32; 4]) -> StructureCell {
        StructureCell { row, col, row_span: 1, col_span: 1, header: row == 0, bbox }
    }

    #[test]
    fn a_word_off_its_column_stays_in_its_row_and_an_empty_column_goes() {
        // Three columns seen by the model; the third lies right of the "Level" text, which the
        // model's second column misses by 12 pt in the body row. Words elsewhere on the page
        // stay out.
        let cells = vec![
            cell(0, 0, [0.0, 0.0, 80.0, 10.0]),
            cell(0, 1, [100.0, 0.0, 130.0, 10.0]),
            cell(0, 2, [150.0, 0.0, 160.0, 10.0]),
            cell(1, 0, [0.0, 20.0, 80.0, 30.0]),
            cell(1, 1, [100.0, 20.0, 110.0, 30.0]),
            cell(1, 2, [150.0, 20.0, 160.0, 30.0]),
        ];
        let mut chars = glyph_run("Advice", (0.0, 5.0), 4.0, 5.0, 8.0);
        chars.extend(glyph_run("Level", (100.0, 5.0), 4.0, 5.0, 8.0));
        chars.extend(glyph_run("Rest", (0.0, 25.0), 4.0, 5.0, 8.0));
        chars.extend(glyph_run("A", (124.0, 25.0), 4.0, 5.0, 8.0));
        chars.extend(glyph_run("Prose", (400.0, 25.0), 4.0, 5.0, 8.0));
        let grid = grid_from_cells(&cells, &chars, (600.0, 800.0)).expect("a grid");
        let texts: Vec<(u32, u32, &str)> = grid.cells.iter().map(|c| (c.row, c.col, c.text.as_str())).collect();
        assert_eq!((grid.n_rows, grid.n_cols), (2, 2), "{texts:?}");
        assert_eq!(texts, [(0, 0, "Advice"), (0, 1, "Level"), (1, 0, "Rest"), (1, 1, "A")]);
    }
}
