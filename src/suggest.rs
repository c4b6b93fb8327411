//! "Did you mean" suggestions: the closest of a set of names by edit distance.
//!
//! One helper for every place that rejects a name (scenario keys, metric names), so the hints
//! read the same everywhere.

/// The name in `allowed` closest to `key` by Levenshtein distance, if within 3 edits.
pub fn closest<'a>(key: &str, allowed: &[&'a str]) -> Option<&'a str> {
    let x: Vec<char> = key.chars().collect();
    let score = |a: &str| -> usize {
        let y: Vec<char> = a.chars().collect();
        let mut prev: Vec<usize> = (0..=y.len()).collect();
        for i in 1..=x.len() {
            let mut cur = vec![i; y.len() + 1];
            for j in 1..=y.len() {
                let sub = prev[j - 1] + usize::from(x[i - 1] != y[j - 1]);
                cur[j] = sub.min(prev[j] + 1).min(cur[j - 1] + 1);
            }
            prev = cur;
        }
        prev[y.len()]
    };
    allowed
        .iter()
        .copied()
        .map(|a| (score(a), a))
        .filter(|(s, _)| *s <= 3)
        .min()
        .map(|(_, a)| a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_name_within_three_edits() {
        assert_eq!(
            closest("exit_cst", &["exit_cost", "exits_vr"]),
            Some("exit_cost")
        );
        assert_eq!(closest("zzzzzzzzzz", &["exit_cost"]), None);
    }
}
