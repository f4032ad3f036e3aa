//! Characters to text lines: rows by baseline, split at gutters, words spaced by geometry.
//!
//! Text in any of the four directions is handled in its own reading frame (text flowing left to
//! right, lines stacking downwards) and the resulting boxes are mapped back to the page.

use serde::{Deserialize, Serialize};

use super::script::{expand_ligature, is_cjk, is_space};
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
    fn of_angle(angle: f32) -> Self {
        match angle.rem_euclid(360.0) {
            a if !(45.0..315.0).contains(&a) => Self::LeftToRight,
            a if a < 135.0 => Self::Upwards,
            a if a < 225.0 => Self::UpsideDown,
            _ => Self::Downwards,
        }
    }

    /// Maps a displayed point into the reading frame of this direction.
    fn to_frame(self, (x, y): (f32, f32), page: (f32, f32)) -> (f32, f32) {
        let (w, h) = page;
        match self {
            Self::LeftToRight => (x, y),
            Self::Upwards => (h - y, x),
            Self::Downwards => (y, w - x),
            Self::UpsideDown => (w - x, h - y),
        }
    }

    /// Maps a reading-frame point back to the displayed page.
    fn from_frame(self, (fx, fy): (f32, f32), page: (f32, f32)) -> (f32, f32) {
        let (w, h) = page;
        match self {
            Self::LeftToRight => (fx, fy),
            Self::Upwards => (fy, h - fx),
            Self::Downwards => (w - fy, fx),
            Self::UpsideDown => (w - fx, h - fy),
        }
    }

    fn box_to_frame(self, b: &BBox, page: (f32, f32)) -> BBox {
        let (xa, ya) = self.to_frame((b.x0, b.y0), page);
        let (xb, yb) = self.to_frame((b.x1, b.y1), page);
        BBox::new(xa, ya, xb, yb)
    }

    fn box_from_frame(self, b: &BBox, page: (f32, f32)) -> BBox {
        let (xa, ya) = self.from_frame((b.x0, b.y0), page);
        let (xb, yb) = self.from_frame((b.x1, b.y1), page);
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
}

impl Glyph {
    fn center_y(&self) -> f32 {
        self.baseline - 0.3 * self.size
    }
}

/// Builds the page's text lines from its characters. `page` is the displayed (width, height).
pub fn build_lines(chars: &[RawChar], page: (f32, f32)) -> Vec<TextLine> {
    let mut lines = Vec::new();
    for direction in [
        Direction::LeftToRight,
        Direction::Upwards,
        Direction::Downwards,
        Direction::UpsideDown,
    ] {
        let glyphs: Vec<Glyph> = chars
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.generated && c.bbox.is_valid() && c.size > 0.0)
            .filter(|(_, c)| Direction::of_angle(c.angle) == direction)
            .filter(|(_, c)| !c.ch.is_control() || c.unmapped)
            .map(|(seq, c)| {
                let b = direction.box_to_frame(&c.bbox, page);
                let (_, baseline) = direction.to_frame(c.origin, page);
                Glyph {
                    seq: seq as u32,
                    ch: c.ch,
                    x0: b.x0,
                    x1: b.x1,
                    baseline,
                    size: c.size,
                    bold: c.font.bold,
                    unmapped: c.unmapped,
                }
            })
            .collect();
        if glyphs.is_empty() {
            continue;
        }
        for row in rows(glyphs) {
            for segment in split_at_gutters(row) {
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
        if joins {
            rows.last_mut().expect("anchor implies a row").push(g);
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
            let overlap = p.x1.min(g.x1) - p.x0.max(g.x0);
            let duplicate =
                p.ch == g.ch && overlap > 0.7 * (g.x1 - g.x0).max(0.01) && p.seq.abs_diff(g.seq) > 1;
            if duplicate {
                continue;
            }
            let gap = g.x0 - p.x1;
            let wants_space = space_pending || gap > 0.2 * p.size.min(g.size);
            if wants_space && !(is_cjk(p.ch) && is_cjk(g.ch)) {
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
    fn superscripts_stay_on_their_line() {
        let mut chars = typeset("dose", 50.0, 100.0, 10.0, 5.0);
        chars.extend(typeset("12", 70.0, 96.5, 6.0, 3.0));
        let lines = build_lines(&chars, PAGE);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].text, "dose12");
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
