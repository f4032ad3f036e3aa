//! Pages built in code, as a PDF library would report them: glyphs, stroked and filled paths,
//! image boxes.

use crate::geometry::BBox;
use crate::pdf::{FontStyle, RawChar, RawPage, RawPath, SubPath};

/// A word set in glyphs `width` wide every `advance`, centred on `y` and `height` high.
pub fn glyph_run(text: &str, (x, y): (f32, f32), width: f32, advance: f32, height: f32) -> Vec<RawChar> {
    text.chars()
        .enumerate()
        .map(|(k, ch)| {
            let x0 = x + advance * k as f32;
            RawChar {
                ch,
                bbox: BBox::new(x0, y - height / 2.0, x0 + width, y + height / 2.0),
                origin: (x0, y + height / 2.0),
                size: height,
                angle: 0.0,
                font: FontStyle::default(),
                generated: false,
                unmapped: false,
            }
        })
        .collect()
}

/// A path stroked in black along `points` (closed back to the first when `closed`).
pub fn stroked(points: Vec<(f32, f32)>, closed: bool) -> RawPath {
    RawPath {
        subpaths: vec![SubPath { points, closed, curved: false }],
        stroked: true,
        filled: false,
        stroke_width: 0.75,
        fill: None,
        stroke: Some([0, 0, 0]),
    }
}

/// A page under construction; [`PageBuilder::build`] gives the [`RawPage`].
#[derive(Debug, Clone)]
pub struct PageBuilder {
    page: RawPage,
}

impl PageBuilder {
    /// An empty page `width` x `height` points.
    pub fn new(width: f32, height: f32) -> Self {
        Self { page: RawPage { width, height, ..RawPage::default() } }
    }

    /// A line of text in `size`-point glyphs (each 0.5 em wide) with its baseline at `y`,
    /// starting at `x`; spaces are real space glyphs.
    pub fn text(mut self, text: &str, x: f32, y: f32, size: f32) -> Self {
        let advance = size * 0.5;
        let centre = y - 0.3 * size;
        self.page.chars.extend(glyph_run(text, (x, centre), advance, advance, size));
        self
    }

    /// The same line in bold.
    pub fn bold(mut self, text: &str, x: f32, y: f32, size: f32) -> Self {
        let start = self.page.chars.len();
        self = self.text(text, x, y, size);
        for c in &mut self.page.chars[start..] {
            c.font.bold = true;
        }
        self
    }

    /// A stroked straight line.
    pub fn line(mut self, from: (f32, f32), to: (f32, f32)) -> Self {
        self.page.paths.push(stroked(vec![from, to], false));
        self
    }

    /// A stroked rectangle.
    pub fn rect(mut self, b: BBox) -> Self {
        self.page.paths.push(stroked(vec![(b.x0, b.y0), (b.x1, b.y0), (b.x1, b.y1), (b.x0, b.y1)], true));
        self
    }

    /// A filled arrowhead whose tip is at `tip`, pointing down (8 points long).
    pub fn arrow_down(mut self, tip: (f32, f32)) -> Self {
        let points = vec![(tip.0 - 4.0, tip.1 - 8.0), (tip.0 + 4.0, tip.1 - 8.0), tip];
        self.page.paths.push(RawPath {
            subpaths: vec![SubPath { points, closed: true, curved: false }],
            stroked: false,
            filled: true,
            stroke_width: 0.0,
            fill: Some([0, 0, 0]),
            stroke: None,
        });
        self
    }

    /// The rules of a grid: horizontal lines at `rows`, vertical lines at `cols`, spanning the
    /// grid's extent.
    pub fn grid(mut self, rows: &[f32], cols: &[f32]) -> Self {
        let (Some(&top), Some(&bottom), Some(&left), Some(&right)) =
            (rows.first(), rows.last(), cols.first(), cols.last())
        else {
            return self;
        };
        for &y in rows {
            self = self.line((left, y), (right, y));
        }
        for &x in cols {
            self = self.line((x, top), (x, bottom));
        }
        self
    }

    /// An image object drawn over `b` (a scan covers the page with one).
    pub fn image(mut self, b: BBox) -> Self {
        self.page.images.push(b);
        self.page.image_count += 1;
        let page_area = (self.page.width * self.page.height).max(1.0);
        self.page.image_coverage = (self.page.image_coverage + b.area() / page_area).min(1.0);
        self
    }

    /// The page turned by `/Rotate` (the size given is the displayed one).
    pub fn rotation(mut self, degrees: i32) -> Self {
        self.page.rotation = degrees;
        self
    }

    pub fn build(self) -> RawPage {
        self.page
    }
}
