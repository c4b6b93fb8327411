//! The record of each output table: `summary.csv`, `timeseries.csv`, `by_year.csv`,
//! `sensitivity.csv` and `comparison.csv` (whose statistics columns `sweep.csv` shares), and the
//! fixed columns of `workforce.csv` and `inputs.csv`. Each header is written here once; the writers in `output::tables` and `output::compare` and the
//! chart reader in `charts::input` all go through these types.

use super::{Quantiles, ReadError, Record, Row};
use crate::metric::{Metric, Series, YearMetric};
use crate::month::Month;
use crate::output::format::num;

/// One row of `summary.csv`: the statistics of one metric for one organisation (or `total`).
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRecord {
    /// Organisation, or `total`.
    pub org: String,
    /// The metric (its unit is written beside it).
    pub metric: Metric,
    /// Mean and percentiles.
    pub q: Quantiles,
    /// Standard deviation.
    pub sd: f64,
    /// Monte Carlo standard error of the mean (of the probability, for a yes/no metric).
    pub se_mean: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// Number of iterations with a value (finite).
    pub n: f64,
    /// Share of iterations in which the metric is undefined ("never met", "never pays back",
    /// no paid exits); the statistics above are over the defined ones. 0 for a metric that is
    /// always defined.
    pub share_undefined: f64,
    /// Confidence interval of the P50 (low, high).
    pub p50_ci: (f64, f64),
    /// Confidence interval of the P90 (low, high).
    pub p90_ci: (f64, f64),
}

impl Record for SummaryRecord {
    const FILE: &'static str = "summary.csv";
    const HEADER: &'static [&'static str] = &[
        "org",
        "metric",
        "unit",
        "mean",
        "sd",
        "se_mean",
        "min",
        "p5",
        "p10",
        "p25",
        "p50",
        "p75",
        "p90",
        "p95",
        "max",
        "n",
        "share_undefined",
        "p50_ci_low",
        "p50_ci_high",
        "p90_ci_low",
        "p90_ci_high",
    ];
    const REQUIRED: &'static [&'static str] = &[
        "org", "metric", "mean", "p5", "p10", "p25", "p50", "p75", "p90", "p95",
    ];

    fn cells(&self) -> Vec<String> {
        let q = &self.q;
        let numbers = [
            q.mean,
            self.sd,
            self.se_mean,
            self.min,
            q.p5,
            q.p10,
            q.p25,
            q.p50,
            q.p75,
            q.p90,
            q.p95,
            self.max,
            self.n,
            self.share_undefined,
            self.p50_ci.0,
            self.p50_ci.1,
            self.p90_ci.0,
            self.p90_ci.1,
        ];
        let mut cells = vec![
            self.org.clone(),
            self.metric.to_string(),
            self.metric.unit().to_string(),
        ];
        cells.extend(numbers.into_iter().map(num));
        cells
    }

    fn from_row(row: &Row<'_>) -> Result<Self, ReadError> {
        Ok(SummaryRecord {
            org: row.text("org"),
            metric: row.metric("metric", Metric::from_name)?,
            q: Quantiles::from_row(row)?,
            sd: row.number("sd")?,
            se_mean: row.number("se_mean")?,
            min: row.number("min")?,
            max: row.number("max")?,
            n: row.number("n")?,
            share_undefined: row.number("share_undefined")?,
            p50_ci: (row.number("p50_ci_low")?, row.number("p50_ci_high")?),
            p90_ci: (row.number("p90_ci_low")?, row.number("p90_ci_high")?),
        })
    }
}

/// One row of `timeseries.csv`: one monthly series of one organisation in one month.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeseriesRecord {
    /// Organisation, or `total`.
    pub org: String,
    /// The month (its financial year is written beside it).
    pub month: Month,
    /// The series.
    pub metric: Series,
    /// Mean and percentiles across iterations.
    pub q: Quantiles,
}

impl Record for TimeseriesRecord {
    const FILE: &'static str = "timeseries.csv";
    const HEADER: &'static [&'static str] = &[
        "org", "month", "fy", "metric", "unit", "mean", "p5", "p10", "p25", "p50", "p75", "p90",
        "p95",
    ];
    const REQUIRED: &'static [&'static str] = &[
        "org", "month", "metric", "mean", "p5", "p10", "p25", "p50", "p75", "p90", "p95",
    ];

    fn cells(&self) -> Vec<String> {
        let mut cells = vec![
            self.org.clone(),
            self.month.to_string(),
            self.month.fy_label(),
            self.metric.to_string(),
            self.metric.unit().to_string(),
        ];
        cells.extend(self.q.cells());
        cells
    }

    fn from_row(row: &Row<'_>) -> Result<Self, ReadError> {
        Ok(TimeseriesRecord {
            org: row.text("org"),
            month: row.month("month")?,
            metric: row.metric("metric", Series::from_name)?,
            q: Quantiles::from_row(row)?,
        })
    }
}

/// One row of `by_year.csv`: one figure of one organisation in one financial year.
#[derive(Debug, Clone, PartialEq)]
pub struct ByYearRecord {
    /// Organisation, or `total`.
    pub org: String,
    /// Financial-year label, e.g. `2025/26`.
    pub fy: String,
    /// The figure.
    pub metric: YearMetric,
    /// Mean and percentiles across iterations.
    pub q: Quantiles,
}

impl Record for ByYearRecord {
    const FILE: &'static str = "by_year.csv";
    const HEADER: &'static [&'static str] = &[
        "org", "fy", "metric", "mean", "p5", "p10", "p25", "p50", "p75", "p90", "p95",
    ];
    const REQUIRED: &'static [&'static str] = Self::HEADER;

    fn cells(&self) -> Vec<String> {
        let mut cells = vec![self.org.clone(), self.fy.clone(), self.metric.to_string()];
        cells.extend(self.q.cells());
        cells
    }

    fn from_row(row: &Row<'_>) -> Result<Self, ReadError> {
        Ok(ByYearRecord {
            org: row.text("org"),
            fy: row.text("fy"),
            metric: row.metric("metric", YearMetric::from_name)?,
            q: Quantiles::from_row(row)?,
        })
    }
}

/// How much an output moves, in £, between the low and the high values of one input: the mean
/// of the output over the iterations whose input is at or below the input's P10 (its bottom
/// decile), over those at or above its P90 (its top decile), their difference, and the Monte
/// Carlo standard error of that difference. Computed in `output::sensitivity`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DecileSwing {
    /// Mean of the output where the input is in its bottom decile (`low_decile_mean_gbp`).
    pub low_mean: f64,
    /// Mean of the output where the input is in its top decile (`high_decile_mean_gbp`).
    pub high_mean: f64,
    /// `high_mean − low_mean` (`swing_gbp`): positive when higher input means higher output.
    pub swing: f64,
    /// Standard error of `swing` (`swing_se_gbp`): √(s²_low/n_low + s²_high/n_high).
    pub se: f64,
}

/// One row of `sensitivity.csv`: how one uncertain input drives one output of one organisation.
#[derive(Debug, Clone, PartialEq)]
pub struct SensitivityRecord {
    /// Organisation, or `total`.
    pub org: String,
    /// The output metric.
    pub output: Metric,
    /// Input's dotted path.
    pub input: String,
    /// Input's plain-words label.
    pub label: String,
    /// Spearman rank correlation.
    pub rho: f64,
    /// Share of the output's rank variance attributed to this input (normalised rho²).
    pub contribution: f64,
    /// Mean percentile of this input among the iterations where the output is in its top 10%
    /// (0.5: no pull; near 1: high values of the input push the output to its top decile).
    pub top_decile: f64,
    /// The output's £ swing over this input's range and its parts (see
    /// [`DecileSwing`]); NaN when the input does not vary.
    pub swing: DecileSwing,
}

impl Record for SensitivityRecord {
    const FILE: &'static str = "sensitivity.csv";
    const HEADER: &'static [&'static str] = &[
        "org",
        "output",
        "input",
        "input_label",
        "spearman_rho",
        "contribution_to_variance",
        "top_decile_input_percentile",
        "low_decile_mean_gbp",
        "high_decile_mean_gbp",
        "swing_gbp",
        "swing_se_gbp",
    ];
    const REQUIRED: &'static [&'static str] =
        &["org", "output", "input", "input_label", "spearman_rho"];

    fn cells(&self) -> Vec<String> {
        vec![
            self.org.clone(),
            self.output.to_string(),
            self.input.clone(),
            self.label.clone(),
            num(self.rho),
            num(self.contribution),
            num(self.top_decile),
            num(self.swing.low_mean),
            num(self.swing.high_mean),
            num(self.swing.swing),
            num(self.swing.se),
        ]
    }

    fn from_row(row: &Row<'_>) -> Result<Self, ReadError> {
        Ok(SensitivityRecord {
            org: row.text("org"),
            output: row.metric("output", Metric::from_name)?,
            input: row.text("input"),
            label: row.text("input_label"),
            rho: row.number("spearman_rho")?,
            contribution: row.number("contribution_to_variance")?,
            top_decile: row.number("top_decile_input_percentile")?,
            swing: DecileSwing {
                low_mean: row.number("low_decile_mean_gbp")?,
                high_mean: row.number("high_decile_mean_gbp")?,
                swing: row.number("swing_gbp")?,
                se: row.number("swing_se_gbp")?,
            },
        })
    }
}

/// The key statistics of one run, for the `total` organisation: the statistics columns of
/// `comparison.csv` and `sweep.csv`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KeyStats {
    /// Exit cost P10, £.
    pub exit_cost_p10: f64,
    /// Exit cost P50, £.
    pub exit_cost_p50: f64,
    /// Exit cost P90, £.
    pub exit_cost_p90: f64,
    /// Probability the target is met (`target_met`: recurrently, by every organisation).
    pub p_target_met: f64,
    /// Its Monte Carlo standard error.
    pub p_target_met_se: f64,
    /// Run-rate at the deadline, P50, £ a year.
    pub run_rate_at_deadline_p50: f64,
    /// NPV P50, £.
    pub npv_p50: f64,
    /// Funding gap P50, £.
    pub funding_gap_p50: f64,
    /// Funding gap P90, £.
    pub funding_gap_p90: f64,
    /// Probability the pooled total meets the target (`target_met_pooled`).
    pub p_target_met_pooled: f64,
    /// Probability of a funding gap (`funding_gap_any`).
    pub p_funding_gap: f64,
}

/// Column names of the [`KeyStats`], in order (the end of the `comparison.csv` header).
pub const STAT_COLUMNS: &[&str] = <ComparisonRecord as Record>::HEADER.split_at(4).1;

impl KeyStats {
    fn values(&self) -> [f64; 11] {
        [
            self.exit_cost_p10,
            self.exit_cost_p50,
            self.exit_cost_p90,
            self.p_target_met,
            self.p_target_met_se,
            self.run_rate_at_deadline_p50,
            self.npv_p50,
            self.funding_gap_p50,
            self.funding_gap_p90,
            self.p_target_met_pooled,
            self.p_funding_gap,
        ]
    }

    /// The CSV cells, in [`STAT_COLUMNS`] order.
    pub fn cells(&self) -> Vec<String> {
        self.values().into_iter().map(num).collect()
    }

    fn from_row(row: &Row<'_>) -> Result<KeyStats, ReadError> {
        let mut v = [f64::NAN; 11];
        for (slot, name) in v.iter_mut().zip(STAT_COLUMNS) {
            *slot = row.number(name)?;
        }
        let [exit_cost_p10, exit_cost_p50, exit_cost_p90, p_target_met, p_target_met_se, run_rate_at_deadline_p50, npv_p50, funding_gap_p50, funding_gap_p90, p_target_met_pooled, p_funding_gap] =
            v;
        Ok(KeyStats {
            exit_cost_p10,
            exit_cost_p50,
            exit_cost_p90,
            p_target_met,
            p_target_met_se,
            run_rate_at_deadline_p50,
            npv_p50,
            funding_gap_p50,
            funding_gap_p90,
            p_target_met_pooled,
            p_funding_gap,
        })
    }
}

/// One row of `comparison.csv`: one scenario of a batch.
#[derive(Debug, Clone, PartialEq)]
pub struct ComparisonRecord {
    /// Scenario display name.
    pub scenario: String,
    /// Scenario slug (its run directory).
    pub slug: String,
    /// Iterations run.
    pub iterations: u64,
    /// Seed.
    pub seed: u64,
    /// The key statistics.
    pub stats: KeyStats,
}

impl Record for ComparisonRecord {
    const FILE: &'static str = "comparison.csv";
    const HEADER: &'static [&'static str] = &[
        "scenario",
        "slug",
        "iterations",
        "seed",
        "exit_cost_p10_gbp",
        "exit_cost_p50_gbp",
        "exit_cost_p90_gbp",
        "p_target_met",
        "p_target_met_se",
        "run_rate_at_deadline_p50_gbp",
        "npv_p50_gbp",
        "funding_gap_p50_gbp",
        "funding_gap_p90_gbp",
        "p_target_met_pooled",
        "p_funding_gap",
    ];
    const REQUIRED: &'static [&'static str] = Self::HEADER;

    fn cells(&self) -> Vec<String> {
        let mut cells = vec![
            self.scenario.clone(),
            self.slug.clone(),
            self.iterations.to_string(),
            self.seed.to_string(),
        ];
        cells.extend(self.stats.cells());
        cells
    }

    fn from_row(row: &Row<'_>) -> Result<Self, ReadError> {
        Ok(ComparisonRecord {
            scenario: row.text("scenario"),
            slug: row.text("slug"),
            iterations: row.integer("iterations")?,
            seed: row.integer("seed")?,
            stats: KeyStats::from_row(row)?,
        })
    }
}

/// The last column of `workforce.csv`, after `org` and the staff-file columns
/// ([`STAFF_COLUMNS`](crate::scenario::workforce::STAFF_COLUMNS)), which depend on no scenario
/// but belong to the staff-file reader.
pub const WORKFORCE_COST_COLUMN: &str = "annual_employer_cost_gbp";

/// The header of `inputs.csv`: one row per input, with its distribution and provenance. A
/// number input fills `mean`, `p10`, `p50`, `p90` (numbers) and leaves the `_month` columns
/// empty; a month input fills `p10_month`, `p50_month`, `p90_month` (ISO `YYYY-MM`) and leaves
/// the number columns empty, so every column holds one type.
pub const INPUTS_HEADER: [&str; 15] = [
    "path",
    "label",
    "kind",
    "distribution",
    "mean",
    "p10",
    "p50",
    "p90",
    "p10_month",
    "p50_month",
    "p90_month",
    "explicit",
    "source",
    "date",
    "note",
];

#[cfg(test)]
mod tests {
    use super::super::{read_records, write_records, Quantiles, ReadError, Record};
    use super::*;

    fn q(x: f64) -> Quantiles {
        Quantiles::new(
            x,
            [
                x + 5.0,
                x + 10.0,
                f64::NAN,
                x + 50.0,
                x + 75.0,
                x + 90.0,
                x + 95.0,
            ],
        )
    }

    fn round_trip<R: Record + Sync + std::fmt::Debug>(rows: Vec<R>) -> (String, Vec<R>) {
        let dir = tempfile::tempdir().unwrap();
        write_records(dir.path(), &rows).unwrap();
        let text = std::fs::read_to_string(dir.path().join(R::FILE)).unwrap();
        (text, read_records(dir.path()).unwrap())
    }

    /// Compares with NaN equal to NaN, through the CSV text of both.
    fn same<R: Record>(a: &[R], b: &[R]) -> bool {
        a.iter().map(R::cells).eq(b.iter().map(R::cells))
    }

    #[test]
    fn summary_rows_round_trip_with_the_unit_and_empty_cells() {
        let row = SummaryRecord {
            org: "total".into(),
            metric: Metric::ExitCostGbp,
            q: q(1234.567),
            sd: 0.5,
            se_mean: f64::NAN,
            min: -3.0,
            max: 9e9,
            n: 750.0,
            share_undefined: 0.25,
            p50_ci: (1.0, 2.0),
            p90_ci: (3.0, 4.0),
        };
        let (text, back) = round_trip(vec![row.clone()]);
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some(SummaryRecord::HEADER.join(",").as_str()));
        assert_eq!(
            lines.next(),
            Some(
                "total,exit_cost_gbp,gbp,1234.57,0.5,,-3,1239.57,1244.57,,1284.57,1309.57,\
                 1324.57,1329.57,9000000000,750,0.25,1,2,3,4"
            )
        );
        assert!(same(&back, &[row]));
    }

    #[test]
    fn every_file_round_trips() {
        let month = Month::parse("2026-03").unwrap();
        let ts = TimeseriesRecord {
            org: "North".into(),
            month,
            metric: Series::TargetMetBy,
            q: q(0.25),
        };
        let (text, back) = round_trip(vec![ts.clone()]);
        assert!(text.contains("\nNorth,2026-03,2025/26,target_met_by,probability,0.25,5.25,"));
        assert!(same(&back, &[ts]));
        let by = ByYearRecord {
            org: "total".into(),
            fy: "2025/26".into(),
            metric: YearMetric::NetCashGbp,
            q: q(-1e6),
        };
        let (_, back) = round_trip(vec![by.clone()]);
        assert!(same(&back, &[by]));
        let sens = SensitivityRecord {
            org: "total".into(),
            output: Metric::NpvGbp,
            input: "vr.uptake".into(),
            label: "VR uptake, a share".into(),
            rho: -0.25,
            contribution: f64::NAN,
            top_decile: 0.5,
            swing: DecileSwing {
                low_mean: 1.5e6,
                high_mean: 1.25e6,
                swing: -2.5e5,
                se: 1234.5,
            },
        };
        let (_, back) = round_trip(vec![sens.clone()]);
        assert!(same(&back, &[sens]));
        let stats = KeyStats {
            exit_cost_p10: 1.0,
            exit_cost_p50: 2.0,
            exit_cost_p90: 3.0,
            p_target_met: 0.94,
            p_target_met_se: 0.013711,
            run_rate_at_deadline_p50: 4.0,
            npv_p50: 5.0,
            funding_gap_p50: 0.0,
            funding_gap_p90: 6.0,
            p_target_met_pooled: 0.97,
            p_funding_gap: 0.5,
        };
        let cmp = ComparisonRecord {
            scenario: "Example, with a comma".into(),
            slug: "example".into(),
            iterations: 300,
            seed: 42,
            stats,
        };
        let (text, back) = round_trip(vec![cmp.clone()]);
        assert!(text.contains("\"Example, with a comma\",example,300,42,1,2,3,0.94,0.013711,"));
        assert_eq!(back, vec![cmp]);
    }

    #[test]
    fn the_statistics_columns_end_the_comparison_header() {
        assert_eq!(STAT_COLUMNS.len(), 11);
        assert_eq!(STAT_COLUMNS[0], "exit_cost_p10_gbp");
        assert_eq!(ComparisonRecord::HEADER[4..], *STAT_COLUMNS);
        for header in [
            SummaryRecord::HEADER,
            TimeseriesRecord::HEADER,
            ByYearRecord::HEADER,
        ] {
            let at = header.iter().position(|h| *h == "mean").unwrap();
            let bands: Vec<&str> = header[at..]
                .iter()
                .copied()
                .filter(|h| h.starts_with('p') && !h.contains("ci"))
                .collect();
            assert_eq!(bands, Quantiles::COLUMNS[1..], "{header:?}");
        }
    }

    #[test]
    fn an_unknown_metric_is_an_error_naming_the_line_and_the_nearest_name() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("by_year.csv"),
            "org,fy,metric,mean,p5,p10,p25,p50,p75,p90,p95\n\
             total,2025/26,net_cash_gbp,1,1,1,1,1,1,1,1\n\
             total,2025/26,savngs_gbp,1,1,1,1,1,1,1,1\n",
        )
        .unwrap();
        let e = read_records::<ByYearRecord>(dir.path()).unwrap_err();
        assert!(
            matches!(e, ReadError::UnknownMetric { line: 3, .. }),
            "{e:?}"
        );
        let msg = e.to_string();
        assert!(
            msg.contains("by_year.csv: line 3, column `metric`"),
            "{msg}"
        );
        assert!(
            msg.ends_with("unknown metric 'savngs_gbp' (did you mean 'savings_gbp'?)"),
            "{msg}"
        );
    }

    #[test]
    fn optional_columns_may_be_absent_and_extra_ones_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("sensitivity.csv"),
            "org,output,input,input_label,spearman_rho,p_value\n\
             total,exit_cost_gbp,vr.uptake,,0.5,0.01\n",
        )
        .unwrap();
        let rows = read_records::<SensitivityRecord>(dir.path()).unwrap();
        assert_eq!(rows[0].output, Metric::ExitCostGbp);
        assert_eq!((rows[0].label.as_str(), rows[0].rho), ("", 0.5));
        assert!(rows[0].contribution.is_nan() && rows[0].top_decile.is_nan());
        assert!(rows[0].swing.swing.is_nan() && rows[0].swing.se.is_nan());
    }
}
