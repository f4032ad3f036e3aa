//! Vector graphics read as drawing primitives: shapes (boxes, diamonds, rounded boxes,
//! ellipses), connectors (lines and polylines) and arrowheads; and flowcharts detected from
//! them. Flowchart graphs ([`crate::flowcharts::vector_graph`]) build on the same primitives.

pub mod flowchart;
pub mod shapes;

pub use flowchart::{detect_flowcharts, distinct_steps};
pub use shapes::{Primitives, ShapeKind, primitives};
