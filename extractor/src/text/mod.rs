//! The text layer: characters to lines, lines to blocks in reading order, and the wording that
//! opens a caption.

pub mod blocks;
pub mod captions;
pub mod lines;
pub mod page;
pub mod script;

pub use blocks::{TextBlock, build_blocks, join_lines, text_of_glyphs};
pub use captions::{is_caption, is_table_caption};
pub use lines::{Direction, TextLine, build_lines};
pub use page::{PageBlocks, page_blocks};
