//! OCR accuracy and speed on `../shared/data/ocr`: character error rate (order-sensitive, after
//! collapsing whitespace), word error rate as a bag of words (blind to reading order, which two-
//! column pages make ambiguous), and seconds per page, for each OCR engine configuration.

use std::collections::HashMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use extractor::{Options, extract_with};

use clinex_engines::PdfiumBackend;
use extractor::Config;
use extractor::config::OcrEngineKind;

#[derive(Args)]
pub struct OcrEvalArgs {
    /// The shared evaluation data.
    #[arg(long, default_value = "../shared/data")]
    pub data: PathBuf,
    /// Where to write the report.
    #[arg(long, default_value = "eval/ocr.md")]
    pub out: PathBuf,
    /// Engine configurations to compare, comma-separated: Tesseract languages (with `@N` to
    /// read tall pages in N bands at once), `ppocr` (the default engine), or `script`
    /// (Tesseract eng, routed to PP-OCR by script).
    #[arg(long, default_value = "ppocr,eng,script,eng+chi_sim")]
    pub engines: String,
}

/// One document and what it says.
struct Sample {
    group: &'static str,
    path: PathBuf,
    truth: String,
    /// The document's bytes when they are not the file's (a rendered page).
    bytes: Option<Vec<u8>>,
}

/// Born-digital Chinese guideline pages (written by others), rendered at 300 dpi as PNG scans;
/// their text layer is the transcription.
const CHINESE_PAGES: [(&str, u32); 5] = [
    ("zh_pain/knowledge_base/raw/guidelines/癌性爆发痛专家共识2019版.pdf", 2),
    ("zh_pain/knowledge_base/raw/guidelines/中国肿瘤患者围术期疼痛管理专家共识2020版.pdf", 2),
    ("zh_pain/knowledge_base/raw/consensus/癌症相关性疼痛.pdf", 2),
    ("zh_pain/knowledge_base/raw/guidelines/阿片类药物不良反应中医诊疗专家共识.pdf", 2),
    ("zh_rehab/public/documents/脑卒中智能康复技术应用专家共识.pdf", 2),
];

/// The Chinese pages as PNG scans with their text layer as the truth.
fn chinese_pages(data: &Path, backend: &PdfiumBackend) -> anyhow::Result<Vec<Sample>> {
    use extractor::pdf::{PdfBackend, RenderSize};
    let mut out = Vec::new();
    for (file, page) in CHINESE_PAGES {
        let path = data.join("clinical").join(file);
        let pdf = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let pages = page.to_string().parse().map_err(|e| anyhow::anyhow!("page {page}: {e:?}"))?;
        let options = Options { pages: Some(pages), ..Options::default() };
        let engines = extractor::Engines::text_only(backend);
        let doc = extract_with(&pdf, &options, engines).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let truth = doc.pages.first().map(|p| p.text.clone()).unwrap_or_default();
        let opened = backend.open(&pdf, None).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let raw = opened.page(page - 1, None).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let size = RenderSize { width: (raw.width * 300.0 / 72.0) as u32, height: (raw.height * 300.0 / 72.0) as u32 };
        let image = opened
            .page(page - 1, Some(size))
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
            .image
            .with_context(|| format!("{} page {page} did not render", path.display()))?;
        let mut png = Vec::new();
        image.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)?;
        out.push(Sample {
            group: "Chinese guideline pages",
            path: path.with_extension(format!("p{page}.png")),
            truth,
            bytes: Some(png),
        });
    }
    Ok(out)
}

/// CER, WER and seconds per page of one file.
type Scores = (f64, f64, f64);

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Character error rate: edit distance over the reference length.
pub fn cer(truth: &str, found: &str) -> f64 {
    let (t, f) = (collapse(truth), collapse(found));
    let n = t.chars().count().max(1);
    strsim::levenshtein(&t, &f) as f64 / n as f64
}

/// Word error rate as a bag: reference words not found (each found word used once) plus extra
/// words, over the reference word count.
pub fn bag_wer(truth: &str, found: &str) -> f64 {
    let (truth, found) = (tokens(truth), tokens(found));
    let mut bag: HashMap<&str, i64> = HashMap::new();
    for w in &truth {
        *bag.entry(w).or_default() += 1;
    }
    let total = truth.len().max(1) as i64;
    let mut extra = 0;
    for w in &found {
        match bag.get_mut(w.as_str()) {
            Some(n) if *n > 0 => *n -= 1,
            _ => extra += 1,
        }
    }
    let missed: i64 = bag.values().sum();
    (missed.max(extra)) as f64 / total as f64
}

/// Words, each CJK character counting as a word (Chinese has no spaces).
fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in text.split_whitespace() {
        let mut run = String::new();
        for c in word.chars() {
            if extractor::text::script::is_cjk(c) {
                if !run.is_empty() {
                    out.push(std::mem::take(&mut run));
                }
                out.push(c.to_string());
            } else {
                run.push(c);
            }
        }
        if !run.is_empty() {
            out.push(run);
        }
    }
    out
}

fn samples(data: &Path) -> anyhow::Result<Vec<Sample>> {
    let ocrmypdf = data.join("ocr/ocrmypdf/tests/resources");
    let tess = data.join("ocr/tesseract/testing");
    let read = |p: PathBuf| std::fs::read_to_string(&p).with_context(|| format!("cannot read {}", p.display()));
    let linn = read(ocrmypdf.join("linn.txt"))?;
    let photo = read(tess.join("phototest.gold.txt"))?;
    let mut out = vec![
        Sample { group: "clean", path: ocrmypdf.join("linn.pdf"), truth: linn.clone(), bytes: None },
        Sample { group: "clean", path: ocrmypdf.join("linn.png"), truth: linn.clone(), bytes: None },
        Sample { group: "clean", path: tess.join("phototest.tif"), truth: photo.clone(), bytes: None },
        Sample {
            group: "clean",
            path: tess.join("eurotext.tif"),
            truth: read(tess.join("eurotext.txt"))?,
            bytes: None,
        },
        Sample { group: "skewed or rotated", path: ocrmypdf.join("skew.pdf"), truth: linn.clone(), bytes: None },
        Sample { group: "skewed or rotated", path: ocrmypdf.join("rotated_skew.pdf"), truth: linn, bytes: None },
    ];
    for rotated in
        ["phototest-rotated-L.png", "phototest-rotated-R.png", "phototest-rotated-180.png", "phototestrot.tif"]
    {
        out.push(Sample { group: "skewed or rotated", path: tess.join(rotated), truth: photo.clone(), bytes: None });
    }
    for unlv in ["8071_093.3B", "8087_054.3B"] {
        out.push(Sample {
            group: "UNLV scans",
            path: tess.join(format!("{unlv}.tif")),
            truth: read(tess.join(format!("{unlv}.txt")))?,
            bytes: None,
        });
    }
    out.push(Sample {
        group: "Chinese",
        path: data.join("ocr/rapidocr_zh/python/tests/test_files/text_rec.jpg"),
        truth: "韩国小馆".into(),
        bytes: None,
    });
    Ok(out)
}

/// The engine an engine name (`ppocr`, `script`, Tesseract languages with an optional `@N`
/// band count) names, over `base` for the rest.
fn engine(name: &str, base: &Config) -> anyhow::Result<Box<dyn extractor::ocr::OcrEngine>> {
    let mut config = base.clone();
    let (engine, languages, bands) = match name {
        "script" => (OcrEngineKind::Script, "eng", 1),
        "ppocr" => (OcrEngineKind::Ppocr, "eng", 1),
        _ => match name.split_once('@') {
            Some((l, n)) => {
                (OcrEngineKind::Tesseract, l, n.parse().with_context(|| format!("bad band count in {name}"))?)
            }
            None => (OcrEngineKind::Tesseract, name, 1),
        },
    };
    (config.ocr.engine, config.ocr.bands) = (engine, bands);
    config.ocr.lang = languages.to_string();
    let paths = clinex_engines::model_paths(&config);
    clinex_engines::ocr_engine(&config, &paths, config.layout_threads()).map_err(|e| anyhow::anyhow!("{name}: {e}"))
}

pub fn run(args: OcrEvalArgs, base: &Config) -> anyhow::Result<ExitCode> {
    let backend = clinex_engines::pdfium(base)?;
    let mut samples = samples(&args.data)?;
    samples.extend(chinese_pages(&args.data, &backend)?);
    let mut report = String::from(
        "# OCR evaluation\n\nRegenerate with `make eval-ocr` (`clinex eval ocr`). Each file goes through the whole `extract`\n\
         pipeline (text layer checked, page rendered at 300 dpi, OCR, lines and regions); the page text is compared\n\
         with the transcription. CER: edit distance over the transcription's characters after collapsing whitespace\n\
         (reading order counts). WER: words as a bag (reading order does not count). Time: whole pipeline per page.\n\n",
    );
    let mut summary =
        String::from("| engine | group | files | mean CER | mean WER | s/page |\n|---|---|---|---|---|---|\n");
    for config in args.engines.split(',').map(str::trim).filter(|l| !l.is_empty()) {
        let ocr = engine(config, base)?;
        let engines = extractor::Engines { ocr: Some(&*ocr), ..extractor::Engines::text_only(&backend) };
        let _ = writeln!(
            report,
            "## {config}: {}\n\n| file | group | CER | WER | s/page |\n|---|---|---|---|---|",
            ocr.name()
        );
        let mut groups: Vec<(&str, Vec<Scores>)> = Vec::new();
        for s in &samples {
            let bytes = match &s.bytes {
                Some(b) => b.clone(),
                None => std::fs::read(&s.path).with_context(|| format!("cannot read {}", s.path.display()))?,
            };
            let started = Instant::now();
            let doc = extract_with(&bytes, &Options::default(), engines)
                .map_err(|e| anyhow::anyhow!("{}: {e}", s.path.display()))?;
            // An engine that failed would score as an empty reading; say so instead.
            if let Some(w) = doc.warnings.iter().find(|w| w.code == extractor::model::WarningCode::OcrFailed) {
                anyhow::bail!("{}: {}", s.path.display(), w.message);
            }
            let seconds = started.elapsed().as_secs_f64() / doc.pages.len().max(1) as f64;
            let text: String = doc.pages.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join("\n");
            let (c, w) = (cer(&s.truth, &text), bag_wer(&s.truth, &text));
            let name = s.path.file_name().unwrap_or_default().to_string_lossy();
            let _ =
                writeln!(report, "| {name} | {} | {:.2} % | {:.2} % | {seconds:.2} |", s.group, c * 100.0, w * 100.0);
            match groups.iter_mut().find(|(g, _)| *g == s.group) {
                Some((_, v)) => v.push((c, w, seconds)),
                None => groups.push((s.group, vec![(c, w, seconds)])),
            }
        }
        report.push('\n');
        for (group, v) in groups {
            let n = v.len() as f64;
            let mean = |k: usize| v.iter().map(|t| [t.0, t.1, t.2][k]).sum::<f64>() / n;
            let _ = writeln!(
                summary,
                "| {config} | {group} | {} | {:.2} % | {:.2} % | {:.2} |",
                v.len(),
                mean(0) * 100.0,
                mean(1) * 100.0,
                mean(2)
            );
        }
    }
    let report = report.replacen("\n\n## ", &format!("\n\n## Summary\n\n{summary}\n## "), 1);
    super::write_report(&args.out, &report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_rates() {
        assert_eq!(cer("the cat", "the  cat\n"), 0.0);
        assert!((cer("abcd", "abed") - 0.25).abs() < 1e-9);
        assert_eq!(bag_wer("a b c d", "d c b a"), 0.0);
        assert!((bag_wer("a b c d", "a b x") - 0.5).abs() < 1e-9);
        assert!((bag_wer("疼痛评估 NRS", "疼痛 评佔 NRS") - 0.2).abs() < 1e-9, "each character a word");
    }
}
