//! The recommendations a guideline makes: table rows with a grading column, and statements in
//! the text followed by their grading in parentheses, as guidelines print them:
//! "…推荐口服中成药：元胡止痛颗粒/片（证据级别：1B 级；推荐强度：Ⅱ级）",
//! "共识 1：推荐使用罗马Ⅳ诊断标准进行 OIC 诊断。（证据等级：弱，专家组赞同率：高）",
//! "…should receive IM adrenaline (Class I, LOE A)", "…(1B)", "(strong recommendation,
//! moderate-quality evidence)". Each keeps its statement, its grading as found, and its grades
//! in the vocabulary of docs/triples.md.

use std::sync::LazyLock;

use regex::Regex;

use super::grading::{evidence_links, fold, recommendation_links};
use super::normalize::{Reading, column_readings};
use crate::model::{Grade, Page, Recommendation, Region, RegionKind, Table};

/// A grading in parentheses, "（证据等级：B）", or in square brackets, which may hold
/// parentheses of their own: "[Level (LE): 5; strength of recommendation (SR): Strong]".
static PARENTHETICAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[（(]([^（）()]{2,80})[）)]|[\[［【]([^\[\]［］【】]{2,100})[\]］】]").expect("parenthetical pattern")
});
/// A numbered statement's lead: "推荐意见 3：", "共识 1：", "Recommendation 2:".
static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    // A bare 推荐意见 leads only as a heading (after a closing bracket or a line break) or with a
    // colon; elsewhere it is prose ("形成推荐意见，旨在…").
    Regex::new(r"(?i)(?:推荐意见\s*\d+|共识(?:意见)?\s*\d+|recommendation\s+\d+)\s*[:：]?|推荐意见\s*[:：]|(?:^|[）)\n])\s*推荐意见")
        .expect("marker pattern")
});
static GRADE_PAIR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[12][a-d]$").expect("grade pattern"));

/// The grading links a parenthetical states. "key：value" parts are read by their key (an
/// unknown key, such as 专家组赞同率, is skipped); keyless parts only by their own words
/// ("Class IIa", "LOE B", "1B"). Keyless parts must give two links between them, so a lone
/// "(Class 1)" in a definition is not a graded statement.
/// Also says whether any part said what it grades (a key, or words such as "Class").
fn grading_in_parenthetical(content: &str) -> (Vec<Grade>, bool) {
    let mut links = Vec::new();
    let (mut keyed, mut worded) = (false, false);
    for part in content.split([';', '；', ',', '，']).map(str::trim).filter(|p| !p.is_empty()) {
        if let Some((key, value)) = part.split_once([':', '：']).or_else(|| split_bare_key(part)) {
            let found = match key_reading(key) {
                Some(Reading::Evidence) => evidence_links(value),
                Some(Reading::Recommendation { strength }) => recommendation_links(value, strength),
                _ => Vec::new(),
            };
            keyed |= !found.is_empty();
            links.extend(found);
            continue;
        }
        if GRADE_PAIR.is_match(&fold(part)) {
            // A bare "1B" names no system: it needs a recommending sentence before it.
            links.extend(recommendation_links(part, true));
            continue;
        }
        let found = match key_reading(part) {
            Some(Reading::Evidence) => evidence_links(part),
            Some(Reading::Recommendation { strength }) => recommendation_links(part, strength),
            _ => Vec::new(),
        };
        // "Class I", "LOE A", "moderate-quality evidence" say what they are, like a key.
        worded |= !found.is_empty();
        links.extend(found);
    }
    if keyed || links.len() >= 2 { (links, keyed || worded) } else { (Vec::new(), false) }
}

/// How a key inside a grading, or a part that names its own system ("Class IIa", "LOE B",
/// "strong recommendation"), is read: as a column header would be, and, since the context is a
/// grading, "Level (LE)" as evidence, "Grade"/"Strength (SR)" as a strength, "Class" as a class
/// of recommendation, and any mention of recommendation or evidence as those.
fn key_reading(key: &str) -> Option<Reading> {
    if let Some(reading) = column_readings(key).into_iter().find(|r| *r != Reading::Severity) {
        return Some(reading);
    }
    let folded = fold(key);
    match folded.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("") {
        "level" | "loe" | "le" | "evidence" => Some(Reading::Evidence),
        "grade" | "strength" | "sr" => Some(Reading::Recommendation { strength: true }),
        "class" | "cor" => Some(Reading::Recommendation { strength: false }),
        _ if folded.contains("recommendation") => Some(Reading::Recommendation { strength: true }),
        _ if ["evidence", "quality", "certainty"].iter().any(|w| folded.contains(w)) => Some(Reading::Evidence),
        _ => None,
    }
}

/// Chinese keys written without a colon: "证据级别1A级", "推荐强度Ⅰ级".
fn split_bare_key(part: &str) -> Option<(&str, &str)> {
    ["证据级别", "证据等级", "证据质量", "推荐强度", "推荐级别", "推荐等级"]
        .iter()
        .find_map(|k| part.strip_prefix(k).map(|rest| (&part[..k.len()], rest)))
}

/// Words that open a sentence continuing the one before.
const CONNECTIVES: &[&str] =
    &["However", "But ", "Therefore", "Thus", "Moreover", "In addition", "但", "然而", "因此", "此外", "同时"];

/// The statement a grading follows: the sentence before it, or everything back to a numbered
/// lead ("共识 1：") when one starts the passage. Returns the statement and the lead.
fn statement_before(passage: &str) -> (String, Option<String>) {
    let body = passage.trim_end().trim_end_matches(['。', '.', ';', '；', '，', ',']).trim_end();
    let sentence_start = |end: usize| {
        body[..end]
            .char_indices()
            .rev()
            .find(|(i, c)| {
                matches!(c, '。' | '！' | '？' | '；' | '\n')
                    || (matches!(c, '.' | '?' | '!') && body[i + 1..].starts_with(' '))
            })
            .map_or(0, |(i, c)| i + c.len_utf8())
    };
    let mut boundary = sentence_start(body.len());
    // "…can treat intractable pain. However, the indications must be known (LE: 1a)": a sentence
    // opening with a connective grades the one before it too.
    if boundary > 0 && CONNECTIVES.iter().any(|c| body[boundary..].trim_start().starts_with(c)) {
        let end = body[..boundary].trim_end_matches(|c: char| !c.is_alphanumeric()).len();
        boundary = sentence_start(end);
    }
    let lead = MARKER.find_iter(body).last().filter(|m| body.len() - m.start() <= 600);
    let (start, notation) = match lead {
        Some(m) => {
            let notation = m.as_str().trim_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '：' | ')' | '）'));
            (m.end(), Some(notation.to_string()))
        }
        None => (boundary, None),
    };
    let statement = body[start..].trim();
    // A list marker is not part of what is recommended.
    let statement = statement
        .trim_start_matches(|c: char| {
            c.is_ascii_digit() || matches!(c, '.' | '、' | '(' | ')' | '（' | '）' | '•' | ' ')
        })
        .trim_start_matches(|c: char| ('①'..='⑳').contains(&c))
        .trim();
    (statement.to_string(), notation)
}

/// Words a recommendation is phrased with. A grading that does not say what it grades ("(1A)")
/// only counts after such a statement, so "128.5 (2C)" in a chemistry paper does not.
const RECOMMENDING: &[&str] = &[
    "recommend",
    "should",
    "suggest",
    "consider",
    "reasonable",
    "must",
    "advise",
    "offer",
    "indicated",
    "give",
    "use",
    "avoid",
    "may be",
    "prefer",
    "推荐",
    "建议",
    "应",
    "可",
    "宜",
    "避免",
    "首选",
    "不推荐",
];

fn recommends(statement: &str) -> bool {
    let lower = statement.to_lowercase();
    RECOMMENDING.iter().any(|w| lower.contains(w))
}

/// A sentence a region leaves unfinished (a column or page break inside it), so the next
/// region's first statement can begin where it really begins. At most 300 bytes are kept.
fn unfinished(tail: &str) -> String {
    let tail = tail.trim_end();
    if tail.is_empty() || tail.ends_with(['。', '.', '！', '？', '!', '?', '；', ';', ':', '：']) {
        return String::new();
    }
    let mut start = tail.len().saturating_sub(300);
    while !tail.is_char_boundary(start) {
        start += 1;
    }
    tail[start..].to_string()
}

/// A sentence's two halves, with a space between Latin words ("should be" + "given") and none
/// between Chinese characters.
fn joined(head: &str, tail: &str) -> String {
    let latin_joint = head.chars().last().is_some_and(|c| c.is_ascii_alphanumeric() || c == ',')
        && tail.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
    if latin_joint { format!("{head} {tail}") } else { format!("{head}{tail}") }
}

/// The graded statements of the document's text and list regions, in reading order. Headings
/// only lend their words to a statement that runs on from them.
fn in_text(pages: &[Page]) -> Vec<Recommendation> {
    let mut out = Vec::new();
    let mut carry = String::new();
    let mut lead: Option<String> = None;
    for page in pages {
        let mut regions: Vec<&Region> = page
            .regions
            .iter()
            .filter(|r| matches!(r.kind, RegionKind::Text | RegionKind::List | RegionKind::Heading))
            .collect();
        regions.sort_by_key(|r| r.order);
        for region in regions {
            let text = region.text.as_str();
            if region.kind == RegionKind::Heading {
                // A run-in lead set in bold ("…reduce the incidence of CPSP: Thoracic") is read
                // as a heading; the text after it goes on in lower case.
                lead = text.ends_with(|c: char| c.is_ascii_alphanumeric()).then(|| text.to_string());
                continue;
            }
            if let Some(words) = lead.take()
                && text.starts_with(|c: char| c.is_ascii_lowercase())
            {
                carry = words;
            }
            let mut passage_start = 0;
            for m in PARENTHETICAL.captures_iter(text) {
                // The pattern's two alternatives each capture their content.
                let (Some(whole), Some(content)) = (m.get(0), m.get(1).or(m.get(2))) else { continue };
                let content = content.as_str();
                let (grades, said) = grading_in_parenthetical(content);
                if grades.is_empty() {
                    continue;
                }
                let passage = &text[passage_start..whole.start()];
                let passage = if passage_start == 0 { joined(&carry, passage) } else { passage.to_string() };
                let (statement, notation) = statement_before(&passage);
                passage_start = whole.end();
                let letters = statement.chars().filter(|c| c.is_alphabetic()).count();
                if letters < 2 || !(said || recommends(&statement)) {
                    continue;
                }
                out.push(Recommendation {
                    id: String::new(),
                    page: page.number,
                    bbox: region.bbox,
                    statement,
                    grading: Some(content.trim().to_string()),
                    notation,
                    table: None,
                    row: None,
                    region: Some(region.id.clone()),
                    grades,
                });
            }
            carry =
                if passage_start == 0 { unfinished(&joined(&carry, text)) } else { unfinished(&text[passage_start..]) };
        }
    }
    out
}

/// Table rows graded by a grading column. The statement is the recommendation column's text, or
/// else the row's first cell.
fn in_tables(tables: &[Table]) -> Vec<Recommendation> {
    let mut out = Vec::new();
    for table in tables {
        let columns = super::columns(table);
        if columns.readings.iter().all(|r| r.is_empty() || r == &[Reading::Severity]) {
            continue;
        }
        for (r, cells) in super::data_rows(table) {
            let Some(first) = cells.first().copied() else { continue };
            // The first column names the row; a grade there is a grading table's own definition.
            let grades: Vec<Grade> = cells
                .iter()
                .filter(|k| k.col != first.col)
                .flat_map(|k| super::grading_links(&k.text, &columns.readings[k.col as usize]))
                .collect();
            let statement = columns.statement.and_then(|c| cells.iter().find(|k| k.col == c)).unwrap_or(&first);
            // A row without a statement is a wrapped line of the row above, not a recommendation.
            if grades.is_empty() || statement.text.trim().is_empty() {
                continue;
            }
            let bbox = cells.iter().skip(1).fold(first.bbox, |b, k| b.union(&k.bbox));
            out.push(Recommendation {
                id: String::new(),
                page: table.page,
                bbox,
                statement: statement.text.trim().to_string(),
                grading: None,
                notation: None,
                table: Some(table.id.clone()),
                row: Some(r),
                region: table.region.clone(),
                grades,
            });
        }
    }
    out
}

/// Every graded recommendation of an extraction, from its tables and its text, in page order,
/// numbered `rec1`, `rec2`, ….
pub fn find(tables: &[Table], pages: &[Page]) -> Vec<Recommendation> {
    let mut all = in_tables(tables);
    all.extend(in_text(pages));
    all.sort_by_key(|r| r.page);
    for (k, r) in all.iter_mut().enumerate() {
        r.id = format!("rec{}", k + 1);
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    fn concepts(content: &str) -> Vec<String> {
        grading_in_parenthetical(content).0.into_iter().map(|l| l.concept).collect()
    }

    #[test]
    fn gradings_in_parentheses() {
        assert_eq!(concepts("证据级别：1B 级；推荐强度：Ⅱ级"), ["loe-1b", "strength-weak"]);
        assert_eq!(concepts("证据等级：B；推荐级别：强"), ["loe-B", "strength-strong"]);
        assert_eq!(concepts("证据级别1A级；推荐强度Ⅰ级"), ["loe-1a", "strength-strong"]);
        assert_eq!(concepts("Level (LE): 5; strength of recommendation (SR): Strong"), ["loe-5", "strength-strong"]);
        assert_eq!(concepts("证据等级：弱，专家组赞同率：高"), ["strength-weak"], "the agreement rate is no grading");
        assert_eq!(concepts("Class I, LOE A"), ["cor-I", "loe-A"]);
        assert_eq!(concepts("COR IIa; LOE B-NR"), ["cor-IIa", "loe-B-NR"]);
        assert_eq!(concepts("1B"), ["strength-strong", "certainty-moderate"]);
        assert_eq!(concepts("Grade: 1B"), ["strength-strong", "certainty-moderate"], "a grade key is no disease grade");
        assert_eq!(
            concepts("strong recommendation, moderate-quality evidence"),
            ["strength-strong", "certainty-moderate"]
        );
        assert!(concepts("Class1").is_empty(), "one keyless class alone is not a graded statement");
        assert!(concepts("see Table 2").is_empty());
        assert!(concepts("NRS ≥ 4").is_empty());
    }

    fn page_with_text(texts: &[&str]) -> Page {
        let region = |k: usize, text: &str| Region {
            id: format!("p1-r{k}"),
            kind: RegionKind::Text,
            bbox: crate::geometry::BBox::new(0.0, 0.0, 100.0, 10.0),
            confidence: 0.9,
            text: text.to_string(),
            source: crate::model::RegionSource::Model,
            order: k as u32,
            font_size: None,
            lines: 1,
            caption_of: None,
            figure_type: None,
        };
        Page {
            number: 1,
            width: 595.0,
            height: 842.0,
            rotation: 0,
            scanned: false,
            text: texts.join("\n\n"),
            regions: texts.iter().enumerate().map(|(k, t)| region(k, t)).collect(),
            unread: None,
        }
    }

    #[test]
    fn graded_statements_in_brackets_and_across_regions() {
        let page = page_with_text(&[
            "Paravertebral blocks can relieve chronic pain after thoracotomy [Level (LE): 5; strength of \
             recommendation (SR): Strong] (Table 3). A citation [22] grades nothing. Opioids should be",
            "tapered over weeks (Class IIa, LOE B-R).",
        ]);
        let found = in_text(&[page]);
        let summary: Vec<(&str, Vec<&str>, Option<&str>)> = found
            .iter()
            .map(|r| (r.statement.as_str(), r.grades.iter().map(|g| g.concept.as_str()).collect(), r.region.as_deref()))
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "Paravertebral blocks can relieve chronic pain after thoracotomy",
                    vec!["loe-5", "strength-strong"],
                    Some("p1-r0")
                ),
                ("Opioids should be tapered over weeks", vec!["cor-IIa", "loe-B-R"], Some("p1-r1")),
            ]
        );
    }

    #[test]
    fn a_run_in_lead_read_as_a_heading_starts_the_statement() {
        let mut page = page_with_text(&[
            "Regional anesthesia reduces CPSP: Thoracic",
            "epidural block can prevent pain after thoracotomy (LE: 1a; SR: Strong).",
            "Physical therapy",
            "Exercise should be offered (LE: 5; SR: Strong).",
        ]);
        page.regions[0].kind = RegionKind::Heading;
        page.regions[2].kind = RegionKind::Heading;
        let statements: Vec<String> = in_text(&[page]).into_iter().map(|r| r.statement).collect();
        assert_eq!(
            statements,
            [
                "Regional anesthesia reduces CPSP: Thoracic epidural block can prevent pain after thoracotomy",
                "Exercise should be offered"
            ]
        );
    }

    #[test]
    fn the_statement_is_the_sentence_before_or_back_to_its_lead() {
        let (s, _) =
            statement_before("SCS can treat intractable pain. However, it is necessary to know the indications");
        assert_eq!(s, "SCS can treat intractable pain. However, it is necessary to know the indications");
        let (s, n) = statement_before("当归、生地黄等。推荐口服中成药：元胡止痛颗粒/片[22-23]");
        assert_eq!((s.as_str(), n), ("推荐口服中成药：元胡止痛颗粒/片[22-23]", None));
        let (s, n) = statement_before(
            "1.3 预防。共识 1：推荐使用罗马Ⅳ诊断标准进行 OIC 诊断，如症状严重可选择多种评估工具综合评估。",
        );
        assert_eq!(s, "推荐使用罗马Ⅳ诊断标准进行 OIC 诊断，如症状严重可选择多种评估工具综合评估");
        assert_eq!(n.as_deref(), Some("共识 1"));
        let (s, _) = statement_before("Anaphylaxis is rare. All patients should receive IM adrenaline ");
        assert_eq!(s, "All patients should receive IM adrenaline");
        assert!(recommends("PCA 治疗癌痛首选 PCIA"));
        assert!(!recommends(", 128.5"));
        assert_eq!(unfinished("应考虑进行阿片类药物轮替。减量时应明确指"), "应考虑进行阿片类药物轮替。减量时应明确指");
        assert_eq!(unfinished("应考虑进行阿片类药物轮替。"), "");
        assert_eq!(joined("Adrenaline should be", "given early"), "Adrenaline should be given early");
        assert_eq!(joined("减量时应明确指", "征"), "减量时应明确指征");
        let (s, n) = statement_before(
            "（五）推荐意见对于疑似 CRNP 病人的筛查，临床推荐使用 DN4 量表 [4]。该量表简明扼要，易于实施。",
        );
        assert_eq!(s, "对于疑似 CRNP 病人的筛查，临床推荐使用 DN4 量表 [4]。该量表简明扼要，易于实施");
        assert_eq!(n.as_deref(), Some("推荐意见"));
    }
}
