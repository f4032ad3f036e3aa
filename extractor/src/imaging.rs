//! Pictures of pages: the pixels under a box given in page points, and quarter turns. Every
//! stage that reads a region's pixels (figure typing, picture tables, OCR of pictures, picture
//! flowcharts) crops through [`PixelRect`]. Two roundings are in use: the models' crops take
//! every pixel the box touches ([`PixelRect::covering`]), the OCR and pixel-graph crops the
//! pixels wholly inside it ([`PixelRect::inside`]); their results were tuned on those crops, and
//! a pixel more or less changes what OCR reads.

use image::RgbImage;

use crate::geometry::BBox;

/// A rectangle of whole pixels; `x1` and `y1` are exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PixelRect {
    pub x0: u32,
    pub y0: u32,
    pub x1: u32,
    pub y1: u32,
}

impl PixelRect {
    /// The pixels under `bbox` (page points) in an image of `size` pixels drawn at `scale`
    /// pixels per point (x, y): outwards to whole pixels, clamped to the image, never empty.
    pub fn covering(bbox: &BBox, scale: (f32, f32), (w, h): (u32, u32)) -> Self {
        let x0 = ((bbox.x0 * scale.0).max(0.0) as u32).min(w.saturating_sub(1));
        let y0 = ((bbox.y0 * scale.1).max(0.0) as u32).min(h.saturating_sub(1));
        let x1 = ((bbox.x1 * scale.0).ceil() as u32).clamp(x0 + 1, w.max(x0 + 1));
        let y1 = ((bbox.y1 * scale.1).ceil() as u32).clamp(y0 + 1, h.max(y0 + 1));
        Self { x0, y0, x1, y1 }
    }

    /// The pixels of `bbox` with both edges rounded down, clamped to the image; empty (zero
    /// width or height) when the box lies outside it.
    pub fn inside(bbox: &BBox, scale: (f32, f32), (w, h): (u32, u32)) -> Self {
        let x0 = ((bbox.x0 * scale.0).max(0.0) as u32).min(w);
        let y0 = ((bbox.y0 * scale.1).max(0.0) as u32).min(h);
        let x1 = ((bbox.x1 * scale.0) as u32).clamp(x0, w);
        let y1 = ((bbox.y1 * scale.1) as u32).clamp(y0, h);
        Self { x0, y0, x1, y1 }
    }

    pub fn width(&self) -> u32 {
        self.x1 - self.x0
    }

    pub fn height(&self) -> u32 {
        self.y1 - self.y0
    }

    /// The page point at the rectangle's top-left corner.
    pub fn origin_in_points(&self, scale: (f32, f32)) -> (f32, f32) {
        (self.x0 as f32 / scale.0, self.y0 as f32 / scale.1)
    }

    /// These pixels of `image`, as an image of their own.
    pub fn crop(&self, image: &RgbImage) -> RgbImage {
        image::imageops::crop_imm(image, self.x0, self.y0, self.width(), self.height()).to_image()
    }
}

/// `image` turned clockwise by `degrees` (0, 90, 180 or 270; other values count as 270, the
/// only quarter left).
pub fn turn(image: &RgbImage, degrees: u16) -> RgbImage {
    match degrees {
        0 => image.clone(),
        90 => image::imageops::rotate90(image),
        180 => image::imageops::rotate180(image),
        _ => image::imageops::rotate270(image),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_box_covers_whole_pixels_inside_the_image() {
        let r = PixelRect::covering(&BBox::new(10.2, 5.0, 20.1, 7.5), (2.0, 2.0), (100, 100));
        assert_eq!(r, PixelRect { x0: 20, y0: 10, x1: 41, y1: 15 });
        let out = PixelRect::covering(&BBox::new(-5.0, 90.0, 500.0, 120.0), (1.0, 1.0), (100, 100));
        assert_eq!(out, PixelRect { x0: 0, y0: 90, x1: 100, y1: 100 });
        let past = PixelRect::covering(&BBox::new(150.0, 150.0, 160.0, 160.0), (1.0, 1.0), (100, 100));
        assert_eq!((past.width(), past.height()), (1, 1), "never empty, never outside");
        assert!(past.x1 <= 100 && past.y1 <= 100);
        let nan = PixelRect::covering(&BBox::new(f32::NAN, 0.0, 10.0, 10.0), (1.0, 1.0), (100, 100));
        assert!(nan.x1 <= 100 && nan.width() >= 1, "{nan:?}");
    }

    #[test]
    fn inside_rounds_both_edges_down_and_may_be_empty() {
        let r = PixelRect::inside(&BBox::new(10.2, 5.0, 20.1, 7.5), (2.0, 2.0), (100, 100));
        assert_eq!(r, PixelRect { x0: 20, y0: 10, x1: 40, y1: 15 });
        let past = PixelRect::inside(&BBox::new(150.0, 10.0, 160.0, 20.0), (1.0, 1.0), (100, 100));
        assert_eq!((past.width(), past.height()), (0, 10));
    }

    #[test]
    fn quarter_turns_swap_sides() {
        let image = RgbImage::new(4, 2);
        assert_eq!(turn(&image, 90).dimensions(), (2, 4));
        assert_eq!(turn(&image, 180).dimensions(), (4, 2));
        assert_eq!(turn(&image, 270).dimensions(), (2, 4));
        assert_eq!(turn(&image, 0).dimensions(), (4, 2));
    }
}
