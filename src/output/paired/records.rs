//! The files of a paired comparison: `paired.csv`, one row per pair × result × statistic
//! ([`PairedRecord`], read back by column name like every output record), and
//! `paired_iterations.csv`, each option's paired results iteration by iteration.

use super::{
    Chance, Difference, OptionInfo, OptionTotals, PairedComparison, PAIRED_METRICS, PAIRED_TARGET,
};
use crate::metric::Metric;
use crate::output::error::{CsvOut, OutputError};
use crate::output::format::num;
use crate::output::records::{ReadError, Record, Row};
use std::path::Path;

/// A statistic of a row of `paired.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairStat {
    /// Mean of A − B (its `se` is the standard error of the mean).
    Mean,
    /// Sample standard deviation of A − B.
    Sd,
    /// Smallest A − B.
    Min,
    /// Percentiles of A − B (type 7), by the percentage.
    P(u8),
    /// Largest A − B.
    Max,
    /// Iterations where both values are defined.
    N,
    /// Share of iterations where A is strictly lower than B.
    ALower,
    /// Share where B is strictly lower.
    BLower,
    /// Share where they are equal.
    Equal,
    /// A meets its target, B misses.
    AMeetsBMisses,
    /// B meets, A misses.
    BMeetsAMisses,
    /// Both meet.
    BothMeet,
    /// Neither meets.
    NeitherMeets,
}

/// The percentiles written, as in `summary.csv`.
const PERCENTILES: [u8; 7] = [5, 10, 25, 50, 75, 90, 95];

impl PairStat {
    /// The name in the `statistic` column.
    pub fn name(self) -> String {
        match self {
            PairStat::Mean => "mean".into(),
            PairStat::Sd => "sd".into(),
            PairStat::Min => "min".into(),
            PairStat::P(k) => format!("p{k}"),
            PairStat::Max => "max".into(),
            PairStat::N => "n".into(),
            PairStat::ALower => "p_a_lower".into(),
            PairStat::BLower => "p_b_lower".into(),
            PairStat::Equal => "p_equal".into(),
            PairStat::AMeetsBMisses => "p_a_meets_b_misses".into(),
            PairStat::BMeetsAMisses => "p_b_meets_a_misses".into(),
            PairStat::BothMeet => "p_both_meet".into(),
            PairStat::NeitherMeets => "p_neither_meets".into(),
        }
    }

    /// Every statistic, in the order written.
    fn all() -> Vec<PairStat> {
        let mut v = vec![PairStat::Mean, PairStat::Sd, PairStat::Min];
        v.extend(PERCENTILES.map(PairStat::P));
        v.extend([
            PairStat::Max,
            PairStat::N,
            PairStat::ALower,
            PairStat::BLower,
            PairStat::Equal,
            PairStat::AMeetsBMisses,
            PairStat::BMeetsAMisses,
            PairStat::BothMeet,
            PairStat::NeitherMeets,
        ]);
        v
    }

    /// The statistic named `s`.
    pub fn from_name(s: &str) -> Option<PairStat> {
        PairStat::all().into_iter().find(|p| p.name() == s)
    }

    /// Whether it is a probability (unit `probability`) rather than in the metric's unit.
    fn is_probability(self) -> bool {
        !matches!(
            self,
            PairStat::Mean
                | PairStat::Sd
                | PairStat::Min
                | PairStat::P(_)
                | PairStat::Max
                | PairStat::N
        )
    }
}

/// One row of `paired.csv`: one statistic of one result for one pair of options.
#[derive(Debug, Clone, PartialEq)]
pub struct PairedRecord {
    /// The first option's slug.
    pub option_a: String,
    /// The second option's slug.
    pub option_b: String,
    /// The result.
    pub metric: Metric,
    /// The statistic.
    pub statistic: PairStat,
    /// Its value.
    pub value: f64,
    /// Its standard error (the mean and probabilities; NaN otherwise).
    pub se: f64,
}

impl PairedRecord {
    /// The unit of the value: the metric's, `count` for `n`, `probability` for shares.
    pub fn unit(&self) -> &'static str {
        match self.statistic {
            PairStat::N => "count",
            s if s.is_probability() => "probability",
            _ => self.metric.unit(),
        }
    }
}

impl Record for PairedRecord {
    const FILE: &'static str = "paired.csv";
    const HEADER: &'static [&'static str] = &[
        "option_a",
        "option_b",
        "metric",
        "unit",
        "statistic",
        "value",
        "se",
    ];
    const REQUIRED: &'static [&'static str] = Self::HEADER;

    fn cells(&self) -> Vec<String> {
        vec![
            self.option_a.clone(),
            self.option_b.clone(),
            self.metric.name().to_string(),
            self.unit().to_string(),
            self.statistic.name(),
            num(self.value),
            num(self.se),
        ]
    }

    fn from_row(row: &Row<'_>) -> Result<Self, ReadError> {
        let name = row.text("statistic");
        let statistic = PairStat::from_name(&name)
            .ok_or_else(|| row.invalid("statistic", format!("`{name}` is not a statistic")))?;
        Ok(PairedRecord {
            option_a: row.text("option_a"),
            option_b: row.text("option_b"),
            metric: row.metric("metric", Metric::from_name)?,
            statistic,
            value: row.number("value")?,
            se: row.number("se")?,
        })
    }
}

/// The rows of `paired.csv`: for each pair, each result's statistics of A − B and the shares
/// lower and equal, then the target's joint outcomes.
pub fn paired_records(c: &PairedComparison) -> Vec<PairedRecord> {
    let mut out = Vec::new();
    for pair in &c.pairs {
        let rec = |metric: Metric, statistic: PairStat, (value, se): (f64, f64)| PairedRecord {
            option_a: c.options[pair.a].slug.clone(),
            option_b: c.options[pair.b].slug.clone(),
            metric,
            statistic,
            value,
            se,
        };
        for d in &pair.differences {
            for st in PairStat::all() {
                if let Some(v) = diff_stat(d, st) {
                    out.push(rec(d.metric, st, v));
                }
            }
        }
        let t = &pair.target;
        for (st, ch) in [
            (PairStat::AMeetsBMisses, t.a_meets_b_misses),
            (PairStat::BMeetsAMisses, t.b_meets_a_misses),
            (PairStat::BothMeet, t.both_meet),
            (PairStat::NeitherMeets, t.neither_meets),
        ] {
            out.push(rec(PAIRED_TARGET, st, (ch.p, ch.se)));
        }
    }
    out
}

/// The value and standard error of statistic `st` of a difference (`None` for the target's).
fn diff_stat(d: &Difference, st: PairStat) -> Option<(f64, f64)> {
    let s = &d.summary;
    let plain = |v: f64| Some((v, f64::NAN));
    let chance = |c: Chance| Some((c.p, c.se));
    match st {
        PairStat::Mean => Some((s.mean, s.se_mean)),
        PairStat::Sd => plain(s.sd),
        PairStat::Min => plain(s.min),
        PairStat::P(k) => plain(match k {
            5 => s.p5,
            10 => s.p10,
            25 => s.p25,
            50 => s.p50,
            75 => s.p75,
            90 => s.p90,
            _ => s.p95,
        }),
        PairStat::Max => plain(s.max),
        PairStat::N => plain(s.n as f64),
        PairStat::ALower => chance(d.a_lower),
        PairStat::BLower => chance(d.b_lower),
        PairStat::Equal => chance(d.equal),
        _ => None,
    }
}

/// The file of every option's paired results, iteration by iteration.
pub const ITERATIONS_FILE: &str = "paired_iterations.csv";

/// The header of `paired_iterations.csv`: `iteration,option`, the [`PAIRED_METRICS`] and
/// [`PAIRED_TARGET`] by their column names.
pub fn iterations_header() -> Vec<String> {
    let mut h = vec!["iteration".to_string(), "option".to_string()];
    h.extend(
        PAIRED_METRICS
            .iter()
            .chain([&PAIRED_TARGET])
            .map(|m| m.name().to_string()),
    );
    h
}

/// Writes `dir/paired_iterations.csv`: one row per iteration × option (iteration by iteration,
/// options in order), with each option's `total` values.
///
/// # Errors
/// [`OutputError`] naming the file.
pub fn write_iterations(
    dir: &Path,
    options: &[OptionInfo],
    totals: &[OptionTotals],
) -> Result<(), OutputError> {
    let mut out = CsvOut::create(dir, ITERATIONS_FILE)?;
    out.row(iterations_header())?;
    let n = totals.first().map_or(0, |t| t.iterations.len());
    for i in 0..n {
        for (o, t) in options.iter().zip(totals) {
            let mut row = vec![t.iterations[i].to_string(), o.slug.clone()];
            row.extend(t.values.iter().map(|v| num(v[i])));
            row.push(num(t.target_met[i]));
            out.row(row)?;
        }
    }
    out.finish()
}
