//! `--fail-if` guards: conditions on a run's results that make a pipeline stop.
//!
//! A guard is a one-line expression `FUNC(METRIC[@ORG]) OP NUMBER`, e.g. `p(target_met) < 0.8` or
//! `p90(exit_cost_gbp@london) > 1e9`; `FUNC(METRIC[@ORG])` is the statistic-of-a-metric grammar
//! of [`crate::stat_expr`], shared with `solve --target`. It is parsed once, at the command-line boundary
//! ([`Guard::parse`]), checked against the scenario's organisations before anything runs
//! ([`Guard::resolve`]), and evaluated on the collected iterations with the same statistics as
//! `summary.csv` ([`Guard::evaluate`]). Kept apart from the CLI so the grammar is unit-tested on
//! hand values.

use crate::engine::Columns;
use crate::metric::Metric;
use crate::scenario::Scenario;
pub use crate::stat_expr::Stat;
use crate::stat_expr::StatOf;
use std::fmt;

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `==`
    Eq,
    /// `!=`
    Ne,
}

impl Op {
    /// Whether `a OP b` holds.
    pub fn holds(self, a: f64, b: f64) -> bool {
        match self {
            Op::Lt => a < b,
            Op::Le => a <= b,
            Op::Gt => a > b,
            Op::Ge => a >= b,
            Op::Eq => a == b,
            Op::Ne => a != b,
        }
    }
}

/// Why a guard expression cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("--fail-if '{expr}': {message}")]
pub struct GuardError {
    /// The expression as given.
    pub expr: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// A parsed `--fail-if` condition: the run fails when it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Guard {
    /// The expression as given (trimmed).
    pub text: String,
    /// Statistic.
    pub stat: Stat,
    /// The metric (a row of `summary.csv`).
    pub metric: Metric,
    /// Organisation slug or name after `@`; `None` means `total`.
    pub org: Option<String>,
    /// Operator.
    pub op: Op,
    /// Right-hand side.
    pub threshold: f64,
}

/// A guard that held (the run breached it), with the value found.
#[derive(Debug, Clone, PartialEq)]
pub struct Breach {
    /// The expression as given.
    pub text: String,
    /// The statistic's value (NaN when no iteration had a value).
    pub actual: f64,
}

impl fmt::Display for Breach {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.actual.is_finite() {
            write!(f, "guard breached: {} (actual {})", self.text, self.actual)
        } else {
            write!(
                f,
                "guard breached: {} (no iteration had a value, so it cannot be shown to pass)",
                self.text
            )
        }
    }
}

impl Guard {
    /// Parses `FUNC(METRIC[@ORG]) OP NUMBER`.
    ///
    /// # Errors
    /// When the function, metric, operator or number is missing or unknown, or text is left over.
    pub fn parse(expr: &str) -> Result<Guard, GuardError> {
        let fail = |message: String| GuardError {
            expr: expr.to_string(),
            message,
        };
        let text = expr.trim();
        let (of, rest) = StatOf::parse_prefix(text).map_err(|e| fail(e.to_string()))?;
        let rest = rest.trim_start();
        let (op, len) = [
            ("<=", Op::Le),
            (">=", Op::Ge),
            ("==", Op::Eq),
            ("!=", Op::Ne),
            ("<", Op::Lt),
            (">", Op::Gt),
        ]
        .into_iter()
        .find(|(s, _)| rest.starts_with(s))
        .map(|(s, op)| (op, s.len()))
        .ok_or_else(|| fail("expected an operator (<, <=, >, >=, == or !=) after ')'".into()))?;
        let num = rest[len..].trim();
        let threshold: f64 = num
            .parse()
            .ok()
            .filter(|x: &f64| x.is_finite())
            .ok_or_else(|| {
                fail(format!(
                    "'{num}' is not a finite number (write e.g. 0.8, 1e9, 2.5e8)"
                ))
            })?;
        Ok(Guard {
            text: text.to_string(),
            stat: of.stat,
            metric: of.metric,
            org: of.org,
            op,
            threshold,
        })
    }

    /// The result column of this guard's organisation in `sc` (the last, `total`, by default).
    ///
    /// # Errors
    /// When `@ORG` names no organisation of the scenario (by slug or name) or `total`.
    pub fn resolve(&self, sc: &Scenario) -> Result<usize, GuardError> {
        let Some(org) = self.org.as_deref() else {
            return Ok(sc.orgs.len());
        };
        if org == "total" {
            return Ok(sc.orgs.len());
        }
        sc.orgs
            .iter()
            .position(|o| o.slug == org || o.name == org)
            .ok_or_else(|| GuardError {
                expr: self.text.clone(),
                message: format!(
                    "scenario '{}' has no organisation '{org}'; use total or one of: {}",
                    sc.name,
                    sc.orgs
                        .iter()
                        .map(|o| o.slug.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            })
    }

    /// The statistic of this guard's metric over `values` (one per iteration).
    pub fn statistic(&self, values: &[f64]) -> f64 {
        self.stat.of(values)
    }

    /// Evaluates the guard on a statistic's value: `true` means breached. A value that does not
    /// exist (NaN: no iteration had one) counts as breached, since the condition cannot be shown
    /// to be false.
    pub fn breached_by(&self, actual: f64) -> bool {
        !actual.is_finite() || self.op.holds(actual, self.threshold)
    }

    /// Evaluates the guard on a run's results for organisation column `org`.
    ///
    /// # Errors
    /// When values kept on disk cannot be read.
    pub fn evaluate(
        &self,
        cols: &(impl Columns + ?Sized),
        org: usize,
    ) -> std::io::Result<Option<Breach>> {
        let actual = self.statistic(&cols.column(org, self.metric)?);
        Ok(self.breached_by(actual).then(|| Breach {
            text: self.text.clone(),
            actual,
        }))
    }
}

/// Parses every expression, collecting all errors.
///
/// # Errors
/// Every malformed expression, one message per line.
pub fn parse_all(exprs: &[String]) -> Result<Vec<Guard>, String> {
    let (ok, bad): (Vec<_>, Vec<_>) = exprs
        .iter()
        .map(|e| Guard::parse(e))
        .partition(Result::is_ok);
    if bad.is_empty() {
        Ok(ok.into_iter().filter_map(Result::ok).collect())
    } else {
        Err(bad
            .into_iter()
            .filter_map(Result::err)
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n"))
    }
}

/// Resolves every guard against a scenario, giving the organisation column of each.
///
/// # Errors
/// Every guard naming an organisation the scenario lacks, one message per line.
pub fn resolve_all(guards: &[Guard], sc: &Scenario) -> Result<Vec<usize>, String> {
    let mut cols = Vec::new();
    let mut bad = Vec::new();
    for g in guards {
        match g.resolve(sc) {
            Ok(c) => cols.push(c),
            Err(e) => bad.push(e.to_string()),
        }
    }
    if bad.is_empty() {
        Ok(cols)
    } else {
        Err(bad.join("\n"))
    }
}

/// Evaluates resolved guards (`cols` from [`resolve_all`]) on a run's results.
///
/// # Errors
/// When values kept on disk cannot be read.
pub fn check(
    guards: &[Guard],
    cols: &[usize],
    results: &(impl Columns + ?Sized),
) -> std::io::Result<Vec<Breach>> {
    let mut out = Vec::new();
    for (g, &c) in guards.iter().zip(cols) {
        out.extend(g.evaluate(results, c)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_function_metric_operator_and_number() {
        let g = Guard::parse("  p(target_met) < 0.8 ").unwrap();
        assert_eq!(g.stat, Stat::P);
        assert_eq!(g.metric, Metric::TargetMet);
        assert_eq!(g.op, Op::Lt);
        assert_eq!(g.threshold, 0.8);
        assert_eq!(g.org, None);
        assert_eq!(g.text, "p(target_met) < 0.8");

        let g = Guard::parse("p90(exit_cost_gbp@north-east)>=1e9").unwrap();
        assert_eq!(g.stat, Stat::Percentile(90));
        assert_eq!(g.org.as_deref(), Some("north-east"));
        assert_eq!(g.op, Op::Ge);
        assert_eq!(g.threshold, 1e9);

        let g = Guard::parse("mean( funding_gap_gbp ) != -2.5E3").unwrap();
        assert_eq!((g.stat, g.op, g.threshold), (Stat::Mean, Op::Ne, -2500.0));
        for (s, op) in [("<=", Op::Le), (">", Op::Gt), ("==", Op::Eq)] {
            assert_eq!(Guard::parse(&format!("sd(npv_gbp) {s} 1")).unwrap().op, op);
        }
        for (f, st) in [
            ("min", Stat::Min),
            ("max", Stat::Max),
            ("p5", Stat::Percentile(5)),
            ("p95", Stat::Percentile(95)),
        ] {
            assert_eq!(Guard::parse(&format!("{f}(npv_gbp) > 0")).unwrap().stat, st);
        }
    }

    #[test]
    fn rejects_malformed_expressions_saying_what_is_wrong() {
        let msg = |e: &str| Guard::parse(e).unwrap_err().message;
        assert!(msg("target_met < 0.8").contains("expected FUNC(METRIC)"));
        assert!(msg("median(exit_cost_gbp) > 1").contains("unknown function 'median'"));
        assert!(msg("p50(exit_cost) > 1").contains("unknown metric 'exit_cost'"));
        assert!(msg("p50(exit_cost_gbp > 1").contains("missing ')'"));
        assert!(msg("p50(exit_cost_gbp) => 1").contains("expected an operator"));
        assert!(msg("p50(exit_cost_gbp) > lots").contains("'lots' is not a finite number"));
        assert!(msg("p50(exit_cost_gbp) > 1 2").contains("'1 2' is not a finite number"));
        assert!(msg("p50(exit_cost_gbp) > inf").contains("not a finite number"));
        assert!(msg("p(exit_cost_gbp) > 0.5").contains("p() needs a yes/no metric"));
        assert!(msg("p50(exit_cost_gbp@) > 1").contains("empty organisation"));
        let all = parse_all(&["p(target_met) < 1".into(), "x".into(), "y(z) < 1".into()]);
        assert_eq!(all.unwrap_err().lines().count(), 2);
    }

    #[test]
    fn statistics_match_hand_values() {
        // 1, 2, 3, 4, NaN: mean 2.5, sd √(5/3), type-7 p50 = 2.5, p90 at h = 2.7 → 3.7.
        let v = [1.0, 2.0, 3.0, 4.0, f64::NAN];
        assert_eq!(Stat::Mean.of(&v), 2.5);
        assert!((Stat::Sd.of(&v) - (5.0_f64 / 3.0).sqrt()).abs() < 1e-15);
        assert_eq!(Stat::Percentile(50).of(&v), 2.5);
        assert!((Stat::Percentile(90).of(&v) - 3.7).abs() < 1e-12);
        assert_eq!(Stat::Min.of(&v), 1.0);
        assert_eq!(Stat::Max.of(&v), 4.0);
        assert_eq!(Stat::P.of(&[1.0, 0.0, 1.0, 1.0]), 0.75);
    }

    #[test]
    fn breach_follows_the_operator_and_missing_values_breach() {
        let g = Guard::parse("p(target_met) < 0.8").unwrap();
        assert!(g.breached_by(0.75));
        assert!(!g.breached_by(0.8));
        assert!(g.breached_by(f64::NAN));
        let g = Guard::parse("p90(exit_cost_gbp) > 1e9").unwrap();
        assert!(!g.breached_by(1e9));
        assert!(g.breached_by(1.000_000_1e9));
        assert!(Guard::parse("mean(npv_gbp) == 3").unwrap().breached_by(3.0));
        let b = Breach {
            text: "p(target_met) < 0.8".into(),
            actual: 0.75,
        };
        assert_eq!(
            b.to_string(),
            "guard breached: p(target_met) < 0.8 (actual 0.75)"
        );
    }
}
