//! Image files as documents: PNG, JPEG and TIFF (every page of a multi-page TIFF), each image
//! a page with no text layer, so that OCR reads it.
//!
//! A page is as large as the image at its resolution (TIFF tags; 300 dpi when the file does
//! not say), in points.

use std::io::Cursor;

use image::{GrayImage, RgbImage};
use tiff::ColorType;
use tiff::decoder::{Decoder, DecodingResult};
use tiff::tags::Tag;

use super::{OpenError, PageError, PdfBackend, PdfDoc, RawPage, RenderSize};
use crate::geometry::BBox;

/// Resolution assumed when a file does not record one.
pub const DEFAULT_DPI: f32 = 300.0;

/// The image formats accepted as documents, by their magic bytes.
pub fn is_image(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x89PNG") || bytes.starts_with(b"\xFF\xD8\xFF") || is_tiff(bytes)
}

fn is_tiff(bytes: &[u8]) -> bool {
    bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*")
}

/// Opens image files.
pub struct ImageBackend;

impl PdfBackend for ImageBackend {
    fn open<'a>(&'a self, bytes: &'a [u8], _password: Option<&str>) -> Result<Box<dyn PdfDoc + 'a>, OpenError> {
        let pages = if is_tiff(bytes) { tiff_pages(bytes)? } else { vec![single(bytes)?] };
        if pages.is_empty() {
            return Err(OpenError::Image("the image file holds no image".into()));
        }
        Ok(Box::new(ImageDoc { pages }))
    }
}

/// One decoded image and its resolution.
struct ImagePage {
    image: RgbImage,
    dpi: f32,
}

struct ImageDoc {
    pages: Vec<ImagePage>,
}

impl PdfDoc for ImageDoc {
    fn page_count(&self) -> u32 {
        self.pages.len() as u32
    }

    fn metadata_title(&self) -> Option<String> {
        None
    }

    fn pdf_version(&self) -> Option<String> {
        None
    }

    fn page(&self, index: u32, render: Option<RenderSize>) -> Result<RawPage, PageError> {
        let page = self.pages.get(index as usize).ok_or_else(|| PageError(format!("no image {}", index + 1)))?;
        let (w, h) = page.image.dimensions();
        let (width, height) = (w as f32 * 72.0 / page.dpi, h as f32 * 72.0 / page.dpi);
        let image = render.map(|size| {
            if (size.width, size.height) == (w, h) {
                page.image.clone()
            } else {
                image::imageops::resize(
                    &page.image,
                    size.width.max(1),
                    size.height.max(1),
                    image::imageops::FilterType::Triangle,
                )
            }
        });
        Ok(RawPage {
            index,
            width,
            height,
            rotation: 0,
            chars: Vec::new(),
            image_count: 1,
            image_coverage: 1.0,
            images: vec![BBox::new(0.0, 0.0, width, height)],
            image,
            paths: Vec::new(),
            annotations: Vec::new(),
        })
    }
}

fn single(bytes: &[u8]) -> Result<ImagePage, OpenError> {
    let image = image::load_from_memory(bytes).map_err(|e| OpenError::Image(e.to_string()))?;
    Ok(ImagePage { image: image.to_rgb8(), dpi: DEFAULT_DPI })
}

/// Every page of a TIFF, decoded with the `tiff` crate (CCITT fax, LZW, deflate, JPEG).
fn tiff_pages(bytes: &[u8]) -> Result<Vec<ImagePage>, OpenError> {
    let corrupt = |e: tiff::TiffError| OpenError::Image(format!("TIFF: {e}"));
    let mut decoder = Decoder::new(Cursor::new(bytes)).map_err(corrupt)?;
    let mut pages = Vec::new();
    loop {
        let (w, h) = decoder.dimensions().map_err(corrupt)?;
        let colour = decoder.colortype().map_err(corrupt)?;
        let dpi = match decoder.find_tag(Tag::XResolution) {
            Ok(Some(tiff::decoder::ifd::Value::Rational(n, d))) if d > 0 => n as f32 / d as f32,
            Ok(Some(v)) => v.into_f32().unwrap_or(0.0),
            _ => 0.0,
        };
        let dpi = if (50.0..=2400.0).contains(&dpi) { dpi } else { DEFAULT_DPI };
        let white_is_zero = decoder.find_tag_unsigned::<u16>(Tag::PhotometricInterpretation).ok().flatten() == Some(0);
        let data = decoder.read_image().map_err(corrupt)?;
        let image = to_rgb(data, colour, (w, h), white_is_zero)
            .ok_or_else(|| OpenError::Image(format!("TIFF colour type {colour:?} is not supported")))?;
        pages.push(ImagePage { image, dpi });
        if !decoder.more_images() {
            break;
        }
        decoder.next_image().map_err(corrupt)?;
    }
    Ok(pages)
}

fn to_rgb(data: DecodingResult, colour: ColorType, (w, h): (u32, u32), white_is_zero: bool) -> Option<RgbImage> {
    let gray = |values: Vec<u8>| {
        let values = if white_is_zero { values.into_iter().map(|v| 255 - v).collect() } else { values };
        GrayImage::from_raw(w, h, values).map(|g| image::DynamicImage::ImageLuma8(g).to_rgb8())
    };
    match (data, colour) {
        (DecodingResult::U8(v), ColorType::Gray(1)) => {
            // One bit per pixel, rows padded to whole bytes.
            let stride = (w as usize).div_ceil(8);
            let mut values = Vec::with_capacity((w * h) as usize);
            for y in 0..h as usize {
                for x in 0..w as usize {
                    let bit = v.get(y * stride + x / 8).map_or(0, |b| (b >> (7 - x % 8)) & 1);
                    values.push(if bit == 1 { 255 } else { 0 });
                }
            }
            gray(values)
        }
        (DecodingResult::U8(v), ColorType::Gray(8)) => gray(v),
        (DecodingResult::U16(v), ColorType::Gray(16)) => gray(v.into_iter().map(|x| (x >> 8) as u8).collect()),
        (DecodingResult::U8(v), ColorType::RGB(8)) => RgbImage::from_raw(w, h, v),
        (DecodingResult::U8(v), ColorType::RGBA(8)) => {
            let rgba = image::RgbaImage::from_raw(w, h, v)?;
            Some(image::DynamicImage::ImageRgba8(rgba).to_rgb8())
        }
        (DecodingResult::U16(v), ColorType::RGB(16)) => {
            RgbImage::from_raw(w, h, v.into_iter().map(|x| (x >> 8) as u8).collect())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_png_is_one_page_sized_at_300_dpi() {
        let img = RgbImage::from_pixel(600, 300, image::Rgb([255, 255, 255]));
        let mut png = Vec::new();
        image::DynamicImage::ImageRgb8(img).write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
        assert!(is_image(&png));
        let doc = ImageBackend.open(&png, None).unwrap();
        assert_eq!(doc.page_count(), 1);
        let page = doc.page(0, Some(RenderSize { width: 60, height: 30 })).unwrap();
        assert_eq!((page.width, page.height), (144.0, 72.0));
        assert_eq!(page.image.unwrap().dimensions(), (60, 30));
        assert!(page.chars.is_empty() && page.image_coverage == 1.0);
    }

    #[test]
    fn bilevel_rows_are_padded_to_bytes() {
        // 10 pixels wide: two bytes a row; black is 0 (BlackIsZero).
        let data = DecodingResult::U8(vec![0b1000_0000, 0b0100_0000, 0xFF, 0xC0]);
        let rgb = to_rgb(data, ColorType::Gray(1), (10, 2), false).unwrap();
        assert_eq!(rgb.get_pixel(0, 0)[0], 255);
        assert_eq!(rgb.get_pixel(1, 0)[0], 0);
        assert_eq!(rgb.get_pixel(9, 0)[0], 255);
        assert_eq!(rgb.get_pixel(9, 1)[0], 255);
    }
}
