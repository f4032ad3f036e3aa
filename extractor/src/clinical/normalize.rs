//! How table columns are read, and a disease's degrees. The same degree is written many ways
//! ("Grade 1", "Level 1", "Class I", "Stage 1", "grade I", "1级", "一级", "Ⅰ级", "I级"), and
//! recommendations and evidence are graded in several systems (see `grading`). Which reading
//! applies comes from the column the value stands in: a recommendation's "Class I" is never a
//! disease's "Class I".

/// How a column's values are read, from its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// A recommendation's grading; `strength` when the header names a GRADE strength, where 1
    /// and 2 mean strong and weak.
    Recommendation { strength: bool },
    /// A level or certainty of evidence.
    Evidence,
    /// A degree (grade, stage, class) of the disease the table is about.
    Severity,
}

const EVIDENCE_KEYS: &[&str] = &[
    "level of evidence",
    "loe",
    "evidence level",
    "quality of evidence",
    "evidence quality",
    "certainty of evidence",
    "certainty",
    "证据等级",
    "证据级别",
    "证据质量",
    "证据水平",
    "证据分级",
    "循证等级",
];
const CLASS_KEYS: &[&str] = &[
    "class of recommendation",
    "cor",
    "recommendation class",
    "推荐级别",
    "推荐类别",
    "推荐等级",
    "推荐意见等级",
    "推荐分级",
    "意见级别",
];
const STRENGTH_KEYS: &[&str] =
    &["strength of recommendation", "recommendation strength", "grade of recommendation", "推荐强度", "推荐力度"];
const SEVERITY_KEYS: &[&str] = &["grade", "severity", "stage", "class", "分级", "分期", "严重程度", "等级", "级别"];

/// How the values under `header` (English or Chinese) are read, in the order the header names
/// them: "证据级别，推荐强度" holds an evidence level then a strength in each cell. Latin keys
/// match whole words ("cor" is not in "score"); Chinese ones anywhere.
pub fn column_readings(header: &str) -> Vec<Reading> {
    let h: String = header.to_lowercase().chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
    let h = format!(" {} ", h.split_whitespace().collect::<Vec<_>>().join(" "));
    let first = |keys: &[&str]| {
        keys.iter().filter_map(|k| if k.is_ascii() { h.find(&format!(" {k} ")) } else { h.find(k) }).min()
    };
    let mut found: Vec<(usize, Reading)> = [
        (first(EVIDENCE_KEYS), Reading::Evidence),
        (first(CLASS_KEYS), Reading::Recommendation { strength: false }),
        (first(STRENGTH_KEYS), Reading::Recommendation { strength: true }),
    ]
    .into_iter()
    .filter_map(|(at, reading)| at.map(|at| (at, reading)))
    .collect();
    found.sort_by_key(|f| f.0);
    // "推荐强度" also holds "推荐等级"-like words; one recommendation reading per header.
    found.dedup_by(|a, b| matches!((a.1, b.1), (Reading::Recommendation { .. }, Reading::Recommendation { .. })));
    if found.is_empty() && first(SEVERITY_KEYS).is_some() {
        return vec![Reading::Severity];
    }
    found.into_iter().map(|f| f.1).collect()
}

/// Like [`column_readings`], for a column of a table about recommendations (`context`: the
/// caption and every header). There, a bare "Class" (as in "Recommendations | Class | Level",
/// or "Evidence / Class" under a spanning header) is a class of recommendation, a bare "Level"
/// a level of evidence and a bare "Grade" a GRADE strength; a disease's "NYHA class" stays one.
pub fn column_readings_in(header: &str, context: &str) -> Vec<Reading> {
    let last = header.rsplit(" / ").next().unwrap_or(header).to_lowercase();
    let words: Vec<&str> = last.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let about_recommendations = {
        let c = context.to_lowercase();
        ["recommendation", "evidence", "推荐", "证据"].iter().any(|k| c.contains(k))
    };
    // A footnote letter may trail the word: "Class a".
    let bare = |word: &str| match words[..] {
        [w] => w == word,
        [w, footnote] => w == word && footnote.chars().count() == 1,
        _ => false,
    };
    if about_recommendations {
        if bare("class") {
            return vec![Reading::Recommendation { strength: false }];
        }
        if bare("level") {
            return vec![Reading::Evidence];
        }
        if bare("grade") {
            return vec![Reading::Recommendation { strength: true }];
        }
    }
    column_readings(header)
}

/// A degree 0..=5 written as an Arabic, Roman (ASCII or Unicode) or Chinese numeral.
fn numeral(s: &str) -> Option<u8> {
    let s = s.trim().trim_end_matches(['.', ':', ')']);
    match s {
        "0" | "零" => Some(0),
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
        assert_eq!(severity_degree("0级"), Some(0), "Kellgren-Lawrence starts at 0");
        assert_eq!(severity_degree("Gradual"), None);
        assert_eq!(severity_degree("肿瘤"), None);
    }

    #[test]
    fn the_column_decides_how_a_value_is_read() {
        let strength = Reading::Recommendation { strength: true };
        let class = Reading::Recommendation { strength: false };
        assert_eq!(column_readings("Class of recommendation"), [class]);
        assert_eq!(column_readings("推荐级别"), [class]);
        assert_eq!(column_readings("推荐强度"), [strength]);
        assert_eq!(column_readings("Level of evidence"), [Reading::Evidence]);
        assert_eq!(column_readings("证据等级"), [Reading::Evidence]);
        assert_eq!(column_readings("证据级别，推荐强度"), [Reading::Evidence, strength]);
        assert_eq!(column_readings("COR / LOE"), [class, Reading::Evidence]);
        assert_eq!(column_readings("NYHA class"), [Reading::Severity], "a disease's class is not a recommendation's");
        assert!(column_readings("Score").is_empty());
        assert_eq!(column_readings("Severity grade"), [Reading::Severity]);
        assert_eq!(column_readings("疼痛分级"), [Reading::Severity]);
    }

    #[test]
    fn bare_class_and_level_in_a_recommendations_table() {
        let context = "Table 1. Recommendations for anaphylaxis Recommendation Evidence Class Level";
        let class = Reading::Recommendation { strength: false };
        assert_eq!(column_readings_in("Evidence / Class", context), [class]);
        assert_eq!(column_readings_in("Class a", context), [class]);
        assert_eq!(column_readings_in("Level", context), [Reading::Evidence]);
        assert_eq!(column_readings_in("NYHA class", context), [Reading::Severity]);
        assert_eq!(column_readings_in("Class", "Table 3. Heart failure"), [Reading::Severity]);
    }
}
