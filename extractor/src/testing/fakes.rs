//! Engines that answer what a test tells them: a PDF backend over pages built in code, a layout
//! model, a figure classifier, a table structure model and an OCR engine.

use std::sync::Mutex;

use image::{Rgb, RgbImage};

use crate::geometry::BBox;
use crate::layout::{Detection, FigureClass, FigureClassifier, LayoutDetector, LayoutError, LayoutLabel};
use crate::model::RegionSource;
use crate::ocr::{OcrEngine, OcrError, OcrWord};
use crate::pdf::{OpenError, PageError, PdfBackend, PdfDoc, RawPage, RenderSize};
use crate::tables::{StructureCell, TableStructureRecognizer};

/// What reading one page of a [`FakePdf`] does.
#[derive(Debug, Clone)]
pub enum FakePage {
    /// The page as the PDF library would report it. Rendered, it is white with its image boxes
    /// grey and its paths' boxes black.
    Page(RawPage),
    /// The library fails on the page with this message.
    Fails(String),
    /// Reading the page panics (a bug in a stage must cost the page, not the document).
    Panics,
}

/// A PDF backend whose documents are the pages it was built with, whatever the bytes.
#[derive(Debug, Clone, Default)]
pub struct FakePdf {
    pub pages: Vec<FakePage>,
    /// The password the document needs, if it is encrypted.
    pub password: Option<String>,
    /// Opening fails with this instead.
    pub open_error: Option<OpenError>,
    pub title: Option<String>,
}

impl FakePdf {
    /// A document of these pages.
    pub fn of(pages: Vec<RawPage>) -> Self {
        Self { pages: pages.into_iter().map(FakePage::Page).collect(), ..Self::default() }
    }

    /// Bytes the pipeline takes for a PDF (the fake ignores them).
    pub const BYTES: &'static [u8] = b"%PDF-1.7\n% built in code\n%%EOF\n";
}

impl PdfBackend for FakePdf {
    fn open<'a>(&'a self, _bytes: &'a [u8], password: Option<&str>) -> Result<Box<dyn PdfDoc + 'a>, OpenError> {
        if let Some(e) = &self.open_error {
            return Err(e.clone());
        }
        if self.password.is_some() && self.password.as_deref() != password {
            return Err(OpenError::Password);
        }
        Ok(Box::new(FakeDoc { pdf: self }))
    }
}

struct FakeDoc<'a> {
    pdf: &'a FakePdf,
}

impl PdfDoc for FakeDoc<'_> {
    fn page_count(&self) -> u32 {
        self.pdf.pages.len() as u32
    }

    fn metadata_title(&self) -> Option<String> {
        self.pdf.title.clone()
    }

    fn pdf_version(&self) -> Option<String> {
        Some("1.7".into())
    }

    fn page(&self, index: u32, render: Option<RenderSize>) -> Result<RawPage, PageError> {
        match self.pdf.pages.get(index as usize) {
            None => Err(PageError(format!("page {} does not exist", index + 1))),
            Some(FakePage::Fails(message)) => Err(PageError(message.clone())),
            Some(FakePage::Panics) => panic!("a fake page that panics"),
            Some(FakePage::Page(page)) => {
                let mut page = RawPage { index, ..page.clone() };
                page.image = render.map(|size| draw(&page, size));
                Ok(page)
            }
        }
    }
}

/// The page stretched over `size` pixels: white, image boxes grey, the boxes of paths black.
fn draw(page: &RawPage, size: RenderSize) -> RgbImage {
    let mut image = RgbImage::from_pixel(size.width.max(1), size.height.max(1), Rgb([255, 255, 255]));
    let (sx, sy) = (size.width as f32 / page.width.max(1.0), size.height as f32 / page.height.max(1.0));
    let mut fill = |b: &BBox, colour: Rgb<u8>| {
        let x0 = (b.x0 * sx).max(0.0) as u32;
        let y0 = (b.y0 * sy).max(0.0) as u32;
        for y in y0..((b.y1 * sy).ceil() as u32).min(image.height()) {
            for x in x0..((b.x1 * sx).ceil() as u32).min(image.width()) {
                image.put_pixel(x, y, colour);
            }
        }
    };
    for b in &page.images {
        fill(b, Rgb([200, 200, 200]));
    }
    for path in page.paths.iter().filter(|p| p.stroked) {
        for sub in &path.subpaths {
            for w in sub.points.windows(2) {
                fill(&BBox::new(w[0].0, w[0].1, w[1].0, w[1].1), Rgb([0, 0, 0]));
            }
        }
    }
    image
}

/// A layout model that finds the boxes it is given, page after page; its input is the page
/// size in points, so pixels are points.
#[derive(Debug)]
pub struct FakeLayout {
    size: (u32, u32),
    pages: Mutex<std::collections::VecDeque<Result<Vec<Detection>, LayoutError>>>,
}

impl FakeLayout {
    /// Finds `pages[k]` on the k-th page it sees (nothing after the last), on pages `size`
    /// points large.
    pub fn finding(size: (f32, f32), pages: Vec<Vec<Detection>>) -> Self {
        Self::answering(size, pages.into_iter().map(Ok).collect())
    }

    /// Answers `pages[k]` (boxes, or a failure) on the k-th page it sees.
    pub fn answering(size: (f32, f32), pages: Vec<Result<Vec<Detection>, LayoutError>>) -> Self {
        Self { size: (size.0.round() as u32, size.1.round() as u32), pages: Mutex::new(pages.into()) }
    }
}

/// A model's box of `label` over `bbox` with score 0.9.
pub fn detection(label: LayoutLabel, bbox: BBox) -> Detection {
    Detection { label, score: 0.9, bbox, source: RegionSource::Model, figure_type: None }
}

impl LayoutDetector for FakeLayout {
    fn input_size(&self) -> (u32, u32) {
        self.size
    }

    fn detect(&self, _page: &RgbImage) -> Result<Vec<Detection>, LayoutError> {
        let mut pages = self.pages.lock().map_err(|_| LayoutError("fake layout poisoned".into()))?;
        pages.pop_front().unwrap_or(Ok(Vec::new()))
    }

    fn name(&self) -> &str {
        "fake-layout"
    }
}

/// A figure classifier that always answers the same.
#[derive(Debug, Clone, Copy)]
pub struct FakeFigureClassifier(pub FigureClass, pub f32);

impl FigureClassifier for FakeFigureClassifier {
    fn classify(&self, _crop: &RgbImage) -> Result<(FigureClass, f32), LayoutError> {
        Ok((self.0, self.1))
    }
}

/// A table structure model that sees the same cells in every picture (boxes in the crop's
/// pixels).
#[derive(Debug, Clone, Default)]
pub struct FakeTableStructure {
    pub cells: Vec<StructureCell>,
}

impl TableStructureRecognizer for FakeTableStructure {
    fn recognize(&self, _crop: &RgbImage) -> Result<Vec<StructureCell>, LayoutError> {
        Ok(self.cells.clone())
    }
}

/// An OCR engine that reads the same words on every image: given in points on the page, it
/// answers them in the pixels of the image at the resolution it is told, as if the image were
/// the whole page.
#[derive(Debug, Clone, Default)]
pub struct FakeOcr {
    pub words: Vec<(String, BBox)>,
    /// Fail instead, with this message.
    pub fails: Option<String>,
}

impl FakeOcr {
    /// Reads these words, one line per distinct top edge.
    pub fn reading(words: &[(&str, BBox)]) -> Self {
        Self { words: words.iter().map(|(t, b)| (t.to_string(), *b)).collect(), fails: None }
    }
}

impl OcrEngine for FakeOcr {
    fn recognize(&self, _image: &RgbImage, dpi: f32) -> Result<Vec<OcrWord>, OcrError> {
        if let Some(message) = &self.fails {
            return Err(OcrError(message.clone()));
        }
        let scale = dpi / 72.0;
        let mut tops: Vec<i32> = self.words.iter().map(|(_, b)| b.y0.round() as i32).collect();
        tops.sort_unstable();
        tops.dedup();
        Ok(self
            .words
            .iter()
            .map(|(text, b)| OcrWord {
                text: text.clone(),
                bbox: [b.x0 * scale, b.y0 * scale, b.x1 * scale, b.y1 * scale],
                confidence: 95.0,
                line: tops.iter().position(|&t| t == b.y0.round() as i32).unwrap_or(0) as u32,
            })
            .collect())
    }

    fn name(&self) -> String {
        "fake-ocr".into()
    }

    fn orientation(&self, _image: &RgbImage) -> Option<u16> {
        Some(0)
    }
}
