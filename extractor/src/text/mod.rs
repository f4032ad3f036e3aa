//! The text layer: characters to lines, lines to blocks in reading order.

pub mod blocks;
pub mod lines;
pub mod script;

pub use blocks::{TextBlock, build_blocks, join_lines, text_of_glyphs};
pub use lines::{Direction, TextLine, build_lines};
