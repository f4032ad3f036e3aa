//! How fast the curator page opens a long guideline: the real `clinex serve` with one worker
//! reads the 61-page RCUK anaphylaxis guideline, then Debian's headless Chromium opens its
//! document view five times (a fresh tab each time) and turns ten pages. Prints the time from
//! asking for the document to its first page drawn with its regions, and from a page turn
//! (→) to that page's picture drawn, both as the page itself measures them.
//!
//!     cargo bench -p clinex-cli --bench curator_page     (or `make bench-web`)

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::*;
use headless_chrome::{Browser, LaunchOptions};

fn main() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), 1);
    let guideline = read(&rcuk_guideline());
    let (status, doc) = server.upload(&guideline, "emergency-treatment-anaphylaxis-2021.pdf", CURATOR);
    assert!(status == 202 || status == 200, "{status} {doc}");
    let id = doc["id"].as_str().unwrap().to_string();
    let read_started = Instant::now();
    let done = server.settled(&id);
    assert_eq!(done["status"], "done", "{done}");
    println!("extracted {} pages in {:.1} s", done["pages_done"], read_started.elapsed().as_secs_f64());

    let chromium = std::env::var("CLINEX_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let browser = Browser::new(LaunchOptions {
        headless: true,
        sandbox: false,
        path: Some(chromium.into()),
        window_size: Some((1440, 1000)),
        ..LaunchOptions::default()
    })
    .expect("Chromium starts");
    let eval = |tab: &headless_chrome::Tab, js: &str| tab.evaluate(js, true).unwrap().value.unwrap_or_default();
    let until = |tab: &headless_chrome::Tab, js: &str| {
        let started = Instant::now();
        while eval(tab, js) != serde_json::Value::Bool(true) {
            assert!(started.elapsed() < Duration::from_secs(30), "{js}");
            std::thread::sleep(Duration::from_millis(5));
        }
    };
    let drawn = "(() => { const i = document.querySelector('#page-image'); return !!i.src && i.complete \
                 && i.naturalWidth > 0 && document.querySelectorAll('#overlay .region').length > 0; })()";
    let mut opens = Vec::new();
    let mut turns = Vec::new();
    for run in 0..5 {
        let tab = browser.new_tab().unwrap();
        tab.navigate_to(&format!("{}/#/", server.base)).unwrap().wait_until_navigated().unwrap();
        eval(&tab, &format!("sessionStorage.setItem('clinex-key', {CURATOR:?}); true"));
        tab.navigate_to(&format!("{}/?run={run}#/doc/{id}/1", server.base)).unwrap().wait_until_navigated().unwrap();
        until(&tab, drawn);
        until(&tab, "Clinex.timings.open_ms !== null");
        opens.push(eval(&tab, "Clinex.timings.open_ms").as_f64().unwrap());
        for n in 2..=11 {
            tab.press_key("ArrowRight").unwrap();
            until(
                &tab,
                &format!("document.querySelector('#page-number').value === '{n}' && Clinex.timings.turn_ms !== null"),
            );
            turns.push(eval(&tab, "Clinex.timings.turn_ms").as_f64().unwrap());
        }
        tab.close(true).unwrap();
    }
    opens.sort_by(f64::total_cmp);
    turns.sort_by(f64::total_cmp);
    let median = |v: &[f64]| v[v.len() / 2];
    println!(
        "document view of a {}-page guideline: open median {:.0} ms, worst {:.0} ms (5 opens); page turn median {:.0} ms, worst {:.0} ms (50 turns)",
        done["pages_done"],
        median(&opens),
        opens.last().unwrap(),
        median(&turns),
        turns.last().unwrap()
    );
}
