//! Column gutters of a table without (enough) vertical rules: strips of whitespace that run
//! down the table's body, and where in each strip the cut between two columns goes.

use super::{Word, text_rows};
use crate::geometry::BBox;

/// Narrowest whitespace strip between columns, in ems of the table's text.
const MIN_GUTTER_EM: f32 = 0.6;

/// Column cuts at the middle of every vertical whitespace strip at least MIN_GUTTER_EM wide
/// that no body word crosses. Words spanning most of the table (titles, notes) and the words of
/// the first rows (headers spanning several columns) do not close a strip; they span it. The
/// cut goes in the widest part of the strip that no word crosses at all, where there is one:
/// the strip's middle may fall inside a long first-row cell or a crossing note.
pub(super) fn whitespace_cuts(words: &[Word], area: &BBox, em: f32) -> Vec<f32> {
    let width = area.width();
    let rows = text_rows(words);
    let header_rows = (rows.len() / 3).min(3);
    let body_top = rows.get(header_rows).map_or(f32::MIN, |r| r.0 - 0.1);
    let body: Vec<&Word> =
        words.iter().filter(|w| w.bbox.width() < 0.6 * width && w.bbox.center_y() >= body_top).collect();
    let x0 = area.x0.floor() as i32;
    let n = (area.x1.ceil() as i32 - x0).max(1) as usize + 1;
    let coverage = |words: &mut dyn Iterator<Item = &Word>| {
        let mut cover = vec![0u32; n];
        for w in words {
            let a = ((w.bbox.x0 - x0 as f32).floor().max(0.0) as usize).min(n - 1);
            let b = ((w.bbox.x1 - x0 as f32).ceil().max(0.0) as usize).min(n - 1);
            for c in &mut cover[a..=b] {
                *c += 1;
            }
        }
        cover
    };
    let cover = coverage(&mut body.iter().copied());
    // Within a gutter the cut keeps clear of every word where it can (a long cell that the
    // strip lets cross, a wide one, a first row's), else of all but the widest.
    let cover_every = coverage(&mut words.iter());
    let cover_all = coverage(&mut words.iter().filter(|w| w.bbox.width() < 0.6 * width));
    // A strip may be crossed by a few body words (a group label or a note set across columns).
    let body_rows = rows.len().saturating_sub(header_rows);
    let allowed = (body_rows / 6) as u32;
    let mut cuts = Vec::new();
    let mut start: Option<usize> = None;
    let first_ink = cover.iter().position(|&c| c > 0).unwrap_or(0);
    let last_ink = cover.iter().rposition(|&c| c > 0).unwrap_or(n - 1);
    // A strip opens after a column: not before the first one, where only crossing words (a
    // note under the table) reach out to the left. A column has phrases ending in it (a word
    // with no word close after it on its line), or more words than may cross.
    let mut ends = vec![false; n];
    for w in &body {
        let followed = body.iter().any(|v| {
            v.bbox.x0 >= w.bbox.x1 - 0.5
                && v.bbox.x0 <= w.bbox.x1 + MIN_GUTTER_EM * em
                && v.bbox.overlap_y(&w.bbox) > 0.5 * v.bbox.height().min(w.bbox.height())
        });
        if !followed {
            ends[((w.bbox.x1 - x0 as f32).ceil().max(0.0) as usize).min(n - 1)] = true;
        }
    }
    let mut seen_column = false;
    for (i, &covered) in cover.iter().enumerate().take(last_ink + 1).skip(first_ink) {
        seen_column |= covered > allowed || ends[i];
        match (covered <= allowed, start) {
            (true, None) if seen_column => start = Some(i),
            (false, Some(s)) => {
                let (left, right) = (x0 as f32 + s as f32, x0 as f32 + i as f32);
                let wide = right - left >= MIN_GUTTER_EM * em;
                // Dense numeric tables leave one space between columns; there the words on
                // either side line up (right-aligned numbers, left-aligned text) as word
                // spaces inside running text do not.
                let aligned = right - left >= 0.15 * em && {
                    let edges = body
                        .iter()
                        .filter(|w| (w.bbox.x1 - left).abs() <= 1.5 || (w.bbox.x0 - right).abs() <= 1.5)
                        .count();
                    edges * 2 >= body_rows.max(2)
                };
                if wide || aligned {
                    let middle = clear_middle(&cover_every[s..i], em)
                        .or_else(|| clear_middle(&cover_all[s..i], em))
                        .or_else(|| clear_middle(&cover[s..i], em))
                        .map_or((s + i) as f32 / 2.0, |m| s as f32 + m);
                    cuts.push(x0 as f32 + middle);
                }
                start = None;
            }
            _ => {}
        }
    }
    cuts
}

/// The middle of the widest run no word crosses in a strip's coverage (a strip a few long
/// cells cross still has its clear part, between the long cell's end and the next column),
/// when that run is at least a quarter em wide.
fn clear_middle(cover: &[u32], em: f32) -> Option<f32> {
    let mut best: Option<(usize, usize)> = None;
    let mut start: Option<usize> = None;
    for (i, &c) in cover.iter().chain(std::iter::once(&1)).enumerate() {
        match (c == 0, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                if best.is_none_or(|(a, b)| i - s > b - a) {
                    best = Some((s, i));
                }
                start = None;
            }
            _ => {}
        }
    }
    best.filter(|(a, b)| (b - a) as f32 >= 0.25 * em).map(|(a, b)| (a + b) as f32 / 2.0)
}
