//! Clinical wording to canonical concepts. The same degree is written many ways ("Grade 1",
//! "Level 1", "Class I", "Stage 1", "grade I", "1级", "一级", "Ⅰ级", "I级"), and so are
//! recommendation classes (I, IIa, IIb, III; 1, 2a, 2b, 3) and levels of evidence (A, B, C;
//! B-R, B-NR, C-LD, C-EO). Which reading applies comes from the column the value stands in: a
//! recommendation's "Class I" is never a disease's "Class I".

/// What a table column holds, from its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    RecommendationClass,
    EvidenceLevel,
    Severity,
    Other,
}

/// The kind of a column from its header text (English or Chinese).
pub fn column_kind(header: &str) -> ColumnKind {
    // Latin keys match whole words ("cor" is not in "score"); Chinese ones anywhere.
    let h: String = header.to_lowercase().chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
    let h = format!(" {} ", h.split_whitespace().collect::<Vec<_>>().join(" "));
    let any =
        |words: &[&str]| words.iter().any(|w| if w.is_ascii() { h.contains(&format!(" {w} ")) } else { h.contains(w) });
    if any(&[
        "level of evidence",
        "loe",
        "evidence level",
        "quality of evidence",
        "certainty",
        "证据等级",
        "证据级别",
        "证据质量",
        "证据水平",
    ]) {
        ColumnKind::EvidenceLevel
    } else if any(&[
        "class of recommendation",
        "cor",
        "recommendation class",
        "strength of recommendation",
        "推荐级别",
        "推荐强度",
        "推荐等级",
        "推荐意见等级",
    ]) {
        ColumnKind::RecommendationClass
    } else if any(&["grade", "severity", "stage", "class", "分级", "分期", "严重程度", "等级", "级别"]) {
        ColumnKind::Severity
    } else {
        ColumnKind::Other
    }
}

/// A degree 1..=5 written as an Arabic, Roman (ASCII or Unicode) or Chinese numeral.
fn numeral(s: &str) -> Option<u8> {
    let s = s.trim().trim_end_matches(['.', ':', ')']);
    match s {
        "1" | "i" | "I" | "Ⅰ" | "一" => Some(1),
        "2" | "ii" | "II" | "Ⅱ" | "二" => Some(2),
        "3" | "iii" | "III" | "Ⅲ" | "三" => Some(3),
        "4" | "iv" | "IV" | "Ⅳ" | "四" => Some(4),
        "5" | "v" | "V" | "Ⅴ" | "五" => Some(5),
        _ => None,
    }
}

/// The degree a severity term names: "Grade 1", "Level 1", "Class I", "Stage 1", "grade I",
/// "1级", "一级", "Ⅰ级", "I级", "Ⅱ期", "3度".
pub fn severity_degree(text: &str) -> Option<u8> {
    let t = text.trim();
    // English: a keyword then the numeral.
    let lower = t.to_lowercase();
    for key in ["grade", "level", "class", "stage", "gr."] {
        if let Some(rest) = lower.strip_prefix(key) {
            let original = &t[t.len() - rest.len()..];
            return numeral(original.trim()).or_else(|| numeral(rest.trim()));
        }
    }
    // Chinese: the numeral then 级, 期 or 度.
    for suffix in ['级', '期', '度'] {
        if let Some(head) = t.strip_suffix(suffix) {
            return numeral(head);
        }
    }
    numeral(t)
}

/// The canonical recommendation class (I, IIa, IIb, III) of "Class IIa", "2a", "IIa", "Ⅱa",
/// "1", "Ⅰ类", "III: No benefit".
pub fn recommendation_class(text: &str) -> Option<&'static str> {
    let t = text.trim();
    let lower = t.to_lowercase();
    let core = lower.strip_prefix("class").or_else(|| lower.strip_prefix("cor")).unwrap_or(&lower).trim();
    let core = core.trim_end_matches('类').trim_end_matches("类推荐");
    // "III: No Benefit", "III (Harm)" keep their class.
    let core = core.split([':', '(', ' ']).next().unwrap_or("").trim();
    match core {
        "i" | "1" | "ⅰ" => Some("I"),
        "iia" | "2a" | "ⅱa" => Some("IIa"),
        "iib" | "2b" | "ⅱb" => Some("IIb"),
        "iii" | "3" | "ⅲ" => Some("III"),
        _ => None,
    }
}

/// The canonical level of evidence (A, B, C, B-R, B-NR, C-LD, C-EO) of "Level A", "LOE B-R",
/// "B-NR", "A级", "C-EO".
pub fn evidence_level(text: &str) -> Option<&'static str> {
    let t = text.trim().to_uppercase();
    let core = t.strip_prefix("LEVEL").or_else(|| t.strip_prefix("LOE")).unwrap_or(&t).trim();
    let core = core.trim_end_matches('级').trim_end_matches("级证据").replace(['–', '—'], "-").replace(' ', "");
    ["A", "B", "C", "B-R", "B-NR", "C-LD", "C-EO"].into_iter().find(|l| *l == core)
}

/// A short stable slug for a disease or table subject: letters and digits (CJK kept), others
/// turned to "-".
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').chars().take(60).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_written_every_way_is_one_degree() {
        for t in ["Grade 1", "Level 1", "Class I", "Stage 1", "grade I", "1级", "一级", "Ⅰ级", "I级"] {
            assert_eq!(severity_degree(t), Some(1), "{t}");
        }
        for t in ["Grade III", "Ⅲ级", "三级", "3级", "Stage 3", "Ⅲ期"] {
            assert_eq!(severity_degree(t), Some(3), "{t}");
        }
        assert_eq!(severity_degree("Gradual"), None);
        assert_eq!(severity_degree("肿瘤"), None);
    }

    #[test]
    fn recommendation_classes_and_evidence_levels() {
        for (t, c) in [
            ("Class I", "I"),
            ("1", "I"),
            ("IIa", "IIa"),
            ("2a", "IIa"),
            ("Class IIb", "IIb"),
            ("III: No Benefit", "III"),
            ("Ⅰ类", "I"),
            ("COR 2b", "IIb"),
        ] {
            assert_eq!(recommendation_class(t), Some(c), "{t}");
        }
        for (t, l) in
            [("Level A", "A"), ("B-NR", "B-NR"), ("LOE B-R", "B-R"), ("C-EO", "C-EO"), ("A级", "A"), ("c-ld", "C-LD")]
        {
            assert_eq!(evidence_level(t), Some(l), "{t}");
        }
        assert_eq!(evidence_level("Adrenaline"), None);
        assert_eq!(recommendation_class("Initial"), None);
    }

    #[test]
    fn the_column_decides_which_class_a_value_is() {
        assert_eq!(column_kind("Class of recommendation"), ColumnKind::RecommendationClass);
        assert_eq!(column_kind("推荐强度"), ColumnKind::RecommendationClass);
        assert_eq!(column_kind("Level of evidence"), ColumnKind::EvidenceLevel);
        assert_eq!(column_kind("证据等级"), ColumnKind::EvidenceLevel);
        assert_eq!(column_kind("NYHA class"), ColumnKind::Severity, "a disease's class is not a recommendation's");
        assert_eq!(column_kind("Score"), ColumnKind::Other);
        assert_eq!(column_kind("Severity grade"), ColumnKind::Severity);
        assert_eq!(column_kind("疼痛分级"), ColumnKind::Severity);
    }
}
