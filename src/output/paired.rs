//! Paired comparison of options run with common random numbers (`icbsim compare`): the typed
//! result ([`PairedComparison`]), the rows of `paired.csv` ([`PairedRecord`]) and
//! `paired_iterations.csv`, the finding sentence of each pair and the terminal table.
//!
//! Options run with the same seed and iteration count share their random numbers input by input
//! and person by person (see [`crate::rng`]), so iteration `i` of option A and iteration `i` of
//! option B are the same "future" under two decisions. Each pair (A, B) is therefore compared
//! iteration by iteration: the statistics are those of the per-iteration difference A − B, not
//! differences of each option's own statistics (percentiles of a difference are not differences
//! of percentiles). Every statistic is computed by [`crate::stats`], as in `summary.csv`.
//!
//! It is separate from `compare.rs` (batch's side-by-side table of each run's own statistics)
//! because pairing needs the per-iteration values of both options, not their summaries.

use super::error::{CsvOut, OutputError};
use super::format::{num, pct};
use super::records::{ReadError, Record, Row};
use crate::engine::IterationOutput;
use crate::format::{gbp, percent};
use crate::metric::Metric;
use crate::stats::{summarize, summarize_bool, Summary};
use std::fmt::Write;
use std::path::Path;

/// The results compared pair by pair, each in £ on the definitions of `docs/model.md` §2.6 (the
/// run-rate and savings on the target basis): exit cost, savings over the horizon (the sum of the
/// in-year savings), recurrent saving (today's prices), NPV and the run-rate at the deadline.
pub const PAIRED_METRICS: [Metric; 5] = [
    Metric::ExitCostGbp,
    Metric::SavingsGbp,
    Metric::RecurrentSavingGbp,
    Metric::NpvGbp,
    Metric::RunRateAtDeadlineGbp,
];

/// The yes/no result whose joint outcomes are compared (`target_met` of the total: every
/// organisation meets its own target at the deadline and holds it 12 months).
pub const PAIRED_TARGET: Metric = Metric::TargetMet;

/// The words the terminal and the chart use for each of [`PAIRED_METRICS`] (as the run's summary
/// table labels them).
pub fn label(m: Metric) -> &'static str {
    match m {
        Metric::ExitCostGbp => "Exit cost",
        Metric::SavingsGbp => "Savings over the horizon",
        Metric::RecurrentSavingGbp => "Recurrent saving a year (today's prices)",
        Metric::NpvGbp => "NPV (real)",
        Metric::RunRateAtDeadlineGbp => "Run-rate at deadline, target basis",
        other => other.name(),
    }
}

/// One option's results for its `total`, iteration by iteration (in iteration order).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OptionTotals {
    /// Iteration indices.
    pub iterations: Vec<u64>,
    /// One column per entry of [`PAIRED_METRICS`], one value per iteration.
    pub values: [Vec<f64>; 5],
    /// [`PAIRED_TARGET`] per iteration (1 met, 0 missed).
    pub target_met: Vec<f64>,
}

impl OptionTotals {
    /// The `total` (last organisation) of each iteration of `results`.
    pub fn of(results: &[IterationOutput]) -> OptionTotals {
        let col = |k: Metric| -> Vec<f64> {
            results
                .iter()
                .map(|r| r.orgs.last().map_or(f64::NAN, |o| o.scalars[k]))
                .collect()
        };
        OptionTotals {
            iterations: results.iter().map(|r| r.index).collect(),
            values: PAIRED_METRICS.map(col),
            target_met: col(PAIRED_TARGET),
        }
    }
}

/// A probability estimated from iterations, with its binomial standard error √(p(1 − p)/n).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Chance {
    /// The share of iterations.
    pub p: f64,
    /// Its standard error.
    pub se: f64,
}

impl Chance {
    /// The share of `flags` that are true (over all of them), by [`summarize_bool`].
    fn of(flags: impl Iterator<Item = bool>) -> Chance {
        let v: Vec<f64> = flags.map(|f| if f { 1.0 } else { 0.0 }).collect();
        let s = summarize_bool(&v);
        Chance { p: s.p, se: s.se }
    }
}

/// The distribution over iterations of the difference A − B in one result.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    /// The result.
    pub metric: Metric,
    /// Statistics of A − B over the iterations where both are defined.
    pub summary: Summary,
    /// Share of those iterations where A's value is strictly lower than B's.
    pub a_lower: Chance,
    /// Share where B's is strictly lower.
    pub b_lower: Chance,
    /// Share where they are exactly equal (a tie counts as neither lower).
    pub equal: Chance,
}

/// The joint outcomes of the target (`target_met`) in the same iterations.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TargetPairing {
    /// A meets its target while B misses its own.
    pub a_meets_b_misses: Chance,
    /// B meets while A misses.
    pub b_meets_a_misses: Chance,
    /// Both meet.
    pub both_meet: Chance,
    /// Neither meets.
    pub neither_meets: Chance,
}

/// Option `a` against option `b` (indices into [`PairedComparison::options`], `a < b`).
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    /// The first option.
    pub a: usize,
    /// The second option.
    pub b: usize,
    /// One per entry of [`PAIRED_METRICS`], in that order.
    pub differences: Vec<Difference>,
    /// The target's joint outcomes.
    pub target: TargetPairing,
}

impl Pair {
    /// Compares `a` with `b` iteration by iteration.
    ///
    /// # Errors
    /// When the two were not run over the same iterations (they cannot be paired).
    pub fn of(
        (a, ta): (usize, &OptionTotals),
        (b, tb): (usize, &OptionTotals),
    ) -> Result<Pair, String> {
        if ta.iterations != tb.iterations {
            return Err(format!(
                "options {a} and {b} were not run over the same iterations, so they cannot be paired"
            ));
        }
        let differences = PAIRED_METRICS
            .iter()
            .zip(ta.values.iter().zip(&tb.values))
            .map(|(&metric, (va, vb))| difference(metric, va, vb))
            .collect();
        let met = |x: f64| x >= 0.5;
        let joint = |f: &dyn Fn(bool, bool) -> bool| {
            Chance::of(
                ta.target_met
                    .iter()
                    .zip(&tb.target_met)
                    .map(|(&x, &y)| f(met(x), met(y))),
            )
        };
        Ok(Pair {
            a,
            b,
            differences,
            target: TargetPairing {
                a_meets_b_misses: joint(&|x, y| x && !y),
                b_meets_a_misses: joint(&|x, y| !x && y),
                both_meet: joint(&|x, y| x && y),
                neither_meets: joint(&|x, y| !x && !y),
            },
        })
    }

    /// The difference in `metric`, if it is one of [`PAIRED_METRICS`].
    pub fn difference(&self, metric: Metric) -> Option<&Difference> {
        self.differences.iter().find(|d| d.metric == metric)
    }
}

/// The difference `a − b` per iteration, over the iterations where both are defined.
fn difference(metric: Metric, a: &[f64], b: &[f64]) -> Difference {
    let both: Vec<(f64, f64)> = a
        .iter()
        .zip(b)
        .map(|(&x, &y)| (x, y))
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .collect();
    let diffs: Vec<f64> = both.iter().map(|(x, y)| x - y).collect();
    Difference {
        metric,
        summary: summarize(&diffs),
        a_lower: Chance::of(both.iter().map(|(x, y)| x < y)),
        b_lower: Chance::of(both.iter().map(|(x, y)| y < x)),
        equal: Chance::of(both.iter().map(|(x, y)| x == y)),
    }
}

/// One option of a comparison, as the outputs name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionInfo {
    /// `A`, `B`, `C`… in the order given on the command line.
    pub letter: char,
    /// Scenario name.
    pub name: String,
    /// Its folder in the output directory, and its name in `paired.csv` (unique).
    pub slug: String,
    /// The scenario file as given.
    pub file: String,
}

/// Every option and every pair of a comparison: what `paired.csv`, the chart, the terminal
/// table and the report show.
#[derive(Debug, Clone, PartialEq)]
pub struct PairedComparison {
    /// The options, in the order given.
    pub options: Vec<OptionInfo>,
    /// Iterations, the same for every option.
    pub iterations: u64,
    /// Seed, the same for every option.
    pub seed: u64,
    /// Every pair (i, j) with i < j, in order (A–B, A–C, B–C…).
    pub pairs: Vec<Pair>,
}

impl PairedComparison {
    /// Pairs every option with every later one.
    ///
    /// # Errors
    /// When two options were not run over the same iterations.
    pub fn new(
        options: Vec<OptionInfo>,
        totals: &[OptionTotals],
        iterations: u64,
        seed: u64,
    ) -> Result<PairedComparison, String> {
        let mut pairs = Vec::new();
        for i in 0..totals.len() {
            for j in i + 1..totals.len() {
                pairs.push(Pair::of((i, &totals[i]), (j, &totals[j]))?);
            }
        }
        Ok(PairedComparison {
            options,
            iterations,
            seed,
            pairs,
        })
    }

    /// The finding of `pair` on exit cost, as a sentence: which option is cheaper in how many
    /// futures, and by how much at the median of the difference.
    pub fn headline(&self, pair: &Pair) -> String {
        let (la, lb) = (self.options[pair.a].letter, self.options[pair.b].letter);
        let Some(d) = pair.difference(Metric::ExitCostGbp) else {
            return String::new();
        };
        if d.equal.p >= 1.0 {
            return format!("Options {la} and {lb} have the same exit cost in every future");
        }
        // The cheaper option more often, and the median of (its cost − the other's).
        let (cheap, other, p, median) = if d.a_lower.p >= d.b_lower.p {
            (la, lb, d.a_lower.p, d.summary.p50)
        } else {
            (lb, la, d.b_lower.p, -d.summary.p50)
        };
        let by = if median < 0.0 {
            format!("{} less (P50)", gbp(-median))
        } else if median > 0.0 {
            format!("yet {} more at the P50", gbp(median))
        } else {
            "the same at the P50".to_string()
        };
        format!(
            "Option {cheap} is cheaper than {other} in {} of futures: {by}",
            percent(p, 0)
        )
    }
}

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

/// The comparison for the terminal: the options, then per pair the difference in each result
/// (mean, P5, P50, P95 and the share where A is lower) and the target's joint outcomes.
pub fn paired_table(c: &PairedComparison) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} options compared with common random numbers: {} iterations each, seed {}",
        c.options.len(),
        crate::format::count(c.iterations as f64),
        c.seed
    );
    for o in &c.options {
        let _ = writeln!(s, "  {}  {} ({})", o.letter, o.name, o.file);
    }
    for pair in &c.pairs {
        let (a, b) = (&c.options[pair.a], &c.options[pair.b]);
        let _ = writeln!(s, "\n{}", c.headline(pair));
        let _ = writeln!(
            s,
            "{:<44}{:>10}{:>10}{:>10}{:>10}{:>12}",
            format!("{} − {}, per iteration", a.letter, b.letter),
            "mean",
            "P5",
            "P50",
            "P95",
            format!("{} lower", a.letter)
        );
        for d in &pair.differences {
            let x = &d.summary;
            let _ = writeln!(
                s,
                "{:<44}{:>10}{:>10}{:>10}{:>10}{:>12}",
                label(d.metric),
                gbp(x.mean),
                gbp(x.p5),
                gbp(x.p50),
                gbp(x.p95),
                pct(d.a_lower.p)
            );
        }
        if let Some(d) = pair.difference(Metric::ExitCostGbp) {
            let _ = writeln!(
                s,
                "Exit cost: {} cheaper in {}, {} cheaper in {}, equal in {} (a tie counts as neither)",
                a.letter,
                pct(d.a_lower.p),
                b.letter,
                pct(d.b_lower.p),
                pct(d.equal.p)
            );
        }
        let t = &pair.target;
        let _ = writeln!(
            s,
            "Target met (held 12 months): {a} only {}, {b} only {}, both {}, neither {}",
            pct(t.a_meets_b_misses.p),
            pct(t.b_meets_a_misses.p),
            pct(t.both_meet.p),
            pct(t.neither_meets.p),
            a = a.letter,
            b = b.letter
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Totals with exit costs `exit` (£m) and target outcomes `met`; the other results are the
    /// exit cost's negatives, so their differences mirror it.
    fn totals(exit: &[f64], met: &[f64]) -> OptionTotals {
        let e: Vec<f64> = exit.iter().map(|x| x * 1e6).collect();
        let neg: Vec<f64> = e.iter().map(|x| -x).collect();
        OptionTotals {
            iterations: (0..exit.len() as u64).collect(),
            values: [e, neg.clone(), neg.clone(), neg.clone(), neg],
            target_met: met.to_vec(),
        }
    }

    fn info(letter: char) -> OptionInfo {
        OptionInfo {
            letter,
            name: format!("Option {letter}"),
            slug: format!("opt-{}", letter.to_ascii_lowercase()),
            file: format!("{letter}.toml"),
        }
    }

    fn two() -> PairedComparison {
        // A 10, 20, 30, 40 and B 15, 20, 25, 50 (£m): A − B = −5, 0, 5, −10.
        let a = totals(&[10.0, 20.0, 30.0, 40.0], &[1.0, 1.0, 0.0, 0.0]);
        let b = totals(&[15.0, 20.0, 25.0, 50.0], &[1.0, 0.0, 1.0, 0.0]);
        PairedComparison::new(vec![info('A'), info('B')], &[a, b], 4, 7).unwrap()
    }

    #[test]
    fn differences_are_taken_iteration_by_iteration_and_ties_count_as_neither() {
        let c = two();
        let d = c.pairs[0].difference(Metric::ExitCostGbp).unwrap();
        // Mean (−5 + 0 + 5 − 10)/4 = −2.5; sorted −10, −5, 0, 5: P50 at h = 1.5 → −2.5;
        // P95 at h = 2.85 → 0 + 0.85·5 = 4.25.
        assert_eq!(d.summary.mean, -2.5e6);
        assert_eq!(d.summary.p50, -2.5e6);
        assert!((d.summary.p95 - 4.25e6).abs() < 1e-6);
        assert_eq!((d.summary.min, d.summary.max), (-10e6, 5e6));
        // A lower in iterations 0 and 3, B lower in 2, equal in 1.
        assert_eq!((d.a_lower.p, d.b_lower.p, d.equal.p), (0.5, 0.25, 0.25));
        assert_eq!(d.a_lower.se, (0.5_f64 * 0.5 / 4.0).sqrt());
        // The negated results mirror it: B lower where A was.
        let s = c.pairs[0].difference(Metric::SavingsGbp).unwrap();
        assert_eq!(
            (s.a_lower.p, s.b_lower.p, s.summary.mean),
            (0.25, 0.5, 2.5e6)
        );
    }

    #[test]
    fn target_outcomes_are_joint_in_the_same_iteration() {
        // A met 1, 1, 0, 0 and B 1, 0, 1, 0: one iteration of each combination.
        let t = two().pairs[0].target;
        for ch in [
            t.a_meets_b_misses,
            t.b_meets_a_misses,
            t.both_meet,
            t.neither_meets,
        ] {
            assert_eq!(ch.p, 0.25);
        }
    }

    #[test]
    fn every_ordered_pair_appears_once() {
        let t = totals(&[1.0], &[1.0]);
        let c = PairedComparison::new(
            vec![info('A'), info('B'), info('C')],
            &[t.clone(), t.clone(), t],
            1,
            1,
        )
        .unwrap();
        let pairs: Vec<(usize, usize)> = c.pairs.iter().map(|p| (p.a, p.b)).collect();
        assert_eq!(pairs, [(0, 1), (0, 2), (1, 2)]);
    }

    #[test]
    fn options_over_different_iterations_cannot_be_paired() {
        let a = totals(&[1.0, 2.0], &[1.0, 1.0]);
        let mut b = a.clone();
        b.iterations = vec![5, 6];
        assert!(PairedComparison::new(vec![info('A'), info('B')], &[a, b], 2, 1).is_err());
    }

    #[test]
    fn the_headline_names_the_cheaper_option_and_the_median_saving() {
        let c = two();
        assert_eq!(
            c.headline(&c.pairs[0]),
            "Option A is cheaper than B in 50% of futures: £2.50m less (P50)"
        );
        let t = totals(&[3.0, 4.0], &[1.0, 0.0]);
        let same =
            PairedComparison::new(vec![info('A'), info('B')], &[t.clone(), t], 2, 1).unwrap();
        assert_eq!(
            same.headline(&same.pairs[0]),
            "Options A and B have the same exit cost in every future"
        );
    }

    #[test]
    fn paired_csv_has_every_statistic_of_every_result_then_the_target() {
        let rows = paired_records(&two());
        // 5 results × (mean, sd, min, 7 percentiles, max, n, 3 shares) + 4 target outcomes.
        // The mean −2.5m has se = sd/√4 with sd = √((2.5² + 2.5² + 7.5² + 7.5²)/3) £m.
        assert_eq!(rows.len(), 5 * 15 + 4);
        let cells = rows[0].cells();
        assert_eq!(
            cells,
            [
                "opt-a",
                "opt-b",
                "exit_cost_gbp",
                "gbp",
                "mean",
                "-2500000",
                "3227486.12"
            ]
        );
        let p = rows
            .iter()
            .find(|r| r.metric == Metric::ExitCostGbp && r.statistic == PairStat::Equal)
            .unwrap();
        assert_eq!((p.unit(), p.value), ("probability", 0.25));
        let last = rows.last().unwrap().cells();
        assert_eq!(last[2..5], ["target_met", "probability", "p_neither_meets"]);
        for r in &rows {
            assert_eq!(PairStat::from_name(&r.statistic.name()), Some(r.statistic));
        }
    }

    #[test]
    fn paired_csv_reads_back_to_the_same_rows() {
        let dir = tempfile::tempdir().unwrap();
        let rows = paired_records(&two());
        super::super::records::write_records(dir.path(), rows.clone()).unwrap();
        let back: Vec<PairedRecord> = super::super::records::read_records(dir.path()).unwrap();
        assert_eq!(back.len(), rows.len());
        assert_eq!(back[12].cells(), rows[12].cells());
    }
}
