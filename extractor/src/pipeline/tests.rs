//! The whole pipeline on documents built in code, with fake engines: no PDFium, no models, no
//! OCR engine; each test runs in milliseconds.

use std::time::Duration;

use super::*;
use crate::geometry::BBox;
use crate::layout::{LayoutError, LayoutLabel};
use crate::model::{RegionKind, RegionSource};
use crate::pdf::OpenError;
use crate::tables::StructureCell;
use crate::testing::{FakeLayout, FakeOcr, FakePage, FakePdf, FakeTableStructure, PageBuilder, detection};

const A4: (f32, f32) = (595.0, 842.0);

/// A page of body text: a paragraph of `lines` lines at 10 pt from `top`.
fn prose(mut page: PageBuilder, top: f32, lines: usize) -> PageBuilder {
    for k in 0..lines {
        page = page.text("the dose is given once a day with food and water", 72.0, top + 13.0 * k as f32, 10.0);
    }
    page
}

/// A ruled table of 3 rows and 2 columns at the top left of the page: drug and dose.
fn ruled_table(page: PageBuilder) -> PageBuilder {
    let (rows, cols) = ([100.0, 120.0, 140.0, 160.0], [72.0, 200.0, 320.0]);
    let cells = [("Drug", "Dose"), ("Aspirin", "75 mg"), ("Heparin", "5000 IU")];
    let mut page = page.grid(&rows, &cols);
    for (k, (drug, dose)) in cells.iter().enumerate() {
        let baseline = rows[k] + 14.0;
        page = page.text(drug, cols[0] + 4.0, baseline, 10.0).text(dose, cols[1] + 4.0, baseline, 10.0);
    }
    page
}

fn text_of(doc: &Extraction) -> String {
    doc.pages.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join("\n")
}

#[test]
fn a_document_built_in_code_goes_through_every_stage() {
    let first = prose(PageBuilder::new(A4.0, A4.1).text("Management of chest pain", 72.0, 80.0, 20.0), 120.0, 6);
    let second = prose(ruled_table(PageBuilder::new(A4.0, A4.1)), 300.0, 4);
    let pdf = FakePdf::of(vec![first.build(), second.build()]);
    let table_box = BBox::new(72.0, 100.0, 320.0, 160.0);
    let layout = FakeLayout::finding(A4, vec![vec![], vec![detection(LayoutLabel::Table, table_box)]]);
    let engines = Engines { layout: Some(&layout), ..Engines::text_only(&pdf) };
    let options = Options { filename: Some("chest-pain.pdf".into()), ..Options::default() };
    let doc = extract_with(FakePdf::BYTES, &options, engines).unwrap();

    assert_eq!(doc.source.pages, 2);
    assert_eq!(doc.source.title.as_deref(), Some("Management of chest pain"));
    assert_eq!(doc.source.title_source.as_deref(), Some("layout"));
    assert_eq!(doc.source.layout_model.as_deref(), Some("fake-layout"));
    let kinds: Vec<RegionKind> = doc.pages[1].regions.iter().map(|r| r.kind).collect();
    assert!(kinds.contains(&RegionKind::Table), "{kinds:?}");
    assert_eq!(doc.tables.len(), 1, "{:?}", doc.tables);
    let table = &doc.tables[0];
    assert_eq!((table.page, table.n_rows, table.n_cols), (2, 3, 2));
    let cell = |row, col| table.cells.iter().find(|c| c.row == row && c.col == col).map(|c| c.text.as_str());
    assert_eq!((cell(0, 0), cell(0, 1)), (Some("Drug"), Some("Dose")));
    assert_eq!((cell(2, 0), cell(2, 1)), (Some("Heparin"), Some("5000 IU")));
    assert!(table.cells.iter().filter(|c| c.row == 0).all(|c| c.header), "the ruled first row is the header");
    assert!(doc.triples.as_ref().is_some_and(|t| t.count > 0));
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
}

#[test]
fn progress_is_told_page_by_page() {
    let good = || FakePage::Page(prose(PageBuilder::new(A4.0, A4.1), 100.0, 3).build());
    let pdf = FakePdf { pages: vec![good(), FakePage::Fails("bad xref".into()), good()], ..FakePdf::default() };
    let mut seen = Vec::new();
    let doc = extract_observed(FakePdf::BYTES, &Options::default(), Engines::text_only(&pdf), &mut |p| {
        seen.push((p.pages_done, p.pages_total))
    })
    .unwrap();
    assert_eq!(seen, [(0, 3), (1, 3), (2, 3), (3, 3)], "a failed page counts as done");
    assert_eq!((doc.pages.len(), doc.pages_read()), (3, 2));
}

#[test]
fn one_bad_page_never_sinks_the_document() {
    let good = || FakePage::Page(prose(PageBuilder::new(A4.0, A4.1), 100.0, 3).build());
    let pdf = FakePdf {
        pages: vec![good(), FakePage::Fails("bad xref".into()), FakePage::Panics, good()],
        ..FakePdf::default()
    };
    let doc = extract(FakePdf::BYTES, &Options::default(), &pdf).unwrap();
    // Every page keeps its place: the two that failed are there, empty, marked and sized like
    // their neighbours (the fake backend knows no sizes of its own).
    let unread: Vec<(u32, Option<WarningCode>, f32)> =
        doc.pages.iter().map(|p| (p.number, p.unread, p.width)).collect();
    let failed = Some(WarningCode::PageFailed);
    assert_eq!(unread, [(1, None, A4.0), (2, failed, A4.0), (3, failed, A4.0), (4, None, A4.0)]);
    assert!(doc.pages[1].regions.is_empty() && doc.pages[1].text.is_empty());
    let failed: Vec<(Option<u32>, &str)> = doc
        .warnings
        .iter()
        .filter(|w| w.code == WarningCode::PageFailed)
        .map(|w| (w.page, w.message.as_str()))
        .collect();
    assert_eq!(failed, [(Some(2), "bad xref"), (Some(3), "internal error while reading the page")]);
}

#[test]
fn a_document_whose_every_page_fails_is_an_error() {
    let pdf = FakePdf { pages: vec![FakePage::Fails("no page tree".into()); 2], ..FakePdf::default() };
    match extract(FakePdf::BYTES, &Options::default(), &pdf) {
        Err(ExtractError::AllPagesFailed { failed: 2, first_error }) => assert_eq!(first_error, "no page tree"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn documents_that_cannot_be_opened_are_typed_errors() {
    let page = || vec![prose(PageBuilder::new(A4.0, A4.1), 100.0, 2).build()];
    let locked = FakePdf { password: Some("s3cret".into()), ..FakePdf::of(page()) };
    let with = |password: Option<&str>| Options { password: password.map(String::from), ..Options::default() };
    assert!(matches!(
        extract(FakePdf::BYTES, &with(None), &locked),
        Err(ExtractError::Encrypted { password_given: false })
    ));
    assert!(matches!(
        extract(FakePdf::BYTES, &with(Some("guess")), &locked),
        Err(ExtractError::Encrypted { password_given: true })
    ));
    assert_eq!(extract(FakePdf::BYTES, &with(Some("s3cret")), &locked).unwrap().pages.len(), 1);
    let damaged = FakePdf { open_error: Some(OpenError::Format("bad trailer".into())), ..FakePdf::default() };
    assert!(matches!(extract(FakePdf::BYTES, &Options::default(), &damaged), Err(ExtractError::Corrupt { .. })));
    let cut = b"%PDF-1.7\n1 0 obj";
    match extract(cut, &Options::default(), &FakePdf::of(page())) {
        Ok(doc) => assert_eq!(doc.warnings[0].code, WarningCode::Truncated),
        other => panic!("a truncated file is read as far as it goes: {other:?}"),
    }
    assert!(matches!(extract(cut, &Options::default(), &FakePdf::default()), Err(ExtractError::Corrupt { .. })));
    assert!(matches!(extract(FakePdf::BYTES, &Options::default(), &FakePdf::default()), Err(ExtractError::NoPages)));
}

#[test]
fn pages_can_be_chosen_and_missing_ones_are_warnings() {
    let pages = (0..3).map(|_| prose(PageBuilder::new(A4.0, A4.1), 100.0, 2).build()).collect();
    let pdf = FakePdf::of(pages);
    let options = Options { pages: Some("2,5".parse().unwrap()), ..Options::default() };
    let doc = extract(FakePdf::BYTES, &options, &pdf).unwrap();
    assert_eq!(doc.pages.iter().map(|p| p.number).collect::<Vec<_>>(), [2]);
    assert_eq!(
        doc.warnings.iter().map(|w| (w.code, w.page)).collect::<Vec<_>>(),
        [(WarningCode::PageOutOfRange, Some(5))]
    );
    let none = Options { pages: Some("7".parse().unwrap()), ..Options::default() };
    assert!(matches!(extract(FakePdf::BYTES, &none, &pdf), Err(ExtractError::PagesOutOfRange { pages: 3 })));
}

#[test]
fn the_time_limit_keeps_what_was_done() {
    let pdf = FakePdf::of(vec![prose(PageBuilder::new(A4.0, A4.1), 100.0, 2).build(); 3]);
    let options = Options { time_limit: Some(Duration::ZERO), ..Options::default() };
    match extract(FakePdf::BYTES, &options, &pdf) {
        Err(ExtractError::TimeLimit { done, total: 3, partial, .. }) => {
            assert_eq!(done as usize, partial.pages_read());
            let skipped = partial.warnings.iter().filter(|w| w.code == WarningCode::TimeLimit).count();
            assert_eq!(skipped + partial.pages_read(), 3);
            assert_eq!(partial.pages.len(), 3, "pages not reached are listed, marked");
            let marked = partial.pages.iter().filter(|p| p.unread == Some(WarningCode::TimeLimit)).count();
            assert_eq!(marked, skipped);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_scanned_page_is_read_by_ocr_and_says_so() {
    let scan = PageBuilder::new(A4.0, A4.1).image(BBox::new(0.0, 0.0, A4.0, A4.1)).build();
    let pdf = FakePdf::of(vec![scan]);
    let words = [
        ("Give", BBox::new(72.0, 100.0, 96.0, 110.0)),
        ("aspirin", BBox::new(100.0, 100.0, 135.0, 110.0)),
        ("daily", BBox::new(72.0, 114.0, 96.0, 124.0)),
    ];
    let ocr = FakeOcr::reading(&words);
    let engines = Engines { ocr: Some(&ocr), ..Engines::text_only(&pdf) };
    let doc = extract_with(FakePdf::BYTES, &Options::default(), engines).unwrap();
    let page = &doc.pages[0];
    assert!(page.scanned);
    assert_eq!(crate::testing::fixtures::squash(&page.text), "Give aspirin daily");
    assert!(page.regions.iter().all(|r| r.source == RegionSource::Ocr), "{:?}", page.regions);

    // Without an engine the page stays empty and says why.
    let doc = extract(FakePdf::BYTES, &Options::default(), &pdf).unwrap();
    assert!(!doc.pages[0].scanned && doc.pages[0].text.is_empty());
    assert!(doc.warnings.iter().any(|w| w.code == WarningCode::OcrFailed && w.page == Some(1)), "{:?}", doc.warnings);

    // An engine that fails: the same, with the engine's words.
    let broken = FakeOcr { fails: Some("engine crashed".into()), ..FakeOcr::default() };
    let engines = Engines { ocr: Some(&broken), ..Engines::text_only(&pdf) };
    let doc = extract_with(FakePdf::BYTES, &Options::default(), engines).unwrap();
    assert!(doc.warnings.iter().any(|w| w.code == WarningCode::OcrFailed && w.message.contains("engine crashed")));
}

#[test]
fn a_failing_layout_model_leaves_the_text_layer_regions() {
    let pdf = FakePdf::of(vec![prose(PageBuilder::new(A4.0, A4.1), 100.0, 3).build()]);
    let layout = FakeLayout::answering(A4, vec![Err(LayoutError("out of memory".into()))]);
    let engines = Engines { layout: Some(&layout), ..Engines::text_only(&pdf) };
    let doc = extract_with(FakePdf::BYTES, &Options::default(), engines).unwrap();
    assert!(doc.warnings.iter().any(|w| w.code == WarningCode::LayoutFailed && w.message.contains("out of memory")));
    let kinds: Vec<RegionKind> = doc.pages[0].regions.iter().map(|r| r.kind).collect();
    assert_eq!(kinds, [RegionKind::Text]);
    assert!(doc.pages[0].regions.iter().all(|r| r.source == RegionSource::Heuristic));
}

#[test]
fn a_table_drawn_as_a_picture_takes_the_structure_models_cells() {
    // A picture of a table with its text laid over it (an OCR layer), two rows of two cells.
    let area = BBox::new(100.0, 100.0, 300.0, 140.0);
    let page = PageBuilder::new(A4.0, A4.1)
        .image(area)
        .text("Drug", 104.0, 114.0, 10.0)
        .text("Dose", 204.0, 114.0, 10.0)
        .text("Aspirin", 104.0, 134.0, 10.0)
        .text("75 mg", 204.0, 134.0, 10.0)
        .build();
    let pdf = FakePdf::of(vec![page]);
    let layout = FakeLayout::finding(A4, vec![vec![detection(LayoutLabel::Table, area)]]);
    // Cells in the crop's pixels: the fake renders pages at one pixel per point.
    let cell = |row, col, bbox| StructureCell { row, col, row_span: 1, col_span: 1, header: row == 0, bbox };
    let structure = FakeTableStructure {
        cells: vec![
            cell(0, 0, [0.0, 0.0, 100.0, 20.0]),
            cell(0, 1, [100.0, 0.0, 200.0, 20.0]),
            cell(1, 0, [0.0, 20.0, 100.0, 40.0]),
            cell(1, 1, [100.0, 20.0, 200.0, 40.0]),
        ],
    };
    let engines = Engines { layout: Some(&layout), tables: Some(&structure), ..Engines::text_only(&pdf) };
    let doc = extract_with(FakePdf::BYTES, &Options::default(), engines).unwrap();
    assert_eq!(doc.tables.len(), 1, "{:?}", doc.pages[0].regions);
    let texts: Vec<(u32, u32, &str, bool)> =
        doc.tables[0].cells.iter().map(|c| (c.row, c.col, c.text.as_str(), c.header)).collect();
    assert_eq!(texts, [(0, 0, "Drug", true), (0, 1, "Dose", true), (1, 0, "Aspirin", false), (1, 1, "75 mg", false)]);
    assert_eq!(text_of(&doc).matches("Aspirin").count(), 1, "the table's text is the table region's, once");
}

#[test]
fn a_flowchart_drawn_in_vectors_becomes_a_graph() {
    // Three boxes in a column, each joined to the next by a line ending in an arrowhead.
    let steps = ["Assess the patient", "Give aspirin", "Refer to cardiology"];
    let mut page = prose(PageBuilder::new(A4.0, A4.1), 400.0, 3);
    for (k, step) in steps.iter().enumerate() {
        let top = 100.0 + 70.0 * k as f32;
        page = page.rect(BBox::new(200.0, top, 400.0, top + 30.0)).text(step, 210.0, top + 19.0, 10.0);
        if k > 0 {
            page = page.line((300.0, top - 40.0), (300.0, top - 1.0)).arrow_down((300.0, top));
        }
    }
    let pdf = FakePdf::of(vec![page.build()]);
    let doc = extract(FakePdf::BYTES, &Options::default(), &pdf).unwrap();
    assert_eq!(doc.flowcharts.len(), 1, "{:?}", doc.pages[0].regions);
    let chart = &doc.flowcharts[0];
    let texts: Vec<&str> = chart.nodes.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(texts, steps);
    let edges: Vec<(&str, &str)> = chart.edges.iter().map(|e| (e.source.as_str(), e.target.as_str())).collect();
    assert_eq!(edges, [("n1", "n2"), ("n2", "n3")]);
    assert!(!chart.raster);
    let region = doc.pages[0].regions.iter().find(|r| Some(&r.id) == chart.region.as_ref()).unwrap();
    assert_eq!((region.kind, region.source), (RegionKind::Flowchart, RegionSource::Vector));
}

#[test]
fn pictures_are_typed_and_flowchart_pictures_are_read_by_ocr() {
    // A born-digital page with a chart picture and a flowchart picture, neither with text over it.
    let (chart, flow) = (BBox::new(72.0, 100.0, 300.0, 250.0), BBox::new(72.0, 400.0, 500.0, 600.0));
    let page = prose(PageBuilder::new(A4.0, A4.1).image(chart).image(flow), 650.0, 3).build();
    let pdf = FakePdf::of(vec![page]);
    let layout = FakeLayout::finding(
        A4,
        vec![vec![detection(LayoutLabel::Figure, chart), detection(LayoutLabel::Flowchart, flow)]],
    );
    let classifier = crate::testing::FakeFigureClassifier(crate::layout::FigureClass::Chart, 0.8);
    // OCR answers in the crop's pixels as if it were the page: words near its top left.
    let ocr = FakeOcr::reading(&[("Triage", BBox::new(10.0, 10.0, 60.0, 22.0))]);
    let engines =
        Engines { layout: Some(&layout), figures: Some(&classifier), ocr: Some(&ocr), ..Engines::text_only(&pdf) };
    let doc = extract_with(FakePdf::BYTES, &Options::default(), engines).unwrap();
    let regions = &doc.pages[0].regions;
    let figure = regions.iter().find(|r| r.kind == RegionKind::Figure).expect("the chart stays a figure");
    let typed = figure.figure_type.expect("the classifier's verdict is kept");
    assert_eq!((typed.class, typed.probability), (crate::layout::FigureClass::Chart, 0.8));
    let chart_region = regions.iter().find(|r| r.kind == RegionKind::Flowchart).expect("the flowchart picture");
    assert_eq!(chart_region.text, "Triage", "the picture's words, read by OCR, are the region's text");
    assert!(doc.flowcharts[0].raster);
}

#[test]
fn odd_numbers_in_a_page_never_cost_the_page() {
    // NaN and infinite coordinates, as a broken content stream can give them: in glyphs, in
    // rules around a detected table, in the drawing of a flowchart.
    let (nan, inf) = (f32::NAN, f32::INFINITY);
    let mut page = ruled_table(prose(PageBuilder::new(A4.0, A4.1), 300.0, 3))
        .line((nan, 110.0), (320.0, 110.0))
        .line((100.0, nan), (100.0, inf))
        .rect(BBox::new(nan, 500.0, 300.0, 530.0))
        .text("Drug", nan, 700.0, 10.0)
        .build();
    page.chars.extend(crate::testing::glyph_run("dose", (inf, 720.0), 5.0, 5.0, 10.0));
    let pdf = FakePdf::of(vec![page]);
    let layout = FakeLayout::finding(
        A4,
        vec![vec![
            detection(LayoutLabel::Table, BBox::new(72.0, 100.0, 320.0, 160.0)),
            detection(LayoutLabel::Flowchart, BBox::new(60.0, 480.0, 320.0, 560.0)),
        ]],
    );
    let engines = Engines { layout: Some(&layout), ..Engines::text_only(&pdf) };
    let doc = extract_with(FakePdf::BYTES, &Options::default(), engines).unwrap();
    assert!(doc.warnings.iter().all(|w| w.code != WarningCode::PageFailed), "{:?}", doc.warnings);
    assert_eq!(doc.tables.len(), 1);
    assert!(text_of(&doc).contains("Heparin"));
}
