//! `clinex bench PATH...`: pages/s and peak memory of `extract`, per input set.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use clinex_engines::LoadedEngines;
use extractor::{Config, extract_with};

#[derive(Args)]
pub struct BenchArgs {
    /// PDF files or folders; each argument is reported as its own set.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Passes over each set (the first also warms the file cache).
    #[arg(long, default_value_t = 3)]
    pub repeat: u32,
    /// Print one JSON object per set instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: BenchArgs, config: &Config) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let loaded = LoadedEngines::load(config)?;
    let engines = loaded.engines();
    let options = config.options();
    if !args.json {
        writeln!(
            out,
            "{:<40} {:>5} {:>6} {:>9} {:>9} {:>9} {:>9}",
            "set", "docs", "pages", "best s", "pages/s", "ms/page", "peak MiB"
        )?;
    }
    for set in &args.paths {
        let files = extractor::input::find_documents(std::slice::from_ref(set))?;
        let docs: Vec<(PathBuf, Vec<u8>)> =
            files.into_iter().filter_map(|f| std::fs::read(&f).ok().map(|b| (f, b))).collect();
        let mut best = f64::INFINITY;
        let mut pages = 0usize;
        let mut failures = 0usize;
        for _ in 0..args.repeat.max(1) {
            let t0 = Instant::now();
            pages = 0;
            failures = 0;
            for (_, bytes) in &docs {
                match extract_with(bytes, &options, engines) {
                    Ok(doc) => pages += doc.pages_read(),
                    Err(_) => failures += 1,
                }
            }
            best = best.min(t0.elapsed().as_secs_f64());
        }
        let peak = peak_rss_mib().unwrap_or(0.0);
        let name = set.display().to_string();
        let rate = pages as f64 / best.max(1e-9);
        if args.json {
            writeln!(
                out,
                "{}",
                serde_json::json!({"set": name, "docs": docs.len(), "failed": failures, "pages": pages,
                    "seconds": best, "pages_per_s": rate, "ms_per_page": 1000.0 / rate.max(1e-9), "peak_rss_mib": peak})
            )?;
        } else {
            writeln!(
                out,
                "{:<40} {:>5} {:>6} {:>9.3} {:>9.1} {:>9.2} {:>9.0}",
                tail(&name, 40),
                docs.len(),
                pages,
                best,
                rate,
                1000.0 / rate.max(1e-9),
                peak
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn tail(s: &str, n: usize) -> String {
    let count = s.chars().count();
    if count <= n { s.to_string() } else { format!("…{}", s.chars().skip(count - n + 1).collect::<String>()) }
}

/// Peak resident memory of this process in MiB (Linux `VmHWM`).
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}
