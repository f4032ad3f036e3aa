//! Tables the layout model missed, found under their caption: an unruled table set in columns
//! (a score, a list of doses) below "Table 1" or "表1" reads to the model as a column of short
//! text blocks. When a table caption has no table, figure or flowchart next to it, the short
//! blocks right below it that stand side by side in rows, in the same columns row after row,
//! become one table region.
//!
//! The model may also box a whole column of the table as one block (an OCR'd photo of a table
//! gives blocks as tall as the table), so the blocks make no rows; then the blocks' lines are
//! tried as the rows' pieces instead, unless they read as prose set in columns.

use crate::geometry::BBox;
use crate::model::{Region, RegionKind, RegionSource};
use crate::text::is_table_caption;

/// Rows of blocks needed, each with at least two blocks side by side.
const MIN_ROWS: usize = 3;

/// One piece of a would-be table row: a block, or one line of a block.
#[derive(Debug, Clone, PartialEq)]
struct Piece {
    bbox: BBox,
    lines: u32,
}

/// Whether some table, figure or flowchart sits right against the caption (it has its table).
fn has_target(regions: &[Region], caption: &BBox) -> bool {
    regions.iter().any(|r| {
        matches!(r.kind, RegionKind::Table | RegionKind::Figure | RegionKind::Flowchart) && {
            let gap = (r.bbox.y0 - caption.y1).max(caption.y0 - r.bbox.y1).max(0.0);
            gap <= 30.0 && r.bbox.overlap_x(caption) > 0.0
        }
    })
}

/// The text blocks that start below the caption, near enough to be its table.
fn blocks_below(regions: &[Region], caption: &BBox) -> Vec<usize> {
    (0..regions.len())
        .filter(|&i| {
            let r = &regions[i];
            matches!(
                r.kind,
                RegionKind::Text
                    | RegionKind::Heading
                    | RegionKind::List
                    | RegionKind::Footnote
                    | RegionKind::Reference
            ) && r.bbox.y0 >= caption.y1 - 2.0
                && r.bbox.y0 <= caption.y1 + 600.0
        })
        .collect()
}

/// The pieces under the caption that make a table, as indices in rows; empty when they don't.
fn table_rows(pieces: &[Piece], caption: &BBox) -> Vec<Vec<usize>> {
    let mut below: Vec<usize> = (0..pieces.len()).collect();
    below.sort_by(|&a, &b| pieces[a].bbox.y0.total_cmp(&pieces[b].bbox.y0));
    // Rows: pieces overlapping vertically.
    let mut rows: Vec<Vec<usize>> = Vec::new();
    for i in below {
        let b = pieces[i].bbox;
        match rows.last_mut() {
            Some(row)
                if row
                    .iter()
                    .any(|&j| pieces[j].bbox.overlap_y(&b) > 0.5 * b.height().min(pieces[j].bbox.height())) =>
            {
                row.push(i)
            }
            _ => rows.push(vec![i]),
        }
    }
    let line = rows.first().map_or(10.0, |r| pieces[r[0]].bbox.height().min(30.0)).max(6.0);
    let mut kept: Vec<Vec<usize>> = Vec::new();
    let mut bottom = caption.y1;
    for (k, row) in rows.iter().enumerate() {
        let top = row.iter().map(|&i| pieces[i].bbox.y0).fold(f32::MAX, f32::min);
        if top - bottom > 3.0 * line {
            break; // the table has ended
        }
        // A row of one short piece is the table's only when the next row goes on in columns
        // (a header over all columns, a section row); else it is the note or the prose that
        // follows.
        let next_in_columns = rows.get(k + 1).is_some_and(|n| n.len() >= 2);
        if row.len() < 2 && (pieces[row[0]].lines > 2 || !next_in_columns) {
            break;
        }
        bottom = row.iter().map(|&i| pieces[i].bbox.y1).fold(bottom, f32::max);
        kept.push(row.clone());
    }
    // The columns repeat: the left edges (or centres, or right edges: numbers are often set
    // right or centred) of most rows' pieces line up with those of other rows.
    let multi: Vec<&Vec<usize>> = kept.iter().filter(|r| r.len() >= 2).collect();
    if multi.len() < MIN_ROWS {
        return Vec::new();
    }
    let boxes: Vec<BBox> = multi.iter().flat_map(|r| r.iter().map(|&i| pieces[i].bbox)).collect();
    let lined_up =
        |edge: fn(&BBox) -> f32, b: &BBox| boxes.iter().filter(|o| (edge(o) - edge(b)).abs() <= 3.0).count() >= 3;
    let aligned = boxes
        .iter()
        .filter(|b| lined_up(|o| o.x0, b) || lined_up(|o| o.x1, b) || lined_up(|o| (o.x0 + o.x1) / 2.0, b))
        .count();
    if aligned * 10 < boxes.len() * 7 {
        return Vec::new();
    }
    kept
}

/// Whether the rows are prose set in columns rather than a table: in every column of
/// pieces wider than a short phrase, most lines run (nearly) the column's whole width, as a
/// paragraph's lines do.
fn prose_in_columns(pieces: &[Piece], rows: &[Vec<usize>]) -> bool {
    let mut columns: Vec<Vec<BBox>> = Vec::new();
    for &i in rows.iter().flatten() {
        let b = pieces[i].bbox;
        match columns.iter_mut().find(|c| c.iter().any(|o| o.overlap_x(&b) > 0.0)) {
            Some(column) => column.push(b),
            None => columns.push(vec![b]),
        }
    }
    columns.iter().all(|column| {
        let widest = column.iter().map(BBox::width).fold(0.0, f32::max);
        let full = column.iter().filter(|b| b.width() >= 0.85 * widest).count();
        widest >= 150.0 && full * 10 >= column.len() * 7
    })
}

/// A table found under a caption: its box, text and line count, and the blocks it takes in.
struct Found {
    bbox: BBox,
    text: String,
    lines: u32,
    absorbed: Vec<usize>,
    /// Lines of absorbed blocks that are not the table's (a note under it), with their box.
    rest: Option<(BBox, String)>,
}

/// The table under one caption, from whole blocks, else from the blocks' lines.
fn table_under(regions: &[Region], lines: &[(BBox, &str)], caption: &BBox) -> Option<Found> {
    let blocks = blocks_below(regions, caption);
    let pieces: Vec<Piece> = blocks.iter().map(|&i| Piece { bbox: regions[i].bbox, lines: regions[i].lines }).collect();
    let rows = table_rows(&pieces, caption);
    if !rows.is_empty() {
        let mut absorbed: Vec<usize> = rows.into_iter().flatten().map(|k| blocks[k]).collect();
        absorbed.sort_unstable();
        let bbox = BBox::union_all(absorbed.iter().map(|&i| &regions[i].bbox))?;
        let text = absorbed.iter().map(|&i| regions[i].text.as_str()).collect::<Vec<_>>().join("\n");
        let lines = absorbed.iter().map(|&i| regions[i].lines).sum();
        return Some(Found { bbox, text, lines, absorbed, rest: None });
    }
    // The blocks' lines, each remembering its block.
    let inside = |b: &BBox, r: &BBox| {
        let (x, y) = ((b.x0 + b.x1) / 2.0, b.center_y());
        x >= r.x0 && x <= r.x1 && y >= r.y0 && y <= r.y1
    };
    let owned: Vec<(usize, usize)> = lines
        .iter()
        .enumerate()
        .filter_map(|(l, (b, _))| blocks.iter().find(|&&i| inside(b, &regions[i].bbox)).map(|&i| (l, i)))
        .collect();
    let pieces: Vec<Piece> = owned.iter().map(|&(l, _)| Piece { bbox: lines[l].0, lines: 1 }).collect();
    let rows = table_rows(&pieces, caption);
    if rows.is_empty() || prose_in_columns(&pieces, &rows) {
        return None;
    }
    let mut members: Vec<usize> = rows.into_iter().flatten().collect();
    members.sort_unstable_by(|&a, &b| {
        let (a, b) = (&pieces[a].bbox, &pieces[b].bbox);
        a.y0.total_cmp(&b.y0).then(a.x0.total_cmp(&b.x0))
    });
    let bbox = BBox::union_all(members.iter().map(|&k| &pieces[k].bbox))?;
    // A block goes into the table when most of its lines are the table's.
    let mut absorbed: Vec<usize> = blocks
        .iter()
        .copied()
        .filter(|&i| {
            let of_block = owned.iter().filter(|&&(_, b)| b == i).count();
            let taken = members.iter().filter(|&&k| owned[k].1 == i).count();
            of_block > 0 && taken * 2 > of_block
        })
        .collect();
    absorbed.sort_unstable();
    if absorbed.is_empty() {
        return None;
    }
    let text = members.iter().map(|&k| lines[owned[k].0].1).collect::<Vec<_>>().join("\n");
    let left: Vec<usize> =
        (0..owned.len()).filter(|k| absorbed.contains(&owned[*k].1) && !members.contains(k)).collect();
    let rest = BBox::union_all(left.iter().map(|&k| &pieces[k].bbox))
        .map(|b| (b, left.iter().map(|&k| lines[owned[k].0].1).collect::<Vec<_>>().join("\n")));
    Some(Found { bbox, text, lines: members.len() as u32, absorbed, rest })
}

/// Adds a table region for each table caption that has none, made of the blocks below it that
/// stand in columns (or of their lines, `lines` being the page's text lines); those blocks are
/// absorbed. Regions stay in reading order.
pub fn tables_under_captions(mut regions: Vec<Region>, lines: &[(BBox, &str)]) -> Vec<Region> {
    let captions: Vec<usize> = (0..regions.len())
        .filter(|&i| regions[i].kind == RegionKind::Caption && is_table_caption(&regions[i].text))
        .collect();
    for c in captions.into_iter().rev() {
        let caption = regions[c].bbox;
        if has_target(&regions, &caption) {
            continue;
        }
        let Some(found) = table_under(&regions, lines, &caption) else { continue };
        let first = found.absorbed[0];
        let mut table = regions[first].clone();
        table.kind = RegionKind::Table;
        table.bbox = found.bbox;
        table.text = found.text;
        table.lines = found.lines;
        table.source = RegionSource::Heuristic;
        table.confidence = 0.6;
        table.caption_of = None;
        let rest = found.rest.map(|(bbox, text)| Region {
            kind: RegionKind::Text,
            bbox,
            lines: text.lines().count() as u32,
            text,
            ..table.clone()
        });
        for &i in found.absorbed.iter().rev() {
            regions.remove(i);
        }
        regions.insert(first, table);
        if let Some(rest) = rest {
            regions.insert(first + 1, rest);
        }
    }
    regions
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(kind: RegionKind, text: &str, b: [f32; 4]) -> Region {
        Region {
            id: String::new(),
            kind,
            bbox: BBox::new(b[0], b[1], b[2], b[3]),
            confidence: 0.9,
            text: text.into(),
            source: RegionSource::Model,
            order: 0,
            font_size: Some(9.0),
            lines: 1,
            caption_of: None,
            figure_type: None,
        }
    }

    #[test]
    fn blocks_in_columns_under_a_table_caption_become_a_table() {
        let mut regions = vec![
            region(RegionKind::Text, "Intro paragraph", [50.0, 50.0, 500.0, 90.0]),
            region(RegionKind::Caption, "Table 1. Wells score", [50.0, 100.0, 300.0, 110.0]),
        ];
        for (k, (a, b)) in
            [("Feature", "Points"), ("Signs of DVT", "3"), ("Heart rate", "1.5"), ("Surgery", "1.5")].iter().enumerate()
        {
            let y = 120.0 + 20.0 * k as f32;
            regions.push(region(RegionKind::Text, a, [55.0, y, 150.0, y + 9.0]));
            regions.push(region(RegionKind::Text, b, [400.0, y, 420.0, y + 9.0]));
        }
        regions.push(region(RegionKind::Text, "A long paragraph after the table.", [50.0, 220.0, 500.0, 260.0]));
        let out = tables_under_captions(regions, &[]);
        let kinds: Vec<RegionKind> = out.iter().map(|r| r.kind).collect();
        assert_eq!(kinds, [RegionKind::Text, RegionKind::Caption, RegionKind::Table, RegionKind::Text]);
        assert_eq!(out[2].bbox, BBox::new(55.0, 120.0, 420.0, 189.0));
        assert!(out[2].text.starts_with("Feature\nPoints\nSigns of DVT"));
    }

    #[test]
    fn blocks_as_tall_as_the_table_are_split_into_their_lines() {
        // An OCR'd photo: the model boxed each column as one block; the lines make the rows.
        // A note under the table, in the first block, stays text.
        let caption = region(RegionKind::Caption, "Table 1. Wells score", [50.0, 100.0, 300.0, 110.0]);
        let mut left =
            region(RegionKind::Text, "Feature Signs of DVT Heart rate Surgery Note", [55.0, 120.0, 400.0, 200.0]);
        left.lines = 5;
        let mut right = region(RegionKind::Text, "Points 3 1.5 1.5", [400.0, 120.0, 420.0, 189.0]);
        right.lines = 4;
        let rows = [("Feature", "Points"), ("Signs of DVT", "3"), ("Heart rate", "1.5"), ("Surgery", "1.5")];
        let mut lines: Vec<(BBox, &str)> = Vec::new();
        for (k, (a, b)) in rows.iter().enumerate() {
            let y = 120.0 + 20.0 * k as f32;
            lines.push((BBox::new(55.0, y, 150.0, y + 9.0), a));
            lines.push((BBox::new(400.0, y, 420.0, y + 9.0), b));
        }
        lines.push((BBox::new(55.0, 191.0, 380.0, 200.0), "Note: doses for normal renal function"));
        let out = tables_under_captions(vec![caption, left, right], &lines);
        let kinds: Vec<RegionKind> = out.iter().map(|r| r.kind).collect();
        assert_eq!(kinds, [RegionKind::Caption, RegionKind::Table, RegionKind::Text]);
        assert_eq!(out[1].bbox, BBox::new(55.0, 120.0, 420.0, 189.0));
        assert_eq!(out[2].text, "Note: doses for normal renal function");
    }

    #[test]
    fn prose_set_in_two_columns_under_a_caption_is_no_table() {
        let caption = region(RegionKind::Caption, "Table 3. Doses (see next page)", [50.0, 100.0, 300.0, 110.0]);
        let mut left = region(RegionKind::Text, "Left column prose", [50.0, 120.0, 290.0, 200.0]);
        left.lines = 6;
        let mut right = region(RegionKind::Text, "Right column prose", [310.0, 120.0, 550.0, 200.0]);
        right.lines = 6;
        let mut lines: Vec<(BBox, &str)> = Vec::new();
        for k in 0..6 {
            let y = 120.0 + 12.0 * k as f32;
            // Justified lines run the column's width; a paragraph's last one is shorter.
            let end = if k == 5 { 150.0 } else { 290.0 };
            lines.push((BBox::new(50.0, y, end, y + 9.0), "words of a paragraph"));
            lines.push((BBox::new(310.0, y, end + 260.0, y + 9.0), "words of a paragraph"));
        }
        let regions = vec![caption, left, right];
        assert_eq!(tables_under_captions(regions.clone(), &lines), regions);
    }

    #[test]
    fn a_caption_with_its_table_or_prose_below_is_left_alone() {
        let prose = vec![
            region(RegionKind::Caption, "Table 2. Doses", [50.0, 100.0, 300.0, 110.0]),
            region(RegionKind::Text, "Prose, one block per paragraph.", [50.0, 120.0, 500.0, 160.0]),
            region(RegionKind::Text, "And another.", [50.0, 170.0, 500.0, 200.0]),
        ];
        assert_eq!(tables_under_captions(prose.clone(), &[]), prose);
        let mut tabled = prose;
        tabled.insert(1, region(RegionKind::Table, "Age Dose", [50.0, 115.0, 500.0, 118.0]));
        assert_eq!(tables_under_captions(tabled.clone(), &[]), tabled);
    }
}
