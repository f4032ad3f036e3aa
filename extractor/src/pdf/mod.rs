//! PDF access behind a small trait, so that the stages never see a native library.
//!
//! [`PdfBackend`] opens bytes into a [`PdfDoc`]; a [`PdfDoc`] hands out one [`RawPage`] at a
//! time. PDFium's implementation lives in its own crate (`clinex-pdfium`), so this crate names
//! no native library; image files (scans) are read by [`images::ImageBackend`].

pub mod images;

use crate::geometry::BBox;

/// Opens PDF bytes.
pub trait PdfBackend: Send + Sync {
    /// Opens a document. The bytes must outlive the returned document.
    fn open<'a>(&'a self, bytes: &'a [u8], password: Option<&str>) -> Result<Box<dyn PdfDoc + 'a>, OpenError>;
}

/// An open document.
pub trait PdfDoc {
    fn page_count(&self) -> u32;
    /// The `/Title` of the document information dictionary or XMP, if set.
    fn metadata_title(&self) -> Option<String>;
    /// `1.7`, `2.0`, ... when known.
    fn pdf_version(&self) -> Option<String>;
    /// Reads one page (0-based index), rendered to an image of `render` pixels when asked.
    fn page(&self, index: u32, render: Option<RenderSize>) -> Result<RawPage, PageError>;
    /// The size of a page (0-based index) in points as displayed, without reading it: what a
    /// page that cannot be read is given. `None` when not even that is known.
    fn page_size(&self, _index: u32) -> Option<(f32, f32)> {
        None
    }
}

/// Pixel size to render a page at; the page is stretched to fill it, as displayed (after
/// `/Rotate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderSize {
    pub width: u32,
    pub height: u32,
}

impl RenderSize {
    /// The pixels of a page `(width, height)` points large rendered at `dpi`.
    pub fn at_dpi((width, height): (f32, f32), dpi: f32) -> Self {
        let scale = dpi / 72.0;
        Self { width: (width * scale).round() as u32, height: (height * scale).round() as u32 }
    }
}

/// The resolution to render a page of `size` points at: `dpi`, or less when that would take
/// more than `max_pixels`.
pub fn dpi_within((width, height): (f32, f32), dpi: f32, max_pixels: f32) -> f32 {
    let pixels_at_dpi = (width / 72.0 * dpi) * (height / 72.0 * dpi);
    if pixels_at_dpi <= max_pixels || !pixels_at_dpi.is_finite() {
        return dpi;
    }
    (dpi * (max_pixels / pixels_at_dpi).sqrt()).floor().max(1.0)
}

/// Page `number` (1-based; `size` in points, as displayed) rendered at `dpi`, when it renders.
pub fn render_at(doc: &dyn PdfDoc, number: u32, size: (f32, f32), dpi: f32) -> Option<image::RgbImage> {
    doc.page(number - 1, Some(RenderSize::at_dpi(size, dpi))).ok().and_then(|p| p.image)
}

/// Why a document could not be opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpenError {
    #[error("the document is encrypted and the password is missing or wrong")]
    Password,
    #[error("the file is not a readable PDF ({0})")]
    Format(String),
    #[error("the document uses an unsupported security handler")]
    UnsupportedSecurity,
    #[error("the PDF library is unavailable: {0}")]
    Library(String),
    #[error("{0}")]
    Image(String),
}

/// Why one page could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PageError(pub String);

/// One page as the PDF library sees it, already mapped to displayed coordinates.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawPage {
    /// 0-based index.
    pub index: u32,
    pub width: f32,
    pub height: f32,
    /// `/Rotate` in degrees, clockwise.
    pub rotation: i32,
    /// Characters in content-stream order.
    pub chars: Vec<RawChar>,
    /// Number of image objects drawn on the page.
    pub image_count: u32,
    /// Fraction of the page area covered by images (0..=1, overlaps counted once at most).
    pub image_coverage: f32,
    /// Boxes of the image objects drawn on the page.
    pub images: Vec<BBox>,
    /// The rendered page, when a render size was asked for.
    pub image: Option<image::RgbImage>,
    /// Vector paths (lines, boxes, arrowheads), in displayed coordinates.
    pub paths: Vec<RawPath>,
    /// Text that lives outside the page's content: filled form fields and notes (hidden ones
    /// left out), in the page's annotation order.
    pub annotations: Vec<RawAnnotation>,
}

/// The text of one annotation, placed on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct RawAnnotation {
    pub kind: AnnotationKind,
    pub bbox: BBox,
    /// The field's name (`/T`) for a form field, when it has one.
    pub label: Option<String>,
    /// A field's value, or a note's text.
    pub text: String,
}

/// Where an annotation's text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnnotationKind {
    /// An AcroForm field's value (text, choice, a ticked box).
    FormField,
    /// A free-text annotation (text typed onto the page) or a note (a sticky note's text).
    Note,
}

/// One path object: its subpaths with every transform applied.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawPath {
    pub subpaths: Vec<SubPath>,
    pub stroked: bool,
    pub filled: bool,
    pub stroke_width: f32,
    /// Fill colour as RGB, when filled.
    pub fill: Option<[u8; 3]>,
    /// Stroke colour as RGB, when stroked.
    pub stroke: Option<[u8; 3]>,
}

/// A run of segments from one move-to; Bézier control points are included as points.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SubPath {
    pub points: Vec<(f32, f32)>,
    pub closed: bool,
    pub curved: bool,
}

/// One glyph of the text layer.
#[derive(Debug, Clone, PartialEq)]
pub struct RawChar {
    /// The character; ligatures may arrive as one presentation-form character.
    pub ch: char,
    /// Box on the displayed page: advance width horizontally, ascent to descent vertically.
    pub bbox: BBox,
    /// The glyph's origin (on its baseline) on the displayed page.
    pub origin: (f32, f32),
    /// Effective font size in points (font size times the text matrix scale).
    pub size: f32,
    /// Angle of the text direction on the displayed page, counter-clockwise degrees in [0, 360).
    pub angle: f32,
    pub font: FontStyle,
    /// The library synthesised this character (a space or line break not in the content).
    pub generated: bool,
    /// The character's Unicode mapping failed (no ToUnicode, unmapped glyph).
    pub unmapped: bool,
}

/// What the stages need to know about a glyph's font.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct FontStyle {
    pub bold: bool,
    pub italic: bool,
    pub monospace: bool,
}
