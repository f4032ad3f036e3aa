//! Grading systems of recommendations and evidence, read to a small vocabulary (documented in
//! `triples/vocab.ttl` and docs/triples.md):
//!
//! | predicate | concepts | written as |
//! |---|---|---|
//! | `cx:recommendationClass` | `cor-I`, `cor-IIa`, `cor-IIb`, `cor-III` (ACC/AHA) | Class I, IIa, 2b, Ⅲ类, III: No benefit |
//! | `cx:recommendationStrength` | `strength-strong`, `strength-weak`, `strength-good-practice` (GRADE) | strong, weak, conditional, 强, 弱推荐, GPS; 1 and 2 in a strength column |
//! | `cx:recommendationGrade` | `grade-A` … `grade-D` (USPSTF, Oxford CEBM grades) | A, B, C, D in a recommendation column |
//! | `cx:evidenceLevel` | `loe-A` … `loe-D`, `loe-B-R`, `loe-B-NR`, `loe-C-LD`, `loe-C-EO`, `loe-1a` … `loe-5` (CEBM) | Level A, LOE B-R, A级, 1b, Ia, 1B 级 |
//! | `cx:evidenceCertainty` | `certainty-high`, `-moderate`, `-low`, `-very-low` (GRADE) | high, moderate-quality, 高, 中等质量, 极低 |
//!
//! The same written value means different things in different places, so the caller says how
//! to read it: a "1" is class I in a class-of-recommendation column but a strong recommendation
//! in a GRADE strength column; "1B" is a CEBM level in an evidence column but GRADE "strong,
//! moderate certainty" in a recommendation column. Values nothing here knows keep only their text.

use unicode_normalization::UnicodeNormalization;

use crate::model::Grade;

/// The properties linking a recommendation to the vocabulary's grading concepts.
pub const PREDICATES: [&str; 5] =
    ["recommendationClass", "recommendationStrength", "recommendationGrade", "evidenceLevel", "evidenceCertainty"];

/// A link from a recommendation to a concept of the vocabulary (a local name in `cx:`).
struct Link {
    predicate: &'static str,
    concept: String,
}

fn link(predicate: &'static str, concept: impl Into<String>) -> Link {
    Link { predicate, concept: concept.into() }
}

/// The links as grades read from `text`.
fn grades(text: &str, links: Vec<Link>) -> Vec<Grade> {
    let text = text.trim();
    links.into_iter().map(|l| Grade { property: l.predicate.into(), concept: l.concept, text: text.into() }).collect()
}

/// Compatibility-folded, lower-cased, trimmed: "Ⅱa" → "iia", "（Ａ）" → "(a)", "～" → "~".
pub fn fold(text: &str) -> String {
    text.nfkc().collect::<String>().to_lowercase().trim().to_string()
}

fn strip_affixes<'a>(mut s: &'a str, prefixes: &[&str], suffixes: &[&str]) -> &'a str {
    let trim = |s: &'a str| s.trim_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '.' | ','));
    s = trim(s);
    for p in prefixes {
        if let Some(rest) = s.strip_prefix(p) {
            s = trim(rest);
        }
    }
    for x in suffixes {
        if let Some(rest) = s.strip_suffix(x) {
            s = trim(rest);
        }
    }
    s
}

/// The words of a GRADE strength: strong, weak (conditional), or a good-practice statement.
fn strength_word(core: &str) -> Option<&'static str> {
    let words = core.replace(['-', '_'], " ");
    let words = words
        .split_whitespace()
        .filter(|w| !matches!(*w, "recommendation" | "recommended" | "recommend" | "for" | "against"))
        .collect::<Vec<_>>()
        .join(" ");
    match words.trim_end_matches("推荐").trim_end_matches("烈") {
        "strong" | "strongly" | "强" => Some("strength-strong"),
        "weak" | "weakly" | "conditional" | "conditionally" | "弱" | "条件" | "有条件" => Some("strength-weak"),
        "gps" | "gpp" | "good practice" | "good practice statement" | "good practice point" | "良好实践声明" => {
            Some("strength-good-practice")
        }
        _ => None,
    }
}

/// GRADE certainty of evidence in words: "high", "moderate-quality evidence", "低质量", "极低".
fn certainty_word(core: &str) -> Option<&'static str> {
    // "高质量(A)" names both; the words decide.
    let core = core.split('(').next().unwrap_or(core);
    let words = core.replace(['-', '_'], " ");
    let words = words
        .split_whitespace()
        .filter(|w| !matches!(*w, "quality" | "evidence" | "certainty" | "of"))
        .collect::<Vec<_>>()
        .join(" ");
    match words.trim_end_matches("证据").trim_end_matches("质量") {
        "high" | "高" => Some("certainty-high"),
        "moderate" | "medium" | "中" | "中等" => Some("certainty-moderate"),
        "low" | "低" => Some("certainty-low"),
        "very low" | "极低" | "很低" => Some("certainty-very-low"),
        _ => None,
    }
}

/// An Arabic or Roman numeral 1..=5 ("iv" → 4), after folding.
fn small_number(s: &str) -> Option<u8> {
    match s {
        "1" | "i" => Some(1),
        "2" | "ii" => Some(2),
        "3" | "iii" => Some(3),
        "4" | "iv" => Some(4),
        "5" | "v" => Some(5),
        _ => None,
    }
}

fn certainty_of_letter(letter: char) -> Option<&'static str> {
    match letter {
        'a' => Some("certainty-high"),
        'b' => Some("certainty-moderate"),
        'c' => Some("certainty-low"),
        'd' => Some("certainty-very-low"),
        _ => None,
    }
}

/// What a recommendation's grading names: its class (ACC/AHA), strength (GRADE) or grade
/// letter. `strength_column` says the value stands under a GRADE strength heading, where 1 and
/// 2 are strong and weak rather than classes I and II.
pub fn recommendation_links(text: &str, strength_column: bool) -> Vec<Grade> {
    grades(text, recommendation_concepts(text, strength_column))
}

fn recommendation_concepts(text: &str, strength_column: bool) -> Vec<Link> {
    let folded = fold(text);
    let core = strip_affixes(
        &folded,
        &[
            "class of recommendation",
            "strength of recommendation",
            "grade of recommendation",
            "recommendation",
            "class",
            "cor",
            "grade",
            "推荐强度",
            "推荐级别",
            "推荐等级",
        ],
        &["级推荐", "类推荐", "级", "类"],
    );
    if let Some(s) = strength_word(core) {
        return vec![link("recommendationStrength", s)];
    }
    // "III: No Benefit", "III (Harm)" keep their class.
    let token = core.split([':', '(', ' ']).next().unwrap_or("").trim_end_matches("推荐");
    let token = match token.trim_end_matches(['级', '类']) {
        "一" => "i",
        "二" => "ii",
        "三" => "iii",
        t => t,
    };
    // GRADE's "1A" .. "2D": strength then certainty.
    let chars: Vec<char> = token.chars().collect();
    if let [digit @ ('1' | '2'), letter @ 'a'..='d'] = chars[..] {
        let strength = if digit == '1' { "strength-strong" } else { "strength-weak" };
        let mut links = vec![link("recommendationStrength", strength)];
        links.extend(certainty_of_letter(letter).map(|c| link("evidenceCertainty", c)));
        // "2a" in a class column is ACC's class IIa, not GRADE.
        if strength_column {
            return links;
        }
    }
    match (token, strength_column) {
        ("i" | "1", false) => vec![link("recommendationClass", "cor-I")],
        ("i" | "1", true) => vec![link("recommendationStrength", "strength-strong")],
        ("ii" | "2", true) => vec![link("recommendationStrength", "strength-weak")],
        ("iia" | "2a", _) => vec![link("recommendationClass", "cor-IIa")],
        ("iib" | "2b", _) => vec![link("recommendationClass", "cor-IIb")],
        ("iii" | "3", false) => vec![link("recommendationClass", "cor-III")],
        (l @ ("a" | "b" | "c" | "d"), _) => vec![link("recommendationGrade", format!("grade-{}", l.to_uppercase()))],
        _ => Vec::new(),
    }
}

/// What an evidence grading names: a level (ACC/AHA letters, CEBM numbers) or a GRADE
/// certainty. Strength words written under an evidence heading ("证据等级：弱") are read as the
/// strength they are.
pub fn evidence_links(text: &str) -> Vec<Grade> {
    grades(text, evidence_concepts(text))
}

fn evidence_concepts(text: &str) -> Vec<Link> {
    let folded = fold(text);
    let core = strip_affixes(
        &folded,
        &[
            "level of evidence",
            "quality of evidence",
            "certainty of evidence",
            "evidence",
            "level",
            "loe",
            "证据等级",
            "证据级别",
            "证据质量",
        ],
        &["级证据", "类证据", "级", "类"],
    );
    if let Some(c) = certainty_word(core) {
        return vec![link("evidenceCertainty", c)];
    }
    if let Some(s) = strength_word(core) {
        return vec![link("recommendationStrength", s)];
    }
    let upper = core.to_uppercase().replace(['–', '—'], "-").replace(' ', "");
    if let Some(level) = ["A", "B", "C", "D", "B-R", "B-NR", "C-LD", "C-EO"].into_iter().find(|l| *l == upper) {
        return vec![link("evidenceLevel", format!("loe-{level}"))];
    }
    // Oxford CEBM: 1a, 1b, 2c, 3, 5; also written Ia, IIb, 1B.
    let cebm = match core.char_indices().last() {
        Some((at, letter @ 'a'..='c')) if at > 0 => small_number(&core[..at]).map(|n| format!("{n}{letter}")),
        _ => small_number(core).map(|n| n.to_string()),
    };
    cebm.map(|level| vec![link("evidenceLevel", format!("loe-{level}"))]).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn concepts(links: Vec<Grade>) -> Vec<String> {
        links.into_iter().map(|l| format!("{}={}", l.property, l.concept)).collect()
    }

    #[test]
    fn classes_of_recommendation_in_english_and_chinese() {
        for (t, c) in [
            ("Class I", "cor-I"),
            ("1", "cor-I"),
            ("IIa", "cor-IIa"),
            ("Ⅱa", "cor-IIa"),
            ("2a", "cor-IIa"),
            ("Class IIb", "cor-IIb"),
            ("III: No Benefit", "cor-III"),
            ("Ⅰ类", "cor-I"),
            ("一级", "cor-I"),
            ("Ⅲ级", "cor-III"),
            ("COR 2b", "cor-IIb"),
        ] {
            assert_eq!(concepts(recommendation_links(t, false)), [format!("recommendationClass={c}")], "{t}");
        }
        assert!(recommendation_links("Initial", false).is_empty());
        assert!(recommendation_links("II", false).is_empty(), "ACC/AHA has no plain class II");
    }

    #[test]
    fn grade_strength_in_words_and_numbers() {
        for t in ["strong", "Strong recommendation", "强", "强推荐", "1"] {
            assert_eq!(concepts(recommendation_links(t, true)), ["recommendationStrength=strength-strong"], "{t}");
        }
        for t in ["weak", "Conditional", "弱", "弱推荐", "2", "Ⅱ级"] {
            assert_eq!(concepts(recommendation_links(t, true)), ["recommendationStrength=strength-weak"], "{t}");
        }
        assert_eq!(concepts(recommendation_links("GPS", true)), ["recommendationStrength=strength-good-practice"]);
        assert_eq!(
            concepts(recommendation_links("1B", true)),
            ["recommendationStrength=strength-strong", "evidenceCertainty=certainty-moderate"]
        );
        assert_eq!(concepts(recommendation_links("B", true)), ["recommendationGrade=grade-B"]);
    }

    #[test]
    fn evidence_levels_and_certainty() {
        for (t, l) in [
            ("Level A", "loe-A"),
            ("B-NR", "loe-B-NR"),
            ("LOE B-R", "loe-B-R"),
            ("C-EO", "loe-C-EO"),
            ("A级", "loe-A"),
            ("c-ld", "loe-C-LD"),
            ("1a", "loe-1a"),
            ("Ia", "loe-1a"),
            ("Ⅱb", "loe-2b"),
            ("1B 级", "loe-1b"),
            ("IV", "loe-4"),
            ("5", "loe-5"),
        ] {
            assert_eq!(concepts(evidence_links(t)), [format!("evidenceLevel={l}")], "{t}");
        }
        for (t, c) in [
            ("High", "certainty-high"),
            ("moderate-quality evidence", "certainty-moderate"),
            ("高质量(A)", "certainty-high"),
            ("中等质量", "certainty-moderate"),
            ("低", "certainty-low"),
            ("Very low", "certainty-very-low"),
            ("极低质量", "certainty-very-low"),
        ] {
            assert_eq!(concepts(evidence_links(t)), [format!("evidenceCertainty={c}")], "{t}");
        }
        assert_eq!(concepts(evidence_links("弱")), ["recommendationStrength=strength-weak"]);
        assert!(evidence_links("Adrenaline").is_empty());
        assert!(evidence_links("RCT").is_empty());
    }
}
