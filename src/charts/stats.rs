//! Small numeric helpers for the charts: "nice" axis ranges and ticks (the one tick function of
//! every chart) and histogram binning. Pure functions on plain numbers, unit-tested here, so that
//! drawing code only lays out. Quantiles come from [`crate::stats`], not from here.

/// A step of 1, 2, 2.5 or 5 × 10^k giving about `target` intervals over `span`.
pub fn nice_step(span: f64, target: usize) -> f64 {
    if !(span.is_finite() && span > 0.0) {
        return 1.0;
    }
    let raw = span / target.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let nice = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 2.5 {
        2.5
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * mag
}

/// The largest step of 1, 2, 2.5 or 5 × 10^k not above `span / target` (for histogram bins,
/// where rounding the width up would leave too few bars).
pub fn nice_step_below(span: f64, target: usize) -> f64 {
    if !(span.is_finite() && span > 0.0) {
        return 1.0;
    }
    let raw = span / target.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let nice = [5.0, 2.5, 2.0, 1.0]
        .into_iter()
        .find(|&n| n <= f + 1e-12)
        .unwrap_or(1.0);
    nice * mag
}

/// An axis: the range drawn, and its tick values.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// Lower end of the drawn range.
    pub lo: f64,
    /// Upper end of the drawn range.
    pub hi: f64,
    /// Tick values from lo to hi inclusive.
    pub ticks: Vec<f64>,
    /// The tick step.
    pub step: f64,
}

impl Axis {
    /// A range covering `[lo, hi]` extended outwards to whole steps, with about `target` ticks.
    /// Degenerate or non-finite input gives a small range around the value (or 0–1).
    pub fn nice(lo: f64, hi: f64, target: usize) -> Axis {
        let (mut lo, mut hi) = match (lo.is_finite(), hi.is_finite()) {
            (true, true) => (lo.min(hi), lo.max(hi)),
            (true, false) => (lo, lo),
            (false, true) => (hi, hi),
            (false, false) => (0.0, 1.0),
        };
        if hi - lo <= f64::EPSILON * hi.abs().max(1.0) {
            let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
            lo -= pad;
            hi += pad;
        }
        let step = nice_step(hi - lo, target);
        // The tolerance keeps a bound that is already a whole step from moving a step out.
        let lo = (lo / step + 1e-9).floor() * step;
        let hi = (hi / step - 1e-9).ceil() * step;
        let n = ((hi - lo) / step).round() as usize;
        let ticks = (0..=n).map(|i| lo + i as f64 * step).collect();
        Axis {
            lo,
            hi,
            ticks,
            step,
        }
    }

    /// Decimals needed to show the ticks exactly (0 for whole steps).
    pub fn decimals(&self) -> usize {
        let mut d = 0;
        while d < 6
            && ((self.step * 10f64.powi(d as i32)).round() - self.step * 10f64.powi(d as i32)).abs()
                > 1e-6
        {
            d += 1;
        }
        d
    }
}

/// Equal-width histogram bins.
#[derive(Debug, Clone, PartialEq)]
pub struct Bins {
    /// Left edge of the first bin.
    pub start: f64,
    /// Bin width (> 0).
    pub width: f64,
    /// Count in each bin.
    pub counts: Vec<usize>,
}

impl Bins {
    /// Bins finite values into about `target` bins of a nice width aligned to multiples of the
    /// width. All-equal data give a single bin centred on the value. Empty data give no bins.
    pub fn of(values: &[f64], target: usize) -> Bins {
        let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        let (min, max) = finite
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                (a.min(v), b.max(v))
            });
        if finite.is_empty() {
            return Bins {
                start: 0.0,
                width: 1.0,
                counts: Vec::new(),
            };
        }
        if max - min <= f64::EPSILON * max.abs().max(1.0) {
            let width = nice_step(min.abs().max(1.0) * 0.04, 1);
            return Bins {
                start: min - width / 2.0,
                width,
                counts: vec![finite.len()],
            };
        }
        let width = nice_step_below(max - min, target);
        let start = (min / width).floor() * width;
        let n = (((max - start) / width).floor() as usize + 1).max(1);
        let mut counts = vec![0; n];
        for v in finite {
            let i = (((v - start) / width).floor() as usize).min(n - 1);
            counts[i] += 1;
        }
        Bins {
            start,
            width,
            counts,
        }
    }

    /// The right edge of the last bin.
    pub fn end(&self) -> f64 {
        self.start + self.width * self.counts.len() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_axis_covers_the_data_with_round_ticks() {
        let a = Axis::nice(612.0, 1187.0, 6);
        assert_eq!((a.lo, a.hi, a.step), (600.0, 1200.0, 100.0));
        assert_eq!(a.ticks.len(), 7);
        assert_eq!(a.decimals(), 0);
        let b = Axis::nice(0.0, 0.62, 5);
        assert_eq!(b.step, 0.2);
        assert_eq!(b.decimals(), 1);
        let c = Axis::nice(5.0, 5.0, 5);
        assert!(c.lo < 5.0 && c.hi > 5.0);
        let e = Axis::nice(0.0, 1230.0, 6);
        assert_eq!((e.lo, e.hi, e.step), (0.0, 1250.0, 250.0));
        assert_eq!(Axis::nice(-0.8, 0.8, 8).lo, -0.8);
        let d = Axis::nice(f64::NAN, f64::NAN, 5);
        assert!(d.lo <= 0.0 && d.hi >= 1.0);
    }

    #[test]
    fn bins_count_every_value_once() {
        let v: Vec<f64> = (0..200).map(|i| 500.0 + i as f64 * 2.7).collect();
        assert_eq!(nice_step_below(537.0, 11), 25.0);
        assert_eq!(nice_step_below(537.0, 30), 10.0);
        let b = Bins::of(&v, 30);
        assert_eq!(b.width, 10.0);
        assert_eq!(b.counts.iter().sum::<usize>(), 200);
        assert!(b.start <= 500.0 && b.end() > 500.0 + 199.0 * 2.7);
        let z = Bins::of(&[3e8; 50], 30);
        assert_eq!(z.counts, vec![50]);
        assert!(z.start < 3e8 && z.end() > 3e8);
        assert!(Bins::of(&[f64::NAN], 30).counts.is_empty());
    }
}
