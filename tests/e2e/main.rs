//! End-to-end tests over real PDFium: the generated corpus against its ground truth and goldens,
//! bad input, and every real document in `../shared/data/clinical`.

mod bad_input;
mod clinical;
mod corpus;
mod flowcharts;
mod layout;
mod ocr;
mod stages;
mod tables;
mod triples;
