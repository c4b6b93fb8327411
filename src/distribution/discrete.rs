//! A discrete distribution over a finite list of values with weights. It is separate because
//! its inverse CDF is a search over cumulative probabilities rather than a formula, and because
//! the input (two parallel lists) needs its own normalisation: values are sorted, duplicates
//! merged and zero-weight values dropped, so that the quantile is monotone in u.

/// A finite distribution: value `values[i]` with probability `probs[i]`, values strictly
/// increasing, probabilities positive and summing to one.
#[derive(Debug, Clone, PartialEq)]
pub struct Discrete {
    values: Vec<f64>,
    probs: Vec<f64>,
    /// cum[i] = P(X ≤ values[i]); the last entry is exactly 1.
    cum: Vec<f64>,
}

impl Discrete {
    /// Builds from (value, weight) pairs. The caller has checked that there is at least one pair,
    /// values are finite, weights are finite and non-negative, and at least one weight is
    /// positive.
    pub(crate) fn new(values: &[f64], weights: &[f64]) -> Discrete {
        let total: f64 = weights.iter().sum();
        let mut pairs: Vec<(f64, f64)> = values
            .iter()
            .zip(weights)
            .filter(|(_, w)| **w > 0.0)
            .map(|(&v, &w)| (v, w / total))
            .collect();
        pairs.sort_by(|x, y| x.0.total_cmp(&y.0));
        let mut merged: Vec<(f64, f64)> = Vec::with_capacity(pairs.len());
        for (v, p) in pairs {
            match merged.last_mut() {
                Some(last) if last.0 == v => last.1 += p,
                _ => merged.push((v, p)),
            }
        }
        let values: Vec<f64> = merged.iter().map(|m| m.0).collect();
        let probs: Vec<f64> = merged.iter().map(|m| m.1).collect();
        let mut cum: Vec<f64> = probs
            .iter()
            .scan(0.0, |acc, &p| {
                *acc += p;
                Some(*acc)
            })
            .collect();
        if let Some(last) = cum.last_mut() {
            *last = 1.0;
        }
        Discrete { values, probs, cum }
    }

    /// The distinct values with positive probability, in increasing order.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// The normalised probability of each entry of [`Discrete::values`].
    pub fn probs(&self) -> &[f64] {
        &self.probs
    }

    /// The smallest value whose cumulative probability reaches u.
    pub fn quantile(&self, u: f64) -> f64 {
        let i = self.cum.partition_point(|&c| c < u);
        self.values[i.min(self.values.len() - 1)]
    }

    /// P(X ≤ x).
    pub fn cdf(&self, x: f64) -> f64 {
        match self.values.partition_point(|&v| v <= x) {
            0 => 0.0,
            i => self.cum[i - 1],
        }
    }

    /// Σ pᵢ·vᵢ.
    pub fn mean(&self) -> f64 {
        self.values
            .iter()
            .zip(&self.probs)
            .map(|(v, p)| v * p)
            .sum()
    }

    /// Σ pᵢ·(vᵢ − mean)².
    pub fn variance(&self) -> f64 {
        let m = self.mean();
        self.values
            .iter()
            .zip(&self.probs)
            .map(|(v, p)| p * (v - m) * (v - m))
            .sum()
    }

    /// (smallest value, largest value).
    pub fn support(&self) -> (f64, f64) {
        (self.values[0], self.values[self.values.len() - 1])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_merges_and_drops_zero_weights() {
        let d = Discrete::new(&[3.0, 1.0, 3.0, 7.0], &[1.0, 2.0, 1.0, 0.0]);
        assert_eq!(d.values(), &[1.0, 3.0]);
        assert_eq!(d.probs(), &[0.5, 0.5]);
        assert_eq!(d.support(), (1.0, 3.0));
    }

    #[test]
    fn quantile_steps_at_the_cumulative_weights() {
        // Values 10, 20, 30 with weights 1, 2, 1: cumulative 0.25, 0.75, 1.
        let d = Discrete::new(&[10.0, 20.0, 30.0], &[1.0, 2.0, 1.0]);
        assert_eq!(d.quantile(1e-12), 10.0);
        assert_eq!(d.quantile(0.25), 10.0);
        assert_eq!(d.quantile(0.250_001), 20.0);
        assert_eq!(d.quantile(0.75), 20.0);
        assert_eq!(d.quantile(1.0 - 1e-12), 30.0);
        assert_eq!(d.cdf(19.9), 0.25);
        assert_eq!(d.cdf(20.0), 0.75);
        assert_eq!(d.cdf(99.0), 1.0);
        assert_eq!(d.mean(), 20.0);
        assert_eq!(d.variance(), 50.0); // 0.25·100 + 0 + 0.25·100
    }
}
