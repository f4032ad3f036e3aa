//! One page's text layer as blocks in reading order: the text stage's output, with warnings
//! about the layer's quality (missing, or glyphs without Unicode).

use super::{TextBlock, build_blocks, build_lines};
use crate::model::{Warning, WarningCode};
use crate::pdf::RawPage;

/// The blocks of one page, in reading order, with the page's size.
#[derive(Debug, Clone)]
pub struct PageBlocks {
    pub number: u32,
    pub width: f32,
    pub height: f32,
    pub rotation: i32,
    pub blocks: Vec<TextBlock>,
}

/// One page's text layer to blocks in reading order, with warnings about its quality.
pub fn page_blocks(number: u32, raw: &RawPage) -> (PageBlocks, Vec<Warning>) {
    let mut warnings = Vec::new();
    let lines = build_lines(&raw.chars, (raw.width, raw.height));
    let glyphs: u32 = lines.iter().map(|l| l.glyphs).sum();
    let unmapped: u32 = lines.iter().map(|l| l.unmapped).sum();
    if glyphs == 0 {
        let message = if raw.image_coverage > 0.5 {
            format!("no text layer; images cover {:.0}% of the page (a scan?)", raw.image_coverage * 100.0)
        } else {
            "no text layer".to_string()
        };
        warnings.push(Warning { page: Some(number), code: WarningCode::NoTextLayer, message });
    } else if unmapped * 10 > glyphs {
        warnings.push(Warning {
            page: Some(number),
            code: WarningCode::TextLayerUnreliable,
            message: format!("{unmapped} of {glyphs} glyphs have no Unicode mapping (broken or missing ToUnicode)"),
        });
    }
    let blocks = build_blocks(lines);
    (PageBlocks { number, width: raw.width, height: raw.height, rotation: raw.rotation, blocks }, warnings)
}
