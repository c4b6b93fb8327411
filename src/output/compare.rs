//! The key statistics that put several runs side by side: one row of `comparison.csv` (batch) or
//! `sweep.csv` (sweep) per run, and the comparison table printed on stdout. The statistics and
//! the row are [`KeyStats`] and [`ComparisonRecord`] (in [`super::records`]); this file computes
//! them from a run's results.
//!
//! Every statistic is of the `total` organisation and is computed by the same functions, and
//! printed by the same formatter, as `summary.csv`, so a cell here equals the corresponding cell
//! of that run's `summary.csv` byte for byte.

use super::format::{gbp, pct};
use super::records::Record;
pub use super::records::{ComparisonRecord, KeyStats, STAT_COLUMNS};
use crate::engine::{Columns, IterationOutput};
use crate::metric::Metric;
use crate::stats::{summarize, summarize_bool};
use std::fmt::Write;

impl KeyStats {
    /// Statistics of the last organisation column (`total`) of `results` held in memory.
    pub fn of(results: &[IterationOutput]) -> KeyStats {
        let col = |k: Metric| -> Result<Vec<f64>, std::convert::Infallible> {
            Ok(results
                .iter()
                .filter_map(|r| r.orgs.last().map(|o| o.scalars[k]))
                .collect())
        };
        let Ok(k) = KeyStats::from_columns(col);
        k
    }

    /// Statistics of organisation column `total` (the scenario's organisation count) of a run's
    /// results kept by its sink.
    ///
    /// # Errors
    /// When values kept on disk cannot be read.
    pub fn of_columns(
        results: &(impl Columns + ?Sized),
        total: usize,
    ) -> std::io::Result<KeyStats> {
        KeyStats::from_columns(|k| results.column(total, k))
    }

    /// The statistics from the total's column of each metric.
    fn from_columns<E>(col: impl Fn(Metric) -> Result<Vec<f64>, E>) -> Result<KeyStats, E> {
        let exit = summarize(&col(Metric::ExitCostGbp)?);
        let met = summarize_bool(&col(Metric::TargetMet)?);
        let gap = summarize(&col(Metric::FundingGapGbp)?);
        Ok(KeyStats {
            exit_cost_p10: exit.p10,
            exit_cost_p50: exit.p50,
            exit_cost_p90: exit.p90,
            p_target_met: met.p,
            p_target_met_se: met.se,
            run_rate_at_deadline_p50: summarize(&col(Metric::RunRateAtDeadlineGbp)?).p50,
            npv_p50: summarize(&col(Metric::NpvGbp)?).p50,
            funding_gap_p50: gap.p50,
            funding_gap_p90: gap.p90,
            p_target_met_pooled: summarize_bool(&col(Metric::TargetMetPooled)?).p,
            p_funding_gap: summarize_bool(&col(Metric::FundingGapAny)?).p,
        })
    }
}

/// The header of `comparison.csv`.
pub fn comparison_header() -> Vec<String> {
    ComparisonRecord::HEADER
        .iter()
        .map(|s| s.to_string())
        .collect()
}

/// One row of `comparison.csv`, as CSV cells.
pub fn comparison_record(
    scenario: &str,
    slug: &str,
    iterations: u64,
    seed: u64,
    stats: &KeyStats,
) -> Vec<String> {
    ComparisonRecord {
        scenario: scenario.to_string(),
        slug: slug.to_string(),
        iterations,
        seed,
        stats: *stats,
    }
    .cells()
}

/// A fixed-width table of labelled runs for the terminal.
pub fn comparison_table(title: &str, rows: &[(String, KeyStats)]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{title}");
    let _ = writeln!(
        s,
        "{:<34}{:>10}{:>10}{:>10}{:>12}{:>14}",
        "", "Exit P10", "Exit P50", "Exit P90", "P(target)", "Gap P90"
    );
    for (label, k) in rows {
        let label = if label.chars().count() > 33 {
            label.chars().take(32).collect::<String>() + "…"
        } else {
            label.clone()
        };
        let _ = writeln!(
            s,
            "{label:<34}{:>10}{:>10}{:>10}{:>12}{:>14}",
            gbp(k.exit_cost_p10),
            gbp(k.exit_cost_p50),
            gbp(k.exit_cost_p90),
            pct(k.p_target_met),
            gbp(k.funding_gap_p90)
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metric::Scalars;
    use crate::model::results::OrgResult;

    fn iteration(exit: f64, met: f64) -> IterationOutput {
        let mut scalars = Scalars::default();
        scalars[Metric::ExitCostGbp] = exit;
        scalars[Metric::TargetMet] = met;
        scalars[Metric::FundingGapGbp] = exit / 2.0;
        IterationOutput {
            index: 0,
            values: vec![],
            orgs: vec![OrgResult {
                scalars,
                series: vec![],
                by_year: vec![],
            }],
        }
    }

    #[test]
    fn key_stats_are_type7_percentiles_and_a_binomial_probability() {
        // Exit costs 10, 20, 30, 40, 50: P10 at h = 0.4 → 14, P50 30, P90 at h = 3.6 → 46.
        let r: Vec<_> = [
            (10.0, 1.0),
            (20.0, 0.0),
            (30.0, 1.0),
            (40.0, 1.0),
            (50.0, 0.0),
        ]
        .iter()
        .map(|&(e, m)| iteration(e, m))
        .collect();
        let k = KeyStats::of(&r);
        // The same statistics read through the columns of the total (organisation column 0 here).
        assert_eq!(KeyStats::of_columns(r.as_slice(), 0).unwrap(), k);
        assert!((k.exit_cost_p10 - 14.0).abs() < 1e-12);
        assert_eq!(k.exit_cost_p50, 30.0);
        assert!((k.exit_cost_p90 - 46.0).abs() < 1e-12);
        assert_eq!(k.p_target_met, 0.6);
        assert!((k.p_target_met_se - (0.6_f64 * 0.4 / 5.0).sqrt()).abs() < 1e-15);
        assert_eq!(k.funding_gap_p50, 15.0);
        assert_eq!(k.cells()[1], "30");
        assert_eq!(
            comparison_header().len(),
            comparison_record("a", "a", 5, 1, &k).len()
        );
    }
}
