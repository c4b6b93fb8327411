//! The normal family: standard normal helpers shared by every family that leans on Φ and Φ⁻¹
//! (lognormal, split normal), and the optionally truncated normal itself. It is separate because
//! tail-accurate Φ arithmetic is easy to get subtly wrong and deserves its own tests.
//!
//! All tail work goes through `erfc` and its inverse, never through `1 − Φ`, so that a normal
//! truncated far out in either tail still samples and evaluates its CDF to full precision.

use std::f64::consts::{PI, SQRT_2};

use statrs::function::erf::erfc_inv;

/// Below this argument erfc is 1 − erf from the power series; above it, the continued fraction.
const ERFC_SERIES_BELOW: f64 = 2.0;

/// erfc(x) to a few parts in 1e14, relative, in both tails. statrs' `erfc` is only good to about 1e-10
/// relative (1e-10 off at x = 0.7), which would show in truncated-normal masses and CDFs, so it
/// is computed here from two textbook expansions instead:
/// for x < 2, erf(x) = (2/√π)·e^(−x²)·Σₙ 2ⁿx^(2n+1)/(1·3·…·(2n+1)) (all terms positive);
/// for x ≥ 2, erfc(x) = (e^(−x²)/√π)·1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))) by Lentz's method.
/// e^(−x²) is evaluated as e^(−s²)·e^(−(x−s)(x+s)) with s = x rounded down to 1/16, so that the
/// rounding of x² does not cost relative accuracy far in the tail.
pub(crate) fn erfc(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x < 0.0 {
        return 2.0 - erfc(-x);
    }
    if x > 27.5 {
        return 0.0; // erfc(27.5) < 1e-330 underflows.
    }
    let s = (x * 16.0).trunc() / 16.0;
    let gauss = (-s * s).exp() * (-(x - s) * (x + s)).exp();
    let inv_sqrt_pi = 1.0 / PI.sqrt();
    if x < ERFC_SERIES_BELOW {
        let x2 = x * x;
        let (mut term, mut sum) = (x, x);
        for n in 1..200 {
            term *= 2.0 * x2 / f64::from(2 * n + 1);
            sum += term;
            if term <= sum * 1e-17 {
                break;
            }
        }
        1.0 - 2.0 * inv_sqrt_pi * gauss * sum
    } else {
        // Modified Lentz for f = x + a₁/(x + a₂/(x + …)) with aₖ = k/2.
        let (mut f, mut c, mut d) = (x, x, 0.0_f64);
        for k in 1..500 {
            let a = f64::from(k) / 2.0;
            d = 1.0 / (x + a * d);
            c = x + a / c;
            let delta = c * d;
            f *= delta;
            if (delta - 1.0).abs() < 1e-16 {
                break;
            }
        }
        inv_sqrt_pi * gauss / f
    }
}

/// Standard normal CDF Φ(z), accurate in the lower tail.
pub(crate) fn std_cdf(z: f64) -> f64 {
    0.5 * erfc(-z / SQRT_2)
}

/// Standard normal survival function 1 − Φ(z), accurate in the upper tail.
pub(crate) fn std_sf(z: f64) -> f64 {
    0.5 * erfc(z / SQRT_2)
}

/// Standard normal quantile Φ⁻¹(p) for p in (0, 1), accurate for small p.
pub(crate) fn std_quantile(p: f64) -> f64 {
    -SQRT_2 * erfc_inv(2.0 * p)
}

/// The z with 1 − Φ(z) = s, for s in (0, 1), accurate for small s.
pub(crate) fn std_quantile_upper(s: f64) -> f64 {
    SQRT_2 * erfc_inv(2.0 * s)
}

/// Standard normal density φ(z); zero at ±∞.
pub(crate) fn std_pdf(z: f64) -> f64 {
    (-0.5 * z * z).exp() / (2.0 * PI).sqrt()
}

/// z·φ(z), taken as zero at ±∞ (where the product is 0·∞ in floating point).
fn z_pdf(z: f64) -> f64 {
    if z.is_finite() {
        z * std_pdf(z)
    } else {
        0.0
    }
}

/// A normal distribution N(mu, sigma²), optionally truncated to [min, max] (either bound may be
/// infinite). Built by [`super::Dist::normal`] or [`super::Dist::normal_p10_p90`], which check
/// that the truncation interval keeps at least 1e-9 of the probability mass.
#[derive(Debug, Clone, PartialEq)]
pub struct Normal {
    mu: f64,
    sigma: f64,
    min: f64,
    max: f64,
    /// Φ(a) where a is the standardised lower bound.
    fa: f64,
    /// 1 − Φ(b) where b is the standardised upper bound.
    sb: f64,
    /// Φ(b) − Φ(a), computed on whichever side of the mean keeps precision.
    mass: f64,
}

impl Normal {
    /// A normal N(mu, sigma²) truncated to [min, max]; pass ±∞ for no bound. The caller has
    /// checked that mu and sigma are finite, sigma > 0 and min < max.
    pub(crate) fn new(mu: f64, sigma: f64, min: f64, max: f64) -> Normal {
        let a = (min - mu) / sigma;
        let b = (max - mu) / sigma;
        let fa = std_cdf(a);
        let sb = std_sf(b);
        let mass = if a > 0.0 {
            std_sf(a) - sb
        } else if b < 0.0 {
            std_cdf(b) - fa
        } else {
            1.0 - fa - sb
        };
        Normal {
            mu,
            sigma,
            min,
            max,
            fa,
            sb,
            mass,
        }
    }

    /// The probability mass of the untruncated normal inside [min, max].
    pub(crate) fn mass(&self) -> f64 {
        self.mass
    }

    /// The mean of the underlying (untruncated) normal.
    pub fn mu(&self) -> f64 {
        self.mu
    }

    /// The standard deviation of the underlying (untruncated) normal.
    pub fn sigma(&self) -> f64 {
        self.sigma
    }

    /// Inverse CDF at u in (0, 1): Φ⁻¹(Φ(a) + u·(Φ(b) − Φ(a))), evaluated from the lower tail
    /// or, when that is the smaller probability, the upper tail.
    pub fn quantile(&self, u: f64) -> f64 {
        let p = self.fa + u * self.mass;
        let s = self.sb + (1.0 - u) * self.mass;
        let z = if p <= s {
            std_quantile(p)
        } else {
            std_quantile_upper(s)
        };
        (self.mu + self.sigma * z).clamp(self.min, self.max)
    }

    /// P(X ≤ x).
    pub fn cdf(&self, x: f64) -> f64 {
        if x < self.min {
            return 0.0;
        }
        if x >= self.max {
            return 1.0;
        }
        let z = (x - self.mu) / self.sigma;
        let f = if z <= 0.0 {
            (std_cdf(z) - self.fa) / self.mass
        } else {
            1.0 - (std_sf(z) - self.sb) / self.mass
        };
        f.clamp(0.0, 1.0)
    }

    /// Closed-form mean: mu + sigma·(φ(a) − φ(b)) / Z.
    pub fn mean(&self) -> f64 {
        let (a, b) = self.standard_bounds();
        self.mu + self.sigma * (std_pdf(a) - std_pdf(b)) / self.mass
    }

    /// Closed-form variance: sigma²·[1 + (aφ(a) − bφ(b))/Z − ((φ(a) − φ(b))/Z)²].
    pub fn variance(&self) -> f64 {
        let (a, b) = self.standard_bounds();
        let shift = (std_pdf(a) - std_pdf(b)) / self.mass;
        let v = 1.0 + (z_pdf(a) - z_pdf(b)) / self.mass - shift * shift;
        self.sigma * self.sigma * v
    }

    /// (min, max), infinite where untruncated.
    pub fn support(&self) -> (f64, f64) {
        (self.min, self.max)
    }

    fn standard_bounds(&self) -> (f64, f64) {
        (
            (self.min - self.mu) / self.sigma,
            (self.max - self.mu) / self.sigma,
        )
    }
}

/// A lognormal distribution: ln X ~ N(mu, sigma²).
#[derive(Debug, Clone, PartialEq)]
pub struct LogNormal {
    mu: f64,
    sigma: f64,
}

impl LogNormal {
    /// The caller has checked that mu is finite and sigma finite and positive.
    pub(crate) fn new(mu: f64, sigma: f64) -> LogNormal {
        LogNormal { mu, sigma }
    }

    /// The mean of ln X.
    pub fn mu(&self) -> f64 {
        self.mu
    }

    /// The standard deviation of ln X.
    pub fn sigma(&self) -> f64 {
        self.sigma
    }

    /// Inverse CDF: exp(mu + sigma·Φ⁻¹(u)).
    pub fn quantile(&self, u: f64) -> f64 {
        (self.mu + self.sigma * std_quantile(u)).exp()
    }

    /// P(X ≤ x): Φ((ln x − mu)/sigma) for x > 0.
    pub fn cdf(&self, x: f64) -> f64 {
        if x <= 0.0 {
            0.0
        } else {
            std_cdf((x.ln() - self.mu) / self.sigma)
        }
    }

    /// exp(mu + sigma²/2).
    pub fn mean(&self) -> f64 {
        (self.mu + 0.5 * self.sigma * self.sigma).exp()
    }

    /// (exp(sigma²) − 1)·exp(2mu + sigma²).
    pub fn variance(&self) -> f64 {
        let s2 = self.sigma * self.sigma;
        s2.exp_m1() * (2.0 * self.mu + s2).exp()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_normal_quantile_matches_published_values() {
        // Φ⁻¹(0.9) = 1.2815515655446004, Φ⁻¹(0.975) = 1.959963984540054 (tables / scipy).
        assert!((std_quantile(0.9) - 1.281_551_565_544_600_4).abs() < 1e-12);
        assert!((std_quantile(0.975) - 1.959_963_984_540_054).abs() < 1e-12);
        assert!((std_quantile(0.5)).abs() < 1e-15);
        assert!((std_quantile_upper(0.1) - 1.281_551_565_544_600_4).abs() < 1e-12);
    }

    #[test]
    fn erfc_matches_high_precision_reference_values() {
        // Reference values from mpmath at 30 digits: Φ(z) = erfc(−z/√2)/2.
        let cases = [
            (-0.5, 0.308_537_538_725_986_9),
            (-1.0, 0.158_655_253_931_457_05),
            (-2.0, 0.022_750_131_948_179_21),
            (-3.0, 0.001_349_898_031_630_094_5),
            (-5.0, 2.866_515_718_791_939e-7),
            (-6.0, 9.865_876_450_376_98e-10),
            (-8.0, 6.220_960_574_271_784e-16),
            (-20.0, 2.753_624_118_606_233_7e-89),
        ];
        for (z, reference) in cases {
            let p = std_cdf(z);
            assert!((p / reference - 1.0).abs() < 1e-13, "z {z}: {p:e}");
            assert!((std_sf(-z) / reference - 1.0).abs() < 1e-13, "z {z}");
        }
        assert_eq!(erfc(0.0), 1.0);
        assert!((erfc(-1.0) - 1.842_700_792_949_715).abs() < 1e-15);
        assert!(erfc(f64::NAN).is_nan());
    }

    #[test]
    fn standard_normal_tails_keep_relative_precision() {
        // Φ(−10) = 7.619853024160527e-24.
        let p = std_cdf(-10.0);
        assert!((p / 7.619_853_024_160_527e-24 - 1.0).abs() < 1e-12, "{p:e}");
        assert!((std_sf(10.0) / p - 1.0).abs() < 1e-14);
        assert!((std_quantile(p) + 10.0).abs() < 1e-9);
    }

    #[test]
    fn truncation_far_in_the_upper_tail_still_samples_inside_the_interval() {
        // N(0,1) truncated to [8, 9]: 1 − Φ(8) is about 6e-16, so 1 − Φ arithmetic would fail.
        let n = Normal::new(0.0, 1.0, 8.0, 9.0);
        assert!(n.mass() > 6.0e-16 && n.mass() < 6.3e-16);
        let mut last = f64::NEG_INFINITY;
        for i in 1..100 {
            let u = f64::from(i) / 100.0;
            let x = n.quantile(u);
            assert!((8.0..=9.0).contains(&x));
            assert!(x >= last);
            assert!((n.cdf(x) - u).abs() < 1e-9, "u {u} x {x}");
            last = x;
        }
        // The mean of a normal truncated deep in a tail is close to a + 1/a.
        assert!(n.mean() > 8.0 && n.mean() < 8.0 + 1.0 / 8.0);
    }

    #[test]
    fn half_normal_moments_match_closed_forms() {
        // N(0,1) truncated to [0, ∞): mean √(2/π), variance 1 − 2/π.
        let n = Normal::new(0.0, 1.0, 0.0, f64::INFINITY);
        assert!((n.mean() - (2.0 / PI).sqrt()).abs() < 1e-14);
        assert!((n.variance() - (1.0 - 2.0 / PI)).abs() < 1e-14);
        assert!((n.quantile(0.5) - std_quantile(0.75)).abs() < 1e-12);
    }

    #[test]
    fn lognormal_moments_match_closed_forms() {
        let d = LogNormal::new(0.0, 1.0);
        assert!((d.mean() - 0.5_f64.exp()).abs() < 1e-14);
        assert!((d.variance() - (1.0_f64.exp() - 1.0) * 1.0_f64.exp()).abs() < 1e-13);
        assert!((d.quantile(0.5) - 1.0).abs() < 1e-15);
    }
}
