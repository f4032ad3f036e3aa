//! Disjoint sets (union-find): which of `n` items end up joined by pairwise links. Used to group
//! a drawing's connectors into wires, boxes into flowcharts and a picture's pixels into strokes.

/// `n` items, each first in a set of its own.
#[derive(Debug, Clone)]
pub struct DisjointSets {
    parent: Vec<u32>,
}

impl DisjointSets {
    /// `n` items (at most `u32::MAX`: a picture's pixels fit), each in its own set.
    pub fn new(n: usize) -> Self {
        Self { parent: (0..n as u32).collect() }
    }

    /// The root of `i`'s set (halving the path on the way, so later calls are quick).
    pub fn find(&mut self, i: usize) -> usize {
        let mut i = i as u32;
        while self.parent[i as usize] != i {
            let grand = self.parent[self.parent[i as usize] as usize];
            self.parent[i as usize] = grand;
            i = grand;
        }
        i as usize
    }

    /// Joins the sets of `keep` and `other`; `keep`'s root stays the root, so sets keyed by
    /// their roots keep the order of the items that started them.
    pub fn union(&mut self, keep: usize, other: usize) {
        let (root, joined) = (self.find(keep), self.find(other));
        self.parent[joined] = root as u32;
    }

    /// Whether `a` and `b` are in one set.
    pub fn same(&mut self, a: usize, b: usize) -> bool {
        self.find(a) == self.find(b)
    }

    /// Every set, its items in increasing order, the sets in the order of their roots.
    pub fn groups(&mut self) -> Vec<Vec<usize>> {
        let mut by_root: std::collections::BTreeMap<usize, Vec<usize>> = std::collections::BTreeMap::new();
        for i in 0..self.parent.len() {
            let root = self.find(i);
            by_root.entry(root).or_default().push(i);
        }
        by_root.into_values().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_join_sets_and_the_first_root_stays() {
        let mut sets = DisjointSets::new(6);
        sets.union(4, 1);
        sets.union(1, 3);
        sets.union(0, 5);
        assert!(sets.same(3, 4) && sets.same(0, 5) && !sets.same(0, 1));
        assert_eq!(sets.find(3), 4, "the root of the set that was joined into stays");
        assert_eq!(sets.groups(), vec![vec![0, 5], vec![2], vec![1, 3, 4]], "in the order of their roots");
    }
}
