use super::*;
use imageproc::drawing::{draw_hollow_rect_mut, draw_line_segment_mut, draw_polygon_mut};
use imageproc::point::Point;
use imageproc::rect::Rect;

fn glyphs(text: &str, x: f32, y: f32) -> Vec<RawChar> {
    crate::testing::glyph_run(text, (x, y), 12.0, 14.0, 20.0)
}

fn thick_line(img: &mut RgbImage, a: (f32, f32), b: (f32, f32)) {
    for d in -1..=1 {
        let o = d as f32;
        let (ax, ay, bx, by) = if a.0 == b.0 { (a.0 + o, a.1, b.0 + o, b.1) } else { (a.0, a.1 + o, b.0, b.1 + o) };
        draw_line_segment_mut(img, (ax, ay), (bx, by), image::Rgb([0, 0, 0]));
    }
}

fn head_down(img: &mut RgbImage, x: i32, y: i32) {
    let pts = [Point::new(x, y), Point::new(x - 10, y - 18), Point::new(x + 10, y - 18)];
    draw_polygon_mut(img, &pts, image::Rgb([0, 0, 0]));
}

/// A box outlined in black, `thickness` pixels wide, inside `x, y, w, h`.
fn outlined_box(img: &mut RgbImage, (x, y, w, h): (i32, i32, u32, u32), thickness: i32) {
    for t in 0..thickness {
        let inset = 2 * t as u32;
        draw_hollow_rect_mut(img, Rect::at(x + t, y + t).of_size(w - inset, h - inset), image::Rgb([0, 0, 0]));
    }
}

/// Start -> Dose? -> Give / Wait: outlined boxes, a green filled diamond, branches out of its
/// corners, across and down; the steps' glyphs.
fn decision_chart() -> (RgbImage, Vec<RawChar>) {
    let mut img = RgbImage::from_pixel(600, 700, image::Rgb([255, 255, 255]));
    // Outlined start box, a green filled decision diamond, two outlined outcome boxes.
    outlined_box(&mut img, (200, 20, 200, 80), 3);
    outlined_box(&mut img, (40, 520, 200, 80), 3);
    outlined_box(&mut img, (360, 520, 200, 80), 3);
    let diamond = [Point::new(300, 180), Point::new(420, 280), Point::new(300, 380), Point::new(180, 280)];
    draw_polygon_mut(&mut img, &diamond, image::Rgb([150, 200, 120]));
    thick_line(&mut img, (300.0, 100.0), (300.0, 180.0));
    head_down(&mut img, 300, 180);
    // Out of the diamond's sides, across, and down into the outcomes.
    thick_line(&mut img, (180.0, 280.0), (140.0, 280.0));
    thick_line(&mut img, (140.0, 280.0), (140.0, 520.0));
    head_down(&mut img, 140, 520);
    thick_line(&mut img, (420.0, 280.0), (460.0, 280.0));
    thick_line(&mut img, (460.0, 280.0), (460.0, 520.0));
    head_down(&mut img, 460, 520);
    let mut chars = glyphs("Start", 260.0, 60.0);
    chars.extend(glyphs("Dose?", 265.0, 280.0));
    chars.extend(glyphs("Give", 110.0, 560.0));
    chars.extend(glyphs("Wait", 430.0, 560.0));
    (img, chars)
}

/// Start -> Dose?, then Dose? -Yes-> Give and -No-> Wait.
fn assert_decision_edges(edges: &[Edge]) {
    let mut found: Vec<(&str, &str, Option<&str>)> =
        edges.iter().map(|e| (e.source.as_str(), e.target.as_str(), e.label.as_deref())).collect();
    found.sort();
    assert_eq!(found, [("n1", "n2", None), ("n2", "n3", Some("Yes")), ("n2", "n4", Some("No"))]);
}

#[test]
fn boxes_arrows_a_diamond_and_labels_become_a_graph() {
    let (img, mut chars) = decision_chart();
    chars.extend(glyphs("Yes", 100.0, 400.0));
    chars.extend(glyphs("No", 470.0, 400.0));
    let (nodes, edges) = recover_from_pixels(&img, &chars);
    let names: Vec<(&str, NodeShape)> = nodes.iter().map(|n| (n.text.as_str(), n.shape)).collect();
    assert_eq!(
        names,
        [
            ("Start", NodeShape::Process),
            ("Dose?", NodeShape::Decision),
            ("Give", NodeShape::Process),
            ("Wait", NodeShape::Process)
        ]
    );
    assert_decision_edges(&edges);
}

#[test]
fn a_chart_on_grainy_grey_paper_keeps_its_steps_and_wires() {
    // A scan's paper: mid-grey with a grain spread over three 16-level bins, a smooth shade
    // (the grain's low frequencies) under it.
    let (mut img, chars) = decision_chart();
    let mut seed = 12345u32;
    for (x, y, p) in img.enumerate_pixels_mut() {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let grain = (seed >> 16) % 25;
        let shade = (x / 7 + y / 5) % 5;
        if p[0] == 255 {
            let v = (204 + grain + shade) as u8;
            *p = image::Rgb([v, v, v]);
        }
    }
    let (nodes, edges) = recover_from_pixels(&img, &chars);
    assert_eq!(nodes.len(), 4, "{nodes:?}");
    assert_eq!(edges.len(), 3, "{edges:?}");
}

#[test]
fn labels_at_the_corners_a_branch_leaves_go_to_it_and_do_not_turn_it() {
    // "Yes" and "No" printed over the first piece of each branch, right by the diamond.
    let (img, mut chars) = decision_chart();
    chars.extend(glyphs("Yes", 128.0, 262.0));
    chars.extend(glyphs("No", 424.0, 262.0));
    let (_, edges) = recover_from_pixels(&img, &chars);
    assert_decision_edges(&edges);
}

/// Glyphs of a text layer over a picture: inked in the picture (two strokes a little inside
/// each glyph's advance, like an "H" without its bar), with the font's boxes around them.
fn inked_glyphs(img: &mut RgbImage, text: &str, (x, y): (f32, f32), (advance, height): (f32, f32)) -> Vec<RawChar> {
    let chars = crate::testing::glyph_run(text, (x, y), advance - 2.0, advance, height);
    for c in &chars {
        let b = &c.bbox;
        let (top, tall) = (b.y0 as i32 + 4, (b.height() - 8.0) as u32);
        for left in [b.x0 as i32 + 3, b.x1 as i32 - 6] {
            imageproc::drawing::draw_filled_rect_mut(img, Rect::at(left, top).of_size(3, tall), image::Rgb([0, 0, 0]));
        }
    }
    chars
}

#[test]
fn a_narrow_box_of_upright_letters_and_a_tight_box_under_loose_font_boxes_are_steps() {
    // A box narrower than a line is high, its two letters one under the other (术/前 down a
    // bar at the chart's side), and an arrow to a box drawn tight round its line, whose last
    // letters' font boxes (circled digits) reach far above and below it.
    let mut img = RgbImage::from_pixel(500, 300, image::Rgb([255, 255, 255]));
    outlined_box(&mut img, (40, 60, 40, 120), 2);
    outlined_box(&mut img, (200, 95, 200, 50), 2);
    thick_line(&mut img, (80.0, 120.0), (192.0, 120.0));
    let head = [Point::new(200, 120), Point::new(184, 110), Point::new(184, 130)];
    draw_polygon_mut(&mut img, &head, image::Rgb([0, 0, 0]));
    let mut chars = inked_glyphs(&mut img, "A", (46.0, 100.0), (28.0, 38.0));
    chars.extend(inked_glyphs(&mut img, "B", (46.0, 140.0), (28.0, 38.0)));
    chars.extend(inked_glyphs(&mut img, "Dose", (215.0, 120.0), (30.0, 38.0)));
    let mut tall = inked_glyphs(&mut img, "12", (335.0, 120.0), (30.0, 38.0));
    for c in &mut tall {
        c.bbox = BBox::new(c.bbox.x0, c.bbox.y0 - 25.0, c.bbox.x1, c.bbox.y1 + 25.0);
    }
    chars.extend(tall);
    let (nodes, edges) = recover_from_pixels(&img, &chars);
    let names: Vec<&str> = nodes.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(names, ["A B", "Dose12"], "{nodes:?}");
    assert_eq!(edges.len(), 1, "{edges:?}");
    assert_eq!((edges[0].source.as_str(), edges[0].target.as_str()), ("n1", "n2"));
}

#[test]
fn an_arrow_in_the_colour_of_a_fill_that_stops_short_of_its_step_is_a_wire() {
    // A box filled in dark teal and below it one in light teal; the arrow between them is
    // drawn in the light teal and its head stops a few pixels above the lower box.
    let (dark, light) = (image::Rgb([0, 125, 133]), image::Rgb([136, 189, 192]));
    let mut img = RgbImage::from_pixel(500, 400, image::Rgb([255, 255, 255]));
    imageproc::drawing::draw_filled_rect_mut(&mut img, Rect::at(150, 40).of_size(200, 80), dark);
    imageproc::drawing::draw_filled_rect_mut(&mut img, Rect::at(150, 240).of_size(200, 80), light);
    imageproc::drawing::draw_filled_rect_mut(&mut img, Rect::at(246, 120).of_size(8, 80), light);
    let head = [Point::new(250, 230), Point::new(232, 200), Point::new(268, 200)];
    draw_polygon_mut(&mut img, &head, light);
    let mut chars = glyphs("Assess", 210.0, 80.0);
    chars.extend(glyphs("Treat", 215.0, 280.0));
    let (nodes, edges) = recover_from_pixels(&img, &chars);
    assert_eq!(nodes.len(), 2, "{nodes:?}");
    let found: Vec<(&str, &str)> = edges.iter().map(|e| (e.source.as_str(), e.target.as_str())).collect();
    assert_eq!(found, [("n1", "n2")]);
}

#[test]
fn a_label_set_tight_against_a_step_beside_its_wire_neither_wires_that_step_nor_hides_the_head() {
    // Start -> Dose? -> Give / Wait as in `decision_chart`; "Yes" sits beside the left branch
    // by Give's arrowhead, and a second label "Severe" lies between the right branch's corner
    // and a box Note set below it, touching neither.
    let (mut img, mut chars) = decision_chart();
    chars.extend(glyphs("Yes", 84.0, 500.0));
    outlined_box(&mut img, (470, 300, 120, 60), 3);
    chars.extend(glyphs("Note", 500.0, 330.0));
    chars.extend(glyphs("Severe", 470.0, 288.0));
    let (nodes, edges) = recover_from_pixels(&img, &chars);
    assert_eq!(nodes.len(), 5, "{nodes:?}");
    let mut found: Vec<(&str, &str)> = edges.iter().map(|e| (e.source.as_str(), e.target.as_str())).collect();
    found.sort();
    assert_eq!(found, [("n1", "n2"), ("n2", "n4"), ("n2", "n5")], "{nodes:?}");
}
