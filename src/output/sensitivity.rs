//! `sensitivity.csv`: how strongly each uncertain input drives the key outputs — the £ swing of
//! the output between the input's bottom and top deciles (what the tornado chart shows), the
//! Spearman rank correlation, its share of the rank variance, and where the input sits when the
//! output is in its top decile — per organisation and for the total.

use super::records::{DecileSwing, SensitivityRecord};
use super::tables::org_columns;
use crate::engine::Columns;
use crate::metric::Metric;
use crate::scenario::Scenario;
use crate::stats::{pearson, quantile_sorted, ranks, spearman};
use rayon::prelude::*;

/// The outputs whose drivers `sensitivity.csv` ranks; all in £ (the swing columns are `_gbp`).
pub const SENSITIVITY_OUTPUTS: [Metric; 3] = [
    Metric::ExitCostGbp,
    Metric::RunRateAtDeadlineGbp,
    Metric::NpvGbp,
];

/// Bytes of input draws (values and ranks, 16 bytes an iteration each) held at once: inputs are
/// taken a group at a time, so memory stays bounded at any iteration count.
const INPUT_BYTES: usize = 128 << 20;

/// One input's measures against one output.
#[derive(Debug, Clone, Copy)]
struct Measures {
    rho: f64,
    swing: DecileSwing,
    top_decile: f64,
}

/// Spearman rank correlations of every uncertain input with each sensitivity output, per org
/// (organisations in parallel, rows in order). Inputs are taken a group at a time (all at once
/// below about 8 million iteration-inputs); the results do not depend on the grouping.
///
/// # Errors
/// When values kept on disk cannot be read.
pub fn sensitivity_rows(
    sc: &Scenario,
    cols: &(impl Columns + ?Sized),
) -> std::io::Result<Vec<SensitivityRecord>> {
    let uncertain: Vec<usize> = sc.uncertain_inputs().map(|(i, _)| i).collect();
    let n = cols.iterations();
    let per_group = (INPUT_BYTES / (16 * n.max(1))).max(1);
    let orgs = org_columns(sc);
    // measures[org][output]: one per input, in input order.
    let mut measures: Vec<Vec<Vec<Measures>>> =
        vec![vec![Vec::new(); SENSITIVITY_OUTPUTS.len()]; orgs.len()];
    for group in uncertain.chunks(per_group) {
        // What depends only on the inputs is computed once per group: each input's draws, their
        // ranks and deciles.
        let inputs: Vec<InputDraws> = group
            .par_iter()
            .map(|&i| cols.input(i).map(InputDraws::new))
            .collect::<std::io::Result<_>>()?;
        let part: Vec<Vec<Vec<Measures>>> = orgs
            .par_iter()
            .map(|(o, _)| {
                SENSITIVITY_OUTPUTS
                    .iter()
                    .map(|&out| Ok(measure(&inputs, &cols.column(*o, out)?, n)))
                    .collect::<std::io::Result<Vec<_>>>()
            })
            .collect::<std::io::Result<_>>()?;
        for (all, new) in measures.iter_mut().zip(part) {
            for (a, b) in all.iter_mut().zip(new) {
                a.extend(b);
            }
        }
    }
    let mut rows = Vec::new();
    for ((_, name), per_output) in orgs.iter().zip(&measures) {
        for (&out, ms) in SENSITIVITY_OUTPUTS.iter().zip(per_output) {
            let total: f64 = ms
                .iter()
                .map(|m| m.rho)
                .filter(|r| r.is_finite())
                .map(|r| r * r)
                .sum();
            for (m, &i) in ms.iter().zip(&uncertain) {
                rows.push(SensitivityRecord {
                    org: name.clone(),
                    output: out,
                    input: sc.inputs[i].path.clone(),
                    label: sc.inputs[i].label.clone(),
                    rho: m.rho,
                    contribution: if total > 0.0 && m.rho.is_finite() {
                        m.rho * m.rho / total
                    } else {
                        f64::NAN
                    },
                    top_decile: m.top_decile,
                    swing: m.swing,
                });
            }
        }
    }
    Ok(rows)
}

/// The measures of each of `inputs` against output `y` over `n` iterations.
fn measure(inputs: &[InputDraws], y: &[f64], n: usize) -> Vec<Measures> {
    let y_ranks = (!y.iter().any(|v| v.is_nan())).then(|| ranks(y));
    let y_finite = y.iter().all(|v| v.is_finite());
    let top = top_decile(y);
    inputs
        .iter()
        .map(|x| {
            let swing = match x.deciles {
                Some(d) if y_finite => swing_between(&x.values, y, d),
                _ => decile_swing(&x.values, y),
            };
            // The input's draws as percentile ranks in (0, 1): (rank − ½) / n.
            let top_decile = if top.is_empty() {
                f64::NAN
            } else {
                top.iter()
                    .map(|&t| (x.ranks[t] - 0.5) / n as f64)
                    .sum::<f64>()
                    / top.len() as f64
            };
            Measures {
                rho: x.spearman(y, y_ranks.as_deref()),
                swing,
                top_decile,
            }
        })
        .collect()
}

/// One input's draws across iterations with what every output's measures share: their ranks
/// (ties averaged) and, when every draw is finite, their type-7 P10 and P90.
struct InputDraws {
    values: Vec<f64>,
    ranks: Vec<f64>,
    deciles: Option<(f64, f64)>,
    any_nan: bool,
}

impl InputDraws {
    fn new(values: Vec<f64>) -> InputDraws {
        let ranks = ranks(&values);
        let deciles = values.iter().all(|v| v.is_finite()).then(|| {
            let mut xs = values.clone();
            crate::stats::sort_total(&mut xs);
            (quantile_sorted(&xs, 0.1), quantile_sorted(&xs, 0.9))
        });
        let any_nan = values.iter().any(|v| v.is_nan());
        InputDraws {
            values,
            ranks,
            deciles,
            any_nan,
        }
    }

    /// [`spearman`] of these draws with `y`, reusing both sides' ranks when no pair is dropped
    /// (neither side has a NaN): the same value, without ranking the draws again.
    fn spearman(&self, y: &[f64], y_ranks: Option<&[f64]>) -> f64 {
        match y_ranks {
            Some(yr) if !self.any_nan && self.values.len() == y.len() => {
                if y.len() < 3 {
                    f64::NAN
                } else {
                    pearson(&self.ranks, yr)
                }
            }
            _ => spearman(&self.values, y),
        }
    }
}

/// The £ swing of output `y` over input `x` (paired by iteration): `high_mean` − `low_mean`,
/// where `low_mean` is the mean of `y` over the iterations with `x` ≤ P10(x) (type 7) and
/// `high_mean` over those with `x` ≥ P90(x).
/// Ties go wholly into a group, so an input with two equally likely values compares them.
/// Iterations where either value is missing are left out. The standard error is
/// √(s²_low/n_low + s²_high/n_high) with sample variances (n − 1). All NaN when the input does
/// not vary (P10 = P90) or a group is empty; the standard error is NaN with fewer than two
/// iterations in a group.
pub fn decile_swing(x: &[f64], y: &[f64]) -> DecileSwing {
    let none = DecileSwing {
        low_mean: f64::NAN,
        high_mean: f64::NAN,
        swing: f64::NAN,
        se: f64::NAN,
    };
    let pairs: Vec<(f64, f64)> = x
        .iter()
        .zip(y)
        .filter(|(a, b)| a.is_finite() && b.is_finite())
        .map(|(&a, &b)| (a, b))
        .collect();
    let mut xs: Vec<f64> = pairs.iter().map(|p| p.0).collect();
    crate::stats::sort_total(&mut xs);
    if xs.is_empty() {
        return none;
    }
    swing_between(x, y, (quantile_sorted(&xs, 0.1), quantile_sorted(&xs, 0.9)))
}

/// [`decile_swing`] with the input's P10 and P90 (over the pairs kept) already known.
fn swing_between(x: &[f64], y: &[f64], (p10, p90): (f64, f64)) -> DecileSwing {
    let none = DecileSwing {
        low_mean: f64::NAN,
        high_mean: f64::NAN,
        swing: f64::NAN,
        se: f64::NAN,
    };
    if p10 >= p90 {
        return none;
    }
    let pairs = x
        .iter()
        .zip(y)
        .filter(|(a, b)| a.is_finite() && b.is_finite());
    let (mut low, mut high) = (Vec::new(), Vec::new());
    for (&a, &b) in pairs {
        if a <= p10 {
            low.push(b);
        }
        if a >= p90 {
            high.push(b);
        }
    }
    let (Some((lm, lv)), Some((hm, hv))) = (mean_var(&low), mean_var(&high)) else {
        return none;
    };
    DecileSwing {
        low_mean: lm,
        high_mean: hm,
        swing: hm - lm,
        se: (lv / low.len() as f64 + hv / high.len() as f64).sqrt(),
    }
}

/// Mean and sample variance (n − 1; NaN for one value) of `v`, summed in order; `None` if empty.
fn mean_var(v: &[f64]) -> Option<(f64, f64)> {
    if v.is_empty() {
        return None;
    }
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let ss: f64 = v.iter().map(|a| (a - mean) * (a - mean)).sum();
    Some((
        mean,
        if v.len() > 1 {
            ss / (n - 1.0)
        } else {
            f64::NAN
        },
    ))
}

/// Indices of the iterations whose output is in its top decile (at or above its P90); empty when
/// the output does not vary.
fn top_decile(y: &[f64]) -> Vec<usize> {
    let mut sorted: Vec<f64> = y.iter().copied().filter(|v| v.is_finite()).collect();
    crate::stats::sort_total(&mut sorted);
    if sorted.first() == sorted.last() {
        return Vec::new();
    }
    let p90 = quantile_sorted(&sorted, 0.9);
    (0..y.len()).filter(|&t| y[t] >= p90).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 20 iterations with input x = 1, 2, …, 20 and output y = £1,000·x. Type-7 P10 of x is at
    /// h = 19 × 0.1 = 1.9: 2 + 0.9 = 2.9, so the bottom decile is x ∈ {1, 2}, mean y = £1,500;
    /// P90 at h = 17.1 is 18.1, so the top decile is x ∈ {19, 20}, mean y = £19,500. Swing =
    /// £18,000. Each group has sample variance ((−500)² + 500²)/1 = 500,000, so the standard
    /// error is √(500,000/2 + 500,000/2) = √500,000 = £707.11.
    #[test]
    fn swing_is_the_top_decile_mean_less_the_bottom_decile_mean() {
        let x: Vec<f64> = (1..=20).map(f64::from).collect();
        let y: Vec<f64> = x.iter().map(|v| 1000.0 * v).collect();
        let s = decile_swing(&x, &y);
        assert_eq!(
            (s.low_mean, s.high_mean, s.swing),
            (1500.0, 19500.0, 18000.0)
        );
        assert!((s.se - 500_000f64.sqrt()).abs() < 1e-9, "{}", s.se);
        // A falling output swings the other way by the same amount.
        let down: Vec<f64> = y.iter().map(|v| 50_000.0 - v).collect();
        assert_eq!(decile_swing(&x, &down).swing, -18000.0);
        // Iterations shuffled: the same groups, the same swing.
        let order: Vec<usize> = (0..20).map(|i| (i * 7) % 20).collect();
        let (xs, ys): (Vec<f64>, Vec<f64>) = order.iter().map(|&i| (x[i], y[i])).unzip();
        assert_eq!(decile_swing(&xs, &ys).swing, 18000.0);
    }

    /// An input with two values, 0 (12 iterations) and 1 (8): P10 = 0 and P90 = 1, so the
    /// groups are all the 0s and all the 1s. With y = £3m where x = 0 and £5m where x = 1 the
    /// swing is exactly £2m with no noise; an input that never varies has no swing.
    #[test]
    fn ties_go_wholly_into_a_group_and_a_fixed_input_has_no_swing() {
        let x: Vec<f64> = (0..20).map(|i| if i < 12 { 0.0 } else { 1.0 }).collect();
        let y: Vec<f64> = x.iter().map(|v| 3e6 + 2e6 * v).collect();
        let s = decile_swing(&x, &y);
        assert_eq!(
            (s.low_mean, s.high_mean, s.swing, s.se),
            (3e6, 5e6, 2e6, 0.0)
        );
        let fixed = decile_swing(&[0.3; 20], &y);
        assert!(fixed.swing.is_nan() && fixed.se.is_nan());
        // A missing output is left out, not counted as zero.
        let mut gaps = y.clone();
        gaps[0] = f64::NAN;
        assert_eq!(decile_swing(&x, &gaps).low_mean, 3e6);
    }

    #[test]
    fn every_sensitivity_output_is_in_pounds() {
        for m in SENSITIVITY_OUTPUTS {
            assert!(
                m.name().ends_with("_gbp"),
                "{m}: the swing columns are _gbp"
            );
        }
    }

    #[test]
    fn top_decile_is_at_or_above_the_p90() {
        // 1..=20: P90 by type 7 = 18.1, so 19 and 20 (indices 18, 19) are the top decile.
        let y: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(top_decile(&y), vec![18, 19]);
        assert!(top_decile(&[3.0; 10]).is_empty());
    }
}
