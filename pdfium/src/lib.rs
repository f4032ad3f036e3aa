//! PDFium through `pdfium-render`, behind the extractor's [`PdfBackend`]: the only crate that
//! names the native library (the HTTP service never depends on it).
//!
//! PDFium is bound once per process (its bindings are process-global); every call goes through
//! pdfium-render's process-wide lock, so a process extracts one page at a time and scales out
//! with worker processes.
//!
//! Depends on: `clinex-extractor` (the seam it implements).

mod annotations;
mod errors;

use std::path::Path;
use std::sync::OnceLock;

use pdfium_render::prelude::*;
use tracing::debug;

use errors::{in_words, internal_in_words};
use extractor::geometry::{BBox, PageTransform};
use extractor::pdf::{
    FontStyle, OpenError, PageError, PdfBackend, PdfDoc, RawChar, RawPage, RawPath, RenderSize, SubPath,
};

static PDFIUM: OnceLock<Result<Pdfium, String>> = OnceLock::new();

/// The PDFium-backed [`PdfBackend`].
pub struct PdfiumBackend {
    pdfium: &'static Pdfium,
}

impl PdfiumBackend {
    /// Binds `libpdfium.so` at `library` (only the first call in a process binds; later calls
    /// reuse that library whatever path they pass).
    pub fn bind(library: &Path) -> Result<Self, OpenError> {
        let bound = PDFIUM.get_or_init(|| {
            let started = std::time::Instant::now();
            let bindings = Pdfium::bind_to_library(library).map_err(|e| match e {
                // The loader's own words ("…: cannot open shared object file"), on one line.
                PdfiumError::LoadLibraryError(cause) => {
                    std::error::Error::source(&cause).map_or_else(|| cause.to_string(), ToString::to_string)
                }
                other => format!("cannot load {}: {other}", library.display()),
            })?;
            debug!(ms = started.elapsed().as_millis() as u64, "pdfium bound");
            Ok(Pdfium::new(bindings))
        });
        match bound {
            Ok(pdfium) => Ok(Self { pdfium }),
            Err(message) => Err(OpenError::Library(message.clone())),
        }
    }
}

impl PdfBackend for PdfiumBackend {
    fn open<'a>(&'a self, bytes: &'a [u8], password: Option<&str>) -> Result<Box<dyn PdfDoc + 'a>, OpenError> {
        match self.pdfium.load_pdf_from_byte_slice(bytes, password) {
            Ok(doc) => Ok(Box::new(PdfiumDoc { doc })),
            Err(PdfiumError::PdfiumLibraryInternalError(kind)) => Err(match kind {
                PdfiumInternalError::PasswordError => OpenError::Password,
                PdfiumInternalError::SecurityError => OpenError::UnsupportedSecurity,
                other => OpenError::Format(internal_in_words(&other).to_string()),
            }),
            Err(other) => Err(OpenError::Format(in_words(&other))),
        }
    }
}

struct PdfiumDoc<'a> {
    doc: PdfDocument<'a>,
}

impl PdfDoc for PdfiumDoc<'_> {
    fn page_count(&self) -> u32 {
        self.doc.pages().len().max(0) as u32
    }

    fn metadata_title(&self) -> Option<String> {
        self.doc
            .metadata()
            .get(PdfDocumentMetadataTagType::Title)
            .map(|tag| tag.value().trim().to_string())
            .filter(|t| !t.is_empty())
    }

    fn pdf_version(&self) -> Option<String> {
        match self.doc.version() {
            PdfDocumentVersion::Unset => None,
            PdfDocumentVersion::Other(v) => Some(format!("{}.{}", v / 10, v % 10)),
            known => {
                let name = format!("{known:?}"); // "Pdf1_7"
                Some(name.trim_start_matches("Pdf").replace('_', "."))
            }
        }
    }

    fn page_size(&self, index: u32) -> Option<(f32, f32)> {
        let rect = self.doc.pages().page_size(index as PdfPageIndex).ok()?;
        let (w, h) = ((rect.right() - rect.left()).value, (rect.top() - rect.bottom()).value);
        (w.is_finite() && h.is_finite() && w > 0.0 && h > 0.0).then_some((w, h))
    }

    fn page(&self, index: u32, render: Option<RenderSize>) -> Result<RawPage, PageError> {
        let page = self
            .doc
            .pages()
            .get(index as PdfPageIndex)
            .map_err(|e| PageError(format!("the page cannot be loaded: {}", in_words(&e))))?;
        let mut raw = read_page(index, &page)?;
        if let Some(size) = render {
            raw.image = Some(render_page(&page, size)?);
        }
        Ok(raw)
    }
}

fn read_page(index: u32, page: &PdfPage) -> Result<RawPage, PageError> {
    let rotation = match page.rotation() {
        Ok(PdfPageRenderRotation::Degrees90) => 90,
        Ok(PdfPageRenderRotation::Degrees180) => 180,
        Ok(PdfPageRenderRotation::Degrees270) => 270,
        _ => 0,
    };
    // The crop box clipped to the media box, in unrotated user space. (PDFium's own "bounding
    // box" comes back already rotated, so it cannot be combined with /Rotate.)
    // A zero or inverted box counts as missing: PDFium lays such a page out on US Letter, and
    // so does clinex (the page keeps its place and its number).
    let boundaries = page.boundaries();
    let usable = |b: BBox| (b.is_valid() && b.width() > 0.0 && b.height() > 0.0).then_some(b);
    let media = boundaries.media().ok().map(|b| rect_to_bbox(&b.bounds)).and_then(usable);
    let crop = boundaries.crop().ok().map(|b| rect_to_bbox(&b.bounds)).and_then(usable);
    let visible = match (media, crop) {
        (Some(m), Some(c)) if c.intersects(&m) => {
            BBox::new(c.x0.max(m.x0), c.y0.max(m.y0), c.x1.min(m.x1), c.y1.min(m.y1))
        }
        (Some(m), _) => m,
        (None, Some(c)) => c,
        (None, None) => {
            let (w, h) = (page.width().value, page.height().value);
            if rotation % 180 == 0 { BBox::new(0.0, 0.0, w, h) } else { BBox::new(0.0, 0.0, h, w) }
        }
    };
    let Some(visible) = usable(visible) else {
        return Err(PageError(format!(
            "the page has no size (its boxes are {:.0} x {:.0} points)",
            visible.width(),
            visible.height()
        )));
    };
    let transform = PageTransform::new(visible, rotation);
    let (width, height) = transform.size();

    let chars = read_chars(page, &transform)?;
    let images = image_boxes(page, &transform);
    let image_count = images.len() as u32;
    let image_coverage = (images.iter().map(BBox::area).sum::<f32>() / (width * height).max(1.0)).min(1.0);

    let paths = read_paths(page, &transform);
    let annotations = annotations::read_annotations(page, &transform);
    Ok(RawPage {
        index,
        width,
        height,
        rotation,
        chars,
        image_count,
        image_coverage,
        images,
        image: None,
        paths,
        annotations,
    })
}

/// Most path objects read from one page: pages of pathological vector art (thousands of tiny
/// segments) are cut off here rather than stalling the pipeline.
const MAX_PATHS: usize = 20_000;

/// An affine transform `[a, b, c, d, e, f]` as in a PDF matrix.
type Affine = [f32; 6];

fn apply(m: &Affine, (x, y): (f32, f32)) -> (f32, f32) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

fn affine_of(object: &PdfPageObject) -> Affine {
    match object.matrix() {
        Ok(m) => [m.a(), m.b(), m.c(), m.d(), m.e(), m.f()],
        Err(_) => [1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
    }
}

/// Visits every object on the page, descending into form XObjects, with the matrices of the
/// forms around it (innermost first).
fn walk_objects(page: &PdfPage, visit: &mut dyn FnMut(&PdfPageObject, &[Affine])) {
    for object in page.objects().iter() {
        walk(&object, &[], visit, 0);
    }
}

fn walk(object: &PdfPageObject, outer: &[Affine], visit: &mut dyn FnMut(&PdfPageObject, &[Affine]), depth: u32) {
    if depth > 4 {
        return;
    }
    if let Some(form) = object.as_x_object_form_object() {
        let mut chain = outer.to_vec();
        chain.insert(0, affine_of(object));
        for child in form.iter() {
            walk(&child, &chain, visit, depth + 1);
        }
        return;
    }
    visit(object, outer);
}

/// Every path object on the page, including those inside form XObjects, with their matrices
/// (and those of the forms around them) applied, then mapped to displayed coordinates.
fn read_paths(page: &PdfPage, transform: &PageTransform) -> Vec<RawPath> {
    let mut out = Vec::new();
    walk_objects(page, &mut |object, outer| {
        if out.len() < MAX_PATHS
            && let Some(path) = read_path(object, outer, transform)
        {
            out.push(path);
        }
    });
    out
}

fn read_path(object: &PdfPageObject, outer: &[Affine], transform: &PageTransform) -> Option<RawPath> {
    let path = object.as_path_object()?;
    let own = affine_of(object);
    let to_page = |p: (f32, f32)| {
        let mut q = apply(&own, p);
        for m in outer {
            q = apply(m, q);
        }
        transform.point(q.0, q.1)
    };
    let mut subpaths: Vec<SubPath> = Vec::new();
    for segment in path.segments().raw().iter() {
        let point = to_page((segment.x().value, segment.y().value));
        match segment.segment_type() {
            PdfPathSegmentType::MoveTo => subpaths.push(SubPath { points: vec![point], ..SubPath::default() }),
            kind => {
                // A path may start without a move-to; it then starts where it is.
                if subpaths.is_empty() {
                    subpaths.push(SubPath::default());
                }
                if let Some(current) = subpaths.last_mut() {
                    current.points.push(point);
                    current.curved |= kind == PdfPathSegmentType::BezierTo;
                }
            }
        }
        if segment.is_close()
            && let Some(current) = subpaths.last_mut()
        {
            current.closed = true;
        }
    }
    let filled = !matches!(path.fill_mode(), Ok(PdfPathFillMode::None) | Err(_));
    let stroked = path.is_stroked().unwrap_or(false);
    let rgb = |c: PdfColor| [c.red(), c.green(), c.blue()];
    Some(RawPath {
        subpaths,
        stroked,
        filled,
        stroke_width: object.stroke_width().map(|w| w.value).unwrap_or(1.0),
        fill: if filled { object.fill_color().ok().map(rgb) } else { None },
        stroke: if stroked { object.stroke_color().ok().map(rgb) } else { None },
    })
}

/// Renders the page as displayed, stretched to `size`, on white, without form widgets.
fn render_page(page: &PdfPage, size: RenderSize) -> Result<image::RgbImage, PageError> {
    let config = PdfRenderConfig::new()
        .set_target_size(size.width as Pixels, size.height as Pixels)
        .render_form_data(false)
        .set_clear_color(PdfColor::WHITE);
    let bitmap = page
        .render_with_config(&config)
        .map_err(|e| PageError(format!("the page cannot be rendered: {}", in_words(&e))))?;
    let image =
        bitmap.as_image().map_err(|e| PageError(format!("the rendered page cannot be read: {}", in_words(&e))))?;
    Ok(image.to_rgb8())
}

fn rect_to_bbox(r: &PdfRect) -> BBox {
    BBox::new(r.left().value, r.bottom().value, r.right().value, r.top().value)
}

fn read_chars(page: &PdfPage, transform: &PageTransform) -> Result<Vec<RawChar>, PageError> {
    let text = page.text().map_err(|e| PageError(format!("the text layer cannot be read: {}", in_words(&e))))?;
    let chars = text.chars();
    let mut out = Vec::with_capacity(chars.len());
    // Font flags cost several FFI calls each; consecutive glyphs nearly always share a font.
    let mut last_font: Option<(String, FontStyle)> = None;
    for c in chars.iter() {
        let code = c.unicode_value();
        let generated = c.is_generated().unwrap_or(false);
        // PDFium reports a hyphen that ends a line with a control code (0x02) and flags it; it
        // was a real hyphen in the content.
        let hyphen = c.is_hyphen().unwrap_or(false);
        let ch = if hyphen { '-' } else { char::from_u32(code).unwrap_or('\u{FFFD}') };
        if generated && (ch == '\r' || ch == '\n') {
            continue;
        }
        let Ok(bounds) = c.loose_bounds() else {
            continue;
        };
        // Effective size: the font size times the length of the text matrix's y axis, which
        // holds for rotated text too (pdfium-render's scaled size uses only the d entry).
        let size = match c.matrix() {
            Ok(m) => c.unscaled_font_size().value * m.c().hypot(m.d()),
            Err(_) => c.scaled_font_size().value,
        };
        // PDFium measures the angle clockwise; the rest of clinex counter-clockwise.
        let user_angle = (360.0 - c.angle_degrees().unwrap_or(0.0)).rem_euclid(360.0);
        let angle = transform.displayed_angle(user_angle);
        let bbox = transform.rect(bounds.left().value, bounds.bottom().value, bounds.right().value, bounds.top().value);
        let origin = match c.origin() {
            Ok((x, y)) => transform.point(x.value, y.value),
            Err(_) => (bbox.x0, bbox.y1),
        };
        let name = c.font_name();
        let font = match &last_font {
            Some((n, style)) if *n == name => *style,
            _ => {
                let style = FontStyle {
                    bold: c.font_is_bold_reenforced()
                        || c.font_weight().is_some_and(|w| weight_value(w) >= 600)
                        || name_says_bold(&name),
                    italic: c.font_is_italic(),
                    monospace: c.font_is_fixed_pitch(),
                };
                last_font = Some((name, style));
                style
            }
        };
        out.push(RawChar {
            ch,
            bbox,
            origin,
            size: if size.is_finite() && size > 0.0 { size } else { bbox.height() },
            angle,
            font,
            generated,
            unmapped: !hyphen && is_unmapped(code),
        });
    }
    Ok(out)
}

fn weight_value(w: PdfFontWeight) -> u32 {
    match w {
        PdfFontWeight::Weight100 => 100,
        PdfFontWeight::Weight200 => 200,
        PdfFontWeight::Weight300 => 300,
        PdfFontWeight::Weight400Normal => 400,
        PdfFontWeight::Weight500 => 500,
        PdfFontWeight::Weight600 => 600,
        PdfFontWeight::Weight700Bold => 700,
        PdfFontWeight::Weight800 => 800,
        PdfFontWeight::Weight900 => 900,
        PdfFontWeight::Custom(v) => v,
    }
}

/// Font names carry the weight far more reliably than the descriptor flags (subset prefixes such
/// as `ABCDEF+` are ignored by the substring test). `Hei` covers the CJK sans faces (SimHei,
/// 黑体 as `FZHei`, `HeiTi`), which Chinese guidelines use for headings.
fn name_says_bold(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ["bold", "black", "heavy", "semibold", "demi", "hei", "bd"]
        .iter()
        .any(|k| lower.contains(k) && !(k == &"bd" && !lower.ends_with("bd") && !lower.contains("-bd")))
}

fn is_unmapped(code: u32) -> bool {
    code == 0 || code == 0xFFFD || (0xE000..=0xF8FF).contains(&code) || (code < 0x20 && code != 9)
}

/// Boxes of the page's image objects, including those inside form XObjects (Chinese journal
/// PDFs often wrap their figures in forms).
fn image_boxes(page: &PdfPage, transform: &PageTransform) -> Vec<BBox> {
    let mut out = Vec::new();
    walk_objects(page, &mut |object, outer| {
        if out.len() < 1000
            && object.object_type() == PdfPageObjectType::Image
            && let Ok(q) = object.bounds()
        {
            let r = q.to_rect();
            let corners = [
                (r.left().value, r.bottom().value),
                (r.right().value, r.bottom().value),
                (r.right().value, r.top().value),
                (r.left().value, r.top().value),
            ];
            let mapped: Vec<BBox> = corners
                .iter()
                .map(|&p| {
                    let q = outer.iter().fold(p, |acc, m| apply(m, acc));
                    let (x, y) = transform.point(q.0, q.1);
                    BBox::new(x, y, x, y)
                })
                .collect();
            out.extend(BBox::union_all(&mapped));
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bold_font_names() {
        assert!(name_says_bold("ABCDEF+Helvetica-Bold"));
        assert!(name_says_bold("SimHei"));
        assert!(name_says_bold("ArialBD"));
        assert!(!name_says_bold("Times-Roman"));
        assert!(!name_says_bold("SimSun"));
    }
}
