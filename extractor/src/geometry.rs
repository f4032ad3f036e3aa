//! Boxes in PDF points on the page as displayed: origin top-left, y growing downwards.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An axis-aligned box `[x0, y0, x1, y1]` with `x0 <= x1` and `y0 <= y1`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct BBox {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl BBox {
    /// Whether the middle of `other` lies strictly inside this box (a glyph in a cell or a step).
    pub fn holds_centre_of(&self, other: &BBox) -> bool {
        let (cx, cy) = ((other.x0 + other.x1) / 2.0, other.center_y());
        cx > self.x0 && cx < self.x1 && cy > self.y0 && cy < self.y1
    }

    /// Distance from a point to the box (0 inside it).
    pub fn distance_to(&self, (x, y): (f32, f32)) -> f32 {
        let dx = (self.x0 - x).max(0.0).max(x - self.x1);
        let dy = (self.y0 - y).max(0.0).max(y - self.y1);
        dx.hypot(dy)
    }

    /// A box from two corners in any order.
    pub fn new(xa: f32, ya: f32, xb: f32, yb: f32) -> Self {
        Self { x0: xa.min(xb), y0: ya.min(yb), x1: xa.max(xb), y1: ya.max(yb) }
    }

    pub fn width(&self) -> f32 {
        self.x1 - self.x0
    }

    pub fn height(&self) -> f32 {
        self.y1 - self.y0
    }

    pub fn area(&self) -> f32 {
        self.width().max(0.0) * self.height().max(0.0)
    }

    pub fn center_y(&self) -> f32 {
        (self.y0 + self.y1) * 0.5
    }

    /// The smallest box holding both.
    pub fn union(&self, other: &BBox) -> BBox {
        BBox {
            x0: self.x0.min(other.x0),
            y0: self.y0.min(other.y0),
            x1: self.x1.max(other.x1),
            y1: self.y1.max(other.y1),
        }
    }

    /// The union of many boxes, or `None` for none.
    pub fn union_all<'a>(boxes: impl IntoIterator<Item = &'a BBox>) -> Option<BBox> {
        boxes.into_iter().fold(None, |acc, b| match acc {
            None => Some(*b),
            Some(a) => Some(a.union(b)),
        })
    }

    /// Length of the overlap of the two boxes' vertical extents (0 when apart).
    pub fn overlap_y(&self, other: &BBox) -> f32 {
        (self.y1.min(other.y1) - self.y0.max(other.y0)).max(0.0)
    }

    /// Length of the overlap of the two boxes' horizontal extents (0 when apart).
    pub fn overlap_x(&self, other: &BBox) -> f32 {
        (self.x1.min(other.x1) - self.x0.max(other.x0)).max(0.0)
    }

    /// Whether the two boxes overlap with some area.
    pub fn intersects(&self, other: &BBox) -> bool {
        self.overlap_x(other) > 0.0 && self.overlap_y(other) > 0.0
    }

    /// The area the two boxes have in common (0 when apart).
    pub fn intersection_area(&self, other: &BBox) -> f32 {
        self.overlap_x(other) * self.overlap_y(other)
    }

    /// The share of this box's area that lies inside `other` (0 for a box without area).
    pub fn share_inside(&self, other: &BBox) -> f32 {
        let area = self.area();
        if area <= 0.0 { 0.0 } else { self.intersection_area(other) / area }
    }

    /// The share of the smaller box's area that the two boxes have in common.
    pub fn overlap_of_smaller(&self, other: &BBox) -> f32 {
        self.intersection_area(other) / self.area().min(other.area()).max(1e-3)
    }

    /// Intersection over union.
    pub fn iou(&self, other: &BBox) -> f32 {
        let inter = self.intersection_area(other);
        let union = self.area() + other.area() - inter;
        if union <= 0.0 { 0.0 } else { inter / union }
    }

    /// True when the box has a finite, non-negative extent.
    pub fn is_valid(&self) -> bool {
        [self.x0, self.y0, self.x1, self.y1].iter().all(|v| v.is_finite()) && self.x0 <= self.x1 && self.y0 <= self.y1
    }

    /// The box rounded to 0.01 pt, as written to JSON.
    pub fn to_array(&self) -> [f32; 4] {
        let r = |v: f32| (v * 100.0).round() / 100.0;
        [r(self.x0), r(self.y0), r(self.x1), r(self.y1)]
    }
}

impl Serialize for BBox {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_array().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for BBox {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let [x0, y0, x1, y1] = <[f32; 4]>::deserialize(deserializer)?;
        Ok(BBox::new(x0, y0, x1, y1))
    }
}

/// Maps points from PDF user space (origin bottom-left, unrotated) to the displayed page
/// (origin top-left, after `/Rotate`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageTransform {
    /// The visible area in user space: the crop box clipped to the media box.
    pub visible: BBox,
    /// Clockwise rotation in degrees: 0, 90, 180 or 270.
    pub rotation: i32,
}

impl PageTransform {
    pub fn new(visible: BBox, rotation: i32) -> Self {
        Self { visible, rotation: rotation.rem_euclid(360) / 90 * 90 }
    }

    /// Displayed width and height.
    pub fn size(&self) -> (f32, f32) {
        let (w, h) = (self.visible.width(), self.visible.height());
        if self.rotation % 180 == 0 { (w, h) } else { (h, w) }
    }

    /// Maps one user-space point to displayed coordinates.
    pub fn point(&self, x: f32, y: f32) -> (f32, f32) {
        let v = &self.visible;
        match self.rotation {
            90 => (y - v.y0, x - v.x0),
            180 => (v.x1 - x, y - v.y0),
            270 => (v.y1 - y, v.x1 - x),
            _ => (x - v.x0, v.y1 - y),
        }
    }

    /// Maps a user-space rectangle (`left, bottom, right, top`) to a displayed box.
    pub fn rect(&self, left: f32, bottom: f32, right: f32, top: f32) -> BBox {
        let (xa, ya) = self.point(left, bottom);
        let (xb, yb) = self.point(right, top);
        BBox::new(xa, ya, xb, yb)
    }

    /// Angle of text on the displayed page, from its angle in user space (counter-clockwise
    /// degrees), normalised to `[0, 360)`.
    pub fn displayed_angle(&self, user_angle_deg: f32) -> f32 {
        (user_angle_deg - self.rotation as f32).rem_euclid(360.0)
    }
}

/// Distance from point `p` to the segment from `a` to `b`.
pub fn segment_distance(p: (f32, f32), a: (f32, f32), b: (f32, f32)) -> f32 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 { (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0) } else { 0.0 };
    (p.0 - a.0 - t * dx).hypot(p.1 - a.1 - t * dy)
}

/// Sorts boxes in reading order: rows `row` high top to bottom, left to right within a row.
pub fn sort_in_rows<T>(items: &mut [T], row: f32, bbox: impl Fn(&T) -> BBox) {
    let key = |t: &T| {
        let b = bbox(t);
        ((b.center_y() / row).round(), b.x0)
    };
    items.sort_by(|a, b| {
        let (ka, kb) = (key(a), key(b));
        ka.0.total_cmp(&kb.0).then(ka.1.total_cmp(&kb.1))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unrotated_page_flips_y() {
        let t = PageTransform::new(BBox::new(0.0, 0.0, 600.0, 800.0), 0);
        assert_eq!(t.point(10.0, 790.0), (10.0, 10.0));
        assert_eq!(t.size(), (600.0, 800.0));
    }

    #[test]
    fn rotated_pages_map_corners_like_a_viewer() {
        let v = BBox::new(0.0, 0.0, 600.0, 800.0);
        // Rotated clockwise by 90: the original top-left corner ends up top-right.
        let t90 = PageTransform::new(v, 90);
        assert_eq!(t90.size(), (800.0, 600.0));
        assert_eq!(t90.point(0.0, 800.0), (800.0, 0.0));
        assert_eq!(t90.point(0.0, 0.0), (0.0, 0.0));
        let t180 = PageTransform::new(v, 180);
        assert_eq!(t180.point(0.0, 800.0), (600.0, 800.0));
        let t270 = PageTransform::new(v, 270);
        assert_eq!(t270.point(0.0, 0.0), (800.0, 600.0));
        assert_eq!(t270.point(0.0, 800.0), (0.0, 600.0));
    }

    #[test]
    fn crop_box_offset_is_removed() {
        let t = PageTransform::new(BBox::new(50.0, 100.0, 650.0, 900.0), 0);
        assert_eq!(t.point(50.0, 900.0), (0.0, 0.0));
    }

    #[test]
    fn text_angle_follows_page_rotation() {
        let t = PageTransform::new(BBox::new(0.0, 0.0, 600.0, 800.0), 90);
        assert_eq!(t.displayed_angle(90.0), 0.0);
        assert_eq!(t.displayed_angle(0.0), 270.0);
    }

    #[test]
    fn bbox_serialises_as_rounded_array() {
        let b = BBox::new(1.234_56, 2.0, 3.0, 4.006);
        assert_eq!(serde_json::to_string(&b).unwrap(), "[1.23,2.0,3.0,4.01]");
    }
}
