//! Sample quantiles of sorted data: the interpolated point estimate (R type 7, numpy's default)
//! and a distribution-free confidence interval from order statistics.

/// The p-quantile of ascending `sorted` data by linear interpolation between order statistics
/// (R type 7, numpy's default): h = (n − 1)·p, x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]).
/// p is clamped to [0, 1]. NaN when `sorted` is empty or p is NaN.
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() || p.is_nan() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * p.clamp(0.0, 1.0);
    let lower = h.floor();
    // h ≤ n − 1, so lower is a valid index.
    let i = lower as usize;
    match sorted.get(i + 1) {
        Some(&next) => sorted[i] + (h - lower) * (next - sorted[i]),
        None => sorted[i],
    }
}

/// A distribution-free 95% confidence interval for the p-quantile of ascending `sorted` data,
/// from order statistics: 1-based ranks j, k = n·p ∓ 1.96·√(n·p·(1 − p)), rounded outward
/// (j down, k up) and clamped to [1, n]; the interval is (x₍ⱼ₎, x₍ₖ₎). (NaN, NaN) when n < 2 or p
/// is outside [0, 1].
pub fn quantile_ci_sorted(sorted: &[f64], p: f64) -> (f64, f64) {
    let n = sorted.len();
    if n < 2 || !(0.0..=1.0).contains(&p) {
        return (f64::NAN, f64::NAN);
    }
    let nf = n as f64;
    let half = 1.96 * (nf * p * (1.0 - p)).sqrt();
    let j = (nf * p - half).floor().clamp(1.0, nf) as usize;
    let k = (nf * p + half).ceil().clamp(1.0, nf) as usize;
    (sorted[j - 1], sorted[k - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_seven_quantiles_match_numpy() {
        // numpy.quantile([1, 2, 3, 4], q): h = 3q.
        // q = 0.25: h = 0.75 → 1 + 0.75·1 = 1.75. q = 0.9: h = 2.7 → 3 + 0.7·1 = 3.7.
        let x = [1.0, 2.0, 3.0, 4.0];
        assert!((quantile_sorted(&x, 0.25) - 1.75).abs() < 1e-15);
        assert!((quantile_sorted(&x, 0.9) - 3.7).abs() < 1e-15);
        assert_eq!(quantile_sorted(&x, 0.5), 2.5);
        assert_eq!(quantile_sorted(&x, 0.0), 1.0);
        assert_eq!(quantile_sorted(&x, 1.0), 4.0);
    }

    #[test]
    fn quantile_of_nothing_is_nan_and_of_one_value_is_that_value() {
        assert!(quantile_sorted(&[], 0.5).is_nan());
        assert_eq!(quantile_sorted(&[7.0], 0.3), 7.0);
        assert!(quantile_sorted(&[1.0, 2.0], f64::NAN).is_nan());
    }

    #[test]
    fn median_interval_of_one_to_a_hundred_uses_ranks_40_and_60() {
        // n = 100, p = 0.5: 50 ∓ 1.96·√25 = 50 ∓ 9.8 → j = ⌊40.2⌋ = 40, k = ⌈59.8⌉ = 60.
        // The data are 1..=100, so x₍ⱼ₎ = j; the interval brackets the true median 50.5.
        let x: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(quantile_ci_sorted(&x, 0.5), (40.0, 60.0));
    }

    #[test]
    fn p90_interval_clamps_to_the_largest_order_statistic() {
        // n = 10, p = 0.9: 9 ∓ 1.96·√0.9 = 9 ∓ 1.859 → j = ⌊7.14⌋ = 7, k = ⌈10.86⌉ = 11 → 10.
        let x: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(quantile_ci_sorted(&x, 0.9), (7.0, 10.0));
        let (lo, hi) = quantile_ci_sorted(&[1.0], 0.5);
        assert!(lo.is_nan() && hi.is_nan());
    }
}
