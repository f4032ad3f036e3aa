//! Numbers with units in table cells, as typed values: "300 ～ 600 mg" is 300..600 mg,
//! "≥ 140 mmHg" is at least 140 mmHg, "3次/d" is 3 per day, "20 μg" is 20 μg. Only a cell that is
//! wholly a quantity is read; "PCIA 10 min" or "5～30mg/4～6h" keep their text alone. A unit the
//! cell lacks comes from its column header ("Dose (mg)", "LC50 (µg/ml)").

use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

/// A value or a range, with an optional comparator and unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quantity {
    /// `>=`, `<=`, `>`, `<` or `~` (about).
    pub comparator: Option<&'static str>,
    /// The value, or the low end of a range, as an `xsd:decimal` lexical form.
    pub low: String,
    /// The high end of a range.
    pub high: Option<String>,
    pub unit: Option<String>,
}

/// A unit: letters, micro, percent, degrees or Han characters, then optional "/ 12 h" parts.
const UNIT: &str = r"[A-Za-zμ%°\p{Han}][A-Za-zμ%°·.²³\p{Han}]*(?:\s*/\s*(?:\d+(?:\.\d+)?)?\s*[A-Za-zμ\p{Han}]+)*";

static WHOLE: LazyLock<Regex> = LazyLock::new(|| {
    let number = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+";
    Regex::new(&format!(
        r"^(?P<cmp>>=|<=|≥|≤|>|<|~|约)?\s*(?P<low>{number})\s*(?P<unit_low>{UNIT})?\s*(?:(?:~|-|–|—|至|to)\s*(?P<high>{number})\s*)?(?P<unit>{UNIT})?$"
    ))
    .expect("quantity pattern")
});
static HEADER_UNIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"\(\s*(?P<unit>{UNIT})\s*\)\s*$")).expect("header unit pattern"));

fn decimal(number: &str) -> String {
    let plain = number.replace(',', "");
    if plain.starts_with('.') { format!("0{plain}") } else { plain }
}

fn fold(text: &str) -> String {
    // NFKC: "～" → "~", "µ" (micro sign) → "μ", "（" → "(", full-width digits → ASCII.
    text.nfkc().collect::<String>().trim().to_string()
}

/// Longer units are taken as they come; a one-letter one must be a unit clinex knows, so
/// that "1a" is not one "a".
fn plausible_unit(unit: &str) -> bool {
    unit.chars().count() > 1 || UNITS.iter().any(|(written, _)| *written == unit)
}

/// A cell's text without a bound written after its value, and that bound.
fn trailing_comparator(text: &str) -> (&str, Option<&'static str>) {
    const BOUNDS: [(&str, &str); 8] = [
        ("及以上", ">="),
        ("以上", ">="),
        ("及以下", "<="),
        ("以下", "<="),
        ("以内", "<="),
        (" or more", ">="),
        (" or less", "<="),
        (" or older", ">="),
    ];
    for (suffix, cmp) in BOUNDS {
        if let Some(rest) = text.strip_suffix(suffix) {
            return (rest.trim_end(), Some(cmp));
        }
    }
    (text, None)
}

/// The quantity a whole cell states, with `header_unit` when the cell gives none.
pub fn parse(cell: &str, header_unit: Option<&str>) -> Option<Quantity> {
    let text = fold(cell);
    // "12 年以上", "65 岁及以下", "3 days or more": a bound written after the value.
    let (text, trailing_bound) = trailing_comparator(&text);
    let m = WHOLE.captures(text)?;
    let unit_low = m.name("unit_low").map(|u| u.as_str().trim().to_string());
    let unit_end = m.name("unit").map(|u| u.as_str().trim().to_string());
    let high = m.name("high").map(|h| decimal(h.as_str()));
    // A unit after the first number of a range must be the one after the last ("2 mg-5 mg").
    if let (Some(a), Some(b)) = (&unit_low, &unit_end)
        && a != b
    {
        return None;
    }
    if unit_low.is_some() && high.is_none() && unit_end.is_some() {
        return None;
    }
    let unit = unit_end.or(unit_low);
    if unit.as_deref().is_some_and(|u| !plausible_unit(u)) {
        return None;
    }
    if trailing_bound.is_some() && (m.name("cmp").is_some() || high.is_some()) {
        return None;
    }
    let comparator = trailing_bound.or(m.name("cmp").map(|c| match c.as_str() {
        ">=" | "≥" => ">=",
        "<=" | "≤" => "<=",
        ">" => ">",
        "<" => "<",
        _ => "~",
    }));
    Some(Quantity { comparator, low: decimal(&m["low"]), high, unit: unit.or_else(|| header_unit.map(str::to_string)) })
}

/// Units as written, with their UCUM codes (the code system FHIR and LOINC use). Counts are
/// UCUM annotations, which are unity: "3次/d" is 3 `{times}/d`, "2 片" 2 `{tablet}`.
#[rustfmt::skip]
const UNITS: &[(&str, &str)] = &[
    ("mg", "mg"), ("g", "g"), ("kg", "kg"), ("μg", "ug"), ("mcg", "ug"), ("microgram", "ug"),
    ("micrograms", "ug"), ("ng", "ng"), ("pg", "pg"), ("ml", "mL"), ("mL", "mL"), ("l", "L"), ("L", "L"),
    ("dl", "dL"), ("dL", "dL"), ("μl", "uL"), ("μL", "uL"), ("h", "h"), ("hr", "h"), ("hour", "h"),
    ("hours", "h"), ("min", "min"), ("minute", "min"), ("minutes", "min"), ("s", "s"), ("sec", "s"),
    ("d", "d"), ("day", "d"), ("days", "d"), ("wk", "wk"), ("week", "wk"), ("weeks", "wk"), ("mo", "mo"),
    ("month", "mo"), ("months", "mo"), ("y", "a"), ("yr", "a"), ("year", "a"), ("years", "a"), ("%", "%"),
    ("mmHg", "mm[Hg]"), ("cmH2O", "cm[H2O]"), ("mmol", "mmol"), ("μmol", "umol"), ("nmol", "nmol"),
    ("mol", "mol"), ("mEq", "meq"), ("IU", "[iU]"), ("U", "U"), ("kPa", "kPa"), ("cm", "cm"), ("mm", "mm"),
    ("m", "m"), ("μm", "um"), ("nm", "nm"), ("°C", "Cel"), ("bpm", "/min"), ("kcal", "kcal"),
    ("nM", "nmol/L"), ("μM", "umol/L"), ("mM", "mmol/L"), ("M", "mol/L"), ("m²", "m2"), ("m2", "m2"),
    ("岁", "a"), ("天", "d"), ("日", "d"), ("次", "{times}"), ("周", "wk"), ("分", "min"), ("分钟", "min"),
    ("年", "a"), ("月", "mo"), ("倍", "{fold}"), ("小时", "h"), ("毫克", "mg"), ("克", "g"), ("毫升", "mL"), ("秒", "s"),
    ("片", "{tablet}"), ("粒", "{capsule}"), ("支", "{vial}"), ("滴", "[drp]"), ("个", "{count}"),
    ("人", "{persons}"), ("例", "{cases}"),
];

/// The UCUM code of a unit as written ("mg/12 h" → "mg/(12.h)", "次/d" → "{times}/d"), when every
/// part of it is a unit clinex knows.
pub fn ucum(unit: &str) -> Option<String> {
    let mut code = String::new();
    for (k, part) in unit.split('/').enumerate() {
        let part = part.trim();
        let atom = part.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
        let number = part[..part.len() - atom.len()].trim();
        let ucum = UNITS.iter().find(|(written, _)| *written == atom.trim())?.1;
        if k > 0 {
            code.push('/');
        }
        if number.is_empty() {
            code.push_str(ucum);
        } else {
            code.push_str(&format!("({number}.{ucum})"));
        }
    }
    Some(code)
}

/// Every "/" part of `unit` is a known unit, optionally after a number ("mg/12 h"). A header's
/// parentheses also hold abbreviations ("(NRS)", "(C/N)"), which are not.
fn known_unit(unit: &str) -> bool {
    ucum(unit).is_some()
}

/// The unit a column header states in closing parentheses: "Dose (mg)" → mg, "剂量（μg）" → μg.
pub fn header_unit(header: &str) -> Option<String> {
    let text = fold(header);
    let unit = HEADER_UNIT.captures(&text)?.name("unit")?.as_str().trim().to_string();
    known_unit(&unit).then_some(unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(cmp: Option<&'static str>, low: &str, high: Option<&str>, unit: Option<&str>) -> Option<Quantity> {
        Some(Quantity { comparator: cmp, low: low.into(), high: high.map(Into::into), unit: unit.map(Into::into) })
    }

    #[test]
    fn values_ranges_and_units() {
        assert_eq!(parse("300 ～ 600 mg", None), q(None, "300", Some("600"), Some("mg")));
        assert_eq!(parse("60 mg", None), q(None, "60", None, Some("mg")));
        assert_eq!(parse("0.2～1.0 mg", None), q(None, "0.2", Some("1.0"), Some("mg")));
        assert_eq!(parse("20～50 μg", None), q(None, "20", Some("50"), Some("μg")));
        assert_eq!(parse("20 µg", None), q(None, "20", None, Some("μg")), "the micro sign folds to mu");
        assert_eq!(parse("≥ 140 mmHg", None), q(Some(">="), "140", None, Some("mmHg")));
        assert_eq!(parse("3次/d", None), q(None, "3", None, Some("次/d")));
        assert_eq!(parse("10 ～ 30 mg/12 h", None), q(None, "10", Some("30"), Some("mg/12 h")));
        assert_eq!(parse("4 ～ 5 h", None), q(None, "4", Some("5"), Some("h")));
        assert_eq!(parse("1,000 mg", None), q(None, "1000", None, Some("mg")));
        assert_eq!(parse("30%", None), q(None, "30", None, Some("%")));
        assert_eq!(parse("12", Some("%")), q(None, "12", None, Some("%")));
        assert_eq!(parse("1-3", None), q(None, "1", Some("3"), None));
        assert_eq!(parse("12 年以上", None), q(Some(">="), "12", None, Some("年")));
        assert_eq!(parse("65岁及以下", None), q(Some("<="), "65", None, Some("岁")));
        assert_eq!(parse("3 days or more", None), q(Some(">="), "3", None, Some("days")));
        assert_eq!(parse("<45 岁", None), q(Some("<"), "45", None, Some("岁")));
    }

    #[test]
    fn text_that_is_not_wholly_a_quantity_is_left_alone() {
        for t in ["PCIA 10～15 min", "5～30mg/4～6h", "1a", "Ia，A", "口服", "无", "Grade 1", "2 mg-5 g", ""] {
            assert_eq!(parse(t, None), None, "{t}");
        }
    }

    #[test]
    fn units_from_headers() {
        assert_eq!(header_unit("Dose (mg)").as_deref(), Some("mg"));
        assert_eq!(header_unit("LC50 (µg/ml)").as_deref(), Some("μg/ml"));
        assert_eq!(header_unit("剂量（mg/kg）").as_deref(), Some("mg/kg"));
        assert_eq!(header_unit("Yes (%)").as_deref(), Some("%"));
        assert_eq!(header_unit("Dose"), None);
        assert_eq!(header_unit("33RE Ki (nM)").as_deref(), Some("nM"));
        assert_eq!(header_unit("Fold selectivity Ki (C/N)"), None, "a ratio, not a unit");
        assert_eq!(header_unit("Pain intensity (NRS)"), None, "an abbreviation, not a unit");
    }

    #[test]
    fn units_in_ucum() {
        for (written, code) in [
            ("mg", "mg"),
            ("μg", "ug"),
            ("micrograms", "ug"),
            ("mL", "mL"),
            ("mg/kg", "mg/kg"),
            ("mg/12 h", "mg/(12.h)"),
            ("次/d", "{times}/d"),
            ("mg/次", "mg/{times}"),
            ("片", "{tablet}"),
            ("岁", "a"),
            ("mmHg", "mm[Hg]"),
            ("%", "%"),
        ] {
            assert_eq!(ucum(written).as_deref(), Some(code), "{written}");
        }
        assert_eq!(ucum("tablets"), None);
    }
}
