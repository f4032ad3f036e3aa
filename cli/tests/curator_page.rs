//! The curator page in a real headless Chromium (Debian's), driven over the DevTools protocol,
//! against the real `clinex serve` with its workers: sign in, upload a generated guideline with
//! tables and a flowchart, wait until it is read, open it, correct a table cell and a
//! flowchart edge's label, save, then download the table's CSV and the triples and find both
//! corrections in them. Every step leaves a screenshot in `target/test-artefacts/curator-page/`.

mod common;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clinex_tests::corpus_dir;
use common::*;
use headless_chrome::protocol::cdp::Browser::{SetDownloadBehavior, SetDownloadBehaviorBehaviorOption};
use headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption;
use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::{Browser, LaunchOptions, Tab};

const CELL_TEXT: &str = "Give 0.5 mg adrenaline IM first (curated)";
const EDGE_LABEL: &str = "Yes, confirmed";

/// Debian's Chromium (`scripts/setup.sh` installs it), or `CLINEX_CHROMIUM`.
fn chromium() -> PathBuf {
    let path = std::env::var_os("CLINEX_CHROMIUM").map(PathBuf::from).unwrap_or_else(|| "/usr/bin/chromium".into());
    assert!(path.is_file(), "{} is missing: run `make setup` (it installs Debian's chromium)", path.display());
    path
}

fn artefacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/test-artefacts/curator-page");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

struct Page {
    tab: Arc<Tab>,
    shots: PathBuf,
}

impl Page {
    fn eval(&self, js: &str) -> serde_json::Value {
        let result = self.tab.evaluate(js, true).unwrap_or_else(|e| panic!("{js}: {e}"));
        result.value.unwrap_or(serde_json::Value::Null)
    }

    /// Waits until `js` is true in the page.
    fn until(&self, what: &str, js: &str, limit: Duration) {
        let started = Instant::now();
        while self.eval(js) != serde_json::Value::Bool(true) {
            if started.elapsed() > limit {
                self.shot("failed");
                panic!("{what}: not within {} s", limit.as_secs());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Clicks the element; found again if the page redrew it in between (lists refresh).
    fn click(&self, selector: &str) {
        for attempt in 0.. {
            let element = self.tab.wait_for_element(selector).unwrap_or_else(|e| panic!("{selector}: {e}"));
            match element.click() {
                Ok(_) => return,
                Err(e) if attempt < 10 => eprintln!("{selector}: {e}, again"),
                Err(e) => panic!("{selector}: {e}"),
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Replaces the text of the field or cell at `selector` by typing, as a curator would.
    fn retype(&self, selector: &str, text: &str, then: &str) {
        self.click(selector);
        self.eval(&format!(
            "(() => {{ const e = document.querySelector({selector:?}); e.focus(); \
             if (e.select) e.select(); else document.execCommand('selectAll'); return true; }})()"
        ));
        self.tab.type_str(text).unwrap();
        self.tab.press_key(then).unwrap();
    }

    fn shot(&self, name: &str) {
        let png = self.tab.capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true).unwrap();
        std::fs::write(self.shots.join(format!("{name}.png")), png).unwrap();
    }
}

/// The content of the download the page started whose file name ends with `suffix`, as the
/// browser received it (from the `data:` URL the page hands it; headless Chromium, offline,
/// never finishes writing a download to disk: it waits for a Safe Browsing verdict). Kept in
/// the artefacts folder.
fn downloaded(started: &Mutex<Vec<(String, String)>>, suffix: &str, keep: &Path) -> String {
    use base64::Engine;
    let since = Instant::now();
    loop {
        let found = started.lock().unwrap().iter().find(|(name, _)| name.ends_with(suffix)).cloned();
        if let Some((name, url)) = found {
            let (head, data) = url.split_once(',').expect("a data: URL");
            assert!(head.starts_with("data:") && head.ends_with(";base64"), "{head}");
            let bytes = base64::engine::general_purpose::STANDARD.decode(data).unwrap();
            std::fs::write(keep.join(&name), &bytes).unwrap();
            return String::from_utf8(bytes).unwrap();
        }
        assert!(since.elapsed() < Duration::from_secs(20), "no download ending {suffix}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_curator_corrects_a_table_and_a_flowchart_and_the_exports_follow() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), 1);
    let shots = artefacts();
    let downloads = shots.join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let browser = Browser::new(LaunchOptions {
        headless: true,
        sandbox: false,
        path: Some(chromium()),
        window_size: Some((1440, 1000)),
        idle_browser_timeout: Duration::from_secs(300),
        ..LaunchOptions::default()
    })
    .expect("Chromium starts");
    let tab = browser.new_tab().unwrap();
    tab.set_default_timeout(Duration::from_secs(30));
    tab.call_method(SetDownloadBehavior {
        behavior: SetDownloadBehaviorBehaviorOption::Allow,
        browser_context_id: None,
        download_path: Some(downloads.display().to_string()),
        events_enabled: Some(true),
    })
    .unwrap();
    let started_downloads: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let seen = started_downloads.clone();
    tab.add_event_listener(Arc::new(move |event: &Event| {
        if let Event::BrowserDownloadWillBegin(e) = event {
            seen.lock().unwrap().push((e.params.suggested_filename.clone(), e.params.url.clone()));
        }
    }))
    .unwrap();
    let page = Page { tab, shots: shots.clone() };

    // Sign in: a wrong key is refused, the curator's key is kept for the tab.
    page.tab.navigate_to(&server.base).unwrap().wait_until_navigated().unwrap();
    page.until("the sign-in form", "!document.querySelector('#sign-in').hidden", Duration::from_secs(10));
    page.retype("#key", "not-a-key-0000000000000", "Enter");
    page.until(
        "the refusal",
        "document.querySelector('#sign-in-error').textContent.includes('not valid')",
        Duration::from_secs(10),
    );
    page.shot("01-sign-in-refused");
    page.retype("#key", CURATOR, "Enter");
    page.until("the documents", "!document.querySelector('#documents').hidden", Duration::from_secs(10));

    // Upload through the file picker, then watch it being read.
    let guideline = corpus_dir().join("en_guideline.pdf");
    page.tab.wait_for_element("#files").unwrap().set_input_files(&[guideline.to_str().unwrap()]).unwrap();
    page.until(
        "the upload accepted",
        "document.querySelector('#uploads').textContent.includes('accepted')",
        Duration::from_secs(20),
    );
    page.until(
        "the document read",
        "[...document.querySelectorAll('#document-list .status')].some(s => s.textContent === 'done')",
        Duration::from_secs(240),
    );
    page.shot("02-documents");
    page.retype("#search", "no such guideline", "Tab");
    page.until(
        "search finds nothing",
        "document.querySelectorAll('#document-list tr.doc').length === 0",
        Duration::from_secs(10),
    );
    page.retype("#search", "anaphylaxis", "Tab");
    page.until(
        "search finds it by title",
        "document.querySelectorAll('#document-list tr.doc').length === 1",
        Duration::from_secs(10),
    );

    // Open it: the first page with its regions.
    page.click("#document-list tr.doc");
    page.until(
        "the page picture",
        "(() => { const i = document.querySelector('#page-image'); return !!i.src && i.complete && i.naturalWidth > 0 \
         && document.querySelectorAll('#overlay .region').length > 0; })()",
        Duration::from_secs(20),
    );
    page.until("the opening timed", "Clinex.timings.open_ms !== null", Duration::from_secs(5));
    eprintln!("document view open in {} ms", page.eval("Clinex.timings.open_ms"));
    page.shot("03-document");
    page.tab.press_key("ArrowRight").unwrap();
    page.until("page 2 by keyboard", "document.querySelector('#page-number').value === '2'", Duration::from_secs(5));
    page.tab.press_key("ArrowLeft").unwrap();

    // The table: edit the first recommendation's text.
    page.click("[data-tab=tables]");
    page.until("the table grid", "!!document.querySelector('#table-grid td')", Duration::from_secs(10));
    // The first body cell (the header may span rows).
    let at = page.eval("(() => { const td = document.querySelector('#table-grid td'); return `${td.dataset.row},${td.dataset.col}`; })()");
    let (row, col) = at.as_str().unwrap().split_once(',').unwrap();
    let cell = format!("#table-grid [data-row='{row}'][data-col='{col}']");
    page.retype(&cell, CELL_TEXT, "Enter");
    page.until(
        "the cell corrected in the preview",
        &format!("document.querySelector({cell:?}).textContent === {CELL_TEXT:?}"),
        Duration::from_secs(10),
    );
    page.until("one correction pending", "!document.querySelector('#pending').hidden", Duration::from_secs(5));
    page.shot("04-table-corrected");

    // The flowchart: relabel the first Yes branch.
    page.click("[data-tab=flowcharts]");
    page.until("the drawn graph", "document.querySelectorAll('svg .node').length > 2", Duration::from_secs(10));
    let edge = page.eval("(() => { const i = [...document.querySelectorAll('[data-edge]')].find(i => i.value === 'Yes'); return i ? i.dataset.edge : null; })()");
    let edge = edge.as_str().expect("an edge labelled Yes").to_string();
    page.eval(&format!(
        "document.querySelector('svg [data-node=\"{}\"]').dispatchEvent(new MouseEvent('mouseenter'))",
        edge.split('>').next().unwrap()
    ));
    page.shot("05-flowchart-hover");
    page.retype(&format!("[data-edge='{edge}']"), EDGE_LABEL, "Tab");
    page.until(
        "the label in the drawing",
        &format!("[...document.querySelectorAll('svg .edge-label')].some(t => t.textContent === {EDGE_LABEL:?})"),
        Duration::from_secs(10),
    );
    page.shot("06-flowchart-corrected");

    // Save as version 2.
    page.retype("#pending-note", "checked against the guideline", "Tab");
    page.click("#save");
    page.until(
        "saved",
        "document.querySelector('#message').textContent.startsWith('Saved as version 2')",
        Duration::from_secs(10),
    );
    page.click("[data-tab=versions]");
    page.until("the versions", "document.querySelectorAll('.version').length === 2", Duration::from_secs(10));
    page.shot("07-versions");

    // Downloads: the CSV and the triples carry both corrections.
    page.click("[data-tab=tables]");
    page.until("the table again", "!!document.querySelector('#table-grid td')", Duration::from_secs(10));
    page.eval("[...document.querySelectorAll('.downloads button')].find(b => b.textContent === 'CSV').click()");
    let csv = downloaded(&started_downloads, ".csv", &downloads);
    assert!(csv.contains(CELL_TEXT), "{csv}");
    page.click("[data-tab=triples]");
    page.until("the triples", "document.querySelectorAll('.subject').length > 5", Duration::from_secs(20));
    page.shot("08-triples");
    page.eval("[...document.querySelectorAll('.downloads button')].find(b => b.textContent === 'N-Quads').click()");
    let nquads = downloaded(&started_downloads, ".nq", &downloads);
    assert!(nquads.contains(CELL_TEXT), "the corrected cell is in the triples");
    assert!(nquads.contains(EDGE_LABEL), "the corrected label is in the triples");
    let id = page.eval("Clinex.S.doc.id");
    let feed = server.json("/v1/graph/changes?after=0", LOADER);
    let last = feed["changes"].as_array().unwrap().last().unwrap().clone();
    assert_eq!((last["document"].clone(), last["version"].as_u64()), (id, Some(2)), "the loader's feed follows");
}
