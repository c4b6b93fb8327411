//! Three-point elicitation: a distribution fitted exactly to a P10, P50 and P90. It is separate
//! because the fit has two forms and a feasibility rule choosing between them.
//!
//! **Form chosen.** The primary form is Keelin's three-term metalog,
//! `Q(u) = a1 + a2·L + a3·(u − ½)·L` with `L = ln(u/(1 − u))`, which passes exactly through the
//! three points (a1 = P50, a2 = (P90 − P10)/(2k), a3 = (P90 + P10 − 2·P50)/(0.8k), k = ln 9). It is a
//! valid (monotone) quantile function only when `|a3|·g* < a2`, where
//! g* = max over u of `u(1 − u)L + u − ½` ≈ 0.59984 (Keelin's bound |a3|/a2 < 1.66711). We use the
//! slightly conservative g* = 0.6, which in elicitation terms reads:
//! **the metalog is used when |P90 + P10 − 2·P50| < (2/3)·(P90 − P10)**, i.e. when the median
//! lies strictly inside the middle two thirds of [P10, P90].
//!
//! **Fallback.** For more skewed inputs the fit is a split (two-piece) normal: two normal halves
//! joined at P50, each carrying probability ½, with the lower half's sd set so that its 10th
//! percentile is P10 and the upper half's so that its 90th percentile is P90. It is exact at the
//! three points and monotone for any strictly increasing input, but has a kink in its density at
//! P50.

use std::f64::consts::PI;

use super::normal::{std_cdf, std_quantile};

/// Conservative bound on max |u(1 − u)·logit(u) + u − ½| over (0, 1) (true value ≈ 0.599839).
const METALOG_G_MAX: f64 = 0.6;

/// Which shape a [`Percentiles`] distribution took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PercentileForm {
    /// Three-term metalog (Keelin 2016), used when the skew is feasible for it.
    Metalog,
    /// Two-piece normal joined at P50, used when the metalog would not be monotone.
    SplitNormal,
}

/// A distribution fitted exactly to three percentiles (P10, P50, P90).
#[derive(Debug, Clone, PartialEq)]
pub struct Percentiles {
    p10: f64,
    p50: f64,
    p90: f64,
    shape: Shape,
}

#[derive(Debug, Clone, PartialEq)]
enum Shape {
    Metalog { a1: f64, a2: f64, a3: f64 },
    SplitNormal { sd_low: f64, sd_high: f64 },
}

/// ln(u/(1 − u)), accurate near both ends.
fn logit(u: f64) -> f64 {
    u.ln() - (-u).ln_1p()
}

impl Percentiles {
    /// Fits P10 < P50 < P90 (checked by the caller, all finite).
    pub(crate) fn new(p10: f64, p50: f64, p90: f64) -> Percentiles {
        let k = logit(0.9);
        let a2 = (p90 - p10) / (2.0 * k);
        let a3 = (p90 + p10 - 2.0 * p50) / (0.8 * k);
        let shape = if a3.abs() * METALOG_G_MAX < a2 {
            Shape::Metalog { a1: p50, a2, a3 }
        } else {
            let z10 = std_quantile(0.1);
            let z90 = std_quantile(0.9);
            Shape::SplitNormal {
                sd_low: (p10 - p50) / z10,
                sd_high: (p90 - p50) / z90,
            }
        };
        Percentiles {
            p10,
            p50,
            p90,
            shape,
        }
    }

    /// The fitted form.
    pub fn form(&self) -> PercentileForm {
        match self.shape {
            Shape::Metalog { .. } => PercentileForm::Metalog,
            Shape::SplitNormal { .. } => PercentileForm::SplitNormal,
        }
    }

    /// The (P10, P50, P90) the distribution was fitted to.
    pub fn targets(&self) -> (f64, f64, f64) {
        (self.p10, self.p50, self.p90)
    }

    /// Inverse CDF at u in (0, 1).
    pub fn quantile(&self, u: f64) -> f64 {
        match self.shape {
            Shape::Metalog { a1, a2, a3 } => {
                let l = logit(u);
                a1 + a2 * l + a3 * (u - 0.5) * l
            }
            Shape::SplitNormal { sd_low, sd_high } => {
                let sd = if u < 0.5 { sd_low } else { sd_high };
                self.p50 + sd * std_quantile(u)
            }
        }
    }

    /// P(X ≤ x). For the metalog this inverts the quantile by bisection in logit space (about
    /// 60 steps), so it is exact to ~1e-15 in u but slower than the quantile.
    pub fn cdf(&self, x: f64) -> f64 {
        match self.shape {
            Shape::Metalog { a1, a2, a3 } => {
                // Q as a function of t = logit(u): u − ½ = ½·tanh(t/2).
                let q = |t: f64| a1 + a2 * t + a3 * 0.5 * (0.5 * t).tanh() * t;
                let (mut lo, mut hi) = (-745.0_f64, 745.0_f64);
                if x <= q(lo) {
                    return 0.0;
                }
                if x >= q(hi) {
                    return 1.0;
                }
                while hi - lo > 1e-13 * (1.0 + lo.abs().min(hi.abs())) {
                    let mid = 0.5 * (lo + hi);
                    if q(mid) <= x {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
                let t = 0.5 * (lo + hi);
                1.0 / (1.0 + (-t).exp())
            }
            Shape::SplitNormal { sd_low, sd_high } => {
                let sd = if x < self.p50 { sd_low } else { sd_high };
                std_cdf((x - self.p50) / sd)
            }
        }
    }

    /// Closed form: a1 + a3/2 for the metalog; P50 + (sd_high − sd_low)/√(2π) for the split
    /// normal.
    pub fn mean(&self) -> f64 {
        match self.shape {
            Shape::Metalog { a1, a3, .. } => a1 + 0.5 * a3,
            Shape::SplitNormal { sd_low, sd_high } => {
                self.p50 + (sd_high - sd_low) / (2.0 * PI).sqrt()
            }
        }
    }

    /// Closed form: (π²/3)·a2² + (1/12 + π²/36)·a3² for the metalog;
    /// (sd_low² + sd_high²)/2 − (sd_high − sd_low)²/(2π) for the split normal.
    pub fn variance(&self) -> f64 {
        match self.shape {
            Shape::Metalog { a2, a3, .. } => {
                PI * PI / 3.0 * a2 * a2 + (1.0 / 12.0 + PI * PI / 36.0) * a3 * a3
            }
            Shape::SplitNormal { sd_low, sd_high } => {
                let d = sd_high - sd_low;
                0.5 * (sd_low * sd_low + sd_high * sd_high) - d * d / (2.0 * PI)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_exact_at_targets(p: &Percentiles) {
        let (p10, p50, p90) = p.targets();
        assert!((p.quantile(0.1) - p10).abs() <= 1e-9 * p10.abs().max(1.0));
        assert!((p.quantile(0.5) - p50).abs() <= 1e-9 * p50.abs().max(1.0));
        assert!((p.quantile(0.9) - p90).abs() <= 1e-9 * p90.abs().max(1.0));
    }

    fn assert_monotone(p: &Percentiles) {
        let mut last = f64::NEG_INFINITY;
        for i in 1..100_000 {
            let x = p.quantile(f64::from(i) / 100_000.0);
            assert!(x >= last, "not monotone at {i}: {x} < {last}");
            last = x;
        }
    }

    #[test]
    fn symmetric_input_gives_a_metalog_with_no_skew_term() {
        let p = Percentiles::new(80.0, 100.0, 120.0);
        assert_eq!(p.form(), PercentileForm::Metalog);
        assert_exact_at_targets(&p);
        assert_monotone(&p);
        // a3 = 0 so the mean is the median.
        assert!((p.mean() - 100.0).abs() < 1e-12);
    }

    #[test]
    fn moderately_skewed_input_stays_metalog_and_exact() {
        // (P50 − P10)/(P90 − P10) = 0.25, inside the middle two thirds.
        let p = Percentiles::new(1.0e6, 1.5e6, 3.0e6);
        assert_eq!(p.form(), PercentileForm::Metalog);
        assert_exact_at_targets(&p);
        assert_monotone(&p);
    }

    #[test]
    fn metalog_just_inside_the_feasibility_bound_is_still_monotone() {
        // |P90 + P10 − 2·P50| / (P90 − P10) = 0.666 < 2/3.
        let p = Percentiles::new(0.0, 0.167, 1.0);
        assert_eq!(p.form(), PercentileForm::Metalog);
        assert_exact_at_targets(&p);
        assert_monotone(&p);
    }

    #[test]
    fn strongly_skewed_input_falls_back_to_a_split_normal_and_stays_exact() {
        // Median at 5% of the way from P10 to P90.
        let p = Percentiles::new(10.0, 11.0, 30.0);
        assert_eq!(p.form(), PercentileForm::SplitNormal);
        assert_exact_at_targets(&p);
        assert_monotone(&p);
        let q = Percentiles::new(-30.0, -11.0, -10.0);
        assert_eq!(q.form(), PercentileForm::SplitNormal);
        assert_exact_at_targets(&q);
        assert_monotone(&q);
    }

    #[test]
    fn metalog_feasibility_constant_bounds_the_true_maximum() {
        // g(u) = u(1 − u)·logit(u) + u − ½ peaks near u ≈ 0.91678 at ≈ 0.599839.
        let g = |u: f64| u * (1.0 - u) * logit(u) + u - 0.5;
        let peak = (1..100_000)
            .map(|i| g(f64::from(i) / 100_000.0))
            .fold(f64::NEG_INFINITY, f64::max);
        assert!(peak > 0.5998 && peak < METALOG_G_MAX);
    }

    #[test]
    fn cdf_inverts_the_quantile_for_both_forms() {
        for p in [
            Percentiles::new(2.0, 3.0, 7.0),
            Percentiles::new(2.0, 2.2, 7.0),
        ] {
            for &u in &[1e-6, 0.05, 0.1, 0.3, 0.5, 0.8, 0.9, 0.999] {
                assert!(
                    (p.cdf(p.quantile(u)) - u).abs() < 1e-10,
                    "{:?} u {u}",
                    p.form()
                );
            }
        }
    }
}
