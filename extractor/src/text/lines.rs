//! Characters to text lines: rows by baseline, split at gutters, words spaced by geometry.
//!
//! Text in any of the four directions is handled in its own reading frame (text flowing left to
//! right, lines stacking downwards) and the resulting boxes are mapped back to the page.

use serde::{Deserialize, Serialize};

use super::script::{expand_ligature, fold_fullwidth, is_cjk, is_space};
use crate::geometry::BBox;
use crate::pdf::RawChar;

/// One line of text (a row segment between gutters).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextLine {
    pub bbox: BBox,
    pub text: String,
    /// Dominant font size in points.
    pub size: f32,
    /// Most of the line's glyphs are bold.
    pub bold: bool,
    /// Direction of the text on the page.
    pub direction: Direction,
    /// Number of non-space glyphs.
    pub glyphs: u32,
    /// Number of glyphs whose Unicode mapping failed.
    pub unmapped: u32,
}

/// Text direction on the displayed page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    LeftToRight,
    /// Rotated 90° counter-clockwise: reads bottom to top.
    Upwards,
    /// Rotated 90° clockwise: reads top to bottom.
    Downwards,
    UpsideDown,
}

impl Direction {
    /// The direction of text at `angle` (counter-clockwise degrees), or `None` for oblique text
    /// more than 20° off every axis, which in guidelines is a diagonal watermark ("DRAFT",
    /// "公示稿") laid over the page, not content.
    fn of_angle(angle: f32) -> Option<Self> {
        let a = angle.rem_euclid(360.0);
        let off_axis = (a - (a / 90.0).round() * 90.0).abs();
        if off_axis > 20.0 {
            return None;
        }
        Some(match a {
            a if !(45.0..315.0).contains(&a) => Self::LeftToRight,
            a if a < 135.0 => Self::Upwards,
            a if a < 225.0 => Self::UpsideDown,
            _ => Self::Downwards,
        })
    }

    /// Maps a displayed point into the reading frame of this direction.
    fn page_to_frame(self, (x, y): (f32, f32), page: (f32, f32)) -> (f32, f32) {
        let (w, h) = page;
        match self {
            Self::LeftToRight => (x, y),
            Self::Upwards => (h - y, x),
            Self::Downwards => (y, w - x),
            Self::UpsideDown => (w - x, h - y),
        }
    }

    /// Maps a reading-frame point back to the displayed page.
    fn frame_to_page(self, (fx, fy): (f32, f32), page: (f32, f32)) -> (f32, f32) {
        let (w, h) = page;
        match self {
            Self::LeftToRight => (fx, fy),
            Self::Upwards => (fy, h - fx),
            Self::Downwards => (w - fy, fx),
            Self::UpsideDown => (w - fx, h - fy),
        }
    }

    fn box_to_frame(self, b: &BBox, page: (f32, f32)) -> BBox {
        let (xa, ya) = self.page_to_frame((b.x0, b.y0), page);
        let (xb, yb) = self.page_to_frame((b.x1, b.y1), page);
        BBox::new(xa, ya, xb, yb)
    }

    fn box_from_frame(self, b: &BBox, page: (f32, f32)) -> BBox {
        let (xa, ya) = self.frame_to_page((b.x0, b.y0), page);
        let (xb, yb) = self.frame_to_page((b.x1, b.y1), page);
        BBox::new(xa, ya, xb, yb)
    }
}

/// A glyph in its reading frame.
#[derive(Debug, Clone, Copy)]
struct Glyph {
    /// Position in content-stream order.
    seq: u32,
    ch: char,
    x0: f32,
    x1: f32,
    baseline: f32,
    size: f32,
    bold: bool,
    unmapped: bool,
    /// The character before this one in the content is a space (real, or one PDFium inferred
    /// from the glyph positions).
    space_before: bool,
}

impl Glyph {
    fn center_y(&self) -> f32 {
        self.baseline - 0.3 * self.size
    }
}

/// Builds the page's text lines from its characters. `page` is the displayed (width, height).
pub fn build_lines(chars: &[RawChar], page: (f32, f32)) -> Vec<TextLine> {
    let mut lines = Vec::new();
    for direction in [Direction::LeftToRight, Direction::Upwards, Direction::Downwards, Direction::UpsideDown] {
        let glyphs: Vec<Glyph> = chars
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.generated && c.bbox.is_valid() && c.size > 0.0)
            .filter(|(_, c)| Direction::of_angle(c.angle) == Some(direction))
            .filter(|(_, c)| !c.ch.is_control() || c.unmapped)
            .map(|(seq, c)| {
                let b = direction.box_to_frame(&c.bbox, page);
                let (_, baseline) = direction.page_to_frame(c.origin, page);
                Glyph {
                    seq: seq as u32,
                    ch: fold_fullwidth(c.ch),
                    x0: b.x0,
                    x1: b.x1,
                    baseline,
                    size: c.size,
                    bold: c.font.bold,
                    unmapped: c.unmapped,
                    space_before: seq > 0 && is_space(chars[seq - 1].ch),
                }
            })
            .collect();
        if glyphs.is_empty() {
            continue;
        }
        for row in rows(glyphs) {
            for segment in split_at_gutters(drop_repeated_runs(row)) {
                if let Some(mut line) = make_line(&segment) {
                    line.direction = direction;
                    line.bbox = direction.box_from_frame(&line.bbox, page);
                    lines.push(line);
                }
            }
        }
    }
    lines
}

/// Groups glyphs whose vertical centres lie close together; sorted by x within a row.
fn rows(mut glyphs: Vec<Glyph>) -> Vec<Vec<Glyph>> {
    glyphs.sort_by(|a, b| a.center_y().total_cmp(&b.center_y()));
    let mut rows: Vec<Vec<Glyph>> = Vec::new();
    let mut anchor: Option<Glyph> = None;
    for g in glyphs {
        let joins = anchor.is_some_and(|a| {
            let tolerance = 0.45 * a.size.max(g.size).max(1.0);
            g.center_y() - a.center_y() <= tolerance
        });
        if let Some(row) = rows.last_mut().filter(|_| joins) {
            row.push(g);
        } else if is_space(g.ch) && anchor.is_none() {
            continue;
        } else {
            anchor = Some(g);
            rows.push(vec![g]);
        }
    }
    for row in &mut rows {
        row.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    }
    rows
}

/// Drops text drawn twice over itself (shadows, outlines, fake bold in another font): when two
/// runs of consecutive content in a row spell the same text over the same stretch, the earlier
/// one (the shadow, drawn first) goes.
fn drop_repeated_runs(row: Vec<Glyph>) -> Vec<Glyph> {
    if row.len() < 4 {
        return row;
    }
    let mut by_seq = row.clone();
    by_seq.sort_by_key(|g| g.seq);
    // Runs of consecutive content order that keep moving right.
    let mut runs: Vec<Vec<Glyph>> = Vec::new();
    for g in by_seq {
        match runs.last_mut() {
            Some(run) if run.last().is_some_and(|last| g.seq <= last.seq + 2 && g.x0 >= last.x0 - 0.3 * g.size) => {
                run.push(g)
            }
            _ => runs.push(vec![g]),
        }
    }
    if runs.len() < 2 {
        return row;
    }
    let ink = |run: &[Glyph]| run.iter().filter(|g| !is_space(g.ch)).map(|g| g.ch).collect::<String>();
    let span = |run: &[Glyph]| {
        let x0 = run.iter().map(|g| g.x0).fold(f32::MAX, f32::min);
        let x1 = run.iter().map(|g| g.x1).fold(f32::MIN, f32::max);
        (x0, x1)
    };
    let mut dropped: Vec<u32> = Vec::new();
    for i in 0..runs.len() {
        let (text_i, (a0, a1)) = (ink(&runs[i]), span(&runs[i]));
        if text_i.chars().count() < 2 {
            continue;
        }
        for later in &runs[i + 1..] {
            let (b0, b1) = span(later);
            let overlap = a1.min(b1) - a0.max(b0);
            if ink(later) == text_i && overlap > 0.6 * (a1 - a0).min(b1 - b0) {
                dropped.extend(runs[i].iter().map(|g| g.seq));
                break;
            }
        }
    }
    if dropped.is_empty() {
        return row;
    }
    row.into_iter().filter(|g| !dropped.contains(&g.seq)).collect()
}

/// Splits a row where the horizontal gap between glyphs is a gutter rather than a word space:
/// wider than one em with no space character in it, or wider than three ems in any case.
fn split_at_gutters(row: Vec<Glyph>) -> Vec<Vec<Glyph>> {
    let mut out: Vec<Vec<Glyph>> = Vec::new();
    let mut current: Vec<Glyph> = Vec::new();
    let mut last_ink: Option<Glyph> = None;
    let mut space_since_ink = false;
    for g in row {
        if is_space(g.ch) {
            space_since_ink = true;
            if !current.is_empty() {
                current.push(g);
            }
            continue;
        }
        if let Some(prev) = last_ink {
            let gap = g.x0 - prev.x1;
            let em = prev.size.max(g.size);
            if gap > 3.0 * em || (gap > 1.0 * em && !space_since_ink) {
                out.push(std::mem::take(&mut current));
            }
        }
        current.push(g);
        last_ink = Some(g);
        space_since_ink = false;
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Turns one row segment into a line: text with spaces where the geometry or the content says
/// so, never between two CJK characters; duplicate glyphs (fake bold) dropped; ligatures
/// expanded.
fn make_line(glyphs: &[Glyph]) -> Option<TextLine> {
    let ink: Vec<&Glyph> = glyphs.iter().filter(|g| !is_space(g.ch)).collect();
    let first = ink.first()?;
    // Letter-spaced lines ("R E S E A R C H") have wide gaps between all letters; a word space
    // there is the tracking plus a normal space.
    let mut gaps: Vec<f32> = ink.windows(2).map(|w| (w[1].x0 - w[0].x1) / w[0].size.max(1.0)).collect();
    gaps.sort_by(f32::total_cmp);
    let tracking = if gaps.len() >= 4 { gaps[gaps.len() / 2].max(0.0) } else { 0.0 };
    let letter_spaced = tracking > 0.08;
    let space_threshold = if letter_spaced { tracking + 0.15 } else { 0.15 };
    let mut text = String::new();
    let mut prev: Option<&Glyph> = None;
    let mut space_pending = false;
    let (mut x0, mut x1) = (first.x0, first.x1);
    let (mut y0, mut y1) = (f32::MAX, f32::MIN);
    let mut sizes: Vec<f32> = Vec::with_capacity(ink.len());
    let (mut bold, mut unmapped, mut count) = (0u32, 0u32, 0u32);
    for g in glyphs {
        if is_space(g.ch) {
            space_pending = prev.is_some();
            continue;
        }
        if let Some(p) = prev {
            // Text drawn twice at (almost) the same place fakes bold; drop the copy. PDFium splits
            // a ligature into characters that share one box, but those follow each other in the
            // content, so they are kept.
            // Shadows repeat each glyph slightly offset, right after it.
            let overlap = p.x1.min(g.x1) - p.x0.max(g.x0);
            let moved = (p.x0 - g.x0).abs() > 0.01 || (p.baseline - g.baseline).abs() > 0.01;
            let duplicate =
                p.ch == g.ch && overlap > 0.7 * (g.x1 - g.x0).max(0.01) && (moved || p.seq.abs_diff(g.seq) > 1);
            if duplicate {
                continue;
            }
            let gap = g.x0 - p.x1;
            let hinted = g.space_before && g.seq > p.seq;
            let wants_space =
                ((space_pending || hinted) && !letter_spaced) || gap > space_threshold * p.size.min(g.size);
            // Between two CJK characters only a real space or a wide gap separates (keywords,
            // "摘要 正文"); the tracking of justified Chinese text must not.
            let cjk_pair = is_cjk(p.ch) && is_cjk(g.ch);
            let cjk_space = space_pending || gap > 0.5 * p.size.min(g.size);
            if (wants_space && !cjk_pair) || (cjk_pair && cjk_space) {
                text.push(' ');
            }
        }
        match expand_ligature(g.ch) {
            Some(expanded) => text.push_str(expanded),
            None if g.unmapped => text.push('\u{FFFD}'),
            None => text.push(g.ch),
        }
        x0 = x0.min(g.x0);
        x1 = x1.max(g.x1);
        y0 = y0.min(g.baseline - 0.8 * g.size);
        y1 = y1.max(g.baseline + 0.2 * g.size);
        sizes.push(g.size);
        count += 1;
        bold += u32::from(g.bold);
        unmapped += u32::from(g.unmapped);
        prev = Some(g);
        space_pending = false;
    }
    sizes.sort_by(f32::total_cmp);
    let size = sizes[sizes.len() / 2];
    Some(TextLine {
        bbox: BBox::new(x0, y0, x1, y1),
        text,
        size,
        bold: bold * 2 > count,
        direction: Direction::LeftToRight,
        glyphs: count,
        unmapped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::FontStyle;

    /// Lays out `text` as glyphs of `size` points starting at (x, baseline), each glyph
    /// `advance` wide; spaces become real space glyphs.
    fn typeset(text: &str, x: f32, baseline: f32, size: f32, advance: f32) -> Vec<RawChar> {
        text.chars()
            .enumerate()
            .map(|(i, ch)| {
                let x0 = x + i as f32 * advance;
                RawChar {
                    ch,
                    bbox: BBox::new(x0, baseline - 0.8 * size, x0 + advance, baseline + 0.2 * size),
                    origin: (x0, baseline),
                    size,
                    angle: 0.0,
                    font: FontStyle::default(),
                    generated: false,
                    unmapped: false,
                }
            })
            .collect()
    }

    const PAGE: (f32, f32) = (600.0, 800.0);

    #[test]
    fn words_are_spaced_and_lines_split_by_baseline() {
        let mut chars = typeset("Hello world", 50.0, 100.0, 10.0, 5.0);
        chars.extend(typeset("second line", 50.0, 112.0, 10.0, 5.0));
        let lines = build_lines(&chars, PAGE);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["Hello world", "second line"]);
        assert!((lines[0].bbox.y0 - 92.0).abs() < 0.01);
    }

    #[test]
    fn columns_on_one_baseline_become_two_lines() {
        let mut chars = typeset("left column", 50.0, 100.0, 10.0, 5.0);
        chars.extend(typeset("right column", 320.0, 100.0, 10.0, 5.0));
        let lines = build_lines(&chars, PAGE);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1].text, "right column");
    }

    #[test]
    fn cjk_gets_no_spurious_spaces_but_keeps_latin_spacing() {
        // Wide tracking between ideographs, as justified Chinese text has.
        let chars = typeset("诊断流程", 50.0, 100.0, 10.0, 13.0);
        let lines = build_lines(&chars, PAGE);
        assert_eq!(lines[0].text, "诊断流程");
        let mut mixed = typeset("使用", 50.0, 200.0, 10.0, 10.0);
        mixed.extend(typeset("PCA", 73.0, 200.0, 10.0, 6.0));
        assert_eq!(build_lines(&mixed, PAGE)[0].text, "使用 PCA");
    }

    #[test]
    fn ligatures_expand_and_fake_bold_duplicates_vanish() {
        let mut chars = typeset("\u{FB01}ne", 50.0, 100.0, 10.0, 5.0);
        let mut dup = chars[1].clone();
        dup.bbox.x0 += 0.2;
        dup.bbox.x1 += 0.2;
        // Fake bold draws the text a second time, later in the content.
        chars.push(dup);
        assert_eq!(build_lines(&chars, PAGE)[0].text, "fine");
        // PDFium splits a ligature into characters sharing one box, one after the other.
        let mut split = typeset("ef", 50.0, 100.0, 10.0, 5.0);
        let mut second_f = split[1].clone();
        second_f.ch = 'f';
        split.insert(2, second_f);
        split.extend(typeset("ect", 60.0, 100.0, 10.0, 5.0));
        assert_eq!(build_lines(&split, PAGE)[0].text, "effect");
    }

    #[test]
    fn shadow_text_in_another_font_is_dropped() {
        // A regular-weight shadow drawn first, then the bold text a little up and left, with
        // different glyph widths: the copies do not line up glyph by glyph.
        let mut chars = typeset("Emergency", 66.0, 82.0, 26.0, 14.5);
        chars.extend(typeset("Emergency", 58.0, 77.8, 26.0, 15.4));
        let lines = build_lines(&chars, PAGE);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].text, "Emergency");
    }

    #[test]
    fn letter_spaced_words_are_joined() {
        // Letters 4 pt apart at 10 pt, words 9 pt apart.
        let mut chars = Vec::new();
        let mut x = 50.0;
        for word in ["RESEARCH", "ARTICLE"] {
            for ch in word.chars() {
                chars.extend(typeset(&ch.to_string(), x, 100.0, 10.0, 6.0));
                x += 10.0;
            }
            x += 5.0;
        }
        assert_eq!(build_lines(&chars, PAGE)[0].text, "RESEARCH ARTICLE");
    }

    #[test]
    fn superscripts_stay_on_their_line() {
        let mut chars = typeset("dose", 50.0, 100.0, 10.0, 5.0);
        chars.extend(typeset("12", 70.0, 96.5, 6.0, 3.0));
        let lines = build_lines(&chars, PAGE);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].text, "dose12");
    }

    #[test]
    fn diagonal_watermarks_are_not_text() {
        let mut chars = typeset("Guidelines", 50.0, 100.0, 10.0, 5.0);
        let mut mark = typeset("DRAFT", 40.0, 104.0, 40.0, 20.0);
        for c in &mut mark {
            c.angle = 45.0;
        }
        chars.extend(mark);
        let lines = build_lines(&chars, PAGE);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].text, "Guidelines");
    }

    #[test]
    fn vertical_text_is_read_in_its_own_frame() {
        // Text rotated 90° counter-clockwise: advancing upwards from (100, 500).
        let chars: Vec<RawChar> = "Risk"
            .chars()
            .enumerate()
            .map(|(i, ch)| {
                let y1 = 500.0 - i as f32 * 5.0;
                RawChar {
                    ch,
                    bbox: BBox::new(92.0, y1 - 5.0, 102.0, y1),
                    origin: (100.0, y1),
                    size: 10.0,
                    angle: 90.0,
                    font: FontStyle::default(),
                    generated: false,
                    unmapped: false,
                }
            })
            .collect();
        let lines = build_lines(&chars, PAGE);
        assert_eq!(lines[0].text, "Risk");
        assert_eq!(lines[0].direction, Direction::Upwards);
        assert!(lines[0].bbox.height() > lines[0].bbox.width());
    }
}
