//! Ranks with ties averaged, and Spearman's rank correlation built on them: the sensitivity
//! measure between a sampled input and an outcome.

/// 1-based ranks of `values`, ties given the average of the ranks they span (so [10, 20, 20, 30]
/// ranks as [1, 2.5, 2.5, 4]). NaN values get a NaN rank and are not counted in the others.
pub fn ranks(values: &[f64]) -> Vec<f64> {
    let mut out = vec![f64::NAN; values.len()];
    let mut order: Vec<usize> = (0..values.len()).filter(|&i| !values[i].is_nan()).collect();
    order.sort_unstable_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut start = 0;
    while start < order.len() {
        let first = values[order[start]];
        let end = start
            + order[start..]
                .iter()
                .take_while(|&&i| values[i] == first)
                .count();
        // Positions start..end hold 1-based ranks start + 1 ..= end; their average:
        let rank = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            out[i] = rank;
        }
        start = end;
    }
    out
}

/// Spearman's rank correlation: the Pearson correlation of the average ranks of `x` and `y`.
/// Pairs where either side is NaN are dropped (extra entries of the longer slice are ignored).
/// NaN when fewer than three pairs remain or either side is constant.
pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    let (xs, ys): (Vec<f64>, Vec<f64>) = x
        .iter()
        .zip(y)
        .filter(|(a, b)| !a.is_nan() && !b.is_nan())
        .map(|(&a, &b)| (a, b))
        .unzip();
    if xs.len() < 3 {
        return f64::NAN;
    }
    pearson(&ranks(&xs), &ranks(&ys))
}

/// Pearson correlation of equal-length, NaN-free slices; NaN when either has zero spread.
pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let mx = x.iter().sum::<f64>() / n;
    let my = y.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        let (dx, dy) = (a - mx, b - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if sxx == 0.0 || syy == 0.0 {
        return f64::NAN;
    }
    (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_the_average_of_their_ranks() {
        assert_eq!(ranks(&[10.0, 20.0, 20.0, 30.0]), [1.0, 2.5, 2.5, 4.0]);
        assert_eq!(ranks(&[3.0, 1.0, 3.0, 3.0]), [3.0, 1.0, 3.0, 3.0]);
        let r = ranks(&[2.0, f64::NAN, 1.0]);
        assert_eq!((r[0], r[2]), (2.0, 1.0));
        assert!(r[1].is_nan());
    }

    #[test]
    fn a_monotone_transform_has_spearman_one_and_a_reversal_minus_one() {
        let x: Vec<f64> = (1..=20).map(|i| f64::from(i) * 0.7 - 3.0).collect();
        let up: Vec<f64> = x.iter().map(|v| v.exp()).collect();
        let down: Vec<f64> = x.iter().map(|v| -v * v * v).collect();
        assert!((spearman(&x, &up) - 1.0).abs() < 1e-15);
        assert!((spearman(&x, &down) + 1.0).abs() < 1e-15);
    }

    #[test]
    fn spearman_with_ties_matches_hand_calculation() {
        // x = [1, 2, 2, 3] ranks [1, 2.5, 2.5, 4]; y = [1, 3, 2, 4] ranks [1, 3, 2, 4].
        // Both rank means are 2.5. Deviations dx = [−1.5, 0, 0, 1.5], dy = [−1.5, 0.5, −0.5, 1.5].
        // Σdx·dy = 4.5, Σdx² = 4.5, Σdy² = 5, so ρ = 4.5/√22.5 = √0.9 ≈ 0.9486833.
        let rho = spearman(&[1.0, 2.0, 2.0, 3.0], &[1.0, 3.0, 2.0, 4.0]);
        assert!((rho - 0.9_f64.sqrt()).abs() < 1e-15);
    }

    #[test]
    fn nan_pairs_are_dropped_pairwise() {
        // Dropping the NaN pairs leaves the tied example above.
        let x = [1.0, f64::NAN, 2.0, 2.0, 5.0, 3.0];
        let y = [1.0, 9.0, 3.0, 2.0, f64::NAN, 4.0];
        assert!((spearman(&x, &y) - 0.9_f64.sqrt()).abs() < 1e-15);
    }

    #[test]
    fn constant_or_too_short_input_gives_nan() {
        assert!(spearman(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]).is_nan());
        assert!(spearman(&[1.0, 2.0, 3.0], &[4.0, 4.0, 4.0]).is_nan());
        assert!(spearman(&[1.0, 2.0], &[1.0, 2.0]).is_nan());
    }
}
