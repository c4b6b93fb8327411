//! "A statistic of a metric": the one grammar shared by `--fail-if` guards and `solve --target`.
//!
//! `FUNC(METRIC[@ORG])`, where `FUNC` is `p` (the probability of a yes/no metric), `mean`, `sd`,
//! `min`, `max` or a percentile `p1`…`p99` (type 7, as in `summary.csv`), `METRIC` is a
//! [`Metric`] name and `ORG` an organisation slug or name (the total when absent). Parsed once at
//! the command-line boundary; evaluated on a column of per-iteration values with the same
//! statistics as `summary.csv`.

use crate::metric::{Kind, Metric, UnknownMetric};
use crate::stats::{quantile_sorted, summarize, summarize_bool};
use std::fmt;

/// A statistic over iterations of one metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stat {
    /// Probability of a yes/no metric (the mean of its 0/1 values).
    P,
    /// Mean.
    Mean,
    /// Sample standard deviation.
    Sd,
    /// Smallest value.
    Min,
    /// Largest value.
    Max,
    /// A percentile, 1 to 99, type 7.
    Percentile(u8),
}

impl Stat {
    /// The functions a user may write, for messages.
    pub const NAMES: &'static str =
        "p, mean, sd, min, max, or a percentile p1..p99 (p5, p50, p90…)";

    /// Parses a function name.
    pub fn parse(s: &str) -> Option<Stat> {
        Some(match s {
            "p" => Stat::P,
            "mean" => Stat::Mean,
            "sd" => Stat::Sd,
            "min" => Stat::Min,
            "max" => Stat::Max,
            _ => {
                let digits = s.strip_prefix('p')?;
                if digits.is_empty() || digits.starts_with('0') {
                    return None;
                }
                match digits.parse::<u8>() {
                    Ok(q @ 1..=99) => Stat::Percentile(q),
                    _ => return None,
                }
            }
        })
    }

    /// The statistic of `values`, ignoring non-finite ones (NaN when none are left).
    pub fn of(self, values: &[f64]) -> f64 {
        self.with_se(values).0
    }

    /// The statistic and its Monte Carlo standard error (for a percentile, from the width of its
    /// order-statistic confidence interval).
    pub fn with_se(self, values: &[f64]) -> (f64, f64) {
        if self == Stat::P {
            let b = summarize_bool(values);
            return (b.p, b.se);
        }
        let s = summarize(values);
        match self {
            Stat::P | Stat::Mean => (s.mean, s.se_mean),
            Stat::Sd => (s.sd, f64::NAN),
            Stat::Min => (s.min, f64::NAN),
            Stat::Max => (s.max, f64::NAN),
            Stat::Percentile(q) => {
                let mut sorted: Vec<f64> =
                    values.iter().copied().filter(|x| x.is_finite()).collect();
                sorted.sort_unstable_by(f64::total_cmp);
                let p = f64::from(q) / 100.0;
                let (a, b) = crate::stats::quantile_ci_sorted(&sorted, p);
                (quantile_sorted(&sorted, p), (b - a) / (2.0 * 1.96))
            }
        }
    }
}

impl fmt::Display for Stat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stat::P => f.write_str("p"),
            Stat::Mean => f.write_str("mean"),
            Stat::Sd => f.write_str("sd"),
            Stat::Min => f.write_str("min"),
            Stat::Max => f.write_str("max"),
            Stat::Percentile(q) => write!(f, "p{q}"),
        }
    }
}

/// Why `FUNC(METRIC[@ORG])` cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StatExprError {
    /// No `(`.
    #[error("expected FUNC(METRIC), e.g. p(target_met) or p90(exit_cost_gbp)")]
    Shape,
    /// No `)`.
    #[error("missing ')' after the metric")]
    Unclosed,
    /// Not a statistic.
    #[error("unknown function '{0}'; use one of {names}", names = Stat::NAMES)]
    Function(String),
    /// Not a metric.
    #[error("{0}; use a metric of summary.csv such as exit_cost_gbp, target_met, funding_gap_gbp, npv_gbp")]
    Metric(#[from] UnknownMetric),
    /// `@` with nothing after it.
    #[error("empty organisation after '@'")]
    EmptyOrg,
    /// `p()` of a metric that is not yes/no.
    #[error("p() needs a yes/no metric such as target_met; '{0}' is in {unit}: use mean() or a percentile", unit = .0.unit())]
    NotYesNo(Metric),
}

/// `FUNC(METRIC[@ORG])`, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct StatOf {
    /// The statistic.
    pub stat: Stat,
    /// The metric.
    pub metric: Metric,
    /// Organisation slug or name after `@`; `None` means the total.
    pub org: Option<String>,
}

impl StatOf {
    /// Parses the start of `text` as `FUNC(METRIC[@ORG])` and returns it with the rest of the
    /// text after `)`.
    ///
    /// # Errors
    /// When the function or metric is unknown, a bracket is missing, `@` has no organisation, or
    /// `p()` is applied to a metric that is not yes/no.
    pub fn parse_prefix(text: &str) -> Result<(StatOf, &str), StatExprError> {
        let open = text.find('(').ok_or(StatExprError::Shape)?;
        let func = text[..open].trim();
        let stat = Stat::parse(func).ok_or_else(|| StatExprError::Function(func.to_string()))?;
        let close = text[open..]
            .find(')')
            .map(|i| open + i)
            .ok_or(StatExprError::Unclosed)?;
        let inner = text[open + 1..close].trim();
        let (metric, org) = match inner.split_once('@') {
            Some((m, o)) => (m.trim(), Some(o.trim())),
            None => (inner, None),
        };
        let metric = Metric::from_name(metric)?;
        if org.is_some_and(str::is_empty) {
            return Err(StatExprError::EmptyOrg);
        }
        if stat == Stat::P && metric.kind() != Kind::Probability {
            return Err(StatExprError::NotYesNo(metric));
        }
        let of = StatOf {
            stat,
            metric,
            org: org.map(str::to_string),
        };
        Ok((of, &text[close + 1..]))
    }
}

impl fmt::Display for StatOf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.org {
            Some(o) => write!(f, "{}({}@{o})", self.stat, self.metric),
            None => write!(f, "{}({})", self.stat, self.metric),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_function_and_an_organisation() {
        let (s, rest) = StatOf::parse_prefix("p90(exit_cost_gbp@london) > 1").unwrap();
        assert_eq!(s.stat, Stat::Percentile(90));
        assert_eq!(s.metric, Metric::ExitCostGbp);
        assert_eq!(s.org.as_deref(), Some("london"));
        assert_eq!(rest, " > 1");
        for (f, st) in [
            ("p", Stat::P),
            ("mean", Stat::Mean),
            ("sd", Stat::Sd),
            ("min", Stat::Min),
            ("max", Stat::Max),
            ("p1", Stat::Percentile(1)),
            ("p99", Stat::Percentile(99)),
        ] {
            assert_eq!(Stat::parse(f), Some(st), "{f}");
        }
        for bad in ["p0", "p100", "p05", "median", "p-5", "p"] {
            assert!(bad == "p" || Stat::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn rejects_p_of_a_money_metric_and_unknown_names() {
        assert_eq!(
            StatOf::parse_prefix("p(exit_cost_gbp)").unwrap_err(),
            StatExprError::NotYesNo(Metric::ExitCostGbp)
        );
        let e = StatOf::parse_prefix("mean(npv)").unwrap_err().to_string();
        assert!(e.starts_with("unknown metric 'npv'"), "{e}");
        assert!(StatOf::parse_prefix("mean(npv_gbp@)").is_err());
        assert!(StatOf::parse_prefix("mean npv_gbp").is_err());
    }

    #[test]
    fn statistics_match_hand_values() {
        // Type 7: p25 of 1..=5 is 2; p90 is 4.6; mean 3; sd sqrt(2.5).
        let v = [5.0, 1.0, 3.0, 2.0, 4.0, f64::NAN];
        assert_eq!(Stat::Percentile(25).of(&v), 2.0);
        assert!((Stat::Percentile(90).of(&v) - 4.6).abs() < 1e-12);
        assert_eq!(Stat::Mean.of(&v), 3.0);
        assert!((Stat::Sd.of(&v) - 2.5f64.sqrt()).abs() < 1e-12);
        assert_eq!((Stat::Min.of(&v), Stat::Max.of(&v)), (1.0, 5.0));
        assert_eq!(Stat::P.of(&[1.0, 0.0, 1.0, 1.0]), 0.75);
    }
}
