//! Paired comparison of options run with common random numbers (`icbsim compare`): the typed
//! result ([`PairedComparison`]) and the finding sentence of each pair, here; the rows of
//! `paired.csv` ([`PairedRecord`]) and `paired_iterations.csv` in `records.rs`; the terminal
//! table in `table.rs`.
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

mod records;
mod table;

mod manifest;
pub use manifest::{CompareManifest, ManifestOption, ManifestPair, COMPARE_FILE};
pub use records::{
    iterations_header, paired_records, write_iterations, PairStat, PairedRecord, ITERATIONS_FILE,
};
pub use table::paired_table;

use crate::engine::Columns;
use crate::format::{gbp, percent};
use crate::metric::Metric;
use crate::stats::{summarize, summarize_bool, Summary};

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
    /// The `total` (organisation column `total`, the scenario's organisation count) of a whole
    /// run (iterations `0..n`) whose results a sink kept.
    ///
    /// # Errors
    /// When values kept on disk cannot be read.
    pub fn of_columns(
        results: &(impl Columns + ?Sized),
        total: usize,
    ) -> std::io::Result<OptionTotals> {
        let col = |k: Metric| results.column(total, k);
        let [a, b, c, d, e] = PAIRED_METRICS;
        Ok(OptionTotals {
            iterations: (0..results.iterations() as u64).collect(),
            values: [col(a)?, col(b)?, col(c)?, col(d)?, col(e)?],
            target_met: col(PAIRED_TARGET)?,
        })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::records::Record;

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
        crate::output::records::write_records(dir.path(), &rows).unwrap();
        let back: Vec<PairedRecord> = crate::output::records::read_records(dir.path()).unwrap();
        assert_eq!(back.len(), rows.len());
        assert_eq!(back[12].cells(), rows[12].cells());
    }
}
