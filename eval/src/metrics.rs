//! Detection scoring: greedy one-to-one matching at an IoU threshold, per class.

use std::collections::BTreeMap;

use extractor::geometry::BBox;

/// Counts for one class.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counts {
    pub true_pos: u32,
    pub false_pos: u32,
    pub false_neg: u32,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.true_pos, self.true_pos + self.false_pos)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.true_pos, self.true_pos + self.false_neg)
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
    }

    pub fn add(&mut self, other: Counts) {
        self.true_pos += other.true_pos;
        self.false_pos += other.false_pos;
        self.false_neg += other.false_neg;
    }
}

fn ratio(a: u32, b: u32) -> f64 {
    if b == 0 { 0.0 } else { f64::from(a) / f64::from(b) }
}

/// Matches predictions (class, score, box) to ground truth (class, box) of one page, each
/// prediction to at most one truth of its class, strongest first.
pub fn match_page(predicted: &[(String, f32, BBox)], truth: &[(String, BBox)], iou: f32) -> BTreeMap<String, Counts> {
    let mut counts: BTreeMap<String, Counts> = BTreeMap::new();
    let mut order: Vec<usize> = (0..predicted.len()).collect();
    order.sort_by(|&a, &b| predicted[b].1.total_cmp(&predicted[a].1));
    let mut used = vec![false; truth.len()];
    for i in order {
        let (class, _, b) = &predicted[i];
        let best = truth
            .iter()
            .enumerate()
            .filter(|(j, (c, _))| !used[*j] && c == class)
            .map(|(j, (_, t))| (j, b.iou(t)))
            .filter(|&(_, v)| v >= iou)
            .max_by(|a, b| a.1.total_cmp(&b.1));
        let entry = counts.entry(class.clone()).or_default();
        match best {
            Some((j, _)) => {
                used[j] = true;
                entry.true_pos += 1;
            }
            None => entry.false_pos += 1,
        }
    }
    for (j, (class, _)) in truth.iter().enumerate() {
        if !used[j] {
            counts.entry(class.clone()).or_default().false_neg += 1;
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_hit_one_miss_one_extra() {
        let b = |x: f32| BBox::new(x, 0.0, x + 10.0, 10.0);
        let pred = vec![("text".to_string(), 0.9, b(0.0)), ("text".to_string(), 0.8, b(50.0))];
        let truth = vec![("text".to_string(), b(1.0)), ("table".to_string(), b(100.0))];
        let c = match_page(&pred, &truth, 0.5);
        assert_eq!(c["text"], Counts { true_pos: 1, false_pos: 1, false_neg: 0 });
        assert_eq!(c["table"], Counts { true_pos: 0, false_pos: 0, false_neg: 1 });
    }
}
