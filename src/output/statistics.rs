//! The statistics of a run's tables, computed from its results before anything is written:
//! `summary.csv` (every metric of every organisation and the total), `timeseries.csv` (every
//! monthly series), `by_year.csv` and, through [`super::sensitivity`], `sensitivity.csv`. Each is
//! computed organisation by organisation in parallel, rows kept in output order, so the bytes do
//! not depend on the thread count. The writers in [`super::tables`] format and write them.

use super::records::{
    ByYearRecord, Quantiles, Record, SensitivityRecord, SummaryRecord, TimeseriesRecord, BANDS,
};
use super::sensitivity::sensitivity_rows;
use super::tables::org_columns;
use crate::engine::{fiscal_years, IterationOutput};
use crate::metric::{Kind, Metric, Series, YearMetric};
use crate::scenario::Scenario;
use crate::stats::{quantile_sorted, sort_total, summarize, summarize_bool};
use rayon::prelude::*;

/// The statistics of a run's tables, computed from its results before anything is written.
#[derive(Debug, Clone)]
pub struct Tables {
    pub(super) summary: Vec<SummaryRecord>,
    pub(super) timeseries: Vec<TimeseriesRecord>,
    pub(super) by_year: Vec<ByYearRecord>,
    pub(super) sensitivity: Vec<SensitivityRecord>,
}

/// The statistics of every table of a run (each computed in parallel, in output order).
pub fn statistics(sc: &Scenario, results: &[IterationOutput]) -> Tables {
    Tables {
        summary: summary_rows(sc, results),
        timeseries: timeseries_rows(sc, results),
        by_year: by_year_rows(sc, results),
        sensitivity: sensitivity_rows(sc, results),
    }
}

/// One metric of one organisation across iterations.
pub(super) fn column(results: &[IterationOutput], org: usize, metric: Metric) -> Vec<f64> {
    results
        .iter()
        .map(|r| r.orgs[org].scalars[metric])
        .collect()
}

/// The header of `summary.csv` (also the end of the `sweep_summary.csv` header).
pub const SUMMARY_HEADER: &[&str] = <SummaryRecord as Record>::HEADER;

/// The rows of `summary.csv`: every organisation, then `total` (only `total` for one
/// organisation), × every metric. A metric undefined (NaN) in some iterations is summarised over
/// the defined ones, with the share undefined beside them. Organisations are summarised in
/// parallel and their rows kept in order.
pub fn summary_rows(sc: &Scenario, results: &[IterationOutput]) -> Vec<SummaryRecord> {
    org_columns(sc)
        .into_par_iter()
        .flat_map_iter(|(o, name)| {
            // Metric-major copy of the organisation's scalars, filled in one pass.
            let n = results.len();
            let mut by_metric = vec![0.0; Metric::COUNT * n];
            for (it, r) in results.iter().enumerate() {
                for (k, x) in r.orgs[o].scalars.iter().enumerate() {
                    by_metric[k * n + it] = *x;
                }
            }
            let rows: Vec<SummaryRecord> = Metric::ALL
                .iter()
                .zip(by_metric.chunks(n.max(1)))
                .map(|(&metric, v)| summary_row(&name, metric, v))
                .collect();
            rows
        })
        .collect()
}

/// The `summary.csv` row of `metric` for organisation `name` from its values `v`.
fn summary_row(name: &str, metric: Metric, v: &[f64]) -> SummaryRecord {
    let s = summarize(v);
    let se_mean = if metric.kind() == Kind::Probability {
        summarize_bool(v).se
    } else {
        s.se_mean
    };
    SummaryRecord {
        org: name.to_string(),
        metric,
        q: Quantiles::new(s.mean, [s.p5, s.p10, s.p25, s.p50, s.p75, s.p90, s.p95]),
        sd: s.sd,
        se_mean,
        min: s.min,
        max: s.max,
        n: s.n as f64,
        share_undefined: share_undefined(s.n, v.len()),
        p50_ci: s.p50_ci,
        p90_ci: s.p90_ci,
    }
}

/// The share of `total` iterations without a value, when `defined` have one (NaN with none).
fn share_undefined(defined: usize, total: usize) -> f64 {
    if total == 0 {
        f64::NAN
    } else {
        (total - defined) as f64 / total as f64
    }
}

/// The rows of `summary.csv` as CSV cells (for `sweep_summary.csv`, which prefixes each row).
pub fn summary_records(sc: &Scenario, results: &[IterationOutput]) -> Vec<Vec<String>> {
    summary_rows(sc, results)
        .iter()
        .map(Record::cells)
        .collect()
}

fn bands(values: &mut [f64]) -> Quantiles {
    sort_total(values);
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    Quantiles::new(mean, BANDS.map(|p| quantile_sorted(values, p)))
}

/// The rows of `timeseries.csv`: every organisation × series × month, organisations in
/// parallel.
fn timeseries_rows(sc: &Scenario, results: &[IterationOutput]) -> Vec<TimeseriesRecord> {
    let (n, h) = (results.len(), sc.horizon as usize);
    org_columns(sc)
        .into_par_iter()
        .flat_map_iter(|(o, name)| {
            // Series-then-month-major copy of the organisation's paths, filled in one pass over
            // the results.
            let mut by_month = vec![0.0; Series::COUNT * h * n];
            for (it, r) in results.iter().enumerate() {
                for (k, series) in r.orgs[o].series.iter().enumerate() {
                    for (m, x) in series.iter().enumerate() {
                        by_month[(k * h + m) * n + it] = *x;
                    }
                }
            }
            let mut rows = Vec::with_capacity(Series::COUNT * h);
            for (k, &metric) in Series::ALL.iter().enumerate() {
                for m in 0..h {
                    let buf = &mut by_month[(k * h + m) * n..(k * h + m + 1) * n];
                    rows.push(TimeseriesRecord {
                        org: name.clone(),
                        month: sc.start.plus(m as i32),
                        metric,
                        q: bands(buf),
                    });
                }
            }
            rows
        })
        .collect()
}

/// The rows of `by_year.csv`: every organisation × financial year × figure, organisations in
/// parallel.
fn by_year_rows(sc: &Scenario, results: &[IterationOutput]) -> Vec<ByYearRecord> {
    let (_, labels) = fiscal_years(sc);
    org_columns(sc)
        .into_par_iter()
        .flat_map_iter(|(o, name)| {
            let mut buf = vec![0.0; results.len()];
            let mut rows = Vec::new();
            for (y, label) in labels.iter().enumerate() {
                for (k, &metric) in YearMetric::ALL.iter().enumerate() {
                    for (b, r) in buf.iter_mut().zip(results) {
                        *b = r.orgs[o].by_year[y][k];
                    }
                    rows.push(ByYearRecord {
                        org: name.clone(),
                        fy: label.clone(),
                        metric,
                        q: bands(&mut buf),
                    });
                }
            }
            rows
        })
        .collect()
}
