//! The continuous uniform and triangular families: the two bounded shapes whose quantiles are
//! closed-form, kept together because both are a few lines of arithmetic.

/// Uniform on [min, max].
#[derive(Debug, Clone, PartialEq)]
pub struct Uniform {
    min: f64,
    max: f64,
}

impl Uniform {
    /// The caller has checked min < max, both finite.
    pub(crate) fn new(min: f64, max: f64) -> Uniform {
        Uniform { min, max }
    }

    /// min + u·(max − min).
    pub fn quantile(&self, u: f64) -> f64 {
        (self.min + u * (self.max - self.min)).clamp(self.min, self.max)
    }

    /// (x − min)/(max − min), clamped to [0, 1].
    pub fn cdf(&self, x: f64) -> f64 {
        ((x - self.min) / (self.max - self.min)).clamp(0.0, 1.0)
    }

    /// (min + max)/2.
    pub fn mean(&self) -> f64 {
        0.5 * (self.min + self.max)
    }

    /// (max − min)²/12.
    pub fn variance(&self) -> f64 {
        let w = self.max - self.min;
        w * w / 12.0
    }

    /// (min, max).
    pub fn support(&self) -> (f64, f64) {
        (self.min, self.max)
    }
}

/// Triangular on [min, max] with its peak at mode.
#[derive(Debug, Clone, PartialEq)]
pub struct Triangular {
    min: f64,
    mode: f64,
    max: f64,
}

impl Triangular {
    /// The caller has checked min < max and min ≤ mode ≤ max, all finite.
    pub(crate) fn new(min: f64, mode: f64, max: f64) -> Triangular {
        Triangular { min, mode, max }
    }

    /// The most likely value.
    pub fn mode(&self) -> f64 {
        self.mode
    }

    /// min + √(u·(max − min)·(mode − min)) below F(mode), else
    /// max − √((1 − u)·(max − min)·(max − mode)).
    pub fn quantile(&self, u: f64) -> f64 {
        let (a, c, b) = (self.min, self.mode, self.max);
        let x = if u < (c - a) / (b - a) {
            a + (u * (b - a) * (c - a)).sqrt()
        } else {
            b - ((1.0 - u) * (b - a) * (b - c)).sqrt()
        };
        x.clamp(a, b)
    }

    /// P(X ≤ x): (x − min)²/((max − min)(mode − min)) up to the mode, then
    /// 1 − (max − x)²/((max − min)(max − mode)).
    pub fn cdf(&self, x: f64) -> f64 {
        let (a, c, b) = (self.min, self.mode, self.max);
        if x <= a {
            0.0
        } else if x >= b {
            1.0
        } else if x <= c {
            (x - a) * (x - a) / ((b - a) * (c - a))
        } else {
            1.0 - (b - x) * (b - x) / ((b - a) * (b - c))
        }
    }

    /// (min + mode + max)/3.
    pub fn mean(&self) -> f64 {
        (self.min + self.mode + self.max) / 3.0
    }

    /// (min² + mode² + max² − min·mode − min·max − mode·max)/18.
    pub fn variance(&self) -> f64 {
        let (a, c, b) = (self.min, self.mode, self.max);
        (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0
    }

    /// (min, max).
    pub fn support(&self) -> (f64, f64) {
        (self.min, self.max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triangular_quantiles_match_hand_calculation() {
        // min 0, mode 2, max 10: F(mode) = 0.2.
        // u = 0.1: 0 + √(0.1·10·2) = √2.
        // u = 0.5: 10 − √(0.5·10·8) = 10 − √40.
        // u = 0.2 sits exactly on the mode.
        let t = Triangular::new(0.0, 2.0, 10.0);
        assert!((t.quantile(0.1) - 2.0_f64.sqrt()).abs() < 1e-14);
        assert!((t.quantile(0.5) - (10.0 - 40.0_f64.sqrt())).abs() < 1e-14);
        assert!((t.quantile(0.2) - 2.0).abs() < 1e-14);
        assert!((t.cdf(2.0) - 0.2).abs() < 1e-15);
    }

    #[test]
    fn triangular_with_mode_at_an_end_is_well_defined() {
        let left = Triangular::new(1.0, 1.0, 3.0);
        assert!((left.quantile(0.75) - (3.0 - 1.0)).abs() < 1e-14); // 3 − √(0.25·2·2) = 2
        assert_eq!(left.cdf(1.0), 0.0);
        let right = Triangular::new(1.0, 3.0, 3.0);
        assert!((right.quantile(0.25) - 2.0).abs() < 1e-14); // 1 + √(0.25·2·2) = 2
        assert_eq!(right.cdf(3.0), 1.0);
    }

    #[test]
    fn uniform_quantile_is_linear() {
        let d = Uniform::new(-2.0, 6.0);
        assert_eq!(d.quantile(0.25), 0.0);
        assert_eq!(d.cdf(4.0), 0.75);
        assert_eq!(d.variance(), 64.0 / 12.0);
    }
}
