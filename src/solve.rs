//! Goal seek: the input value that gives a wanted probability or percentile.
//!
//! `icbsim solve` varies one input (as a fixed value) between two bounds and bisects on a
//! statistic of the national total, e.g. `p(target_met)=0.8` or `p90(exit_cost_gbp)=1e9`. Every
//! evaluation runs the same iterations with the same seed, so the statistic moves only because
//! the input moved (common random numbers) and bisection is well behaved. The answer's Monte
//! Carlo uncertainty is the statistic's standard error divided by the local slope.

use crate::engine::IterationOutput;
use crate::metric::Metric;
use crate::stat_expr::StatOf;
use thiserror::Error;

pub use crate::stat_expr::Stat;

/// `STAT(METRIC)=VALUE`.
#[derive(Debug, Clone, PartialEq)]
pub struct Goal {
    /// Statistic.
    pub stat: Stat,
    /// The metric (a `summary.csv` metric).
    pub metric: Metric,
    /// Wanted value.
    pub value: f64,
}

/// Why a goal or a search failed.
#[derive(Debug, Error, PartialEq)]
pub enum SolveError {
    /// The goal text is malformed.
    #[error("--target '{0}': {1}")]
    Goal(String, String),
    /// The goal is not between the statistic's values at the bounds.
    #[error("the goal {goal} is not between the values at the bounds: {at_lo:.6} at {lo} and {at_hi:.6} at {hi}; widen --lo/--hi")]
    NotBracketed {
        /// Goal value.
        goal: f64,
        /// Lower bound.
        lo: f64,
        /// Upper bound.
        hi: f64,
        /// Statistic at the lower bound.
        at_lo: f64,
        /// Statistic at the upper bound.
        at_hi: f64,
    },
}

/// Parses `FUNC(METRIC)=V`, with `FUNC(METRIC)` in the grammar of [`crate::stat_expr`] (`p` of a
/// yes/no metric, `mean`, `sd`, `min`, `max`, or a percentile `p1`..`p99`).
///
/// # Errors
/// When the text has another shape, the metric is unknown or the value is not a number.
pub fn parse_goal(text: &str) -> Result<Goal, SolveError> {
    let bad = |why: &str| SolveError::Goal(text.to_string(), why.to_string());
    let (lhs, rhs) = text
        .split_once('=')
        .ok_or_else(|| bad("expected STAT(METRIC)=VALUE, e.g. p(target_met)=0.8"))?;
    let value: f64 = rhs
        .trim()
        .parse()
        .map_err(|_| bad("the value after '=' is not a number"))?;
    let (of, rest) = StatOf::parse_prefix(lhs.trim()).map_err(|e| bad(&e.to_string()))?;
    if !rest.trim().is_empty() {
        return Err(bad("unexpected text between ')' and '='"));
    }
    if of.org.is_some() {
        return Err(bad(
            "goal seek works on the national total: drop the '@ORG'",
        ));
    }
    let (stat, metric) = (of.stat, of.metric);
    Ok(Goal {
        stat,
        metric,
        value,
    })
}

/// The goal's statistic over `results` (the total, last org) and its Monte Carlo standard error.
pub fn evaluate(goal: &Goal, results: &[IterationOutput]) -> (f64, f64) {
    let v: Vec<f64> = results
        .iter()
        .filter_map(|r| r.orgs.last().map(|o| o.scalars[goal.metric]))
        .collect();
    goal.stat.with_se(&v)
}

/// The answer of a bisection.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// The input value found.
    pub value: f64,
    /// The statistic there.
    pub achieved: f64,
    /// Standard error of the statistic there.
    pub stat_se: f64,
    /// Monte Carlo standard error of the value (statistic's error over the local slope).
    pub value_se: f64,
    /// Every evaluation: (input value, statistic).
    pub trace: Vec<(f64, f64)>,
}

/// Bisects `eval` (input value → statistic, standard error) on [lo, hi] for `goal`, for `steps`
/// halvings (or until the bracket is narrower than `tol`). `integer` restricts to whole numbers
/// (months).
///
/// # Errors
/// When the goal is not bracketed by the values at `lo` and `hi`.
pub fn bisect(
    mut lo: f64,
    mut hi: f64,
    goal: f64,
    steps: usize,
    tol: f64,
    integer: bool,
    mut eval: impl FnMut(f64) -> (f64, f64),
) -> Result<Solution, SolveError> {
    let mut trace = Vec::new();
    let (mut f_lo, _) = eval(lo);
    let (mut f_hi, _) = eval(hi);
    trace.push((lo, f_lo));
    trace.push((hi, f_hi));
    if (f_lo - goal) * (f_hi - goal) > 0.0 {
        return Err(SolveError::NotBracketed {
            goal,
            lo,
            hi,
            at_lo: f_lo,
            at_hi: f_hi,
        });
    }
    for _ in 0..steps {
        if (hi - lo).abs() <= tol || (integer && (hi - lo).abs() <= 1.0) {
            break;
        }
        let mid = if integer {
            ((lo + hi) / 2.0).floor()
        } else {
            (lo + hi) / 2.0
        };
        let (f_mid, _) = eval(mid);
        trace.push((mid, f_mid));
        if (f_mid - goal) * (f_lo - goal) > 0.0 {
            lo = mid;
            f_lo = f_mid;
        } else {
            hi = mid;
            f_hi = f_mid;
        }
    }
    // The end of the bracket whose statistic is nearer the goal.
    let value = if (f_lo - goal).abs() <= (f_hi - goal).abs() {
        lo
    } else {
        hi
    };
    let (achieved, stat_se) = eval(value);
    let slope = secant_slope(&trace, value, goal, stat_se);
    let value_se = if slope.abs() > 0.0 {
        stat_se / slope.abs()
    } else {
        f64::NAN
    };
    Ok(Solution {
        value,
        achieved,
        stat_se,
        value_se,
        trace,
    })
}

/// The slope of the statistic around the solution, from the nearest evaluations on each side
/// that differ from the goal by more than two standard errors (so that Monte Carlo steps in a
/// statistic do not pass for a steep slope); the bounds if there are none.
fn secant_slope(trace: &[(f64, f64)], value: f64, goal: f64, se: f64) -> f64 {
    let margin = 2.0 * se.max(0.0);
    let nearest = |below: bool| {
        trace
            .iter()
            .filter(|(_, f)| {
                if below {
                    *f < goal - margin
                } else {
                    *f > goal + margin
                }
            })
            .min_by(|a, b| (a.0 - value).abs().total_cmp(&(b.0 - value).abs()))
            .copied()
    };
    match (nearest(true), nearest(false)) {
        (Some((x1, f1)), Some((x2, f2))) if x1 != x2 => (f2 - f1) / (x2 - x1),
        _ => match (trace.first(), trace.get(1)) {
            (Some(&(x1, f1)), Some(&(x2, f2))) if x1 != x2 => (f2 - f1) / (x2 - x1),
            _ => f64::NAN,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_goals() {
        let g = parse_goal("p(target_met)=0.8").unwrap();
        assert_eq!(
            (g.stat, g.metric, g.value),
            (Stat::P, Metric::TargetMet, 0.8)
        );
        let g = parse_goal(" p90(exit_cost_gbp) = 1e9 ").unwrap();
        assert_eq!((g.stat, g.value), (Stat::Percentile(90), 1e9));
        assert!(parse_goal("p(nope)=1").is_err());
        assert!(parse_goal("p(target_met)").is_err());
        assert!(parse_goal("p100(exit_cost_gbp)=1").is_err());
    }

    #[test]
    fn bisection_finds_a_planted_root() {
        // f(x) = 3x − 1 has f(x) = 0.5 at x = 0.5 exactly.
        let s = bisect(0.0, 1.0, 0.5, 60, 1e-12, false, |x| (3.0 * x - 1.0, 0.03)).unwrap();
        assert!((s.value - 0.5).abs() < 1e-9, "{}", s.value);
        // Standard error of the value: 0.03 / slope 3 = 0.01.
        assert!((s.value_se - 0.01).abs() < 1e-6);
    }

    #[test]
    fn the_slope_for_the_error_ignores_steps_within_two_standard_errors() {
        // Points 0.01 either side differ by less than 2 × 0.05 from the goal 0.5; the slope comes
        // from the points at 0.3 (f = 0.2) and 0.7 (f = 0.8): 0.6 / 0.4 = 1.5.
        let trace = [(0.3, 0.2), (0.7, 0.8), (0.49, 0.49), (0.51, 0.52)];
        assert!((secant_slope(&trace, 0.5, 0.5, 0.05) - 1.5).abs() < 1e-12);
    }

    #[test]
    fn bisection_over_whole_numbers_stops_at_adjacent_integers() {
        // A decreasing step function: f(m) = 1 − m/10; goal 0.35 lies between m = 6 and 7.
        let s = bisect(0.0, 10.0, 0.35, 20, 0.0, true, |m| (1.0 - m / 10.0, 0.0)).unwrap();
        assert!(s.value == 6.0 || s.value == 7.0, "{}", s.value);
    }

    #[test]
    fn an_unbracketed_goal_is_an_error() {
        let e = bisect(0.0, 1.0, 5.0, 10, 1e-9, false, |x| (x, 0.0)).unwrap_err();
        assert!(matches!(e, SolveError::NotBracketed { .. }));
    }
}
