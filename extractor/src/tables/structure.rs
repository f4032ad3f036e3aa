//! A table region's cell structure from its words and ruling lines.
//!
//! Columns come from vertical rules where the table draws them, else from the vertical strips
//! of whitespace that no row's words cross. Rows come from horizontal rules where every row is
//! ruled (multi-line cells stay whole), else from text rows. A spanning cell is a word that
//! crosses a column boundary, or, in a ruled table, a boundary whose rule is missing at that cell.

mod gutters;

use super::rules::Rule;
use crate::geometry::BBox;
use crate::pdf::RawChar;
use crate::text::text_of_glyphs;

/// A run of glyphs without a space: the atom whose position places text in a column.
#[derive(Debug, Clone, Copy)]
struct Word {
    bbox: BBox,
    /// The word's last letter (a colon there announces the lines below as its own).
    last: char,
    /// The width a line ending before this word would have needed to take it too: the word's,
    /// or its first character's in Chinese (which breaks between any two characters).
    fit: f32,
}

/// One recovered cell, in grid positions.
#[derive(Debug, Clone, PartialEq)]
pub struct GridCell {
    pub row: u32,
    pub col: u32,
    pub row_span: u32,
    pub col_span: u32,
    pub text: String,
    pub bbox: BBox,
}

/// The structure of one table.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    pub n_rows: u32,
    pub n_cols: u32,
    /// Rows above the header rule (or the first row when the table is ruled throughout).
    pub header_rows: u32,
    pub cells: Vec<GridCell>,
}

/// Recovers the grid of the table in `area` from the page's glyphs and rules.
pub fn recover_grid(area: &BBox, chars: &[RawChar], rules: &[Rule], page: (f32, f32)) -> Option<Grid> {
    let inside: Vec<RawChar> = chars
        .iter()
        .filter(|c| {
            let (cx, cy) = ((c.bbox.x0 + c.bbox.x1) / 2.0, c.bbox.center_y());
            cx >= area.x0 - 1.0 && cx <= area.x1 + 1.0 && cy >= area.y0 - 1.0 && cy <= area.y1 + 1.0
        })
        .cloned()
        .collect();
    let words = words_of(&inside);
    if words.is_empty() {
        return None;
    }
    let em = median(words.iter().map(|w| w.bbox.height()).collect()).max(4.0);
    let text_rows = text_rows(&words);
    let width = area.width().max(1.0);
    let height = area.height().max(1.0);
    // Rules of this table: within its box (the page's other tables and drawings have their own).
    let mine = |r: &&Rule| {
        let (lo, hi, a0, a1) =
            if r.horizontal { (area.y0, area.y1, area.x0, area.x1) } else { (area.x0, area.x1, area.y0, area.y1) };
        r.pos >= lo - 3.0 && r.pos <= hi + 3.0 && r.from.max(a0) < r.to.min(a1)
    };
    let long_h: Vec<&Rule> = rules.iter().filter(mine).filter(|r| r.horizontal && r.length() >= 0.3 * width).collect();
    let long_v: Vec<&Rule> = rules.iter().filter(mine).filter(|r| !r.horizontal && r.length() >= 0.8 * em).collect();

    // Columns.
    // A border drawn as two or three lines (each cell's fill and outline) is one cut.
    let vertical_cuts: Vec<f32> = merge_empty_bands(
        cluster(long_v.iter().filter(|r| r.pos > area.x0 + 2.0 && r.pos < area.x1 - 2.0).map(|r| r.pos).collect(), 2.0),
        |a, b| words.iter().any(|w| w.bbox.x0 >= a - 0.5 && w.bbox.x1 <= b + 0.5),
    );
    // Whitespace columns the rules do not already separate: a table may rule only some of its
    // columns (group separators). Only where the rules leave no column to whitespace is the
    // table ruled throughout, and a missing rule then means a spanning cell.
    let mut unruled_gutters: Vec<f32> = gutters::whitespace_cuts(&words, area, em)
        .into_iter()
        .filter(|x| !vertical_cuts.iter().any(|v| (v - x).abs() < 0.6 * em))
        .collect();
    if !vertical_cuts.is_empty() {
        // The blank between a short cell text and the next rule is no column.
        unruled_gutters.retain(|&x| {
            let left = vertical_cuts.iter().copied().filter(|&v| v < x).fold(area.x0, f32::max);
            let right = vertical_cuts.iter().copied().filter(|&v| v > x).fold(area.x1, f32::min);
            let holds = |a: f32, b: f32| words.iter().any(|w| w.bbox.x0 >= a - 0.5 && w.bbox.x1 <= b + 0.5);
            holds(left, x) && holds(x, right)
        });
    }
    // Ruled down most of the table's height at every cut: the edges of a few shaded bands
    // (a drug group set off by a fill) rule only the bands.
    let ruled_down = |x: f32| long_v.iter().filter(|r| (r.pos - x).abs() <= 2.0).map(|r| r.length()).sum::<f32>();
    let ruled_columns = !vertical_cuts.is_empty()
        && unruled_gutters.is_empty()
        && vertical_cuts.iter().all(|&x| ruled_down(x) >= 0.5 * height);
    let mut col_cuts = vertical_cuts;
    col_cuts.extend(unruled_gutters);
    col_cuts.sort_by(f32::total_cmp);

    // Rows: ruled when rules separate (nearly) every pair of text rows.
    let row_gaps: Vec<f32> = text_rows.windows(2).map(|w| (w[0].1 + w[1].0) / 2.0).collect();
    let horizontal_cuts: Vec<f32> = merge_empty_bands(
        cluster(long_h.iter().filter(|r| r.pos > area.y0 + 2.0 && r.pos < area.y1 - 2.0).map(|r| r.pos).collect(), 1.5),
        |a, b| text_rows.iter().any(|&(y0, y1)| (y0 + y1) / 2.0 > a && (y0 + y1) / 2.0 < b),
    );
    let separated = |lo: f32, hi: f32| horizontal_cuts.iter().any(|&y| y > lo && y < hi);
    let ruled_gaps = text_rows.windows(2).filter(|w| separated(w[0].1 - 1.0, w[1].0 + 1.0)).count();
    let xs = bounds_with(area.x0, area.x1, &col_cuts);
    let occupancy = |row: &(f32, f32)| columns_filled(&words, row, &xs);
    // A grid ruled both ways whose rows hold cells of many lines (bullet lists, wrapped
    // sentences): one row per ruled row, a bullet is no new row.
    let many_line_cells = ruled_columns
        && horizontal_cuts.len() >= 2
        && bands_hold_many_line_cells(&text_rows, &bounds_with(area.y0, area.y1, &horizontal_cuts), occupancy);
    let ruled_rows = !row_gaps.is_empty() && (ruled_gaps * 10 >= row_gaps.len() * 6 || many_line_cells);
    let row_cuts: Vec<f32> =
        if ruled_rows { horizontal_cuts.clone() } else { record_cuts(&text_rows, &horizontal_cuts, &words, &xs, em) };

    tracing::debug!(?area, ruled_columns, ruled_rows, ?col_cuts, ?row_cuts, "table grid");
    let ys = bounds_with(area.y0, area.y1, &row_cuts);
    let (n_cols, n_rows) = (xs.len() - 1, ys.len() - 1);
    // Which (row, col) slots each word falls in; a word crossing column cuts spans them.
    let mut owner: Vec<Option<usize>> = vec![None; n_rows * n_cols];
    let mut cells: Vec<(usize, usize, usize, usize)> = Vec::new(); // row0, col0, row1, col1 (inclusive)
    for w in &words {
        let row = slot(&ys, w.bbox.center_y());
        let c0 = slot(&xs, w.bbox.x0 + 0.5);
        let c1 = slot(&xs, w.bbox.x1 - 0.5).max(c0);
        let mut found: Option<usize> = None;
        for c in c0..=c1 {
            if let Some(k) = owner[row * n_cols + c] {
                found = Some(found.map_or(k, |f: usize| f.min(k)));
            }
        }
        let k = match found {
            Some(k) => {
                let cell = &mut cells[k];
                cell.1 = cell.1.min(c0);
                cell.3 = cell.3.max(c1);
                k
            }
            None => {
                cells.push((row, c0, row, c1));
                cells.len() - 1
            }
        };
        let (r0, c0, r1, c1) = cells[k];
        for r in r0..=r1 {
            for c in c0..=c1 {
                owner[r * n_cols + c] = Some(k);
            }
        }
    }
    // In a ruled table, a cell whose boundary rule is missing spans into the next empty slot.
    if ruled_columns {
        for cell in cells.iter_mut() {
            while cell.3 + 1 < n_cols
                && owner[cell.0 * n_cols + cell.3 + 1].is_none()
                && !rule_at(&long_v, xs[cell.3 + 1], (ys[cell.0] + ys[cell.2 + 1]) / 2.0)
            {
                cell.3 += 1;
            }
        }
    }
    if ruled_rows {
        for cell in cells.iter_mut() {
            while cell.2 + 1 < n_rows
                && (cell.1..=cell.3).all(|c| owner[(cell.2 + 1) * n_cols + c].is_none())
                && !rule_at(&long_h, ys[cell.2 + 1], (xs[cell.1] + xs[cell.3 + 1]) / 2.0)
            {
                cell.2 += 1;
            }
        }
    }
    // A header's wrapped lines ("Proportion" over "(total)") are one cell: above the header
    // rule, a cell continues into the next row when a cell there covers exactly its columns.
    if !ruled_rows && let Some(rule) = header_rule(&long_h, &ys, area) {
        merge_wrapped_header_lines(&mut cells, &ys, rule);
    }
    // Drop rows and columns that hold no cell start.
    let used_rows: Vec<usize> = (0..n_rows).filter(|&r| cells.iter().any(|c| c.0 == r)).collect();
    let used_cols: Vec<usize> = (0..n_cols).filter(|&c| cells.iter().any(|k| k.1 == c)).collect();
    let remap = |used: &[usize], i: usize| used.iter().filter(|&&u| u < i).count() as u32;
    let remap_end = |used: &[usize], i: usize| used.iter().filter(|&&u| u <= i).count() as u32;
    let first_row = used_rows.first().copied().unwrap_or(0);
    let first_row_span = cells
        .iter()
        .filter(|c| c.0 == first_row)
        .map(|c| remap_end(&used_rows, c.2) - remap(&used_rows, c.0))
        .max()
        .unwrap_or(1);
    let header_rows = header_rows(&long_h, &ys, area, &used_rows, ruled_rows, first_row_span);
    let mut out: Vec<GridCell> = cells
        .iter()
        .map(|&(r0, c0, r1, c1)| {
            let bbox = BBox::new(xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1]);
            let row = remap(&used_rows, r0);
            let col = remap(&used_cols, c0);
            GridCell {
                row,
                col,
                row_span: remap_end(&used_rows, r1) - row,
                col_span: remap_end(&used_cols, c1) - col,
                text: cell_text(&inside, &bbox, page),
                bbox,
            }
        })
        .collect();
    out.sort_by_key(|c| (c.row, c.col));
    Some(Grid { n_rows: used_rows.len() as u32, n_cols: used_cols.len() as u32, header_rows, cells: out })
}

/// The glyphs in the cell's box as text (the page's own line building: spacing, ligatures, CJK).
pub(super) fn cell_text(chars: &[RawChar], bbox: &BBox, page: (f32, f32)) -> String {
    let mine: Vec<RawChar> = chars
        .iter()
        .filter(|c| {
            let (cx, cy) = ((c.bbox.x0 + c.bbox.x1) / 2.0, c.bbox.center_y());
            cx >= bbox.x0 && cx < bbox.x1 && cy >= bbox.y0 && cy < bbox.y1
        })
        .cloned()
        .collect();
    text_of_glyphs(&mine, page)
}

/// Header rows: those above a horizontal rule in the top half of the table that is not its top
/// border (booktabs' mid rule); in a table ruled throughout, the first row.
fn header_rows(
    long_h: &[&Rule],
    ys: &[f32],
    area: &BBox,
    used_rows: &[usize],
    ruled_rows: bool,
    first_row_span: u32,
) -> u32 {
    if ruled_rows {
        // The first row, or as many rows as its tallest cell spans (a two-level header).
        return first_row_span.max(1).min(used_rows.len().saturating_sub(1) as u32);
    }
    let first_text = used_rows.first().map_or(area.y0, |&r| ys[r]);
    let mid = long_h
        .iter()
        .map(|r| r.pos)
        .filter(|&y| y > first_text + 2.0 && y < area.y0 + area.height() / 2.0)
        .fold(f32::MAX, f32::min);
    if mid == f32::MAX {
        return 0;
    }
    used_rows.iter().filter(|&&r| (ys[r] + ys[r + 1]) / 2.0 < mid).count() as u32
}

/// The rule under a table's header: the first long horizontal rule below the first text row
/// and in the top half of the table (booktabs' mid rule).
fn header_rule(long_h: &[&Rule], ys: &[f32], area: &BBox) -> Option<f32> {
    let first_text = ys.get(1).copied().unwrap_or(area.y0);
    let mid = long_h
        .iter()
        .map(|r| r.pos)
        .filter(|&y| y > first_text - 1.0 && y < area.y0 + area.height() / 2.0)
        .fold(f32::MAX, f32::min);
    (mid < f32::MAX).then_some(mid)
}

/// Joins header cells with the cell right below them when that one covers the same columns and
/// both lie above the header rule. Cells are (row0, col0, row1, col1).
fn merge_wrapped_header_lines(cells: &mut Vec<(usize, usize, usize, usize)>, ys: &[f32], rule: f32) {
    cells.sort_unstable();
    let mut k = 0;
    while k < cells.len() {
        let (r0, c0, r1, c1) = cells[k];
        let below = cells.iter().position(|&(s0, d0, _, d1)| s0 == r1 + 1 && d0 == c0 && d1 == c1);
        match below {
            Some(j) if ys[cells[j].2 + 1] <= rule + 1.0 => {
                cells[k] = (r0, c0, cells[j].2, c1);
                cells.remove(j);
                if j < k {
                    k -= 1;
                }
            }
            _ => k += 1,
        }
    }
}

fn rule_at(rules: &[&Rule], pos: f32, along: f32) -> bool {
    rules.iter().any(|r| (r.pos - pos).abs() <= 2.0 && r.covers(along, 1.0))
}

/// Cuts with no text between them (a border drawn as several lines) merged into one, at their
/// middle. `holds(a, b)`: whether some text lies between positions a and b.
fn merge_empty_bands(cuts: Vec<f32>, holds: impl Fn(f32, f32) -> bool) -> Vec<f32> {
    let mut groups: Vec<Vec<f32>> = Vec::new();
    for c in cuts {
        match groups.last_mut() {
            Some(g) if !holds(g[g.len() - 1], c) => g.push(c),
            _ => groups.push(vec![c]),
        }
    }
    groups.into_iter().map(|g| (g[0] + g[g.len() - 1]) / 2.0).collect()
}

/// Which columns (bands of `xs`) hold a word of a text row, as a bit set.
fn columns_filled(words: &[Word], row: &(f32, f32), xs: &[f32]) -> u64 {
    words
        .iter()
        .filter(|w| {
            let cy = w.bbox.center_y();
            cy >= row.0 && cy <= row.1
        })
        .map(|w| 1u64 << slot(xs, (w.bbox.x0 + w.bbox.x1) / 2.0).min(63))
        .fold(0, |a, b| a | b)
}

/// Whether the bands between horizontal rules hold cells of several lines: in most bands of
/// several text rows, half the text rows or more leave empty a column another row fills (a
/// list or a wrapped sentence beside a one-line cell), as rows of a data block fill every
/// column but for the odd gap (a table ruled in columns, with rules only under its header
/// and above its total).
fn bands_hold_many_line_cells(text_rows: &[(f32, f32)], ys: &[f32], occupancy: impl Fn(&(f32, f32)) -> u64) -> bool {
    let (mut tall, mut cell_like) = (0, 0);
    for band in ys.windows(2) {
        let rows: Vec<u64> = text_rows
            .iter()
            .filter(|r| (r.0 + r.1) / 2.0 > band[0] && (r.0 + r.1) / 2.0 < band[1])
            .map(&occupancy)
            .collect();
        if rows.len() < 2 {
            continue;
        }
        tall += 1;
        // A data block's rows fill every column but for the odd gap; a many-line cell's
        // continuation lines leave the other columns empty, at least half of the band's rows.
        let all = rows.iter().fold(0, |a, b| a | b);
        if rows.iter().filter(|&&r| r != all).count() * 2 >= rows.len() {
            cell_like += 1;
        }
    }
    tall > 0 && cell_like * 2 >= tall
}

/// Records set apart by space: the gap between them is at least this many times the closest
/// line pitch.
const RECORD_SPACING: f32 = 1.35;

/// Row cuts of a table without a rule under every row: between text rows, except where a text
/// row continues the record above (wrapped cells). A continuation line fills only columns whose
/// line above ran to the column's right edge, so near that this line's first word did not fit
/// after it (its text wrapped), or ended in a colon, sits no
/// farther below than lines usually do, and leaves empty a column the record's first line fills
/// or sits closer than rows usually do. Rules always cut.
fn record_cuts(text_rows: &[(f32, f32)], rules: &[f32], words: &[Word], xs: &[f32], em: f32) -> Vec<f32> {
    let n_cols = xs.len() - 1;
    // Per text row and column: where its text ends, whether in a colon, and how many words.
    let mut counts: Vec<Vec<usize>> = Vec::with_capacity(text_rows.len());
    let mut ends: Vec<Vec<Option<f32>>> = Vec::with_capacity(text_rows.len());
    let mut colons: Vec<Vec<bool>> = Vec::with_capacity(text_rows.len());
    // Per text row and column: what its first word needs to fit at the end of a line.
    let mut fits: Vec<Vec<f32>> = Vec::with_capacity(text_rows.len());
    for row in text_rows {
        let (mut count, mut end, mut colon) = (vec![0; n_cols], vec![None; n_cols], vec![false; n_cols]);
        let mut first: Vec<Option<(f32, f32)>> = vec![None; n_cols];
        for w in words.iter().filter(|w| w.bbox.center_y() >= row.0 && w.bbox.center_y() <= row.1) {
            let c = slot(xs, (w.bbox.x0 + w.bbox.x1) / 2.0);
            count[c] += 1;
            if end[c].is_none_or(|e: f32| w.bbox.x1 > e) {
                end[c] = Some(w.bbox.x1);
                colon[c] = matches!(w.last, ':' | '：');
            }
            if first[c].is_none_or(|(x, _)| w.bbox.x0 < x) {
                first[c] = Some((w.bbox.x0, w.fit));
            }
        }
        fits.push(first.iter().map(|f| f.map_or(0.0, |(_, fit)| fit)).collect());
        counts.push(count);
        ends.push(end);
        colons.push(colon);
    }
    let right_edge: Vec<f32> = (0..n_cols).map(|c| ends.iter().filter_map(|e| e[c]).fold(f32::MIN, f32::max)).collect();
    let pitches: Vec<f32> = text_rows.windows(2).map(|w| (w[1].0 + w[1].1 - w[0].0 - w[0].1) / 2.0).collect();
    let usual_pitch = median(pitches.clone());
    let closest_pitch = pitches.iter().copied().fold(f32::MAX, f32::min);
    let spaced = pitches.iter().any(|&p| p >= RECORD_SPACING * closest_pitch);
    let mut cuts = Vec::new();
    let mut first = 0;
    let mut listing = false;
    for k in 1..text_rows.len() {
        let (above, here) = (&ends[k - 1], &ends[k]);
        let ruled = rules.iter().any(|&y| y > text_rows[k - 1].1 - 1.0 && y < text_rows[k].0 + 1.0);
        // (A line ending in a colon announces the list below it, item after item.)
        let wrapped = (0..n_cols).all(|c| {
            here[c].is_none()
                || colons[k - 1][c]
                || listing
                || above[c].is_some_and(|e| {
                    // Ran near the column's edge, and this line's first word would not have
                    // fitted after it within the column's widest line (else it would be there).
                    let width = xs[c + 1] - xs[c];
                    e >= right_edge[c] - (3.0 * em).max(0.25 * width)
                        && e + 0.25 * em + fits[k][c] > right_edge[c] + 1.0
                })
        });
        let leaves_empty = (0..n_cols).any(|c| ends[first][c].is_some() && here[c].is_none());
        let close = pitches[k - 1] <= 1.15 * usual_pitch;
        // Where every column wraps, the lines of a record sit closer than records do: closer
        // than usual, or (in a table whose records are set apart by space, where a sentence
        // runs on from one line to this) as close as the table's closest lines. (Rows of
        // figures set apart here and there stay rows.)
        let prose = (0..n_cols).any(|c| counts[k - 1][c] >= 4 && counts[k][c] >= 2);
        let tight = pitches[k - 1] < 0.8 * usual_pitch || (spaced && prose && pitches[k - 1] <= 1.15 * closest_pitch);
        if ruled || !(wrapped && close && (leaves_empty || tight)) {
            cuts.push((text_rows[k - 1].1.max(text_rows[k].0 - 0.01) + text_rows[k].0) / 2.0);
            first = k;
            listing = false;
        } else {
            listing |= (0..n_cols).any(|c| here[c].is_some() && colons[k - 1][c]);
        }
    }
    cuts
}

/// Index of the band `v` falls in, given ascending band bounds.
fn slot(bounds: &[f32], v: f32) -> usize {
    let n = bounds.len() - 1;
    (0..n).find(|&i| v < bounds[i + 1]).unwrap_or(n - 1)
}

fn bounds_with(lo: f32, hi: f32, cuts: &[f32]) -> Vec<f32> {
    let mut v = vec![lo];
    v.extend(cuts.iter().copied().filter(|&c| c > lo && c < hi));
    v.push(hi);
    v
}

/// Sorted positions, those within `tol` of one another averaged.
fn cluster(mut v: Vec<f32>, tol: f32) -> Vec<f32> {
    v.sort_by(f32::total_cmp);
    let mut out: Vec<(f32, u32)> = Vec::new();
    for x in v {
        match out.last_mut() {
            Some((m, n)) if x - *m / *n as f32 <= tol => {
                *m += x;
                *n += 1;
            }
            _ => out.push((x, 1)),
        }
    }
    out.into_iter().map(|(m, n)| m / n as f32).collect()
}

fn median(mut v: Vec<f32>) -> f32 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f32::total_cmp);
    v[v.len() / 2]
}

/// Words: glyph runs split at spaces and at gaps wider than a third of an em.
fn words_of(chars: &[RawChar]) -> Vec<Word> {
    let mut sorted: Vec<&RawChar> = chars.iter().filter(|c| c.bbox.width() > 0.0 || c.bbox.height() > 0.0).collect();
    sorted.sort_by(|a, b| a.bbox.center_y().total_cmp(&b.bbox.center_y()));
    // Rows by vertical overlap, then words within each row by x.
    let mut rows: Vec<Vec<&RawChar>> = Vec::new();
    for c in sorted {
        match rows.last_mut() {
            Some(row) if row.iter().any(|r| r.bbox.overlap_y(&c.bbox) > 0.5 * c.bbox.height().min(r.bbox.height())) => {
                row.push(c)
            }
            _ => rows.push(vec![c]),
        }
    }
    let mut words = Vec::new();
    for mut row in rows {
        row.sort_by(|a, b| a.bbox.x0.total_cmp(&b.bbox.x0));
        let mut current: Option<BBox> = None;
        let mut last = ' ';
        let mut first: Option<(char, f32)> = None;
        let word = |b: BBox, last: char, first: Option<(char, f32)>| {
            let fit = match first {
                Some((ch, w)) if crate::text::script::is_cjk(ch) => w,
                _ => b.width(),
            };
            Word { bbox: b, last, fit }
        };
        // The index the word being built will take, when it is a lone bullet so far.
        let mut bullet_run: Option<usize> = None;
        for c in row {
            if crate::text::script::is_space(c.ch) {
                // A list bullet keeps to its item: the space after it makes no column.
                if (bullet_run.is_none_or(|k| k != words.len()) || current.is_none())
                    && let Some(b) = current.take()
                {
                    words.push(word(b, last, first));
                }
                continue;
            }
            if current.is_none() {
                bullet_run = is_bullet(c.ch).then_some(words.len());
            } else if bullet_run == Some(words.len()) && current.is_some_and(|b| c.bbox.x0 - b.x1 > 0.0) {
                // The item after the bullet: one word with it.
                current = current.map(|b| b.union(&c.bbox));
                bullet_run = None;
                last = c.ch;
                continue;
            }
            current = match current {
                Some(b) if c.bbox.x0 - b.x1 <= 0.35 * c.size.max(1.0) => Some(b.union(&c.bbox)),
                Some(b) => {
                    words.push(word(b, last, first));
                    first = Some((c.ch, c.bbox.width()));
                    Some(c.bbox)
                }
                None => {
                    first = Some((c.ch, c.bbox.width()));
                    Some(c.bbox)
                }
            };
            last = c.ch;
        }
        if let Some(b) = current {
            words.push(word(b, last, first));
        }
    }
    words
}

/// List markers that open a cell's item.
fn is_bullet(ch: char) -> bool {
    matches!(ch, '•' | '◦' | '▪' | '‣' | '●' | '○' | '■' | '□' | '➢' | '►' | '·' | '-' | '–' | '*')
}

/// Text rows: (top, bottom) of words overlapping vertically, top to bottom.
fn text_rows(words: &[Word]) -> Vec<(f32, f32)> {
    let mut spans: Vec<(f32, f32)> = words.iter().map(|w| (w.bbox.y0, w.bbox.y1)).collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut rows: Vec<(f32, f32)> = Vec::new();
    for (y0, y1) in spans {
        match rows.last_mut() {
            Some(r) if y0 < r.1 - 0.4 * (y1 - y0).min(r.1 - r.0) => r.1 = r.1.max(y1),
            _ => rows.push((y0, y1)),
        }
    }
    rows
}

#[cfg(test)]
mod tests;
