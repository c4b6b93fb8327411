//! Input distributions for the simulation: the [`Dist`] enum, its validating constructors and
//! its errors. Every family is sampled by inverse CDF (`quantile` of an open-interval uniform), so
//! Latin hypercube and copula samplers can feed their own uniforms through the same code; the
//! family files hold the arithmetic, this file holds validation and dispatch.
//!
//! Constructors check their parameters once and return a [`DistError`] naming the TOML key at
//! fault; after that every method is total (no panics, no `Result`).

mod beta;
mod discrete;
mod error;
mod normal;
mod percentiles;
mod truncated;
mod uniform;
#[cfg(test)]
mod value_stability;

pub use beta::{Pert, ScaledBeta};
pub use discrete::Discrete;
pub use error::{DistError, MAX_MAGNITUDE};
pub use normal::{LogNormal, Normal};
pub use percentiles::{PercentileForm, Percentiles};
pub use truncated::Truncated;
pub use uniform::{Triangular, Uniform};

use error::{bounded, err, finite, increasing, min_mode_max, positive, within};
use normal::std_quantile;

/// Smallest probability mass a truncated normal may keep inside its bounds.
const MIN_TRUNCATED_MASS: f64 = 1e-9;

/// Smallest and largest beta shape parameters (alpha, beta). Outside them the incomplete-beta
/// inversion can lose all precision or fail to converge (a shape of 1e10 used to hang a run).
pub const BETA_SHAPE_LIMITS: (f64, f64) = (1e-3, 1e6);

/// Smallest and largest coefficient of variation of a lognormal given by mean and cv. Outside
/// them its log-scale sd underflows to zero or its quantiles overflow.
pub const LOGNORMAL_CV_LIMITS: (f64, f64) = (1e-6, 1e3);

/// Largest ratio P90/P10 of a lognormal given by percentiles (a log-scale sd of about 5.4).
pub const LOGNORMAL_MAX_P90_OVER_P10: f64 = 1e6;

/// Quantile arguments are clamped to [U_EPS, 1 − U_EPS] so that unbounded families stay finite.
const U_EPS: f64 = 1e-12;

/// An input distribution, sampled by inverse CDF so that Latin hypercube and copula sampling can
/// reuse it. Build it with the validating constructors ([`Dist::normal`] and friends); the
/// family structs inside the variants cannot be built any other way.
#[derive(Debug, Clone, PartialEq)]
pub enum Dist {
    /// Always the same value (built by [`Dist::fixed`]).
    Fixed(f64),
    /// Continuous uniform on [min, max].
    Uniform(Uniform),
    /// Normal, optionally truncated to [min, max].
    Normal(Normal),
    /// Lognormal, from a mean and coefficient of variation or from a P10 and P90.
    LogNormal(LogNormal),
    /// Triangular on [min, max] with a mode.
    Triangular(Triangular),
    /// PERT (λ = 4) on [min, max] with a mode.
    Pert(Pert),
    /// Beta(alpha, beta) scaled to [min, max].
    Beta(ScaledBeta),
    /// Finite list of values with weights.
    Discrete(Discrete),
    /// Fitted exactly to a P10, P50 and P90 (metalog, or split normal when too skewed).
    Percentiles(Percentiles),
    /// Another family conditioned on [min, max] (built by [`Dist::truncated`]).
    Truncated(Truncated),
}

impl Dist {
    /// A constant. Fails (field "value") when v is not finite.
    pub fn fixed(v: f64) -> Result<Dist, DistError> {
        Ok(Dist::Fixed(finite("value", v)?))
    }

    /// Uniform on [min, max]. Fails when either bound is not finite or beyond ±1e15
    /// ([`MAX_MAGNITUDE`]), or min ≥ max (for min = max, write the plain number instead).
    pub fn uniform(min: f64, max: f64) -> Result<Dist, DistError> {
        bounded("min", min)?;
        bounded("max", max)?;
        if min == max {
            return Err(err(
                "max",
                format!(
                    "min and max are both {min}; use the plain number {min} instead of a uniform"
                ),
            ));
        }
        increasing("min", min, "max", max)?;
        Ok(Dist::Uniform(Uniform::new(min, max)))
    }

    /// Normal(mean, sd), truncated to [min, max] when either is given. Fails when a parameter is
    /// not finite or beyond ±1e15 ([`MAX_MAGNITUDE`]), sd ≤ 0, min ≥ max, or the bounds keep less
    /// than 1e-9 of the probability (field "min" when the interval lies above the mean, else
    /// "max").
    pub fn normal(
        mean: f64,
        sd: f64,
        min: Option<f64>,
        max: Option<f64>,
    ) -> Result<Dist, DistError> {
        bounded("mean", mean)?;
        bounded("sd", positive("sd", sd)?)?;
        let lo = min.map(|v| bounded("min", v)).transpose()?;
        let hi = max.map(|v| bounded("max", v)).transpose()?;
        let (lo, hi) = (lo.unwrap_or(f64::NEG_INFINITY), hi.unwrap_or(f64::INFINITY));
        increasing("min", lo, "max", hi)?;
        let n = Normal::new(mean, sd, lo, hi);
        if n.mass() < MIN_TRUNCATED_MASS {
            let field = if lo > mean { "min" } else { "max" };
            return Err(err(
                field,
                format!(
                    "the range {lo} to {hi} holds almost none (under 1e-9) of a normal with mean \
                     {mean} and sd {sd}; move min/max towards the mean or widen sd"
                ),
            ));
        }
        Ok(Dist::Normal(n))
    }

    /// Lognormal with the given mean and coefficient of variation (sd/mean):
    /// sigma² = ln(1 + cv²), mu = ln(mean) − sigma²/2. Fails when mean ≤ 0 or beyond 1e15, or cv
    /// is outside [`LOGNORMAL_CV_LIMITS`].
    pub fn lognormal_mean_cv(mean: f64, cv: f64) -> Result<Dist, DistError> {
        bounded("mean", positive("mean", mean)?)?;
        let (lo, hi) = LOGNORMAL_CV_LIMITS;
        within(
            "cv",
            cv,
            lo,
            hi,
            "(the limits of a lognormal's coefficient of variation)",
        )?;
        let s2 = (cv * cv).ln_1p();
        Ok(Dist::LogNormal(LogNormal::new(
            mean.ln() - 0.5 * s2,
            s2.sqrt(),
        )))
    }

    /// Lognormal whose 10th and 90th percentiles are exactly p10 and p90:
    /// mu = (ln p10 + ln p90)/2, sigma = (ln p90 − ln p10)/(2·Φ⁻¹(0.9)). Fails unless
    /// 0 < p10 < p90 ≤ 1e15 and p90/p10 ≤ [`LOGNORMAL_MAX_P90_OVER_P10`], with p90 distinguishable
    /// from p10 on the log scale.
    pub fn lognormal_p10_p90(p10: f64, p90: f64) -> Result<Dist, DistError> {
        positive("p10", p10)?;
        bounded("p90", p90)?;
        increasing("p10", p10, "p90", p90)?;
        if p90 / p10 > LOGNORMAL_MAX_P90_OVER_P10 {
            return Err(err(
                "p90",
                format!(
                    "p90 ({p90}) is more than 1e6 times p10 ({p10}), the limit for a lognormal; \
                     narrow the range or split the input"
                ),
            ));
        }
        let (l10, l90) = (p10.ln(), p90.ln());
        let sigma = (l90 - l10) / (2.0 * std_quantile(0.9));
        if sigma < 1e-12 {
            return Err(err(
                "p90",
                format!(
                    "p10 ({p10}) and p90 ({p90}) are too close to fit a lognormal; use the plain \
                     number instead"
                ),
            ));
        }
        Ok(Dist::LogNormal(LogNormal::new(0.5 * (l10 + l90), sigma)))
    }

    /// Untruncated normal whose 10th and 90th percentiles are exactly p10 and p90. Fails unless
    /// p10 < p90, both finite and within ±1e15.
    pub fn normal_p10_p90(p10: f64, p90: f64) -> Result<Dist, DistError> {
        bounded("p10", p10)?;
        bounded("p90", p90)?;
        increasing("p10", p10, "p90", p90)?;
        let sd = (p90 - p10) / (2.0 * std_quantile(0.9));
        Dist::normal(0.5 * (p10 + p90), sd, None, None)
    }

    /// Triangular on [min, max] peaking at mode. Fails unless min < max and min ≤ mode ≤ max,
    /// all within ±1e15.
    pub fn triangular(min: f64, mode: f64, max: f64) -> Result<Dist, DistError> {
        min_mode_max(min, mode, max)?;
        Ok(Dist::Triangular(Triangular::new(min, mode, max)))
    }

    /// Classic PERT (λ = 4): a beta on [min, max] with mean (min + 4·mode + max)/6. Fails unless
    /// min < max and min ≤ mode ≤ max, all within ±1e15.
    pub fn pert(min: f64, mode: f64, max: f64) -> Result<Dist, DistError> {
        min_mode_max(min, mode, max)?;
        Ok(Dist::Pert(Pert::new(min, mode, max)))
    }

    /// Beta(alpha, beta) scaled to [min, max] (pass 0 and 1 for the standard beta). Fails unless
    /// both shapes lie in [`BETA_SHAPE_LIMITS`] and min < max, both within ±1e15.
    pub fn beta(alpha: f64, beta: f64, min: f64, max: f64) -> Result<Dist, DistError> {
        let (lo, hi) = BETA_SHAPE_LIMITS;
        let what = "(the limits of a beta shape that icbsim can invert accurately)";
        positive("alpha", alpha)?;
        positive("beta", beta)?;
        within("alpha", alpha, lo, hi, what)?;
        within("beta", beta, lo, hi, what)?;
        bounded("min", min)?;
        bounded("max", max)?;
        increasing("min", min, "max", max)?;
        Ok(Dist::Beta(ScaledBeta::new(alpha, beta, min, max)))
    }

    /// Discrete distribution: value `values[i]` with weight `weights[i]`; weights are normalised.
    /// Fails when values is empty or holds a non-finite number, when the lists differ in length,
    /// or when a weight is negative or not finite, all weights are zero, or their sum overflows.
    pub fn discrete(values: Vec<f64>, weights: Vec<f64>) -> Result<Dist, DistError> {
        if values.is_empty() {
            return Err(err("values", "values must list at least one value".into()));
        }
        if values.len() != weights.len() {
            return Err(err(
                "weights",
                format!(
                    "weights has {} entries but values has {}; give one weight per value",
                    weights.len(),
                    values.len()
                ),
            ));
        }
        if let Some(v) = values.iter().find(|v| !v.is_finite()) {
            return Err(err(
                "values",
                format!("values must be finite numbers, not {v}"),
            ));
        }
        if let Some(w) = weights.iter().find(|w| !(w.is_finite() && **w >= 0.0)) {
            return Err(err(
                "weights",
                format!("weights must be finite and 0 or more, not {w}"),
            ));
        }
        let total: f64 = weights.iter().sum();
        if total == 0.0 {
            return Err(err(
                "weights",
                "weights are all zero; give at least one value a positive weight".into(),
            ));
        }
        if !total.is_finite() {
            return Err(err(
                "weights",
                "weights are too large to add up; scale them down (only their ratios matter)"
                    .into(),
            ));
        }
        Ok(Dist::Discrete(Discrete::new(&values, &weights)))
    }

    /// Three-point elicitation, exact at P10, P50 and P90: a three-term metalog when
    /// |p90 + p10 − 2·p50| < (2/3)·(p90 − p10), otherwise a split normal (see
    /// [`PercentileForm`]). Fails unless p10 < p50 < p90, all finite and within ±1e15.
    pub fn percentiles(p10: f64, p50: f64, p90: f64) -> Result<Dist, DistError> {
        bounded("p10", p10)?;
        bounded("p50", p50)?;
        bounded("p90", p90)?;
        increasing("p10", p10, "p50", p50)?;
        increasing("p50", p50, "p90", p90)?;
        Ok(Dist::Percentiles(Percentiles::new(p10, p50, p90)))
    }

    /// `inner` conditioned on [min, max] (a missing side is unbounded). Returns `inner` unchanged
    /// when neither bound is given. Fails (field "max") when min ≥ max and (field "min") when the
    /// interval holds almost none of the distribution, or when a bound is beyond ±1e15.
    pub fn truncated(inner: Dist, min: Option<f64>, max: Option<f64>) -> Result<Dist, DistError> {
        if min.is_none() && max.is_none() {
            return Ok(inner);
        }
        min.map(|v| bounded("min", v)).transpose()?;
        max.map(|v| bounded("max", v)).transpose()?;
        let lo = min.unwrap_or(f64::NEG_INFINITY);
        let hi = max.unwrap_or(f64::INFINITY);
        Ok(Dist::Truncated(Truncated::new(inner, lo, hi)?))
    }

    /// Inverse CDF. u is clamped to [1e-12, 1 − 1e-12]; the result is non-decreasing in u.
    /// NaN gives NaN.
    pub fn quantile(&self, u: f64) -> f64 {
        if u.is_nan() {
            return f64::NAN;
        }
        let u = u.clamp(U_EPS, 1.0 - U_EPS);
        match self {
            Dist::Fixed(v) => *v,
            Dist::Uniform(d) => d.quantile(u),
            Dist::Normal(d) => d.quantile(u),
            Dist::LogNormal(d) => d.quantile(u),
            Dist::Triangular(d) => d.quantile(u),
            Dist::Pert(d) => d.as_beta().quantile(u),
            Dist::Beta(d) => d.quantile(u),
            Dist::Discrete(d) => d.quantile(u),
            Dist::Percentiles(d) => d.quantile(u),
            Dist::Truncated(d) => d.quantile(u),
        }
    }

    /// P(X ≤ x).
    pub fn cdf(&self, x: f64) -> f64 {
        match self {
            Dist::Fixed(v) => {
                if x >= *v {
                    1.0
                } else {
                    0.0
                }
            }
            Dist::Uniform(d) => d.cdf(x),
            Dist::Normal(d) => d.cdf(x),
            Dist::LogNormal(d) => d.cdf(x),
            Dist::Triangular(d) => d.cdf(x),
            Dist::Pert(d) => d.as_beta().cdf(x),
            Dist::Beta(d) => d.cdf(x),
            Dist::Discrete(d) => d.cdf(x),
            Dist::Percentiles(d) => d.cdf(x),
            Dist::Truncated(d) => d.cdf(x),
        }
    }

    /// One draw: `quantile(uniform_open01(rng))`. Always consumes exactly one uniform, fixed
    /// values included, so swapping an input between fixed and random leaves the other inputs'
    /// streams aligned.
    pub fn sample<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        self.quantile(uniform_open01(rng))
    }

    /// The mean, in closed form.
    pub fn mean(&self) -> f64 {
        match self {
            Dist::Fixed(v) => *v,
            Dist::Uniform(d) => d.mean(),
            Dist::Normal(d) => d.mean(),
            Dist::LogNormal(d) => d.mean(),
            Dist::Triangular(d) => d.mean(),
            Dist::Pert(d) => d.as_beta().mean(),
            Dist::Beta(d) => d.mean(),
            Dist::Discrete(d) => d.mean(),
            Dist::Percentiles(d) => d.mean(),
            Dist::Truncated(d) => d.mean(),
        }
    }

    /// The variance, in closed form.
    pub fn variance(&self) -> f64 {
        match self {
            Dist::Fixed(_) => 0.0,
            Dist::Uniform(d) => d.variance(),
            Dist::Normal(d) => d.variance(),
            Dist::LogNormal(d) => d.variance(),
            Dist::Triangular(d) => d.variance(),
            Dist::Pert(d) => d.as_beta().variance(),
            Dist::Beta(d) => d.variance(),
            Dist::Discrete(d) => d.variance(),
            Dist::Percentiles(d) => d.variance(),
            Dist::Truncated(d) => d.variance(),
        }
    }

    /// The smallest and largest possible values (±∞ for unbounded families).
    pub fn support(&self) -> (f64, f64) {
        match self {
            Dist::Fixed(v) => (*v, *v),
            Dist::Uniform(d) => d.support(),
            Dist::Normal(d) => d.support(),
            // Open at zero: the smallest value it can take is above 0.
            Dist::LogNormal(_) => (f64::MIN_POSITIVE, f64::INFINITY),
            Dist::Triangular(d) => d.support(),
            Dist::Pert(d) => d.as_beta().support(),
            Dist::Beta(d) => d.support(),
            Dist::Discrete(d) => d.support(),
            Dist::Percentiles(_) => (f64::NEG_INFINITY, f64::INFINITY),
            Dist::Truncated(d) => d.support(),
        }
    }

    /// True for [`Dist::Fixed`] only (a one-value discrete is still reported as discrete).
    pub fn is_fixed(&self) -> bool {
        matches!(self, Dist::Fixed(_))
    }

    /// The family name as written in a scenario file: "fixed", "uniform", "normal",
    /// "lognormal", "triangular", "pert", "beta", "discrete" or "percentiles".
    pub fn kind(&self) -> &'static str {
        match self {
            Dist::Fixed(_) => "fixed",
            Dist::Uniform(_) => "uniform",
            Dist::Normal(_) => "normal",
            Dist::LogNormal(_) => "lognormal",
            Dist::Triangular(_) => "triangular",
            Dist::Pert(_) => "pert",
            Dist::Beta(_) => "beta",
            Dist::Discrete(_) => "discrete",
            Dist::Percentiles(_) => "percentiles",
            Dist::Truncated(d) => d.kind(),
        }
    }
}

/// A uniform draw strictly inside (0, 1) with 53 random bits: k/2⁵³ for k drawn uniformly from
/// 1..2⁵³ (k = 0 is redrawn, which happens with probability 2⁻⁵³).
pub fn uniform_open01<R: rand::Rng + ?Sized>(rng: &mut R) -> f64 {
    const SCALE: f64 = 1.0 / (1u64 << 53) as f64;
    loop {
        let k = rng.next_u64() >> 11;
        if k != 0 {
            return k as f64 * SCALE;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::Xoshiro256PlusPlus;
    use rand::{Rng, SeedableRng};

    const N: usize = 200_000;

    fn draws(d: &Dist, seed: u64) -> Vec<f64> {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        (0..N).map(|_| d.sample(&mut rng)).collect()
    }

    /// Sample mean and variance within 4 standard errors of the closed forms. The SE of the mean
    /// uses the true variance; the SE of the sample variance is √((m4 − s⁴)/n) with the sample
    /// fourth central moment m4.
    fn assert_moments(d: &Dist, xs: &[f64]) {
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let s2 = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
        let m4 = xs.iter().map(|x| (x - mean).powi(4)).sum::<f64>() / n;
        let se_mean = (d.variance() / n).sqrt();
        assert!(
            (mean - d.mean()).abs() < 4.0 * se_mean,
            "{}: sample mean {mean} vs {} (se {se_mean})",
            d.kind(),
            d.mean()
        );
        let se_var = ((m4 - s2 * s2) / n).sqrt();
        assert!(
            (s2 - d.variance()).abs() < 4.0 * se_var,
            "{}: sample variance {s2} vs {} (se {se_var})",
            d.kind(),
            d.variance()
        );
    }

    /// The fraction of draws at or below quantile(p) is within 4 SE of p.
    fn assert_percentiles(d: &Dist, xs: &[f64]) {
        let n = xs.len() as f64;
        for p in [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95] {
            let q = d.quantile(p);
            let frac = xs.iter().filter(|&&x| x <= q).count() as f64 / n;
            let se = (p * (1.0 - p) / n).sqrt();
            assert!((frac - p).abs() < 4.0 * se, "{} p{p}: {frac}", d.kind());
        }
    }

    /// Kolmogorov–Smirnov statistic of the draws against the distribution's own CDF.
    fn ks_statistic(d: &Dist, xs: &[f64]) -> f64 {
        let mut sorted = xs.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len() as f64;
        sorted
            .iter()
            .enumerate()
            .map(|(i, &x)| {
                let f = d.cdf(x);
                (f - i as f64 / n).max((i + 1) as f64 / n - f)
            })
            .fold(0.0, f64::max)
    }

    fn assert_continuous_family(d: &Dist, seed: u64) {
        let xs = draws(d, seed);
        let (lo, hi) = d.support();
        assert!(
            xs.iter().all(|x| (lo..=hi).contains(x)),
            "{} left its support",
            d.kind()
        );
        assert_moments(d, &xs);
        assert_percentiles(d, &xs);
        let ks = ks_statistic(d, &xs);
        let critical = 1.628 / (N as f64).sqrt();
        assert!(ks < critical, "{}: KS {ks} >= {critical}", d.kind());
        let mut last = f64::NEG_INFINITY;
        for i in 0..=10_000 {
            let u = f64::from(i) / 10_000.0;
            let x = d.quantile(u);
            assert!(
                x.is_finite() && x >= last,
                "{} not monotone at u {u}",
                d.kind()
            );
            if (0.001..=0.999).contains(&u) {
                assert!(
                    (d.cdf(x) - u).abs() < 1e-9,
                    "{} cdf(quantile({u}))",
                    d.kind()
                );
            }
            last = x;
        }
    }

    #[test]
    fn uniform_draws_match_closed_forms() {
        assert_continuous_family(&Dist::uniform(3.0, 7.5).unwrap(), 1);
    }

    #[test]
    fn untruncated_normal_draws_match_closed_forms() {
        assert_continuous_family(&Dist::normal(100.0, 15.0, None, None).unwrap(), 2);
    }

    #[test]
    fn two_sided_truncated_normal_draws_match_closed_forms_and_stay_in_bounds() {
        let d = Dist::normal(10.0, 4.0, Some(8.0), Some(20.0)).unwrap();
        assert_eq!(d.support(), (8.0, 20.0));
        assert_continuous_family(&d, 3);
    }

    #[test]
    fn one_sided_truncated_normal_draws_match_closed_forms_and_stay_in_bounds() {
        // Truncated at zero from below: the usual "cost cannot be negative" case.
        let d = Dist::normal(1.0, 2.0, Some(0.0), None).unwrap();
        assert_eq!(d.support(), (0.0, f64::INFINITY));
        assert_continuous_family(&d, 4);
        let upper_only = Dist::normal(1.0, 2.0, None, Some(1.5)).unwrap();
        assert_continuous_family(&upper_only, 5);
    }

    #[test]
    fn normal_fitted_to_p10_p90_draws_match_closed_forms() {
        assert_continuous_family(&Dist::normal_p10_p90(-3.0, 9.0).unwrap(), 6);
    }

    #[test]
    fn lognormal_from_mean_and_cv_draws_match_closed_forms() {
        let d = Dist::lognormal_mean_cv(50_000.0, 0.3).unwrap();
        assert!((d.mean() - 50_000.0).abs() < 1e-8);
        assert!((d.variance().sqrt() / d.mean() - 0.3).abs() < 1e-12);
        assert_continuous_family(&d, 7);
    }

    #[test]
    fn lognormal_from_p10_p90_draws_match_closed_forms() {
        assert_continuous_family(&Dist::lognormal_p10_p90(2.0, 5.0).unwrap(), 8);
    }

    #[test]
    fn triangular_draws_match_closed_forms() {
        assert_continuous_family(&Dist::triangular(0.0, 2.0, 10.0).unwrap(), 9);
    }

    #[test]
    fn pert_draws_match_closed_forms() {
        let d = Dist::pert(10.0, 12.0, 30.0).unwrap();
        assert!((d.mean() - (10.0 + 48.0 + 30.0) / 6.0).abs() < 1e-12);
        assert_continuous_family(&d, 10);
    }

    #[test]
    fn beta_draws_match_closed_forms() {
        assert_continuous_family(&Dist::beta(2.0, 5.0, 0.0, 1.0).unwrap(), 11);
        // U-shaped, scaled, with infinite density at both ends.
        assert_continuous_family(&Dist::beta(0.5, 0.5, -1.0, 3.0).unwrap(), 12);
    }

    #[test]
    fn percentiles_metalog_draws_match_closed_forms() {
        let symmetric = Dist::percentiles(80.0, 100.0, 120.0).unwrap();
        assert_continuous_family(&symmetric, 13);
        let skewed = Dist::percentiles(1.0, 1.5, 3.0).unwrap();
        assert!(matches!(&skewed, Dist::Percentiles(p) if p.form() == PercentileForm::Metalog));
        assert_continuous_family(&skewed, 14);
    }

    #[test]
    fn percentiles_split_normal_draws_match_closed_forms() {
        let d = Dist::percentiles(10.0, 11.0, 30.0).unwrap();
        assert!(matches!(&d, Dist::Percentiles(p) if p.form() == PercentileForm::SplitNormal));
        assert_continuous_family(&d, 15);
    }

    #[test]
    fn discrete_frequencies_match_weights_within_four_standard_errors() {
        let d = Dist::discrete(vec![30.0, 10.0, 20.0], vec![1.0, 5.0, 4.0]).unwrap();
        let xs = draws(&d, 16);
        let n = xs.len() as f64;
        for (v, p) in [(10.0, 0.5), (20.0, 0.4), (30.0, 0.1)] {
            let freq = xs.iter().filter(|&&x| x == v).count() as f64 / n;
            assert!(
                (freq - p).abs() < 4.0 * (p * (1.0 - p) / n).sqrt(),
                "{v}: {freq}"
            );
        }
        // Mean 0.5·10 + 0.4·20 + 0.1·30 = 16; variance 0.5·36 + 0.4·16 + 0.1·196 = 44.
        assert!((d.mean() - 16.0).abs() < 1e-12);
        assert!((d.variance() - 44.0).abs() < 1e-12);
        assert_moments(&d, &xs);
    }

    #[test]
    fn fixed_always_returns_its_value_and_consumes_one_draw() {
        let d = Dist::fixed(42.5).unwrap();
        let mut a = Xoshiro256PlusPlus::seed_from_u64(17);
        let mut b = Xoshiro256PlusPlus::seed_from_u64(17);
        assert_eq!(d.sample(&mut a), 42.5);
        uniform_open01(&mut b);
        assert_eq!(a.next_u64(), b.next_u64());
        assert_eq!(
            (d.mean(), d.variance(), d.support()),
            (42.5, 0.0, (42.5, 42.5))
        );
        assert_eq!((d.cdf(42.4), d.cdf(42.5)), (0.0, 1.0));
        assert!(d.is_fixed());
        assert!(!Dist::uniform(0.0, 1.0).unwrap().is_fixed());
    }

    #[test]
    fn normal_p90_is_mean_plus_1_2815515655_sd() {
        let d = Dist::normal(100.0, 15.0, None, None).unwrap();
        assert!((d.quantile(0.9) - (100.0 + 1.281_551_565_5 * 15.0)).abs() < 1e-8);
        assert!((d.quantile(0.5) - 100.0).abs() < 1e-12);
    }

    #[test]
    fn p10_p90_fits_reproduce_their_inputs() {
        for (p10, p90) in [(2.0, 5.0), (0.01, 1000.0), (40_000.0, 41_000.0)] {
            let d = Dist::lognormal_p10_p90(p10, p90).unwrap();
            assert!((d.quantile(0.1) - p10).abs() <= 1e-9 * p10);
            assert!((d.quantile(0.9) - p90).abs() <= 1e-9 * p90);
        }
        for (p10, p90) in [(-3.0, 9.0), (1.0e6, 1.2e6)] {
            let d = Dist::normal_p10_p90(p10, p90).unwrap();
            assert!((d.quantile(0.1) - p10).abs() <= 1e-9 * f64::abs(p10));
            assert!((d.quantile(0.9) - p90).abs() <= 1e-9 * f64::abs(p90));
        }
    }

    #[test]
    fn percentiles_reproduce_their_three_points_for_symmetric_and_skewed_inputs() {
        let cases = [
            (80.0, 100.0, 120.0),
            (1.0, 1.5, 3.0),
            (0.0, 0.9, 1.0),
            (10.0, 11.0, 30.0),
            (-5.0e6, -4.9e6, 2.0e6),
        ];
        for (p10, p50, p90) in cases {
            let d = Dist::percentiles(p10, p50, p90).unwrap();
            for (u, target) in [(0.1, p10), (0.5, p50), (0.9, p90)] {
                let tol = 1e-9 * f64::abs(target).max(1.0);
                assert!(
                    (d.quantile(u) - target).abs() <= tol,
                    "{p10},{p50},{p90} at {u}"
                );
            }
        }
    }

    #[test]
    fn quantile_clamps_its_argument_and_passes_nan_through() {
        let d = Dist::normal(0.0, 1.0, None, None).unwrap();
        assert_eq!(d.quantile(0.0), d.quantile(1e-12));
        assert_eq!(d.quantile(1.0), d.quantile(1.0 - 1e-12));
        assert!(d.quantile(0.0).is_finite() && d.quantile(0.0) < -7.0);
        assert!(d.quantile(f64::NAN).is_nan());
    }

    struct Scripted(Vec<u64>);

    impl rand::TryRng for Scripted {
        type Error = std::convert::Infallible;
        fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
            Ok(self.0.remove(0) as u32)
        }
        fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
            Ok(self.0.remove(0))
        }
        fn try_fill_bytes(&mut self, _: &mut [u8]) -> Result<(), Self::Error> {
            Ok(())
        }
    }

    #[test]
    fn open_uniform_never_returns_zero_or_one() {
        // All-zero bits are redrawn; all-one bits give 1 − 2⁻⁵³.
        let mut rng = Scripted(vec![0, 0x7ff, u64::MAX, 1 << 11]);
        assert_eq!(uniform_open01(&mut rng), 1.0 - 2f64.powi(-53));
        assert_eq!(uniform_open01(&mut rng), 2f64.powi(-53));
    }

    #[test]
    fn open_uniform_has_mean_one_half() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(18);
        let xs: Vec<f64> = (0..N).map(|_| uniform_open01(&mut rng)).collect();
        let mean = xs.iter().sum::<f64>() / N as f64;
        assert!((mean - 0.5).abs() < 4.0 * (1.0 / 12.0 / N as f64).sqrt());
        assert!(xs.iter().all(|&x| x > 0.0 && x < 1.0));
    }

    fn field_of(r: Result<Dist, DistError>) -> &'static str {
        match r {
            Ok(d) => panic!("expected an error, got {d:?}"),
            Err(e) => e.field,
        }
    }

    #[test]
    fn every_constructor_error_names_the_offending_field() {
        assert_eq!(field_of(Dist::fixed(f64::NAN)), "value");
        assert_eq!(field_of(Dist::uniform(5.0, 3.0)), "max");
        assert_eq!(field_of(Dist::uniform(4.0, 4.0)), "max");
        assert_eq!(field_of(Dist::uniform(f64::INFINITY, 4.0)), "min");
        assert_eq!(field_of(Dist::normal(f64::NAN, 1.0, None, None)), "mean");
        assert_eq!(field_of(Dist::normal(0.0, 0.0, None, None)), "sd");
        assert_eq!(field_of(Dist::normal(0.0, -1.0, None, None)), "sd");
        assert_eq!(
            field_of(Dist::normal(0.0, 1.0, Some(2.0), Some(1.0))),
            "max"
        );
        assert_eq!(
            field_of(Dist::normal(0.0, 1.0, Some(f64::NAN), None)),
            "min"
        );
        assert_eq!(
            field_of(Dist::normal(0.0, 1.0, Some(7.0), Some(8.0))),
            "min"
        );
        assert_eq!(field_of(Dist::normal(0.0, 1.0, None, Some(-7.0))), "max");
        assert_eq!(field_of(Dist::lognormal_mean_cv(0.0, 0.2)), "mean");
        assert_eq!(field_of(Dist::lognormal_mean_cv(1.0, 0.0)), "cv");
        assert_eq!(field_of(Dist::lognormal_p10_p90(0.0, 2.0)), "p10");
        assert_eq!(field_of(Dist::lognormal_p10_p90(3.0, 2.0)), "p90");
        assert_eq!(field_of(Dist::normal_p10_p90(3.0, 3.0)), "p90");
        assert_eq!(field_of(Dist::normal_p10_p90(f64::NAN, 3.0)), "p10");
        assert_eq!(field_of(Dist::triangular(0.0, 5.0, 4.0)), "mode");
        assert_eq!(field_of(Dist::triangular(4.0, 4.0, 4.0)), "max");
        assert_eq!(field_of(Dist::pert(0.0, -1.0, 4.0)), "mode");
        assert_eq!(field_of(Dist::pert(0.0, 1.0, f64::NAN)), "max");
        assert_eq!(field_of(Dist::beta(0.0, 1.0, 0.0, 1.0)), "alpha");
        assert_eq!(field_of(Dist::beta(1.0, -2.0, 0.0, 1.0)), "beta");
        assert_eq!(field_of(Dist::beta(1.0, 2.0, 1.0, 0.0)), "max");
        assert_eq!(field_of(Dist::discrete(vec![], vec![])), "values");
        assert_eq!(
            field_of(Dist::discrete(vec![1.0], vec![1.0, 2.0])),
            "weights"
        );
        assert_eq!(
            field_of(Dist::discrete(vec![f64::NAN], vec![1.0])),
            "values"
        );
        assert_eq!(
            field_of(Dist::discrete(vec![1.0, 2.0], vec![1.0, -1.0])),
            "weights"
        );
        assert_eq!(
            field_of(Dist::discrete(vec![1.0, 2.0], vec![0.0, 0.0])),
            "weights"
        );
        assert_eq!(field_of(Dist::percentiles(5.0, 4.0, 9.0)), "p50");
        assert_eq!(field_of(Dist::percentiles(1.0, 4.0, 4.0)), "p90");
        assert_eq!(field_of(Dist::percentiles(1.0, 4.0, f64::INFINITY)), "p90");
    }

    #[test]
    fn error_messages_say_how_to_fix_the_input() {
        let e = Dist::uniform(5.0, 3.0).unwrap_err();
        assert_eq!(e.to_string(), "min (5) must be less than max (3)");
        let e = Dist::uniform(4.0, 4.0).unwrap_err();
        assert!(e.to_string().contains("use the plain number 4"));
    }

    /// Every distribution the constructors accept, over a grid of extreme parameters, gives a
    /// finite quantile at the ends and the middle of (0, 1) without hanging (a beta with a shape
    /// of 1e10 once spun forever); parameters beyond the limits are refused.
    #[test]
    fn every_accepted_extreme_distribution_has_finite_quantiles_in_bounded_time() {
        let mags = [
            -1e15, -1e9, -1.0, -1e-300, 0.0, 1e-300, 1e-6, 1.0, 1e6, 1e15,
        ];
        let spreads = [1e-300, 1e-12, 1e-3, 1.0, 1e3, 1e9, 1e15];
        let shapes = [
            1e-3, 1e-2, 0.1, 0.5, 0.999, 1.0, 2.0, 10.0, 1e3, 1e5, 5e5, 1e6,
        ];
        let mut dists = Vec::new();
        let mut push = |d: Result<Dist, DistError>| {
            if let Ok(d) = d {
                dists.push(d);
            }
        };
        for &a in &shapes {
            for &b in &shapes {
                push(Dist::beta(a, b, 0.0, 1.0));
                push(Dist::beta(a, b, -1e15, 1e15));
            }
        }
        for &m in &mags {
            for &s in &spreads {
                push(Dist::uniform(m, m + s));
                push(Dist::normal(m, s, None, None));
                push(Dist::normal(m, s, Some(m + s), None));
                push(Dist::normal(m, s, Some(m - 6.0 * s), Some(m - 5.0 * s)));
                push(Dist::normal_p10_p90(m, m + s));
                push(Dist::triangular(m, m, m + s));
                push(Dist::pert(m, m + s / 3.0, m + s));
                push(Dist::percentiles(m, m + s / 100.0, m + s));
                push(Dist::percentiles(m, m + s / 2.0, m + s));
                push(Dist::lognormal_p10_p90(m, m + s));
                for cv in [1e-6, 1e-3, 1.0, 10.0, 1e3] {
                    push(Dist::lognormal_mean_cv(m, cv));
                    if let Ok(d) = Dist::lognormal_mean_cv(m, cv) {
                        push(Dist::truncated(d, Some(m), Some(m + s)));
                    }
                }
                if let Ok(d) = Dist::percentiles(m, m + s / 2.0, m + s) {
                    push(Dist::truncated(d, Some(m + s), None));
                }
            }
        }
        assert!(dists.len() > 500, "only {} accepted", dists.len());
        for d in &dists {
            for u in [U_EPS, 0.5, 1.0 - U_EPS] {
                let t = std::time::Instant::now();
                let x = d.quantile(u);
                assert!(x.is_finite(), "{d:?} at {u}: {x}");
                assert!(
                    t.elapsed().as_secs_f64() < 1.0,
                    "{d:?} at {u} took too long"
                );
            }
        }
        // Beyond the limits the constructors refuse, naming the limit.
        for (a, b) in [(1e10, 1.0), (1.0, 1e7), (1e-4, 2.0), (2.0, 1e-300)] {
            let e = Dist::beta(a, b, 0.0, 1.0).unwrap_err();
            assert!(e.message.contains("1e-3 and 1e6"), "{}", e.message);
        }
        assert_eq!(field_of(Dist::uniform(-1e16, 0.0)), "min");
        assert_eq!(field_of(Dist::uniform(0.0, f64::MAX)), "max");
        assert_eq!(field_of(Dist::normal(0.0, 1e300, None, None)), "sd");
        assert_eq!(field_of(Dist::lognormal_mean_cv(1.0, 1e300)), "cv");
        assert_eq!(field_of(Dist::lognormal_mean_cv(1.0, 1e-300)), "cv");
        assert_eq!(field_of(Dist::lognormal_p10_p90(1e-300, 1.0)), "p90");
        assert_eq!(field_of(Dist::lognormal_p10_p90(1e10, 1e10 + 0.002)), "p90");
        assert_eq!(field_of(Dist::percentiles(0.0, 1.0, 1e300)), "p90");
        assert!(Dist::uniform(-1e15, 1e15).is_ok());
    }

    #[test]
    fn kinds_name_each_family() {
        let kinds: Vec<&str> = [
            Dist::fixed(1.0),
            Dist::uniform(0.0, 1.0),
            Dist::normal(0.0, 1.0, None, None),
            Dist::lognormal_mean_cv(1.0, 0.1),
            Dist::triangular(0.0, 0.5, 1.0),
            Dist::pert(0.0, 0.5, 1.0),
            Dist::beta(1.0, 1.0, 0.0, 1.0),
            Dist::discrete(vec![1.0], vec![1.0]),
            Dist::percentiles(0.0, 1.0, 2.0),
        ]
        .into_iter()
        .map(|d| d.unwrap().kind())
        .collect();
        assert_eq!(
            kinds,
            [
                "fixed",
                "uniform",
                "normal",
                "lognormal",
                "triangular",
                "pert",
                "beta",
                "discrete",
                "percentiles"
            ]
        );
    }
}
