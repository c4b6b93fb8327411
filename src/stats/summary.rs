//! One-column summaries of simulation results: mean with its standard error, the percentiles a
//! board paper quotes, and distribution-free confidence intervals for the median and P90; plus
//! the summary of a yes/no outcome as a probability.

use super::quantile::{quantile_ci_sorted, quantile_sorted};

/// Summary of the finite values of one result column.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Number of finite values summarised.
    pub n: usize,
    /// Arithmetic mean.
    pub mean: f64,
    /// Sample standard deviation (n − 1 denominator); NaN when n < 2.
    pub sd: f64,
    /// Standard error of the mean, sd/√n.
    pub se_mean: f64,
    /// Smallest value.
    pub min: f64,
    /// 5th percentile (type 7).
    pub p5: f64,
    /// 10th percentile (type 7).
    pub p10: f64,
    /// 25th percentile (type 7).
    pub p25: f64,
    /// Median (type 7).
    pub p50: f64,
    /// 75th percentile (type 7).
    pub p75: f64,
    /// 90th percentile (type 7).
    pub p90: f64,
    /// 95th percentile (type 7).
    pub p95: f64,
    /// Largest value.
    pub max: f64,
    /// Distribution-free 95% confidence interval for the median.
    pub p50_ci: (f64, f64),
    /// Distribution-free 95% confidence interval for the 90th percentile.
    pub p90_ci: (f64, f64),
}

/// Summarises `values`, ignoring any that are not finite (NaN or ±∞); `n` counts the finite
/// ones. With no finite values every statistic is NaN. The mean uses a corrected two-pass sum in
/// index order, so the result does not depend on how the values were produced.
pub fn summarize(values: &[f64]) -> Summary {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    let n = sorted.len();
    let nf = n as f64;
    let (mean, sd) = mean_sd(&sorted);
    super::sort_total(&mut sorted);
    let q = |p: f64| quantile_sorted(&sorted, p);
    Summary {
        n,
        mean,
        sd,
        se_mean: sd / nf.sqrt(),
        min: q(0.0),
        p5: q(0.05),
        p10: q(0.10),
        p25: q(0.25),
        p50: q(0.50),
        p75: q(0.75),
        p90: q(0.90),
        p95: q(0.95),
        max: q(1.0),
        p50_ci: quantile_ci_sorted(&sorted, 0.5),
        p90_ci: quantile_ci_sorted(&sorted, 0.9),
    }
}

/// Mean (corrected two-pass) and sample sd of NaN-free values, in index order.
fn mean_sd(xs: &[f64]) -> (f64, f64) {
    if xs.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    let n = xs.len() as f64;
    let rough = xs.iter().sum::<f64>() / n;
    let mean = rough + xs.iter().map(|x| x - rough).sum::<f64>() / n;
    if xs.len() < 2 {
        return (mean, f64::NAN);
    }
    let ss: f64 = xs.iter().map(|x| (x - mean) * (x - mean)).sum();
    (mean, (ss / (n - 1.0)).sqrt())
}

/// Summary of a yes/no outcome recorded as 0/1 values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProbSummary {
    /// Number of finite values summarised.
    pub n: usize,
    /// Proportion of ones (the mean of the values).
    pub p: f64,
    /// Binomial standard error √(p(1 − p)/n).
    pub se: f64,
}

/// Summarises 0/1 `values` as a probability, ignoring non-finite values. With none left, p and
/// se are NaN.
pub fn summarize_bool(values: &[f64]) -> ProbSummary {
    let (n, sum) = values
        .iter()
        .filter(|x| x.is_finite())
        .fold((0_usize, 0.0), |(n, s), x| (n + 1, s + x));
    let nf = n as f64;
    let p = sum / nf;
    ProbSummary {
        n,
        p,
        se: (p * (1.0 - p) / nf).sqrt(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_vector_matches_hand_calculation_and_ignores_non_finite_values() {
        // Finite values 2, 4, 4, 4, 5, 5, 7, 9 (n = 8): mean 5, Σ(x − 5)² = 32, sd √(32/7).
        // Type 7 with h = 7p: p5 h=0.35 → 2.7; p10 h=0.7 → 3.4; p25 h=1.75 → 4; p50 h=3.5 → 4.5;
        // p75 h=5.25 → 5.5; p90 h=6.3 → 7.6; p95 h=6.65 → 8.3.
        // Median CI: 4 ∓ 1.96·√2 = 4 ∓ 2.772 → ranks 1 and 7 → (2, 7).
        // P90 CI: 7.2 ∓ 1.96·√0.72 = 7.2 ∓ 1.663 → ranks 5 and 9 → clamped 8 → (5, 9).
        let v = [
            5.0,
            2.0,
            f64::NAN,
            9.0,
            4.0,
            7.0,
            4.0,
            f64::INFINITY,
            5.0,
            4.0,
        ];
        let s = summarize(&v);
        let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
        assert_eq!(s.n, 8);
        assert!(close(s.mean, 5.0));
        assert!(close(s.sd, (32.0_f64 / 7.0).sqrt()));
        assert!(close(s.se_mean, (32.0_f64 / 7.0 / 8.0).sqrt()));
        assert_eq!((s.min, s.max), (2.0, 9.0));
        assert!(close(s.p5, 2.7) && close(s.p10, 3.4) && close(s.p25, 4.0));
        assert!(close(s.p50, 4.5) && close(s.p75, 5.5));
        assert!(close(s.p90, 7.6) && close(s.p95, 8.3));
        assert_eq!(s.p50_ci, (2.0, 7.0));
        assert_eq!(s.p90_ci, (5.0, 9.0));
    }

    #[test]
    fn all_nan_input_gives_zero_count_and_nan_statistics() {
        let s = summarize(&[f64::NAN, f64::NAN]);
        assert_eq!(s.n, 0);
        assert!(s.mean.is_nan() && s.sd.is_nan() && s.p50.is_nan() && s.max.is_nan());
        assert!(s.p50_ci.0.is_nan() && s.p90_ci.1.is_nan());
    }

    #[test]
    fn mean_keeps_precision_with_a_large_offset() {
        // 1e9 + {0.1, 0.2, 0.3}: mean 1e9 + 0.2, sd 0.1.
        let s = summarize(&[1.0e9 + 0.1, 1.0e9 + 0.2, 1.0e9 + 0.3]);
        assert!((s.mean - (1.0e9 + 0.2)).abs() < 1e-6);
        assert!((s.sd - 0.1).abs() < 1e-6);
    }

    #[test]
    fn bool_summary_is_a_proportion_with_binomial_standard_error() {
        // 3 ones in 4: p = 0.75, se = √(0.75·0.25/4) = √0.046875.
        let s = summarize_bool(&[1.0, 0.0, 1.0, f64::NAN, 1.0]);
        assert_eq!((s.n, s.p), (4, 0.75));
        assert!((s.se - 0.046_875_f64.sqrt()).abs() < 1e-15);
        let empty = summarize_bool(&[]);
        assert_eq!(empty.n, 0);
        assert!(empty.p.is_nan() && empty.se.is_nan());
    }
}
