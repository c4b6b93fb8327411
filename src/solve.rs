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
    /// No month in the range reaches the goal.
    #[error("no month in the range reaches the goal {goal}: the statistic is {at_lo:.4} at --lo and {at_hi:.4} at --hi, both below it")]
    NoMonth {
        /// Goal value.
        goal: f64,
        /// Statistic at the lower bound.
        at_lo: f64,
        /// Statistic at the upper bound.
        at_hi: f64,
    },
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

/// The answer of a search over months (a month input is discrete: a step function has no
/// root to bisect to, only a boundary between months that reach the goal and months that do not).
#[derive(Debug, Clone, PartialEq)]
pub struct MonthAnswer {
    /// The month (an offset from the start) nearest the boundary whose statistic is at or above
    /// the goal: the earliest such month when the statistic rises with the month, the latest when
    /// it falls; with the statistic there and its standard error.
    pub month: (i32, f64, f64),
    /// The month on the other side of the boundary (which does not reach the goal), with its
    /// statistic; `None` when every month in the range reaches it.
    pub neighbour: Option<(i32, f64)>,
    /// Whether the statistic rises with the month (so `month` is the earliest reaching the goal).
    pub rising: bool,
    /// Every evaluation, in month order: (month offset, statistic).
    pub trace: Vec<(i32, f64)>,
    /// Whether the evaluated statistics move one way only (weakly) across the months evaluated;
    /// when not, the boundary may not be unique and the caller should say so.
    pub monotone: bool,
}

/// Searches the months `lo..=hi` for the boundary between months whose statistic reaches `goal`
/// (is at or above it) and months whose statistic does not, by bisection on whole months.
///
/// # Errors
/// [`SolveError::NoMonth`] when neither end of the range reaches the goal (no month does, if the
/// statistic is monotone).
pub fn search_months(
    lo: i32,
    hi: i32,
    goal: f64,
    mut eval: impl FnMut(i32) -> (f64, f64),
) -> Result<MonthAnswer, SolveError> {
    let reaches = |f: f64| f >= goal;
    let mut trace = Vec::new();
    let seen = |m: i32, f: f64, trace: &mut Vec<(i32, f64)>| trace.push((m, f));
    let (f_lo, se_lo) = eval(lo);
    let (f_hi, se_hi) = eval(hi);
    seen(lo, f_lo, &mut trace);
    seen(hi, f_hi, &mut trace);
    let (mut out, mut inn, rising) = match (reaches(f_lo), reaches(f_hi)) {
        (false, true) => ((lo, f_lo), (hi, f_hi, se_hi), true),
        (true, false) => ((hi, f_hi), (lo, f_lo, se_lo), false),
        (true, true) => {
            let rising = f_hi >= f_lo;
            let month = if rising {
                (lo, f_lo, se_lo)
            } else {
                (hi, f_hi, se_hi)
            };
            return Ok(finish(month, None, rising, trace));
        }
        (false, false) => {
            return Err(SolveError::NoMonth {
                goal,
                at_lo: f_lo,
                at_hi: f_hi,
            })
        }
    };
    while (inn.0 - out.0).abs() > 1 {
        let mid = out.0 + (inn.0 - out.0) / 2;
        let (f, se) = eval(mid);
        seen(mid, f, &mut trace);
        if reaches(f) {
            inn = (mid, f, se);
        } else {
            out = (mid, f);
        }
    }
    Ok(finish(inn, Some(out), rising, trace))
}

fn finish(
    month: (i32, f64, f64),
    neighbour: Option<(i32, f64)>,
    rising: bool,
    mut trace: Vec<(i32, f64)>,
) -> MonthAnswer {
    trace.sort_by_key(|t| t.0);
    let monotone = trace.windows(2).all(|w| {
        if rising {
            w[1].1 >= w[0].1
        } else {
            w[1].1 <= w[0].1
        }
    });
    MonthAnswer {
        month,
        neighbour,
        rising,
        trace,
        monotone,
    }
}

/// `x` rounded to the precision its standard error supports: to the power of ten at or below
/// the standard error (so £28,584,709 ± £410,000 becomes 28,600,000), or to four significant
/// figures when the error is unknown or zero.
pub fn round_to_error(x: f64, se: f64) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let exponent = if se.is_finite() && se > 0.0 {
        se.log10().floor() as i32
    } else if x == 0.0 {
        return 0.0;
    } else {
        x.abs().log10().floor() as i32 - 3
    };
    // Dividing by an exact power of ten keeps 0.054 from becoming 0.054000000000000006.
    if exponent < 0 {
        let k = 10f64.powi(-exponent);
        (x * k).round() / k
    } else {
        let k = 10f64.powi(exponent);
        (x / k).round() * k
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

    #[test]
    fn month_search_finds_the_earliest_month_reaching_the_goal_on_a_step_function() {
        // The shape: 0.476 at month 9, 0.95 from month 13 on; goal 0.8. Steps at 11 → 0.7,
        // 12 → 0.85: the earliest month with p ≥ 0.8 is 12, the month before gives 0.7.
        let f = |m: i32| -> f64 {
            match m {
                ..=9 => 0.476,
                10 | 11 => 0.7,
                12 => 0.85,
                _ => 0.95,
            }
        };
        let a = search_months(6, 32, 0.8, |m| (f(m), 0.01)).unwrap();
        assert_eq!(a.month.0, 12);
        assert_eq!(a.neighbour, Some((11, 0.7)));
        assert!(a.rising && a.monotone);
        // Falling: the latest month still at or above the goal.
        let a = search_months(0, 20, 0.8, |m| (1.0 - f(m) + 0.5, 0.0)).unwrap();
        assert_eq!(a.month.0, 11, "{a:?}");
        assert_eq!(a.neighbour.unwrap().0, 12);
        assert!(!a.rising);
    }

    #[test]
    fn month_search_says_plainly_when_no_month_reaches_the_goal() {
        let e = search_months(0, 10, 0.9, |_| (0.5, 0.0)).unwrap_err();
        assert!(e
            .to_string()
            .starts_with("no month in the range reaches the goal 0.9"));
        let all = search_months(0, 10, 0.1, |m| (f64::from(m) / 10.0 + 0.2, 0.0)).unwrap();
        assert_eq!((all.month.0, all.neighbour), (0, None));
    }

    #[test]
    fn month_search_flags_a_statistic_that_is_not_monotone() {
        let a = search_months(0, 8, 0.5, |m| {
            (if m == 2 { 0.9 } else { f64::from(m) / 8.0 }, 0.0)
        })
        .unwrap();
        assert!(!a.monotone);
    }

    #[test]
    fn answers_are_rounded_to_their_standard_error() {
        assert_eq!(round_to_error(28_584_709.17, 410_000.0), 28_600_000.0);
        assert_eq!(round_to_error(0.0537, 0.004), 0.054);
        assert_eq!(round_to_error(28_584_709.17, f64::NAN), 28_580_000.0);
    }
}
