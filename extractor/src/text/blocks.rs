//! Lines to blocks in reading order, by recursive XY-cut.
//!
//! At each node a vertical cut (a gutter running the node's full height, with real text on both
//! sides) is preferred, so columns are read one after the other; otherwise the node is cut at its
//! widest horizontal gap if that gap is wider than the page's paragraph spacing, or where the
//! font size or weight changes (a heading above its paragraph). Nodes that cannot be cut are
//! blocks.

use serde::{Deserialize, Serialize};

use super::lines::TextLine;
use super::script::{is_cjk, is_line_end_hyphen, starts_list_item};
use crate::geometry::BBox;

/// A run of lines that read as one unit: a paragraph, a heading, a list item, a header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextBlock {
    pub bbox: BBox,
    pub lines: Vec<TextLine>,
    /// The lines joined: hyphenation undone, no spaces between CJK lines, list items on their
    /// own lines.
    pub text: String,
    /// Dominant font size (by glyph count).
    pub size: f32,
    /// Most glyphs are bold.
    pub bold: bool,
}

impl TextBlock {
    fn from_lines(lines: Vec<TextLine>) -> Self {
        let bbox = BBox::union_all(lines.iter().map(|l| &l.bbox)).unwrap_or_default();
        let glyphs: u32 = lines.iter().map(|l| l.glyphs).sum();
        let bold_glyphs: u32 = lines.iter().filter(|l| l.bold).map(|l| l.glyphs).sum();
        let text = join_lines(&lines);
        let size = dominant_size(&lines);
        Self { bbox, text, size, bold: bold_glyphs * 2 > glyphs, lines }
    }

    pub fn glyphs(&self) -> u32 {
        self.lines.iter().map(|l| l.glyphs).sum()
    }
}

/// The font size carrying the most glyphs.
pub fn dominant_size(lines: &[TextLine]) -> f32 {
    let mut by_size: Vec<(f32, u32)> = Vec::new();
    for l in lines {
        let key = (l.size * 2.0).round() / 2.0;
        match by_size.iter_mut().find(|(s, _)| *s == key) {
            Some((_, n)) => *n += l.glyphs,
            None => by_size.push((key, l.glyphs)),
        }
    }
    by_size.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.total_cmp(&a.0))).map(|(s, _)| s).unwrap_or(0.0)
}

/// Loose glyphs (a table cell's, a flowchart step's) as one text: their lines top to bottom,
/// joined by spaces.
pub fn text_of_glyphs(chars: &[crate::pdf::RawChar], page: (f32, f32)) -> String {
    let mut lines = crate::text::build_lines(chars, page);
    lines.sort_by(|a, b| a.bbox.y0.total_cmp(&b.bbox.y0).then(a.bbox.x0.total_cmp(&b.bbox.x0)));
    join_lines(&lines).replace('\n', " ")
}

/// Joins a block's lines into its text.
pub fn join_lines(lines: &[TextLine]) -> String {
    let mut text = String::new();
    for line in lines {
        let next = line.text.trim();
        if next.is_empty() {
            continue;
        }
        if text.is_empty() {
            text.push_str(next);
            continue;
        }
        let last = text.chars().last().unwrap_or(' ');
        let before_last = text.chars().rev().nth(1).unwrap_or(' ');
        let first = next.chars().next().unwrap_or(' ');
        if starts_list_item(next) {
            text.push('\n');
        } else if is_line_end_hyphen(last) && before_last.is_alphabetic() {
            if first.is_lowercase() {
                // A word broken across lines: "recom-" + "mended".
                text.pop();
            }
            // Otherwise a compound broken at its own hyphen: "non-" + "Hodgkin".
        } else if !((is_cjk(last) && is_cjk(first)) || (last == '/' && first.is_alphanumeric())) {
            text.push(' ');
        }
        text.push_str(next);
    }
    text
}

/// Typical vertical gap between consecutive lines of one paragraph on this page: the median
/// weighted by glyphs, so that running text outweighs table cells and flowchart labels.
fn typical_line_gap(lines: &[TextLine]) -> f32 {
    let mut order: Vec<&TextLine> = lines.iter().collect();
    order.sort_by(|a, b| a.bbox.y0.total_cmp(&b.bbox.y0));
    let mut gaps = Vec::new();
    for (i, a) in order.iter().enumerate() {
        // The nearest line below that shares the column and the font size.
        let below = order[i + 1..].iter().find(|b| {
            b.bbox.y0 >= a.bbox.y1 - 0.1 * a.size
                && a.bbox.overlap_x(&b.bbox) > 0.5 * a.bbox.width().min(b.bbox.width())
        });
        if let Some(b) = below
            && (b.size - a.size).abs() < 0.1 * a.size
        {
            let gap = b.bbox.y0 - a.bbox.y1;
            if gap < 2.0 * a.size {
                gaps.push((gap.max(0.0), a.glyphs.max(1)));
            }
        }
    }
    if gaps.is_empty() {
        return 0.25 * dominant_size(lines).max(1.0);
    }
    gaps.sort_by(|a, b| a.0.total_cmp(&b.0));
    let half = gaps.iter().map(|g| g.1).sum::<u32>() / 2;
    let mut seen = 0;
    for (gap, weight) in &gaps {
        seen += weight;
        if seen > half {
            return *gap;
        }
    }
    gaps[gaps.len() - 1].0
}

/// Orders the page's lines and groups them into blocks.
pub fn build_blocks(lines: Vec<TextLine>) -> Vec<TextBlock> {
    if lines.is_empty() {
        return Vec::new();
    }
    let size = dominant_size(&lines).max(1.0);
    let line_gap = typical_line_gap(&lines);
    let cutter = Cutter { lines: &lines, para_gap: (line_gap * 1.5).max(line_gap + 0.3 * size), body_size: size };
    let mut leaves = Vec::new();
    cutter.cut((0..lines.len()).collect(), &mut leaves);
    leaves.into_iter().map(|idx| TextBlock::from_lines(idx.into_iter().map(|i| lines[i].clone()).collect())).collect()
}

struct Cutter<'a> {
    lines: &'a [TextLine],
    /// Gap between lines of running text above which a new paragraph starts.
    para_gap: f32,
    /// Font size of the running text.
    body_size: f32,
}

impl Cutter<'_> {
    fn cut(&self, idx: Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if idx.len() <= 1 {
            out.push(idx);
            return;
        }
        if let Some(columns) = self.vertical_split(&idx) {
            for column in columns {
                self.cut(column, out);
            }
            return;
        }
        let bands = self.bands(&idx);
        if bands.len() == 1 {
            out.push(self.in_band_order(idx));
            return;
        }
        // Gaps measured in units of the paragraph spacing at that font size: large type (a
        // title over two lines) is set with proportionally larger leading.
        let gap = |k: usize| {
            let raw = self.band_box(&bands[k + 1]).y0 - self.band_box(&bands[k]).y1;
            let size = self.band_size(&bands[k]).max(self.band_size(&bands[k + 1]));
            raw / (self.para_gap * (size / self.body_size).max(1.0))
        };
        let widest = (0..bands.len() - 1).max_by(|&a, &b| gap(a).total_cmp(&gap(b)));
        let cut_at = match widest {
            Some(k) if gap(k) > 1.0 => Some(k),
            _ => (0..bands.len() - 1).find(|&k| {
                self.style_changes(&bands[k], &bands[k + 1]) || self.caption_boundary(&bands[k], &bands[k + 1])
            }),
        };
        match cut_at {
            Some(k) => {
                let (top, bottom) = bands.split_at(k + 1);
                self.cut(top.concat(), out);
                self.cut(bottom.concat(), out);
            }
            None => out.push(self.in_band_order(idx)),
        }
    }

    /// Splits at gutters that run the full height of the node; narrow slices (bullets, line
    /// numbers) stay with their neighbour.
    fn vertical_split(&self, idx: &[usize]) -> Option<Vec<Vec<usize>>> {
        let size = dominant_size(&idx.iter().map(|&i| self.lines[i].clone()).collect::<Vec<_>>()).max(1.0);
        let mut sorted = idx.to_vec();
        sorted.sort_by(|&a, &b| self.lines[a].bbox.x0.total_cmp(&self.lines[b].bbox.x0));
        let mut groups: Vec<(f32, f32, Vec<usize>)> = Vec::new();
        for i in sorted {
            let b = self.lines[i].bbox;
            match groups.last_mut() {
                Some((_, x1, members)) if b.x0 < *x1 + 0.9 * size => {
                    *x1 = x1.max(b.x1);
                    members.push(i);
                }
                _ => groups.push((b.x0, b.x1, vec![i])),
            }
        }
        // Merge slices too narrow to be a column into the nearer neighbour.
        while groups.len() > 1
            && let Some(k) = groups.iter().position(|(x0, x1, _)| x1 - x0 < 2.5 * size)
        {
            let neighbour = if k == 0 {
                1
            } else if k == groups.len() - 1 {
                k - 1
            } else {
                let left_gap = groups[k].0 - groups[k - 1].1;
                let right_gap = groups[k + 1].0 - groups[k].1;
                if left_gap <= right_gap { k - 1 } else { k + 1 }
            };
            let (lo, hi) = (k.min(neighbour), k.max(neighbour));
            let (_, x1, members) = groups.remove(hi);
            groups[lo].1 = groups[lo].1.max(x1);
            groups[lo].2.extend(members);
        }
        (groups.len() > 1).then(|| groups.into_iter().map(|(_, _, m)| m).collect())
    }

    /// Lines grouped into horizontal bands (vertically overlapping lines share a band), top down.
    fn bands(&self, idx: &[usize]) -> Vec<Vec<usize>> {
        let mut sorted = idx.to_vec();
        sorted.sort_by(|&a, &b| self.lines[a].bbox.y0.total_cmp(&self.lines[b].bbox.y0));
        let mut bands: Vec<(f32, Vec<usize>)> = Vec::new();
        for i in sorted {
            let b = self.lines[i].bbox;
            match bands.last_mut() {
                Some((y1, members)) if b.y0 < *y1 - 0.05 * b.height() => {
                    *y1 = y1.max(b.y1);
                    members.push(i);
                }
                _ => bands.push((b.y1, vec![i])),
            }
        }
        bands.into_iter().map(|(_, m)| m).collect()
    }

    fn band_size(&self, band: &[usize]) -> f32 {
        band.iter().map(|&i| self.lines[i].size).fold(0.0, f32::max)
    }

    fn band_box(&self, band: &[usize]) -> BBox {
        BBox::union_all(band.iter().map(|&i| &self.lines[i].bbox)).unwrap_or_default()
    }

    /// A heading sits above its text: different size, or bold against regular.
    fn style_changes(&self, upper: &[usize], lower: &[usize]) -> bool {
        let style = |band: &[usize]| {
            let lines: Vec<TextLine> = band.iter().map(|&i| self.lines[i].clone()).collect();
            let glyphs: u32 = lines.iter().map(|l| l.glyphs).sum();
            let bold: u32 = lines.iter().filter(|l| l.bold).map(|l| l.glyphs).sum();
            (dominant_size(&lines), bold * 2 > glyphs)
        };
        let (size_a, bold_a) = style(upper);
        let (size_b, bold_b) = style(lower);
        (size_a - size_b).abs() > 0.12 * size_a.max(size_b) || bold_a != bold_b
    }

    /// A caption ("Table 2.", "图1") starts its own block, and ends where the size changes, so it
    /// does not swallow the table header drawn right under it.
    fn caption_boundary(&self, upper: &[usize], lower: &[usize]) -> bool {
        let first_line = |band: &[usize]| {
            band.iter().copied().min_by(|&a, &b| self.lines[a].bbox.x0.total_cmp(&self.lines[b].bbox.x0))
        };
        let starts_caption =
            |band: &[usize]| first_line(band).is_some_and(|i| super::captions::is_caption(&self.lines[i].text));
        if starts_caption(lower) {
            return true;
        }
        let size = |band: &[usize]| dominant_size(&band.iter().map(|&i| self.lines[i].clone()).collect::<Vec<_>>());
        starts_caption(upper) && (size(upper) - size(lower)).abs() >= 0.4
    }

    /// Top to bottom, left to right within a band.
    fn in_band_order(&self, idx: Vec<usize>) -> Vec<usize> {
        self.bands(&idx)
            .into_iter()
            .flat_map(|mut band| {
                band.sort_by(|&a, &b| self.lines[a].bbox.x0.total_cmp(&self.lines[b].bbox.x0));
                band
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::lines::Direction;

    fn line(text: &str, x0: f32, y0: f32, width: f32, size: f32, bold: bool) -> TextLine {
        TextLine {
            bbox: BBox::new(x0, y0, x0 + width, y0 + size),
            text: text.into(),
            size,
            bold,
            direction: Direction::LeftToRight,
            glyphs: text.chars().count() as u32,
            unmapped: 0,
        }
    }

    /// A paragraph of `n` lines at 12 pt leading.
    fn paragraph(tag: &str, x0: f32, y0: f32, n: usize, width: f32) -> Vec<TextLine> {
        (0..n).map(|i| line(&format!("{tag} line {i}"), x0, y0 + 12.0 * i as f32, width, 10.0, false)).collect()
    }

    fn texts(blocks: &[TextBlock]) -> Vec<String> {
        blocks.iter().map(|b| b.text.clone()).collect()
    }

    #[test]
    fn two_columns_under_a_full_width_title_read_column_by_column() {
        let mut lines = vec![line("Guideline title", 50.0, 40.0, 500.0, 18.0, true)];
        lines.extend(paragraph("L", 50.0, 100.0, 5, 230.0));
        lines.extend(paragraph("R", 310.0, 100.0, 5, 230.0));
        let blocks = build_blocks(lines);
        let t = texts(&blocks);
        assert_eq!(t[0], "Guideline title");
        assert!(t[1].starts_with("L line 0") && t[1].ends_with("L line 4"), "{t:?}");
        assert!(t[2].starts_with("R line 0"), "{t:?}");
        assert_eq!(blocks.len(), 3);
    }

    #[test]
    fn paragraph_spacing_and_headings_separate_blocks() {
        let mut lines = vec![line("1 Introduction", 50.0, 80.0, 120.0, 10.0, true)];
        lines.extend(paragraph("A", 50.0, 92.0, 3, 400.0));
        lines.extend(paragraph("B", 50.0, 140.0, 3, 400.0));
        let t = texts(&build_blocks(lines));
        assert_eq!(t.len(), 3, "{t:?}");
        assert_eq!(t[0], "1 Introduction");
    }

    #[test]
    fn bullets_stay_with_their_items() {
        let mut lines = Vec::new();
        for i in 0..3 {
            let y = 100.0 + 14.0 * i as f32;
            lines.push(line("•", 50.0, y, 4.0, 10.0, false));
            lines.push(line(&format!("item {i}"), 66.0, y, 200.0, 10.0, false));
        }
        let t = texts(&build_blocks(lines));
        assert_eq!(t, ["• item 0\n• item 1\n• item 2"]);
    }

    #[test]
    fn joining_undoes_hyphenation_and_cjk_breaks() {
        let lines = vec![
            line("treatment is recom-", 0.0, 0.0, 100.0, 10.0, false),
            line("mended for adults", 0.0, 12.0, 100.0, 10.0, false),
        ];
        assert_eq!(join_lines(&lines), "treatment is recommended for adults");
        let cjk =
            vec![line("带状疱疹后神经", 0.0, 0.0, 100.0, 10.0, false), line("痛的诊断", 0.0, 12.0, 100.0, 10.0, false)];
        assert_eq!(join_lines(&cjk), "带状疱疹后神经痛的诊断");
        let compound =
            vec![line("non-", 0.0, 0.0, 100.0, 10.0, false), line("Hodgkin lymphoma", 0.0, 12.0, 100.0, 10.0, false)];
        assert_eq!(join_lines(&compound), "non-Hodgkin lymphoma");
    }
}
