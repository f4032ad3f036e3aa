//! Page selections such as `1-3,7,10-`.

use std::str::FromStr;

use crate::error::PageSelectionError;

/// 1-based inclusive ranges; an open end runs to the last page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageSelection {
    ranges: Vec<(u32, Option<u32>)>,
}

impl PageSelection {
    /// The selected 1-based page numbers that exist in a document of `count` pages, in order and
    /// without repeats, and the requested numbers that do not exist.
    pub fn resolve(&self, count: u32) -> (Vec<u32>, Vec<u32>) {
        let mut chosen = Vec::new();
        let mut missing = Vec::new();
        for &(start, end) in &self.ranges {
            let end = end.unwrap_or(count.max(start));
            for n in start..=end {
                if n <= count {
                    chosen.push(n);
                } else if missing.len() < 1000 {
                    missing.push(n);
                }
            }
        }
        chosen.sort_unstable();
        chosen.dedup();
        missing.sort_unstable();
        missing.dedup();
        (chosen, missing)
    }
}

impl FromStr for PageSelection {
    type Err = PageSelectionError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let fail = |reason: &str| PageSelectionError { input: input.to_string(), reason: reason.to_string() };
        let number = |s: &str| -> Result<u32, PageSelectionError> {
            match s.trim().parse::<u32>() {
                Ok(0) => Err(fail("pages are numbered from 1")),
                Ok(n) => Ok(n),
                Err(_) => Err(fail(&format!("{:?} is not a page number", s.trim()))),
            }
        };
        let mut ranges = Vec::new();
        for part in input.split(',') {
            let part = part.trim();
            if part.is_empty() {
                return Err(fail("empty item"));
            }
            match part.split_once('-') {
                None => {
                    let n = number(part)?;
                    ranges.push((n, Some(n)));
                }
                Some((a, b)) => {
                    let start = number(a)?;
                    let end = if b.trim().is_empty() { None } else { Some(number(b)?) };
                    if end.is_some_and(|e| e < start) {
                        return Err(fail("a range runs backwards"));
                    }
                    ranges.push((start, end));
                }
            }
        }
        Ok(Self { ranges })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lists_and_ranges() {
        let s: PageSelection = "1-3, 7,10-".parse().unwrap();
        assert_eq!(s.resolve(12), (vec![1, 2, 3, 7, 10, 11, 12], vec![]));
        assert_eq!(s.resolve(5), (vec![1, 2, 3], vec![7, 10]));
    }

    #[test]
    fn rejects_nonsense() {
        for bad in ["", "0", "3-1", "a", "1,,2", "1-x"] {
            assert!(bad.parse::<PageSelection>().is_err(), "{bad}");
        }
    }
}
