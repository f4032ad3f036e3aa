//! Agreement of two texts as a bag of tokens: words for alphabetic scripts, single characters
//! for CJK (where word boundaries are not written).

use std::collections::HashMap;

use extractor::text::script::{fold_fullwidth, is_cjk};

/// Lower-cased tokens: runs of letters and digits, and each CJK character on its own.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in text.chars().map(fold_fullwidth) {
        if is_cjk(c) && c.is_alphanumeric() {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            out.push(c.to_string());
        } else if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// Precision, recall and F1 of `candidate` against `reference`, by token multiset.
pub fn token_f1(candidate: &str, reference: &str) -> (f64, f64, f64) {
    let count = |t: &str| {
        let mut m: HashMap<String, i64> = HashMap::new();
        for tok in tokens(t) {
            *m.entry(tok).or_default() += 1;
        }
        m
    };
    let (c, r) = (count(candidate), count(reference));
    let (nc, nr): (i64, i64) = (c.values().sum(), r.values().sum());
    if nc == 0 && nr == 0 {
        return (1.0, 1.0, 1.0);
    }
    let common: i64 = c.iter().map(|(k, v)| (*v).min(*r.get(k).unwrap_or(&0))).sum();
    let p = if nc == 0 { 0.0 } else { common as f64 / nc as f64 };
    let rec = if nr == 0 { 0.0 } else { common as f64 / nr as f64 };
    let f = if p + rec == 0.0 { 0.0 } else { 2.0 * p * rec / (p + rec) };
    (p, rec, f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixed_script_tokens() {
        assert_eq!(tokens("PCA 滴定, Dose-2"), ["pca", "滴", "定", "dose", "2"]);
        let (p, r, f) = token_f1("a b c", "a b d");
        assert!((p - 2.0 / 3.0).abs() < 1e-9 && (r - 2.0 / 3.0).abs() < 1e-9 && (f - 2.0 / 3.0).abs() < 1e-9);
    }
}
