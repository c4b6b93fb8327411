//! The beta family scaled to [min, max], and PERT, which is a scaled beta whose shape comes from
//! a most-likely value. Kept together because PERT is nothing but a reparameterised beta; kept
//! apart from the other families because the beta quantile needs its own root finder.
//!
//! The quantile starts from statrs' `inv_beta_reg` (AS 109) and polishes it with safeguarded
//! Newton steps on the regularised incomplete beta, solving in whichever tail is smaller so that
//! the answer is accurate to about 1e-15 in x across (0, 1).

use statrs::function::beta::{beta_reg, inv_beta_reg, ln_beta};

/// Beta(alpha, beta) scaled from [0, 1] to [min, max].
#[derive(Debug, Clone, PartialEq)]
pub struct ScaledBeta {
    alpha: f64,
    beta: f64,
    min: f64,
    max: f64,
}

impl ScaledBeta {
    /// The caller has checked alpha > 0, beta > 0 (both finite) and min < max (both finite).
    pub(crate) fn new(alpha: f64, beta: f64, min: f64, max: f64) -> ScaledBeta {
        ScaledBeta {
            alpha,
            beta,
            min,
            max,
        }
    }

    /// The first shape parameter.
    pub fn alpha(&self) -> f64 {
        self.alpha
    }

    /// The second shape parameter.
    pub fn beta(&self) -> f64 {
        self.beta
    }

    /// Inverse CDF at u in (0, 1).
    pub fn quantile(&self, u: f64) -> f64 {
        let y = if u <= 0.5 {
            unit_beta_quantile(self.alpha, self.beta, u)
        } else {
            1.0 - unit_beta_quantile(self.beta, self.alpha, 1.0 - u)
        };
        (self.min + (self.max - self.min) * y).clamp(self.min, self.max)
    }

    /// P(X ≤ x) through the regularised incomplete beta function.
    pub fn cdf(&self, x: f64) -> f64 {
        if x <= self.min {
            return 0.0;
        }
        if x >= self.max {
            return 1.0;
        }
        let y = (x - self.min) / (self.max - self.min);
        beta_reg(self.alpha, self.beta, y.clamp(0.0, 1.0))
    }

    /// min + (max − min)·alpha/(alpha + beta).
    pub fn mean(&self) -> f64 {
        self.min + (self.max - self.min) * self.alpha / (self.alpha + self.beta)
    }

    /// (max − min)²·alpha·beta / ((alpha + beta)²·(alpha + beta + 1)).
    pub fn variance(&self) -> f64 {
        let s = self.alpha + self.beta;
        let w = self.max - self.min;
        w * w * self.alpha * self.beta / (s * s * (s + 1.0))
    }

    /// (min, max).
    pub fn support(&self) -> (f64, f64) {
        (self.min, self.max)
    }
}

/// Solves I_y(a, b) = p for y in [0, 1], with p ≤ 0.5 so that y sits in the lower part of the
/// distribution where absolute precision in y is relative precision in p.
fn unit_beta_quantile(a: f64, b: f64, p: f64) -> f64 {
    let ln_b = ln_beta(a, b);
    let start = inv_beta_reg(a, b, p);
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    let mut y = if start > 0.0 && start < 1.0 {
        start
    } else {
        0.5
    };
    for _ in 0..200 {
        let f = beta_reg(a, b, y) - p;
        if f == 0.0 {
            return y;
        }
        if f < 0.0 {
            lo = y;
        } else {
            hi = y;
        }
        let ln_pdf = (a - 1.0) * y.ln() + (b - 1.0) * (-y).ln_1p() - ln_b;
        let newton = y - f / ln_pdf.exp();
        let next = if newton > lo && newton < hi {
            newton
        } else {
            0.5 * (lo + hi)
        };
        let step = (next - y).abs();
        y = next;
        if step <= 4.0 * f64::EPSILON * y || hi - lo <= 4.0 * f64::EPSILON * hi {
            break;
        }
    }
    y
}

/// PERT(min, mode, max) with λ = 4: Beta(1 + 4(mode − min)/(max − min),
/// 1 + 4(max − mode)/(max − min)) scaled to [min, max].
#[derive(Debug, Clone, PartialEq)]
pub struct Pert {
    mode: f64,
    inner: ScaledBeta,
}

impl Pert {
    /// The caller has checked min < max and min ≤ mode ≤ max, all finite.
    pub(crate) fn new(min: f64, mode: f64, max: f64) -> Pert {
        let range = max - min;
        let alpha = 1.0 + 4.0 * (mode - min) / range;
        let beta = 1.0 + 4.0 * (max - mode) / range;
        Pert {
            mode,
            inner: ScaledBeta::new(alpha, beta, min, max),
        }
    }

    /// The most likely value.
    pub fn mode(&self) -> f64 {
        self.mode
    }

    /// The scaled beta this PERT is.
    pub fn as_beta(&self) -> &ScaledBeta {
        &self.inner
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beta_quantile_inverts_the_incomplete_beta_to_near_machine_precision() {
        // The root finder works in the smaller tail, so check it there with relative precision;
        // the scaled quantile's round trip through the CDF is checked for u away from the ends.
        for &(a, b) in &[(0.5, 0.5), (2.0, 5.0), (0.3, 4.0), (30.0, 2.0), (1.0, 1.0)] {
            for &p in &[1e-12, 1e-6, 0.01, 0.2, 0.5] {
                for (s, t) in [(a, b), (b, a)] {
                    let y = unit_beta_quantile(s, t, p);
                    assert!(
                        (beta_reg(s, t, y) / p - 1.0).abs() < 1e-10,
                        "{s} {t} {p} {y}"
                    );
                }
            }
            let d = ScaledBeta::new(a, b, 0.0, 1.0);
            for &u in &[0.001, 0.2, 0.5, 0.77, 0.999] {
                assert!((d.cdf(d.quantile(u)) - u).abs() < 1e-13, "{a} {b} {u}");
            }
        }
    }

    #[test]
    fn beta_two_one_has_square_root_quantile() {
        // Beta(2, 1) has CDF x², so the quantile is √u.
        let d = ScaledBeta::new(2.0, 1.0, 0.0, 1.0);
        for &u in &[0.01, 0.25, 0.5, 0.81] {
            assert!((d.quantile(u) - f64::sqrt(u)).abs() < 1e-13);
        }
    }

    #[test]
    fn pert_shape_parameters_follow_lambda_four() {
        // min 0, mode 2.5, max 10: alpha = 1 + 4·0.25 = 2, beta = 1 + 4·0.75 = 4.
        let p = Pert::new(0.0, 2.5, 10.0);
        assert_eq!(p.as_beta().alpha(), 2.0);
        assert_eq!(p.as_beta().beta(), 4.0);
        // Mean (min + 4·mode + max)/6 = 20/6.
        assert!((p.as_beta().mean() - 20.0 / 6.0).abs() < 1e-14);
    }

    #[test]
    fn beta_quantile_is_monotone_across_the_tail_switch() {
        let d = ScaledBeta::new(0.7, 3.0, 2.0, 9.0);
        let mut last = f64::NEG_INFINITY;
        for i in 1..2000 {
            let x = d.quantile(f64::from(i) / 2000.0);
            assert!(x >= last);
            last = x;
        }
    }
}
