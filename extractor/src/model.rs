//! The extraction contract (`shared/contract/extraction.schema.json`) as plain serde data.
//!
//! Field names follow the contract exactly; fields beyond it are additions the contract allows.
//! Every stage reads and writes these types, so any stage's output can be serialised and tested
//! on its own.

use serde::{Deserialize, Serialize};

use crate::geometry::BBox;

/// Version of the contract this crate writes.
pub const SCHEMA_VERSION: &str = "1";

/// Everything extracted from one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Extraction {
    pub schema_version: String,
    pub source: Source,
    pub pages: Vec<Page>,
    pub tables: Vec<Table>,
    pub flowcharts: Vec<Flowchart>,
    /// Graded recommendations: table rows with a grading column, and statements in the text
    /// followed by their grading.
    #[serde(default)]
    pub recommendations: Vec<Recommendation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub triples: Option<TriplesSummary>,
    #[serde(default)]
    pub warnings: Vec<Warning>,
}

impl Extraction {
    /// How many pages were read (pages that failed or were not reached are in `pages` too).
    pub fn pages_read(&self) -> usize {
        self.pages.iter().filter(|p| p.unread.is_none()).count()
    }
}

/// Identity of the input document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// Lower-case hex sha256 of the input bytes: the document's stable identity.
    pub sha256: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    /// Number of pages in the document (not only the selected ones).
    pub pages: u32,
    pub title: Option<String>,
    /// Where the title came from: `metadata` or `layout`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_source: Option<String>,
    /// Size of the input in bytes.
    #[serde(default)]
    pub bytes: u64,
    /// PDF version string, e.g. `1.7`, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pdf_version: Option<String>,
    /// The layout model that segmented the pages, when one ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layout_model: Option<String>,
}

/// One page as displayed (after `/Rotate`), coordinates in points, origin top-left.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page {
    /// 1-based page number.
    pub number: u32,
    pub width: f32,
    pub height: f32,
    /// The page's `/Rotate` in degrees (0, 90, 180, 270).
    pub rotation: i32,
    /// True when the page's text came from OCR.
    pub scanned: bool,
    /// The page's text in reading order, blocks separated by blank lines.
    pub text: String,
    pub regions: Vec<Region>,
    /// Set when the page could not be read (`page_failed`) or was not reached (`time_limit`):
    /// the page keeps its place and number, empty, and a warning of that code says why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unread: Option<WarningCode>,
}

impl Page {
    /// An empty page standing for one that could not be read.
    pub fn unread(number: u32, (width, height): (f32, f32), why: WarningCode) -> Self {
        Self {
            number,
            width,
            height,
            rotation: 0,
            scanned: false,
            text: String::new(),
            regions: Vec::new(),
            unread: Some(why),
        }
    }
}

/// A segmented area of a page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Region {
    /// Stable within a document: `p{page}-r{index}`.
    pub id: String,
    pub kind: RegionKind,
    pub bbox: BBox,
    pub confidence: f32,
    pub text: String,
    /// What produced the region: `model`, `vector`, `ocr` or `heuristic`.
    pub source: RegionSource,
    /// Position in the page's reading order, from 0.
    #[serde(default)]
    pub order: u32,
    /// Dominant font size of the region's text, in points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub font_size: Option<f32>,
    /// Number of text lines in the region.
    #[serde(default)]
    pub lines: u32,
    /// For a caption: the id of the table, figure or flowchart region it describes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption_of: Option<String>,
    /// For a figure or flowchart drawn as a picture: what the figure classifier sees in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub figure_type: Option<FigureType>,
}

/// The figure classifier's verdict on a picture.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FigureType {
    pub class: FigureClass,
    pub probability: f32,
}

/// What a figure shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FigureClass {
    Flowchart,
    Chart,
    Table,
    Other,
}

/// The contract's region kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RegionKind {
    Title,
    Heading,
    Text,
    List,
    Table,
    Flowchart,
    Figure,
    Caption,
    Header,
    Footer,
    Footnote,
    Equation,
    Reference,
}

impl RegionKind {
    /// The contract's name for the kind.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Title => "title",
            Self::Heading => "heading",
            Self::Text => "text",
            Self::List => "list",
            Self::Table => "table",
            Self::Flowchart => "flowchart",
            Self::Figure => "figure",
            Self::Caption => "caption",
            Self::Header => "header",
            Self::Footer => "footer",
            Self::Footnote => "footnote",
            Self::Equation => "equation",
            Self::Reference => "reference",
        }
    }

    /// Running page furniture, read after the body.
    pub fn is_furniture(self) -> bool {
        matches!(self, Self::Header | Self::Footer)
    }
}

/// What produced a region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RegionSource {
    Model,
    Vector,
    Ocr,
    Heuristic,
    /// The value of a filled form field (an AcroForm widget), not the page's content.
    #[serde(rename = "form_field")]
    FormField,
    /// The text of a free-text annotation or a note.
    Annotation,
}

/// One table piece on one page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub id: String,
    pub page: u32,
    pub bbox: BBox,
    pub caption: Option<String>,
    /// Id of the table piece on an earlier page that this piece continues.
    pub continues: Option<String>,
    /// The page region the table fills.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    pub n_rows: u32,
    pub n_cols: u32,
    pub cells: Vec<Cell>,
}

/// One cell; cells covered by a spanning cell are not listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    pub row: u32,
    pub col: u32,
    pub row_span: u32,
    pub col_span: u32,
    pub text: String,
    pub header: bool,
    pub bbox: BBox,
}

/// A flowchart recovered as a directed graph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flowchart {
    pub id: String,
    pub page: u32,
    pub bbox: BBox,
    pub caption: Option<String>,
    pub raster: bool,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// The id of the page region the flowchart fills.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// A flowchart step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub id: String,
    pub text: String,
    pub shape: NodeShape,
    pub bbox: BBox,
}

/// The contract's node shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NodeShape {
    Process,
    Decision,
    Terminal,
    Data,
    Connector,
    Note,
    Other,
}

/// A directed flowchart edge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Edge {
    pub source: String,
    pub target: String,
    pub label: Option<String>,
}

/// A recommendation and its grading, read to the vocabulary of docs/triples.md.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    /// Stable within a document: `rec1`, `rec2`, … in page order.
    pub id: String,
    pub page: u32,
    pub bbox: BBox,
    /// What is recommended, as written.
    pub statement: String,
    /// The grading as printed after a statement in the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grading: Option<String>,
    /// The statement's number as printed: "共识 1", "Recommendation 3".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notation: Option<String>,
    /// The table and its 0-based row, for a graded table row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<u32>,
    /// The page region it was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    pub grades: Vec<Grade>,
}

/// One grading of a recommendation: `recommendationClass` → `cor-IIa`, read from "2a".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grade {
    /// The vocabulary property: `recommendationClass`, `recommendationStrength`,
    /// `recommendationGrade`, `evidenceLevel` or `evidenceCertainty`.
    pub property: String,
    /// The concept's local name in the vocabulary: `cor-I`, `strength-weak`, `loe-B-NR`.
    pub concept: String,
    /// The text it was read from.
    pub text: String,
}

/// How many triples the document yields and in which formats they are served.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TriplesSummary {
    pub count: u64,
    pub formats: Vec<String>,
}

/// Something that went wrong without sinking the document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Warning {
    pub page: Option<u32>,
    pub code: WarningCode,
    pub message: String,
}

/// Machine-readable warning classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningCode {
    /// A page could not be loaded or read; the other pages are still extracted.
    PageFailed,
    /// The page's text layer looks broken (missing ToUnicode, private-use glyphs).
    TextLayerUnreliable,
    /// The page has no text layer at all (likely a scan).
    NoTextLayer,
    /// The document ended early; what could be recovered was extracted.
    Truncated,
    /// The time limit ran out; the remaining pages were not extracted.
    TimeLimit,
    /// A requested page does not exist.
    PageOutOfRange,
    /// The layout model failed on the page; its regions come from the text layer alone.
    LayoutFailed,
    /// The page needed OCR and the engine failed (or none was configured); it has no text.
    OcrFailed,
    /// The page is too large to render at the OCR resolution within the pixel budget; it was
    /// read at a lower one.
    RenderReduced,
}
