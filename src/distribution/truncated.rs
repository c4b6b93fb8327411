//! Truncation of any continuous family to [min, max] by inverse CDF.
//!
//! Used for the unbounded families given by percentiles or by mean and CV (lognormal, the
//! percentile form, a normal fitted to P10/P90) when the input must stay in a range: the draws are
//! conditioned on [min, max], `quantile(u) = F⁻¹(F(min) + u (F(max) − F(min)))`. The fitted
//! percentiles then describe the untruncated distribution.

use super::{err, Dist, DistError, MIN_TRUNCATED_MASS};

/// Quadrature points for the mean and variance of a truncated distribution.
const POINTS: usize = 4096;

/// A distribution conditioned on [lo, hi].
#[derive(Debug, Clone, PartialEq)]
pub struct Truncated {
    inner: Box<Dist>,
    lo: f64,
    hi: f64,
    u_lo: f64,
    u_hi: f64,
    mean: f64,
    variance: f64,
}

impl Truncated {
    /// Conditions `inner` on [lo, hi] (either side may be infinite). Fails (field "max") when
    /// lo ≥ hi, or (field "min") when the interval holds almost none of the distribution.
    pub fn new(inner: Dist, lo: f64, hi: f64) -> Result<Truncated, DistError> {
        if lo >= hi {
            return Err(err(
                "max",
                format!("min ({lo}) must be less than max ({hi})"),
            ));
        }
        let (u_lo, u_hi) = (inner.cdf(lo).clamp(0.0, 1.0), inner.cdf(hi).clamp(0.0, 1.0));
        if u_hi - u_lo < MIN_TRUNCATED_MASS {
            return Err(err(
                "min",
                format!("[{lo}, {hi}] holds almost none of this distribution; widen it"),
            ));
        }
        let mut t = Truncated {
            inner: Box::new(inner),
            lo,
            hi,
            u_lo,
            u_hi,
            mean: 0.0,
            variance: 0.0,
        };
        // Midpoint rule over u: E[X] = ∫ Q(u) du.
        let xs: Vec<f64> = (0..POINTS)
            .map(|k| t.quantile((k as f64 + 0.5) / POINTS as f64))
            .collect();
        t.mean = xs.iter().sum::<f64>() / POINTS as f64;
        t.variance = xs.iter().map(|x| (x - t.mean).powi(2)).sum::<f64>() / POINTS as f64;
        Ok(t)
    }

    /// Inverse CDF.
    pub fn quantile(&self, u: f64) -> f64 {
        self.inner
            .quantile(self.u_lo + u * (self.u_hi - self.u_lo))
            .clamp(self.lo, self.hi)
    }

    /// CDF.
    pub fn cdf(&self, x: f64) -> f64 {
        ((self.inner.cdf(x) - self.u_lo) / (self.u_hi - self.u_lo)).clamp(0.0, 1.0)
    }

    /// Mean (numerical, accurate to the quadrature).
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// Variance (numerical).
    pub fn variance(&self) -> f64 {
        self.variance
    }

    /// The support: the truncation bounds, narrowed to the inner support.
    pub fn support(&self) -> (f64, f64) {
        let (a, b) = self.inner.support();
        (self.lo.max(a), self.hi.min(b))
    }

    /// The family that was truncated.
    pub fn kind(&self) -> &'static str {
        self.inner.kind()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncated_lognormal_stays_in_bounds_and_keeps_conditional_quantiles() {
        let ln = Dist::lognormal_mean_cv(1.0, 1.0).unwrap();
        let t = Truncated::new(ln.clone(), 0.5, 2.0).unwrap();
        let (a, b) = (ln.cdf(0.5), ln.cdf(2.0));
        for u in [0.001, 0.25, 0.5, 0.75, 0.999] {
            let x = t.quantile(u);
            assert!((0.5..=2.0).contains(&x));
            // The truncated u-quantile is the inner quantile at a + u (b − a).
            assert!((x - ln.quantile(a + u * (b - a))).abs() < 1e-12);
            assert!((t.cdf(x) - u).abs() < 1e-9);
        }
        assert!(t.mean() > 0.5 && t.mean() < 2.0);
    }

    #[test]
    fn truncated_uniform_has_closed_form_mean() {
        // Uniform(0, 10) truncated to [2, 4] is Uniform(2, 4): mean 3, variance 4/12.
        let t = Truncated::new(Dist::uniform(0.0, 10.0).unwrap(), 2.0, 4.0).unwrap();
        assert!((t.mean() - 3.0).abs() < 1e-9);
        assert!((t.variance() - 4.0 / 12.0).abs() < 1e-6);
    }

    #[test]
    fn rejects_empty_or_reversed_intervals() {
        let n = Dist::normal(0.0, 1.0, None, None).unwrap();
        assert_eq!(
            Truncated::new(n.clone(), 1.0, 1.0).unwrap_err().field,
            "max"
        );
        assert_eq!(Truncated::new(n, 50.0, 60.0).unwrap_err().field, "min");
    }
}
