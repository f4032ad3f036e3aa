//! Table structure: cells, spans and header rows for every table region, tables continued on
//! the next page, and exports.

mod class_codes;
mod export;
mod raster;
mod rules;
mod structure;

pub use export::{merge_continued, to_csv, to_html};
pub use raster::{StructureCell, TableStructureRecognizer, recognize_picture_tables};
pub use rules::{Rule, ruling_lines};
pub use structure::{Grid, GridCell, recover_grid};

use crate::geometry::BBox;
use crate::model::{Cell, Page, Region, RegionKind, Table};
use crate::pdf::{RawChar, RawPath};

/// The glyphs and ruling lines of a page, kept from reading the page until its table regions
/// are final.
#[derive(Debug, Clone, Default)]
pub struct TableInk {
    chars: Vec<RawChar>,
    rules: Vec<Rule>,
    /// Tables drawn as pictures: their box and the cells the structure model saw, in page points.
    pictures: Vec<(BBox, Vec<StructureCell>)>,
}

impl TableInk {
    /// Boxes of the picture tables that have no glyph inside: their text must come from OCR.
    pub fn pictures_without_text(&self) -> Vec<BBox> {
        self.pictures
            .iter()
            .map(|(b, _)| *b)
            .filter(|b| {
                !self.chars.iter().any(|c| {
                    let (cx, cy) = ((c.bbox.x0 + c.bbox.x1) / 2.0, c.bbox.center_y());
                    cx >= b.x0 && cx <= b.x1 && cy >= b.y0 && cy <= b.y1
                })
            })
            .collect()
    }

    /// Adds glyphs read by OCR inside picture tables.
    pub fn add_chars(&mut self, chars: Vec<RawChar>) {
        self.chars.extend(chars);
    }

    /// Keeps the page's glyphs and ruling lines, and the pictures' cells, for its table regions.
    pub fn gather(chars: &[RawChar], paths: &[RawPath], pictures: Vec<(BBox, Vec<StructureCell>)>) -> TableInk {
        // Not only the model's tables: a figure may turn out a table once its "Table 8"
        // caption is read, and blocks of text under a "Table 1" caption may be a table the
        // model missed. The whole page's glyphs and rules, then.
        let everywhere = BBox::new(f32::MIN / 4.0, f32::MIN / 4.0, f32::MAX / 4.0, f32::MAX / 4.0);
        TableInk { chars: chars.to_vec(), rules: ruling_lines(paths, &everywhere), pictures }
    }

    /// The structure of every table region of the page; ids continue from `numbered` tables
    /// already found in the document.
    pub fn tables(&self, page: u32, regions: &[Region], page_size: (f32, f32), numbered: usize) -> Vec<Table> {
        let mut out = Vec::new();
        for region in regions.iter().filter(|r| r.kind == RegionKind::Table) {
            // A table drawn as a picture takes the structure model's cells; a drawn one is
            // rebuilt from its glyphs and rules.
            let picture =
                self.pictures.iter().find(|(b, _)| b.iou(&region.bbox) >= 0.5 || region_inside(&region.bbox, b));
            // A picture under a drawn table (a watermark) may give no cells: then the glyphs do.
            let grid = picture
                .and_then(|(_, cells)| raster::grid_from_cells(cells, &self.chars, page_size))
                .or_else(|| recover_grid(&region.bbox, &self.chars, &self.rules, page_size));
            let Some(grid) = grid else {
                continue;
            };
            let caption = regions
                .iter()
                .find(|c| c.kind == RegionKind::Caption && c.caption_of.as_deref() == Some(region.id.as_str()))
                .map(|c| c.text.clone());
            let mut cells: Vec<Cell> = grid
                .cells
                .into_iter()
                .map(|c| Cell {
                    row: c.row,
                    col: c.col,
                    row_span: c.row_span,
                    col_span: c.col_span,
                    text: c.text,
                    header: c.row < grid.header_rows,
                    bbox: c.bbox,
                })
                .collect();
            class_codes::repair_class_columns(&mut cells);
            out.push(Table {
                id: format!("t{}", numbered + out.len() + 1),
                page,
                bbox: region.bbox,
                caption,
                continues: None,
                region: Some(region.id.clone()),
                n_rows: grid.n_rows,
                n_cols: grid.n_cols,
                cells,
            });
        }
        out
    }
}

/// Links a table that opens a page to the table that closed the page before when nothing but
/// running headers, footers and footnotes lies between them and both have the same number of
/// columns: the later piece's `continues` names the earlier piece.
pub fn link_continued(tables: &mut [Table], pages: &[Page]) {
    let ends_page = |t: &Table| {
        let Some(page) = pages.iter().find(|p| p.number == t.page) else { return false };
        !page.regions.iter().any(|r| body(r.kind) && r.bbox.y0 >= t.bbox.y1 - 1.0 && Some(&r.id) != t.region.as_ref())
    };
    let opens_page = |t: &Table| {
        let Some(page) = pages.iter().find(|p| p.number == t.page) else { return false };
        !page.regions.iter().any(|r| {
            body(r.kind) && r.bbox.y1 <= t.bbox.y0 + 1.0 && Some(&r.id) != t.region.as_ref() && !names_table(r, t)
        })
    };
    for i in 1..tables.len() {
        let (before, after) = tables.split_at_mut(i);
        let (prev, next) = (&before[i - 1], &mut after[0]);
        let new_caption =
            next.caption.as_ref().is_some_and(|c| !c.to_lowercase().contains("continued") && !c.contains('续'));
        if next.page == prev.page + 1
            && prev.n_cols == next.n_cols
            && !new_caption
            && ends_page(prev)
            && opens_page(next)
        {
            next.continues = Some(prev.id.clone());
        }
    }
}

/// The region lies (mostly) inside the picture's box: region boxes are snapped to text.
fn region_inside(region: &BBox, picture: &BBox) -> bool {
    region.intersection_area(picture) >= 0.8 * region.area().max(1.0)
}

/// Regions of the running text (not page furniture).
fn body(kind: RegionKind) -> bool {
    !matches!(kind, RegionKind::Header | RegionKind::Footer | RegionKind::Footnote)
}

/// A "Table 2 (continued)" caption above the continuing piece.
fn names_table(region: &Region, table: &Table) -> bool {
    region.kind == RegionKind::Caption && table.region.as_deref() == region.caption_of.as_deref()
}
