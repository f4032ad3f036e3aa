//! Tables the layout model missed, found under their caption: an unruled table set in columns
//! (a score, a list of doses) below "Table 1" or "表1" reads to the model as a column of short
//! text blocks. When a table caption has no table, figure or flowchart next to it, the short
//! blocks right below it that stand side by side in rows, in the same columns row after row,
//! become one table region.

use crate::geometry::BBox;
use crate::model::{Region, RegionKind, RegionSource};
use crate::text::is_table_caption;

/// Rows of blocks needed, each with at least two blocks side by side.
const MIN_ROWS: usize = 3;

/// Whether some table, figure or flowchart sits right against the caption (it has its table).
fn has_target(regions: &[Region], caption: &BBox) -> bool {
    regions.iter().any(|r| {
        matches!(r.kind, RegionKind::Table | RegionKind::Figure | RegionKind::Flowchart) && {
            let gap = (r.bbox.y0 - caption.y1).max(caption.y0 - r.bbox.y1).max(0.0);
            gap <= 30.0 && r.bbox.overlap_x(caption) > 0.0
        }
    })
}

/// The blocks under the caption that make a table, as indices in rows; empty when they don't.
fn table_rows(regions: &[Region], caption: &BBox) -> Vec<Vec<usize>> {
    let mut below: Vec<usize> = (0..regions.len())
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
        .collect();
    below.sort_by(|&a, &b| regions[a].bbox.y0.total_cmp(&regions[b].bbox.y0));
    // Rows: blocks overlapping vertically.
    let mut rows: Vec<Vec<usize>> = Vec::new();
    for i in below {
        let b = regions[i].bbox;
        match rows.last_mut() {
            Some(row)
                if row
                    .iter()
                    .any(|&j| regions[j].bbox.overlap_y(&b) > 0.5 * b.height().min(regions[j].bbox.height())) =>
            {
                row.push(i)
            }
            _ => rows.push(vec![i]),
        }
    }
    let line = rows.first().map_or(10.0, |r| regions[r[0]].bbox.height().min(30.0)).max(6.0);
    let mut kept: Vec<Vec<usize>> = Vec::new();
    let mut bottom = caption.y1;
    for (k, row) in rows.iter().enumerate() {
        let top = row.iter().map(|&i| regions[i].bbox.y0).fold(f32::MAX, f32::min);
        if top - bottom > 3.0 * line {
            break; // the table has ended
        }
        // A row of one short block is the table's only when the next row goes on in columns
        // (a header over all columns, a section row); else it is the note or the prose that
        // follows.
        let next_in_columns = rows.get(k + 1).is_some_and(|n| n.len() >= 2);
        if row.len() < 2 && (regions[row[0]].lines > 2 || !next_in_columns) {
            break;
        }
        bottom = row.iter().map(|&i| regions[i].bbox.y1).fold(bottom, f32::max);
        kept.push(row.clone());
    }
    // The columns repeat: the left edges of most rows' blocks line up with those of other rows.
    let multi: Vec<&Vec<usize>> = kept.iter().filter(|r| r.len() >= 2).collect();
    if multi.len() < MIN_ROWS {
        return Vec::new();
    }
    let lefts: Vec<f32> = multi.iter().flat_map(|r| r.iter().map(|&i| regions[i].bbox.x0)).collect();
    let aligned = lefts.iter().filter(|&&x| lefts.iter().filter(|&&y| (x - y).abs() <= 3.0).count() >= 3).count();
    if aligned * 10 < lefts.len() * 7 {
        return Vec::new();
    }
    kept
}

/// Adds a table region for each table caption that has none, made of the blocks below it that
/// stand in columns; those blocks are absorbed. Regions stay in reading order.
pub fn tables_under_captions(mut regions: Vec<Region>) -> Vec<Region> {
    let captions: Vec<usize> = (0..regions.len())
        .filter(|&i| regions[i].kind == RegionKind::Caption && is_table_caption(&regions[i].text))
        .collect();
    for c in captions.into_iter().rev() {
        let caption = regions[c].bbox;
        if has_target(&regions, &caption) {
            continue;
        }
        let rows = table_rows(&regions, &caption);
        if rows.is_empty() {
            continue;
        }
        let mut members: Vec<usize> = rows.into_iter().flatten().collect();
        members.sort_unstable();
        let Some(bbox) = BBox::union_all(members.iter().map(|&i| &regions[i].bbox)) else { continue };
        let text = members.iter().map(|&i| regions[i].text.as_str()).collect::<Vec<_>>().join("\n");
        let lines = members.iter().map(|&i| regions[i].lines).sum();
        let mut table = regions[members[0]].clone();
        table.kind = RegionKind::Table;
        table.bbox = bbox;
        table.text = text;
        table.lines = lines;
        table.source = RegionSource::Heuristic;
        table.confidence = 0.6;
        table.caption_of = None;
        for &i in members.iter().rev() {
            regions.remove(i);
        }
        regions.insert(members[0], table);
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
        let out = tables_under_captions(regions);
        let kinds: Vec<RegionKind> = out.iter().map(|r| r.kind).collect();
        assert_eq!(kinds, [RegionKind::Text, RegionKind::Caption, RegionKind::Table, RegionKind::Text]);
        assert_eq!(out[2].bbox, BBox::new(55.0, 120.0, 420.0, 189.0));
        assert!(out[2].text.starts_with("Feature\nPoints\nSigns of DVT"));
    }

    #[test]
    fn a_caption_with_its_table_or_prose_below_is_left_alone() {
        let prose = vec![
            region(RegionKind::Caption, "Table 2. Doses", [50.0, 100.0, 300.0, 110.0]),
            region(RegionKind::Text, "Prose, one block per paragraph.", [50.0, 120.0, 500.0, 160.0]),
            region(RegionKind::Text, "And another.", [50.0, 170.0, 500.0, 200.0]),
        ];
        assert_eq!(tables_under_captions(prose.clone()), prose);
        let mut tabled = prose;
        tabled.insert(1, region(RegionKind::Table, "Age Dose", [50.0, 115.0, 500.0, 118.0]));
        assert_eq!(tables_under_captions(tabled.clone()), tabled);
    }
}
