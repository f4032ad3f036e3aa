//! Rule-based region kinds for text blocks: title, heading, caption, list, footnote, header,
//! footer, text. Page furniture is recognised across pages (the same text, numbers aside, at
//! the same height) as well as by position.

use std::collections::HashMap;

use super::figures::retype_by_caption;
use super::merge::link_captions;
use crate::model::{Region, RegionKind, RegionSource};
use crate::text::script::{enumerator_len, is_cjk, starts_list_item};
use crate::text::{PageBlocks, TextBlock, is_caption};

/// Facts about the whole document the rules compare against.
#[derive(Debug, Clone)]
pub struct DocumentStyle {
    /// Font size carrying most of the text.
    pub body_size: f32,
    /// Most body text is bold (then bold says nothing about headings).
    pub body_bold: bool,
    /// Signatures of blocks that repeat at the same height on several pages.
    furniture: HashMap<String, Vec<f32>>,
}

impl DocumentStyle {
    pub fn measure(pages: &[&PageBlocks]) -> Self {
        let mut by_size: HashMap<i32, u32> = HashMap::new();
        let (mut glyphs, mut bold) = (0u32, 0u32);
        let mut signatures: HashMap<String, Vec<(u32, f32)>> = HashMap::new();
        for page in pages {
            for block in &page.blocks {
                for line in &block.lines {
                    *by_size.entry((line.size * 2.0).round() as i32).or_default() += line.glyphs;
                    glyphs += line.glyphs;
                    if line.bold {
                        bold += line.glyphs;
                    }
                }
                let near_edge = block.bbox.y1 < 0.15 * page.height || block.bbox.y0 > 0.85 * page.height;
                if near_edge && block.lines.len() <= 3 {
                    signatures.entry(signature(&block.text)).or_default().push((page.number, block.bbox.center_y()));
                }
            }
        }
        let body_size =
            by_size.into_iter().max_by_key(|&(size, n)| (n, -size)).map(|(s, _)| s as f32 / 2.0).unwrap_or(10.0);
        // Furniture repeats on at least two pages, and on a third of the pages of long documents.
        let needed = 2.max(pages.len() as u32 / 3);
        let furniture = signatures
            .into_iter()
            .filter(|(sig, hits)| {
                let mut distinct: Vec<u32> = hits.iter().map(|h| h.0).collect();
                distinct.dedup();
                !sig.is_empty() && distinct.len() as u32 >= needed
            })
            .map(|(sig, hits)| (sig, hits.into_iter().map(|h| h.1).collect()))
            .collect();
        Self { body_size, body_bold: bold * 2 > glyphs, furniture }
    }

    fn repeats(&self, block: &TextBlock) -> bool {
        self.furniture
            .get(&signature(&block.text))
            .is_some_and(|ys| ys.iter().filter(|y| (*y - block.bbox.center_y()).abs() < 12.0).count() >= 2)
    }
}

/// Text with digits folded, so "Page 3" and "Page 4" share a signature.
fn signature(text: &str) -> String {
    let mut s = String::new();
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        if c.is_ascii_digit() {
            if !s.ends_with('#') {
                s.push('#');
            }
        } else {
            s.extend(c.to_lowercase());
        }
    }
    s
}

fn is_page_number(text: &str) -> bool {
    let sig = signature(text);
    let sig = sig.trim_matches(|c: char| c == '-' || c == '–' || c == '—' || c == '|');
    matches!(sig, "#" | "page#" | "page#of#" | "#of#" | "#/#" | "p.#" | "第#页" | "第#页共#页")
}

/// Numbered section headings: "2.1 Methods", "3 Results", "一、概述", "（二）治疗", "第一章".
fn looks_numbered_heading(text: &str) -> bool {
    let t = text.trim_start();
    if t.starts_with('第') && t.chars().take(6).any(|c| "章节部分条".contains(c)) {
        return true;
    }
    let digits: String = t.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    if !digits.is_empty() && digits.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        let rest = &t[digits.len()..];
        return rest.starts_with(' ') && rest.trim_start().starts_with(|c: char| c.is_uppercase() || is_cjk(c));
    }
    enumerator_len(t).is_some_and(|n| t[..n].chars().any(|c| "一二三四五六七八九十".contains(c)))
}

/// A title has words: two or more (or four CJK characters), not mostly digits, not a DOI, URL
/// or journal label run together ("ResearchArticle").
pub fn plausible_title(text: &str) -> bool {
    let t = text.trim();
    let lower = t.to_lowercase();
    if ["doi", "http", "www.", "issn", "vol."].iter().any(|p| lower.starts_with(p)) {
        return false;
    }
    // "四、疼痛评估" or "3 Results" numbers a section; a document's title is not numbered.
    if looks_numbered_heading(t) {
        return false;
    }
    // Article-type labels that journals print larger than the title.
    let labels = [
        "open access",
        "research article",
        "original article",
        "review article",
        "case report",
        "editorial",
        "research",
        "review",
        "article",
        "团体标准",
        "行业标准",
        "国家标准",
        "地方标准",
    ];
    if labels.contains(&lower.as_str()) {
        return false;
    }
    let letters = t.chars().filter(|c| c.is_alphabetic()).count();
    let digits = t.chars().filter(|c| c.is_ascii_digit()).count();
    let cjk = t.chars().filter(|&c| is_cjk(c) && c.is_alphabetic()).count();
    let words = t.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)).count();
    // One word can be a title ("Anaphylaxis") when written as a word, not an all-caps shout
    // ("RECOGNISE") or words run together ("ResearchArticle").
    let single_word = words == 1 && {
        let mut cs = t.chars().filter(|c| c.is_alphabetic());
        cs.next().is_some_and(char::is_uppercase) && cs.all(char::is_lowercase)
    };
    (words >= 2 || cjk >= 4 || single_word) && letters >= 4 && digits * 10 <= (letters + digits) * 3
}

fn ends_sentence(text: &str) -> bool {
    text.trim_end().ends_with(['.', '。', ';', '；', ':', '：', ',', '，'])
}

/// Assigns kinds to the blocks of one page, in reading order. `first_page` allows a title.
pub fn classify_blocks(page: &PageBlocks, style: &DocumentStyle, first_page: bool) -> Vec<Region> {
    let h = page.height;
    let body = style.body_size.max(1.0);
    let title_index = if first_page {
        page.blocks
            .iter()
            .enumerate()
            .filter(|(_, b)| {
                b.bbox.y1 < 0.6 * h
                    && b.size >= 1.25 * body
                    && plausible_title(&b.text)
                    && b.lines.len() <= 6
                    && !style.repeats(b)
            })
            .max_by(|a, b| a.1.size.total_cmp(&b.1.size).then(b.1.bbox.y0.total_cmp(&a.1.bbox.y0)))
            .map(|(i, _)| i)
    } else {
        None
    };

    let regions: Vec<Region> = page
        .blocks
        .iter()
        .enumerate()
        .map(|(i, block)| {
            let (kind, confidence) =
                if Some(i) == title_index { (RegionKind::Title, 0.7) } else { kind_of(block, page, style) };
            Region {
                id: String::new(),
                kind,
                bbox: block.bbox,
                confidence,
                text: block.text.clone(),
                source: RegionSource::Heuristic,
                order: 0,
                font_size: Some((block.size * 10.0).round() / 10.0),
                lines: block.lines.len() as u32,
                caption_of: None,
                figure_type: None,
            }
        })
        .collect();

    regions
}

/// Puts the page's regions in their final order (body in reading order, then headers, then
/// footers), numbers them `p{page}-r{n}` and links captions to what they describe.
pub fn finalize_page(number: u32, mut regions: Vec<Region>) -> Vec<Region> {
    let rank = |k: RegionKind| match k {
        RegionKind::Header => 1,
        RegionKind::Footer => 2,
        _ => 0,
    };
    regions.sort_by_key(|r| rank(r.kind)); // stable: reading order kept within each group
    for (i, r) in regions.iter_mut().enumerate() {
        r.id = format!("p{}-r{}", number, i + 1);
        r.order = i as u32;
    }
    link_captions(&mut regions);
    retype_by_caption(&mut regions);
    regions
}

fn kind_of(block: &TextBlock, page: &PageBlocks, style: &DocumentStyle) -> (RegionKind, f32) {
    let h = page.height;
    let body = style.body_size.max(1.0);
    let text = block.text.trim();
    let chars = text.chars().count();
    let lines = block.lines.len();
    let in_top = block.bbox.y1 < 0.15 * h;
    let in_bottom = block.bbox.y0 > 0.85 * h;
    let edge_kind = if block.bbox.center_y() < h / 2.0 { RegionKind::Header } else { RegionKind::Footer };

    if (in_top || in_bottom) && lines <= 3 {
        if style.repeats(block) {
            return (edge_kind, 0.9);
        }
        if is_page_number(text) {
            return (edge_kind, 0.9);
        }
    }
    let in_margin = block.bbox.y1 < 0.06 * h || block.bbox.y0 > 0.94 * h;
    if in_margin && lines <= 2 && block.size <= body * 1.05 {
        return (edge_kind, 0.6);
    }
    if is_caption(text) && lines <= 6 {
        return (RegionKind::Caption, 0.85);
    }
    let short = lines <= 3 && chars <= 160;
    if short && !ends_sentence(text) {
        if block.size >= 1.15 * body {
            return (RegionKind::Heading, 0.75);
        }
        if block.bold && !style.body_bold && chars >= 2 {
            return (RegionKind::Heading, 0.65);
        }
        if lines == 1 && looks_numbered_heading(text) && block.size >= body * 0.98 && chars <= 80 {
            return (RegionKind::Heading, 0.55);
        }
    }
    if starts_list_item(text) {
        return (RegionKind::List, 0.7);
    }
    let small = block.size <= 0.85 * body;
    let marker = text.starts_with(|c: char| c.is_ascii_digit() || "*†‡§¶#".contains(c));
    if small && marker && block.bbox.y0 > 0.7 * h {
        return (RegionKind::Footnote, 0.55);
    }
    (RegionKind::Text, 0.5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captions_in_both_languages() {
        for yes in [
            "Table 2. Doses",
            "Figure 6. Anaphylaxis algorithm",
            "Fig. 3 Flow",
            "表 1 GRADE 证据质量分级",
            "图1 诊断流程图",
            "表２ 推荐",
        ] {
            assert!(is_caption(yes), "{yes}");
        }
        for no in
            ["Tables are shown below", "Figures 3 and 4 show", "表示", "Figurehead", "图 1 诊疗流程图 ........ 13"]
        {
            assert!(!is_caption(no), "{no}");
        }
    }

    #[test]
    fn titles_need_words() {
        assert!(plausible_title("Emergency treatment of anaphylaxis"));
        assert!(plausible_title("癌痛全程管理中国专家共识"));
        assert!(plausible_title("Anaphylaxis"));
        assert!(!plausible_title("四、疼痛评估与治疗流程"));
        for no in ["ResearchArticle", "doi:", "2025-9", "6489122611071476 1..10", "RECOGNISE", "Open Access"] {
            assert!(!plausible_title(no), "{no}");
        }
    }

    #[test]
    fn page_numbers_and_headings() {
        assert!(is_page_number("12"));
        assert!(is_page_number("Page 3 of 10"));
        assert!(is_page_number("- 4 -"));
        assert!(is_page_number("第 3 页"));
        assert!(!is_page_number("12 patients"));
        assert!(looks_numbered_heading("2.1 Methods"));
        assert!(looks_numbered_heading("一、概述"));
        assert!(looks_numbered_heading("第一章 总则"));
        assert!(!looks_numbered_heading("2 mg/kg adrenaline"));
    }
}
