//! A mergeable running mean and variance (Welford's update, Chan et al.'s merge), for
//! accumulating per-chunk statistics in a parallel engine and combining them in a fixed order.

/// Running count, mean and sum of squared deviations.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Moments {
    n: u64,
    mean: f64,
    m2: f64,
}

impl Moments {
    /// An empty accumulator.
    pub fn new() -> Moments {
        Moments::default()
    }

    /// Adds one value (Welford's update).
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        let delta = x - self.mean;
        self.mean += delta / self.n as f64;
        self.m2 += delta * (x - self.mean);
    }

    /// Folds `other` into `self` as if its values had been pushed here (Chan, Golub and LeVeque's
    /// pairwise formula). Merging in a fixed order gives reproducible bits.
    pub fn merge(&mut self, other: &Moments) {
        if other.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = *other;
            return;
        }
        let (na, nb) = (self.n as f64, other.n as f64);
        let n = na + nb;
        let delta = other.mean - self.mean;
        self.mean += delta * nb / n;
        self.m2 += other.m2 + delta * delta * na * nb / n;
        self.n += other.n;
    }

    /// Number of values pushed.
    pub fn count(&self) -> u64 {
        self.n
    }

    /// The mean; NaN when empty.
    pub fn mean(&self) -> f64 {
        if self.n == 0 {
            f64::NAN
        } else {
            self.mean
        }
    }

    /// The sample variance (n − 1 denominator); NaN with fewer than two values.
    pub fn variance(&self) -> f64 {
        if self.n < 2 {
            f64::NAN
        } else {
            self.m2 / (self.n - 1) as f64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> Vec<f64> {
        // A deterministic, uneven sequence with an offset.
        (0..1001)
            .map(|i| 100.0 + f64::from(i % 17) * 0.37 - f64::from(i % 5) * 1.1)
            .collect()
    }

    fn rel(a: f64, b: f64) -> f64 {
        (a - b).abs() / b.abs()
    }

    #[test]
    fn known_values_give_textbook_mean_and_variance() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations sum to 32, sample variance 32/7.
        let mut m = Moments::new();
        for x in [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0] {
            m.push(x);
        }
        assert_eq!(m.count(), 8);
        assert!((m.mean() - 5.0).abs() < 1e-15);
        assert!((m.variance() - 32.0 / 7.0).abs() < 1e-14);
    }

    #[test]
    fn merging_two_halves_equals_pushing_everything() {
        let xs = data();
        let mut all = Moments::new();
        xs.iter().for_each(|&x| all.push(x));
        let (left, right) = xs.split_at(377);
        let mut a = Moments::new();
        let mut b = Moments::new();
        left.iter().for_each(|&x| a.push(x));
        right.iter().for_each(|&x| b.push(x));
        a.merge(&b);
        assert_eq!(a.count(), all.count());
        assert!(rel(a.mean(), all.mean()) < 1e-12);
        assert!(
            rel(a.variance(), all.variance()) < 1e-12,
            "{} {}",
            a.variance(),
            all.variance()
        );
    }

    #[test]
    fn merging_with_an_empty_accumulator_changes_nothing() {
        let mut a = Moments::new();
        [1.0, 2.0, 4.0].iter().for_each(|&x| a.push(x));
        let before = a;
        a.merge(&Moments::new());
        assert_eq!(a, before);
        let mut e = Moments::new();
        e.merge(&before);
        assert_eq!(e, before);
    }

    #[test]
    fn empty_and_single_value_accumulators_report_nan_where_undefined() {
        let mut m = Moments::new();
        assert!(m.mean().is_nan() && m.variance().is_nan());
        m.push(3.0);
        assert_eq!(m.mean(), 3.0);
        assert!(m.variance().is_nan());
    }
}
