//! Vector graphics read as drawing primitives: shapes (boxes, diamonds, rounded boxes,
//! ellipses), connectors (lines and polylines) and arrowheads. Flowchart detection builds on
//! them here; flowchart graphs and table rulings will too.

pub mod flowchart;
pub mod graph;
pub mod shapes;

pub use flowchart::detect_flowcharts;
pub use shapes::{Primitives, ShapeKind, primitives};
